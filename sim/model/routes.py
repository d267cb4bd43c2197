"""Routes of routine work and the NumPy kernels that walk them, for many helpers at once.

A task source (visits, home care, time-bank care) gives every helper a route for
its period (a month of visits, a week of home-care sessions, a month of care
requests): an ordered list of entries, the helper's position in it, and which
entries can still be served.  `Routes` keeps every helper's route as one flat
array (CSR: where each helper's part starts and how long it is); the planner's
compiled kernel (`sim.model.plan_kernel`) reads a source through its arrays
(`SourceArrays`) and plans stretches on it: a stretch is the longest prefix of
the next usable jobs that fits in the helper's block and the week's hours for
the task, with the way back to base.  `plan_stretches` is the same rule in
NumPy for many rows at once, used for the couriers' lunch rounds (whose jobs
are the day's orders, not a route).

Clock in days, durations in minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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

    def set_floor(self, mats: tuple[np.ndarray, ...], mode: np.ndarray, base: np.ndarray,
                  villages: np.ndarray, work: np.ndarray) -> None:
        """``floor[u]``: the least minutes any one entry of u's route takes, from u's base (by its
        travel matrix ``mats[mode[u]]``, `travel_modes`) and back; ``villages`` and ``work`` are
        per entry."""
        units = np.flatnonzero(self.length > 0)
        if not len(units):
            return
        unit_of = np.repeat(units, self.length[units])      # entries are in unit order (``assign``)
        m, b = mode[unit_of], base[unit_of]
        cost = np.asarray(work, dtype=float).copy()
        for k in np.unique(m).tolist():                    # a loop over the (at most three) travel modes
            on = m == k
            cost[on] += mats[k][b[on], villages[on]] + mats[k][villages[on], b[on]]
        self.floor[units] = np.minimum.reduceat(cost, self.start[units])

    def clear(self) -> None:
        self.entries = np.zeros(0, np.int64)
        self.length[:] = 0
        self.pos[:] = 0
        self.floor[:] = 0.0

    def entries_of(self, units: np.ndarray) -> np.ndarray:
        """The entries of the routes of ``units`` (distinct units), in route order."""
        edge = np.zeros(len(self.entries) + 1, np.int64)
        np.add.at(edge, self.start[units], 1)
        np.add.at(edge, self.start[units] + self.length[units], -1)
        return self.entries[np.cumsum(edge[:-1]) > 0]

    def route(self, u: int) -> np.ndarray:
        return self.entries[self.start[u]: self.start[u] + self.length[u]]

    def rewind(self, units: np.ndarray, positions: np.ndarray, n: np.ndarray, keep: np.ndarray) -> None:
        """Back to the first job after the first ``keep`` of the ``n`` planned (rows with keep >= n stay)."""
        rows = (keep < n).nonzero()[0]
        self.pos[units[rows]] = positions[rows, keep[rows]]


def lex_order(keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """``np.lexsort(keys)`` (the last key sorts first) of integer or boolean keys: one stable sort of
    a single int64 key made of them when their ranges fit in 63 bits (else ``np.lexsort``)."""
    n = len(keys[0])
    if not n:
        return np.zeros(0, np.int64)
    key, span = np.zeros(n, np.int64), 1
    for k in reversed(keys):
        k = k.astype(np.int64, copy=False)
        lo, hi = int(k.min()), int(k.max())
        span *= hi - lo + 1
        if span >= 2 ** 62:
            return np.lexsort(keys)
        key = key * (hi - lo + 1) + (k - lo)
    return np.argsort(key, kind="stable")


MODES = 3           # travel modes a kernel is given (walk, e-bike, car): `travel_modes`


def travel_modes(minutes: list[np.ndarray]) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """The distinct travel matrices of ``minutes`` (one per unit, shared by the units of a mode),
    as a tuple of ``MODES`` (padded with the first; the county's own arrays, not copies), and each
    unit's index into it."""
    ids = [id(m) for m in minutes]
    distinct = list(dict.fromkeys(ids))
    if not distinct:
        return (np.zeros((1, 1)),) * MODES, np.zeros(0, np.int64)
    mats = [np.ascontiguousarray(minutes[ids.index(d)], dtype=float) for d in distinct]
    at = {d: k for k, d in enumerate(distinct)}
    return tuple(mats + mats[:1] * (MODES - len(mats))), np.array([at[i] for i in ids], dtype=np.int64)


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


@dataclass(frozen=True)
class Residents:
    """What the planner reads of every elder: the day of death, the nursing home (-1: at home, changed
    in place by the bed service) and the village."""

    death: np.ndarray
    home_of: np.ndarray
    village: np.ndarray


@dataclass(frozen=True)
class SourceArrays:
    """A task source as the planner's kernel reads it (`sim.model.plan_kernel`): per route entry its
    elder (None: the entries are elders), whether it is done and whether it is claimed (None: never),
    its work minutes (None: drawn from the source's stream of durations, `Durations`), whether
    elders in a nursing home are skipped, whether ``routes.floor`` is known, and per elder
    whether the job is a phone visit (None: none is; its minutes from ``phone_durations``)."""

    routes: Routes
    elder_of: np.ndarray | None
    done: np.ndarray | None
    claimed: np.ndarray | None
    work: np.ndarray | None
    at_home_only: bool
    floor: bool
    phone: np.ndarray | None = None


class Durations:
    """A stream of durations drawn in blocks of at least ``block`` values (minutes), read in order by
    the planner's kernel: ``buffer`` from ``pos`` on is what has not been used yet."""

    def __init__(self, draw, block: int):
        self.draw, self.block = draw, block
        self.buffer, self.pos = np.zeros(0), np.zeros(1, np.int64)

    def ensure(self, need: int) -> None:
        """At least ``need`` unused values in ``buffer`` (the stream goes on where it was)."""
        at = int(self.pos[0])
        if at + need > len(self.buffer):
            self.buffer = np.concatenate([self.buffer[at:], self.draw(max(self.block, need))])
            self.pos[0] = 0


class TaskSource:
    """The task-source protocol: each helper's route, its position, the jobs claimed while a
    stretch is under way, and what is done, for many helpers at once (one row each).  The
    planner's kernel reads and claims the jobs through ``arrays()`` and moves the routes past
    the jobs it plans; the source is told what was done (``commit_many``) or cut (``rewind_many``)."""

    routes: Routes
    durations: Durations | None = None        # the stream of work minutes, for a source that draws them
    phone_durations: Durations | None = None  # visits: phone visits' durations

    def arrays(self) -> SourceArrays:
        raise NotImplementedError

    def commit_many(self, units: np.ndarray, token, n: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    travel: np.ndarray, work: np.ndarray) -> None:
        """The first ``n[r]`` held jobs of row r were done (starts, ends, travel, work by row)."""
        raise NotImplementedError

    def rewind_many(self, units: np.ndarray, token, n: np.ndarray, keep: np.ndarray) -> None:
        """Of the ``n[r]`` held jobs only the first ``keep[r]`` will be done: release the others and
        move the route back to the first of them."""
        raise NotImplementedError


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
