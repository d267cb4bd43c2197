"""The bed service against Erlang B and C, and its conservation of residents.

One home of c ordinary beds, Poisson applications, exponential stays: without a
waiting list the share refused is Erlang B; with a FIFO waiting list the mean
wait is that of M/M/c (Erlang C).  Per replication we take the steady-state
value after a warm-up; the analytic one must lie in the 99.9% t-interval.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sim.kernels.reference import erlang_b, mmc_mean_wait
from sim.model.beds import ADMITTED, APPLIED, REFUSED, WAITING_END
from tests.bed_setup import fifo_rules, homes, poisson_applications, run_beds

C, LAM, STAY = 12, 0.5, 20.0          # beds, applications/day, mean stay (days): offered load 10
DAYS, WARMUP, REPS = 1500.0, 150.0, 12


def _within(samples, value, confidence=0.999) -> bool:
    samples = np.asarray(samples)
    half = stats.t.ppf(0.5 + confidence / 2, len(samples) - 1) * samples.std(ddof=1) / np.sqrt(len(samples))
    return abs(samples.mean() - value) <= half


def test_refusals_match_erlang_b():
    from dataclasses import replace

    from sim.config.services import BedsConfig

    shares = []
    for r in range(REPS):
        apps = poisson_applications(np.random.default_rng(r), LAM, DAYS, STAY)
        rec, _ = run_beds(homes([C]), apps, DAYS, replace(BedsConfig(), waitlist="none"))
        ev = rec["beds"]
        steady = ev[ev["day"] > WARMUP]
        applied = (steady["kind"] == APPLIED).sum()
        shares.append((steady["kind"] == REFUSED).sum() / applied)
    assert _within(shares, erlang_b(C, LAM * STAY)), (np.mean(shares), erlang_b(C, LAM * STAY))


def test_waits_match_erlang_c():
    means = []
    for r in range(REPS):
        apps = poisson_applications(np.random.default_rng(100 + r), LAM, DAYS + 100, STAY)
        rec, _ = run_beds(homes([C]), apps, DAYS + 100, fifo_rules())
        ev = rec["beds"]
        admitted = ev[ev["kind"] == ADMITTED]
        applied_day = admitted["day"] - admitted["wait_days"]
        steady = admitted[(applied_day > WARMUP) & (applied_day < DAYS)]
        means.append(steady["wait_days"].mean())
    expected = mmc_mean_wait(C, LAM, 1 / STAY)
    assert _within(means, expected), (np.mean(means), expected)


def test_no_bed_over_capacity_and_residents_conserved():
    apps = poisson_applications(np.random.default_rng(7), LAM * 2, 400, STAY)
    rec, service = run_beds(homes([C, 5], village=[0, 1]), apps, 400, fifo_rules())
    occ = rec["bed_occupancy"]
    assert np.all(occ["occupied"] <= occ["beds"])
    ev = rec["beds"]
    kinds = np.bincount(ev["kind"], minlength=14)
    from sim.model.beds import DIED, DISCHARGED, START
    end = rec["homes"]["occupied_end"].sum()
    assert end == kinds[START] + kinds[ADMITTED] - kinds[DISCHARGED] - kinds[DIED]
    # every application is admitted, still waiting at the end, or (not here) refused/abandoned/died
    assert kinds[APPLIED] == kinds[ADMITTED] + kinds[WAITING_END]
