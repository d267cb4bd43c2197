"""Nursing-bed KPIs for all replications at once, from the bed events and home totals.

Costs (CALIBRATION §9): each open home costs ``fixed_yuan_per_year`` plus its
staff's wages; each occupied bed-day ``bed_day_yuan``; a consolidation's
upgrades cost ``new_bed_yuan`` per bed added and ``nursing_conversion_yuan``
per ordinary bed converted to nursing-type.
"""

from __future__ import annotations

import numpy as np

from sim.config.services import HomeCosts
from sim.kernels.grouped import grouped_share
from sim.model.beds import (
    ABANDONED,
    ADMITTED,
    APPLIED,
    DIED_WAITING,
    DISPLACED,
    REFUSED,
    TRANSFERRED,
    WAITING_END,
)

YEAR_DAYS = 365.25


def _count(rep: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(rep[mask], minlength=n).astype(np.int64)


def _mean(rep: np.ndarray, values: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    total = np.bincount(rep[mask], weights=values[mask], minlength=n)
    count = np.bincount(rep[mask], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def bed_kpis(rep: np.ndarray, events: np.ndarray, home_rep: np.ndarray, homes: np.ndarray, n: int,
             costs: HomeCosts, new_bed_yuan: float = 0.0,
             nursing_conversion_yuan: float = 0.0) -> dict[str, np.ndarray]:
    kind = events["kind"]
    admitted = kind == ADMITTED
    moved = kind == TRANSFERRED
    hb = lambda col: np.bincount(home_rep, weights=homes[col].astype(float), minlength=n)  # noqa: E731
    open_end = homes["open_end"]
    beds_open = np.bincount(home_rep, weights=homes["beds_end"] * open_end, minlength=n)
    nursing_open = np.bincount(home_rep, weights=homes["nursing_beds_end"] * open_end, minlength=n)
    fixed = hb("open_days") / YEAR_DAYS * costs.fixed_yuan_per_year \
        + hb("staff_days") / YEAR_DAYS * 12 * costs.staff_wage_yuan_per_month
    variable = hb("occupied_bed_days") * costs.bed_day_yuan
    capital = hb("beds_added") * new_bed_yuan + hb("nursing_added") * nursing_conversion_yuan
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "bed_applications": _count(rep, kind == APPLIED, n),
            "bed_admissions": _count(rep, admitted, n),
            "bed_refused": _count(rep, kind == REFUSED, n),
            "bed_abandoned": _count(rep, kind == ABANDONED, n),
            "bed_died_waiting": _count(rep, kind == DIED_WAITING, n),
            "bed_waitlist_end": _count(rep, kind == WAITING_END, n),
            "bed_wait_days_mean": _mean(rep, events["wait_days"], admitted, n),
            "bed_waited_share": grouped_share(rep[admitted], events["wait_days"][admitted] > 0, n),
            "bed_occupancy": hb("occupied_bed_days") / hb("bed_days"),
            "nursing_bed_share": nursing_open / beds_open,
            "beds_open_end": beds_open,
            "homes_open_end": np.bincount(home_rep, weights=open_end, minlength=n),
            "residents_displaced": _count(rep, moved | (kind == DISPLACED), n),
            "displacement_km_mean": _mean(rep, events["km"], moved, n),
            "family_travel_extra_min_mean": _mean(rep, events["extra_min"], moved, n),
            "home_fixed_cost_yuan": fixed,
            "home_variable_cost_yuan": variable,
            "home_capital_cost_yuan": capital,
            "cost_per_occupied_bed_day_yuan": (fixed + variable) / hb("occupied_bed_days"),
        }


def occupancy_windows(rep: np.ndarray, samples: np.ndarray, n: int, horizon_days: float,
                      window_days: float = 365.25) -> dict[str, np.ndarray]:
    """Occupancy of open beds and mean waiting list in the first and the last window of the run."""
    out = {}
    for name, mask in (("first_year", samples["day"] < min(window_days, horizon_days)),
                       ("last_year", samples["day"] >= max(horizon_days - window_days, 0.0))):
        m = mask & samples["open"]
        occ = np.bincount(rep[m], weights=samples["occupied"][m], minlength=n)
        beds = np.bincount(rep[m], weights=samples["beds"][m], minlength=n)
        # the waiting list is county-wide: one value per sample day, repeated per home
        first_home = mask & (samples["home"] == 0)
        wait = np.bincount(rep[first_home], weights=samples["waitlist"][first_home], minlength=n)
        days = np.bincount(rep[first_home], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"bed_occupancy_{name}"] = occ / beds
            out[f"bed_waitlist_mean_{name}"] = wait / days
    return out
