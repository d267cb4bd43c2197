"""Time-bank solvency 时间银行可持续性 over 10 and 20 years: per combination of participation,
backstop and account-closing rule, the honoured share of care hours asked for by year, the first
year it falls below 90%, what is owed (liability) and what the backstop costs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiment.studies.tables import Named, derived_rows, frame, kpi_rows, n_years
from sim.kernels.stats import t_interval

THRESHOLD = 0.9
TOTALS = ["timebank_members", "timebank_hours_deposited", "timebank_hours_requested",
          "timebank_withdrawals_honoured_share", "timebank_honoured_by_members_share",
          "timebank_backstop_hours", "timebank_backstop_cost_yuan", "timebank_hours_forfeited",
          "timebank_liability_hours", "timebank_liability_yuan"]


def honoured(runs: pd.DataFrame, years: int) -> np.ndarray:
    """(replications, years) honoured share of each year (NaN: nothing asked that year)."""
    return np.column_stack([runs[f"timebank_honoured_share_year_{k}"].to_numpy(float)
                            for k in range(1, years + 1)])


def first_year_below(shares: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """Per row, the first year (1-based) whose share is below ``threshold``; NaN if none."""
    below = np.nan_to_num(shares, nan=1.0) < threshold
    first = np.argmax(below, axis=1).astype(float) + 1
    first[~below.any(axis=1)] = np.nan
    return first


def mean_crossing(shares: np.ndarray, threshold: float = THRESHOLD) -> tuple[float, float, float]:
    """The first year whose mean share (over replications) is below ``threshold``, and the first
    years whose interval lies wholly below it and wholly above it no more (a bracket): (mean year,
    year the upper bound drops below, year the lower bound drops below)."""
    s = t_interval(shares)
    out = []
    for col in ("mean", "ci_high", "ci_low"):
        below = np.flatnonzero(np.nan_to_num(s[col], nan=1.0) < threshold)
        out.append(float(below[0] + 1) if len(below) else np.nan)
    return tuple(out)


def summary(named: Named) -> tuple[pd.DataFrame, list[str]]:
    years = n_years(named[0][1])
    marks = [y for y in (10, 20) if y <= years] or [years]
    rows = kpi_rows(named, "Over the horizon 全期", TOTALS, reference=None)
    rows += kpi_rows(named, "Honoured share at years 10 and 20 兑现率",
                     [f"timebank_honoured_share_year_{y}" for y in marks]
                     + [f"timebank_liability_hours_year_{y}" for y in marks], reference=None)
    rows += derived_rows(named, "First year below 90% 兑现率首次低于90%的年份", {
        "first year below 90% (replications that cross)": lambda r: first_year_below(honoured(r, years)),
        "share of replications below 90% by year 10": lambda r: (first_year_below(honoured(r, years))
                                                                 <= 10).astype(float),
        f"share of replications below 90% by year {years}": lambda r: np.isfinite(
            first_year_below(honoured(r, years))).astype(float),
    }, reference=None)
    notes = []
    for name, res in named:
        mean, upper, lower = mean_crossing(honoured(res.runs, years))
        if np.isfinite(mean) and np.isfinite(upper):
            when = (f"the mean honoured share first falls below 90% in year {mean:.0f} "
                    f"(the interval's upper bound in year {upper:.0f})")
        elif np.isfinite(mean):
            when = f"the mean first falls below 90% in year {mean:.0f}"
        else:
            when = f"the mean honoured share stays at or above 90% for all {years} years"
        notes.append(f"{name}: {when}.")
    notes.append("Honoured share = hours withdrawn (given by members or, with the backstop, by paid "
                 "helpers) / hours asked for; first-year rows average only the replications that cross.")
    return frame(rows), notes
