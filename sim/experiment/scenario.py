"""A scenario: the validated config and everything built from it once.

County (generated or loaded), the policy plan, demographic tables and the
equilibrium cohort are the same for every replication, so they are built once
in the parent process and shared with the workers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.schema import SimConfig
from sim.config.validate import validate
from sim.model.beds import HomesAtStart
from sim.model.responders import Responders, build_responders
from sim.policy import PolicyPlan, plan
from sim.policy.consolidation import home_facilities
from sim.population.cohort import Cohort, cohort
from sim.population.demography import MONTH_DAYS, Demography, build_demography
from sim.world import County, build_county


@dataclass(frozen=True, eq=False)
class Scenario:
    config: SimConfig
    county: County
    plan: PolicyPlan
    demography: Demography
    cohort: Cohort
    responders: Responders
    homes: HomesAtStart

    @property
    def months(self) -> int:
        """Monthly steps covering the horizon (the horizon is rounded to whole months)."""
        return max(1, round(self.config.run.horizon_days / MONTH_DAYS))

    @property
    def horizon_days(self) -> float:
        return self.months * MONTH_DAYS


def build_scenario(cfg: SimConfig) -> Scenario:
    """Validate ``cfg`` and build its world; raises ConfigError / DataError on bad input."""
    validate(cfg)
    county = build_county(cfg.county)
    demography = build_demography(cfg.population)
    policy_plan = plan(cfg.policy, cfg.services, county, cfg.run.start_date, cfg.county)
    return Scenario(config=cfg, county=county, plan=policy_plan, demography=demography,
                    cohort=cohort(demography),
                    responders=build_responders(policy_plan.county,
                                                list(policy_plan.services.helpers), policy_plan.bases),
                    homes=homes_at_start(policy_plan.county, policy_plan.facility_open_day))


def homes_at_start(county: County, facility_open_day: np.ndarray | None = None) -> HomesAtStart:
    """The county's nursing homes as the bed service sees them (residents drawn per replication);
    homes that open on a date (a regional centre) carry their opening day."""
    f = county.facilities
    homes = home_facilities(county)
    empty_i, empty_b, empty_f = np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0)
    opens = None
    if facility_open_day is not None and (np.asarray(facility_open_day)[homes] > 0).any():
        opens = np.asarray(facility_open_day, dtype=float)[homes]
    return HomesAtStart(village=f.village[homes], beds=f.beds[homes], nursing_beds=f.nursing_beds[homes],
                        staff=f.staff[homes], resident_elder=empty_i, resident_home=empty_i,
                        resident_nursing=empty_b, resident_hardship=empty_b, resident_leave_day=empty_f,
                        open_day=opens)
