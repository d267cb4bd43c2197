"""The tables a study summary is made of: scenarios read back, KPI rows, derived rows, ratios.

Every figure is a mean over replications with its 95% t-interval; a difference is paired with
the reference scenario (the first, today's network) replication by replication (common random
numbers, as `sim.experiment.compare`).  A ratio of two paired differences (yuan per unit gained)
takes its interval from the delta method over the paired replications; it is given only where
the gain's own interval excludes zero.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.experiment.compare import check_comparable
from sim.experiment.results import Results
from sim.experiment.store import load
from sim.experiment.sweep import is_sweep, load_sweep
from sim.kernels.costs import years_of
from sim.kernels.stats import paired_difference, t_interval

COLUMNS = ("section", "scenario", "measure", "mean", "ci_low", "ci_high", "diff", "diff_ci_low",
           "diff_ci_high", "note")

Named = list[tuple[str, Results]]


def read_scenarios(directory: str | Path, main: str | None = None) -> Named:
    """(name, results) of every scenario of a finished study, the baseline first.

    A run directory holds its main scenario and ``scenarios/<policy>/`` beside it; a sweep
    directory its done jobs, named by the overrides that set them apart.
    """
    d = Path(directory)
    if is_sweep(d):
        sweep = load_sweep(d)
        done = sweep.index[sweep.index["status"] == "done"]
        overrides = [set(str(o).split()) for o in done["overrides"]]
        common = set.intersection(*overrides) if overrides else set()
        return [(" ".join(sorted(o - common)) or "all", load(d / p))
                for o, p in zip(overrides, done["path"])]
    main_res = load(d)
    named = [(main or main_res.config.policy.label(), main_res)]
    sibs = d / "scenarios"
    if sibs.is_dir():
        named += [(p.name, load(p)) for p in sorted(sibs.iterdir()) if (p / "runs.parquet").exists()]
    return sorted(named, key=lambda nr: nr[1].config.policy.label() != "baseline")


def years(res: Results) -> float:
    """The run's horizon in years (for yuan a year)."""
    return res.config.run.horizon_days / 365.25


def n_years(res: Results) -> int:
    """Whole years of the run (the ``_year_<k>`` KPIs)."""
    return years_of(res.config.run.horizon_days)


def _row(section: str, scenario: str, measure: str, level: dict, diff: dict | None, note: str = "") -> dict:
    out = {"section": section, "scenario": scenario, "measure": measure,
           "mean": float(level["mean"][0]), "ci_low": float(level["ci_low"][0]),
           "ci_high": float(level["ci_high"][0]), "diff": np.nan, "diff_ci_low": np.nan,
           "diff_ci_high": np.nan, "note": note}
    if diff is not None:
        out.update(diff=float(diff["mean"][0]), diff_ci_low=float(diff["ci_low"][0]),
                   diff_ci_high=float(diff["ci_high"][0]))
    return out


def derived_rows(named: Named, section: str, measures: dict[str, Callable[[pd.DataFrame], np.ndarray]],
                 reference: int | None = 0) -> list[dict]:
    """Rows of per-replication measures ``fn(runs)``: level, and paired difference to the reference."""
    check_comparable([r for _, r in named])
    rows = []
    base = named[reference][1].runs if reference is not None else None
    for k, (name, res) in enumerate(named):
        for measure, fn in measures.items():
            x = np.asarray(fn(res.runs), dtype=float)
            d = None
            if base is not None and k != reference:
                d = paired_difference(np.asarray(fn(base), dtype=float), x)
            rows.append(_row(section, name, measure, t_interval(x), d))
    return rows


def kpi_rows(named: Named, section: str, kpis: list[str], reference: int | None = 0) -> list[dict]:
    """Rows of KPIs as the runs hold them (missing KPIs are skipped)."""
    have = [k for k in kpis if all(k in r.runs.columns for _, r in named)]
    return derived_rows(named, section, {k: (lambda runs, k=k: runs[k].to_numpy(float)) for k in have},
                        reference)


def ratio_interval(num: np.ndarray, den: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """mean(num) / mean(den) over paired replications, and its delta-method interval."""
    num, den = np.asarray(num, float), np.asarray(den, float)
    n = len(num)
    a, b = num.mean(), den.mean()
    r = a / b
    if n < 2:
        return r, np.nan, np.nan
    cov = np.cov(num, den, ddof=1)
    var = (cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / (n * b * b)
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * np.sqrt(max(var, 0.0))
    return r, r - half, r + half


def ratio_rows(named: Named, section: str, cost: Callable[[pd.DataFrame], np.ndarray],
               gains: dict[str, Callable[[pd.DataFrame], np.ndarray]], per: float = 1.0) -> list[dict]:
    """Per scenario and gain: Δcost / Δgain against the reference (yuan per unit gained, times
    ``per``); the row's diff columns hold Δgain and its interval.  Where Δgain's interval holds
    zero the ratio is left out (note ``no clear gain``)."""
    base = named[0][1].runs
    rows = []
    for name, res in named[1:]:
        dc = np.asarray(cost(res.runs), float) - np.asarray(cost(base), float)
        for measure, fn in gains.items():
            dg = np.asarray(fn(res.runs), float) - np.asarray(fn(base), float)
            g = t_interval(dg)
            clear = g["ci_low"][0] > 0 or g["ci_high"][0] < 0
            r, lo, hi = ratio_interval(dc, dg) if clear else (np.nan, np.nan, np.nan)
            rows.append({"section": section, "scenario": name, "measure": measure,
                         "mean": r * per, "ci_low": lo * per, "ci_high": hi * per,
                         "diff": float(g["mean"][0]), "diff_ci_low": float(g["ci_low"][0]),
                         "diff_ci_high": float(g["ci_high"][0]),
                         "note": "" if clear else "no clear gain"})
    return rows


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).reindex(columns=list(COLUMNS))


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return ""
    if abs(x) >= 1e4:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def markdown(table: pd.DataFrame, title: str, notes: list[str] = ()) -> str:
    """The summary as Markdown: one table per section, then the notes."""
    lines = [f"# {title}", ""]
    for section, part in table.groupby("section", sort=False):
        lines += [f"## {section}", "",
                  "| scenario | measure | mean | 95% interval | diff to baseline | 95% interval | note |",
                  "|---|---|---:|---|---:|---|---|"]
        for r in part.itertuples(index=False):
            ci = f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]" if np.isfinite(r.ci_low) else ""
            dci = f"[{_fmt(r.diff_ci_low)}, {_fmt(r.diff_ci_high)}]" if np.isfinite(r.diff_ci_low) else ""
            lines.append(f"| {r.scenario} | {r.measure} | {_fmt(r.mean)} | {ci} | {_fmt(r.diff)} | {dci} "
                         f"| {r.note or ''} |")
        lines.append("")
    lines += [f"- {n}" for n in notes]
    return "\n".join(lines).rstrip() + "\n"
