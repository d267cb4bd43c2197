"""Statistics across replications, vectorised over KPIs.

Every function takes a (runs x kpis) array and works column-wise; NaN runs are
ignored per KPI.  Intervals are Student-t intervals for the mean.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def t_interval(values: np.ndarray, confidence: float = 0.95) -> dict[str, np.ndarray]:
    """Mean, sample sd, half-width and the t-interval of each column."""
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = np.sum(~np.isnan(x), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.nansum(x, axis=0) / np.maximum(n, 1), np.nan)
        sd = np.sqrt(np.nansum((x - mean) ** 2, axis=0) / (n - 1))
        sd = np.where(n > 1, sd, np.nan)
        half = stats.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    return {"n": n, "mean": mean, "sd": sd, "half_width": half,
            "ci_low": mean - half, "ci_high": mean + half}


def paired_difference(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> dict[str, np.ndarray]:
    """t-interval of the mean of ``b - a`` per column, for runs paired by seed (common random numbers)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired runs need equal shapes, got {a.shape} and {b.shape}")
    return t_interval(b - a, confidence)
