"""Policies as data: transforms of the world and of the service rules.

A policy config turns into changes of the world (devices handed out,
responders stationed, canteens opened, homes closing) and into rule
parameters (the response target, the dispatch rule); this layer never imports
`sim.model`.  The baseline is today's network: no change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sim.config.schema import PolicyConfig
from sim.config.services import ServicesConfig
from sim.policy import canteens, emergency, facilities, regional_centres, stations, time_bank, village_points
from sim.policy.consolidation import ConsolidationPlan, home_facilities, plan_consolidation
from sim.population.elders import Elders
from sim.world.county import County


@dataclass(frozen=True)
class PolicyPlan:
    """The world and rules a scenario runs with, after its policies."""

    policy: PolicyConfig
    county: County
    services: ServicesConfig
    consolidation: ConsolidationPlan | None = None
    facility_open_day: np.ndarray | None = None   # per facility of ``county``: day it operates (inf: idle, or
                                                  # on an event such as a freed home)
    facility_built_day: np.ndarray | None = None  # per facility: day built (a dated step; inf: a freed home)
    facility_subsidised: np.ndarray | None = None  # per facility: brought into operation by policy.operating
    bases: dict | None = None                      # helper bases a policy made (freed_building: facilities)
    centres: regional_centres.CentrePlan | None = None   # regional centres a policy opens on dated steps
    centre_homes: np.ndarray | None = None         # their indices among the county's homes (bed service)
    points: village_points.PointPlan | None = None  # village points a policy builds on dated steps

    def apply_to_elders(self, elders: Elders, rng: np.random.Generator) -> dict[str, int]:
        """Changes to the initial elders (devices handed out); counts of what changed."""
        return {"devices_handed_out": emergency.handout_devices(elders, self.policy.emergency, rng)}


def plan(policy: PolicyConfig, services: ServicesConfig, county: County,
         start_date: str = "2019-01-01", county_cfg=None) -> PolicyPlan:
    """Apply the enabled policy sections to the county and the service rules; dated steps count
    from ``start_date`` (``run.start_date``); ``county_cfg`` gives the service points' build-up."""
    built = facilities.service_point_days(county, county_cfg, start_date)
    points = None
    if policy.village_points.enabled:    # before canteens and operating: new points host and count
        county, points = village_points.add_points(policy.village_points, county, start_date,
                                                   services.meals.walk_threshold_min)
        built = np.concatenate([built, points.days])
    share = county_cfg.service_point_operating_share if county_cfg is not None else 1.0
    days, brought = facilities.operating_days(county, built, share, policy.operating, start_date,
                                              services.meals.walk_threshold_min,
                                              None if points is None else points.points)
    before = county
    county = canteens.open_canteens(policy.canteens, county, services.meals.walk_threshold_min)
    county = stations.add_sites(policy.stations, county)
    days = facilities.added_canteen_days(before, county, days)
    built = np.concatenate([built, days[len(built):]])
    brought = np.concatenate([brought, np.zeros(len(days) - len(brought), dtype=bool)])
    services = canteens.apply_rules(policy.canteens, emergency.apply_rules(policy.emergency, services))
    services = stations.apply_rules(policy.stations, services)
    consolidation = plan_consolidation(policy.consolidation, county, start_date)
    bases = None
    if consolidation is not None and consolidation.freed_building != "none":
        homes = home_facilities(county)
        closing = np.flatnonzero(~consolidation.kept)
        county, added = facilities.add_freed_buildings(county, homes[closing], consolidation.freed_building)
        freed = np.full(len(homes), -1, dtype=np.int64)
        freed[closing] = added
        days = np.concatenate([days, np.full(len(added), np.inf)])
        built = np.concatenate([built, np.full(len(added), np.inf)])
        brought = np.concatenate([brought, np.zeros(len(added), dtype=bool)])
        consolidation = replace(consolidation, freed_facility=freed)
        staff = policy.consolidation.freed_staff
        if consolidation.freed_building == "service_point" and staff.per_base > 0:
            # the freed building hosts visits from its closing day (001 (三)2, (二)3): staff work from then
            bases = {"freed_building": added}
            services = replace(services, helpers=[*services.helpers, staff])
    centres = centre_homes = None
    if policy.regional_centres.enabled:
        homes_before = len(home_facilities(county))
        county, centres = regional_centres.add_centres(policy.regional_centres, county, start_date)
        new = len(county.facilities) - len(days)
        opens = np.concatenate([centres.days, centres.days[: len(centres.kitchens)]])
        days = np.concatenate([days, opens])
        built = np.concatenate([built, opens])
        brought = np.concatenate([brought, np.zeros(new, dtype=bool)])
        centre_homes = np.arange(homes_before, homes_before + len(centres.centres))
        services = regional_centres.apply_rules(policy.regional_centres, services)
        if consolidation is not None:        # a centre is never closed by consolidation
            k = len(centre_homes)
            consolidation = replace(
                consolidation, kept=np.concatenate([consolidation.kept, np.ones(k, dtype=bool)]),
                all_nursing=None if consolidation.all_nursing is None
                else np.concatenate([consolidation.all_nursing, np.zeros(k, dtype=bool)]),
                freed_facility=None if consolidation.freed_facility is None
                else np.concatenate([consolidation.freed_facility, np.full(k, -1, dtype=np.int64)]))
    # the time bank's volunteers come last among the helpers (its routes are sized to them)
    services = time_bank.apply_rules(policy.time_bank, services)
    return PolicyPlan(policy=policy, county=county, services=services, consolidation=consolidation,
                      facility_open_day=days, facility_built_day=built, facility_subsidised=brought,
                      bases=bases, centres=centres, centre_homes=centre_homes, points=points)
