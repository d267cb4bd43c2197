"""One replication end to end: demand (NumPy), then contention (SimPy).

The replication's random streams are named (`sim.streams`): the initial
elders, the devices a policy hands out, the monthly dynamics, the inflow of
entrants, the days events fall on and each service's demand and durations have
their own, so a later service's stream never shifts them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.experiment.scenario import Scenario
from sim.kernels.equity import elder_table
from sim.model import Demand, simulate_contention
from sim.model.adaptation import AdaptationProgramme
from sim.model.allowances import AllowanceDemand
from sim.model.bed_demand import HARDSHIP, BedDemand, death_days, discharge_draws, initial_residents
from sim.model.emergency_calls import EmergencyDemand
from sim.model.homecare import HomeCareDemand
from sim.model.meals import MealDemand
from sim.model.timebank import TimeBankDemand
from sim.model.visits import VisitDemand
from sim.policy.consolidation import day_of
from sim.population import initial_elders, simulate
from sim.streams import Streams


def demand_stage(scenario: Scenario, replication: int) -> Demand:
    """Stage 1 (NumPy): population trajectory and every demand stream of one replication."""
    cfg = scenario.config
    streams = Streams(cfg.run.seed, replication)
    county, services = scenario.plan.county, scenario.plan.services
    elders = initial_elders(county.villages.elders, cfg.population, scenario.cohort,
                            streams("population.init"))
    handed = scenario.plan.apply_to_elders(elders, streams("policy.devices"))
    homes = scenario.homes
    beds_now, nursing_now = homes.beds, homes.nursing_beds
    if homes.open_day is not None:                                  # a centre opening later has no one yet
        beds_now, nursing_now = (np.where(homes.open_day <= 0, b, 0) for b in (beds_now, nursing_now))
    residents = initial_residents(homes.village, beds_now, nursing_now, county.travel["car"],
                                  elders, services.beds.initial_occupancy, streams("beds.initial"))
    emergencies = EmergencyDemand(services.emergency, streams)
    beds = BedDemand(services.beds, streams)
    visits = VisitDemand(services.visits)
    meals = MealDemand(services.meals)
    homecare = HomeCareDemand(services.homecare)
    timebank = TimeBankDemand(cfg.policy.time_bank, len(county.villages), streams, scenario.months)
    ad = cfg.policy.adaptation
    # a disabled programme's dates are not read (its default steps may lie before run.start_date)
    step_days = [day_of(s.date, s.day, cfg.run.start_date, "policy.adaptation.steps")
                 for s in ad.steps] if ad.enabled else []
    adaptation = AdaptationProgramme(ad, step_days, float(county.elders_total), streams("policy.adaptation"))
    allowances = AllowanceDemand(services.budget.allowance_disabled_min_adl, handed["devices_handed_out"])
    inflow = county.villages.elders.sum(axis=1) * cfg.population.inflow_per_year / 12.0
    trajectory = simulate(elders, scenario.demography, cfg.population, scenario.months, inflow,
                          streams("population.dynamics"), streams("population.inflow"),
                          streams("population.timing"),
                          hooks=[adaptation, emergencies, beds, visits, meals, homecare, timebank,
                                 allowances])
    resident, home, nursing = residents
    leave = np.minimum(death_days(trajectory)[resident],
                       discharge_draws(services.beds, streams("beds.initial_discharge"), len(resident)))
    homes_now = replace(homes, resident_elder=resident, resident_home=home, resident_nursing=nursing,
                        resident_hardship=trajectory.elders.economic[resident] == HARDSHIP,
                        resident_leave_day=leave)
    return Demand(trajectory=trajectory, emergency_calls=emergencies.calls(),
                  bed_applications=beds.applications(trajectory), homes=homes_now,
                  visits_due=visits.due, meals=meals, homecare=homecare, timebank=timebank,
                  replication=replication, allowances=allowances, adaptation=adaptation)


def contention_stage(scenario: Scenario, demand: Demand) -> dict[str, np.ndarray]:
    """Stage 2 (SimPy): services serve the demand; returns the record arrays."""
    records = simulate_contention(demand, scenario.plan.county, scenario.plan.services,
                                  scenario.responders, scenario.horizon_days,
                                  Streams(scenario.config.run.seed, demand.replication),
                                  consolidation=scenario.plan.consolidation,
                                  timebank=scenario.plan.policy.time_bank,
                                  facility_open_day=scenario.plan.facility_open_day,
                                  facility_built_day=scenario.plan.facility_built_day,
                                  facility_subsidised=scenario.plan.facility_subsidised)
    records["population_monthly"] = demand.trajectory.monthly
    records["allowances"] = demand.allowances.table()
    records["adaptations"] = demand.adaptation.table()
    records["elders"] = elder_table(demand.trajectory.elders)   # groups and ages of the equity KPIs
    return records


def run_replication(scenario: Scenario, replication: int) -> dict[str, np.ndarray]:
    """Record arrays of one replication, keyed by table name."""
    return contention_stage(scenario, demand_stage(scenario, replication))
