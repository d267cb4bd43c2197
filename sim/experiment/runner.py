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
soon as it is done, and replications already on disk with the scenario's
fingerprint are loaded instead of run again: an interrupted run restarted with
the same command finishes the rest and gives the same results; a file that is
unreadable or does not match is recomputed, never used.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed

from sim.experiment.replication import run_replication
from sim.experiment.scenario import Scenario

Records = dict[str, np.ndarray]
_FINGERPRINT, _REPLICATION = "__fingerprint__", "__replication__"
_log = logging.getLogger(__name__)


def _run_indexed(scenario: Scenario, replication: int) -> tuple[int, Records]:
    return replication, run_replication(scenario, replication)


def effective_workers(workers: int, replications: int) -> int:
    """Processes to use: 0 means all cores; never more than replications."""
    cores = os.cpu_count() or 1
    return max(1, min(workers or cores, replications))


class ReplicationStore:
    """Finished replications of one scenario on disk: ``DIR/replications/rNNNNN.npz``.

    Every file carries the scenario's fingerprint (`sim.experiment.fingerprint`)
    and its replication index and is verified when loaded: a file that cannot
    be read, was made by another config, table or code, or belongs to another
    replication is not used; `load` returns None and the reason is logged in
    one line and kept in `rejected`, and the caller recomputes it.
    """

    def __init__(self, directory: str | Path, fingerprint: str):
        self.dir = Path(directory) / "replications"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        self.rejected: list[str] = []
        self.loaded: set[int] = set()

    def path(self, r: int) -> Path:
        return self.dir / f"r{r:05d}.npz"

    def done(self) -> set[int]:
        return {int(p.stem[1:]) for p in self.dir.glob("r[0-9]*.npz")}

    def save(self, r: int, records: Records) -> None:
        tmp = self.dir / f".r{r:05d}.{os.getpid()}.tmp.npz"
        np.savez(tmp, **records, **{_FINGERPRINT: np.array(self.fingerprint), _REPLICATION: np.array(r)})
        os.replace(tmp, self.path(r))

    def load(self, r: int) -> Records | None:
        """The records of replication ``r`` if its file is readable and verified, else None."""
        path = self.path(r)
        try:
            with np.load(path, allow_pickle=False) as data:
                records = {name: data[name] for name in data.files}
        except Exception as exc:  # truncated or corrupt: any reader error means "recompute"
            return self._reject(path, f"unreadable ({type(exc).__name__}: {exc})")
        stamp, index = records.pop(_FINGERPRINT, None), records.pop(_REPLICATION, None)
        if stamp is None or index is None:
            return self._reject(path, "carries no fingerprint")
        if str(stamp) != self.fingerprint:
            return self._reject(path, f"made by another config, input table or code "
                                      f"(fingerprint {stamp}, expected {self.fingerprint})")
        if int(index) != r:
            return self._reject(path, f"holds replication {int(index)}, not {r}")
        self.loaded.add(r)
        return records

    def _reject(self, path: Path, reason: str) -> None:
        line = f"{path}: {reason}; recomputing it"
        _log.warning(line)
        self.rejected.append(line)
        return None


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
        for r in sorted(store.done() & set(replications)):
            records = store.load(r)
            if records is not None:
                results[r] = records
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
