"""Helpers' working days (DESIGN §4.6), in SimPy: home care, meal delivery and visits.

What is modelled: every helper with home-care hours, visiting hours or meal
delivery works on its ``workdays`` within its shift.  Its work comes from task
sources: the week's home-care sessions (`sim.model.homecare`), the month's
visits (`sim.model.visits`) and, on canteen days, the lunch deliveries of its
canteen (`sim.model.meals`).  Home tasks are done in stretches planned in
NumPy (a route walked in order while each next job and the way back to base
fit in the block and in the week's hours for that task); one stretch is one
SimPy timeout.

Priorities (``services.tasks.priority``, highest first; default emergency >
home care > meals > visits): a helper does the highest-ranked home task that
has work and hours left; a task ranked below meals stops before the lunch
round; a task ranked below ``emergency`` is interrupted for a waiting call
(the dispatcher's ``wanted`` event) at the end of the job under way, or at
once with ``preempt`` (the job under way is then not done and stays on the
route).  A helper on any task is busy: the dispatcher skips it.  A helper back
from an emergency resumes its day.  Clock in days, durations in minutes.

Assumed: helpers start and end every stretch at their base, and the dispatcher
sends a helper from its base.
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.config.services import TasksConfig
from sim.model.records import Records
from sim.model.responders import Responders, village_rank
from sim.model.routes import (  # noqa: F401 - the job codes are part of this module's interface
    HOMECARE,
    JOB_TASKS,
    MEALS,
    MIN_PER_DAY,
    MIN_STRETCH,
    RETURN,
    TASK_CODES,
    TIMEBANK_CARE,
    VISITS,
    first_n,
)
from sim.model.routine import RoutineDays

JOB_DTYPE = np.dtype([
    ("helper", np.int32), ("task", np.int8), ("elder", np.int32), ("village", np.int32),
    ("start_day", np.float64), ("end_day", np.float64), ("travel_min", np.float64),
    ("work_min", np.float64),
])


def plan_stretch(matrix: np.ndarray, base: int, villages: np.ndarray, work: np.ndarray, now: float,
                 block_end: float, budget: float, origin: int | None = None, lead: float = 0.0):
    """The longest prefix of jobs that fits (NumPy).

    Jobs are done in order: travel from the previous place (``origin`` after
    ``lead`` minutes for the first, else the base), ``work`` minutes at the
    elder's home; the helper must be back at base by ``block_end`` with at most
    ``budget`` minutes used.  Returns (n, starts, ends, travel, back-at-base day,
    whether the budget, not the clock, stopped the stretch).
    """
    prev = np.empty_like(villages)
    if len(villages):
        prev[0] = base if origin is None else origin
        prev[1:] = villages[:-1]
    trip = matrix[prev, villages]
    if len(trip):
        trip[0] += lead
    done = np.cumsum(trip + work)
    home = done + matrix[villages, base]
    in_budget = home <= budget + 1e-9
    fits = (now + home / MIN_PER_DAY <= block_end + 1e-12) & in_budget
    n = len(fits) if fits.all() else int(np.argmin(fits))
    by_budget = n < len(fits) and not in_budget[n]
    ends = now + done[:n] / MIN_PER_DAY
    starts = ends - (trip[:n] + work[:n]) / MIN_PER_DAY
    if n == 0:
        return 0, starts, ends, trip[:0], now, by_budget
    return n, starts, ends, trip[:n], now + home[n - 1] / MIN_PER_DAY, by_budget


class HelperService:
    """The working days of every helper with home tasks or meal rounds."""

    plan_ahead = True   # False: every helper's days run as SimPy processes (the reference for tests)

    def __init__(self, env: simpy.Environment, tasks: TasksConfig, units: Responders, dispatcher,
                 minutes: list[np.ndarray], sources: dict, meals, records: Records,
                 horizon_days: float, timebank=None, timebank_tasks=()):
        self.env, self.units, self.busy = env, units, dispatcher.busy
        self.on_release, self.wanted = dispatcher.assign_waiting, dispatcher.wanted
        self.minutes, self.sources, self.meals = minutes, sources, meals
        self.horizon = horizon_days
        self.preempt = tasks.preempt
        rank = {t: i for i, t in enumerate(tasks.priority)}
        self.home_tasks = sorted(sources, key=rank.__getitem__)          # highest first
        self.below_meals = {t: rank[t] > rank["meals"] for t in sources}
        self.interruptible = {t: rank[t] > rank["emergency"] for t in (*sources, "meals")}
        # time-bank volunteers: one pool of hours a week (their members'), care for withdrawals first
        self.timebank = timebank
        self.pooled = np.zeros(len(units), dtype=bool)
        self.pool_used = np.zeros(len(units))
        if timebank is not None:
            self.pooled[timebank.volunteers] = True
            self.sources = {**sources, "timebank": timebank}
            self.volunteer_tasks = ["timebank"] + [t for t in self.home_tasks if t in timebank_tasks]
        self.jobs = records.table("helper_jobs", JOB_DTYPE)
        self._rows: list[tuple] = []
        self.minutes_used = {t: np.zeros(len(units)) for t in ("homecare", "meals", "visits", "timebank")}
        delivers = units.delivers_meals if meals is not None else np.zeros(len(units), dtype=bool)
        self.delivers = delivers
        workers = np.flatnonzero(delivers | (units.visit_hours > 0) & ("visits" in sources)
                                 | (units.homecare_hours > 0) & ("homecare" in sources) | self.pooled)
        # helpers that nothing can interrupt (no emergencies, no lunch round) are planned together in
        # NumPy (`sim.model.routine`): their days depend on nothing that happens meanwhile
        routine = np.full(len(units), self.plan_ahead)
        self.routine = RoutineDays(self, workers[routine[workers]])
        if self.routine.contend.any():
            dispatcher.attach(self.routine)
        for u in workers[~routine[workers]]:
            env.process(self._helper(int(u)))

    # ------------------------------------------------------------------ records
    def log(self, u: int, task: int, elders, villages, starts, ends, travel, work) -> None:
        if len(starts):
            self._rows.append((u, task, elders, villages, starts, ends, travel, work))

    def log_many(self, units: np.ndarray, task: int, did: np.ndarray, elders, villages, starts, ends,
                 travel, work) -> None:
        """Jobs of many helpers at once: the cells ``did`` of ``(len(units), k)`` arrays."""
        if did.any():
            helper = np.broadcast_to(units[:, None], did.shape)[did]
            self._rows.append((helper, task, elders[did], villages[did], starts[did], ends[did], travel[did],
                               work[did]))

    def finish(self) -> None:
        if self._rows:
            u, task, *arrays = zip(*self._rows)
            sizes = [len(a) for a in arrays[2]]
            cols = [np.concatenate([np.broadcast_to(h, n) for h, n in zip(u, sizes)]),
                    np.repeat(np.asarray(task), sizes)]
            cols += [np.concatenate(c) for c in arrays]
            self.jobs.append(**dict(zip(JOB_DTYPE.names, cols)))

    # ------------------------------------------------------------------ a helper's days
    def _budget(self, u: int, task: str) -> float:
        if self.pooled[u]:
            return self.timebank.week_minutes.get(u, 0.0)
        hours = self.units.visit_hours[u] if task == "visits" else self.units.homecare_hours[u]
        return float(hours) * 60.0

    def _helper(self, u: int):
        units, env = self.units, self.env
        start_h = units.shift_start[u]
        shift_len = units.shift_minutes()[u]
        if self.pooled[u]:
            tasks = list(self.volunteer_tasks)
            key = dict.fromkeys(tasks, "pool")        # one pool of hours for every task
        else:
            tasks = [t for t in self.home_tasks if self._budget(u, t) > 0]
            key = {t: t for t in tasks}
        delivers = bool(self.delivers[u])
        used = dict.fromkeys(key.values(), 0.0)
        week, day = -1, 0
        while True:
            begin = day + start_h / 24.0
            today = day
            day += 1
            if begin >= self.horizon:
                return
            if not units.workdays[u, today % 7]:
                continue
            if begin > env.now:
                yield env.timeout(begin - env.now)
            if int(begin // 7) != week:                   # a new week: new hours for every task
                week = int(begin // 7)
                used = dict.fromkeys(key.values(), 0.0)
            shift_end = begin + shift_len / MIN_PER_DAY
            lunch = self.meals.round_start(today) if delivers else None
            if lunch is not None and not (begin <= lunch < shift_end):
                lunch = None
            lunch_done = lunch is None
            idle = set()                                  # tasks with nothing more to do today
            while env.now < shift_end:
                while self.busy[u] and env.now < shift_end:   # on an emergency: wait for it
                    yield env.timeout(15.0 / MIN_PER_DAY)
                if env.now >= shift_end:
                    break
                if not lunch_done and env.now >= lunch - 1e-9:
                    yield from self._deliver(u, today, shift_end)
                    lunch_done = True
                    idle = set()                          # the afternoon is a new block
                    continue
                task = next((t for t in tasks if t not in idle and self.sources[t].has_work(u)
                             and self._budget(u, t) - used[key[t]] >= MIN_STRETCH), None)
                if task is None:
                    if not lunch_done:
                        yield env.timeout(lunch - env.now)
                        continue
                    break
                block_end = shift_end
                if not lunch_done and self.below_meals.get(task, False):
                    block_end = min(shift_end, lunch)
                spent, planned, by_budget = yield from self._stretch(u, task, block_end,
                                                                     self._budget(u, task) - used[key[task]])
                used[key[task]] += spent
                if by_budget and not self.pooled[u]:      # the next job does not fit this week's hours
                    used[key[task]] = self._budget(u, task)
                elif not planned:
                    idle.add(task)
            if not delivers and tasks:                    # nothing more this week or month: sleep
                waits = [self.sources[t].next_work_day(u) if not self.sources[t].has_work(u)
                         else ((week + 1) * 7 if self._budget(u, t) - used[key[t]] < MIN_STRETCH
                               else today + 1)
                         for t in tasks]
                day = max(day, int(np.ceil(min(waits) - 1e-9)))

    def _run(self, u: int, ends: np.ndarray, back: float, interruptible: bool):
        """Be busy until ``back``; return how many jobs were done and when the helper is free."""
        env = self.env
        self.busy[u] = True
        n = len(ends)
        if interruptible and self.units.emergency[u]:
            yield env.timeout(back - env.now) | self.wanted()
            if env.now < back - 1e-12:
                if self.preempt:                          # stop now; the job under way is not done
                    n = int(np.searchsorted(ends, env.now, side="right"))
                else:                                     # finish the job under way
                    n = min(int(np.searchsorted(ends, env.now, side="left")) + 1, n)
                    if ends[n - 1] > env.now:
                        yield env.timeout(ends[n - 1] - env.now)
            self.busy[u] = False
            self.on_release()
        else:
            yield env.timeout(back - env.now)
            self.busy[u] = False
        return n

    def _stretch(self, u: int, task: str, block_end: float, budget: float):
        """One planned stretch of a home task; returns (minutes used, whether any job was planned)."""
        env, src = self.env, self.sources[task]
        t0 = env.now
        elders, villages, work, token = src.next_jobs(u, t0, 32)
        n, starts, ends, travel, back, by_budget = plan_stretch(self.minutes[u], int(self.units.base[u]),
                                                                villages, work, t0, block_end, budget)
        if n == 0:
            src.done(u, token, elders[:0], starts, ends, travel, work[:0])    # releases what it held
            return 0.0, False, by_budget
        done = yield from self._run(u, ends[:n], back, self.interruptible.get(task, False))
        code = TASK_CODES[task]
        self.log(u, code, elders[:done], villages[:done], starts[:done], ends[:done], travel[:done],
                 work[:done])
        if done == n and back > ends[n - 1]:
            self.log(u, RETURN, np.array([-1]), np.array([self.units.base[u]]), ends[n - 1:n],
                     np.array([back]), np.array([(back - ends[n - 1]) * MIN_PER_DAY]), np.zeros(1))
        src.done(u, token, elders[:done], starts[:done], ends[:done], travel[:done], work[:done])
        spent = (env.now - t0) * MIN_PER_DAY
        if self.pooled[u]:
            self.pool_used[u] += spent
        self.minutes_used[task][u] += spent
        return spent, True, by_budget and done == n

    def _deliver(self, u: int, today: int, shift_end: float):
        """The lunch round: collect at the canteen, hand over in route order until the deadline."""
        env, meals = self.env, self.meals
        elders, villages, canteen_village, idx = meals.orders(u, today)
        if not len(elders):
            return
        deadline = min(meals.deadline(today), shift_end)
        t0 = env.now
        base = int(self.units.base[u])
        matrix = self.minutes[u]
        order = np.lexsort((elders, village_rank(matrix, canteen_village, villages)))
        elders, villages, idx = elders[order], villages[order], idx[order]
        handoff = meals.handoffs(len(elders))
        n, starts, ends, travel, back, _ = plan_stretch(
            matrix, base, villages, handoff, t0, np.inf, np.inf, origin=int(canteen_village),
            lead=float(matrix[base, canteen_village]))
        ontime = int(np.searchsorted(ends, deadline, side="right"))
        if ontime == 0:
            meals.delivered(u, today, elders[:0], idx)
            return
        back = ends[ontime - 1] + matrix[villages[ontime - 1], base] / MIN_PER_DAY
        done = yield from self._run(u, ends[:ontime], back, self.interruptible["meals"])
        self.log(u, MEALS, elders[:done], villages[:done], starts[:done], ends[:done], travel[:done],
                 handoff[:done])
        if done == ontime and back > ends[done - 1]:
            self.log(u, RETURN, np.array([-1]), np.array([base]), ends[done - 1:done], np.array([back]),
                     np.array([(back - ends[done - 1]) * MIN_PER_DAY]), np.zeros(1))
        meals.delivered(u, today, elders[:done], idx)
        self.minutes_used["meals"][u] += (env.now - t0) * MIN_PER_DAY
