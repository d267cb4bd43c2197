"""Scenarios, replications, seeding, parallel backends and the results store.

Names are imported on first use, so a worker that only runs replications
(`sim.experiment.runner`) does not load Hydra, OmegaConf, pandas or SciPy.
"""

import sys
import types

_WHERE = {"execute": "execute", "format_summary": "execute", "Results": "results", "Scenario": "scenario",
          "build_scenario": "scenario", "load": "store", "write_results": "store"}
__all__ = ["Results", "Scenario", "build_scenario", "execute", "format_summary", "load",
           "write_results"]


def __getattr__(name: str):
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f"sim.experiment.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sim.experiment' has no attribute {name!r}")


class _Package(types.ModuleType):
    """``sim.experiment.execute`` is the function, as it always was, although a module of that
    name exists: when the import system binds the submodule on the package, bind the function."""

    def __setattr__(self, name: str, value) -> None:
        if name == "execute" and isinstance(value, types.ModuleType) and hasattr(value, "execute"):
            value = value.execute
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
