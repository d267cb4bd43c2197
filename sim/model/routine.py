"""Routine working days planned in compiled code; SimPy only where a call takes a helper away.

Every helper (home-care workers, village cadres, coordinators, couriers,
time-bank volunteers) has its days planned here: one process wakes at each
day's start and at each month's start within a day (when visits and time-bank
requests change) and plans every helper's stretches up to the next such moment
(`sim.model.plan_kernel`, helper after helper, paid helpers before
volunteers); couriers also wake at the lunch round (their orders are allocated
just before it), so only they are planned in two blocks on a canteen day.
Helpers who also answer emergencies are *held* to their plan, not bound by it
(`sim.model.held_plans`): the dispatcher reads them as busy during their planned
stretches and may cut them; their stretches are handed to the task sources when
done, so a cut job is never counted.  The rules are those of the helpers' days
(`sim.model.helpers`): a helper works on its workdays within its shift, takes
the highest-ranked task that has work and at least ``MIN_STRETCH`` minutes of
the week's hours left, and a task whose next job does not fit the week's hours
is done for the week; time-bank volunteers share one pool of hours and are
planned after the paid helpers' whole day, so they take only what no paid
helper does.  A task whose next job does not fit the rest of the day or of the
hours, not even started afresh from base, is done for the day, and a helper for
whom it planned nothing takes its next task in the same pass; a volunteer whose
home-care route holds no session that would fit (its cheapest one, from base
and back) is not planned for it at all.  The kernel claims a stretch's jobs on
their routes as it plans them; a stretch no call can cut is handed to its task
source (jobs logged, minutes counted) with the others at the next week's or
month's start, just before the sources settle; one that ends after the next
month's (or day's) start is handed over just after it, as a helper's own
process would (a visit that ends after its month closed is late); a held
stretch (`sim.model.held_plans`) once it is done.  Elders' deaths are exact at
each stretch's start; entries into nursing homes are those known at the
wake-up.  Assumed, as before: a helper is at its base between stretches and
when a call takes it.
"""

from __future__ import annotations

import numpy as np

from sim.model.held_plans import HeldPlans
from sim.model.routes import (
    MIN_PER_DAY,
    MIN_STRETCH,
    RETURN,
    TASK_CODES,
    WINDOW,
    Durations,
    Routes,
    Stretch,
    first_n,
    plan_stretches,
    take,
    travel_modes,
)
from sim.population.demography import MONTH_DAYS

EPS = 1e-9       # days: wake just after the task sources' own changes at the same instant


class RoutineDays:
    """The working days of the helpers ``members`` of a `HelperService`, planned together."""

    def __init__(self, service, members: np.ndarray):
        s, units = service, service.units
        self.s, self.u = service, np.asarray(members, np.int64)
        u = self.u
        self.tasks = [t for t in ("timebank", *s.home_tasks) if t in s.sources]
        self.pooled = s.pooled[u]
        allowed = np.zeros((len(u), len(self.tasks)), dtype=bool)
        self.hours = np.zeros((len(u), len(self.tasks)))
        for j, t in enumerate(self.tasks):
            if t == "visits":
                self.hours[:, j] = units.visit_hours[u] * 60.0
            elif t == "homecare":
                self.hours[:, j] = units.homecare_hours[u] * 60.0
            allowed[:, j] = np.where(self.pooled, t in s.volunteer_tasks if s.timebank is not None else False,
                                     (self.hours[:, j] > 0) & (t != "timebank"))
        self.allowed = allowed
        self.no_task = ~allowed.any(axis=1)
        self.start = units.shift_start[u] / 24.0
        self.shift = units.shift_minutes()[u] / MIN_PER_DAY
        self.workdays = units.workdays[u]
        self.base = units.base[u].astype(np.int64)
        self.mats, mode = travel_modes([s.minutes[k] for k in u])
        self.matrices = list(self.mats)                  # padded: the same matrix may come again
        self.residents = s.residents
        self._no_routes = Routes(0)
        self._zeros = (np.zeros(1, np.int64), np.zeros(1, bool), np.zeros(1))
        first = [s.sources[t].arrays() for t in self.tasks] + [None] * (3 - len(self.tasks))
        # what kind of source each task is (static): entries mapped to elders, claims, nursing homes
        # skipped, durations drawn, a floor known
        self._flags = tuple(np.array([a is not None and f(a) for a in first]) for f in (
            lambda a: a.elder_of is not None, lambda a: a.claimed is not None, lambda a: a.at_home_only,
            lambda a: a.work is None, lambda a: a.floor))
        self._draws = next((s.sources[t] for t, a in zip(self.tasks, first) if a.work is None), None)
        self._no_draws = Durations(lambda n: np.zeros(n), 1)
        self._no_draws.ensure(WINDOW * max(len(u), 1))
        self._out = _Out(2 * len(u) + 64, WINDOW)          # a pass with more stretches goes on in another
        self.mode = mode
        self.now = np.zeros(len(u))
        self.shift_end = np.zeros(len(u))
        self.week = np.full(len(u), -1, np.int64)
        self.used = np.zeros((len(u), len(self.tasks)))
        self.idle = np.zeros((len(u), len(self.tasks)), dtype=bool)
        self.working = np.zeros(len(u), dtype=bool)
        self.deferred: list[tuple] = []
        self._done: dict[str, list[tuple]] = {}    # task -> stretches done as planned, not handed over yet
        # couriers: the lunch round of each canteen day, collected at the canteen
        self.meals = s.meals
        self.delivers = s.delivers[u].copy()
        self._only_lunch = self.no_task & self.delivers
        self.lunch_at = np.full(len(u), np.nan)
        self.lunch_done = np.ones(len(u), dtype=bool)
        self.lunch_due = np.zeros(len(u), dtype=bool)     # stopped by the kernel: the lunch round is due
        self._lunch_left = False                 # a lunch round still ahead today
        self.below_meals = np.array([s.below_meals.get(t, False) for t in self.tasks], dtype=bool)
        # helpers who answer calls: held to their plan, cut when a call needs them
        self.contend = units.emergency[u].copy()
        self.row_of = np.full(len(units), -1, np.int64)
        self.row_of[u] = np.arange(len(u))
        self._pool_of, self._pool = None, np.zeros(len(u))
        self.until = self.until_rest = 0.0
        self.calls = HeldPlans(self)         # what the dispatcher sees of them, and its cuts
        self.away = self.calls.away
        if len(u) and (self.allowed.any() or self.delivers.any()):
            s.env.process(self._days())
            if self.contend.any():
                s.env.process(self.calls.listen())

    # ------------------------------------------------------------------ the clock
    def _days(self):
        env, horizon = self.s.env, self.s.horizon
        day = 0
        couriers = self.delivers & ~self.pooled
        paid = ~self.delivers & ~self.pooled
        while day < horizon:
            first, last = int(np.floor(day / MONTH_DAYS)) + 1, int(np.floor((day + 1) / MONTH_DAYS))
            rolls = [m * MONTH_DAYS for m in range(first, last + 1) if m * MONTH_DAYS < day + 1]
            main = [float(day), *rolls, float(day + 1)]      # the day's start and each month's start
            lunch = self.meals.round_start(day) if self.delivers.any() else None
            edges = main
            if lunch is not None and day < lunch < day + 1 and lunch not in rolls:
                edges = sorted({*main, lunch})              # the lunch round waits for the orders
            for i, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
                if a >= horizon:
                    return
                if a + EPS > env.now:
                    yield env.timeout(a + EPS - env.now)
                self._commit_deferred(env.now)
                self.calls.commit_due(env.now)
                if i == 0:
                    self._start_day(day)
                self.until = min(b, horizon)
                self._plan_rows(self.until, couriers)
                if a in main:          # the others' days are planned through the lunch round: only
                    # couriers wait for the orders; volunteers after the paid helpers' whole day
                    self.until_rest = min(next(e for e in main if e > a), horizon)
                    self._plan_rows(self.until_rest, paid, self.pooled)
                settles = b >= horizon or b in rolls or b % 7 == 0 or b % MONTH_DAYS == 0
                if (self.calls.pending or settles and self._done) and min(b, horizon) - EPS > env.now:
                    yield env.timeout(min(b, horizon) - EPS - env.now)
                    self.calls.commit_due(env.now)     # stretches done before the month (or day) closes
                if settles and self._done:   # a week's or a month's start (or the end): the sources settle
                    self._flush()
            day += 1

    def until_of(self, h: int) -> float:
        """The end of the block planner row ``h`` is planned to: couriers' ends at the lunch round."""
        return self.until if self.delivers[h] and not self.pooled[h] else self.until_rest

    def _start_day(self, day: int) -> None:
        begin = day + self.start
        self.working = self.workdays[:, day % 7] & (begin < self.s.horizon) \
            & (self.allowed.any(axis=1) | self.delivers)
        week = np.floor(begin / 7).astype(np.int64)
        new = self.working & (week != self.week)               # a new week: new hours for every task
        self.used[new] = 0.0
        self.week[new] = week[new]
        self.now = np.where(self.away, np.maximum(self.now, begin), begin)
        self.shift_end = begin + self.shift
        self.idle[:] = False
        lunch = self.meals.round_start(day) if self.delivers.any() else None
        at = np.full(len(self.u), np.nan if lunch is None else lunch)
        self.lunch_at = np.where(self.delivers & (begin <= at) & (at < self.shift_end), at, np.nan)
        self.lunch_done = np.isnan(self.lunch_at)
        self._lunch_left = not self.lunch_done.all()

    # ------------------------------------------------------------------ planning
    def _pool_minutes(self) -> np.ndarray:
        """Per row, the volunteers' pool of minutes a week this month (0 for the paid helpers)."""
        if self.s.timebank is None:
            return self._pool
        pool = self.s.timebank.week_minutes                 # a new dict each month
        if self._pool_of is not pool:
            self._pool_of = pool
            self._pool = np.zeros(len(self.u))
            self._pool[self.pooled] = [pool.get(int(u), 0.0) for u in self.u[self.pooled]]
        return self._pool

    def _plan_rows(self, until: float, *groups: np.ndarray) -> None:
        """Plan the rows of ``groups`` (masks; each group's rows after the previous group's whole
        block) who are working and free to the end of the block ``until`` (`sim.model.plan_kernel`),
        each courier's lunch round when it is due, and hand the stretches over."""
        limit = np.minimum(self.shift_end, until)
        ok = ~self.away & self.working & (self.now < limit)
        rows = [(g & ok).nonzero()[0] for g in groups]
        rows = rows[0] if len(rows) == 1 else np.concatenate(rows)
        while len(rows):
            if self._only_lunch[rows].all():                # couriers who only deliver: no task to plan
                ahead = ~self.lunch_done[rows]
                now = ahead & (self.now[rows] >= self.lunch_at[rows] - 1e-9)
                wait = rows[ahead & ~now]
                self.now[wait] = self.lunch_at[wait]                      # nothing before lunch: wait
                self.working[rows[~ahead]] = False                        # nothing more to do today
                due = rows[now]
                if not len(due):
                    rows = wait[self.now[wait] < limit[wait]]
                    continue
            else:
                self._plan_kernel(rows, until)
                due = rows[self.lunch_due[rows]]
            if not len(due):
                return
            self.lunch_due[due] = False                    # the lunch round, then the rest of the day
            self._lunch(due, until)
            self.lunch_done[due] = True
            self.idle[due] = False
            self._lunch_left = not self.lunch_done.all()
            rows = due[self.working[due] & (self.now[due] < limit[due])]

    def _plan_kernel(self, rows: np.ndarray, until: float) -> None:
        """One pass of the kernel over ``rows``, again from where it stopped when its output or a
        stream of durations ran out; each pass's stretches are handed over."""
        from sim.model.plan_kernel import DONE, plan_rows  # numba: loaded by the processes that simulate

        width, out = WINDOW, self._out
        src = [self.s.sources[t].arrays() for t in self.tasks]
        pad = [None] * (3 - len(src))
        routes = [a.routes for a in src] + [self._no_routes] * len(pad)
        z_i, z_b, z_f = self._zeros
        draws = self._draws
        dur = draws.durations if draws is not None else self._no_draws
        ph = getattr(draws, "phone_durations", None) or self._no_draws
        while len(rows):
            if draws is not None:
                dur.ensure(len(rows) * width)
                if ph is not self._no_draws:
                    ph.ensure(len(rows) * width)
            out.count[0] = 0
            status, i = plan_rows(
                rows, self.u, until, self.now, self.shift_end, self.working, self.used, self.hours,
                self.allowed, self.idle, self.no_task, self.pooled, self._pool_minutes(), self.lunch_at,
                self.lunch_done, self.lunch_due, self.below_meals, self.base, self.mode, self.mats,
                tuple(r.entries for r in routes), tuple(r.start for r in routes),
                tuple(r.length for r in routes), tuple(r.pos for r in routes),
                tuple(r.period for r in routes),
                tuple([z_i if a.elder_of is None else a.elder_of for a in src] + [z_i] * len(pad)),
                tuple([z_b if a.done is None else a.done for a in src] + [z_b] * len(pad)),
                tuple([z_b if a.claimed is None else a.claimed for a in src] + [z_b] * len(pad)),
                tuple([z_f if a.work is None else a.work for a in src] + [z_f] * len(pad)),
                tuple(r.floor for r in routes), *self._flags,
                self.residents.death, self.residents.home_of, self.residents.village,
                z_b if draws is None else draws.phone, dur.buffer, dur.pos, ph.buffer, ph.pos,
                *out.arrays(), width, MIN_STRETCH)
            self._hand_over_planned(out, until)
            rows = rows[i:] if status != DONE else rows[:0]

    def _hand_over_planned(self, out: _Out, until: float) -> None:
        """Hand over the kernel's stretches, one `Stretch` per task (and, for helpers who answer
        calls, per helper's first, second, ... stretch of the pass, in that order)."""
        k = int(out.count[0])
        if not k:
            return
        row = out.row[:k]
        held = self.contend[row]
        seq = np.zeros(k, np.int64)
        if np.count_nonzero(held):                         # a helper's n-th stretch of the pass
            order = np.argsort(row, kind="stable")
            r = row[order]
            first = np.r_[True, r[1:] != r[:-1]]
            at = np.flatnonzero(first)
            seq[order] = np.arange(k) - np.repeat(at, np.diff(np.r_[at, k]))
            seq[~held] = 0
        keys = out.task[:k] + len(self.tasks) * (seq * 2 + held)
        for key in np.unique(keys).tolist():               # a loop over tasks (and stretches of a pass)
            sel = np.flatnonzero(keys == key)
            j = int(out.task[sel[0]])
            token = (out.period[sel], out.pos[sel], out.ent[sel])
            self._hand_over(Stretch(self.tasks[j], j, row[sel], token, out.n[sel], out.t0[sel],
                                    out.start[sel], out.end[sel], out.travel[sel], out.work[sel],
                                    out.elder[sel], out.village[sel], out.back[sel], out.used[sel],
                                    np.ones(len(sel), dtype=bool), np.zeros(len(sel), dtype=bool)), until)

    def _lunch(self, rows: np.ndarray, until: float) -> None:
        """The lunch rounds of ``rows``: collect at the canteen, hand over nearest first until the
        deadline (or the shift's end), back to base."""
        units, today = self.u[rows], int(np.floor(self.now[rows[0]]))
        elders, villages, work, count, canteen, token = self.meals.rounds_many(
            units, today, self.matrices, self.mode[rows])
        t0 = self.now[rows].copy()
        inf = np.full(len(rows), np.inf)
        _, starts, ends, travel, _, _ = plan_stretches(self.matrices, self.mode[rows], self.base[rows],
                                                       villages, work, count, t0, inf, inf, origin=canteen)
        deadline = np.minimum(self.meals.deadline(today), self.shift_end[rows])
        n = ((ends <= deadline[:, None]) & first_n(count, ends.shape[1])).sum(axis=1)
        back = t0.copy()
        r = np.flatnonzero(n > 0)
        for m in np.unique(self.mode[rows[r]]):               # a loop over the travel modes
            on = r[self.mode[rows[r]] == m]
            home = self.matrices[int(m)][villages[on, n[on] - 1], self.base[rows[on]]]
            back[on] = ends[on, n[on] - 1] + home / MIN_PER_DAY
        self.now[rows] = back
        self._hand_over(Stretch("meals", -1, rows, token, n, t0, starts, ends, travel, work, elders, villages,
                                back, np.zeros(len(rows)), n > 0, np.zeros(len(rows), dtype=bool)), until)

    def source(self, task: str):
        return self.meals if task == "meals" else self.s.sources[task]

    def _hand_over(self, st: Stretch, until: float) -> None:
        """Stretches of helpers who answer calls are held (handed over when done); the others are
        held on their routes now and handed over at the sources' next settling (``_done``), or,
        when they end after ``until``, just after it."""
        rows = st.rows
        held = st.open & self.contend[rows]
        later = st.open & (st.back > until) & ~held
        if not np.count_nonzero(held) and not np.count_nonzero(later):   # the usual batch: all done now
            st.open = held
            self.done_later(st, None)
            return
        st.open = held.copy()
        now = (~later & ~held).nonzero()[0]
        if len(now):
            self.done_later(st, now)
        if np.count_nonzero(later):
            self.deferred.append((until, st, later.nonzero()[0]))
        if np.count_nonzero(held):
            self.calls.hold(st, held.nonzero()[0])

    def done_later(self, st: Stretch, rows: np.ndarray | None) -> None:
        """The stretches of ``rows`` (None: all) are done as planned (no call can cut them now):
        their jobs stay claimed on their routes (the kernel claimed them), and are handed to the
        source, logged and counted together with the others' at the next week's or month's start
        (``_flush``), when the sources settle.  Lunch rounds are handed over at once (the meals
        settle every day)."""
        if st.task == "meals":
            self._commit(st, rows)
            return
        if rows is None:
            part = (self.u[st.rows], st.token, st.n, st.back, st.t0, st.cut, st.starts, st.ends, st.travel,
                    st.work, st.elders, st.villages)
        else:
            part = (self.u[st.rows[rows]], take(st.token, rows), st.n[rows], st.back[rows], st.t0[rows],
                    st.cut[rows], st.starts[rows], st.ends[rows], st.travel[rows], st.work[rows],
                    st.elders[rows], st.villages[rows])
        self._done.setdefault(st.task, []).append(part)

    def _flush(self) -> None:
        """Hand the stretches kept by ``done_later`` to their sources, one batch per task."""
        done, self._done = self._done, {}
        for task, parts in done.items():
            if len(parts) == 1:
                self._record(task, *parts[0])
                continue
            cols = list(zip(*parts))
            token = tuple(_stack(list(t)) for t in zip(*cols[1]))
            self._record(task, _stack(cols[0]), token, *(_stack(list(c)) for c in cols[2:]))

    def _commit_deferred(self, now: float) -> None:
        """Hand over the stretches that ended after the block they were planned in, once it is over."""
        due = [d for d in self.deferred if d[0] <= now]
        if due:
            self.deferred = [d for d in self.deferred if d[0] > now]
            for _, stretch, rows in due:
                self._commit(stretch, rows)

    def _commit(self, st: Stretch, rows: np.ndarray | None) -> None:
        """Hand the stretches of ``rows`` (None: all) to their task source, record the jobs and the
        minutes."""
        if rows is None:
            self._record(st.task, self.u[st.rows], st.token, st.n, st.back, st.t0, st.cut, st.starts,
                         st.ends, st.travel, st.work, st.elders, st.villages)
        else:
            self._record(st.task, self.u[st.rows[rows]], take(st.token, rows), st.n[rows], st.back[rows],
                         st.t0[rows], st.cut[rows], st.starts[rows], st.ends[rows], st.travel[rows],
                         st.work[rows], st.elders[rows], st.villages[rows])

    def _record(self, task, units, token, n, back, t0, cut, starts, ends, travel, work, elders,
                villages) -> None:
        """Hand stretches (one row each; a unit may have several) to their task source, log the jobs
        and the way back, count the minutes."""
        s = self.s
        self.source(task).commit_many(units, token, n, starts, ends, travel, work)
        did = first_n(n, elders.shape[1])
        s.log_many(units, TASK_CODES[task], did, elders, villages, starts, ends, travel, work)
        last = ((n > 0) & ~cut).nonzero()[0]
        end = ends[last, n[last] - 1]
        home = back[last] > end
        if np.count_nonzero(home):                       # the way back to base
            r, end = last[home], end[home]
            s.log_rows(units[r], RETURN, np.full(len(r), -1), s.units.base[units[r]], end, back[r],
                       (back[r] - end) * MIN_PER_DAY, np.zeros(len(r)))
        spent = (back - t0) * MIN_PER_DAY
        pooled = s.pooled[units]
        np.add.at(s.minutes_used[task], units, spent)       # in the order handed over, as one by one
        if np.count_nonzero(pooled):
            np.add.at(s.pool_used, units[pooled], spent[pooled])


def _stack(parts: list[np.ndarray]) -> np.ndarray:
    """Rows of several stretches as one array; 2-D parts of different widths padded (-1 or 0)."""
    if parts[0].ndim == 2 and len({p.shape[1] for p in parts}) > 1:
        k = max(p.shape[1] for p in parts)
        fill = -1 if parts[0].dtype.kind in "iu" else 0.0
        parts = [np.pad(p, ((0, 0), (0, k - p.shape[1])), constant_values=fill) for p in parts]
    return np.concatenate(parts)


class _Out:
    """The kernel's output: one row per stretch planned, jobs ``(capacity, width)``."""

    def __init__(self, capacity: int, width: int):
        c, k = capacity, width
        self.row, self.task, self.n, self.period = (np.zeros(c, np.int64) for _ in range(4))
        self.t0, self.back, self.used = np.zeros(c), np.zeros(c), np.zeros(c)
        self.pos, self.ent, self.elder, self.village = (np.zeros((c, k), np.int64) for _ in range(4))
        self.start, self.end, self.travel, self.work = (np.zeros((c, k)) for _ in range(4))
        self.count = np.zeros(1, np.int64)

    def arrays(self) -> tuple:
        """In the order of `sim.model.plan_kernel.plan_rows`'s output arguments."""
        return (self.row, self.task, self.t0, self.n, self.back, self.used, self.period, self.pos, self.ent,
                self.elder, self.village, self.start, self.end, self.travel, self.work, self.count)
