"""Run the replications of a scenario: serially, on a process pool, or on a Dask cluster.

A replication is a pure function of (scenario, index): its streams come from
the seed and its index, never from a worker's state, so results are identical
for any number of workers, any backend and any completion order (tested).
The process pool is joblib's loky backend: its workers start fresh
interpreters and receive tasks by cloudpickle, so `sim.run` works from a
plain script without an ``if __name__ == "__main__"`` guard, from standard
input and from the CLI; the workers are stopped when a scenario's replications are done.
A Dask cluster receives the scenario once, scattered to every worker.

Each worker writes the event tables of the replication it ran (`sim.experiment.events`)
and sends back its KPI row only, so no process holds all replications' events.
With a `ReplicationStore`, each finished replication's KPI row is written atomically as
soon as it is done, and replications already on disk with the scenario's
fingerprint are loaded instead of run again: an interrupted run restarted with
the same command finishes the rest and gives the same results; a file that is
unreadable or does not match is recomputed, never used.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import logging
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from joblib import Parallel, delayed

from sim.config.schema import event_level
from sim.experiment.events import check_replication, write_replication
from sim.experiment.kpis import kpi_columns
from sim.experiment.replication import run_replication
from sim.experiment.scenario import Scenario
from sim.experiment.uncertainty import replication_scenario

KpiRow = dict[str, np.ndarray]
_FORMAT, _FINGERPRINT, _REPLICATION = "__format__", "__fingerprint__", "__replication__"
_LEVEL, _TABLES, _KPI = "__level__", "__tables__", "kpi:"
# replications a pool worker runs before it is replaced by a fresh one: a guard against a heap
# that grows; measured flat (230 MiB RSS after each of 15 hill replications of 3 years, 2026-12-03)
RECYCLE = 15
FORMAT = 2  # 1: record arrays (before events were streamed); 2: KPI row + event tables on disk
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    """Where a worker writes a replication's event tables (``events_dir``; None: nowhere), at which
    level, stamped with which fingerprint."""

    events_dir: str | None
    level: str
    fingerprint: str


def _release_memory() -> None:
    """Hand freed heap back to the system (Arrow's pool, glibc), so an idle worker does not keep
    its peak."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


_MMAP_THRESHOLD = 512 * 1024   # bytes: larger blocks get their own mapping (glibc M_MMAP_THRESHOLD)


@functools.cache
def _map_large_blocks() -> None:
    """Have glibc serve every block of 512 KiB or more (NumPy arrays) from its own mapping, given
    back to the system when freed.  By default the threshold rises to 32 MiB after the first large
    free, and a replication's many temporary arrays then fragment the heap: one 3-year replication
    peaked ~50 MB higher (issue 13).  Setting it fixes the threshold; other allocators: no-op."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(-3, _MMAP_THRESHOLD)   # -3: M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


@contextmanager
def collected_after():
    """Free the cyclic garbage of what runs inside, looking only at the objects it created.

    The SimPy environment, its processes and the services refer to one another: only the cyclic
    collector frees them, and left to itself it runs a full collection so rarely that a worker
    kept several replications' worth (~60 MB each, 3 years of the hill county) alive.  A full
    collection after each replication also walks every object the process held before it (the
    imported libraries; in a notebook or a test process, everything else): 0.15 s after a
    0.37-s replication of the plain county in a process holding 265,000 objects.  So the objects
    alive before are frozen (`gc.freeze`, moved out of the collector's sight) while the
    replication runs, its garbage is collected (0.002 s), and they are thawed again: a cycle the
    replication left behind that reaches an older object is collected by the next full
    collection instead.  A process that froze objects itself (a pre-forking server) is left as
    it is, with the full collection."""
    own = gc.get_freeze_count() == 0
    if own:
        gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        if own:
            gc.unfreeze()


def run_task(scenario: Scenario, replication: int, output: Output) -> tuple[int, KpiRow, list[str]]:
    """One replication in a worker: run it, write its event tables, return only its KPIs.

    With ``run.uncertainty`` the replication runs on its own parameter draw
    (`sim.experiment.uncertainty`), a function of the seed and its index only."""
    _map_large_blocks()
    scenario = replication_scenario(scenario, replication)
    with collected_after():
        records = run_replication(scenario, replication)
    kpis = kpi_columns(scenario, [records])
    tables: list[str] = []
    if output.events_dir is not None and event_level(output.level) != "none":
        tables = write_replication(output.events_dir, scenario, replication, records, output.level,
                                   output.fingerprint)
    del records
    _release_memory()
    return replication, kpis, tables


def effective_workers(workers: int, replications: int) -> int:
    """Processes to use: 0 means all cores; never more than replications."""
    cores = os.cpu_count() or 1
    return max(1, min(workers or cores, replications))


class ReplicationStore:
    """Finished replications of one scenario on disk: ``DIR/replications/rNNNNN.npz``.

    A file holds the replication's KPI row, the event level and the event tables
    written for it (under ``DIR/events``), the scenario's fingerprint
    (`sim.experiment.fingerprint`) and its replication index; it is written after
    the event tables, so it marks the replication done.  It is verified when
    loaded: a file that cannot be read, was made by another config, table or
    code, belongs to another replication, or whose event tables are missing,
    foreign or of another level is not used; `load` returns None, the reason is
    logged in one line and kept in `rejected`, and the caller recomputes it.
    """

    def __init__(self, directory: str | Path, fingerprint: str, level: str = "summary"):
        self.root = Path(directory)
        self.dir = self.root / "replications"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.events_dir = self.root / "events"
        self.fingerprint = fingerprint
        self.level = event_level(level)
        self.rejected: list[str] = []
        self.loaded: set[int] = set()

    @property
    def output(self) -> Output:
        return Output(str(self.events_dir), self.level, self.fingerprint)

    def path(self, r: int) -> Path:
        return self.dir / f"r{r:05d}.npz"

    def done(self) -> set[int]:
        return {int(p.stem[1:]) for p in self.dir.glob("r[0-9]*.npz")}

    def save(self, r: int, kpis: KpiRow, tables: list[str]) -> None:
        tmp = self.dir / f".r{r:05d}.{os.getpid()}.tmp.npz"
        np.savez(tmp, **{_KPI + k: np.asarray(v) for k, v in kpis.items()},
                 **{_FORMAT: np.array(FORMAT), _FINGERPRINT: np.array(self.fingerprint),
                    _REPLICATION: np.array(r), _LEVEL: np.array(self.level),
                    _TABLES: np.array(tables, dtype=str)})
        os.replace(tmp, self.path(r))

    def load(self, r: int) -> KpiRow | None:
        """The KPI row of replication ``r`` if its file and event tables are verified, else None."""
        path = self.path(r)
        try:
            with np.load(path, allow_pickle=False) as data:
                stored = {name: data[name] for name in data.files}
        except Exception as exc:  # truncated or corrupt: any reader error means "recompute"
            return self._reject(path, f"unreadable ({type(exc).__name__}: {exc})")
        stamp, index = stored.get(_FINGERPRINT), stored.get(_REPLICATION)
        if stamp is None or index is None:
            return self._reject(path, "carries no fingerprint")
        if str(stamp) != self.fingerprint:
            return self._reject(path, f"made by another config, input table or code "
                                      f"(fingerprint {stamp}, expected {self.fingerprint})")
        if int(index) != r:
            return self._reject(path, f"holds replication {int(index)}, not {r}")
        if _FORMAT not in stored or int(stored[_FORMAT]) != FORMAT:
            return self._reject(path, "written by an earlier version (whole record arrays)")
        if str(stored[_LEVEL]) != self.level:
            return self._reject(path, f"its events were saved at level {stored[_LEVEL]}, "
                                      f"this run asks for {self.level}")
        tables = [str(t) for t in stored[_TABLES]]
        problem = check_replication(self.events_dir, r, tables, self.level, self.fingerprint)
        if problem is not None:
            return self._reject(path, problem)
        self.loaded.add(r)
        return {k[len(_KPI):]: v for k, v in stored.items() if k.startswith(_KPI)}

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
                     dask_address: str | None = None, output: Output | None = None) -> list[KpiRow]:
    """The KPI row of each replication, in the order of ``replications``.

    Workers write event tables to ``output`` (the store's, if a store is given)
    and send back KPIs only; the store records each finished replication.
    """
    replications = list(replications)
    if store is not None:
        output = store.output
    output = output or Output(None, "none", "")
    results: dict[int, KpiRow] = {}
    if store is not None:
        for r in sorted(store.done() & set(replications)):
            kpis = store.load(r)
            if kpis is not None:
                results[r] = kpis
    todo = [r for r in replications if r not in results]
    bar = _progress(len(replications), len(results)) if todo else None

    def finished(r: int, kpis: KpiRow, tables: list[str]) -> None:
        results[r] = kpis
        if store is not None:
            store.save(r, kpis, tables)
        if bar is not None:
            bar.update(1)
        if on_done:
            on_done(r)

    try:
        if backend == "dask":
            _run_dask(scenario, todo, dask_address, workers, output, finished)
        elif effective_workers(workers, len(todo) or 1) == 1:
            for r in todo:
                finished(*run_task(scenario, r, output))
        else:
            # One task per replication (batch_size=1) so each is saved as soon as it ends;
            # the scenario travels with each task (small beside a replication's run time).
            # Fresh workers every RECYCLE replications each: a worker's heap fragments a little
            # with every replication, so recycling keeps memory flat however many there are.
            n_jobs = effective_workers(workers, len(todo))
            start = 0
            while start < len(todo):
                if _SHARED.n_jobs != n_jobs or _SHARED.ran >= n_jobs * RECYCLE:
                    _stop_pool()                     # fresh workers (or a pool of another size)
                    _SHARED.n_jobs, _SHARED.ran = n_jobs, 0
                step = n_jobs * RECYCLE - _SHARED.ran
                pool = Parallel(n_jobs=n_jobs, backend="loky", batch_size=1, pre_dispatch="n_jobs",
                                return_as="generator_unordered")
                for done in pool(delayed(run_task)(scenario, r, output) for r in todo[start:start + step]):
                    finished(*done)
                _SHARED.ran += len(todo[start:start + step])
                start += step
            if not _SHARED.keep:
                _stop_pool()
    finally:
        if bar is not None:
            bar.close()
    return [results[r] for r in replications]


class _Workers:
    """The pool workers' state across calls: how many of them, how many replications they ran since
    they started, and whether they stay for the next scenario (``shared_workers``)."""

    def __init__(self):
        self.n_jobs, self.ran, self.keep = 0, 0, False


_SHARED = _Workers()


@contextmanager
def shared_workers():
    """Within the block, the pool's workers stay from one scenario's replications to the next's
    (still replaced every ``RECYCLE`` replications each), so several scenarios run one after
    another start their workers once; they are stopped when the block ends."""
    _SHARED.keep = True
    try:
        yield
    finally:
        _SHARED.keep = False
        _stop_pool()


def _stop_pool() -> None:
    """Stop joblib's reusable loky workers once a scenario's replications are done, so idle
    workers hold no memory while the parent reads results or draws a briefing."""
    from joblib.externals.loky import reusable_executor

    _SHARED.n_jobs, _SHARED.ran = 0, 0
    executor = getattr(reusable_executor, "_executor", None)
    if executor is not None:
        executor.shutdown(wait=True)


def _run_dask(scenario: Scenario, todo: list[int], address: str | None, workers: int, output: Output,
              finished: Callable[[int, KpiRow, list[str]], None]) -> None:
    """Replications as tasks of a Dask cluster (``address``) or of a local one.  The workers write
    event tables themselves, so ``output.events_dir`` must be a path they can reach."""
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
            futures = {client.submit(run_task, shared, r, output, pure=False): r for r in todo}
            for future in dask_completed(list(futures)):
                finished(*future.result())
                future.release()
    finally:
        if cluster is not None:
            cluster.close()
