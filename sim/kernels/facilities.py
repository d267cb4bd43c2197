"""Facilities over time: service points and canteens open at the end, and open facility-days by year.

A facility is open from its opening day (0: from the start; a dated step of the
county's build-up; the day a freed nursing home closed) to the horizon; one
never opened has an infinite opening day (sim.model.replication facility_status).
"""

from __future__ import annotations

import numpy as np

from sim.world.county import FACILITY_KINDS

YEAR_DAYS = 365.25


def open_days_by_year(rep: np.ndarray, status: np.ndarray, kind: str, n: int, years: int,
                      horizon_days: float) -> np.ndarray:
    """(n, years) facility-days open of ``kind`` per replication and year of the run."""
    mine = status["kind"] == FACILITY_KINDS.index(kind)
    start = np.minimum(status["open_day"][mine], horizon_days)
    out = np.zeros((n, years))
    for k in range(years):                      # a loop over the run's few years
        lo = k * YEAR_DAYS
        hi = horizon_days if k == years - 1 else min((k + 1) * YEAR_DAYS, horizon_days)
        days = np.clip(hi - np.maximum(start, lo), 0.0, None)
        out[:, k] = np.bincount(rep[mine], weights=days, minlength=n)
    return out


def facility_kpis(rep: np.ndarray, status: np.ndarray, n: int, horizon_days: float) -> dict[str, np.ndarray]:
    """Service points and canteens open at the horizon, and of all the plan's sites."""
    out = {}
    for kind, name in (("service_point", "service_points"), ("canteen", "canteens")):
        mine = status["kind"] == FACILITY_KINDS.index(kind)
        opened = mine & (status["open_day"] < horizon_days)
        out[f"{name}_open_end"] = np.bincount(rep[opened], minlength=n).astype(float)
        out[f"{name}_planned"] = np.bincount(rep[mine], minlength=n).astype(float)
    return out
