"""Intervals that respect their bounds: counts, days and costs never below 0, shares within [0, 1].

A t-interval of a mean, ``mean ± t·se``, can cross a bound when the replications are few or
the values sit near it (emergency calls 38.5 [-6.0, 83.0] on a small county).  The report
computes the interval of a level on a scale where the bound is at infinity and maps it back
(the delta method):

* non-negative quantities (counts, minutes, days, km, hours, yuan): on the log scale,
  ``mean · exp(± t·se / mean)``;
* shares: on the logit scale, ``expit(logit(m) ± t·se / (m (1 - m)))``.

Both are close to the t-interval when it is far from the bound and asymmetric near it.  A mean
on the bound (every replication 0, or every one 1) has the interval [m, m].  Paired differences
keep their t-intervals (they may be negative), and so do KPIs that are themselves signed
differences (the equity gaps ``*_gap_remoteness``, ``*_gap_terrain``).  The notes of the briefing state this.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from sim.experiment.results import Results
from sim.kernels.stats import t_quantile
from sim.report.labels import is_share, is_signed


def bounded_interval(values: np.ndarray, share: bool | np.ndarray = False,
                     level: float = 0.95) -> dict[str, np.ndarray]:
    """Mean, ci_low, ci_high and n of each column of ``values`` (rows = replications).

    ``share`` (per column or for all) picks the logit scale; other columns whose values are all
    non-negative use the log scale; columns with negative values keep the t-interval.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = np.sum(~np.isnan(x), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: NaN, said by n = 0
        mean = np.nanmean(x, axis=0) if len(x) else np.full(x.shape[1], np.nan)
        sd = np.nanstd(x, axis=0, ddof=1) if len(x) > 1 else np.full(x.shape[1], np.nan)
        half = t_quantile(0.5 + level / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
        share = np.broadcast_to(np.asarray(share, bool), mean.shape)
        nonneg = np.all(np.nan_to_num(x, nan=0.0) >= 0, axis=0)
        low, high = mean - half, mean + half
        # log scale: m * exp(±h/m)
        log_ok = nonneg & ~share & (mean > 0)
        ratio = np.where(log_ok, half / np.where(mean > 0, mean, 1.0), 0.0)
        low = np.where(log_ok, mean * np.exp(-ratio), low)
        high = np.where(log_ok, mean * np.exp(ratio), high)
        # logit scale: expit(logit(m) ± h / (m (1 - m)))
        inside = share & (mean > 0) & (mean < 1)
        m = np.where(inside, mean, 0.5)
        step = np.where(inside, half / (m * (1 - m)), 0.0)
        logit = np.log(m / (1 - m))
        low = np.where(inside, 1 / (1 + np.exp(-(logit - step))), low)
        high = np.where(inside, 1 / (1 + np.exp(-(logit + step))), high)
        on_bound = (share & ((mean <= 0) | (mean >= 1))) | (nonneg & ~share & (mean <= 0))
        low = np.where(on_bound, mean, low)
        high = np.where(on_bound, mean, high)
        few = n < 2
        low, high = np.where(few, np.nan, low), np.where(few, np.nan, high)
    return {"mean": mean, "ci_low": low, "ci_high": high, "n": n}


def bounded_table(table: pd.DataFrame, results: list[Results], level: float = 0.95) -> pd.DataFrame:
    """The comparison table (`sim.experiment.compare.compare`) with the levels' intervals
    replaced by bounded ones computed from each scenario's replications, and rows added for KPIs
    only some scenarios have (a time bank's): NaN where a scenario lacks one, no difference."""
    out = pd.concat([table, _partial_rows(table, results, level)], ignore_index=True)
    for position, res in enumerate(results):
        rows = out.index[out["position"] == position]
        kpis = out.loc[rows, "kpi"].tolist()
        # a signed difference (an equity gap) has no bound: it keeps its t-interval
        present = [k for k in kpis if k in res.runs.columns and not is_signed(k)]
        if not present:
            continue
        s = bounded_interval(res.runs[present].to_numpy(float), [is_share(k) for k in present], level)
        where = dict(zip(present, range(len(present))))
        idx = [where[k] for k in kpis if k in where]
        keep = [r for r, k in zip(rows, kpis) if k in where]
        out.loc[keep, "ci_low"] = s["ci_low"][idx]
        out.loc[keep, "ci_high"] = s["ci_high"][idx]
    return out


def _partial_rows(table: pd.DataFrame, results: list[Results], level: float) -> pd.DataFrame:
    known = set(table["kpi"])
    extra: list[str] = []
    for res in results:
        extra += [c for c in res.runs.columns if c not in known and c not in extra
                  and c not in ("replication", "seed")]
    if not extra:
        return table.iloc[0:0]
    names = table.groupby("position")["scenario"].first()
    rows = []
    for position, res in enumerate(results):
        for kpi in extra:
            values = res.runs[kpi].to_numpy(float) if kpi in res.runs else np.full(len(res.runs), np.nan)
            s = bounded_interval(values, is_share(kpi), level)
            rows.append({"kpi": kpi, "scenario": names.get(position, "?"), "position": position,
                         "path": str(res.path), "n": int(s["n"][0]), "mean": s["mean"][0],
                         "ci_low": np.nan, "ci_high": np.nan, "diff": np.nan, "diff_ci_low": np.nan,
                         "diff_ci_high": np.nan})
    return pd.DataFrame(rows)


__all__ = ["bounded_interval", "bounded_table"]
