"""SimPy processes: the contention stage of each replication, and its records."""

from sim.model.emergency import EmergencyService
from sim.model.population_clock import PopulationClock
from sim.model.records import Records, RecordTable
from sim.model.replication import Demand, simulate_contention
from sim.model.responders import Responders, build_responders

__all__ = ["Demand", "EmergencyService", "PopulationClock", "RecordTable", "Records", "Responders",
           "build_responders", "simulate_contention"]
