"""Coverage models (MCLP, LSCP through spopt) on tiny hand-made travel matrices whose optimum is
known: the right sites, standing sites kept, the promise computed from the demand weights."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiment.coverage import covered_by, lscp, mclp, today, weighted_share

# five villages on a road, minutes between them = km apart; the far one (10) holds most demand
X = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
MINUTES = np.abs(X[:, None] - X[None, :])
WEIGHTS = np.array([1.0, 1.0, 1.0, 1.0, 5.0])
NONE = np.zeros(5, dtype=bool)


def test_mclp_opens_the_sites_that_cover_most_demand():
    # two sites, radius 1: village 2 covers 1-3 and village 4 the heavy far end; 8 of 9 units of demand
    c = mclp(MINUTES, WEIGHTS, 1.0, NONE, added=2)
    assert c.opened.tolist() == [2, 4] and c.added.tolist() == [2, 4]
    assert c.share == pytest.approx(8 / 9)
    assert c.covered.tolist() == [False, True, True, True, True]


def test_mclp_keeps_standing_sites_and_adds_only_the_new_ones():
    standing = np.array([True, False, False, False, False])
    c = mclp(MINUTES, WEIGHTS, 1.0, standing, added=1)
    # with village 0 fixed, one more site: the far end (5) beats the middle (2 more villages)
    assert c.opened.tolist() == [0, 4] and c.added.tolist() == [4]
    assert c.share == pytest.approx(7 / 9)
    # a larger radius: the middle site now covers 1-3, still one added
    c = mclp(MINUTES, np.array([1.0, 1.0, 1.0, 3.0, 0.0]), 1.0, standing, added=1)
    assert c.added.tolist() == [2] and 0 in c.opened


def test_lscp_finds_the_fewest_sites_covering_everyone():
    c = lscp(MINUTES, WEIGHTS, 1.0, NONE)
    assert len(c.opened) == 3 and 4 in c.opened
    assert c.share == 1.0 and c.covered.all()
    standing = np.array([True, True, False, False, False])
    c = lscp(MINUTES, WEIGHTS, 1.0, standing)
    assert {0, 1} <= set(c.opened.tolist())            # the standing sites stay
    assert len(c.added) == 2 and 4 in c.added           # village 3 and the far end need one each
    assert not standing[c.added].any() and c.covered.all()


def test_lscp_leaves_out_demand_no_candidate_reaches_and_says_so():
    minutes = np.vstack([MINUTES, np.full((1, 5), 30.0)])   # a sixth village 30 min from every site
    weights = np.append(WEIGHTS, 1.0)
    c = lscp(minutes, weights, 1.0, NONE)
    assert c.uncoverable.tolist() == [5]
    assert c.covered[:5].all() and not c.covered[5]
    assert c.share == pytest.approx(9 / 10)


def test_today_promises_what_the_standing_sites_cover():
    standing = np.array([False, False, False, False, True])
    c = today(MINUTES, WEIGHTS, 1.0, standing)
    assert c.opened.tolist() == [4] and c.added.size == 0 and c.share == pytest.approx(5 / 9)
    assert weighted_share(covered_by(MINUTES, np.array([], dtype=np.int64), 1.0), WEIGHTS) == 0.0


def test_mclp_refuses_more_sites_than_candidates():
    with pytest.raises(ValueError, match="candidates are free"):
        mclp(MINUTES, WEIGHTS, 1.0, NONE, added=6)
