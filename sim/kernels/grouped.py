"""Grouped reductions over flat arrays (no Python loop over groups or events)."""

from __future__ import annotations

import numpy as np


def grouped_quantile(groups: np.ndarray, values: np.ndarray, q: float, n_groups: int) -> np.ndarray:
    """Quantile ``q`` of ``values`` within each group 0..n_groups-1 (linear interpolation,
    as ``numpy.quantile``); NaN values are ignored and empty groups give NaN."""
    keep = ~np.isnan(values)
    g, v = groups[keep], values[keep]
    order = np.lexsort((v, g))
    g, v = g[order], v[order]
    counts = np.bincount(g, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pos = starts + q * np.maximum(counts - 1, 0)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, starts + np.maximum(counts - 1, 0))
    out = np.full(n_groups, np.nan)
    has = counts > 0
    frac = pos - lo
    out[has] = v[lo[has]] * (1 - frac[has]) + v[hi[has]] * frac[has]
    return out


def grouped_share(groups: np.ndarray, flags: np.ndarray, n_groups: int) -> np.ndarray:
    """Share of True ``flags`` within each group (NaN for empty groups)."""
    total = np.bincount(groups, minlength=n_groups)
    hits = np.bincount(groups, weights=flags.astype(float), minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, hits / np.maximum(total, 1), np.nan)
