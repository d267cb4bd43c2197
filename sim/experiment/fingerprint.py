"""A fingerprint of everything that determines a replication's numbers.

Three parts, hashed together: the validated config (without the settings that
cannot change results: replication count, workers, backend, event level,
report, sizing), the contents of every input table (``county.source``: villages,
facilities, roads, hashed byte by byte, so editing a table in place changes
the fingerprint although its path does not), and the code (the package
version and a hash of the source of the ``sim`` package as it is on disk, so
uncommitted changes count as well as commits).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from sim.experiment.scenario import Scenario

TABLE_STEMS = ("villages", "facilities", "roads")
_RESULT_NEUTRAL_RUN_KEYS = ("replications", "workers", "auto_kpi", "auto_half_width", "auto_batch",
                            "auto_max", "save_events", "backend", "dask_address")


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def table_hashes(source: str | Path | None) -> dict[str, str]:
    """SHA-256 of every input table in a county directory (empty for a generated county)."""
    if source is None:
        return {}
    directory = Path(source)
    return {p.name: _file_hash(p) for stem in TABLE_STEMS for p in sorted(directory.glob(f"{stem}.*"))
            if p.suffix in (".csv", ".parquet") and p.is_file()}


@lru_cache(maxsize=1)
def code_hash() -> str:
    """Hash of the package version and of every source file of the ``sim`` package."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    try:
        h.update(metadata.version("rural-eldercare-sim").encode())
    except metadata.PackageNotFoundError:
        h.update(b"unversioned")
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(_file_hash(path).encode())
    return h.hexdigest()


def fingerprint(scenario: Scenario) -> str:
    """Hash of the config, the input tables' contents and the code.  The config is hashed as
    plain containers (``dataclasses.asdict``, 3 ms; the same JSON, so the same fingerprints, as
    the OmegaConf node written to ``config.yaml``, which took 0.14 s to build for every run)."""
    cfg = scenario.config
    node = dataclasses.asdict(cfg)
    for key in _RESULT_NEUTRAL_RUN_KEYS:
        node["run"].pop(key, None)
    node.pop("report", None)
    node.pop("sizing", None)      # a study's targets and penalty rank designs, they change no number
    parts = {"config": node, "tables": table_hashes(cfg.county.source), "code": code_hash()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]
