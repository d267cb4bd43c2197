"""Village kernels on hand-made records: the nearest free bed, quintiles with ties, township seats."""

from __future__ import annotations

import numpy as np

from sim.kernels.villages import nearest_free_bed_minutes
from sim.model.bed_records import OCCUPANCY_DTYPE
from sim.world.seats import quintiles


def _snapshot(day, open_, beds, occupied):
    rows = np.zeros(len(beds), dtype=OCCUPANCY_DTYPE)
    rows["day"], rows["home"], rows["open"] = day, np.arange(len(beds)), open_
    rows["beds"], rows["occupied"] = beds, occupied
    return rows


def test_nearest_free_bed_is_averaged_over_weeks_and_skips_full_or_closed_homes():
    car = np.array([[0.0, 10.0, 30.0],
                    [10.0, 0.0, 20.0],
                    [30.0, 20.0, 0.0]])
    home_village = np.array([0, 2])
    weeks = np.concatenate([
        _snapshot(0.0, [True, True], [5, 5], [4, 4]),     # both have space
        _snapshot(7.0, [True, True], [5, 5], [5, 4]),     # home 0 full: only home 1 (village 2)
        _snapshot(14.0, [False, True], [5, 5], [0, 5]),   # home 0 closed, home 1 full: none
    ])
    rep = np.zeros(len(weeks), dtype=np.int64)
    got = nearest_free_bed_minutes(1, rep, weeks, home_village, car)
    # week 0: the nearer of villages 0 and 2; week 7: village 2 only; week 14 left out
    want = np.array([(0 + 30) / 2, (10 + 20) / 2, (0 + 0) / 2])
    np.testing.assert_allclose(got, want)
    # two replications, the second without any free bed: NaN there, the first unchanged
    both = nearest_free_bed_minutes(2, np.concatenate([rep, np.ones(2, np.int64)]),
                                    np.concatenate([weeks, weeks[4:]]), home_village, car)
    np.testing.assert_allclose(both[:3], want)
    assert np.isnan(both[3:]).all()


def test_quintiles_keep_ties_together():
    np.testing.assert_array_equal(quintiles(np.arange(10.0)), [0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    np.testing.assert_array_equal(quintiles(np.array([0.0, 0.0, 0.0, 5.0, 9.0])), [0, 0, 0, 3, 4])
    np.testing.assert_array_equal(quintiles(np.full(4, 2.5)), [0, 0, 0, 0])
