"""The compiled lunch kernels (`sim.model.meal_kernels`) against the NumPy rules they replace.

The reference below is the allocation as `sim.model.meals` wrote it in NumPy before the kernels (a
wish's rank by key among its canteen's, a sort per crowded canteen): the kernels must give the same
outcomes, orders and couriers on random days, crowded and not, with one courier a canteen or several.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import meal_kernels as K
from sim.model.responders import village_rank

DINE_IN, DELIVERED, CLOSED, FULL, NO_SERVICE, LATE = range(6)


def _rank_within(group, key):
    order = np.lexsort((key, group))
    g = group[order]
    new = np.ones(len(g), dtype=bool)
    new[1:] = g[1:] != g[:-1]
    at = np.arange(len(g))
    starts = np.maximum.accumulate(np.where(new, at, 0)) if len(g) else at
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = at - starts
    return rank


def _within(group, key, capacity):
    ok = group >= 0
    c = ok.nonzero()[0]
    ok[c] = _rank_within(group[c], key[c]) < capacity[group[c]]
    return ok


def reference(u, p, scale, eligible, village, death, adl, home, now, walk_to, walk_min, walk_max_adl,
              threshold, dine_capacity, delivery, deliver_to, kitchen, delivery_max, n_couriers, table):
    here = (u < p) & (death > now) & ~home
    elders, v, adl, key = eligible[here], village[here], adl[here], u[here] / scale
    out = np.full(len(elders), NO_SERVICE, np.int8)
    dine = (adl <= walk_max_adl) & (walk_min[v] <= threshold)
    canteen = np.where(dine, walk_to[v], -1)
    seated = _within(canteen, key, dine_capacity)
    out[dine & seated] = DINE_IN
    out[dine & ~seated] = FULL
    cooked = np.bincount(canteen[dine & seated], minlength=len(dine_capacity))
    if not delivery:
        return elders, out, cooked, np.zeros(0, np.int64), np.zeros(0, np.int64)
    left = np.maximum(np.minimum(kitchen - cooked, delivery_max), 0)
    want = ~dine & (deliver_to[v] >= 0)
    shop = np.where(want, deliver_to[v], -1)
    taken = _within(shop, key, left)
    out[want & ~taken] = FULL
    orders = np.flatnonzero(want & taken)
    c = shop[orders]
    rank = _rank_within(c, key[orders])
    courier = table[c, rank % n_couriers[c]]
    by = orders[np.argsort(courier, kind="stable")]
    out[orders] = LATE
    cooked = cooked + np.bincount(c, minlength=len(dine_capacity))
    return elders, out, cooked, np.sort(courier, kind="stable"), by


def day(rng, n=3000, n_v=30, n_c=6, couriers=(1, 3, 1, 2, 1, 1), seats=40, delivery_max=25, p=0.6):
    eligible = np.sort(rng.choice(10 * n, n, replace=False)).astype(np.int64)
    village = np.sort(rng.integers(0, n_v, n)).astype(np.int64)
    walk_min = rng.uniform(0, 40, n_v)
    walk_to = rng.integers(0, n_c, n_v).astype(np.int64)
    deliver_to = np.where(rng.random(n_v) < 0.7, rng.integers(0, n_c, n_v), -1).astype(np.int64)
    n_couriers = np.asarray(couriers, np.int64)
    table = np.full((n_c, n_couriers.max()), -1, np.int64)
    unit = 100
    for c in range(n_c):
        table[c, :n_couriers[c]] = unit + np.arange(n_couriers[c])
        unit += n_couriers[c]
    return dict(u=rng.random(n), p=p, scale=max(p, 1e-300), eligible=eligible, village=village,
                death=np.where(rng.random(n) < 0.03, 5.0, np.inf), adl=rng.integers(0, 4, n).astype(np.int8),
                home=rng.random(n) < 0.02, now=10.375, walk_to=walk_to, walk_min=walk_min, walk_max_adl=1,
                threshold=20.0, dine_capacity=np.full(n_c, seats, np.int64), delivery=True,
                deliver_to=deliver_to, kitchen=60, delivery_max=delivery_max, n_couriers=n_couriers,
                table=table)


def run(d, serve=2):
    return K.allocate(serve, d["u"], d["p"], d["scale"], d["eligible"], d["village"], d["death"], d["adl"],
                      d["home"], d["now"], d["walk_to"], d["walk_min"], d["walk_max_adl"], d["threshold"],
                      d["dine_capacity"], d["delivery"], d["deliver_to"], d["kitchen"], d["delivery_max"],
                      d["n_couriers"], d["table"])


@pytest.mark.parametrize("case", [
    {},                                                     # crowded canteens, a few orders each
    {"seats": 1000, "delivery_max": 1000},                  # room for all: nothing crowded
    {"seats": 0},                                           # no seats: every walker full
    {"n": 20000, "seats": 300, "delivery_max": 400},        # big canteens: the cut buckets hold > 64
    {"n": 50, "p": 1.0},                                    # a few wishes, everyone wishes
    {"p": 0.0},                                             # nobody wishes
])
def test_allocation_matches_the_numpy_rules(case):
    rng = np.random.default_rng(7)
    for _ in range(5):
        d = day(rng, **case)
        e, v, k, out, dine, cooked, rc, re, rv, ri = run(d)
        ref_e, ref_out, ref_cooked, ref_rc, ref_ri = reference(**d)
        np.testing.assert_array_equal(e, ref_e)
        np.testing.assert_array_equal(out, ref_out)
        np.testing.assert_array_equal(cooked, ref_cooked)
        np.testing.assert_array_equal(rc, ref_rc)
        np.testing.assert_array_equal(ri, ref_ri)
        np.testing.assert_array_equal(re, e[ri])
        assert (out == LATE).sum() == len(rc)


def test_without_delivery_and_on_closed_days():
    d = day(np.random.default_rng(3))
    d["delivery"] = False
    e, v, k, out, dine, cooked, rc, *_ = run(d)
    ref_e, ref_out, ref_cooked, *_ = reference(**d)
    np.testing.assert_array_equal(out, ref_out)
    np.testing.assert_array_equal(cooked, ref_cooked)
    assert len(rc) == 0 and not (out == LATE).any()
    for serve, code in ((0, CLOSED), (1, NO_SERVICE)):
        e2, v2, k2, out2, *_ = run(d, serve)
        np.testing.assert_array_equal(e2, ref_e)
        assert (out2 == code).all()


def test_merge_sort_is_a_stable_argsort():
    rng = np.random.default_rng(1)
    for n in (0, 1, 65, 1000):
        key = rng.integers(0, 20, n)                        # many ties: stability shows
        items = np.arange(n)
        K._sorted_by_key(items, key)
        np.testing.assert_array_equal(items, np.argsort(key, kind="stable"))


def test_lunch_rounds_go_nearest_first_as_the_helpers_tours():
    rng = np.random.default_rng(5)
    n_v = 25
    m = rng.uniform(1, 30, (n_v, n_v))
    m[3, 7] = m[3, 9] = 0.5                                  # a tie: the lower village first
    matrices = (m, m.T.copy(), m)                             # as `routes.travel_modes` gives them
    units = np.array([4, 2, 8], np.int64)
    rc = np.sort(rng.choice(units, 40))
    re = rng.permutation(1000)[:40].astype(np.int64)
    rv = rng.integers(0, n_v, 40).astype(np.int64)
    ri = np.arange(40, dtype=np.int64)
    courier_canteen = np.full(10, -1, np.int64)
    courier_canteen[units] = [0, 1, 0]
    canteen_village = np.array([3, 11], np.int64)
    mode = np.array([0, 1, 0], np.int64)
    taken = np.zeros(10, bool)
    elders, villages, idx, count, canteen = K.rounds(units, rc, re, rv, ri, taken, True, courier_canteen,
                                                     canteen_village, matrices, mode)
    for r, unit in enumerate(units):
        mine = np.flatnonzero(rc == unit)
        assert count[r] == len(mine) and canteen[r] == canteen_village[courier_canteen[unit]]
        rank = village_rank(matrices[mode[r]], int(canteen[r]), rv[mine])
        want = mine[np.lexsort((re[mine], rank))]
        np.testing.assert_array_equal(idx[r, :count[r]], ri[want])
        np.testing.assert_array_equal(elders[r, :count[r]], re[want])
        assert (elders[r, count[r]:] == -1).all()
    assert taken[units].all()                               # each round handed out once
    again = K.rounds(units, rc, re, rv, ri, taken, True, courier_canteen, canteen_village, matrices, mode)
    assert (again[3] == 0).all()
