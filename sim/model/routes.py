"""Routes of routine work and the NumPy kernels that walk them, for many helpers at once.

A task source (visits, home care, time-bank care) gives every helper a route for
its period (a month of visits, a week of home-care sessions, a month of care
requests): an ordered list of entries, the helper's position in it, and which
entries can still be served.  `Routes` keeps every helper's route as one flat
array (CSR: where each helper's part starts and how long it is), so that the
next jobs of many helpers are found in one step (`Routes.window`), and
`plan_stretches` plans their stretches together: a stretch is the longest
prefix of those jobs that fits in the helper's block and the week's hours for
the task, with the way back to base.  One helper is the case of one row.

Clock in days, durations in minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model.responders import village_rank

MIN_PER_DAY = 1440.0
WINDOW = 32          # jobs looked at per stretch
MIN_STRETCH = 30.0   # minutes: less than this left of a week's hours ends the task's week
JOB_TASKS = ("homecare", "meals", "visits", "return", "timebank_care")   # helper_jobs.task codes
HOMECARE, MEALS, VISITS, RETURN, TIMEBANK_CARE = range(5)
TASK_CODES = {"homecare": HOMECARE, "meals": MEALS, "visits": VISITS, "timebank": TIMEBANK_CARE}


class Routes:
    """Every helper's route of the current period, its position in it, and the period it belongs to."""

    def __init__(self, n_units: int):
        self.entries = np.zeros(0, np.int64)
        self.start = np.zeros(n_units, np.int64)
        self.length = np.zeros(n_units, np.int64)
        self.pos = np.zeros(n_units, np.int64)
        self.period = np.full(n_units, -1, np.int64)
        self.floor = np.zeros(n_units)      # least minutes of any one entry, from base and back (0: unknown)

    def assign(self, routes: dict[int, np.ndarray], period: int) -> None:
        """New routes for the units in ``routes`` (period ``period``); the other units get none
        (and keep the period they last had)."""
        parts = {int(u): np.asarray(r, np.int64) for u, r in routes.items()}
        units = np.array(sorted(parts), dtype=np.int64)
        sizes = np.array([len(parts[u]) for u in units.tolist()], dtype=np.int64)   # a loop over helpers
        entries = np.concatenate([parts[u] for u in units.tolist()]) if len(units) else np.zeros(0, np.int64)
        self.assign_sorted(np.repeat(units, sizes), entries, period)

    def assign_sorted(self, unit_of: np.ndarray, entries: np.ndarray, period: int) -> None:
        """As ``assign``, from one array of every route's ``entries`` in route order, sorted by their
        unit (``unit_of``)."""
        n = len(self.start)
        length = np.bincount(unit_of, minlength=n).astype(np.int64)
        units = np.flatnonzero(length)
        self.entries = np.asarray(entries, np.int64)
        start = np.zeros(n, np.int64)
        start[units] = np.cumsum(length[units]) - length[units]
        self.start, self.length = start, length
        self.pos[:] = 0
        self.period[units] = period
        self.floor[:] = 0.0

    def set_floor(self, minutes: list[np.ndarray], base: np.ndarray, villages: np.ndarray,
                  work: np.ndarray) -> None:
        """``floor[u]``: the least minutes any one entry of u's route takes, from u's base (by its
        travel matrix ``minutes[u]``) and back; ``villages`` and ``work`` are per entry."""
        units = np.flatnonzero(self.length > 0)
        if not len(units):
            return
        unit_of = np.repeat(units, self.length[units])      # entries are in unit order (``assign``)
        b = base[unit_of]
        cost = np.asarray(work, dtype=float).copy()
        ids = np.array([id(minutes[u]) for u in units.tolist()])      # a loop over helpers with a route
        for m in np.unique(ids).tolist():                   # a loop over the (at most three) matrices
            mine = units[ids == m]
            at = np.isin(unit_of, mine)
            matrix = minutes[int(mine[0])]
            cost[at] += matrix[b[at], villages[at]] + matrix[villages[at], b[at]]
        self.floor[units] = np.minimum.reduceat(cost, self.start[units])

    def clear(self) -> None:
        self.entries = np.zeros(0, np.int64)
        self.length[:] = 0
        self.pos[:] = 0
        self.floor[:] = 0.0

    def route(self, u: int) -> np.ndarray:
        return self.entries[self.start[u]: self.start[u] + self.length[u]]

    def has_work(self, units: np.ndarray) -> np.ndarray:
        return self.pos[units] < self.length[units]

    def window(self, units: np.ndarray, k: int, usable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each unit, from its position the first window of up to ``k`` entries with any usable
        one, its usable entries moved to the front: (entries, positions, count), entries and
        positions ``(len(units), k)`` padded with -1.  A unit's position moves past windows with
        nothing usable.  ``usable(entries, rows)`` says which entries of the given rows (indices
        into ``units``) can still be served."""
        r = len(units)
        pos = self.pos[units]
        length, start = self.length[units], self.start[units]
        found = np.full((r, k), -1, np.int64)
        entries_out = np.full((r, k), -1, np.int64)
        count = np.zeros(r, np.int64)
        todo = (pos < length).nonzero()[0]
        offsets = columns(k)
        moved = False
        while len(todo):
            p = pos[todo, None] + offsets
            inside = p < length[todo, None]
            if len(self.entries):
                entries = self.entries[np.where(inside, start[todo, None] + p, 0)]
                entries[~inside] = -1
            else:
                entries = np.full(p.shape, -1, np.int64)
            ok = inside & usable(entries, todo)
            c = np.count_nonzero(ok, axis=1)
            hit = c > 0
            i, j = ok.nonzero()
            if len(i):                                     # usable entries to the front, in order
                col = columns(len(i)) - np.repeat(np.cumsum(c) - c, c)
                found[todo[i], col] = p[i, j]
                entries_out[todo[i], col] = entries[i, j]
                count[todo[hit]] = c[hit]
            rest = todo[~hit]                              # the whole window is gone: move past it
            if not len(rest):
                break
            moved = True
            pos[rest] = np.minimum(pos[rest] + k, length[rest])
            todo = rest[pos[rest] < length[rest]]
        if moved:
            self.pos[units] = pos                          # the start of each row's window
        return entries_out, found, count

    def advance(self, units: np.ndarray, positions: np.ndarray, n: np.ndarray) -> None:
        """Past the last of the first ``n`` jobs of each row (rows with ``n == 0`` stay)."""
        rows = (n > 0).nonzero()[0]
        self.pos[units[rows]] = positions[rows, n[rows] - 1] + 1

    def rewind(self, units: np.ndarray, positions: np.ndarray, n: np.ndarray, keep: np.ndarray) -> None:
        """Back to the first job after the first ``keep`` of the ``n`` planned (rows with keep >= n stay)."""
        rows = (keep < n).nonzero()[0]
        self.pos[units[rows]] = positions[rows, keep[rows]]


class Tours:
    """Nearest-neighbour tours over villages (`sim.model.responders.village_rank`), remembered by
    (travel matrix, start, set of villages): helpers walk the same villages week after week, couriers
    the same few every day.  One per replication (keyed by the matrices it sees)."""

    def __init__(self):
        self._memo: dict[tuple, np.ndarray] = {}

    def rank(self, matrix: np.ndarray, start: int, villages: np.ndarray) -> np.ndarray:
        """Each item's place on the tour from ``start`` over the distinct ``villages``."""
        distinct = tuple(sorted(set(villages.tolist())))      # a few dozen: cheaper than np.unique
        if len(distinct) <= 1:
            return np.zeros(len(villages), dtype=np.int64)
        key = (id(matrix), start, distinct)
        hit = self._memo.get(key)
        if hit is None:
            d = np.array(distinct, dtype=np.int64)
            hit = self._memo[key] = (d, village_rank(matrix, start, d))
        d, place = hit
        return place[np.searchsorted(d, villages)]


_COLUMNS = np.arange(1024)


def columns(k: int) -> np.ndarray:
    """``np.arange(k)``, without a new array for the usual widths."""
    return _COLUMNS[:k] if k <= len(_COLUMNS) else np.arange(k)


def between(keep: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    """Mask ``(len(n), k)``: columns ``keep[r] <= c < n[r]`` of each row."""
    c = columns(k)
    return (c >= keep[:, None]) & (c < n[:, None])


def first_n(n: np.ndarray, k: int) -> np.ndarray:
    """Mask ``(len(n), k)``: the first ``n[r]`` columns of each row."""
    return columns(k) < n[:, None]


def row_of(mask: np.ndarray) -> np.ndarray:
    """The row of each True cell of a 2-D ``mask``, in row-major order (as ``mask`` selects)."""
    return mask.nonzero()[0]


PHONE = -2   # a job's village for a phone visit 通讯探访: done where the helper is, without travel


def plan_stretches(matrices: list[np.ndarray], mode: np.ndarray, base: np.ndarray, villages: np.ndarray,
                   work: np.ndarray, count: np.ndarray, now: np.ndarray, block_end: np.ndarray,
                   budget: np.ndarray, origin: np.ndarray | None = None):
    """The longest prefix of each row's jobs that fits (NumPy, all rows at once).

    Row r's jobs are done in order: travel from the previous place (its base for the
    first) by ``matrices[mode[r]]``, ``work`` minutes at the elder's home; the helper
    must be back at base by ``block_end[r]`` with at most ``budget[r]`` minutes used.
    Only the first ``count[r]`` columns are jobs.  With ``origin`` the helper first goes
    from its base to ``origin[r]`` (a canteen, to collect the lunches) and starts there.
    Returns (n, starts, ends, travel, back-at-base day, whether the budget, not the clock,
    stopped the stretch).
    """
    r, k = villages.shape
    if not k:
        return (np.zeros(r, np.int64), np.zeros((r, 0)), np.zeros((r, 0)), np.zeros((r, 0)), now.copy(),
                np.zeros(r, bool))
    valid = columns(k) < count[:, None]
    v = np.where(valid, villages, base[:, None])
    first = base if origin is None else origin
    phone = villages == PHONE                      # only ever among the first count[r] columns
    has_phone = np.count_nonzero(phone) > 0
    if has_phone:                                  # a phone job stays where the last real job was
        at = np.maximum.accumulate(np.where(valid & ~phone, columns(k), -1), axis=1)
        place = np.where(at >= 0, np.take_along_axis(villages, np.maximum(at, 0), axis=1), first[:, None])
        v = np.where(phone, place, v)
    prev = np.empty_like(v)
    prev[:, 0] = first
    prev[:, 1:] = v[:, :-1]
    if len(matrices) == 1 or not np.count_nonzero(mode != mode[0]):   # one travel mode (the usual batch)
        matrix = matrices[int(mode[0])]
        trip = matrix[prev, v]
        back_trip = matrix[v, base[:, None]]
        if origin is not None:
            trip[:, 0] += matrix[base, origin]
    else:
        trip = np.zeros((r, k))
        back_trip = np.zeros((r, k))
        for m in np.unique(mode):                      # a loop over the (at most three) travel modes
            rows = mode == m
            matrix = matrices[int(m)]
            trip[rows] = matrix[prev[rows], v[rows]]
            back_trip[rows] = matrix[v[rows], base[rows, None]]
            if origin is not None:
                trip[rows, 0] += matrix[base[rows], origin[rows]]
    trip = np.where(valid, trip, 0.0)
    if has_phone:
        trip[phone] = 0.0
    step = np.where(valid, work, 0.0)
    step += trip
    done = np.cumsum(step, axis=1)
    home = done + back_trip
    in_budget = home <= budget[:, None] + 1e-9
    fits = (now[:, None] + home / MIN_PER_DAY <= block_end[:, None] + 1e-12) & in_budget & valid
    n = np.logical_and.accumulate(fits, axis=1).sum(axis=1)     # the jobs before the first that does not fit
    rows = columns(r)
    by_budget = (n < count) & ~in_budget[rows, np.minimum(n, k - 1)]
    ends = now[:, None] + done / MIN_PER_DAY
    starts = ends - step / MIN_PER_DAY
    back = np.where(n > 0, now + home[rows, np.maximum(n - 1, 0)] / MIN_PER_DAY, now)
    return n, starts, ends, trip, back, by_budget


def fits_from_base(matrices: list[np.ndarray], mode: np.ndarray, base: np.ndarray, village: np.ndarray,
                   work: np.ndarray, at: np.ndarray, block_end: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """Whether one job (``village``, ``work`` minutes) started from base at ``at`` and back to base
    fits by ``block_end`` within ``budget`` minutes, per row; with a small margin (a row on the
    edge counts as fitting).  A phone job (``PHONE``) has no travel."""
    v = np.where(village == PHONE, base, village)
    if len(matrices) == 1 or not np.count_nonzero(mode != mode[0]):     # one travel mode (the usual)
        matrix = matrices[int(mode[0])]
        cost = work + (matrix[base, v] + matrix[v, base])
    else:
        cost = work.astype(float)
        for m in np.unique(mode).tolist():             # a loop over the (at most three) travel modes
            rows = mode == m
            matrix = matrices[m]
            cost[rows] += matrix[base[rows], v[rows]] + matrix[v[rows], base[rows]]
    return (at + cost / MIN_PER_DAY <= block_end + 1e-9) & (cost <= budget + 1e-6)


class TaskSource:
    """The task-source protocol: each helper's route, its position, the jobs claimed while a
    stretch is under way, and what is done, for many helpers at once (one row each)."""

    routes: Routes

    def has_work_many(self, units: np.ndarray) -> np.ndarray:
        return self.routes.has_work(units)

    def next_jobs_many(self, units: np.ndarray, now: np.ndarray, k: int):
        """(elders, villages, work minutes, count, token): each row's next jobs, ``(len(units), k)``."""
        raise NotImplementedError

    def hold_many(self, units: np.ndarray, token, n: np.ndarray) -> None:
        """The first ``n[r]`` jobs of row r are planned: the route moves past them, they stay claimed,
        the rest of what ``token`` held is released."""
        raise NotImplementedError

    def commit_many(self, units: np.ndarray, token, n: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    travel: np.ndarray, work: np.ndarray) -> None:
        """The first ``n[r]`` held jobs of row r were done (starts, ends, travel, work by row)."""
        raise NotImplementedError

    def rewind_many(self, units: np.ndarray, token, n: np.ndarray, keep: np.ndarray) -> None:
        """Of the ``n[r]`` held jobs only the first ``keep[r]`` will be done: release the others and
        move the route back to the first of them."""
        raise NotImplementedError

    def done_many(self, units: np.ndarray, token, n: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                  travel: np.ndarray, work: np.ndarray) -> None:
        """The first ``n[r]`` jobs of row r were done; the rest of what ``token`` held is released."""
        self.hold_many(units, token, n)
        self.commit_many(units, token, n, starts, ends, travel, work)


@dataclass(eq=False)
class Stretch:
    """Stretches of several helpers planned together (row r belongs to planner row ``rows[r]``)."""

    task: str
    j: int
    rows: np.ndarray
    token: tuple
    n: np.ndarray
    t0: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    travel: np.ndarray
    work: np.ndarray
    elders: np.ndarray
    villages: np.ndarray
    back: np.ndarray
    used_before: np.ndarray
    open: np.ndarray          # held rows not handed to the source yet
    cut: np.ndarray           # rows cut short by a call (no way back recorded)


def take(token: tuple, rows: np.ndarray) -> tuple:
    """The part of a token that belongs to ``rows``."""
    return tuple(part[rows] for part in token)
