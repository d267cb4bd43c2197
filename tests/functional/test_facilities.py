"""Freed nursing-home buildings become facilities that operate from their home's closing day."""

from __future__ import annotations

import numpy as np

import sim


def test_a_freed_home_becomes_a_canteen_that_serves_from_its_closing_day():
    res = sim.run(["county=hill", "policy=[consolidation]", "policy.consolidation.freed_building=canteen",
                   "policy.consolidation.stages=[{day: 30.0, all_not_kept: true}]", "run.horizon_days=90",
                   "report=none"], replications=1, seed=5, workers=1)
    changes, status = res.events("facility_changes"), res.events("facility_status")
    assert len(changes) == 5                                     # 9 homes, 4 kept
    freed = status[status["open_day"] == 30.0]
    assert len(freed) == len(changes) and (freed["kind"] == "canteen").all()
    assert set(freed["village"]) == set(changes["village"])
    assert res.runs["canteens_open_end"].iloc[0] == res.runs["canteens_planned"].iloc[0]
    # lunches in the freed homes' villages: eaten in far more often once their canteen is open
    m = res.events("meals")
    here = m[m["village"].isin(freed["village"])]
    rate = lambda d: d["dine_in"].sum() / max(d["demanded"].sum() - d["closed"].sum(), 1)  # noqa: E731
    before, after = here[here["day"] < 30], here[here["day"] >= 30]
    assert rate(after) > rate(before) + 0.05
    assert (res.events("facility_status")["open_day"] <= 30.0).all()


def test_without_consolidation_every_facility_is_open_from_the_start():
    res = sim.run(["county=plain", "run.horizon_days=31", "report=none"], replications=1, seed=5, workers=1)
    status = res.events("facility_status")
    assert (status["open_day"] == 0).all()
    assert np.all(res.runs["service_points_open_end"] == res.runs["service_points_planned"])


def test_fushun_consolidation_closes_the_remote_and_small_46_to_39():
    """003 §2: 偏、远、小 township homes closed, 46 -> 39; residents go to the nearest home still open."""
    res = sim.run(["county=fushun", "policy=[consolidation_fushun]", "run.horizon_days=40", "report=none",
                   "policy.consolidation.stages=[{day: 20.0, close_remote_small: 7}]"],
                  replications=1, seed=5, workers=1)
    homes = res.events("homes")
    assert len(homes) == 46 and res.runs["homes_open_end"].iloc[0] == 39
    closed, kept = homes[~homes["open_end"]], homes[homes["open_end"]]
    assert (closed["closed_day"] == 20.0).all()
    assert closed["beds_end"].mean() < kept["beds_end"].mean()      # the small go first
    assert (closed["occupied_end"] == 0).all()
    moved = res.events("beds")
    moved = moved[moved["kind"] == "transferred"]
    assert len(moved) and set(moved["home"]) <= set(kept["home"])      # to homes still open
