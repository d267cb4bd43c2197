"""Benchmark: the population stages of one replication at county scale.

    python experiments/benchmarks/bench_population.py [--repeats 5] [--years 10]
        [--elders-scale 1.0] [--replication 0] [hydra overrides ...]

Builds the default hill county (~21,700 elders) with ``run.horizon_days`` set
to ``--years`` x 365 days, then times, over ``--repeats`` repeats of the same
replication (median reported, min-max shown):

(a) the demand stage alone: ``initial_elders`` + ``simulate`` over every month;
(b) a whole ``run_replication(scenario, r)``: demand + SimPy population clock;
(c) ``simulate_contention`` alone on the trajectory of (a), i.e. the SimPy stage,
    and its share of (b).

Elder-months = sum over months of ``alive_start`` (trajectory.monthly).  The
script prints figures, not pass/fail; they depend on the machine, so compare
ratios measured within one run (or runs on the same machine).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time

import numpy as np
import simpy

from sim.experiment.app import compose
from sim.experiment.replication import run_replication
from sim.experiment.scenario import Scenario, build_scenario
from sim.model import simulate_contention
from sim.population import initial_elders, simulate
from sim.population.dynamics import Trajectory
from sim.streams import Streams


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


def demand(scenario: Scenario, replication: int) -> Trajectory:
    """The demand stage exactly as `run_replication` runs it (same named streams)."""
    cfg = scenario.config
    streams = Streams(cfg.run.seed, replication)
    county = scenario.plan.county
    elders = initial_elders(county.villages.elders, cfg.population, scenario.cohort,
                            streams("population.init"))
    inflow = county.villages.elders.sum(axis=1) * cfg.population.inflow_per_year / 12.0
    return simulate(elders, scenario.demography, cfg.population, scenario.months, inflow,
                    streams("population.dynamics"), streams("population.inflow"),
                    streams("population.timing"))


def timed(fn, *args):
    gc.collect()
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def spread(xs: list[float]) -> str:
    return f"{min(xs):.3f}-{max(xs):.3f}"


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
    ref = demand(scenario, r)
    simulate_contention(ref, scenario.horizon_days)
    elder_months = int(ref.monthly["alive_start"].sum())
    n_events = len(ref.events)

    t_demand, t_simpy, t_rep = [], [], []
    for _ in range(args.repeats):
        dt, traj = timed(demand, scenario, r)
        t_demand.append(dt)
        dt, _ = timed(simulate_contention, traj, scenario.horizon_days)
        t_simpy.append(dt)
        dt, rec = timed(run_replication, scenario, r)
        t_rep.append(dt)
        # Same replication, same streams: every run must simulate the same population.
        if not (np.array_equal(traj.monthly, ref.monthly)
                and np.array_equal(rec["population_monthly"], ref.monthly)):
            print("warning: trajectories differ between repeats of the same replication "
                  "(the demand stage is not reproducible)", file=sys.stderr)
        del traj, rec

    med_d, med_s, med_r = (statistics.median(x) for x in (t_demand, t_simpy, t_rep))
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
        ("repeats", f"{args.repeats} (median; min-max in brackets)"),
        ("compose + build_scenario [s]", f"{t_build:.3f} (once)"),
        ("(a) demand stage [s]", f"{med_d:.3f}  [{spread(t_demand)}]"),
        ("(a) elder-months / s", f"{elder_months / med_d:,.0f}"),
        ("(b) run_replication [s]", f"{med_r:.3f}  [{spread(t_rep)}]"),
        ("(b) elder-months / s", f"{elder_months / med_r:,.0f}"),
        ("(b) s / replication-year", f"{med_r / years:.4f}"),
        ("(c) SimPy stage alone [s]", f"{med_s:.3f}  [{spread(t_simpy)}]"),
        ("(c) SimPy share of (b)", f"{med_s / med_r:.1%}"),
        ("(c) events / s in SimPy", f"{n_events / med_s:,.0f}"),
        ("(a)+(c) vs (b)", f"{(med_d + med_s) / med_r:.2f} (1.00 = stages account for all)"),
    ]
    width = max(len(k) for k, _ in rows)
    print("bench_population: demand (NumPy) and SimPy population clock")
    print("-" * (width + 40))
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print("-" * (width + 40))
    print("Figures are machine-dependent: compare ratios measured in one run.")


if __name__ == "__main__":
    main()
