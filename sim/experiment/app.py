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
from sim.experiment.overrides import quote_all


def config_dir() -> Path:
    """The ``configs/`` directory: $SIM_CONFIG_DIR, else the one shipped inside the package
    (``sim/configs``; the checkout's top-level ``configs`` links to it)."""
    env = os.environ.get("SIM_CONFIG_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[1] / "configs"
    if not (path / "config.yaml").exists():
        raise FileNotFoundError(f"no config.yaml in {path}: reinstall the package or set SIM_CONFIG_DIR")
    return path


def compose(overrides: list[str] | None = None) -> SimConfig:
    """Compose ``configs/config.yaml`` with overrides into a `SimConfig` (no run)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    register()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        cfg = hydra_compose(config_name="config", overrides=quote_all(list(overrides or [])))
    return to_config(cfg)


def compose_in_job(overrides: list[str]) -> SimConfig:
    """Compose another scenario from inside a running Hydra job (same search path)."""
    from hydra import compose as hydra_compose

    return to_config(hydra_compose(config_name="config", overrides=quote_all(overrides)))


def sibling_overrides(task_overrides: list[str], policy: str) -> list[str]:
    """The job's overrides with its policy choice replaced by ``policy``."""
    keep = [o for o in task_overrides
            if not o.lstrip("+~").startswith(("policy=", "policy.", "hydra."))]
    return keep + [f"policy=[{policy}]"]


def job_context() -> tuple[Path, list[str]]:
    """(output dir, task overrides) of the running Hydra job."""
    hc = HydraConfig.get()
    return Path(hc.runtime.output_dir), list(hc.overrides.task)


def sweep_context() -> tuple[Path, bool] | None:
    """(sweep dir, whether the launcher runs jobs in parallel) under multirun, else None."""
    from hydra.types import RunMode

    hc = HydraConfig.get()
    if hc.mode != RunMode.MULTIRUN:
        return None
    target = str(hc.launcher.get("_target_", ""))
    return Path(hc.sweep.dir), "BasicLauncher" not in target


def report_errors(fn):
    """Run ``fn``; print a user's mistake as one message and exit 2, without a traceback."""
    try:
        return fn()
    except UserInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def hydra_app(job):
    """Wrap ``job(cfg: SimConfig)`` as the Hydra entry point over ``configs/``."""
    register()

    def task(cfg: DictConfig):
        return job(to_config(cfg))

    main = hydra.main(version_base="1.3", config_path=str(config_dir()), config_name="config")(task)

    def run():
        sys.argv[1:] = quote_all(sys.argv[1:])  # Chinese values need no quotes
        return main()

    return run
