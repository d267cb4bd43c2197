"""Routine working days planned in NumPy: helpers whom nothing can interrupt.

A helper that answers no emergencies and delivers no lunches (home-care
workers, village cadres, time-bank volunteers by default) has days that depend
on nothing that happens meanwhile, so its days need no SimPy process: one
process for all of them wakes at each day's start and at each month's start
within a day (when visits and time-bank requests change), and plans every such
helper's stretches up to that moment, all helpers at once
(`sim.model.routes.plan_stretches`).  The rules are those of the helpers' SimPy
days (`sim.model.helpers`): a helper works on its workdays within its shift,
takes the highest-ranked task that has work and at least ``MIN_STRETCH``
minutes of the week's hours left, and a task whose next job does not fit the
week's hours is done for the week; time-bank volunteers share one pool of
hours and are planned after the paid helpers' whole day, so they take only
what no paid helper does.  A stretch is handed to its task source when the helper is back at
base, or, if that is after the next month's (or day's) start, just after it, as
a helper's own process would (a visit that ends after its month closed is
late).  Elders' deaths are exact at each stretch's start; entries into nursing
homes are those known at the wake-up.
"""

from __future__ import annotations

import numpy as np

from sim.model.routes import (
    MIN_PER_DAY,
    MIN_STRETCH,
    RETURN,
    TASK_CODES,
    WINDOW,
    first_n,
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
        if len(u) and self.allowed.any():
            s.env.process(self._days())

    # ------------------------------------------------------------------ the clock
    def _days(self):
        env, horizon = self.s.env, self.s.horizon
        day = 0
        while day < horizon:
            first, last = int(np.floor(day / MONTH_DAYS)) + 1, int(np.floor((day + 1) / MONTH_DAYS))
            rolls = [m * MONTH_DAYS for m in range(first, last + 1) if m * MONTH_DAYS < day + 1]
            edges = [float(day), *rolls, float(day + 1)]
            for i, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
                if a >= horizon:
                    return
                if a + EPS > env.now:
                    yield env.timeout(a + EPS - env.now)
                self._commit_deferred()
                if i == 0:
                    self._start_day(day)
                self._plan(min(b, horizon))
            day += 1

    def _start_day(self, day: int) -> None:
        begin = day + self.start
        self.working = self.workdays[:, day % 7] & (begin < self.s.horizon) & self.allowed.any(axis=1)
        week = np.floor(begin / 7).astype(np.int64)
        new = self.working & (week != self.week)               # a new week: new hours for every task
        self.used[new] = 0.0
        self.week[new] = week[new]
        self.now = begin
        self.shift_end = begin + self.shift
        self.idle[:] = False

    # ------------------------------------------------------------------ planning
    def _budgets(self) -> tuple[np.ndarray, np.ndarray]:
        """(hours a week per task in minutes, minutes used) with the volunteers' one pool."""
        budget = self.hours.copy()
        used = self.used.copy()
        if self.pooled.any():
            pool = self.s.timebank.week_minutes
            budget[self.pooled] = np.array([pool.get(int(u), 0.0) for u in self.u[self.pooled]])[:, None]
            used[self.pooled] = self.used[self.pooled].sum(axis=1, keepdims=True)
        return budget, used

    def _plan(self, until: float) -> None:
        """Every stretch that starts before ``until``: the paid helpers' first, then the volunteers',
        who so take only what no paid helper does that day."""
        for members in (~self.pooled, self.pooled):
            self._plan_rows(until, members)

    def _plan_rows(self, until: float, members: np.ndarray) -> None:
        active = members & self.working & (self.now < self.shift_end) & (self.now < until)
        while active.any():
            rows = np.flatnonzero(active)
            budget, used = self._budgets()
            can = self.allowed[rows] & ~self.idle[rows] & (budget[rows] - used[rows] >= MIN_STRETCH)
            for j, t in enumerate(self.tasks):
                can[:, j] &= self.s.sources[t].has_work_many(self.u[rows])
            has = can.any(axis=1)
            self.working[rows[~has]] = False                   # nothing more to do today
            choice = np.argmax(can, axis=1)
            for j in range(len(self.tasks)):
                chosen = rows[has & (choice == j)]
                if len(chosen):
                    self._stretch(chosen, j, budget[chosen, j] - used[chosen, j], until)
            active = members & self.working & (self.now < self.shift_end) & (self.now < until)

    def _stretch(self, rows: np.ndarray, j: int, budget: np.ndarray, until: float) -> None:
        task = self.tasks[j]
        src, units = self.s.sources[task], self.u[rows]
        elders, villages, work, count, token = src.next_jobs_many(units, self.now[rows], WINDOW)
        n, starts, ends, travel, back, by_budget = plan_stretches(
            self.matrices, self.mode[rows], self.base[rows], villages, work, count, self.now[rows],
            self.shift_end[rows], budget)
        planned = n > 0
        spent = (back - self.now[rows]) * MIN_PER_DAY
        self.used[rows, j] += spent
        exhausted = by_budget & ~self.pooled[rows]               # the next job does not fit this week
        self.used[rows[exhausted], j] = self.hours[rows[exhausted], j]
        self.idle[rows[~planned & ~exhausted], j] = True
        self.now[rows] = back
        stretch = (task, units, token, n, starts, ends, travel, work, elders, villages, back, spent)
        later = planned & (back > until)
        if (~later).any():
            self._commit(stretch, np.flatnonzero(~later))
        if later.any():
            self.deferred.append((stretch, np.flatnonzero(later)))

    def _commit_deferred(self) -> None:
        deferred, self.deferred = self.deferred, []
        for stretch, rows in deferred:
            self._commit(stretch, rows)

    def _commit(self, stretch: tuple, rows: np.ndarray) -> None:
        """Hand the stretches of ``rows`` to their task source, record the jobs and the minutes."""
        task, units, token, n, starts, ends, travel, work, elders, villages, back, spent = stretch
        units, n, back, spent = units[rows], n[rows], back[rows], spent[rows]
        starts, ends, travel, work = starts[rows], ends[rows], travel[rows], work[rows]
        elders, villages = elders[rows], villages[rows]
        s = self.s
        s.sources[task].done_many(units, take(token, rows), n, starts, ends, travel, work)
        did = first_n(n, elders.shape[1])
        s.log_many(units, TASK_CODES[task], did, elders, villages, starts, ends, travel, work)
        last = np.flatnonzero(n > 0)
        end = ends[last, n[last] - 1]
        home = back[last] > end
        r = last[home]
        s.log_many(units[r], RETURN, np.ones((len(r), 1), bool), np.full((len(r), 1), -1),
                   s.units.base[units[r]][:, None], end[home][:, None], back[r][:, None],
                   ((back[r] - end[home]) * MIN_PER_DAY)[:, None], np.zeros((len(r), 1)))
        s.minutes_used[task][units] += spent
        pooled = s.pooled[units]
        s.pool_used[units[pooled]] += spent[pooled]
