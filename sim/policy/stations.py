"""Sites 选址: ambulance posts (急救站点) and canteens (老年食堂) at named villages.

The 15-minute emergency response (15分钟应急响应, policy-docs/001 §(三)6) and the village canteens
(001 §(二)4) say what must be reached, not where to build.  `python -m sim.siting` proposes the
villages from coverage models; this policy puts the proposal into the world: a facility of kind
``ems_post`` at each listed village, staffed by ``post`` (a copy of the county's ambulance, so a
post's crew is busy on scene, on the way to hospital and at handover, as the 120 crews are), and
a canteen with ``canteen_seats`` at each listed village that has none yet.  Villages are named by
id or by name; an unknown one is a `ConfigError`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.config.errors import ConfigError, Problem
from sim.config.policies import StationsPolicy
from sim.config.services import ServicesConfig
from sim.world.county import FACILITY_KINDS, County, Facilities


def village_indices(county: County, names: list[str], field: str) -> np.ndarray:
    """Indices of the villages named by id or name (in the order given, repeats dropped)."""
    v = county.villages
    lookup = {str(i): k for k, i in enumerate(v.village_id)}
    for k, name in enumerate(v.name):
        lookup.setdefault(str(name), k)
    unknown = [n for n in names if str(n) not in lookup]
    if unknown:
        raise ConfigError([Problem(f"policy.stations.{field}", n, "a village id or name of the county")
                           for n in unknown])
    return np.array(list(dict.fromkeys(lookup[str(n)] for n in names)), dtype=np.int64)


def _added(county: County, villages: np.ndarray, kind: str, label: str, seats: int) -> Facilities:
    f = county.facilities
    ids = county.villages.village_id[villages].astype(str)
    n = len(villages)
    return Facilities(
        facility_id=np.array([f"{kind}_sited_{i}" for i in ids], dtype=object),
        name=np.array([f"{label} {i} (sited)" for i in ids], dtype=object),
        kind=np.full(n, FACILITY_KINDS.index(kind), dtype=f.kind.dtype),
        village=villages.astype(f.village.dtype),
        beds=np.zeros(n, dtype=f.beds.dtype), nursing_beds=np.zeros(n, dtype=f.nursing_beds.dtype),
        staff=np.zeros(n, dtype=f.staff.dtype), seats=np.full(n, seats, dtype=f.seats.dtype))


def add_sites(policy: StationsPolicy, county: County) -> County:
    """The county with an ``ems_post`` at each listed village and a canteen at each listed village
    without one (facilities appended after the county's own)."""
    if not policy.enabled:
        return county
    f = county.facilities
    posts = village_indices(county, policy.ambulance_posts, "ambulance_posts")
    canteens = village_indices(county, policy.canteens, "canteens")
    canteens = canteens[~np.isin(canteens, f.village[f.of_kind("canteen")])]
    parts = [f, _added(county, posts, "ems_post", "Ambulance post", 0),
             _added(county, canteens, "canteen", "Canteen", policy.canteen_seats)]
    facilities = Facilities(**{name: np.concatenate([getattr(p, name) for p in parts])
                               for name in Facilities.__dataclass_fields__})
    return replace(county, facilities=facilities)


def apply_rules(policy: StationsPolicy, services: ServicesConfig) -> ServicesConfig:
    """The helpers with the posts' crews (stationed at every ``ems_post``)."""
    if not policy.enabled or not policy.ambulance_posts or policy.post.per_base == 0:
        return services
    return replace(services, helpers=[*services.helpers, policy.post])


__all__ = ["add_sites", "apply_rules", "village_indices"]
