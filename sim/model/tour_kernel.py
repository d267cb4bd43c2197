"""Nearest-neighbour tours over villages in compiled code (`sim.model.responders.village_rank`'s rule).

A helper walks its villages in nearest-neighbour order from its base (a courier from its canteen):
the nearest not yet visited next, ties to the lower village (as ``np.argmin`` over them in ascending
order, a NaN first).  ``tour_rank`` places one group's items on its tour; ``tour_ranks`` does it for
every helper's items at once (the month's visits, the week's home-care sessions).  Numba
(``cache=True``: compiled once per machine, then loaded).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def tour_rank(matrix, start, villages, place, d, used, step_of):
    """Each item's place on the nearest-neighbour tour from ``start`` over the distinct ``villages``
    (`sim.model.responders.village_rank`: ties to the lowest village, as ``np.argmin`` over them
    in ascending order), written to ``place``; ``d``, ``used``, ``step_of``: room to work in."""
    n = len(villages)
    nd = 0
    for i in range(n):                              # the distinct villages, ascending
        x = villages[i]
        r = nd - 1
        while r >= 0 and d[r] > x:
            r -= 1
        if r >= 0 and d[r] == x:
            continue
        for t in range(nd, r + 1, -1):
            d[t] = d[t - 1]
        d[r + 1] = x
        nd += 1
    if nd <= 1:
        place[:n] = 0
        return
    used[:nd] = False
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
        j = 0
        while d[j] != villages[i]:
            j += 1
        place[i] = step_of[j]


@njit(cache=True)
def tour_ranks(mats, mode, start, group, village, n_villages):
    """Each item's place on its group's tour (``tour_rank``) over the distinct villages of the group's
    items, from ``start[g]`` by ``mats[mode[g]]``: all groups (helpers) at once.  ``group`` and
    ``village`` per item."""
    n = len(group)
    out = np.zeros(n, np.int64)
    if n == 0:
        return out
    n_groups = group.max() + 1
    at = np.zeros(n_groups + 1, np.int64)           # the items by group, in their order (a counting sort)
    for i in range(n):
        at[group[i] + 1] += 1
    for g in range(n_groups):
        at[g + 1] += at[g]
    order = np.empty(n, np.int64)
    for i in range(n):
        order[at[group[i]]] = i
        at[group[i]] += 1
    villages = np.empty(n, np.int64)
    place = np.empty(n, np.int64)
    d = np.empty(n_villages, np.int64)
    used = np.empty(n_villages, np.bool_)
    step_of = np.empty(n_villages, np.int64)
    i = 0
    while i < n:
        g = group[order[i]]
        j = i
        while j < n and group[order[j]] == g:
            villages[j - i] = village[order[j]]
            j += 1
        tour_rank(mats[mode[g]], start[g], villages[:j - i], place, d, used, step_of)
        for t in range(i, j):
            out[order[t]] = place[t - i]
        i = j
    return out
