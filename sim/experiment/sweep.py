"""Sweeps: the index of a Hydra multirun, and reading a sweep back.

Each job of a multirun writes ``<sweep dir>/index/<job>.json`` when it starts,
finishes or fails (with the traceback), then rebuilds ``<sweep dir>/index.csv``
from all of them.  Every write is atomic, so parallel jobs never leave a torn
file; the CSV is complete once the last job has written it.  When every job
has ended, `SweepStatus` (a Hydra callback, registered in ``configs/config.yaml``)
reads the index and ends the sweep with exit status 1, naming the failed jobs,
if any job failed.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from hydra.experimental.callback import Callback

from sim.experiment.results import Results
from sim.experiment.store import load

INDEX_COLUMNS = ("job", "scenario", "county", "policy", "overrides", "path", "status", "error",
                 "started", "finished")


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def record_job(sweep_dir: Path, job_dir: Path, overrides: list[str], status: str,
               county: str = "", policy: str = "", error: str = "", traceback: str = "") -> None:
    """Write this job's index entry and rebuild the sweep's index.csv."""
    sweep_dir = Path(sweep_dir)
    (sweep_dir / "index").mkdir(parents=True, exist_ok=True)
    job = job_dir.name
    entry_path = sweep_dir / "index" / f"{job}.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8")) if entry_path.exists() else {}
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    entry.update({"job": job, "scenario": f"{county}/{policy}" if county else entry.get("scenario", ""),
                  "county": county or entry.get("county", ""), "policy": policy or entry.get("policy", ""),
                  "overrides": " ".join(overrides), "path": os.path.relpath(job_dir, sweep_dir),
                  "status": status, "error": error, "traceback": traceback})
    entry["started" if status == "running" else "finished"] = now
    _atomic_text(entry_path, json.dumps(entry, indent=2))
    rows = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((sweep_dir / "index").glob("*.json"))]
    frame = pd.DataFrame(rows).reindex(columns=list(INDEX_COLUMNS))
    _atomic_text(sweep_dir / "index.csv", frame.to_csv(index=False))


def failed_jobs(sweep_dir: str | Path) -> pd.DataFrame:
    """Index rows of the jobs that did not finish (failed, or still marked running)."""
    path = Path(sweep_dir) / "index.csv"
    if not path.exists():
        return pd.DataFrame(columns=list(INDEX_COLUMNS))
    index = pd.read_csv(path, keep_default_na=False)
    return index[index["status"] != "done"]


class SweepStatus(Callback):
    """After a multirun: exit status 1 and one line naming the failed jobs, if any."""

    def on_multirun_end(self, config, **kwargs) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        failed = failed_jobs(sweep_dir)
        if len(failed):
            total = len(pd.read_csv(sweep_dir / "index.csv", keep_default_na=False))
            names = ", ".join(f"{row.job} ({row.error or row.status})" for row in failed.itertuples())
            print(f"error: {len(failed)} of {total} jobs failed: {names}; see {sweep_dir / 'index.csv'}",
                  file=sys.stderr)
            raise SystemExit(1)


def is_sweep(directory: str | Path) -> bool:
    d = Path(directory)
    return (d / "index.csv").exists() and not (d / "runs.parquet").exists()


@dataclass
class Sweep:
    """A finished (or partly finished) multirun."""

    path: Path
    index: pd.DataFrame

    def results(self, status: str = "done") -> list[Results]:
        """The `Results` of every job with this status, in index order."""
        rows = self.index[self.index["status"] == status]
        return [load(self.path / p) for p in rows["path"]]

    @property
    def runs(self) -> pd.DataFrame:
        """Every done job's runs, with ``job``, ``county`` and ``policy`` columns in front."""
        frames = []
        for row, res in zip(self.index[self.index["status"] == "done"].itertuples(), self.results()):
            frames.append(res.runs.assign(job=row.job, county=row.county, policy=row.policy))
        if not frames:
            return pd.DataFrame()
        out = pd.concat(frames, ignore_index=True)
        front = ["job", "county", "policy"]
        return out[front + [c for c in out.columns if c not in front]]


def load_sweep(directory: str | Path) -> Sweep:
    d = Path(directory)
    return Sweep(path=d, index=pd.read_csv(d / "index.csv", keep_default_na=False))


def expand(dirs: list[str | Path]) -> list[Path]:
    """Run directories, with every sweep directory replaced by its done jobs."""
    out: list[Path] = []
    for d in map(Path, dirs):
        if is_sweep(d):
            sweep = load_sweep(d)
            out += [d / p for p in sweep.index[sweep.index["status"] == "done"]["path"]]
        else:
            out.append(d)
    return out
