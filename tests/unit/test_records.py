from __future__ import annotations

import numpy as np
import pytest

from sim.model.records import Records

DTYPE = np.dtype([("time", np.float64), ("elder", np.int32), ("ok", np.bool_)])


def test_chunks_concatenate_and_scalars_broadcast():
    rec = Records()
    t = rec.table("calls", DTYPE)
    t.append(time=np.array([1.0, 2.0]), elder=np.array([4, 5]), ok=True)
    t.append(time=3.0, elder=7)
    arr = rec.arrays()["calls"]
    assert arr.dtype == DTYPE
    assert arr["time"].tolist() == [1.0, 2.0, 3.0]
    assert arr["ok"].tolist() == [True, True, False]


def test_schema_is_enforced():
    rec = Records()
    t = rec.table("calls", DTYPE)
    with pytest.raises(KeyError):
        t.append(time=1.0, nurse=3)
    with pytest.raises(ValueError):
        rec.table("calls", np.dtype([("time", np.float64)]))
    assert len(Records().table("empty", DTYPE).to_array()) == 0


def test_logged_rows_are_packed_into_the_schema_in_order(monkeypatch):
    """`RecordTable.add` keeps pieces only until PACK_ROWS rows, then one chunk of the schema's
    dtype (int32, bool: not 8 bytes a column); rows keep their order across packs and appends."""
    import sim.model.records as records

    monkeypatch.setattr(records, "PACK_ROWS", 4)
    rec = Records()
    t = rec.table("calls", DTYPE)
    t.add(np.array([1.0, 2.0, 3.0]), np.array([1, 2, 3], dtype=np.int64), True)
    assert t._pending_rows == 3 and not t._chunks
    t.add(4.0, 4, False)                                   # the fourth row: packed
    assert t._pending_rows == 0 and len(t._chunks) == 1 and t._chunks[0].dtype == DTYPE
    t.add(np.array([5.0]), np.array([5]), np.array([True]))
    t.append(time=6.0, elder=6)                            # an append packs what is pending first
    t.add(np.zeros(0), np.zeros(0, dtype=np.int64), False)  # nothing
    arr = rec.arrays()["calls"]
    assert arr["time"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert arr["elder"].tolist() == [1, 2, 3, 4, 5, 6]
    assert arr["ok"].tolist() == [True, True, True, False, True, False]


def test_a_worker_frees_its_replication_before_the_next():
    """The SimPy environment and the services of a replication refer to one another; a worker
    frees them as soon as the replication ends instead of waiting for a rare full collection
    (issue 13: a worker used to grow by ~60 MB a replication)."""
    import gc

    import simpy

    from sim.experiment.app import compose
    from sim.experiment.runner import Output, run_task
    from sim.experiment.scenario import build_scenario

    scenario = build_scenario(compose(["county=plain", "run.horizon_days=60"]))
    gc.disable()   # only run_task's own collection may free them
    try:
        _, kpis, _ = run_task(scenario, 0, Output(None, "none", ""))
        alive = [o for o in gc.get_objects() if isinstance(o, simpy.Environment)]
    finally:
        gc.enable()
    assert kpis and not alive


def test_a_worker_writes_its_tables_without_loading_pandas(tmp_path):
    """Issue 13: a worker's event tables are built from NumPy buffers; ``pa.array`` would load
    pandas (~30 MB) into every worker.  Text, categories (with nulls), booleans and NaN survive."""
    import subprocess
    import sys
    from pathlib import Path

    import pyarrow.parquet as pq

    code = (
        "import sys\n"
        "from sim.experiment.app import compose\n"
        "from sim.experiment.scenario import build_scenario\n"
        "from sim.experiment.runner import Output, run_task\n"
        "sc = build_scenario(compose(['county=plain', 'run.horizon_days=60']))\n"
        f"run_task(sc, 0, Output({str(tmp_path)!r}, 'all', 'fp'))\n"
        "print('pandas' in sys.modules)\n")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"
    towns = pq.read_table(tmp_path / "emergency_township" / "replication=00000" / "part-0.parquet")
    assert all(isinstance(n, str) and n for n in towns.column("township_name").to_pylist())
    calls = pq.read_table(tmp_path / "emergency" / "replication=00000" / "part-0.parquet")
    assert str(calls.schema.field("kind").type) == "dictionary<values=string, indices=int32, ordered=0>"
    kinds = set(calls.column("kind").to_pylist())
    assert kinds and kinds <= {"fall", "illness", "false_alarm", None}
    status = pq.read_table(tmp_path / "facility_status" / "replication=00000" / "part-0.parquet")
    assert str(status.schema.field("subsidised").type) == "bool"
