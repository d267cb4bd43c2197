"""The Python API: ``sim.run`` and ``sim.load``."""

from __future__ import annotations

from pathlib import Path

from sim.config.errors import ConfigError, Problem
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
    cfg = compose(overrides)
    if cfg.run.replications == "auto":        # refused before the pilot batch runs, as the CLI does
        from sim.report.labels import has_label

        if not has_label(cfg.run.auto_kpi):
            raise ConfigError([Problem("run.auto_kpi", cfg.run.auto_kpi,
                                       "no such KPI (see the kpi column of summary.csv)")])
    return execute(cfg, output_dir=output_dir, overrides=overrides)


__all__ = ["Results", "load", "run"]
