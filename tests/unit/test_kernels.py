"""Kernels equal straightforward reference computations."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim.kernels import t_interval


def test_t_interval_matches_scipy_column_by_column():
    rng = np.random.default_rng(0)
    x = rng.normal(5, 2, size=(12, 4))
    x[3, 2] = np.nan
    got = t_interval(x)
    for j in range(4):
        col = x[:, j][~np.isnan(x[:, j])]
        lo, hi = stats.t.interval(0.95, len(col) - 1, loc=col.mean(), scale=stats.sem(col))
        assert np.isclose(got["mean"][j], col.mean())
        assert np.isclose(got["sd"][j], col.std(ddof=1))
        assert np.isclose(got["ci_low"][j], lo) and np.isclose(got["ci_high"][j], hi)
        assert got["n"][j] == len(col)


def test_single_run_has_no_interval():
    got = t_interval(np.array([3.0]))
    assert got["mean"][0] == 3.0 and np.isnan(got["ci_low"][0])


def test_interval_covers_true_mean_at_nominal_rate():
    """Coverage of the 95% t-interval over 4,000 normal samples of 5: within 3.5 binomial SEs."""
    rng = np.random.default_rng(1)
    draws = 4000
    samples = rng.normal(10.0, 3.0, size=(draws, 5))
    lo = np.empty(draws)
    hi = np.empty(draws)
    # one kernel call per sample set: columns are the independent samples
    res = t_interval(samples.T)
    lo, hi = res["ci_low"], res["ci_high"]
    coverage = np.mean((lo <= 10.0) & (10.0 <= hi))
    se = np.sqrt(0.95 * 0.05 / draws)
    assert abs(coverage - 0.95) < 3.5 * se


def test_quantiles_prob_meeting_and_replications_needed():
    from sim.kernels.stats import prob_meeting, quantiles, replications_needed

    rng = np.random.default_rng(2)
    x = rng.normal(0.8, 0.05, size=(40, 2))
    x[:, 1] = np.nan
    q = quantiles(x, (0.1, 0.5))
    assert np.allclose(q[:, 0], np.quantile(x[:, 0], [0.1, 0.5])) and np.all(np.isnan(q[:, 1]))
    m = prob_meeting(x[:, 0], 0.8)
    assert m["p"][0] == np.mean(x[:, 0] >= 0.8) and m["ci_low"][0] < m["p"][0] < m["ci_high"][0]
    below = prob_meeting(x[:, 0], 0.8, at_least=False)
    assert np.isclose(below["p"][0] + m["p"][0], 1.0 + np.mean(x[:, 0] == 0.8))
    # the predicted count gives (about) the requested half-width on fresh data
    need = int(replications_needed(x[:, 0], 0.01)[0])
    fresh = rng.normal(0.8, 0.05, size=(need, 1))
    half = t_interval(fresh)["half_width"][0]
    assert 0.008 < half < 0.0125


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(0, 60), min_size=1, max_size=8), skew=st.booleans(),
       shuffle=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_grouped_kernels_equal_a_slow_reference(sizes, skew, shuffle, seed):
    """Grouped quantiles and shares equal numpy per group, whatever the group sizes and order."""
    from sim.kernels.grouped import grouped_quantiles, grouped_share

    rng = np.random.default_rng(seed)
    if skew:
        sizes = sizes + [400]                                # one huge group: the argsort path
    g = np.repeat(np.arange(len(sizes)), sizes)
    v = rng.lognormal(2.0, 0.7, len(g))
    v[rng.random(len(g)) < 0.1] = np.nan
    if shuffle:
        perm = rng.permutation(len(g))
        g, v = g[perm], v[perm]
    n = len(sizes) + 1                                       # one more, empty group
    got = grouped_quantiles(g, v, (0.0, 0.37, 0.5, 0.9, 1.0), n)
    share = grouped_share(g, v > 7.0, n)
    for k in range(n):
        mine = v[(g == k) & ~np.isnan(v)]
        if len(mine):
            assert np.allclose(got[:, k], np.quantile(mine, [0.0, 0.37, 0.5, 0.9, 1.0]))
        else:
            assert np.all(np.isnan(got[:, k]))
        if (g == k).any():
            assert np.isclose(share[k], np.mean(v[g == k] > 7.0))
