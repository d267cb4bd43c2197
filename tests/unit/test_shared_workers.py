"""The pool's workers: fresh for each call, kept across the calls of a ``shared_workers`` block, and
replaced every ``RECYCLE`` replications each either way (`sim.experiment.runner`)."""

from __future__ import annotations

from sim.experiment import runner
from tests.unit.pid_task import pid_task


def _pids(monkeypatch, n: int) -> set[int]:
    monkeypatch.setattr(runner, "run_task", pid_task)
    rows = runner.run_replications(None, range(n), workers=2)
    return {int(row["pid"][0]) for row in rows}


def test_workers_stay_across_calls_in_a_block_and_are_replaced_after_recycle(monkeypatch):
    monkeypatch.setattr(runner, "RECYCLE", 3)
    first, second = _pids(monkeypatch, 2), _pids(monkeypatch, 2)
    assert not first & second                        # outside a block: fresh workers each call
    with runner.shared_workers():
        a, b = _pids(monkeypatch, 2), _pids(monkeypatch, 2)
        assert a & b                                 # the same workers for the second call
        c = _pids(monkeypatch, 4)                    # 2 + 2 + 4 > 2 x 3: replaced on the way
        assert c - (a | b)
    assert runner._SHARED.n_jobs == 0 and not runner._SHARED.keep    # stopped when the block ends
