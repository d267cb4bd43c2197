"""One replication's contention stage: a SimPy environment and its services.

Today it holds the population clock; each service added later (emergencies,
beds, meals, visits, time bank) is constructed here from the environment, the
world, its rules, its named random stream and the shared records.
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.model.population_clock import PopulationClock
from sim.model.records import Records
from sim.population.dynamics import Trajectory


def simulate_contention(trajectory: Trajectory, horizon_days: float) -> dict[str, np.ndarray]:
    """Run the SimPy stage over ``horizon_days`` and return its record arrays."""
    env = simpy.Environment()
    records = Records()
    PopulationClock(env, trajectory.events, records)
    env.run(until=horizon_days)
    return records.arrays()
