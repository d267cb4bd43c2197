"""MSER-5 warm-up detection (sim/kernels/warmup.py) against series with a known transient."""

from __future__ import annotations

import numpy as np

from sim.kernels.warmup import (
    batch_means,
    monthly_series,
    mser,
    mser5,
    settled,
    split_means,
    warmup_kpis,
)


def _series(rng: np.random.Generator, n: int, transient: int, start: float, level: float = 10.0,
            noise: float = 1.0) -> np.ndarray:
    """A linear ramp from ``start`` to ``level`` over ``transient`` observations, then ``level``;
    plus white noise."""
    t = np.arange(n)
    mean = np.where(t < transient, start + (level - start) * t / transient, level)
    return mean + rng.normal(0.0, noise, n)


def test_mser5_finds_a_known_transient():
    rng = np.random.default_rng(1)
    x = np.stack([_series(rng, 240, 40, start=30.0) for _ in range(50)])
    w = mser5(x)
    assert w.shape == (50,)
    assert np.all(w % 5 == 0)
    # the ramp ends at 40: MSER-5 finds it in most replications, never stops short where the bias is
    # still 5 noise sd (observation 30), and over-truncates now and then (a known trait of MSER)
    assert np.median(w) == 40
    assert np.all(w >= 30)
    assert np.mean((w >= 35) & (w <= 65)) >= 0.8


def test_mser5_truncates_little_from_a_stationary_series():
    rng = np.random.default_rng(2)
    x = rng.normal(10.0, 1.0, (200, 120))
    w = mser5(x)
    assert np.median(w) <= 10
    assert np.mean(w == 0) > 0.3


def test_rows_are_independent_the_kernel_is_vectorised_over_replications():
    rng = np.random.default_rng(3)
    x = np.stack([_series(rng, 100, 30, start=-20.0), rng.normal(0, 1, 100), _series(rng, 100, 10, 5.0)])
    together = mser5(x)
    alone = np.array([mser5(row[None, :])[0] for row in x])
    np.testing.assert_array_equal(together, alone)


def test_mser_matches_its_definition_on_a_small_series():
    y = np.array([[9.0, 5.0, 1.0, 1.2, 0.8, 1.1, 0.9, 1.0]])
    n = y.shape[1]
    stats = [np.sum((y[0, d:] - y[0, d:].mean()) ** 2) / (n - d) ** 2 for d in range(n // 2)]
    assert mser(y)[0] == int(np.argmin(stats)) == 2


def test_batch_means_and_undefined_rows():
    x = np.arange(12, dtype=float)[None, :]
    np.testing.assert_allclose(batch_means(x), [[2.0, 7.0]])   # the trailing 2 are dropped
    y = np.array([[1.0, np.nan, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]])
    assert mser(y)[0] == -1 and mser(y)[1] >= 0
    assert mser(np.array([[1.0]]))[0] == -1
    assert mser5(np.arange(19.0)[None, :])[0] == -1   # 3 batches: too short to tell
    assert mser5(np.arange(20.0)[None, :])[0] >= 0


def test_split_means_report_the_transient_and_the_steady_state():
    x = np.array([[10.0, 10.0, 2.0, 2.0, 2.0], [1.0, 1.0, 1.0, 1.0, 1.0]])
    transient, steady = split_means(x, np.array([2, 0]))
    np.testing.assert_allclose(transient, [10.0, np.nan])
    np.testing.assert_allclose(steady, [2.0, 1.0])
    transient, steady = split_means(x, np.array([-1, 0]))
    assert np.isnan(transient[0]) and np.isnan(steady[0])


def test_settled_flags_a_series_still_drifting_at_the_limit():
    # 120 observations = 24 batches: MSER may truncate at most 11 batches = 55 observations
    np.testing.assert_array_equal(settled(np.array([0, 50, 55, -1]), 120), [1.0, 1.0, 0.0, np.nan])
    drift = np.linspace(0, 100, 120)[None, :] + np.random.default_rng(4).normal(0, 0.1, (1, 120))
    k = warmup_kpis("x", drift)
    assert k["x_settled"][0] == 0.0 and k["x_warmup_months"][0] == 55.0


def test_monthly_series_averages_samples_by_replication_and_month():
    rep = np.array([0, 0, 0, 1, 1])
    day = np.array([1.0, 20.0, 40.0, 5.0, 45.0])
    occupied = np.array([5.0, 7.0, 9.0, 1.0, 3.0])
    beds = np.array([10.0, 10.0, 10.0, 10.0, 20.0])
    s = monthly_series(rep, day, occupied, beds, 2, 2)
    np.testing.assert_allclose(s, [[12 / 20, 9 / 10], [1 / 10, 3 / 20]])
    np.testing.assert_allclose(monthly_series(rep, day, occupied, None, 2, 2), [[6.0, 9.0], [1.0, 3.0]])
