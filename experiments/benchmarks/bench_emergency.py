"""Benchmark: calls simulated per second by the emergency service vs a bare SimPy M/M/c.

    python experiments/benchmarks/bench_emergency.py [--c 3] [--rho 0.7] [--days 60]
        [--repeats 9] [--seed 2024]

Four measurements, interleaved in every repeat (median reported, min-max shown):

(A) ours: ``EmergencyService`` reduced to an M/M/c queue (one village, zero
    travel, no handling / dispatch / access / escalation, ``--c`` identical 24 h
    responders, exponential on-scene time of mean 30 min);
(B) bare: ``simpy.Resource(env, capacity=c)``, one process per call that
    requests the resource, holds it for the service time, releases it and
    writes its wait into a preallocated NumPy array;
(C) Ciw (a public queueing-network library, ``pip install ciw``; skipped with a
    message when it is not installed): ``ciw.create_network`` with exponential
    arrivals and services at the same lambda, mu and c, ``ciw.seed``, and
    ``Simulation.simulate_until_max_time`` over the same days of arrivals;
(H) the whole emergency pipeline on the default hill county with the
    15-minute policy over one year (``demand_stage`` + ``contention_stage``).

A and B are fed the *same* Poisson arrival times and service times (a new draw
per repeat), so they do the same queueing work and must give the same waits;
Ciw draws its own (same rates, seed ``--seed + k``), so A/C is a ratio of
rates, not of times on the same calls.  The order alternates from one repeat
to the next (A B C H, then H C B A).  The mean waits are also compared with
Erlang C (``sim.kernels.reference.mmc_mean_wait``).  Figures depend on the
machine: compare the ratios measured within one run.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import time
from dataclasses import replace

import numpy as np
import simpy

from sim.config import CountyConfig, TravelConfig
from sim.config.services import Dist, EmergencyConfig, HelperSpec
from sim.experiment.app import compose
from sim.experiment.replication import contention_stage, demand_stage
from sim.experiment.scenario import Scenario, build_scenario
from sim.kernels.reference import mmc_mean_wait
from sim.model.emergency import ANSWERED, QUEUED, EmergencyService
from sim.model.emergency_calls import CALLS_DTYPE
from sim.model.records import Records
from sim.model.responders import Responders, build_responders, hospital_village
from sim.world import County, generate_county

MIN_PER_DAY = 1440.0
SERVICE_MIN = 30.0      # mean on-scene (service) time, minutes
DRAIN_DAYS = 5.0        # simulated after the last arrival so every queued call is served
HILL_OVERRIDES = ["policy=emergency_15min", "run.horizon_days=365"]

from _common import print_table, timed  # noqa: E402 - sibling module of the benchmark scripts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--c", type=int, default=3, help="servers (responders) (default 3)")
    p.add_argument("--rho", type=float, default=0.7, help="utilisation lambda / (c mu) (default 0.7)")
    p.add_argument("--days", type=float, default=60.0,
                   help="simulated days of arrivals (default 60, ~6,000 calls at the defaults)")
    p.add_argument("--repeats", type=int, default=9, help="timed repeats (default 9)")
    p.add_argument("--seed", type=int, default=2024, help="seed of the call draws (repeat k: seed + k)")
    args = p.parse_args(argv)
    if args.c < 1 or args.repeats < 1:
        p.error("--c and --repeats must be >= 1")
    if not 0.0 < args.rho < 1.0:
        p.error("--rho must be in (0, 1) for a stable queue")
    if args.days <= 0:
        p.error("--days must be > 0")
    return args


# ---------------------------------------------------------------- the M/M/c set-up of the service
def theory_rules(on_scene_mean: float) -> EmergencyConfig:
    """Emergency rules reduced to queueing theory: the on-scene time is the whole service."""
    zero = Dist("deterministic", 0.0)
    return replace(EmergencyConfig(), handling=zero, dispatch=zero, access=zero,
                   travel_noise=Dist("deterministic", 1.0),
                   on_scene=Dist("exponential", on_scene_mean),
                   escalate_fall=0.0, escalate_illness=0.0)


def one_village_county() -> County:
    """One village, zero travel inside it."""
    return generate_county(CountyConfig(townships=1, villages=1, service_points=0, canteens=0,
                                        travel=TravelConfig(intra_village_km=0.0)))


def poisson_calls(rng: np.random.Generator, rate_per_day: float, days: float) -> np.ndarray:
    """Poisson call times in one village, exponential on-scene times, every other duration 0."""
    n = rng.poisson(rate_per_day * days)
    calls = np.zeros(n, dtype=CALLS_DTYPE)
    calls["call_day"] = np.sort(rng.uniform(0.0, days, n))
    calls["onset_day"] = calls["call_day"]
    calls["elder"] = np.arange(n)
    calls["kind"] = 1                      # illness
    calls["living"] = 3                    # with family
    calls["travel_noise"] = 1.0
    calls["on_scene_min"] = rng.exponential(SERVICE_MIN, n)
    return calls


def run_ours(county: County, rules: EmergencyConfig, units: Responders, calls: np.ndarray,
             horizon: float) -> np.ndarray:
    """(A) the emergency service as the contention stage drives it; returns waits (min)."""
    env = simpy.Environment()
    records = Records()
    service = EmergencyService(env, rules, units, county.travel["car"][:, hospital_village(county)],
                               county.villages.township, calls, records, horizon)
    env.run(until=horizon)
    service.finish()
    rec = records.arrays()["emergency"]
    return np.where(np.isin(rec["status"], (ANSWERED, QUEUED)), rec["wait_min"], np.nan)


def run_bare(c: int, calls: np.ndarray, horizon: float) -> np.ndarray:
    """(B) bare SimPy M/M/c on the same arrivals and service times; returns waits (min)."""
    arrivals = calls["call_day"].tolist()
    service = (calls["on_scene_min"] / MIN_PER_DAY).tolist()
    waits = np.full(len(arrivals), np.nan)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=c)

    def customer(i: int):
        t0 = env.now
        req = server.request()
        yield req
        waits[i] = (env.now - t0) * MIN_PER_DAY
        yield env.timeout(service[i])
        server.release(req)

    def source():
        for i, t in enumerate(arrivals):
            yield env.timeout(t - env.now)
            env.process(customer(i))

    env.process(source())
    env.run(until=horizon)
    return waits


def ciw_version() -> str | None:
    """Ciw's version, or None when it is not installed (then (C) is skipped)."""
    try:
        import ciw
    except ImportError:
        return None
    return getattr(ciw, "__version__", "?")


def run_ciw(c: int, lam: float, mu: float, minutes: float, seed: int) -> np.ndarray:
    """(C) Ciw's M/M/c over ``minutes`` of arrivals (rates per minute); waits (min) of served calls.

    Calls still in the system at the end have no record and are not counted.
    """
    import ciw

    network = ciw.create_network(arrival_distributions=[ciw.dists.Exponential(lam)],
                                 service_distributions=[ciw.dists.Exponential(mu)],
                                 number_of_servers=[c])
    ciw.seed(seed)
    q = ciw.Simulation(network)
    q.simulate_until_max_time(minutes)
    return np.array([r.waiting_time for r in q.get_all_records() if r.record_type == "service"])


def run_hill(scenario: Scenario) -> tuple[float, float, int]:
    """(H) seconds of demand_stage and contention_stage, and the emergency records' length."""
    gc.collect()
    t0 = time.perf_counter()
    dem = demand_stage(scenario, 0)
    t1 = time.perf_counter()
    rec = contention_stage(scenario, dem)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(rec["emergency"])


def ciw_rows(version, rate_c, ratio_c, n_ciw, waits_c, med_a, med_b,
             erlang) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (C) lines (speed, then wait): Ciw's figures, or one line saying it was skipped."""
    if version is None:
        return [("(C) Ciw", "skipped: ciw is not installed (pip install ciw)")], []
    wc = np.concatenate(waits_c)
    per_rep = [float(np.mean(w)) for w in waits_c]
    med_c = statistics.median(rate_c)
    speed = [
        ("(C) Ciw: calls / s", f"{med_c:,.0f}  [{spread(rate_c)}]  ({statistics.median(n_ciw):,.0f} "
                               "served calls per repeat, median; its own draws)"),
        ("(A)/(C) ours / Ciw", f"{statistics.median(ratio_c):.3f}  (median of per-repeat ratios of "
                               f"rates; ratio of medians {med_a / med_c:.3f})"),
        ("(C)/(B) Ciw / bare", f"{med_c / med_b:.3f}  (ratio of medians)"),
    ]
    wait = [("mean wait [min] Ciw", f"{wc.mean():.2f}  (per repeat {min(per_rep):.2f}-"
                                    f"{max(per_rep):.2f}; Ciw / Erlang C {wc.mean() / erlang:.3f})")]
    return speed, wait


def spread(xs: list[float]) -> str:
    return f"{min(xs):,.0f}-{max(xs):,.0f}"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    c, rho, days = args.c, args.rho, args.days
    mu = 1.0 / SERVICE_MIN                 # per minute per server
    lam = rho * c * mu                     # per minute
    horizon = days + DRAIN_DAYS
    rules = theory_rules(SERVICE_MIN)
    county = one_village_county()
    units = build_responders(county,
        [HelperSpec("unit", "", "every_village", c, "car", 0.0, 24.0, can_transport=False)])
    hill = build_scenario(compose(HILL_OVERRIDES))
    ciw_ver = ciw_version()

    # Warm-up (not timed): first-call costs.
    warm = poisson_calls(np.random.default_rng(args.seed - 1), lam * MIN_PER_DAY, min(days, 5.0))
    run_ours(county, rules, units, warm, min(days, 5.0) + DRAIN_DAYS)
    run_bare(c, warm, min(days, 5.0) + DRAIN_DAYS)
    if ciw_ver:
        run_ciw(c, lam, mu, min(days, 5.0) * MIN_PER_DAY, args.seed - 1)
    run_hill(hill)

    rate_a, rate_b, ratio, rate_h, rate_hs = [], [], [], [], []
    rate_c, ratio_c, n_ciw = [], [], []
    waits_a, waits_b, waits_c = [], [], []
    n_calls, n_unserved, max_diff, hill_calls = [], 0, 0.0, set()
    for k in range(args.repeats):
        calls = poisson_calls(np.random.default_rng(args.seed + k), lam * MIN_PER_DAY, days)
        n = len(calls)
        results = {}
        order = ("A", "B", "C", "H") if k % 2 == 0 else ("H", "C", "B", "A")
        for which in order:
            if which == "A":
                results["A"] = timed(run_ours, county, rules, units, calls, horizon)
            elif which == "B":
                results["B"] = timed(run_bare, c, calls, horizon)
            elif which == "C":
                if ciw_ver:
                    results["C"] = timed(run_ciw, c, lam, mu, days * MIN_PER_DAY, args.seed + k)
            else:
                results["H"] = run_hill(hill)
        (ta, wa), (tb, wb) = results["A"], results["B"]
        td, tc, nh = results["H"]
        rate_a.append(n / ta)
        rate_b.append(n / tb)
        ratio.append(tb / ta)              # (n / ta) / (n / tb): ours / bare, same calls
        if ciw_ver:
            tcw, wc = results["C"]
            rate_c.append(len(wc) / tcw)
            ratio_c.append(rate_a[-1] / rate_c[-1])   # different calls: a ratio of rates
            n_ciw.append(len(wc))
            waits_c.append(wc)
        rate_h.append(nh / (td + tc))
        rate_hs.append(nh / tc)
        hill_calls.add(nh)
        n_calls.append(n)
        n_unserved += int(np.isnan(wa).sum() + np.isnan(wb).sum())
        both = ~np.isnan(wa) & ~np.isnan(wb)
        if both.any():
            max_diff = max(max_diff, float(np.abs(wa[both] - wb[both]).max()))
        waits_a.append(wa)
        waits_b.append(wb)

    wa, wb = np.concatenate(waits_a), np.concatenate(waits_b)
    erlang = mmc_mean_wait(c, lam, mu)
    per_rep_a = [float(np.nanmean(w)) for w in waits_a]
    med_a, med_b = statistics.median(rate_a), statistics.median(rate_b)
    med_h, med_hs = statistics.median(rate_h), statistics.median(rate_hs)
    ciw_speed, ciw_wait = ciw_rows(ciw_ver, rate_c, ratio_c, n_ciw, waits_c, med_a, med_b, erlang)
    rows = [
        ("machine", f"{platform.machine()} {platform.python_implementation()} "
                    f"{platform.python_version()}"),
        ("os.cpu_count()", f"{os.cpu_count()}"),
        ("numpy / simpy / ciw", f"{np.__version__} / {simpy.__version__} / "
                                f"{ciw_ver or 'not installed'}"),
        ("M/M/c", f"c={c}, rho={rho:g}, mean service {SERVICE_MIN:g} min, "
                  f"lambda={lam * MIN_PER_DAY:.1f}/day"),
        ("simulated", f"{days:g} days of arrivals (+{DRAIN_DAYS:g} to drain), "
                      f"{statistics.median(n_calls):,.0f} calls per repeat (median)"),
        ("repeats", f"{args.repeats}, order alternating A B C H / H C B A "
                    "(median; min-max in brackets)"),
        ("(A) ours: calls / s", f"{med_a:,.0f}  [{spread(rate_a)}]"),
        ("(B) bare SimPy: calls / s", f"{med_b:,.0f}  [{spread(rate_b)}]"),
        ("(A)/(B) ours / bare", f"{statistics.median(ratio):.3f}  (median of per-repeat ratios; "
                                f"ratio of medians {med_a / med_b:.3f})"),
        *ciw_speed,
        ("mean wait [min] ours", f"{np.nanmean(wa):.2f}  (per repeat {min(per_rep_a):.2f}-"
                                 f"{max(per_rep_a):.2f})"),
        ("mean wait [min] bare", f"{np.nanmean(wb):.2f}"),
        *ciw_wait,
        ("mean wait [min] Erlang C", f"{erlang:.2f}  (ours / Erlang C {np.nanmean(wa) / erlang:.3f})"),
        ("max |wait ours - bare| [min]", f"{max_diff:.2e}  (same calls: should be ~0)"),
        ("calls unserved at horizon", f"{n_unserved}"),
        ("(H) hill county pipeline", f"{len(hill.responders)} units, "
                                     f"{'/'.join(f'{x:,}' for x in sorted(hill_calls))} calls in "
                                     f"{hill.horizon_days:.0f} days, replication 0"),
        ("(H) calls / s, whole pipeline", f"{med_h:,.0f}  [{spread(rate_h)}]  "
                                          "(demand_stage + contention_stage)"),
        ("(H) calls / s, SimPy stage", f"{med_hs:,.0f}  [{spread(rate_hs)}]  (contention_stage only, "
                                       "with the population clock)"),
        ("(H) SimPy stage / (B) bare", f"{med_hs / med_b:.3f}  (ratio of medians)"),
    ]
    print_table("bench_emergency: emergency service vs bare SimPy and Ciw M/M/c, "
                "and the hill county pipeline", rows, 50)


if __name__ == "__main__":
    main()
