"""The emergency service against queueing theory and its own accounting.

Erlang C: one village, zero travel, Poisson calls, exponential on-scene time,
c identical responders on 24 h shifts is an M/M/c queue.  Each replication
gives a mean wait and a share of waits over t after a warm-up; the analytic
value must lie within the 99.9% t-interval across replications.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.config.services import HelperSpec
from sim.kernels.reference import mmc_mean_wait, mmc_wait_exceeds
from sim.model.emergency import ANSWERED, EN_ROUTE, NOT_CALLED, QUEUED, STATUSES, WAITING
from tests.emergency_setup import one_village_county, poisson_calls, run_service, theory_rules


def _mmc_replications(c: int, rho: float, reps: int, days: float, t_wait: float):
    on_scene = 30.0                                  # minutes, mean
    mu = 1.0 / on_scene                              # per minute per responder
    lam = rho * c * mu                               # per minute
    rules = theory_rules(on_scene)
    county = one_village_county()
    specs = [HelperSpec("unit", "", "every_village", c, "car", 0.0, 24.0, can_transport=False)]
    means, tails = [], []
    for r in range(reps):
        rng = np.random.default_rng(1000 + r)
        calls = poisson_calls(rng, lam * 1440, days, rules)
        rec, _ = run_service(county, rules, specs, calls, days + 5)   # +5 days to drain the queue
        steady = rec[(rec["call_day"] > days * 0.1) & (rec["call_day"] < days)]
        assert np.all(np.isin(steady["status"], (ANSWERED, QUEUED)))
        means.append(steady["wait_min"].mean())
        tails.append(np.mean(steady["wait_min"] > t_wait))
    return lam, mu, np.array(means), np.array(tails)


def _within_interval(samples: np.ndarray, value: float, confidence: float = 0.999) -> bool:
    half = stats.t.ppf(0.5 + confidence / 2, len(samples) - 1) * samples.std(ddof=1) / np.sqrt(len(samples))
    return abs(samples.mean() - value) <= half


@pytest.mark.parametrize("c,rho", [(3, 0.7)])
def test_mmc_wait_matches_erlang_c(c: int, rho: float):
    lam, mu, means, tails = _mmc_replications(c, rho, reps=12, days=40, t_wait=10.0)
    assert _within_interval(means, mmc_mean_wait(c, lam, mu)), (means.mean(), mmc_mean_wait(c, lam, mu))
    assert _within_interval(tails, float(mmc_wait_exceeds(c, lam, mu, 10.0))), tails.mean()


@pytest.mark.slow
@pytest.mark.parametrize("c,rho,t", [(1, 0.5, 20.0), (2, 0.8, 15.0), (5, 0.85, 5.0)])
def test_mmc_wait_matches_erlang_c_more_cases(c: int, rho: float, t: float):
    lam, mu, means, tails = _mmc_replications(c, rho, reps=20, days=100, t_wait=t)
    assert _within_interval(means, mmc_mean_wait(c, lam, mu)), (means.mean(), mmc_mean_wait(c, lam, mu))
    assert _within_interval(tails, float(mmc_wait_exceeds(c, lam, mu, t))), tails.mean()


def test_never_busy_response_is_the_sum_of_its_parts():
    """Plenty of responders: no wait, and the clock agrees with the components exactly."""
    from sim.config import CountyConfig
    from sim.config.services import EmergencyConfig
    from sim.world import generate_county

    county = generate_county(CountyConfig(townships=3, villages=12, service_points=4, canteens=2))
    rules = EmergencyConfig()
    specs = [HelperSpec("team", "", "health_centre", 50, "car", 0.0, 24.0, can_transport=True)]
    rng = np.random.default_rng(3)
    calls = poisson_calls(rng, 5.0, 60, rules, n_villages=12)
    calls["detection_min"] = rng.exponential(20.0, len(calls))
    calls["onset_day"] = calls["call_day"] - calls["detection_min"] / 1440
    rec, service = run_service(county, rules, specs, calls, 70)
    assert np.all(rec["status"] == ANSWERED)
    assert np.all(rec["wait_min"] == 0.0)
    travel = service.units.minutes_to[rec["responder"], rec["village"]] * rec["travel_noise"]
    assert np.array_equal(rec["travel_min"], travel)
    response = rec["handling_min"] + 0.0 + rec["dispatch_min"] + travel + rec["access_min"]
    assert np.array_equal(rec["response_min"], response)
    parts = rec["detection_min"] + response
    assert np.array_equal(rec["help_min"], parts)
    clock = (rec["arrival_day"] - rec["onset_day"]) * 1440
    assert np.allclose(clock, parts, rtol=0, atol=1e-6)     # float days vs minutes


def test_every_call_is_accounted_for():
    """Scarce responders: answered, queued-then-answered, still waiting or en route at the end."""
    county = one_village_county()
    rules = theory_rules(120.0)
    specs = [HelperSpec("unit", "", "every_village", 1, "car", 0.0, 24.0, can_transport=False)]
    rng = np.random.default_rng(5)
    calls = poisson_calls(rng, 14.0, 10, rules)          # load 14 x 2 h / 24 h > 1: the queue grows
    horizon = 10.0
    extra = calls.copy()[:3]
    extra["call_day"] = horizon + np.array([0.1, 0.2, 0.3])  # emergencies detected after the horizon
    rec, _ = run_service(county, rules, specs, np.concatenate([calls, extra]), horizon)
    assert len(rec) == len(calls) + 3
    counts = np.bincount(rec["status"], minlength=len(STATUSES))
    assert counts.sum() == len(rec)
    assert counts[NOT_CALLED] == 3
    assert counts[WAITING] > 0 and counts[QUEUED] > 0
    assert counts[EN_ROUTE] <= 1                          # one responder: at most one on the way
    answered = np.isin(rec["status"], (ANSWERED, QUEUED))
    assert np.all(~np.isnan(rec["response_min"][answered]))
    assert np.all(np.isnan(rec["response_min"][~answered]))
    assert np.all(rec["wait_min"][rec["status"] == QUEUED] > 0)
    # FIFO: calls are answered in the order they were requested
    done = rec[answered]
    assert np.all(np.diff(done["arrival_day"][np.argsort(done["call_day"])]) >= 0)
