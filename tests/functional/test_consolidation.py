"""Consolidation at scenario level: the staged Qinshui plan on every preset, conservation, costs."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.model.beds import ADMITTED, CLOSED, DIED, DISCHARGED, DISPLACED, START, TRANSFERRED

# The staged Qinshui plan needs its three years on the largest preset (~29,000 elders), baseline
# and policy: ~23 s of CPU, so its tests are slow (CI runs them); the plain county's three
# years below keep consolidation in the default suite.
QINSHUI = pytest.mark.slow


@pytest.fixture(scope="module")
def qinshui():
    over = ["county=qinshui", "run.replications=2", "run.horizon_days=1095"]
    return sim.run(over + ["policy=baseline"]), sim.run(over + ["policy=consolidation"])


@QINSHUI
def test_staged_plan_closes_on_its_dates_and_keeps_four_homes(qinshui):
    _, cons = qinshui
    ev = cons.events("beds")
    closed = ev[ev["kind"] == "home_closed"]
    # 2019-12-31, 2020-12-31 and 2021-09-30 counted from run.start_date 2019-01-01 (policy-docs/002 三(二))
    assert set(closed["day"].unique()) <= {364.0, 730.0, 1003.0}
    homes = cons.events("homes")
    assert (homes.groupby("replication")["open_end"].sum() == 4).all()   # 3 regional + central
    central = homes[homes["beds_end"] >= 120]
    assert (central.groupby("replication").size() >= 1).all()
    assert (central["nursing_beds_end"] >= 0.5 * central["beds_end"]).all()
    assert (cons.runs["residents_displaced"] > 0).all()
    assert cons.runs["displacement_km_mean"].notna().all()


@QINSHUI
def test_stages_close_only_homes_below_their_threshold(qinshui):
    """Residents moved out at a closure are the residents then: at most the stage's threshold
    (入住10人以下 includes 10)."""
    _, cons = qinshui
    ev = cons.events("beds")
    closed = ev[ev["kind"] == "home_closed"]
    moved = ev[ev["kind"].isin(["transferred", "displaced_to_waitlist"])]
    for day, threshold in ((364.0, 10), (730.0, 20)):
        for row in closed[closed["day"] == day].itertuples():
            out = moved[(moved["replication"] == row.replication) & (moved["day"] == day)
                        & (moved["from_home"] == row.home)]
            assert len(out) <= threshold
    assert len(closed[closed["day"] == 364.0]) >= 1          # the smallest home goes in year one


@QINSHUI
def test_residents_conserved_and_capacity_respected(qinshui):
    for res in qinshui:
        ev, homes = res.events("beds"), res.events("homes")
        for r in range(2):
            e = ev[ev["replication"] == r]
            n = e["kind"].value_counts()
            end = homes[homes["replication"] == r]["occupied_end"].sum()
            assert end == n.get("resident_at_start", 0) + n.get("admitted", 0) - n.get("died_in_bed", 0) \
                - n.get("discharged", 0) - n.get("displaced_to_waitlist", 0)
        occ = res.events("bed_occupancy")
        assert (occ["occupied"] <= occ["beds"]).all()
        assert (occ.loc[~occ["open"], "occupied"] == 0).all()
    assert START == 0 and {ADMITTED, CLOSED, DIED, DISCHARGED, DISPLACED, TRANSFERRED}


@QINSHUI
def test_baseline_closes_nothing_and_costs_compare(qinshui):
    base, cons = qinshui
    assert (base.events("beds")["kind"] != "home_closed").all()
    assert (base.runs["homes_open_end"] == 8).all()
    assert (cons.runs["home_fixed_cost_yuan"] < base.runs["home_fixed_cost_yuan"]).all()
    assert (cons.runs["home_capital_cost_yuan"] > 0).all()
    assert (base.runs["home_capital_cost_yuan"] == 0).all()
    assert (cons.runs["bed_occupancy"] > base.runs["bed_occupancy"]).all()
    # population and emergencies are common random numbers
    assert np.array_equal(base.runs["deaths"], cons.runs["deaths"])


# hill (three years, two replications of a county twice the plain one) runs with the slow tests
@pytest.mark.parametrize("county", ["plain", pytest.param("hill", marks=pytest.mark.slow)])
def test_consolidation_applies_to_other_presets(county):
    res = sim.run([f"county={county}", "run=quick", "run.horizon_days=1095", "policy=consolidation"],
                  replications=2)
    assert (res.runs["homes_open_end"] == 4).all()
    assert res.runs["residents_displaced"].gt(0).all()
