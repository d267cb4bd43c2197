"""Compare finished scenarios: means with intervals and paired differences to the first.

Scenarios are comparable when they share county, seed, horizon and replication
ids: then replication r of each used the same random numbers wherever their
processes coincide (common random numbers), and the difference of run r is a
paired observation.  Anything else is refused with a message naming what differs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.errors import Problem, UserInputError
from sim.experiment.results import Results
from sim.experiment.store import load
from sim.kernels.stats import paired_difference, t_interval


class ComparisonError(UserInputError):
    def __init__(self, problems: list[Problem]):
        super().__init__("scenarios are not comparable", problems)


def check_comparable(results: list[Results]) -> None:
    """Raise `ComparisonError` naming every way the scenarios differ from the first."""
    first = results[0]
    problems = []
    keys = {
        "county": lambda r: r.config.county,
        "population": lambda r: r.config.population,
        "run.seed": lambda r: r.config.run.seed,
        "run.horizon_days": lambda r: r.config.run.horizon_days,
        "replications": lambda r: tuple(r.runs["replication"]),
    }
    for res in results[1:]:
        for name, get in keys.items():
            if get(res) != get(first):
                shown = get(res) if name not in ("county", "population") else "(differs)"
                problems.append(Problem(f"{res.path}: {name}", shown,
                                        f"must equal that of {first.path}"))
    if problems:
        raise ComparisonError(problems)


def scenario_name(res: Results) -> str:
    scen = res.manifest.get("scenario", {})
    return f"{scen.get('county', '?')}/{scen.get('policy', '?')}"


def scenario_names(results: list[Results]) -> list[str]:
    """Distinct names: county/policy, plus the overrides that set apart scenarios sharing one."""
    names = [scenario_name(r) for r in results]
    overrides = [set(r.manifest.get("overrides", [])) for r in results]
    common = set.intersection(*overrides) if overrides else set()
    out = []
    for name, own in zip(names, overrides):
        extra = sorted(own - common)
        out.append(f"{name} [{' '.join(extra)}]" if names.count(name) > 1 and extra else name)
    return out


def compare(results: list[Results], confidence: float = 0.95) -> pd.DataFrame:
    """Long table: kpi, scenario, mean and interval, difference to the first and its interval."""
    check_comparable(results)
    base = results[0].runs
    kpis = [c for c in base.columns if c not in ("replication", "seed")
            and all(c in r.runs.columns for r in results)]
    frames = []
    names = scenario_names(results)
    for position, res in enumerate(results):
        runs = res.runs
        s = t_interval(runs[kpis].to_numpy(dtype=float), confidence)
        d = paired_difference(base[kpis].to_numpy(dtype=float), runs[kpis].to_numpy(dtype=float),
                              confidence)
        frames.append(pd.DataFrame({
            "kpi": kpis, "scenario": names[position], "position": position, "path": str(res.path),
            "n": s["n"],
            "mean": s["mean"], "ci_low": s["ci_low"], "ci_high": s["ci_high"],
            "diff": d["mean"], "diff_ci_low": d["ci_low"], "diff_ci_high": d["ci_high"],
        }))
    return pd.concat(frames, ignore_index=True)


def compare_dirs(dirs: list[str | Path], out: str | Path | None = None) -> pd.DataFrame:
    """Compare run directories; a sweep directory stands for all its finished jobs."""
    from sim.experiment.sweep import expand

    runs = expand(dirs)
    if len(runs) < 2:
        raise ComparisonError([Problem(", ".join(map(str, dirs)), len(runs),
                                       "at least two finished runs to compare")])
    table = compare([load(d) for d in runs])
    if out is not None:
        table.to_csv(out, index=False)
    return table


def format_comparison(table: pd.DataFrame, kpis: list[str] | None = None) -> str:
    rows = table if kpis is None else table[table["kpi"].isin(kpis)]
    width = max(len(k) for k in rows["kpi"]) + 2
    sw = max(len(s) for s in rows["scenario"]) + 2
    lines = [f"{'KPI':<{width}}{'scenario':<{sw}}{'mean':>12}{'95% interval':>26}"
             f"{'diff to first':>16}{'95% interval':>26}"]
    for r in rows.itertuples(index=False):
        diff = "" if r.position == 0 or np.isnan(r.diff) else f"{r.diff:+.4g}"
        dci = "" if not diff else f"[{r.diff_ci_low:+.4g}, {r.diff_ci_high:+.4g}]"
        lines.append(f"{r.kpi:<{width}}{r.scenario:<{sw}}{r.mean:>12.4g}"
                     f"{f'[{r.ci_low:.4g}, {r.ci_high:.4g}]':>26}{diff:>16}{dci:>26}")
    return "\n".join(lines)
