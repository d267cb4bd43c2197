"""SimPy processes: the contention stage of each replication, and its records."""

from sim.model.population_clock import PopulationClock
from sim.model.records import Records, RecordTable
from sim.model.replication import simulate_contention

__all__ = ["PopulationClock", "RecordTable", "Records", "simulate_contention"]
