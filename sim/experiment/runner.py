"""Run the replications of a scenario: serially, on a process pool, or on a Dask cluster.

A replication is a pure function of (scenario, index): its streams come from
the seed and its index, never from a worker's state, so results are identical
for any number of workers, any backend and any completion order (tested).
The process pool is joblib's loky backend: its workers start fresh
interpreters and receive tasks by cloudpickle, so `sim.run` works from a
plain script without an ``if __name__ == "__main__"`` guard, from standard
input and from the CLI; the pool is reused between runs of one process.
A Dask cluster receives the scenario once, scattered to every worker.

With a `ReplicationStore`, each finished replication is written atomically as
soon as it is done, and replications already on disk for the same scenario are
loaded instead of run again: an interrupted run restarted with the same
command finishes the rest and gives the same results.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed

from sim.experiment.replication import run_replication
from sim.experiment.scenario import Scenario

Records = dict[str, np.ndarray]


def _run_indexed(scenario: Scenario, replication: int) -> tuple[int, Records]:
    return replication, run_replication(scenario, replication)


def effective_workers(workers: int, replications: int) -> int:
    """Processes to use: 0 means all cores; never more than replications."""
    cores = os.cpu_count() or 1
    return max(1, min(workers or cores, replications))


class ReplicationStore:
    """Finished replications of one scenario on disk: ``DIR/replications/rNNNNN.npz``.

    The store belongs to one scenario: its fingerprint (the config without the
    settings that cannot change results) is written beside the files, and a
    store with another fingerprint is cleared before use.
    """

    def __init__(self, directory: str | Path, fingerprint: str):
        self.dir = Path(directory) / "replications"
        self.dir.mkdir(parents=True, exist_ok=True)
        stamp = self.dir / "fingerprint.json"
        if stamp.exists() and json.loads(stamp.read_text())["fingerprint"] != fingerprint:
            for old in self.dir.glob("r*.npz"):
                old.unlink()
        tmp = stamp.with_suffix(".tmp")
        tmp.write_text(json.dumps({"fingerprint": fingerprint}))
        os.replace(tmp, stamp)

    def path(self, r: int) -> Path:
        return self.dir / f"r{r:05d}.npz"

    def done(self) -> set[int]:
        return {int(p.stem[1:]) for p in self.dir.glob("r*.npz")}

    def save(self, r: int, records: Records) -> None:
        tmp = self.dir / f".r{r:05d}.{os.getpid()}.tmp.npz"
        np.savez(tmp, **records)
        os.replace(tmp, self.path(r))

    def load(self, r: int) -> Records:
        with np.load(self.path(r), allow_pickle=False) as data:
            return {name: data[name] for name in data.files}


def fingerprint(scenario: Scenario) -> str:
    """Hash of everything that determines a replication's numbers."""
    from omegaconf import OmegaConf

    cfg = scenario.config
    node = OmegaConf.to_container(OmegaConf.structured(cfg))
    for key in ("replications", "workers", "auto_kpi", "auto_half_width", "auto_batch", "auto_max",
                "save_events", "backend", "dask_address"):
        node["run"].pop(key, None)
    node.pop("report", None)
    return hashlib.sha256(json.dumps(node, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _progress(total: int, done: int):
    """A progress bar on an interactive terminal; silent in logs and CI."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=done, unit="rep", desc="replications", leave=False)


def run_replications(scenario: Scenario, replications: list[int] | range, workers: int = 1,
                     on_done: Callable[[int], None] | None = None,
                     store: ReplicationStore | None = None, backend: str = "process",
                     dask_address: str | None = None) -> list[Records]:
    """Record arrays of each replication, in the order of ``replications``."""
    replications = list(replications)
    results: dict[int, Records] = {}
    if store is not None:
        have = store.done() & set(replications)
        results.update({r: store.load(r) for r in sorted(have)})
    todo = [r for r in replications if r not in results]
    bar = _progress(len(replications), len(results)) if todo else None

    def finished(r: int, records: Records) -> None:
        results[r] = records
        if store is not None:
            store.save(r, records)
        if bar is not None:
            bar.update(1)
        if on_done:
            on_done(r)

    try:
        if backend == "dask":
            _run_dask(scenario, todo, dask_address, workers, finished)
        elif effective_workers(workers, len(todo) or 1) == 1:
            for r in todo:
                finished(r, run_replication(scenario, r))
        else:
            # One task per replication (batch_size=1) so each is saved as soon as it ends;
            # the scenario travels with each task (small beside a replication's run time).
            pool = Parallel(n_jobs=effective_workers(workers, len(todo)), backend="loky",
                            batch_size=1, pre_dispatch="n_jobs", return_as="generator_unordered")
            for r, records in pool(delayed(_run_indexed)(scenario, r) for r in todo):
                finished(r, records)
    finally:
        if bar is not None:
            bar.close()
    return [results[r] for r in replications]


def _run_dask(scenario: Scenario, todo: list[int], address: str | None, workers: int,
              finished: Callable[[int, Records], None]) -> None:
    """Replications as tasks of a Dask cluster (``address``) or of a local one."""
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("run.backend=dask needs the cluster extra: pip install -e '.[cluster]'") from exc
    cluster = None
    if address is None:
        cluster = LocalCluster(n_workers=effective_workers(workers, len(todo) or 1), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        address = cluster.scheduler_address
    try:
        with Client(address) as client:
            shared = client.scatter(scenario, broadcast=True)
            futures = {client.submit(run_replication, shared, r, pure=False): r for r in todo}
            for future in dask_completed(list(futures)):
                finished(futures[future], future.result())
    finally:
        if cluster is not None:
            cluster.close()
