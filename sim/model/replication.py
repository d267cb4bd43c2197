"""One replication's contention stage: a SimPy environment and its services.

Each service is built here from the environment, the world, its rules, its
demand arrays and the shared records; services added later plug in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy

from sim.config.services import ServicesConfig
from sim.model.bed_demand import death_days
from sim.model.beds import BedService, HomesAtStart
from sim.model.emergency import EmergencyService
from sim.model.population_clock import PopulationClock
from sim.model.records import Records
from sim.model.responders import RESPONDER_DTYPE, Responders, hospital_village
from sim.model.visits import VisitService
from sim.population.dynamics import Trajectory
from sim.world.county import County


@dataclass(frozen=True, eq=False)
class Demand:
    """The demand arrays of one replication (from the NumPy stage)."""

    trajectory: Trajectory
    emergency_calls: np.ndarray
    bed_applications: np.ndarray
    homes: HomesAtStart
    visits_due: list[np.ndarray]
    replication: int = 0


def simulate_contention(demand: Demand, county: County, services: ServicesConfig,
                        responders: Responders, horizon_days: float, visit_rng: np.random.Generator,
                        consolidation=None) -> dict[str, np.ndarray]:
    """Run the SimPy stage over ``horizon_days`` and return its record arrays."""
    env = simpy.Environment()
    records = Records()
    PopulationClock(env, demand.trajectory.events, records)
    car = county.travel["car"]
    emergency = EmergencyService(env, services.emergency, responders, car[:, hospital_village(county)],
                                 county.villages.township, demand.emergency_calls, records, horizon_days)
    beds = BedService(env, services.beds, demand.homes, car, county.travel.road_km,
                      demand.bed_applications, demand.trajectory.elders.village, records, horizon_days,
                      plan=consolidation)
    specs = services.emergency.responders
    visits = VisitService(env, services.visits, responders, emergency.busy, emergency.assign_waiting,
                          emergency.wanted,
                          county.travel.minutes, [s.mode for s in specs], demand.visits_due,
                          demand.trajectory.elders.village, death_days(demand.trajectory), visit_rng,
                          records, horizon_days)
    env.run(until=horizon_days)
    emergency.finish()
    beds.finish()
    visits.finish()
    records.table("responders", RESPONDER_DTYPE).append(
        unit=np.arange(len(responders)), kind=responders.kind, base=responders.base,
        busy_minutes=emergency.busy_minutes, visit_minutes=visits.visit_minutes)
    return records.arrays()
