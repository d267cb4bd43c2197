"""Rural elderly-care service capacity simulator (农村养老服务能力仿真).

``sim.run(overrides)`` composes the Hydra configs in ``configs/`` and runs a
scenario; ``sim.load(directory)`` reads a finished run back.

The API is imported on first use, so a worker process that only runs
replications (``sim.experiment.runner``) does not load Hydra, pandas or SciPy.
"""

__version__ = "0.1.0"
__all__ = ["Results", "__version__", "load", "run"]


def __getattr__(name: str):
    if name in ("Results", "load", "run"):
        import sim.api

        return getattr(sim.api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
