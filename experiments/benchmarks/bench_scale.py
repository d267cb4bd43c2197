"""Benchmark: seconds per replication-year and peak memory as the county grows.

    python experiments/benchmarks/bench_scale.py [--sizes 20k,100k,500k] [--years 1]
        [--repeats 3] [--timeout 600]

Counties of about 20,000, 100,000 and 500,000 elders with every current
service on (``policy=[emergency_15min,consolidation,canteens,time_bank]``): the hill county
(84 villages, ~21,700 elders) scaled by ``county.villages`` at the same
residents per village, with ``county.area_km2``, ``county.townships``,
``county.service_points`` and ``county.canteens`` scaled in proportion (so
density and the share of villages with a service point stay the same).

Each size runs in a fresh subprocess (``--one SIZE``, which prints one JSON
line) so that its peak RSS (``resource.getrusage(RUSAGE_SELF).ru_maxrss``)
belongs to that size alone.  In it, after an untimed warm-up on the default
hill county over one month, it times ``compose`` + ``build_scenario`` once,
then ``demand_stage(scenario, 0)`` (NumPy) and ``contention_stage(scenario,
demand)`` (SimPy), ``--repeats`` times each on the same replication (median).
The parent prints the figures side by side and checks the peak RSS of the
~500,000-elder county against 4 GiB; a size still running after ``--timeout``
seconds is stopped and reported without figures.

The travel matrices are villages x villages per mode (walk, e-bike, car: 2,000
villages -> 3 x 32 MB, plus one of road km), and the responders keep a units x
villages matrix of minutes.  Services scale with the elders (k = villages / 84):
per-village helpers by construction, township teams and home-care workers with
the townships, couriers with the canteens, the 120 station's ambulances (2 x k,
``policy.emergency.extra_ambulances``) and the nursing homes (one per township,
copied from the preset's township t mod 8, and a county home k times as large).
Figures depend on the machine: compare ratios measured within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

# Preset sizes: name -> villages.  84 villages = the hill county (~21,700 elders).
PRESETS = {"20k": 84, "100k": 400, "500k": 2000}
BASE = {"villages": 84, "area_km2": 700.0, "townships": 8, "service_points": 40, "canteens": 10}
POLICY = "policy=[emergency_15min,consolidation,canteens,time_bank]"
RSS_LIMIT = 4 * 1024**3          # bytes: the budget of the largest county
LIMIT_FROM_ELDERS = 450_000      # sizes with at least this many elders are checked against it


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="20k,100k,500k",
                   help="comma-separated sizes: 20k, 100k, 500k (84, 400, 2,000 villages) or a "
                        "number of villages, e.g. 1000 (default 20k,100k,500k)")
    p.add_argument("--years", type=float, default=1.0,
                   help="simulated years; horizon_days = years x 365 (default 1)")
    p.add_argument("--repeats", type=int, default=3,
                   help="timed repeats of the two stages per size; the median is reported (default 3)")
    p.add_argument("--timeout", type=float, default=600.0,
                   help="seconds allowed per size (its subprocess); 0 = no limit (default 600)")
    p.add_argument("--one", metavar="SIZE", help=argparse.SUPPRESS)   # child: one size, JSON out
    args = p.parse_args(argv)
    if args.years <= 0:
        p.error("--years must be > 0")
    if args.repeats < 1:
        p.error("--repeats must be >= 1")
    if args.timeout < 0:
        p.error("--timeout must be >= 0")
    try:
        args.size_list = [s.strip() for s in (args.one or args.sizes).split(",") if s.strip()]
        for s in args.size_list:
            villages_of(s)
    except ValueError as exc:
        p.error(str(exc))
    if not args.size_list:
        p.error("--sizes is empty")
    return args


def villages_of(size: str) -> int:
    if size in PRESETS:
        return PRESETS[size]
    if size.isdigit() and int(size) >= 1:
        return int(size)
    raise ValueError(f"size {size!r}: expected one of {', '.join(PRESETS)} or a number of villages")


# The hill preset's nursing homes (configs/county/hill.yaml): the county home, then one home per
# township 0-7 as (beds, nursing beds, staff).  A scaled county gets one home per township, copied
# from township t mod 8, and a county home k times as large.
COUNTY_HOME = (80, 80, 20)
TOWNSHIP_HOMES = [(60, 12, 5), (50, 10, 4), (45, 8, 4), (40, 6, 3), (40, 6, 3), (35, 4, 3), (30, 4, 2),
                  (30, 0, 2)]
AMBULANCES = 2                   # the hill county's 120 station (configs/services/default.yaml)


def nursing_homes(townships: int, k: float) -> str:
    """``county.nursing_homes`` for a county ``k`` times the hill county with ``townships``."""
    beds, nursing, staff = (max(1, round(x * k)) for x in COUNTY_HOME)
    homes = [f"{{name:County_home,kind:county_home,township:-1,beds:{beds},nursing_beds:{nursing},"
             f"staff:{staff}}}"]
    for t in range(townships):
        b, n, st = TOWNSHIP_HOMES[t % len(TOWNSHIP_HOMES)]
        homes.append(f"{{name:Township_{t + 1}_home,kind:township_home,township:{t},beds:{b},"
                     f"nursing_beds:{n},staff:{st}}}")
    return "county.nursing_homes=[" + ",".join(homes) + "]"


def overrides(villages: int, years: float) -> list[str]:
    """The hill county scaled to ``villages``, every service on, ``years`` simulated.

    Everything that serves elders scales with them: per-village helpers (village doctors
    at clinics, cadres, coordinators) by construction, township teams and home-care
    workers with the townships, couriers and home-care bases with the service points and
    canteens, the county 120 station's ambulances (``policy.emergency.extra_ambulances``)
    and the nursing homes (one per township, the county home k times as large)."""
    k = villages / BASE["villages"]
    service_points = min(villages, round(BASE["service_points"] * k))
    # never fewer than the preset's 8: its nursing homes name townships 0-7
    townships = min(villages, max(BASE["townships"], round(BASE["townships"] * k)))
    out = [
        POLICY,
        f"run.horizon_days={max(30, round(years * 365))}",
        f"county.villages={villages}",
        f"county.area_km2={BASE['area_km2'] * k:.1f}",
        f"county.townships={townships}",
        f"county.service_points={service_points}",
        f"county.canteens={min(service_points, round(BASE['canteens'] * k))}",
        f"policy.emergency.extra_ambulances={max(0, round(AMBULANCES * k) - AMBULANCES)}",
    ]
    if villages != BASE["villages"]:
        out.append(nursing_homes(townships, k))
    return out


def max_rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss: KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024


# ---------------------------------------------------------------- child: one size
def run_one(size: str, years: float, repeats: int) -> dict:
    import gc

    import numpy as np

    from sim.experiment.app import compose
    from sim.experiment.replication import contention_stage, demand_stage
    from sim.experiment.scenario import build_scenario
    from sim.model.emergency import ANSWERED, QUEUED

    # Warm-up (not timed): imports, allocator, first-call costs, on a one-month hill county.
    warm = build_scenario(compose([POLICY, "run.horizon_days=30"]))
    contention_stage(warm, demand_stage(warm, 0))
    del warm
    gc.collect()
    rss_base = max_rss_bytes()

    villages = villages_of(size)
    t0 = time.perf_counter()
    scenario = build_scenario(compose(overrides(villages, years)))
    t_build = time.perf_counter() - t0
    t_demand, t_contention, c_demand, c_contention = [], [], [], []
    demand = records = None
    for _ in range(repeats):           # the same replication every repeat: the same work
        demand = records = None        # free the previous repeat's before timing the next
        gc.collect()
        t1, c1 = time.perf_counter(), time.process_time()
        demand = demand_stage(scenario, 0)
        t2, c2 = time.perf_counter(), time.process_time()
        records = contention_stage(scenario, demand)
        t3, c3 = time.perf_counter(), time.process_time()
        t_demand.append(t2 - t1)
        t_contention.append(t3 - t2)
        c_demand.append(c2 - c1)       # CPU time: moves far less than the wall time on a shared machine
        c_contention.append(c3 - c2)
    rss_peak = max_rss_bytes()

    county = scenario.plan.county
    calls = records["emergency"]
    units = scenario.responders
    # Escalated calls reached by a unit that cannot transport, whose ambulance never came.
    reached = np.isin(calls["status"], (ANSWERED, QUEUED))
    first_cannot = np.zeros(len(calls), bool)
    first_cannot[reached] = ~units.can_transport[calls["responder"][reached]]
    escalated = calls["escalate"].astype(bool) & reached
    stranded = escalated & first_cannot & np.isnan(calls["transport_wait_min"])
    return {
        "size": size,
        "villages": int(len(county.villages.elders)),
        "townships": int(scenario.config.county.townships),
        "area_km2": float(scenario.config.county.area_km2),
        "elders": int(county.villages.elders.sum()),
        "months": int(scenario.months),
        "calls": int(len(calls)),
        "units": int(len(units)),
        "ambulances": int(units.can_transport.sum()),
        "escalated": int(escalated.sum()),
        "stranded": int(stranded.sum()),
        "elder_months": int(demand.trajectory.monthly["alive_start"].sum()),
        "events": int(len(demand.trajectory.events)),
        "travel_bytes": int(sum(m.nbytes for m in scenario.county.travel.minutes.values())),
        "road_bytes": int(scenario.county.travel.road_km.nbytes),
        "units_bytes": int(units.minutes_to.nbytes),
        "t_build": t_build,
        "t_demand_all": t_demand,
        "t_contention_all": t_contention,
        "t_demand": statistics.median(t_demand),
        "t_contention": statistics.median(t_contention),
        "c_demand_all": c_demand,
        "c_contention_all": c_contention,
        "c_demand": statistics.median(c_demand),
        "c_contention": statistics.median(c_contention),
        "rss_base": rss_base,
        "rss_peak": rss_peak,
    }


def run_child(size: str, years: float, repeats: int, timeout: float) -> dict | None:
    """Run ``--one size`` in a fresh interpreter and parse its JSON line (None: timed out)."""
    cmd = [sys.executable, os.path.abspath(__file__), "--one", size, "--years", repr(years),
           "--repeats", str(repeats)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout or None)
    except subprocess.TimeoutExpired:      # the child is killed; the other sizes still run
        return None
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"bench_scale: size {size} failed (exit {done.returncode})")
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise SystemExit(f"bench_scale: size {size} printed no JSON line:\n{done.stdout}")
    return json.loads(lines[-1])


# ---------------------------------------------------------------- parent: table
def per_call(r: dict) -> float:
    return r["t_contention"] / max(r["calls"], 1)


def spread(xs: list[float]) -> str:
    return f"{min(xs):.2f}-{max(xs):.2f}"


def mib(b: float) -> str:
    return f"{b / 1024**2:,.1f} MiB"


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.size_list[0], args.years, args.repeats)))
        return

    import numpy as np
    import simpy

    t0 = time.perf_counter()
    res, stopped = [], []
    for size in args.size_list:
        print(f"bench_scale: running {size} ({villages_of(size):,} villages) ...",
              file=sys.stderr, flush=True)
        one = run_child(size, args.years, args.repeats, args.timeout)
        (res.append(one) if one is not None else stopped.append(size))
    wall = time.perf_counter() - t0
    if not res:
        raise SystemExit(f"bench_scale: every size ran past --timeout {args.timeout:g} s")

    def row(label, fn):
        return (label, [fn(r) for r in res])

    years = [r["months"] / 12.0 for r in res]
    for r, y in zip(res, years):
        r["years"] = y
        r["t_rep"] = r["t_demand"] + r["t_contention"]
        r["c_rep"] = r["c_demand"] + r["c_contention"]
    rows = [
        row("size", lambda r: r["size"]),
        row("villages / townships", lambda r: f"{r['villages']:,} / {r['townships']:,}"),
        row("area [km2]", lambda r: f"{r['area_km2']:,.0f}"),
        row("elders at start", lambda r: f"{r['elders']:,}"),
        row("months simulated", lambda r: f"{r['months']} ({r['years']:g} y)"),
        row("elder-months", lambda r: f"{r['elder_months']:,}"),
        row("population events", lambda r: f"{r['events']:,}"),
        row("emergency calls", lambda r: f"{r['calls']:,}"),
        row("responder units (ambulances)", lambda r: f"{r['units']:,} ({r['ambulances']})"),
        row("escalations never transported", lambda r: f"{r['stranded']:,} of {r['escalated']:,}"),
        row("compose + build_scenario [s]", lambda r: f"{r['t_build']:.2f}"),
        row("(a) demand_stage [s]", lambda r: f"{r['t_demand']:.2f} [{spread(r['t_demand_all'])}]"),
        row("(b) contention_stage [s]",
            lambda r: f"{r['t_contention']:.2f} [{spread(r['t_contention_all'])}]"),
        row("(a)+(b) s / replication-year", lambda r: f"{r['t_rep'] / r['years']:.2f}"),
        row("(a) s / replication-year", lambda r: f"{r['t_demand'] / r['years']:.2f}"),
        row("(b) s / replication-year", lambda r: f"{r['t_contention'] / r['years']:.2f}"),
        row("SimPy share (b) / ((a)+(b))", lambda r: f"{r['t_contention'] / r['t_rep']:.1%}"),
        row("(b) ms / emergency call", lambda r: f"{1e3 * per_call(r):.3f}"),
        row("CPU [s] (a) / (b)", lambda r: f"{r['c_demand']:.2f} / {r['c_contention']:.2f}"),
        row("CPU (a)+(b) s / replication-year", lambda r: f"{r['c_rep'] / r['years']:.2f}"),
        row("CPU (b) range [s]", lambda r: spread(r["c_contention_all"])),
        row("travel minutes (3 modes)", lambda r: mib(r["travel_bytes"])),
        row("road km matrix", lambda r: mib(r["road_bytes"])),
        row("responders' minutes matrix", lambda r: mib(r["units_bytes"])),
        row("RSS after warm-up", lambda r: mib(r["rss_base"])),
        row("peak RSS", lambda r: mib(r["rss_peak"])),
    ]
    # Growth relative to the first size: how the cost scales with the county.
    first = res[0]
    if len(res) > 1:
        rows += [
            row(f"elders / {first['size']}", lambda r: f"{r['elders'] / first['elders']:.2f}x"),
            row(f"(a) time / {first['size']}", lambda r: f"{r['t_demand'] / first['t_demand']:.2f}x"),
            row(f"(b) time / {first['size']}",
                lambda r: f"{r['t_contention'] / first['t_contention']:.2f}x"),
            row(f"(b) per call / {first['size']}",
                lambda r: f"{per_call(r) / per_call(first):.2f}x"),
            row(f"peak RSS / {first['size']}", lambda r: f"{r['rss_peak'] / first['rss_peak']:.2f}x"),
            row(f"CPU (a)+(b) / {first['size']}", lambda r: f"{r['c_rep'] / first['c_rep']:.2f}x"),
            # at most 1.00: the cost per replication-year grows no faster than the elders
            row("CPU per elder-month, vs first",
                lambda r: f"{(r['c_rep'] / r['elder_months']) / (first['c_rep'] / first['elder_months']):.2f}"),
        ]

    width = max(len(k) for k, _ in rows)
    colw = max(14, *(len(v) for _, vs in rows for v in vs))
    print("bench_scale: seconds per replication-year and peak memory by county size")
    print(f"machine: {platform.machine()} {platform.python_implementation()} "
          f"{platform.python_version()}, os.cpu_count() {os.cpu_count()}, "
          f"numpy {np.__version__}, simpy {simpy.__version__}")
    print(f"config: hill county scaled by villages, {POLICY}, replication 0, "
          "one fresh process per size")
    print(f"repeats: {args.repeats} per size (median; min-max in brackets)")
    line = "-" * (width + 2 + (colw + 2) * len(res))
    print(line)
    for k, vs in rows:
        print(f"{k:<{width}}  " + "  ".join(f"{v:>{colw}}" for v in vs))
    print(line)
    for size in stopped:
        print(f"size {size} ({villages_of(size):,} villages): no figures, stopped after "
              f"--timeout {args.timeout:g} s")
    checked = [r for r in res if r["elders"] >= LIMIT_FROM_ELDERS]
    if checked:
        for r in checked:
            verdict = "PASS" if r["rss_peak"] <= RSS_LIMIT else "OVER"
            print(f"peak RSS of {r['size']} ({r['elders']:,} elders) vs 4 GiB: {verdict} "
                  f"({r['rss_peak'] / RSS_LIMIT:.1%} of 4 GiB)")
    else:
        print(f"peak RSS vs 4 GiB: not checked (no finished size with >= {LIMIT_FROM_ELDERS:,} elders)")
    print(f"total wall time {wall:.0f} s (including interpreter start and warm-up per size)")
    print("Figures are machine-dependent: compare ratios measured in one run.")


if __name__ == "__main__":
    main()
