"""New village elderly-care points 村级养老服务点位 as data (policy-docs/001 农村方案 二(一)3).

Ankang's rural plan sets up 300 village points by 2027 (100 a year in 2025, 2026, 2027) that give
生活照料、健康管理、探访关爱、精神慰藉、委托代办.  Here a policy's dated steps give how many new points are
built on each date; they go to villages without a service point, those with the most elders 60+ in
walking reach first [A] (`sim.policy.canteens.walk_elders`, the order `operating` uses too).  Each
new point is a facility of kind ``service_point`` built on its step's day and operating from that
day; from then it does what an operating point does in the model: hosts a canteen the canteens
policy opens there, is the base of helpers based at service points (`sim.model.duty`), and counts
as built and operating in the operating rate.  When fewer villages lack a point than the steps ask,
the points that fit are placed (in step order) and a warning says how many did not.
Nothing here imports `sim.model`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from sim.config.dates import day_of
from sim.config.policies import VillagePointsPolicy
from sim.world.county import FACILITY_KINDS, County, Facilities


@dataclass(frozen=True, eq=False)
class PointPlan:
    """The points a policy adds: facility indices and their build (= opening) days."""

    points: np.ndarray       # facility indices of the new points
    days: np.ndarray         # day each is built and opens
    asked: int               # points the steps ask for (``len(points)`` when every one fits)


def opening_order(county: County, walk_min: float) -> np.ndarray:
    """Villages without a service point, most elders 60+ within ``walk_min`` walking minutes first
    (ties: table order) [A]."""
    from sim.policy.canteens import walk_elders

    f = county.facilities
    has = np.zeros(len(county.villages), dtype=bool)
    has[f.village[f.of_kind("service_point")]] = True
    free = np.flatnonzero(~has)
    reach = walk_elders(county, free, walk_min)
    return free[np.argsort(-reach, kind="stable")]


def add_points(policy: VillagePointsPolicy, county: County, start_date: str,
               walk_min: float) -> tuple[County, PointPlan]:
    """The county with the policy's points appended, and their plan."""
    order = opening_order(county, walk_min)
    days = []
    for i, step in enumerate(policy.steps):
        day = day_of(step.date, step.day, start_date, f"policy.village_points.steps[{i}].date")
        days += [day] * step.count
    asked = len(days)
    if asked > len(order):
        warnings.warn(f"policy.village_points: the steps ask for {asked} new points but only {len(order)} "
                      f"villages have no service point; {len(order)} placed (in step order), "
                      f"{asked - len(order)} left out", stacklevel=2)
        days = days[: len(order)]
    sites = order[: len(days)]
    f = county.facilities
    n = len(sites)
    ids = county.villages.village_id[sites].astype(str)
    added = Facilities(
        facility_id=np.array([f"village_point_{i}" for i in ids], dtype=object),
        name=np.array([f"Village point {i} (policy)" for i in ids], dtype=object),
        kind=np.full(n, FACILITY_KINDS.index("service_point")), village=sites.astype(f.village.dtype),
        beds=np.zeros(n, dtype=f.beds.dtype), nursing_beds=np.zeros(n, dtype=f.nursing_beds.dtype),
        staff=np.zeros(n, dtype=f.staff.dtype), seats=np.zeros(n, dtype=f.seats.dtype))
    cat = lambda name: np.concatenate([getattr(f, name), getattr(added, name)])  # noqa: E731
    facilities = Facilities(**{name: cat(name) for name in Facilities.__dataclass_fields__})
    plan = PointPlan(points=np.arange(len(f), len(f) + n), days=np.asarray(days, dtype=float), asked=asked)
    return replace(county, facilities=facilities), plan
