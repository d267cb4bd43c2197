"""Intervals of levels respect their bounds (log scale for non-negative, logit for shares)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.stats import t_interval
from sim.report.intervals import bounded_interval, bounded_table
from sim.report.labels import is_signed


def test_small_counts_never_go_below_zero():
    calls = np.array([[12.0], [65.0]])  # a t-interval of these is about [-300, 377]
    t = t_interval(calls, 0.95)
    assert t["ci_low"][0] < 0
    b = bounded_interval(calls, False, 0.95)
    assert 0 < b["ci_low"][0] < b["mean"][0] < b["ci_high"][0]


def test_shares_stay_within_zero_and_one():
    shares = np.array([[0.97], [0.999], [0.93]])
    b = bounded_interval(shares, True)
    assert 0 < b["ci_low"][0] < b["mean"][0] < b["ci_high"][0] < 1
    assert t_interval(shares)["ci_high"][0] > 1


def test_far_from_the_bound_it_is_the_t_interval():
    rng = np.random.default_rng(1)
    x = rng.normal(1000, 10, size=(20, 1))
    b, t = bounded_interval(x), t_interval(x)
    np.testing.assert_allclose(
        [b["ci_low"][0], b["ci_high"][0]], [t["ci_low"][0], t["ci_high"][0]], rtol=1e-3
    )


def test_values_on_the_bound_give_a_point():
    b = bounded_interval(np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]), np.array([False, True, True]))
    np.testing.assert_array_equal(b["ci_low"], [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(b["ci_high"], [0.0, 1.0, 0.0])


def test_negative_values_keep_the_t_interval():
    x = np.array([[-3.0], [2.0], [5.0]])
    b, t = bounded_interval(x), t_interval(x)
    assert b["ci_low"][0] == pytest.approx(t["ci_low"][0])


def test_one_replication_has_no_interval():
    b = bounded_interval(np.array([[4.0]]))
    assert np.isnan(b["ci_low"][0]) and b["mean"][0] == 4.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 1e6), min_size=2, max_size=12), st.lists(st.floats(0, 1), min_size=2, max_size=12)
)
def test_bounds_hold_for_any_sample(counts, shares):
    c = bounded_interval(np.array(counts)[:, None])
    s = bounded_interval(np.array(shares)[:, None], True)
    assert c["ci_low"][0] >= 0 and c["ci_low"][0] <= c["mean"][0] * (1 + 1e-9) + 1e-9
    assert 0 <= s["ci_low"][0] <= s["ci_high"][0] <= 1


def test_the_briefing_table_has_no_level_below_zero(plain_runs):
    from sim.experiment.compare import compare

    results = list(plain_runs.values())
    table = bounded_table(compare(results), results)
    levels = table.dropna(subset=["ci_low"])
    signed = levels["kpi"].map(is_signed)   # the equity gaps are differences: they may be negative
    assert signed.any()
    levels = levels[~signed]
    assert (levels["ci_low"] >= 0).all()
    shares = levels[levels["kpi"].str.endswith("_share")]
    assert (shares["ci_high"] <= 1).all()
    # KPIs only the time bank has get rows (NaN elsewhere), so the time-bank section can show them
    members = table[table["kpi"] == "timebank_members"]
    assert len(members) == len(results) and members["mean"].notna().sum() == 1
