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
