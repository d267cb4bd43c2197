"""Run the replications of a scenario serially or on a process pool.

A replication is a pure function of (scenario, index): its streams come from
the seed and its index, never from a worker's state, so results are identical
for any number of workers and any completion order (tested).  Workers receive
the scenario once, through the pool initializer, not with every task.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from sim.experiment.replication import run_replication
from sim.experiment.scenario import Scenario

_WORKER_SCENARIO: Scenario | None = None


def _init_worker(scenario: Scenario) -> None:
    global _WORKER_SCENARIO
    _WORKER_SCENARIO = scenario


def _run_in_worker(replication: int) -> dict[str, np.ndarray]:
    assert _WORKER_SCENARIO is not None
    return run_replication(_WORKER_SCENARIO, replication)


def effective_workers(workers: int, replications: int) -> int:
    """Processes to use: 0 means all cores; never more than replications."""
    cores = os.cpu_count() or 1
    return max(1, min(workers or cores, replications))


def run_replications(scenario: Scenario, replications: list[int] | range, workers: int = 1,
                     on_done: Callable[[int], None] | None = None) -> list[dict[str, np.ndarray]]:
    """Record arrays of each replication, in the order of ``replications``."""
    replications = list(replications)
    n_proc = effective_workers(workers, len(replications))
    results: list[dict[str, np.ndarray]] = []
    if n_proc == 1:
        for r in replications:
            results.append(run_replication(scenario, r))
            if on_done:
                on_done(r)
        return results
    ctx = mp.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=n_proc, mp_context=ctx, initializer=_init_worker,
                             initargs=(scenario,)) as pool:
        for r, result in zip(replications, pool.map(_run_in_worker, replications)):
            results.append(result)
            if on_done:
                on_done(r)
    return results
