"""Grouped reductions over flat arrays (no Python loop over groups or events)."""

from __future__ import annotations

import numpy as np


def _sorted_within_groups(g: np.ndarray, v: np.ndarray, counts: np.ndarray,
                          starts: np.ndarray) -> np.ndarray:
    """``v`` ordered by (group, value), for groups given by ``g``."""
    if len(g) > 1 and np.any(g[1:] < g[:-1]):
        by_group = np.argsort(g, kind="stable")          # integer sort: cheap
        g, v = g[by_group], v[by_group]
    width = int(counts.max()) if len(counts) else 0
    if len(counts) * width <= 4 * len(v) + 4096:
        # pad each group to the widest with +inf and sort rows: np.sort is far faster than argsort
        table = np.full((len(counts), width), np.inf)
        table[g, np.arange(len(v)) - starts[g]] = v
        table.sort(axis=1)
        return table[np.repeat(np.arange(len(counts)), counts),
                     np.arange(len(v)) - np.repeat(starts, counts)]
    by_value = np.argsort(v, kind="stable")
    return v[by_value[np.argsort(g[by_value], kind="stable")]]


def grouped_quantiles(groups: np.ndarray, values: np.ndarray, qs: tuple[float, ...],
                      n_groups: int) -> np.ndarray:
    """(len(qs), n_groups) quantiles of ``values`` within each group 0..n_groups-1 (linear
    interpolation, as ``numpy.quantile``); NaN values are ignored, empty groups give NaN.

    One sort within groups serves every quantile."""
    keep = ~np.isnan(values)
    g, v = groups[keep].astype(np.int64), values[keep]
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    v = _sorted_within_groups(g, v, counts, starts)
    last = starts + np.maximum(counts - 1, 0)
    has = counts > 0
    out = np.full((len(qs), n_groups), np.nan)
    for k, q in enumerate(qs):  # a loop over the requested quantiles, not over groups
        pos = starts + q * np.maximum(counts - 1, 0)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, last)
        frac = pos - lo
        out[k, has] = v[lo[has]] * (1 - frac[has]) + v[hi[has]] * frac[has]
    return out


def grouped_quantile(groups: np.ndarray, values: np.ndarray, q: float, n_groups: int) -> np.ndarray:
    """Quantile ``q`` of ``values`` within each group (see `grouped_quantiles`)."""
    return grouped_quantiles(groups, values, (q,), n_groups)[0]


def grouped_share(groups: np.ndarray, flags: np.ndarray, n_groups: int) -> np.ndarray:
    """Share of True ``flags`` within each group (NaN for empty groups)."""
    total = np.bincount(groups, minlength=n_groups)
    hits = np.bincount(groups, weights=flags.astype(float), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, hits / np.maximum(total, 1), np.nan)
