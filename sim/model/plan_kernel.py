"""The compiled kernel that plans helpers' stretches of routine work (`sim.model.routine`).

One call plans, helper after helper, what each of the given planner rows does
from its clock ``now`` until its block ends: the highest-ranked task that has
work and hours left, a stretch of that task's route (the longest prefix of its
next usable jobs that fits the block and the week's hours, with the way back
to base), then the next task or the next stretch, until nothing fits, the
shift or the block is over, or a courier's lunch round is due.  The rules are
those of `sim.model.routine`; this module only walks them in compiled code
(numba), so the cost of a day grows with the jobs planned, not with Python
calls per helper and batch.

The task sources (visits, home care, time-bank care) are read through their
arrays (`sim.model.routes.SourceArrays`): each helper's route (CSR), its
position, which entries are done or claimed, the elder of each entry, and the
work minutes of each entry (or, for visits, drawn from the source's stream of
durations, in the order jobs are looked at).  Claims are made and released
here, and a route moves past the jobs planned: the source's ``hold``.  Each
planned stretch is written to the output arrays, one row per stretch, for the
planner to hand over (log, count, hold for the dispatcher).

Clock in days, durations in minutes.  Planner rows are processed in the given
order; within a source, helpers' routes are disjoint (shared villages are split
between helpers), so the order of rows does not change what each one plans,
only the order of draws from the duration streams.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# `sim.model.routes`' constants, repeated so that a cached kernel depends on this file only (tested equal)
MIN_PER_DAY = 1440.0
PHONE = -2           # a phone visit: done where the helper is
DONE, FULL, DRAWS = 0, 1, 2   # what a call returns with: all rows done; output full; draws run out


@njit(cache=True)
def _fits_from_base(mat, base, village, work, at, block_end, budget):
    v = base if village == PHONE else village
    cost = work + (mat[base, v] + mat[v, base])
    return (at + cost / MIN_PER_DAY <= block_end + 1e-9) and (cost <= budget + 1e-6)


@njit(cache=True)
def plan_rows(rows, units, until, now, shift_end, working, used, hours, allowed, idle, no_task, pooled, pool,
              lunch_at, lunch_done, lunch_due, below_meals, base, mode, mats,
              entries, start, length, pos, period, elder_of, done_flag, claim, work_of, floor,
              has_map, has_claims, check_home, draws, has_floor,
              death, home_of, village, phone, dur, dur_pos, ph_dur, ph_pos,
              o_row, o_task, o_t0, o_n, o_back, o_used, o_period, o_pos, o_ent, o_elder, o_village,
              o_start, o_end, o_travel, o_work, o_count, width, min_stretch):
    """Plan ``rows`` (planner rows, in order) to the end of their block; see the module docstring.

    Per row h (planner row) and task j: ``used``/``hours`` (h, j) minutes this week, ``allowed``,
    ``idle`` (done for today); per task j the source's arrays (tuples indexed by j).  Returns
    (status, index into ``rows`` to resume from): DONE, or FULL / DRAWS when the output or a
    duration stream ran out before row ``rows[index]`` planned its next stretch (nothing of that
    stretch is done; call again from there once there is room).
    """
    n_tasks = used.shape[1]
    k = width
    v_buf = np.empty(k, np.int64)
    w_buf = np.empty(k)
    e_buf = np.empty(k, np.int64)
    s_buf = np.empty(k, np.int64)
    p_buf = np.empty(k, np.int64)
    trip = np.empty(k)
    done_t = np.empty(k)
    for i in range(len(rows)):
        h = rows[i]
        limit = min(shift_end[h], until)
        while working[h] and now[h] < limit:
            if not lunch_done[h] and now[h] >= lunch_at[h] - 1e-9:
                lunch_due[h] = True                  # the lunch round first (the planner's)
                break
            if no_task[h]:                           # a courier who only delivers
                if not lunch_done[h]:
                    now[h] = lunch_at[h]
                else:
                    working[h] = False
                continue
            any_can = False
            # the tasks in priority order: the first with work and hours that plans a stretch
            planned = False
            for j in range(n_tasks):
                if not allowed[h, j] or idle[h, j]:
                    continue
                left = pool[h] - used[h].sum() if pooled[h] else hours[h, j] - used[h, j]
                if left < min_stretch:
                    continue
                u = units[h]
                if pos[j][u] >= length[j][u]:
                    continue
                any_can = True
                end = shift_end[h]
                if below_meals[j] and not lunch_done[h]:
                    end = min(end, lunch_at[h])
                mat = mats[mode[h]]
                t0 = now[h]
                if pooled[h] and has_floor[j]:       # volunteers: no job of the route would fit
                    f = floor[j][u]
                    if f > left + 1e-6 or t0 + f / MIN_PER_DAY > end + 1e-9:
                        idle[h, j] = True
                        continue
                if o_count[0] >= len(o_row):
                    return FULL, i
                if draws[j] and (dur_pos[0] + k > len(dur) or ph_pos[0] + k > len(ph_dur)):
                    return DRAWS, i
                # the window: from the route's position, the first k entries with any usable one
                p0 = pos[j][u]
                n_len = length[j][u]
                st = start[j][u]
                count = 0
                while p0 < n_len:
                    for c in range(k):
                        p = p0 + c
                        if p >= n_len:
                            break
                        s = entries[j][st + p]
                        e = elder_of[j][s] if has_map[j] else s
                        if death[e] <= t0:
                            continue
                        if check_home[j] and home_of[e] >= 0:
                            continue
                        if has_claims[j] and (done_flag[j][s] or claim[j][s]):
                            continue
                        s_buf[count] = s
                        e_buf[count] = e
                        p_buf[count] = p
                        count += 1
                    if count > 0:
                        break
                    p0 = min(p0 + k, n_len)
                pos[j][u] = p0
                if count == 0:                      # nothing usable is left on the route
                    idle[h, j] = True
                    continue
                for c in range(count):               # claimed while planned; work and place
                    s = s_buf[c]
                    e = e_buf[c]
                    if has_claims[j]:
                        claim[j][s] = True
                    if draws[j]:
                        w_buf[c] = dur[dur_pos[0]]
                        dur_pos[0] += 1
                    else:
                        w_buf[c] = work_of[j][s]
                    v_buf[c] = village[e]
                if draws[j]:
                    for c in range(count):
                        if phone[e_buf[c]]:
                            v_buf[c] = PHONE
                            w_buf[c] = ph_dur[ph_pos[0]]
                            ph_pos[0] += 1
                # the longest prefix that fits the block and the hours, back to base
                b = base[h]
                at = b
                total = 0.0
                n = 0
                by_budget = False
                for c in range(count):
                    v = v_buf[c]
                    if v == PHONE:
                        t = 0.0
                        v = at
                    else:
                        t = mat[at, v]
                    step = w_buf[c] + t
                    total_c = total + step
                    home = total_c + mat[v, b]
                    in_budget = home <= left + 1e-9
                    if not (t0 + home / MIN_PER_DAY <= end + 1e-12 and in_budget):
                        by_budget = not in_budget
                        break
                    trip[c] = t
                    done_t[c] = total_c
                    total = total_c
                    at = v
                    n += 1
                exhausted = by_budget and not pooled[h]   # the week's hours are spent for this task
                if n == 0:
                    for c in range(count):
                        if has_claims[j]:
                            claim[j][s_buf[c]] = False
                    if exhausted:
                        used[h, j] = hours[h, j]
                    else:
                        idle[h, j] = True
                    continue
                back = t0 + (total + mat[at, b]) / MIN_PER_DAY
                before = used[h, j]
                used[h, j] = before + (back - t0) * MIN_PER_DAY
                if exhausted:
                    used[h, j] = hours[h, j]
                if n < count:                        # the next job would not fit from base: done today
                    left2 = left - (back - t0) * MIN_PER_DAY
                    if not _fits_from_base(mat, b, v_buf[n], w_buf[n], back, end, left2):
                        idle[h, j] = True
                    for c in range(n, count):
                        if has_claims[j]:
                            claim[j][s_buf[c]] = False
                pos[j][u] = p_buf[n - 1] + 1
                now[h] = back
                o = o_count[0]
                o_count[0] = o + 1
                o_row[o] = h
                o_task[o] = j
                o_t0[o] = t0
                o_n[o] = n
                o_back[o] = back
                o_used[o] = before
                o_period[o] = period[j][u]
                for c in range(k):
                    if c < n:
                        o_pos[o, c] = p_buf[c]
                        o_ent[o, c] = s_buf[c]
                        o_elder[o, c] = e_buf[c]
                        o_village[o, c] = v_buf[c]
                        o_end[o, c] = t0 + done_t[c] / MIN_PER_DAY
                        o_start[o, c] = o_end[o, c] - (w_buf[c] + trip[c]) / MIN_PER_DAY
                        o_travel[o, c] = trip[c]
                        o_work[o, c] = w_buf[c]
                    else:
                        o_pos[o, c] = -1
                        o_ent[o, c] = -1
                        o_elder[o, c] = -1
                        o_village[o, c] = -1
                        o_end[o, c] = 0.0
                        o_start[o, c] = 0.0
                        o_travel[o, c] = 0.0
                        o_work[o, c] = 0.0
                planned = True
                break
            if not planned and not any_can:          # nothing to do: wait for lunch, or the day is over
                if not lunch_done[h]:
                    now[h] = lunch_at[h]
                else:
                    working[h] = False
    return DONE, len(rows)

