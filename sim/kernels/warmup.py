"""Warm-up detection 预热期 with MSER-5, vectorised over replications.

KPIs that depend on the starting state (bed occupancy, the waiting list, time-bank balances)
drift from where the run starts them towards the level the rules sustain.  MSER-5 (White 1997;
White, Cobb & Spratt 2000; Hoad, Robinson & Davies 2010) batches a series into means of 5
observations, and truncates the first ``d`` batches where ``d`` minimises the marginal standard
error of what is left,

    MSER(d) = sum_{i>d} (Y_i - mean_{i>d} Y)^2 / (n - d)^2,

over ``d`` in the first half of the batches (beyond it the statistic is unstable: the usual rule);
a series of fewer than 4 batches (20 months) is too short and gets no warm-up (NaN).
The warm-up is ``5 d`` observations (here: months).  Each replication's series is truncated at its
own warm-up; the mean before it is the transient figure, the mean after it the steady-state one.
"""

from __future__ import annotations

import numpy as np

from sim.population.demography import MONTH_DAYS

BATCH = 5
MIN_BATCHES = 4   # a shorter series (under 20 months) is too short to tell a warm-up from noise


def batch_means(series: np.ndarray, batch: int = BATCH) -> np.ndarray:
    """Means of consecutive batches of ``batch`` observations along the last axis (a trailing
    remainder shorter than a batch is dropped)."""
    x = np.atleast_2d(np.asarray(series, dtype=float))
    k = x.shape[1] // batch
    return x[:, :k * batch].reshape(x.shape[0], k, batch).mean(axis=2)


def mser(series: np.ndarray) -> np.ndarray:
    """The MSER truncation point (in observations of ``series``) of each row of a
    (replications x observations) array; -1 for a row with a non-finite value or < 2 values."""
    y = np.atleast_2d(np.asarray(series, dtype=float))
    r, n = y.shape
    if n < 2:
        return np.full(r, -1, dtype=np.int64)
    finite = np.isfinite(y).all(axis=1)
    y = np.where(np.isfinite(y), y, 0.0)
    tail1 = np.cumsum(y[:, ::-1], axis=1)[:, ::-1]        # sum_{i>=d} y_i, d = 0..n-1
    tail2 = np.cumsum((y * y)[:, ::-1], axis=1)[:, ::-1]
    left = n - np.arange(n)                                # observations kept after truncating d
    sse = np.maximum(tail2 - tail1 ** 2 / left, 0.0)
    stat = sse / left ** 2
    half = max(1, n // 2)
    d = np.argmin(stat[:, :half], axis=1).astype(np.int64)
    return np.where(finite, d, -1)


def mser5(series: np.ndarray, batch: int = BATCH) -> np.ndarray:
    """Warm-up of each row in observations: MSER on batch means of ``batch``, times ``batch``
    (-1 where undefined: a non-finite value, or fewer than `MIN_BATCHES` batches)."""
    means = batch_means(series, batch)
    if means.shape[1] < MIN_BATCHES:
        return np.full(means.shape[0], -1, dtype=np.int64)
    d = mser(means)
    return np.where(d >= 0, d * batch, -1)


def split_means(series: np.ndarray, warmup: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the mean of the observations before its warm-up ends (NaN when it is 0) and the
    mean of those after it (NaN when the warm-up is undefined)."""
    x = np.atleast_2d(np.asarray(series, dtype=float))
    cols = np.arange(x.shape[1])
    w = np.asarray(warmup)[:, None]
    before, after = (cols < w) & (w >= 0), (cols >= w) & (w >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        transient = np.where(before, x, 0.0).sum(axis=1) / before.sum(axis=1)
        steady = np.where(after, x, 0.0).sum(axis=1) / after.sum(axis=1)
    return transient, steady


def monthly_series(rep: np.ndarray, day: np.ndarray, values: np.ndarray, weights: np.ndarray | None,
                   n: int, months: int) -> np.ndarray:
    """A (replications x months) series: per replication and month, the sum of ``values`` over
    the sum of ``weights`` (the mean when ``weights`` is None) of the samples in that month."""
    m = np.clip((np.asarray(day, dtype=float) // MONTH_DAYS).astype(np.int64), 0, months - 1)
    cell = rep.astype(np.int64) * months + m
    w = np.ones(len(cell)) if weights is None else np.asarray(weights, dtype=float)
    top = np.bincount(cell, weights=np.asarray(values, dtype=float), minlength=n * months)
    bottom = np.bincount(cell, weights=w, minlength=n * months)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (top / bottom).reshape(n, months)


def settled(warmup: np.ndarray, observations: int, batch: int = BATCH) -> np.ndarray:
    """1.0 where the warm-up ends before the last batch MSER may truncate (the series levelled
    off in its first half), 0.0 where it hit that limit (still drifting: no steady state shown),
    NaN where undefined."""
    limit = (max(1, (observations // batch) // 2) - 1) * batch
    w = np.asarray(warmup)
    return np.where(w < 0, np.nan, (w < limit).astype(float))


def warmup_kpis(name: str, series: np.ndarray) -> dict[str, np.ndarray]:
    """``<name>_warmup_months``, ``<name>_transient``, ``<name>_steady`` and ``<name>_settled``
    (1 if the series levelled off in its first half) of each replication."""
    w = mser5(series)
    transient, steady = split_means(series, w)
    return {f"{name}_warmup_months": np.where(w >= 0, w, np.nan).astype(float),
            f"{name}_transient": transient, f"{name}_steady": steady,
            f"{name}_settled": settled(w, np.atleast_2d(series).shape[1])}


def bed_warmup(rep: np.ndarray, samples: np.ndarray, n: int, months: int) -> dict[str, np.ndarray]:
    """Warm-up of monthly bed occupancy (open beds) and of the county waiting list."""
    open_ = samples["open"]
    occupancy = monthly_series(rep[open_], samples["day"][open_], samples["occupied"][open_],
                               samples["beds"][open_], n, months)
    first = samples["home"] == 0   # the waiting list is county-wide: one value per sample day
    waitlist = monthly_series(rep[first], samples["day"][first], samples["waitlist"][first], None, n, months)
    return {**warmup_kpis("bed_occupancy", occupancy), **warmup_kpis("bed_waitlist", waitlist)}


def timebank_warmup(rep: np.ndarray, monthly: np.ndarray, n: int, months: int) -> dict[str, np.ndarray]:
    """Warm-up of the time bank's total balance (hours owed to members), month by month."""
    series = np.full((n, months), np.nan)
    m = np.clip(monthly["month"].astype(np.int64), 0, months - 1)
    series[rep.astype(np.int64), m] = monthly["balance"]
    return warmup_kpis("timebank_balance_hours", series)


__all__ = ["batch_means", "bed_warmup", "monthly_series", "mser", "mser5", "split_means",
           "timebank_warmup", "warmup_kpis"]
