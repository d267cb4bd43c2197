"""The Python API: ``sim.run`` and ``sim.load``."""

from __future__ import annotations

from pathlib import Path

from sim.experiment.app import compose
from sim.experiment.execute import execute
from sim.experiment.results import Results
from sim.experiment.store import load


def run(overrides: list[str] | None = None, *, replications: int | None = None,
        seed: int | None = None, workers: int | None = None,
        output_dir: str | Path | None = None) -> Results:
    """Compose the configs with Hydra-style ``overrides`` and run the scenario.

    Keyword arguments override ``run.replications``, ``run.seed`` and
    ``run.workers``.  Results stay in memory unless ``output_dir`` is given.
    """
    overrides = list(overrides or [])
    for key, value in (("replications", replications), ("seed", seed), ("workers", workers)):
        if value is not None:
            overrides.append(f"run.{key}={value}")
    return execute(compose(overrides), output_dir=output_dir, overrides=overrides)


__all__ = ["Results", "load", "run"]
