"""Compiled kernels of the daily lunch allocation (`sim.model.meals`), one pass over the day's wishes.

The rules are the ones `sim.model.meals` states; these kernels only do them without a NumPy call per
step: a month's wishes split by day, the day's wishes put in their random order once (a bucket sort
of the uniform keys, linear in the wishes), the seats, kitchens and couriers handed out in that order
with a counter per canteen (an item is served if fewer than the capacity came before it: its rank
within the canteen), the orders grouped by courier, each lunch round laid out nearest-first, and the
day's outcomes counted per village.  Numba (``cache=True``: compiled once per machine, then loaded).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# outcome codes, as MEAL_OUTCOMES in sim.model.meals
DINE_IN, DELIVERED, CLOSED, FULL, NO_SERVICE, LATE = range(6)
N_OUTCOMES = 6


@njit(cache=True)
def month_wishes(u, p, scale, eligible, adl):
    """The month's wishes (``u[i, j] < p``: elder ``i`` wants lunch on the month's day ``j``), day by
    day in elder order: day ``j``'s are ``[start[j], start[j] + count[j])`` of the elders, their ADL
    states and keys ``u / scale``.  Written without a branch per draw (each day's stretch has one
    slot to spare, overwritten until a wish keeps it)."""
    n, d = u.shape
    count = np.zeros(d, np.int64)
    for i in range(n):
        for j in range(d):
            count[j] += u[i, j] < p
    start = np.zeros(d + 1, np.int64)
    for j in range(d):
        start[j + 1] = start[j] + count[j] + 1
    m = start[d]
    elders = np.empty(m, np.int64)
    states = np.empty(m, adl.dtype)
    keys = np.empty(m, np.float64)
    at = start[:d].copy()
    for i in range(n):
        e = eligible[i]
        s = adl[i]
        for j in range(d):
            x = u[i, j]
            q = at[j]
            elders[q] = e
            states[q] = s
            keys[q] = x / scale
            at[j] = q + (x < p)
    return start, count, elders, states, keys


@njit(cache=True)
def _sort_by_key(items, key):
    """``items`` sorted by ``key[item]`` in place (insertion: a few items)."""
    for q in range(1, len(items)):
        item = items[q]
        x = key[item]
        r = q - 1
        while r >= 0 and key[items[r]] > x:
            items[r + 1] = items[r]
            r -= 1
        items[r + 1] = item


@njit(cache=True)
def first_by_key(group, key, capacity):
    """Whether each item (group -1: none) is among the first ``capacity[group]`` of its group by
    ``key`` (keys spread over [0, 1): uniform draws, no ties).  Without sorting the items: a
    histogram of the keys per group finds the bucket where each group's capacity runs out, and only
    that bucket's few items are sorted."""
    n, n_g = len(group), len(capacity)
    ok = np.zeros(n, np.bool_)
    size = np.zeros(n_g, np.int64)
    for i in range(n):
        if group[i] >= 0:
            size[group[i]] += 1
    over = False
    for g in range(n_g):
        if size[g] > capacity[g]:
            over = True
    if not over:                                    # room for all
        for i in range(n):
            ok[i] = group[i] >= 0
        return ok
    nb = max(8, min(1024, n // max(2 * n_g, 1)))    # buckets per group: about 2 items each
    bucket = np.zeros(n, np.int64)
    hist = np.zeros((n_g, nb), np.int64)
    for i in range(n):
        g = group[i]
        if g >= 0 and size[g] > capacity[g]:
            x = key[i]
            b = 0
            if x >= 1.0:
                b = nb - 1
            elif x > 0.0:
                b = min(int(x * nb), nb - 1)
            bucket[i] = b
            hist[g, b] += 1
    cut = np.full(n_g, nb, np.int64)               # the bucket where the group's room runs out
    need = np.zeros(n_g, np.int64)                  # how many of that bucket's items still fit
    at = np.zeros(n_g + 1, np.int64)                # the cut buckets' items, group by group
    for g in range(n_g):
        if size[g] > capacity[g]:
            before = 0
            room = max(capacity[g], 0)
            for b in range(nb):
                if before + hist[g, b] > room:
                    cut[g] = b
                    need[g] = room - before
                    at[g + 1] = hist[g, b]
                    break
                before += hist[g, b]
    for g in range(n_g):
        at[g + 1] += at[g]
    edge = np.empty(at[n_g], np.int64)
    fill = at[:n_g].copy()
    for i in range(n):
        g = group[i]
        if g >= 0:
            if size[g] <= capacity[g] or bucket[i] < cut[g]:
                ok[i] = True
            elif bucket[i] == cut[g]:
                edge[fill[g]] = i
                fill[g] += 1
    for g in range(n_g):
        if at[g + 1] > at[g]:
            mine = edge[at[g]:at[g + 1]]
            _sort_by_key(mine, key)
            for q in range(need[g]):
                ok[mine[q]] = True
    return ok


@njit(cache=True)
def first_within(group, capacity):
    """Whether each item (in the order given; group -1: none) is among its group's first
    ``capacity[group]``."""
    ok = np.zeros(len(group), np.bool_)
    seen = np.zeros(len(capacity), np.int64)
    for i in range(len(group)):
        g = group[i]
        if g >= 0:
            ok[i] = seen[g] < capacity[g]
            seen[g] += 1
    return ok


@njit(cache=True)
def allocate(serve, elders, adl, key, in_home, death, now, village, walk_to, walk_min, walk_max_adl,
             walk_threshold, dine_capacity, delivery, deliver_to, kitchen, delivery_max, n_couriers,
             courier_table):
    """One day's allocation over the wishes of elders still alive and at home (not in a nursing
    home).  ``serve``: 0 canteens closed (every wish ``CLOSED``), 1 no canteen (``NO_SERVICE``),
    2 the day's service.  Returns the kept elders, their villages, keys, outcomes, whether each
    dines (walks to a canteen), each canteen's lunches cooked (dine-in plus orders), and the day's
    orders by courier (courier, elder, village, index in the kept)."""
    n = len(elders)
    e = np.empty(n, np.int64)
    v = np.empty(n, np.int64)
    k = np.empty(n, np.float64)
    dine = np.zeros(n, np.bool_)
    m = 0
    for i in range(n):                              # the wishes of elders still at home
        x = elders[i]
        w = village[x]
        e[m] = x
        v[m] = w
        k[m] = key[i]
        if serve == 2:
            dine[m] = (adl[i] <= walk_max_adl) & (walk_min[w] <= walk_threshold)
        m += (death[x] > now) & (not in_home[i])
    e, v, k, dine = e[:m], v[:m], k[:m], dine[:m]
    n_c = len(dine_capacity)
    cooked = np.zeros(n_c, np.int64)
    none = np.zeros(0, np.int64)
    if serve < 2:
        out = np.full(m, CLOSED if serve == 0 else NO_SERVICE, np.int8)
        return e, v, k, out, dine, cooked, none, none, none, none
    out = np.full(m, NO_SERVICE, np.int8)
    group = np.full(m, -1, np.int64)
    for i in range(m):
        if dine[i]:
            group[i] = walk_to[v[i]]
    seated = first_by_key(group, k, dine_capacity)   # the seats, in the day's random order
    for i in range(m):
        if dine[i]:
            if seated[i]:
                out[i] = DINE_IN
                cooked[group[i]] += 1
            else:
                out[i] = FULL
    n_orders = 0
    courier = np.full(m, -1, np.int64)
    if delivery:
        left = np.empty(n_c, np.int64)
        for c in range(n_c):
            left[c] = max(min(kitchen - cooked[c], delivery_max), 0)
        for i in range(m):
            group[i] = -1 if dine[i] else deliver_to[v[i]]
        taken = first_by_key(group, k, left)        # the orders, in the same order
        per = np.zeros(n_c + 1, np.int64)
        for i in range(m):
            c = group[i]
            if c >= 0:
                if taken[i]:
                    out[i] = LATE                   # until a courier hands the meal over
                    per[c + 1] += 1
                    n_orders += 1
                else:
                    out[i] = FULL
        for c in range(n_c):
            cooked[c] += per[c + 1]
            per[c + 1] += per[c]
        mine = np.empty(n_orders, np.int64)         # the orders, canteen by canteen
        fill = per[:n_c].copy()
        for i in range(m):
            if group[i] >= 0 and taken[i]:
                mine[fill[group[i]]] = i
                fill[group[i]] += 1
        for c in range(n_c):                        # shared among the canteen's couriers in turn
            lot = mine[per[c]:per[c + 1]]
            if len(lot) > 1 and n_couriers[c] > 1:
                _sort_by_key(lot, k)
            for q in range(len(lot)):
                courier[lot[q]] = courier_table[c, q % n_couriers[c]]
    idx = np.empty(n_orders, np.int64)
    q = 0
    for i in range(m):
        if courier[i] >= 0:
            idx[q] = i
            q += 1
    by = idx[np.argsort(courier[idx], kind="mergesort")]     # by courier, then by index
    rc = courier[by]
    return e, v, k, out, dine, cooked, rc, e[by], v[by], by


@njit(cache=True)
def day_counts(out, v, n_villages, day):
    """The day's record rows: (day, village, demanded, one column per outcome) for each village with
    a wish, and the lunches served (dine-in + delivered)."""
    counts = np.zeros((n_villages, N_OUTCOMES), np.int64)
    for i in range(len(out)):
        counts[v[i], out[i]] += 1
    rows = 0
    for w in range(n_villages):
        if counts[w].sum() > 0:
            rows += 1
    table = np.empty((rows, N_OUTCOMES + 3), np.int64)
    r = 0
    served = 0
    for w in range(n_villages):
        total = counts[w].sum()
        if total > 0:
            table[r, 0] = day
            table[r, 1] = w
            table[r, 2] = total
            for o in range(N_OUTCOMES):
                table[r, 3 + o] = counts[w, o]
            r += 1
        served += counts[w, DINE_IN] + counts[w, DELIVERED]
    return table, served


@njit(cache=True)
def _tour_rank(matrix, start, villages, place):
    """Each item's place on the nearest-neighbour tour from ``start`` over the distinct ``villages``
    (`sim.model.responders.village_rank`: ties to the lowest village, as ``np.argmin`` over them
    in ascending order), written to ``place``."""
    n = len(villages)
    d = np.sort(villages)
    nd = 0
    for i in range(n):                              # the distinct villages, ascending
        if nd == 0 or d[i] != d[nd - 1]:
            d[nd] = d[i]
            nd += 1
    if nd <= 1:
        place[:n] = 0
        return
    used = np.zeros(nd, np.bool_)
    step_of = np.empty(nd, np.int64)
    here = start
    for step in range(nd):
        best = -1
        bv = 0.0
        for j in range(nd):
            if used[j]:
                continue
            x = matrix[here, d[j]]
            if x != x:                              # np.argmin: the first NaN
                best = j
                break
            if best < 0 or x < bv:
                best = j
                bv = x
        used[best] = True
        step_of[best] = step
        here = d[best]
    for i in range(n):
        place[i] = step_of[np.searchsorted(d[:nd], villages[i])]


@njit(cache=True)
def rounds(units, rc, re, rv, ri, taken, ready, courier_canteen, canteen_village, matrices, mode):
    """The lunch rounds of ``units`` (each handed out once: ``taken`` is updated), each nearest-first
    from its canteen (ties by elder): padded (elders, villages, index in the day's wishes), count,
    canteen village."""
    n = len(units)
    first = np.zeros(n, np.int64)
    size = np.zeros(n, np.int64)
    if ready:
        for r in range(n):
            first[r] = np.searchsorted(rc, units[r])
            size[r] = np.searchsorted(rc, units[r], side="right") - first[r]
            if taken[units[r]]:
                size[r] = 0
        for r in range(n):
            taken[units[r]] = True
    width = 0
    for r in range(n):
        width = max(width, size[r])
    elders = np.full((n, width), -1, np.int64)
    villages = np.full((n, width), -1, np.int64)
    idx = np.full((n, width), -1, np.int64)
    canteen = np.zeros(n, np.int64)
    place = np.empty(width, np.int64)
    span = np.int64(re.max()) + 1 if len(re) else 1     # place * span + elder: one sort key
    order = np.empty(width, np.int64)
    for r in range(n):
        s = size[r]
        if s == 0:
            continue
        start = canteen_village[courier_canteen[units[r]]]
        canteen[r] = start
        lo = first[r]
        _tour_rank(matrices[mode[r]], start, rv[lo:lo + s], place)
        for q in range(s):                          # by place on the tour, then by elder
            place[q] = place[q] * span + re[lo + q]
        if s <= 64:
            for q in range(s):
                t = q - 1
                while t >= 0 and place[order[t]] > place[q]:
                    order[t + 1] = order[t]
                    t -= 1
                order[t + 1] = q
        else:
            order[:s] = np.argsort(place[:s], kind="mergesort")
        for c in range(s):
            j = lo + order[c]
            elders[r, c] = re[j]
            villages[r, c] = rv[j]
            idx[r, c] = ri[j]
    return elders, villages, idx, size, canteen


@njit(cache=True)
def spread(draws, count, width):
    """Hand-over minutes ``(len(count), width)``: row r's first ``count[r]`` cells from ``draws`` in
    row-major order, the rest 0."""
    work = np.zeros((len(count), width))
    q = 0
    for r in range(len(count)):
        for c in range(count[r]):
            work[r, c] = draws[q]
            q += 1
    return work
