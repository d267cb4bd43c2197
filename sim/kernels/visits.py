"""Visit KPIs for all replications at once (探访关爱, DESIGN §8 ``visit_rate_monthly``).

A requirement is one elder of a target group alive at a month's start; it ends
visited on time, late (the visit under way when the month closed), missed, or
with the elder's death first.  The monthly visiting rate is on-time visits over
the requirements of elders alive at the month's end (on time + late + missed),
over complete months only.
"""

from __future__ import annotations

import numpy as np

from sim.model.routes import JOB_TASKS, PHONE
from sim.model.visits import DIED_FIRST, LATE, MISSED, ON_TIME, OPEN


def visit_kpis(rep: np.ndarray, visits: np.ndarray, n: int) -> dict[str, np.ndarray]:
    out = visits["outcome"]
    count = lambda m: np.bincount(rep[m], minlength=n).astype(np.int64)  # noqa: E731
    on_time, missed, died = count(out == ON_TIME), count(out == MISSED), count(out == DIED_FIRST)
    late = count(out == LATE)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "visits_required": on_time + late + missed + died,
            "visits_on_time": on_time,
            "visits_late": late,
            "visits_missed": missed,
            "visits_died_first": died,
            "visits_open_end": count(out == OPEN),
            "visit_rate_monthly": on_time / (on_time + late + missed),
        }


def phone_visits(jrep: np.ndarray, jobs: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Visits made by phone 通讯探访: helper jobs on the visits task at village ``routes.PHONE``."""
    call = (jobs["task"] == JOB_TASKS.index("visits")) & (jobs["village"] == PHONE)
    return {"visits_by_phone": np.bincount(jrep[call], minlength=n).astype(float)}
