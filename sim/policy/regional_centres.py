"""Township regional elderly-care centres 镇区域养老服务中心 as data (policy-docs/001 农村方案 二(一)2).

Ankang's rural plan builds 60 township centres by 2027 (20 a year in 2025, 2026, 2027) for a
coverage of at least 60% of townships (001 一); each gives 全托 (beds), 日托, 护理照料, 上门服务
(home care) and 膳食供应 (meals), and extends its services to the villages.  Here a policy's dated
steps give the share of the county's townships covered from each date; the centres stand at
township seats (the village of the township's health centre, else its most populous village),
townships with the most elders first [A], and a township that already has a regional centre
counts as covered.  Each new centre is a facility of kind ``regional_centre`` with beds and staff
(a home of the bed service from its opening day), a home-care team based at it (``team``, which
starts work that day: `sim.model.duty`) and, with ``kitchen``, a canteen at its village that opens
with it.  Every added facility gets its opening day; nothing here imports `sim.model`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sim.config.dates import day_of
from sim.config.policies import RegionalCentresPolicy
from sim.config.services import ServicesConfig
from sim.world.county import FACILITY_KINDS, County, Facilities


@dataclass(frozen=True, eq=False)
class CentrePlan:
    """The centres a policy adds: facility indices, opening days, and their kitchens."""

    centres: np.ndarray      # facility indices of the new centres
    days: np.ndarray         # opening day of each centre
    kitchens: np.ndarray     # facility indices of their canteens (empty without ``kitchen``)
    build_yuan: np.ndarray   # one-off construction subsidy of each centre (centre + beds)


def township_seats(county: County) -> np.ndarray:
    """The seat village of every township: its health centre's village, else its most populous."""
    v, f = county.villages, county.facilities
    elders = v.elders.sum(axis=1)
    seats = np.full(len(county.townships), -1, dtype=np.int64)
    for t in range(len(county.townships)):       # a loop over townships (a few dozen)
        mine = np.flatnonzero(v.township == t)
        centres = f.village[f.of_kind("health_centre")]
        at = centres[v.township[centres] == t]
        if len(at):
            seats[t] = int(at[0])
        elif len(mine):
            seats[t] = int(mine[np.argmax(elders[mine])])
    return seats


def opening_order(county: County) -> tuple[np.ndarray, int]:
    """Townships without a regional centre yet, most elders 60+ first (ties: table order) [A], and
    the number that have one."""
    v, f = county.villages, county.facilities
    elders = np.bincount(v.township, weights=v.elders.sum(axis=1), minlength=len(county.townships))
    has = np.zeros(len(county.townships), dtype=bool)
    has[v.township[f.village[f.of_kind("regional_centre")]]] = True
    empty = np.bincount(v.township, minlength=len(county.townships)) == 0    # no village to stand in
    order = np.argsort(-elders, kind="stable")
    return order[~has[order] & ~empty[order]], int(has.sum())


def add_centres(policy: RegionalCentresPolicy, county: County, start_date: str) -> tuple[County, CentrePlan]:
    """The county with the policy's centres (and kitchens) appended, and their plan."""
    order, existing = opening_order(county)
    n_town = len(county.townships)
    days, count = [], 0
    for i, step in enumerate(policy.steps):
        day = day_of(step.date, step.day, start_date, f"policy.regional_centres.steps[{i}].date")
        want = min(int(np.ceil(step.coverage * n_town - 1e-9)) - existing, len(order))
        days += [day] * max(0, want - count)
        count = max(count, want)
    towns = order[:count]
    seats = township_seats(county)[towns]
    f = county.facilities
    n = len(towns)
    nursing = int(np.ceil(policy.nursing_share * policy.beds - 1e-9))
    names = county.townships[towns] if len(towns) else np.zeros(0, dtype=object)
    rows = [("regional_centre", [f"{t} regional centre" for t in names], np.full(n, policy.beds),
             np.full(n, nursing), np.full(n, policy.staff), np.zeros(n))]
    if policy.kitchen:
        rows.append(("canteen", [f"{t} regional centre kitchen" for t in names], np.zeros(n), np.zeros(n),
                     np.zeros(n), np.full(n, policy.kitchen_seats)))
    added = []
    for kind, label, beds, nb, staff, seat in rows:
        added.append(Facilities(
            facility_id=np.array([f"centre_{kind}_{i}" for i in range(n)], dtype=object),
            name=np.array(label, dtype=object), kind=np.full(n, FACILITY_KINDS.index(kind)),
            village=seats.astype(f.village.dtype), beds=beds.astype(f.beds.dtype),
            nursing_beds=nb.astype(f.nursing_beds.dtype), staff=staff.astype(f.staff.dtype),
            seats=seat.astype(f.seats.dtype)))
    cat = lambda name: np.concatenate([getattr(f, name)] + [getattr(a, name) for a in added])  # noqa: E731
    facilities = Facilities(**{name: cat(name) for name in Facilities.__dataclass_fields__})
    centres = np.arange(len(f), len(f) + n)
    kitchens = np.arange(len(f) + n, len(f) + 2 * n) if policy.kitchen else np.zeros(0, np.int64)
    build = np.full(n, policy.build_yuan_per_centre + policy.beds * policy.build_yuan_per_bed)
    return replace(county, facilities=facilities), CentrePlan(centres=centres, days=np.asarray(days, float),
                                                              kitchens=kitchens, build_yuan=build)


def apply_rules(policy: RegionalCentresPolicy, services: ServicesConfig) -> ServicesConfig:
    """The service rules with the centres' home-care team (it starts work as its centre opens)."""
    if not policy.enabled or policy.team.per_base == 0:
        return services
    return replace(services, helpers=[*services.helpers, policy.team])
