"""When facilities open: dated build-up of service points, canteens that open with their point,
and freed nursing-home buildings that become facilities on the day their home closes.

A preset may give the number of village service points (日间照料中心) a plan
reaches as a *target*: Qinshui's 110 centres are its 2021 goal (policy-docs/002
二(一)), not its 2019 network.  ``county.service_points_at_start`` are open at
day 0 (the villages with most elders first, the generator's order) and
``county.service_point_steps`` open the rest on dated steps.  A canteen a policy
opens at a service point opens with it.  A home closed by consolidation becomes
a service point or a canteen (``freed_building``) from its closing day: the
facility exists in the plan with an opening day of infinity, which the bed
service sets when it closes the home (001 三(二)2: 腾退出来的闲置场所面向社会发展普惠养老服务).

Every facility of the plan's county has an opening day (0: open from the start).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.config.errors import ConfigError, Problem
from sim.world.county import FACILITY_KINDS, County, Facilities


def service_point_days(county: County, cfg, start_date: str) -> np.ndarray:
    """Opening day of every facility from the county's service-point steps (others 0)."""
    from sim.policy.consolidation import day_of

    f = county.facilities
    days = np.zeros(len(f))
    if cfg is None or cfg.service_points_at_start is None:
        return days
    points = f.of_kind("service_point")
    total = cfg.service_points_at_start + sum(s.count for s in cfg.service_point_steps)
    if total != len(points):
        raise ConfigError([Problem("county.service_point_steps", [s.count for s in cfg.service_point_steps],
                                   f"service_points_at_start ({cfg.service_points_at_start}) plus the steps "
                                   f"must equal the county's service points ({len(points)})")])
    steps = [day_of(s.date, s.day, start_date, f"county.service_point_steps[{i}].date")
             for i, s in enumerate(cfg.service_point_steps)]
    counts = [cfg.service_points_at_start] + [s.count for s in cfg.service_point_steps]
    opens = np.repeat([0.0] + steps, counts)
    days[points] = opens
    return days


def added_canteen_days(before: County, after: County, days: np.ndarray) -> np.ndarray:
    """Opening days extended to the canteens a policy added, and every canteen hosted by a service
    point operating only when that point does: a canteen opens with the earliest operating service
    point of its village (a village without one: at once; only idle points: never)."""
    f = after.facilities
    added = np.arange(len(before.facilities), len(f))
    out = np.concatenate([days, np.zeros(len(added))])
    points = before.facilities.of_kind("service_point")
    has = np.zeros(len(after.villages), dtype=bool)
    has[before.facilities.village[points]] = True
    first = np.full(len(after.villages), np.inf)
    np.minimum.at(first, before.facilities.village[points], days[points])
    canteens = f.of_kind("canteen")
    hosted = has[f.village[canteens]]
    out[canteens[hosted]] = np.maximum(out[canteens[hosted]], first[f.village[canteens[hosted]]])
    return out


def add_freed_buildings(county: County, homes: np.ndarray, use: str) -> tuple[County, np.ndarray]:
    """The county with a facility of kind ``use`` at the village of each home in ``homes``
    (facility indices), and each new facility's index (in the order of ``homes``)."""
    f = county.facilities
    n = len(homes)
    ids = f.facility_id[homes].astype(str)
    seats = np.zeros(n, dtype=f.seats.dtype)
    if use == "canteen":
        canteens = f.of_kind("canteen")
        seats[:] = int(np.median(f.seats[canteens])) if len(canteens) else 40   # the usual canteen [A]
    added = Facilities(
        facility_id=np.array([f"freed_{i}" for i in ids], dtype=object),
        name=np.array([f"{name} ({use}, freed)" for name in f.name[homes]], dtype=object),
        kind=np.full(n, FACILITY_KINDS.index(use)), village=f.village[homes].astype(f.village.dtype),
        beds=np.zeros(n, dtype=f.beds.dtype), nursing_beds=np.zeros(n, dtype=f.nursing_beds.dtype),
        staff=np.zeros(n, dtype=f.staff.dtype), seats=seats)
    cat = lambda name: np.concatenate([getattr(f, name), getattr(added, name)])  # noqa: E731
    facilities = Facilities(**{name: cat(name) for name in Facilities.__dataclass_fields__})
    return replace(county, facilities=facilities), np.arange(len(f), len(f) + n)


def operating_days(county: County, built: np.ndarray, share: float, policy, start_date: str,
                   walk_min: float, new: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Operating-from day of every facility, and the service points a policy brings into operation.

    Of the county's service points a share ``share`` operates from the day it is built, those with
    the most elders within ``walk_min`` walking minutes first [A]; the rest stand idle (inf).  An
    enabled operating policy brings idle points into operation on its date, most elders first, until
    operating / built reaches its target rate (001 (三)3).  ``new`` are points a policy builds to
    serve (village_points, 001 二(一)3): each operates from the day it is built, and counts in the
    target's rate as built and as operating (so fewer idle points need bringing in)."""
    from sim.policy.canteens import walk_elders
    from sim.policy.consolidation import day_of

    days = built.copy()
    f = county.facilities
    points = f.of_kind("service_point")
    n_new = 0
    if new is not None and len(new):
        points = np.setdiff1d(points, new)
        n_new = len(new)
    brought = np.zeros(len(f), dtype=bool)
    if not len(points):
        return days, brought
    reach = walk_elders(county, f.village[points], walk_min)
    order = points[np.argsort(-reach, kind="stable")]
    n_operating = int(np.floor(share * len(points) + 1e-9))
    idle = order[n_operating:]
    days[idle] = np.inf
    if policy is not None and policy.enabled:
        target = int(np.ceil(policy.target_rate * (len(points) + n_new) - 1e-9)) - n_new
        when = day_of(policy.date, policy.day, start_date, "policy.operating.date")
        bring = idle[: max(0, target - n_operating)]
        days[bring] = np.maximum(built[bring], when)
        brought[bring] = True
    return days, brought
