"""Benchmark: speed-up of a run from 1 to 2 worker processes.

    python experiments/benchmarks/bench_workers.py [--repeats 3] [--replications 8]
        [--years 1] [hydra overrides ...]

Runs ``sim.experiment.execute.execute(cfg)`` on the hill county (default
config, ``report=none``, no output directory) with ``run.workers=1`` (A) and
``run.workers=2`` (B), alternately A B, B A, A B ... for ``--repeats``
rounds, and reports the median wall time of each, the speed-up A / B and the
parallel efficiency (speed-up / 2).  One untimed round first pays the one-off
costs (imports, the loky process pool) and is shown apart.
Every run's ``runs`` frame (one row of KPIs per replication) is checked equal
to the first one: a replication depends only on (seed, index), so the number
of workers must not change any result.  Figures depend on the machine (2
workers need 2 free cores): compare the ratios measured within one run.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import simpy
from _common import print_table  # noqa: E402 - sibling module of the benchmark scripts

from sim.experiment.app import compose
from sim.experiment.execute import execute
from sim.experiment.runner import effective_workers


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=3,
                   help="timed rounds, each one run with 1 worker and one with 2 (default 3)")
    p.add_argument("--replications", type=int, default=8, help="replications per run (default 8)")
    p.add_argument("--years", type=float, default=1.0,
                   help="simulated years; horizon_days = years x 365 (default 1)")
    p.add_argument("overrides", nargs="*",
                   help="extra Hydra overrides, e.g. policy=[emergency_15min] "
                        "(applied before the benchmark's)")
    args = p.parse_args(argv)
    if args.repeats < 1 or args.replications < 1:
        p.error("--repeats and --replications must be >= 1")
    if args.years <= 0:
        p.error("--years must be > 0")
    return args


def timed_execute(cfg):
    gc.collect()
    t0 = time.perf_counter()
    results = execute(cfg)
    return time.perf_counter() - t0, results


def import_seconds() -> float:
    """Wall time of a fresh interpreter importing what a pool worker imports (best of 3)."""
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sim.experiment.runner"], check=True)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    load = os.getloadavg()
    base = args.overrides + ["report=none", f"run.replications={args.replications}",
                             f"run.horizon_days={max(30, round(args.years * 365))}"]
    cfgs = {w: compose(base + [f"run.workers={w}"]) for w in (1, 2)}

    # Untimed round: imports, first-call costs and the loky pool (started once per process).
    cold, first = {}, {}
    for w in (1, 2):
        cold[w], first[w] = timed_execute(cfgs[w])
    ref = first[1].runs                 # every later run is compared with the 1-worker one
    manifest = first[1].manifest
    identical, ratios = first[2].runs.equals(ref), []
    del first

    times: dict[int, list[float]] = {1: [], 2: []}
    for k in range(args.repeats):
        order = (1, 2) if k % 2 == 0 else (2, 1)
        for w in order:
            dt, results = timed_execute(cfgs[w])
            times[w].append(dt)
            identical &= results.runs.equals(ref)
            del results
        ratios.append(times[1][-1] / times[2][-1])
    t_import = import_seconds()
    med1, med2 = statistics.median(times[1]), statistics.median(times[2])
    speedup = statistics.median(ratios)
    reps = args.replications
    rows = [
        ("machine", f"{platform.machine()} {platform.python_implementation()} "
                    f"{platform.python_version()}"),
        ("os.cpu_count()", f"{os.cpu_count()}"),
        ("load average at start", f"{load[0]:.2f} (1 min), {load[1]:.2f} (5 min) before the first "
                                  "run (1.0 = one core kept busy by other work)"),
        ("numpy / pandas / simpy", f"{np.__version__} / {pd.__version__} / {simpy.__version__}"),
        ("scenario", f"{manifest['scenario']['county']} ({manifest['county']['elders']:,} elders, "
                     f"{manifest['county']['villages']} villages), policy "
                     f"{manifest['scenario']['policy']}"),
        ("run", f"{reps} replications x {manifest['months_simulated']} months, "
                f"backend {manifest['backend']}, report=none"),
        ("processes used", f"A: {effective_workers(1, reps)}, B: {effective_workers(2, reps)} "
                           "(run.workers=1 / 2)"),
        ("repeats", f"{args.repeats}, order alternating A B / B A (median; min-max in brackets)"),
        ("cold run [s] A / B", f"{cold[1]:.2f} / {cold[2]:.2f}  (untimed round: imports, pool start)"),
        ("(A) 1 worker [s]", f"{med1:.2f}  [{min(times[1]):.2f}-{max(times[1]):.2f}]"),
        ("(B) 2 workers [s]", f"{med2:.2f}  [{min(times[2]):.2f}-{max(times[2]):.2f}]"),
        ("(A) s / replication", f"{med1 / reps:.3f}"),
        ("(B) s / replication", f"{med2 / reps:.3f}"),
        ("speed-up (A)/(B)", f"{speedup:.2f}x  (median of per-round ratios; ratio of medians "
                             f"{med1 / med2:.2f}x; ideal 2.00x)"),
        ("parallel efficiency", f"{speedup / 2:.0%}  (speed-up / 2)"),
        ("worker start-up (import) [s]", f"{t_import:.2f}  (python -c 'import sim.experiment.runner', "
                                         "best of 3; paid by every pool worker)"),
        ("results identical", (f"yes: all {2 * (args.repeats + 1)} runs frames equal "
                               f"({len(ref)} rows x {ref.shape[1]} columns)") if identical
                              else "NO: runs frames differ between runs (1 vs 2 workers)"),
    ]
    print_table("bench_workers: execute() with 1 vs 2 worker processes", rows, 50)


if __name__ == "__main__":
    main()
