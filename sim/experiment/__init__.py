"""Scenarios, replications, seeding, parallel backends and the results store."""

from sim.experiment.execute import execute, format_summary
from sim.experiment.results import Results
from sim.experiment.scenario import Scenario, build_scenario
from sim.experiment.store import load, write_results

__all__ = ["Results", "Scenario", "build_scenario", "execute", "format_summary", "load",
           "write_results"]
