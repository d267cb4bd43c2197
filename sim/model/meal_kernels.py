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

from sim.model.tour_kernel import tour_rank

# outcome codes, as MEAL_OUTCOMES in sim.model.meals
DINE_IN, DELIVERED, CLOSED, FULL, NO_SERVICE, LATE = range(6)
N_OUTCOMES = 6


@njit(cache=True)
def transpose(u):
    """``u.T`` as a C-contiguous array (one row a day: a day's draws side by side)."""
    n, d = u.shape
    out = np.empty((d, n))
    for i in range(n):
        for j in range(d):
            out[j, i] = u[i, j]
    return out


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
def _merge_sort(items, key):
    """``items`` sorted by ``key[item]`` in place, stably (bottom-up merge sort; written out, as
    ``np.argsort`` costs seconds to compile)."""
    n = len(items)
    a = items.copy()
    b = np.empty(n, items.dtype)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, q = lo, mid, lo
            while i < mid and j < hi:
                if key[a[j]] < key[a[i]]:
                    b[q] = a[j]
                    j += 1
                else:
                    b[q] = a[i]
                    i += 1
                q += 1
            while i < mid:
                b[q] = a[i]
                i += 1
                q += 1
            while j < hi:
                b[q] = a[j]
                j += 1
                q += 1
        a, b = b, a
        width *= 2
    items[:] = a


@njit(cache=True)
def _sorted_by_key(items, key):
    """``items`` sorted by ``key[item]`` in place, stably (insertion for a few, else a merge sort)."""
    if len(items) > 64:
        _merge_sort(items, key)
        return
    for q in range(1, len(items)):
        item = items[q]
        x = key[item]
        r = q - 1
        while r >= 0 and key[items[r]] > x:
            items[r + 1] = items[r]
            r -= 1
        items[r + 1] = item


@njit(cache=True)
def allocate(serve, u, p, scale, eligible, village, death, adl, in_home, now, walk_to, walk_min,
             walk_max_adl, walk_threshold, dine_capacity, delivery, deliver_to, kitchen, delivery_max,
             n_couriers, courier_table):
    """One day's lunch: the wishes ``u[i] < p`` of the month's eligible elders ``eligible[i]`` (in
    ``village[i]``, dying on ``death[i]``) still alive and at home (``in_home[i]`` false: not in a
    nursing home), keyed ``u / scale`` (their random order).  ``serve``: 0 canteens closed (every
    wish ``CLOSED``), 1 no canteen (``NO_SERVICE``), 2 the day's service.

    Seats and orders go to the first wishes by key of each canteen, up to its room: without sorting
    the wishes, a histogram of the keys per canteen finds the bucket where its room runs out, and only
    that bucket's few wishes are sorted (a wish's rank by key among its canteen's is below the room
    exactly when its bucket is below that one, or it is among the first of that bucket).  Returns the
    kept elders, their villages, keys, outcomes, whether each dines (walks to a canteen), each
    canteen's lunches cooked (dine-in plus orders), and the day's orders by courier (courier, elder,
    village, index in the kept)."""
    n = len(u)
    e = np.empty(n, np.int64)
    v = np.empty(n, np.int64)
    k = np.empty(n, np.float64)
    a = np.empty(n, adl.dtype)
    m = 0
    for i in range(n):                              # the day's wishes of elders still at home
        x = u[i]
        e[m] = eligible[i]
        v[m] = village[i]
        k[m] = x / scale
        a[m] = adl[i]
        m += (x < p) & (death[i] > now) & (not in_home[i])
    e, v, k = e[:m], v[:m], k[:m]
    n_c = len(dine_capacity)
    cooked = np.zeros(n_c, np.int64)
    dine = np.zeros(m, np.bool_)
    none = np.zeros(0, np.int64)
    if serve < 2:
        out = np.full(m, CLOSED if serve == 0 else NO_SERVICE, np.int8)
        return e, v, k, out, dine, cooked, none, none, none, none
    # groups: dine-in at canteen c (c), orders from canteen c (n_c + c), neither (2 n_c)
    n_v = len(walk_min)
    walks = np.empty(n_v, np.bool_)
    order_at = np.empty(n_v, np.int64)
    for w in range(n_v):
        walks[w] = walk_min[w] <= walk_threshold
        order_at[w] = n_c + deliver_to[w] if delivery and deliver_to[w] >= 0 else 2 * n_c
    nb = max(8, min(1024, m // max(2 * n_c, 1)))    # key buckets a group: about 2 wishes each
    group = np.empty(m, np.int64)
    bucket = np.empty(m, np.int64)
    for q in range(m):
        w = v[q]
        d = (a[q] <= walk_max_adl) & walks[w]
        dine[q] = d
        group[q] = walk_to[w] if d else order_at[w]
        bucket[q] = min(int(k[q] * nb), nb - 1)    # keys of wishes lie in [0, 1]
    hist = np.zeros((2 * n_c + 1, nb), np.int64)
    for q in range(m):                              # (a loop of its own: twice as fast)
        hist[group[q], bucket[q]] += 1
    size = np.zeros(2 * n_c + 1, np.int64)
    for g in range(2 * n_c + 1):
        for b in range(nb):
            size[g] += hist[g, b]
    room = np.empty(2 * n_c, np.int64)
    for c in range(n_c):
        room[c] = dine_capacity[c]
        cooked[c] = min(size[c], dine_capacity[c])
        room[n_c + c] = max(min(kitchen - cooked[c], delivery_max), 0)
    cut = np.full(2 * n_c, nb, np.int64)           # the bucket where the group's room runs out
    need = np.zeros(2 * n_c, np.int64)              # how many of that bucket's wishes still fit
    at = np.zeros(2 * n_c + 1, np.int64)            # the cut buckets' wishes, group by group
    for g in range(2 * n_c):
        if size[g] > room[g]:
            before = 0
            r = max(room[g], 0)
            for b in range(nb):
                if before + hist[g, b] > r:
                    cut[g] = b
                    need[g] = r - before
                    at[g + 1] = hist[g, b]
                    break
                before += hist[g, b]
    for g in range(2 * n_c):
        at[g + 1] += at[g]
    edge = np.empty(at[2 * n_c], np.int64)
    fill = at[:2 * n_c].copy()
    per = np.zeros(n_c + 1, np.int64)               # the orders, canteen by canteen
    for c in range(n_c):
        per[c + 1] = per[c] + min(size[n_c + c], room[n_c + c])
    lots = np.empty(per[n_c], np.int64)
    put = per[:n_c].copy()
    out = np.full(m, NO_SERVICE, np.int8)
    for q in range(m):
        g = group[q]
        if g < 2 * n_c:
            b = bucket[q]
            if b < cut[g]:
                if g < n_c:
                    out[q] = DINE_IN
                else:
                    out[q] = LATE                   # until a courier hands the meal over
                    lots[put[g - n_c]] = q
                    put[g - n_c] += 1
            elif b == cut[g]:
                edge[fill[g]] = q
                fill[g] += 1
            else:
                out[q] = FULL
    for g in range(2 * n_c):
        mine = edge[at[g]:at[g + 1]]
        _sorted_by_key(mine, k)
        for r in range(len(mine)):
            q = mine[r]
            if r >= need[g]:
                out[q] = FULL
            elif g < n_c:
                out[q] = DINE_IN
            else:
                out[q] = LATE
                lots[put[g - n_c]] = q
                put[g - n_c] += 1
    n_orders = per[n_c]
    courier = np.empty(n_orders, np.int64)
    for c in range(n_c):                            # shared among the canteen's couriers in turn
        lot = lots[per[c]:per[c + 1]]
        if n_couriers[c] > 1:
            _sorted_by_key(lot, k)
        for r in range(len(lot)):
            courier[per[c] + r] = courier_table[c, r % n_couriers[c]]
        cooked[c] += len(lot)
    by = np.arange(n_orders)                        # by courier, then by index
    _sorted_by_key(by, courier * (m + 1) + lots)
    rc = courier[by]
    ix = lots[by]
    return e, v, k, out, dine, cooked, rc, e[ix], v[ix], ix


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
    table = np.empty((rows, N_OUTCOMES + 3), np.int32)     # the columns of the meals record, in order
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
def _first_at_least(sorted_, x):
    """The first place in ascending ``sorted_`` whose value is at least ``x`` (``np.searchsorted``)."""
    lo, hi = 0, len(sorted_)
    while lo < hi:
        mid = (lo + hi) // 2
        if sorted_[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


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
            first[r] = _first_at_least(rc, units[r])
            size[r] = _first_at_least(rc, units[r] + 1) - first[r]
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
    order = np.empty(width, np.int64)
    d = np.empty(width, np.int64)
    used = np.empty(width, np.bool_)
    step_of = np.empty(width, np.int64)
    span = np.int64(re.max()) + 1 if len(re) else 1     # place * span + elder: one sort key
    for r in range(n):
        s = size[r]
        if s == 0:
            continue
        start = canteen_village[courier_canteen[units[r]]]
        canteen[r] = start
        lo = first[r]
        tour_rank(matrices[mode[r]], start, rv[lo:lo + s], place, d, used, step_of)
        for q in range(s):                          # by place on the tour, then by elder
            place[q] = place[q] * span + re[lo + q]
        for q in range(s):
            order[q] = q
        _sorted_by_key(order[:s], place)
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


@njit(cache=True)
def deliver(outcome, idx, n, day, today):
    """The first ``n[r]`` orders of each round handed over (rounds of ``today`` only)."""
    for r in range(len(n)):
        if day[r] == today:
            for c in range(n[r]):
                outcome[idx[r, c]] = DELIVERED


@njit(cache=True)
def opened(open_day, canteens, now, current):
    """Whether the canteens operating at ``now`` differ from ``current``."""
    for c in range(len(canteens)):
        if (open_day[canteens[c]] <= now) != current[c]:
            return True
    return False
