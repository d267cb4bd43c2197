"""Helpers' working days (DESIGN §4.6): home care, meal delivery, visits and time-bank care.

What is modelled: every helper with home-care hours, visiting hours, meal
delivery or a time-bank pool works on its ``workdays`` within its shift.  Its
work comes from task sources that share one protocol (`sim.model.routes`): the
week's home-care sessions (`sim.model.homecare`), the month's visits
(`sim.model.visits`), the month's time-bank care (`sim.model.timebank`) and,
on canteen days, the lunch orders of its canteen (`sim.model.meals`).  Work is
done in stretches: a route walked in order while each next job and the way
back to base fit in the block and in the week's hours for that task.  Every
helper's stretches are planned in NumPy, all helpers at once
(`sim.model.routine`); SimPy only carries the moments a call takes a helper
off its plan.

Priorities (``services.tasks.priority``, highest first; default emergency >
home care > meals > visits): a helper does the highest-ranked task that has
work and hours left; a task ranked below meals stops before the lunch round;
a task ranked below ``emergency`` is interrupted for a waiting call at the end
of the job under way, or at once with ``preempt`` (the job under way is then
not done and stays on the route).  A helper on any task is busy: the
dispatcher skips it.  A helper back from an emergency resumes its day.
Time-bank volunteers only add service: they are planned after the paid
helpers.  Clock in days, durations in minutes.

Assumed: helpers start and end every stretch at their base, and the dispatcher
sends a helper from its base.
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.config.services import TasksConfig
from sim.model.records import Records
from sim.model.responders import Responders
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
    Residents,
    first_n,
)
from sim.model.routine import RoutineDays

JOB_DTYPE = np.dtype([
    ("helper", np.int32), ("task", np.int8), ("elder", np.int32), ("village", np.int32),
    ("start_day", np.float64), ("end_day", np.float64), ("travel_min", np.float64),
    ("work_min", np.float64),
])


class HelperService:
    """Every helper's tasks, hours and records; their days are planned by `RoutineDays`."""

    def __init__(self, env: simpy.Environment, tasks: TasksConfig, units: Responders, dispatcher,
                 minutes: list[np.ndarray], sources: dict, meals, records: Records,
                 horizon_days: float, residents: Residents, timebank=None, timebank_tasks=()):
        self.env, self.units = env, units
        self.residents = residents          # elders' deaths, nursing homes and villages, for the planner
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
        self.pool_used = timebank.pool_used if timebank is not None else np.zeros(len(units))
        if timebank is not None:
            self.pooled[timebank.volunteers] = True
            self.sources = {**sources, "timebank": timebank}
            self.volunteer_tasks = ["timebank"] + [t for t in self.home_tasks if t in timebank_tasks]
        self.jobs = records.table("helper_jobs", JOB_DTYPE)
        self.minutes_used = {t: np.zeros(len(units)) for t in ("homecare", "meals", "visits", "timebank")}
        delivers = units.delivers_meals if meals is not None else np.zeros(len(units), dtype=bool)
        self.delivers = delivers
        workers = np.flatnonzero(delivers | (units.visit_hours > 0) & ("visits" in sources)
                                 | (units.homecare_hours > 0) & ("homecare" in sources) | self.pooled)
        # every helper's days are planned in NumPy (`sim.model.routine`); the dispatcher reads the
        # plans of those who answer calls and cuts them when it needs them
        self.routine = RoutineDays(self, workers)
        if self.routine.contend.any():
            dispatcher.attach(self.routine.calls)

    # ------------------------------------------------------------------ records
    def log_many(self, units: np.ndarray, task: int, did: np.ndarray, elders, villages, starts, ends,
                 travel, work) -> None:
        """Jobs of many helpers at once: the cells ``did`` of ``(len(units), k)`` arrays."""
        if np.count_nonzero(did):
            helper = units[did.nonzero()[0]]
            self.jobs.add(helper, task, elders[did], villages[did], starts[did], ends[did], travel[did],
                          work[did])

    def log_rows(self, units: np.ndarray, task: int, elders, villages, starts, ends, travel, work) -> None:
        """One job of each of ``units`` (1-D arrays)."""
        if len(units):
            self.jobs.add(units, task, elders, villages, starts, ends, travel, work)

    def finish(self) -> None:
        """The job log is packed as it grows (`RecordTable.add`): nothing is left to write."""

    # ------------------------------------------------------------------ a helper's days
