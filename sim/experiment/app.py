"""Hydra's side: compose configs from ``configs/``, hand a plain `SimConfig` down.

Nothing below this layer knows Hydra exists.  User errors (bad config values,
broken input tables) are printed as one message and exit with status 2,
without a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import hydra
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.config.errors import UserInputError
from sim.config.schema import SimConfig
from sim.config.store import register, to_config
from sim.experiment.execute import execute, format_summary
from sim.experiment.results import Results


def config_dir() -> Path:
    """The ``configs/`` directory: $SIM_CONFIG_DIR, else the one beside the package."""
    env = os.environ.get("SIM_CONFIG_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "configs"
    if not (path / "config.yaml").exists():
        raise FileNotFoundError(f"no config.yaml in {path}: install the project from its source "
                                "tree (pip install -e .) or set SIM_CONFIG_DIR")
    return path


def compose(overrides: list[str] | None = None) -> SimConfig:
    """Compose ``configs/config.yaml`` with overrides into a `SimConfig` (no run)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    register()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = hydra_compose(config_name="config", overrides=list(overrides or []))
    return to_config(cfg)


def _job(cfg: DictConfig) -> Results:
    hc = HydraConfig.get()
    overrides = list(hc.overrides.task)
    try:
        results = execute(to_config(cfg), output_dir=hc.runtime.output_dir, overrides=overrides)
    except UserInputError as exc:  # a user's mistake: one message, no traceback
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(format_summary(results))
    return results


def main() -> None:
    """Entry point of ``python -m sim``."""
    register()
    app = hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")(_job)
    app()
