"""Statistics across replications, vectorised over KPIs.

Every function takes a (runs x kpis) array and works column-wise; NaN runs are
ignored per KPI.  Intervals are Student-t intervals for the mean.
"""

from __future__ import annotations

import numpy as np


def t_quantile(q, df):
    """Student-t quantile, as ``scipy.stats.t.ppf(q, df)``, which computes it with this very
    function (the same bits), without loading ``scipy.stats`` (~30 MB in a process that only
    summarises runs while its workers run, issue 13)."""
    from scipy.special import stdtrit

    return stdtrit(df, q)


def normal_quantile(q):
    """Standard normal quantile, as ``scipy.stats.norm.ppf(q)`` (same function, same bits)."""
    from scipy.special import ndtri

    return ndtri(q)


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
        half = t_quantile(0.5 + confidence / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    return {"n": n, "mean": mean, "sd": sd, "half_width": half,
            "ci_low": mean - half, "ci_high": mean + half}


def paired_difference(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> dict[str, np.ndarray]:
    """t-interval of the mean of ``b - a`` per column, for runs paired by seed (common random numbers)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired runs need equal shapes, got {a.shape} and {b.shape}")
    return t_interval(b - a, confidence)


def quantiles(values: np.ndarray, qs: tuple[float, ...] = (0.05, 0.5, 0.95)) -> np.ndarray:
    """(len(qs), kpis) quantiles across runs of each column, NaN runs ignored."""
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    out = np.full((len(qs), x.shape[1]), np.nan)
    ok = ~np.all(np.isnan(x), axis=0)
    if ok.any():
        out[:, ok] = np.nanquantile(x[:, ok], qs, axis=0)
    return out


def prob_meeting(values: np.ndarray, threshold: np.ndarray | float, at_least: np.ndarray | bool = True,
                 confidence: float = 0.95) -> dict[str, np.ndarray]:
    """Share of runs meeting a target per column, with a Wilson score interval."""
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    valid = ~np.isnan(x)
    with np.errstate(invalid="ignore"):
        hit = np.where(np.asarray(at_least), x >= threshold, x <= threshold) & valid
    n = valid.sum(axis=0)
    p = np.where(n > 0, hit.sum(axis=0) / np.maximum(n, 1), np.nan)
    z = normal_quantile(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return {"n": n, "p": p, "ci_low": centre - half, "ci_high": centre + half}


def replications_needed(values: np.ndarray, half_width: float, confidence: float = 0.95) -> np.ndarray:
    """Replications each column needs for a t-interval of ``half_width``, from a pilot's sd."""
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    s = t_interval(x, confidence)
    n = s["n"].astype(float)
    sd = s["sd"]
    need = np.full(x.shape[1], np.nan)
    ok = (n > 1) & ~np.isnan(sd)
    # iterate n = (t_{n-1} sd / h)^2 to a fixed point (t depends on n); starts from the normal value
    guess = np.ceil((normal_quantile(0.5 + confidence / 2) * sd[ok] / half_width) ** 2)
    for _ in range(20):
        t = t_quantile(0.5 + confidence / 2, np.maximum(guess - 1, 1))
        guess = np.ceil((t * sd[ok] / half_width) ** 2)
    need[ok] = np.maximum(guess, 2)
    return need
