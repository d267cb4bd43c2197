"""Scenarios, replications, seeding, parallel backends and the results store.

Names are imported on first use, so a worker that only runs replications
(`sim.experiment.runner`) does not load Hydra, OmegaConf, pandas or SciPy.
"""

_WHERE = {"execute": "execute", "format_summary": "execute", "Results": "results", "Scenario": "scenario",
          "build_scenario": "scenario", "load": "store", "write_results": "store"}
__all__ = ["Results", "Scenario", "build_scenario", "execute", "format_summary", "load",
           "write_results"]


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"sim.experiment.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sim.experiment' has no attribute {name!r}")
