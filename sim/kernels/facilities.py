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
                      horizon_days: float, only: np.ndarray | None = None) -> np.ndarray:
    """(n, years) facility-days open (operating) of ``kind`` per replication and year of the run
    (``only``: a mask of the rows to count)."""
    mine = status["kind"] == FACILITY_KINDS.index(kind)
    if only is not None:
        mine &= only
    start = np.minimum(status["open_day"][mine], horizon_days)
    out = np.zeros((n, years))
    for k in range(years):                      # a loop over the run's few years
        lo = k * YEAR_DAYS
        hi = horizon_days if k == years - 1 else min((k + 1) * YEAR_DAYS, horizon_days)
        days = np.clip(hi - np.maximum(start, lo), 0.0, None)
        out[:, k] = np.bincount(rep[mine], weights=days, minlength=n)
    return out


def facility_kpis(rep: np.ndarray, status: np.ndarray, n: int, horizon_days: float,
                  years: int) -> dict[str, np.ndarray]:
    """Service points and canteens built and operating at the horizon, of all the plan's sites, and
    the operating rate 运营率 of service points (operating / built) at the end and at each year's end."""
    out = {}
    for kind, name in (("service_point", "service_points"), ("canteen", "canteens")):
        mine = status["kind"] == FACILITY_KINDS.index(kind)
        opened = mine & (status["open_day"] < horizon_days)
        out[f"{name}_open_end"] = np.bincount(rep[opened], minlength=n).astype(float)
        out[f"{name}_built_end"] = np.bincount(rep[mine & (status["built_day"] < horizon_days)],
                                               minlength=n).astype(float)
        out[f"{name}_planned"] = np.bincount(rep[mine], minlength=n).astype(float)
    points = status["kind"] == FACILITY_KINDS.index("service_point")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["service_point_operating_rate"] = out["service_points_open_end"] / out["service_points_built_end"]
        for k in range(years):
            t = min((k + 1) * YEAR_DAYS, horizon_days) - 1e-9
            built = np.bincount(rep[points & (status["built_day"] <= t)], minlength=n)
            running = np.bincount(rep[points & (status["open_day"] <= t)], minlength=n)
            out[f"service_point_operating_rate_year_{k + 1}"] = running / built
    return out


def unit_paid_months(rep: np.ndarray, status: np.ndarray, unit_facility: np.ndarray, n: int,
                     months: int, years: int, month_days: float) -> np.ndarray:
    """(n, units, years) months each helper is paid: every month of the run, or for a helper based at
    a facility that opens on a date (sim.model.duty) the part of each month after its opening day
    (a facility missing from ``status`` counts as open from day 0; never opened: never paid)."""
    units = len(unit_facility)
    dated = unit_facility >= 0
    opens = np.zeros((n, units))
    if dated.any() and len(status):
        width = int(max(unit_facility.max(), status["facility"].max())) + 1
        table = np.zeros(n * width)
        table[rep.astype(np.int64) * width + status["facility"]] = status["open_day"]
        opens[:, dated] = table.reshape(n, width)[:, unit_facility[dated]]
    starts = np.arange(months) * month_days
    share = np.clip((starts[None, None, :] + month_days - opens[:, :, None]) / month_days, 0.0, 1.0)
    year = np.minimum(np.arange(months) // 12, years - 1)
    out = np.zeros((n, units, years))
    for k in range(years):                      # a loop over the run's few years
        out[:, :, k] = share[:, :, year == k].sum(axis=2)
    return out
