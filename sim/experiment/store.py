"""Results on disk: Parquet runs and events, CSV summary, JSON manifest, YAML config.

Every file is written to a temporary name and renamed, so a reader never sees a
half-written file and an interrupted run leaves no corrupt result behind.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pandas as pd
from omegaconf import OmegaConf

from sim.config.schema import SimConfig
from sim.config.store import to_config
from sim.experiment.results import Results

PACKAGES = ("rural-eldercare-sim", "numpy", "scipy", "simpy", "pandas", "pyarrow", "hydra-core",
            "omegaconf", "matplotlib")


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def code_revision() -> dict[str, object]:
    """The git commit of the code that ran, and whether the work tree had changes."""
    root = Path(__file__).resolve().parents[2]
    try:
        rev = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5).stdout.strip() != ""
        return {"commit": rev, "dirty": dirty}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def config_yaml(cfg: SimConfig) -> str:
    """A run's ``config.yaml``: the config as an untyped OmegaConf node, built from plain
    containers (0.12 s) rather than ``OmegaConf.structured(cfg)`` (0.35 s, the same YAML for
    every preset, policy and study: the types are checked where the config is composed)."""
    return OmegaConf.to_yaml(OmegaConf.create(dataclasses.asdict(cfg)))


def read_config(path: Path) -> SimConfig:
    """A run's ``config.yaml`` as the `SimConfig` it was written from: read with the schema
    defaults' YAML loader (OmegaConf's reading of scalars) and built by `to_config`, which refuses
    unknown keys and values of the wrong type (0.05 s; merging into the structured schema took 0.9 s)."""
    import yaml

    from sim.config.defaults import yaml_loader

    with open(path, encoding="utf-8") as f:
        return to_config(yaml.load(f, Loader=yaml_loader()) or {})  # noqa: S506 (a safe loader)


OTHER_RUNS = ("scenarios", "briefing")  # inside a main job's directory, but not this run's files


def disk_bytes(directory: str | Path) -> dict[str, int]:
    """Bytes on disk of a run directory: ``total``, ``events`` and ``replications`` (the
    comparison scenarios and the briefing of a main job are not counted)."""
    d = Path(directory)
    out = {"total": 0, "events": 0, "replications": 0}
    for path in d.rglob("*"):
        parts = path.relative_to(d).parts
        if parts[0] in OTHER_RUNS or not path.is_file():
            continue
        size = path.stat().st_size
        out["total"] += size
        if parts[0] in ("events", "replications"):
            out[parts[0]] += size
    return out


def write_results(results: Results, directory: str | Path) -> Path:
    """Write ``results`` into ``directory`` (created if needed) and return it.

    The event tables are already there: the workers wrote them under ``events/``.
    The manifest, written last, records the bytes the run holds on disk.
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    _atomic(d / "runs.parquet", lambda p: results.runs.to_parquet(p, index=False))
    _atomic(d / "summary.csv", lambda p: results.summary.to_csv(p, index=False))
    _atomic(d / "config.yaml", lambda p: p.write_text(config_yaml(results.config), encoding="utf-8"))
    if results.parameters is not None:   # floats written round-trip exact
        _atomic(d / "parameters.csv",
                lambda p: results.parameters.to_csv(p, index=False, float_format="%.17g"))
    (d / "county").mkdir(exist_ok=True)
    for table in ("villages", "facilities"):
        frame = results.world(table)
        _atomic(d / "county" / f"{table}.parquet", lambda p, f=frame: f.to_parquet(p, index=False))
    if (d / "events" / "villages").is_dir():   # who is left out, village by village (issue 16)
        from sim.experiment import events as event_store
        from sim.experiment.villages import write_village_files

        rows = event_store.read(d / "events", "villages", results.runs["replication"].to_numpy())
        write_village_files(rows, d, results.config.report.left_out, results.world("villages"))
    results.manifest["disk_bytes"] = disk_bytes(d)
    _atomic(d / "manifest.json",
            lambda p: p.write_text(json.dumps(results.manifest, indent=2, default=str), encoding="utf-8"))
    results.path = d
    return d


def load(directory: str | Path):
    """Read a finished run back into `Results` (a sweep directory gives a `Sweep`)."""
    d = Path(directory)
    if (d / "index.csv").exists() and not (d / "runs.parquet").exists():
        from sim.experiment.sweep import load_sweep

        return load_sweep(d)
    missing = [n for n in ("runs.parquet", "summary.csv", "config.yaml", "manifest.json")
               if not (d / n).exists()]
    if missing:
        raise FileNotFoundError(f"{d} is not a finished run: missing {', '.join(missing)}")
    return Results(
        runs=pd.read_parquet(d / "runs.parquet"),
        summary=pd.read_csv(d / "summary.csv"),
        config=read_config(d / "config.yaml"),
        manifest=json.loads((d / "manifest.json").read_text(encoding="utf-8")),
        path=d,
        parameters=pd.read_csv(d / "parameters.csv") if (d / "parameters.csv").exists() else None,
    )
