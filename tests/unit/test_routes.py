"""The helpers' tours (`sim.model.tour_kernel`) and the lunch rounds' stretches
(`sim.model.routes.plan_stretches`) against plain references; the planner's compiled kernel is
tested in ``test_plan_kernel``."""

from __future__ import annotations

import numpy as np

from sim.model.responders import village_rank
from sim.model.routes import lex_order, plan_stretches
from sim.model.tour_kernel import tour_ranks


def test_every_helpers_tour_at_once_is_each_helpers_own_tour():
    rng = np.random.default_rng(4)
    n_v = 30
    mats = tuple(rng.uniform(1, 60, (3, n_v, n_v)))
    mats[0][3, 4] = mats[0][3, 5]                            # a tie: the lower village first
    for _ in range(100):
        groups = 8
        mode, start = rng.integers(0, 3, groups), rng.integers(0, n_v, groups)
        n = int(rng.integers(0, 120))
        group, village = rng.integers(0, groups, n), rng.integers(0, n_v, n)
        got = tour_ranks(mats, mode, start, group, village, n_v)
        for g in range(groups):
            on = group == g
            if on.any():
                assert np.array_equal(got[on], village_rank(mats[mode[g]], int(start[g]), village[on]))


def test_one_key_orders_as_lexsort_and_falls_back_when_the_keys_are_too_wide():
    rng = np.random.default_rng(6)
    for high in (3, 2 ** 40):                              # fits in 63 bits; does not (lexsort)
        keys = (rng.integers(-high, high, 500), rng.integers(0, 2, 500).astype(bool),
                rng.integers(-1, 12, 500), rng.integers(0, high, 500), rng.integers(0, 40, 500))
        assert np.array_equal(lex_order(keys), np.lexsort(keys))
    assert len(lex_order((np.zeros(0, np.int64),))) == 0


def test_stretches_of_mixed_travel_modes_match_each_mode_alone():
    rng = np.random.default_rng(7)
    matrices = [rng.uniform(5, 40, (10, 10)) for _ in range(3)]
    r, k = 9, 6
    mode = np.array([0, 1, 2] * 3)
    base = rng.integers(0, 10, r)
    villages = rng.integers(0, 10, (r, k))
    work = rng.uniform(20, 60, (r, k))
    count = rng.integers(0, k + 1, r)
    now = np.full(r, 3.3)
    block_end = now + rng.uniform(0.05, 0.3, r)
    budget = rng.uniform(30, 400, r)
    origin = rng.integers(0, 10, r)
    for o in (None, origin):
        mixed = plan_stretches(matrices, mode, base, villages, work, count, now, block_end, budget, o)
        for i in range(r):
            one = plan_stretches(matrices, mode[i:i + 1], base[i:i + 1], villages[i:i + 1], work[i:i + 1],
                                 count[i:i + 1], now[i:i + 1], block_end[i:i + 1], budget[i:i + 1],
                                 None if o is None else o[i:i + 1])
            for got, want in zip(mixed, one):
                assert np.array_equal(got[i], want[0])
        n, starts, ends, travel, back, _ = mixed
        assert ((n <= count) & (back <= block_end + 1e-9)).all()
        assert (ends[first := np.arange(k) < n[:, None]] >= starts[first]).all()
