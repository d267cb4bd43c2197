"""The routes' NumPy kernels (`sim.model.routes`: tours, the lunch rounds' stretches) against plain
references; the planner's compiled kernel is tested in ``test_plan_kernel``."""

from __future__ import annotations

import numpy as np

from sim.model.responders import village_rank
from sim.model.routes import Tours, plan_stretches
from sim.model.tour_kernel import tour_ranks


def test_remembered_tours_match_the_tour_and_do_not_mix_starts_or_matrices():
    rng = np.random.default_rng(3)
    a, b = rng.uniform(1, 60, (2, 12, 12))
    tours = Tours()
    for _ in range(50):
        villages = rng.integers(0, 12, rng.integers(1, 9))
        for matrix in (a, b):
            start = int(rng.integers(0, 12))
            want = village_rank(matrix, start, villages)
            assert np.array_equal(tours.rank(matrix, start, villages), want)
            assert np.array_equal(tours.rank(matrix, start, villages), want)      # remembered


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
