"""Policies as data: transforms of the world and of the service rules.

A policy config turns into dated changes of the world (homes closing, canteens
opening, devices handed out) and into rule parameters; this layer never
imports `sim.model`.  The baseline is today's network: no change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.schema import PolicyConfig
from sim.world.county import County


@dataclass(frozen=True)
class PolicyPlan:
    """The world a scenario starts from and the dated changes its policies make."""

    county: County
    changes: tuple = field(default_factory=tuple)


def plan(policy: PolicyConfig, county: County) -> PolicyPlan:
    """Apply the enabled policy sections to ``county`` (none yet: the baseline)."""
    return PolicyPlan(county=county)
