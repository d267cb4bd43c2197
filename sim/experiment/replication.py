"""One replication end to end: demand (NumPy), then contention (SimPy).

The replication's random streams are named (`sim.streams`): the initial
elders, the monthly dynamics, the inflow of entrants and the days events fall
on each have their own, so a later service's stream never shifts them.
"""

from __future__ import annotations

import numpy as np

from sim.experiment.scenario import Scenario
from sim.model import simulate_contention
from sim.population import initial_elders, simulate
from sim.streams import Streams


def run_replication(scenario: Scenario, replication: int) -> dict[str, np.ndarray]:
    """Record arrays of one replication, keyed by table name."""
    cfg = scenario.config
    streams = Streams(cfg.run.seed, replication)
    county = scenario.plan.county
    elders = initial_elders(county.villages.elders, cfg.population, scenario.cohort,
                            streams("population.init"))
    inflow = county.villages.elders.sum(axis=1) * cfg.population.inflow_per_year / 12.0
    trajectory = simulate(elders, scenario.demography, cfg.population, scenario.months, inflow,
                          streams("population.dynamics"), streams("population.inflow"),
                          streams("population.timing"))
    records = simulate_contention(trajectory, scenario.horizon_days)
    records["population_monthly"] = trajectory.monthly
    return records
