"""Benchmark: the two stages of one replication at county scale.

    python experiments/benchmarks/bench_population.py [--repeats 5] [--years 10]
        [--elders-scale 1.0] [--replication 0] [hydra overrides ...]

Builds the default hill county (~21,700 elders) with ``run.horizon_days`` set
to ``--years`` x 365 days, then times, over ``--repeats`` repeats of the same
replication (median reported, min-max shown):

(a) ``demand_stage(scenario, r)``: the NumPy stage (population trajectory and every
    demand stream: emergencies, beds, visits, meals, home care);
(b) ``contention_stage(scenario, demand)`` on the demand of (a): the SimPy
    stage (emergencies, beds, helpers on home care, meal rounds and visits);
(c) ``run_replication(scenario, r)``: both stages, as a run executes them;

and reports elder-months / s, wall seconds per replication-year and the share
of a replication spent in SimPy (b) versus NumPy (a).  One more, profiled pass
of (b) (cProfile, so slower) splits the contention stage by where the time
goes: SimPy's event loop (functions in ``simpy``), NumPy (functions in
``numpy`` and NumPy's C methods: the planning kernels helpers and canteens run
inside SimPy processes) and the model's own Python code.

Every service is on: run it with ``policy=[canteens,emergency_15min]`` to add
canteens with delivery and coordinators who visit and answer calls.

Elder-months = sum over months of ``alive_start`` (``demand.trajectory.monthly``).
The script prints figures, not pass/fail; they depend on the machine, so
compare ratios measured within one run (or runs on the same machine).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import statistics
import sys

import numpy as np
import simpy
from _common import print_table, timed, timed_cpu  # noqa: E402 - sibling module of the benchmark scripts

from sim.experiment.app import compose
from sim.experiment.replication import contention_stage, demand_stage, run_replication
from sim.experiment.scenario import Scenario, build_scenario
from sim.model import Demand


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=5, help="timed repeats per stage (default 5)")
    p.add_argument("--years", type=float, default=10.0,
                   help="simulated years; horizon_days = years x 365 (default 10 = 120 months)")
    p.add_argument("--elders-scale", type=float, default=1.0,
                   help="multiply county.residents_per_village (and so the elders) by this")
    p.add_argument("--replication", type=int, default=0,
                   help="replication index timed in every repeat (default 0)")
    p.add_argument("overrides", nargs="*",
                   help="extra Hydra overrides, e.g. county=plain (applied before the benchmark's)")
    args = p.parse_args(argv)
    if args.repeats < 1:
        p.error("--repeats must be >= 1")
    if args.years <= 0 or args.elders_scale <= 0:
        p.error("--years and --elders-scale must be > 0")
    return args


def build(args: argparse.Namespace) -> Scenario:
    """Compose the config with the benchmark's overrides and build the scenario once."""
    horizon = [f"run.horizon_days={max(30, round(args.years * 365))}"]
    cfg = compose(args.overrides + horizon)
    if args.elders_scale != 1.0:
        rpv = float(cfg.county.residents_per_village) * args.elders_scale
        cfg = compose(args.overrides + horizon + [f"county.residents_per_village={rpv!r}"])
    return build_scenario(cfg)


def spread(xs: list[float]) -> str:
    return f"{min(xs):.3f}-{max(xs):.3f}"


def same_demand(a: Demand, b: Demand) -> bool:
    return (np.array_equal(a.trajectory.monthly, b.trajectory.monthly)
            and np.array_equal(a.trajectory.events, b.trajectory.events)
            and np.array_equal(a.emergency_calls, b.emergency_calls))


def same_records(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)


def _equal(x: np.ndarray, y: np.ndarray) -> bool:
    """Arrays equal (field by field if structured), NaN equal to NaN (e.g. unanswered calls)."""
    if x.dtype != y.dtype or x.shape != y.shape:
        return False
    if x.dtype.names is None:
        return np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
    return all(_equal(x[f], y[f]) for f in x.dtype.names)


def profile_split(scenario: Scenario, demand: Demand) -> dict[str, float]:
    """Seconds of own time (cProfile ``tottime``) in SimPy, in NumPy and in the rest."""
    prof = cProfile.Profile()
    prof.runcall(contention_stage, scenario, demand)
    out = {"simpy": 0.0, "numpy": 0.0, "other": 0.0}
    for (filename, _, name), (_, _, own, _, _) in pstats.Stats(prof).stats.items():
        if "/simpy/" in filename:
            out["simpy"] += own
        elif "numpy" in filename or "numpy" in name:
            out["numpy"] += own
        else:
            out["other"] += own
    return out


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    r = args.replication

    t_build, scenario = timed(build, args)
    months = scenario.months
    years = months / 12.0
    n_start = int(scenario.plan.county.villages.elders.sum())
    n_villages = len(scenario.plan.county.villages.elders)
    county = scenario.config.county

    # Warm-up (not timed): first-call costs (imports, allocator, caches).
    ref = demand_stage(scenario, r)
    ref_rec = contention_stage(scenario, ref)
    elder_months = int(ref.trajectory.monthly["alive_start"].sum())
    n_events = len(ref.trajectory.events)
    n_calls = len(ref_rec["emergency"])
    n_units = len(scenario.responders)

    t_demand, t_simpy, t_rep = [], [], []
    c_demand, c_simpy, c_rep = [], [], []
    reproducible = True
    for _ in range(args.repeats):
        dt, ct, dem = timed_cpu(demand_stage, scenario, r)
        t_demand.append(dt)
        c_demand.append(ct)
        dt, ct, rec_b = timed_cpu(contention_stage, scenario, dem)
        t_simpy.append(dt)
        c_simpy.append(ct)
        dt, ct, rec_c = timed_cpu(run_replication, scenario, r)
        t_rep.append(dt)
        c_rep.append(ct)
        # Same replication, same streams: every repeat must simulate the same thing.
        reproducible &= (same_demand(dem, ref) and same_records(rec_b, ref_rec)
                         and same_records(rec_c, ref_rec))
        del dem, rec_b, rec_c
    if not reproducible:
        print("warning: results differ between repeats of the same replication "
              "(a stage is not reproducible)", file=sys.stderr)

    med_a, med_b, med_c = (statistics.median(x) for x in (t_demand, t_simpy, t_rep))
    cpu_a, cpu_b, cpu_c = (statistics.median(x) for x in (c_demand, c_simpy, c_rep))
    split = profile_split(scenario, ref)
    total = sum(split.values())
    n_meals = int(ref_rec["meals"]["demanded"].sum())
    n_jobs = len(ref_rec["helper_jobs"])
    both = med_a + med_b
    rows = [
        ("machine", f"{platform.machine()} {platform.python_implementation()} "
                    f"{platform.python_version()}"),
        ("os.cpu_count()", f"{os.cpu_count()}"),
        ("numpy / simpy", f"{np.__version__} / {simpy.__version__}"),
        ("county", f"{county.name}, {n_villages} villages, "
                   f"residents_per_village={county.residents_per_village:g}"),
        ("elders at start", f"{n_start:,}"),
        ("months simulated", f"{months} ({years:g} y), replication {r}"),
        ("elder-months", f"{elder_months:,}"),
        ("population events", f"{n_events:,}"),
        ("policy", scenario.config.policy.label()),
        ("emergency calls", f"{n_calls:,} (helper units: {n_units})"),
        ("meal wishes / helper jobs", f"{n_meals:,} / {n_jobs:,}"),
        ("repeats", f"{args.repeats} (median; min-max in brackets)"),
        ("compose + build_scenario [s]", f"{t_build:.3f} (once)"),
        ("(a) demand_stage [s]", f"{med_a:.3f}  [{spread(t_demand)}]"),
        ("(a) elder-months / s", f"{elder_months / med_a:,.0f}"),
        ("(a) s / replication-year", f"{med_a / years:.4f}"),
        ("(b) contention_stage [s]", f"{med_b:.3f}  [{spread(t_simpy)}]"),
        ("(b) elder-months / s", f"{elder_months / med_b:,.0f}"),
        ("(b) s / replication-year", f"{med_b / years:.4f}"),
        ("(b) events + calls / s", f"{(n_events + n_calls) / med_b:,.0f}"),
        ("(c) run_replication [s]", f"{med_c:.3f}  [{spread(t_rep)}]"),
        ("(c) elder-months / s", f"{elder_months / med_c:,.0f}"),
        ("(c) s / replication-year", f"{med_c / years:.4f}"),
        ("SimPy share (b) / ((a)+(b))", f"{med_b / both:.1%}"),
        ("NumPy share (a) / ((a)+(b))", f"{med_a / both:.1%}"),
        ("SimPy / NumPy (b) / (a)", f"{med_b / med_a:.2f}"),
        ("(a)+(b) vs (c)", f"{both / med_c:.2f} (1.00 = stages account for all)"),
        ("CPU [s] (a) / (b) / (c)", f"{cpu_a:.3f} / {cpu_b:.3f} / {cpu_c:.3f}  "
                                    f"[(b) {spread(c_simpy)}]"),
        ("CPU s / replication-year (c)", f"{cpu_c / years:.4f}"),
        ("CPU (b) / (a)", f"{cpu_b / cpu_a:.2f}"),
        ("(b) profiled: SimPy event loop", f"{split['simpy'] / total:.1%}"),
        ("(b) profiled: NumPy inside SimPy", f"{split['numpy'] / total:.1%}"),
        ("(b) profiled: model Python code", f"{split['other'] / total:.1%}"),
    ]
    print_table("bench_population: demand stage (NumPy) and contention stage (SimPy)", rows, 40)


if __name__ == "__main__":
    main()
