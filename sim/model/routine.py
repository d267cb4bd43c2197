"""Routine working days planned in NumPy; SimPy only where a call takes a helper away.

Every helper (home-care workers, village cadres, coordinators, couriers,
time-bank volunteers) has its days planned here, all
helpers at once (`sim.model.routes.plan_stretches`): one process wakes at each
day's start and at each month's start within a day (when visits and time-bank
requests change) and plans every helper's stretches up to the next such moment;
couriers also wake at the lunch round (their orders are allocated just before it),
so only they are planned in two blocks on a canteen day.
Helpers who also answer emergencies are *held* to their plan, not bound by it
(`sim.model.held_plans`): the dispatcher reads them as busy during their planned
stretches and may cut them; their stretches are handed to the task sources when
done, so a cut job is never counted.  The rules are those of the helpers' SimPy
days (`sim.model.helpers`): a helper works on its workdays within its shift,
takes the highest-ranked task that has work and at least ``MIN_STRETCH``
minutes of the week's hours left, and a task whose next job does not fit the
week's hours is done for the week; time-bank volunteers share one pool of
hours and are planned after the paid helpers' whole day, so they take only what
no paid helper does.  A task whose next job does not fit the rest of the day or
of the hours, not even started afresh from base, is done for the day, and a helper
for whom it planned nothing takes its next task in the same pass; a volunteer
whose home-care route holds no session that would fit (its cheapest one, from
base and back) is not planned for it at all.  A stretch no call can cut is
held on its route at once and handed to its task source (jobs logged, minutes
counted) with the others at the next week's or month's start, just before the
sources settle; one that ends after the next month's (or day's) start is handed
over just after it, as a helper's own process would (a visit that ends after its
month closed is late); a held stretch (`sim.model.held_plans`) once it is done.
Elders' deaths are exact at each stretch's start; entries into nursing homes are
those known at the wake-up.  Assumed, as before: a helper is at its base between stretches and when a call
takes it.
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
    Stretch,
    first_n,
    fits_from_base,
    plan_stretches,
    take,
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
        modes = [id(m) for m in s.minutes]
        distinct = list(dict.fromkeys(modes))
        self.matrices = [s.minutes[modes.index(m)] for m in distinct]
        self.mode = np.array([distinct.index(id(s.minutes[k])) for k in u], dtype=np.int64)
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
        self.lunch_at = np.full(len(u), np.nan)
        self.lunch_done = np.ones(len(u), dtype=bool)
        self._lunch_left = False                 # a lunch round still ahead today
        self.below_meals = np.array([s.below_meals.get(t, False) for t in self.tasks], dtype=bool)
        # helpers who answer calls: held to their plan, cut when a call needs them
        self.contend = units.emergency[u].copy()
        self.row_of = np.full(len(units), -1, np.int64)
        self.row_of[u] = np.arange(len(u))
        self._pool_of, self._pool = None, np.zeros(0)
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
                self._plan_rows(self.until, couriers, False)
                if a in main:          # the others' days are planned through the lunch round: only
                    # couriers wait for the orders; volunteers after the paid helpers' whole day
                    self.until_rest = min(next(e for e in main if e > a), horizon)
                    self._plan_rows(self.until_rest, paid, False)
                    self._plan_rows(self.until_rest, self.pooled, True)
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
    def _left(self, rows: np.ndarray, pooled: bool | None = None) -> np.ndarray:
        """Minutes of the week's hours left per task for ``rows``; the volunteers share one pool.
        ``pooled``: whether every row is a volunteer (True) or none is (False), when known."""
        left = self.hours[rows] - self.used[rows]
        if pooled is False:
            return left
        mask = self.pooled[rows]
        if pooled or np.count_nonzero(mask):
            pool = self.s.timebank.week_minutes                 # a new dict each month
            if self._pool_of is not pool:
                self._pool_of = pool
                self._pool = np.zeros(len(self.u))
                self._pool[self.pooled] = [pool.get(int(u), 0.0) for u in self.u[self.pooled]]
            if pooled:
                left[:] = (self._pool[rows] - self.used[rows].sum(axis=1))[:, None]
            else:
                p = rows[mask]
                left[mask] = (self._pool[p] - self.used[p].sum(axis=1))[:, None]
        return left

    def _plan_rows(self, until: float, members: np.ndarray, pooled: bool | None = None) -> None:
        free = members & ~self.away & self.working
        if not np.count_nonzero(free):
            return
        limit = np.minimum(self.shift_end, until)
        rows = (free & (self.now < limit)).nonzero()[0]
        sources = [self.s.sources[t] for t in self.tasks]
        # per task, each route's cheapest job (homecare: sessions of fixed length) or None (not known)
        floors = [src.routes.floor if t == "homecare" else None for t, src in zip(self.tasks, sources)]
        lunchy = np.count_nonzero(self.delivers & members) > 0     # couriers among them
        only_lunch = np.count_nonzero(self.no_task & members) > 0
        while len(rows):
            if lunchy and self._lunch_left:
                lunch = ~self.lunch_done[rows] & (self.now[rows] >= self.lunch_at[rows] - 1e-9)
                if np.count_nonzero(lunch):                # the lunch round first, then a new block
                    self._lunch(rows[lunch], until)
                    self.lunch_done[rows[lunch]] = True
                    self.idle[rows[lunch]] = False
                    self._lunch_left = not self.lunch_done.all()
                    rows = rows[~lunch]
            idle = self.no_task[rows] if only_lunch else None
            if only_lunch and np.count_nonzero(idle):      # couriers who only deliver: no task to weigh
                r = rows[idle]
                wait = ~self.lunch_done[r]
                self.now[r[wait]] = self.lunch_at[r[wait]]     # nothing before lunch: wait for it
                self.working[r[~wait]] = False
                rows = rows[~idle]
                if not len(rows):
                    rows = (free & self.working & (self.now < limit)).nonzero()[0]
                    continue
            left = self._left(rows, pooled)
            can = self.allowed[rows] & ~self.idle[rows] & (left >= MIN_STRETCH)
            units = self.u[rows]
            for j, src in enumerate(sources):
                col = can[:, j]
                if np.count_nonzero(col):
                    col &= src.has_work_many(units)
            has = can.any(axis=1)
            if lunchy and self._lunch_left:
                wait = rows[~has & ~self.lunch_done[rows]]
                self.now[wait] = self.lunch_at[wait]          # nothing before lunch: wait for it
                self.working[rows[~has & self.lunch_done[rows]]] = False     # nothing more to do today
            else:
                self.working[rows[~has]] = False
            choice = np.argmax(can, axis=1)
            chosen_tasks = set(choice[has].tolist())
            for j in range(len(sources)):                  # the tasks in priority order
                if j not in chosen_tasks:
                    continue
                pick = (has & (choice == j)).nonzero()[0]
                chosen = rows[pick]
                end = self.shift_end[chosen]
                if self.below_meals[j] and lunchy and self._lunch_left:   # stop before the lunch round
                    end = np.where(self.lunch_done[chosen], end, np.minimum(end, self.lunch_at[chosen]))
                failed = pick[:0]
                if pooled and floors[j] is not None:         # volunteers: no job of the route fits
                    f = floors[j][self.u[chosen]]
                    sure = (f > left[pick, j] + 1e-6) | (self.now[chosen] + f / MIN_PER_DAY > end + 1e-9)
                    if np.count_nonzero(sure):               # what the stretch would find: done today
                        self.idle[chosen[sure], j] = True
                        failed, pick, chosen, end = pick[sure], pick[~sure], chosen[~sure], end[~sure]
                if len(pick):
                    planned = self._stretch(chosen, j, left[pick, j], end, until)
                    failed = np.concatenate([failed, pick[~planned]])
                if len(failed):                            # nothing fitted: the next task, in this round
                    can[failed, j] = False
                    again = can[failed]
                    has[failed] = again.any(axis=1)
                    choice[failed] = np.argmax(again, axis=1)
                    chosen_tasks.update(choice[failed[has[failed]]].tolist())
            rows = (free & self.working & (self.now < limit)).nonzero()[0]

    def _stretch(self, rows: np.ndarray, j: int, budget: np.ndarray, block_end: np.ndarray,
                 until: float) -> np.ndarray:
        """Plan one stretch of task ``j`` for each of ``rows``; returns which rows planned any job."""
        task = self.tasks[j]
        src, units = self.s.sources[task], self.u[rows]
        t0 = self.now[rows]
        elders, villages, work, count, token = src.next_jobs_many(units, t0, WINDOW)
        n, starts, ends, travel, back, by_budget = plan_stretches(
            self.matrices, self.mode[rows], self.base[rows], villages, work, count, t0, block_end, budget)
        planned = n > 0
        if not np.count_nonzero(planned):    # nothing fits: the window's claims are released
            src.hold_many(units, token, n)
            self.idle[rows[~self._exhausted(rows, j, by_budget)], j] = True
            return planned
        used_before = self.used[rows, j]
        self.used[rows, j] = used_before + (back - t0) * MIN_PER_DAY
        done = ~planned & ~self._exhausted(rows, j, by_budget)
        stopped = (planned & (n < count)).nonzero()[0]
        if len(stopped):              # the job that did not fit would not fit from base either: done today
            r, k = stopped, n[stopped]
            left = budget[r] - (back[r] - t0[r]) * MIN_PER_DAY
            again = fits_from_base(self.matrices, self.mode[rows[r]], self.base[rows[r]], villages[r, k],
                                   work[r, k], back[r], block_end[r], left)
            done[r[~again]] = True
        self.idle[rows[done], j] = True
        self.now[rows] = back
        self._hand_over(Stretch(task, j, rows, token, n, t0, starts, ends, travel, work, elders, villages,
                                back, used_before, planned, np.zeros(len(rows), dtype=bool)), until)
        return planned

    def _exhausted(self, rows: np.ndarray, j: int, by_budget: np.ndarray) -> np.ndarray:
        """The next job of task ``j`` does not fit what is left of the week's hours: the task is done
        for the week (not for volunteers, whose pool may hold hours for shorter jobs another day)."""
        done = by_budget & ~self.pooled[rows]
        if np.count_nonzero(done):
            self.used[rows[done], j] = self.hours[rows[done], j]
        return done

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

    def done_later(self, st: Stretch, rows: np.ndarray | None, held: bool = False) -> None:
        """The stretches of ``rows`` (None: all) are done as planned (no call can cut them now;
        ``held``: already held on their routes, `sim.model.held_plans`): their jobs stay claimed on
        their routes, and are handed to the source, logged and counted together with the others' at
        the next week's or month's start (``_flush``), when the sources settle.  Lunch rounds are
        handed over at once (the meals settle every day)."""
        if st.task == "meals":
            self._commit(st, rows, held=held)
            return
        if rows is None:
            part = (self.u[st.rows], st.token, st.n, st.back, st.t0, st.cut, st.starts, st.ends, st.travel,
                    st.work, st.elders, st.villages)
        else:
            part = (self.u[st.rows[rows]], take(st.token, rows), st.n[rows], st.back[rows], st.t0[rows],
                    st.cut[rows], st.starts[rows], st.ends[rows], st.travel[rows], st.work[rows],
                    st.elders[rows], st.villages[rows])
        if not held:
            self.source(st.task).hold_many(part[0], part[1], part[2])
        self._done.setdefault(st.task, []).append(part)

    def _flush(self) -> None:
        """Hand the stretches kept by ``done_later`` to their sources, one batch per task."""
        done, self._done = self._done, {}
        for task, parts in done.items():
            if len(parts) == 1:
                self._record(task, *parts[0], held=True, unique=True)
                continue
            cols = list(zip(*parts))
            token = tuple(_stack(list(t)) for t in zip(*cols[1]))
            self._record(task, _stack(cols[0]), token, *(_stack(list(c)) for c in cols[2:]), held=True,
                         unique=False)

    def _commit_deferred(self, now: float) -> None:
        """Hand over the stretches that ended after the block they were planned in, once it is over."""
        due = [d for d in self.deferred if d[0] <= now]
        if due:
            self.deferred = [d for d in self.deferred if d[0] > now]
            for _, stretch, rows in due:
                self._commit(stretch, rows)

    def _commit(self, st: Stretch, rows: np.ndarray | None, held: bool = False) -> None:
        """Hand the stretches of ``rows`` (None: all) to their task source, record the jobs and the
        minutes."""
        if rows is None:
            self._record(st.task, self.u[st.rows], st.token, st.n, st.back, st.t0, st.cut, st.starts,
                         st.ends, st.travel, st.work, st.elders, st.villages, held=held)
        else:
            self._record(st.task, self.u[st.rows[rows]], take(st.token, rows), st.n[rows], st.back[rows],
                         st.t0[rows], st.cut[rows], st.starts[rows], st.ends[rows], st.travel[rows],
                         st.work[rows], st.elders[rows], st.villages[rows], held=held)

    def _record(self, task, units, token, n, back, t0, cut, starts, ends, travel, work, elders, villages,
                held: bool = False, unique: bool = True) -> None:
        """Hand stretches (one row each, by unit) to their task source (``held``: already held on
        its routes), log the jobs and the way back, count the minutes.  ``unique``: no unit has two
        rows."""
        s = self.s
        src = self.source(task)
        if held:
            src.commit_many(units, token, n, starts, ends, travel, work)
        else:
            src.done_many(units, token, n, starts, ends, travel, work)
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
        if unique:
            s.minutes_used[task][units] += spent
            if np.count_nonzero(pooled):
                s.pool_used[units[pooled]] += spent[pooled]
        else:                                            # in the order handed over, as one by one
            np.add.at(s.minutes_used[task], units, spent)
            if np.count_nonzero(pooled):
                np.add.at(s.pool_used, units[pooled], spent[pooled])


def _stack(parts: list[np.ndarray]) -> np.ndarray:
    """Rows of several stretches as one array; 2-D parts of different widths padded (-1 or 0)."""
    if parts[0].ndim == 2 and len({p.shape[1] for p in parts}) > 1:
        k = max(p.shape[1] for p in parts)
        fill = -1 if parts[0].dtype.kind in "iu" else 0.0
        parts = [np.pad(p, ((0, 0), (0, k - p.shape[1])), constant_values=fill) for p in parts]
    return np.concatenate(parts)
