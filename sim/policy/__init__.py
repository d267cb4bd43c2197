"""Policies as data: transforms of the world and of the service rules.

A policy config turns into changes of the world (devices handed out,
responders stationed, canteens opened, homes closing) and into rule
parameters (the response target, the dispatch rule); this layer never imports
`sim.model`.  The baseline is today's network: no change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.schema import PolicyConfig
from sim.config.services import ServicesConfig
from sim.policy import canteens, emergency, time_bank
from sim.policy.consolidation import ConsolidationPlan, plan_consolidation
from sim.population.elders import Elders
from sim.world.county import County


@dataclass(frozen=True)
class PolicyPlan:
    """The world and rules a scenario runs with, after its policies."""

    policy: PolicyConfig
    county: County
    services: ServicesConfig
    consolidation: ConsolidationPlan | None = None

    def apply_to_elders(self, elders: Elders, rng: np.random.Generator) -> dict[str, int]:
        """Changes to the initial elders (devices handed out); counts of what changed."""
        return {"devices_handed_out": emergency.handout_devices(elders, self.policy.emergency, rng)}


def plan(policy: PolicyConfig, services: ServicesConfig, county: County,
         start_date: str = "2019-01-01") -> PolicyPlan:
    """Apply the enabled policy sections to the county and the service rules; dated steps count
    from ``start_date`` (``run.start_date``)."""
    county = canteens.open_canteens(policy.canteens, county, services.meals.walk_threshold_min)
    services = canteens.apply_rules(policy.canteens, emergency.apply_rules(policy.emergency, services))
    services = time_bank.apply_rules(policy.time_bank, services)
    return PolicyPlan(policy=policy, county=county, services=services,
                      consolidation=plan_consolidation(policy.consolidation, county, start_date))
