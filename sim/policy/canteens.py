"""Village canteens and meal delivery (老年食堂, 助餐点, 爱心餐厅): policy-docs/001 §(二)4, 000.

Ankang's rural plan builds canteens and meal points into village service
points; Xianyang's love canteens (爱心餐厅) serve the old, the disabled and
the solitary.  As data this is: canteens opened at the chosen sites (service
points, or every village) that have none yet, with ``seats``; the kitchen's
meals a day; delivery on or off with couriers (送餐员) stationed at every
canteen; and which groups are offered a lunch.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.config.policies import MEAL_GROUPS, CanteenPolicy
from sim.config.services import ServicesConfig
from sim.world.county import FACILITY_KINDS, County, Facilities


def walk_elders(county: County, sites: np.ndarray, walk_min: float) -> np.ndarray:
    """Elders (60+, at the start) living within ``walk_min`` walking minutes of each site village."""
    near = county.travel["walk"][sites] <= walk_min            # (sites, villages)
    return near.astype(np.int64) @ county.villages.elders.sum(axis=1).astype(np.int64)


def open_canteens(policy: CanteenPolicy, county: County, walk_min: float = 20.0) -> County:
    """The county with canteens added at the policy's sites (one per village at most).

    With ``open_at: service_point`` a canteen opens only where conditions allow (有条件的, policy-docs/001
    §(二)4): at least ``min_walk_elders`` elders within ``walk_min`` walking minutes, a kitchen if
    ``require_kitchen`` (the facilities table's ``seats`` > 0 at the service point), and at most
    ``max_new`` new canteens, those with the most elders in walking reach first."""
    if not policy.enabled or policy.open_at == "none":
        return county
    f = county.facilities
    have = np.zeros(len(county.villages), dtype=bool)
    have[f.village[f.of_kind("canteen")]] = True
    if policy.open_at == "service_point":
        points = f.of_kind("service_point")
        if policy.require_kitchen:
            points = points[f.seats[points] > 0]
        sites = np.unique(f.village[points])
    else:
        sites = np.arange(len(county.villages))
    sites = sites[~have[sites]]
    if policy.open_at == "service_point" and len(sites):
        reach = walk_elders(county, sites, walk_min)
        ok = reach >= policy.min_walk_elders
        sites, reach = sites[ok], reach[ok]
        if policy.max_new is not None:
            sites = np.sort(sites[np.argsort(-reach, kind="stable")[: policy.max_new]])
    if not len(sites):
        return county
    ids = county.villages.village_id[sites].astype(str)
    n = len(sites)
    added = Facilities(
        facility_id=np.array([f"canteen_policy_{i}" for i in ids], dtype=object),
        name=np.array([f"Canteen {i} (policy)" for i in ids], dtype=object),
        kind=np.full(n, FACILITY_KINDS.index("canteen")), village=sites.astype(f.village.dtype),
        beds=np.zeros(n, dtype=f.beds.dtype), nursing_beds=np.zeros(n, dtype=f.nursing_beds.dtype),
        staff=np.zeros(n, dtype=f.staff.dtype), seats=np.full(n, policy.seats, dtype=f.seats.dtype))
    cat = lambda name: np.concatenate([getattr(f, name), getattr(added, name)])  # noqa: E731
    facilities = Facilities(**{name: cat(name) for name in Facilities.__dataclass_fields__})
    return replace(county, facilities=facilities)


def apply_rules(policy: CanteenPolicy, services: ServicesConfig) -> ServicesConfig:
    """The meal rules under the policy: kitchen size, delivery, eligibility and couriers."""
    if not policy.enabled:
        return services
    groups = {g: g in policy.eligible for g in MEAL_GROUPS}
    meals = replace(services.meals, kitchen_meals_per_day=policy.kitchen_meals_per_day,
                    delivery=policy.delivery, groups_all_of=list(policy.eligible_all_of), **groups)
    helpers = list(services.helpers) + ([policy.courier] if policy.delivery else [])
    return replace(services, meals=meals, helpers=helpers)
