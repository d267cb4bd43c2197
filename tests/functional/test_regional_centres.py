"""Regional elderly-care centres 区域养老服务中心 (policy-docs/001 农村方案 二(一)2) opened on dated steps,
and freed buildings that host visits from their closing day (001 (三)2): facilities whose beds,
teams and kitchens serve only from their opening day."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

import sim
from sim.config.errors import ConfigError
from sim.config.validate import validate
from sim.experiment.app import compose as _compose
from sim.experiment.scenario import build_scenario
from sim.world import FACILITY_KINDS

RC = ["county=hill", "policy=[regional_centres]", "report=none"]

# runs and scenarios are cached per process (below): the module's tests share one xdist worker
pytestmark = pytest.mark.xdist_group("tests/functional/test_regional_centres.py")


@cache
def _scenario(overrides: tuple[str, ...]):
    return build_scenario(_compose(list(overrides)))


@cache
def _run(overrides: tuple[str, ...]):
    return sim.run(list(overrides), replications=1, seed=4, workers=1)


def test_centres_open_on_dated_steps_with_beds_team_and_kitchen():
    s = _scenario(tuple(RC))
    c, f = s.plan.centres, s.plan.county.facilities
    # hill has 8 townships: coverage 20/40/60% (001: 20+20+20 of 60 centres, >= 60%) = 2, 4, 5 centres,
    # on 2019-07-01, 2020-07-01, 2021-07-01 (2020 a leap year)
    assert list(c.days) == [181.0, 181.0, 547.0, 547.0, 912.0]
    assert (f.kind[c.centres] == FACILITY_KINDS.index("regional_centre")).all()
    assert (f.beds[c.centres] == 40).all() and (f.nursing_beds[c.centres] == 22).all()
    towns = s.plan.county.villages.township[f.village[c.centres]]
    assert len(set(towns)) == 5                                          # one centre a township
    # the kitchen: a canteen at the centre, opening with it
    assert (f.kind[c.kitchens] == FACILITY_KINDS.index("canteen")).all()
    assert (f.village[c.kitchens] == f.village[c.centres]).all()
    np.testing.assert_array_equal(s.plan.facility_open_day[c.kitchens], c.days)
    # the beds: homes of the bed service, closed until their day; no one in them at the start
    np.testing.assert_array_equal(s.homes.open_day[s.plan.centre_homes], c.days)
    assert (s.homes.open_day[: s.plan.centre_homes[0]] == 0).all()
    # the team: two home-care workers a centre, each based at its centre (working from its day)
    team = s.responders.kind == s.responders.names.index("centre_homecare_team")
    assert team.sum() == 10 and set(s.responders.facility[team]) == set(c.centres)
    assert (s.responders.facility[~team] == -1).all()


def test_with_the_policy_off_the_plan_adds_nothing():
    on, off = _scenario(tuple(RC)), _scenario(("county=hill", "report=none"))
    assert off.plan.centres is None and off.homes.open_day is None
    assert len(on.plan.county.facilities) == len(off.plan.county.facilities) + 10
    assert (off.responders.facility == -1).all()


def test_centres_serve_only_from_their_opening_day_and_beds_are_conserved():
    res = _run((*RC, "run.horizon_days=730", "run.save_events=all"))
    s = _scenario(tuple(RC))
    days = dict(zip(s.plan.centre_homes.tolist(), s.plan.centres.days.tolist()))
    beds = res.events("beds")
    into = beds[beds["kind"].isin(["admitted", "transferred", "start"]) & beds["home"].isin(list(days))]
    assert len(into) > 0, "applicants are admitted to the centres"
    assert (into["day"] >= into["home"].map(days)).all()                # no one before the centre opens
    occ = res.events("bed_occupancy")
    centre = occ[occ["home"].isin(list(days))]
    assert (centre["occupied"] <= centre["beds"]).all()                  # beds conserved
    assert (~centre["open"] | (centre["day"] >= centre["home"].map(days))).all()
    assert (centre[centre["day"] < centre["home"].map(days)]["occupied"] == 0).all()
    # the team's home care starts the day its centre opens
    jobs = res.events("helper_jobs")
    team = np.flatnonzero(s.responders.kind == s.responders.names.index("centre_homecare_team"))
    opens = s.plan.facility_open_day[s.responders.facility[team]]
    mine = jobs[jobs["helper"].isin(team)]
    assert len(mine) > 0
    start = mine["helper"].map(dict(zip(team.tolist(), opens.tolist())))
    assert (mine["start_day"] >= start).all()
    # home care: the same needs, more hours delivered once the teams work
    base = _run(("county=hill", "report=none", "run.horizon_days=730"))
    r, b = res.runs.iloc[0], base.runs.iloc[0]
    assert r["homecare_hours_needed"] == pytest.approx(b["homecare_hours_needed"], rel=0.02)
    assert r["homecare_hours_delivered"] > b["homecare_hours_delivered"]
    # kitchens: the county's canteens plus those of the centres open by the horizon
    assert r["canteens_open_end"] == b["canteens_open_end"] + 4


def test_centre_costs_go_to_their_budget_lines():
    res = _run((*RC, "run.horizon_days=730", "run.save_events=all"))
    r = res.runs.iloc[0]
    # two centres open in year 1, two in year 2: 150,000 + 40 beds x 20,000 each (CALIBRATION §9; 004)
    assert r["budget_centre_construction_yuan_year_1"] == 2 * 950_000
    assert r["budget_centre_construction_yuan_year_2"] == 2 * 950_000
    assert r["budget_centre_operating_subsidy_yuan"] > 0
    # the team is paid from its centre's opening: 2 workers x 3,500 yuan for the months open
    base = _run(("county=hill", "report=none", "run.horizon_days=730"))
    team = r["budget_pay_homecare_workers_yuan"] - base.runs.iloc[0]["budget_pay_homecare_workers_yuan"]
    horizon = 24 * 30.436875                                             # 730 days: 24 whole months
    months = sum((horizon - d) / 30.436875 for d in (181, 181, 547, 547))
    assert team == pytest.approx(2 * 3500 * months, rel=0.01)
    lines = [c for c in res.runs.columns if c.startswith("budget_") and c.endswith("_yuan")
             and not c.startswith(("budget_payer_", "budget_total_"))]
    assert r["cost_total_yuan"] == pytest.approx(sum(r[c] for c in lines), rel=1e-12)


def test_freed_service_point_hosts_visits_from_its_closing_day():
    over = ("county=hill", "policy=[consolidation]", "report=none", "run.horizon_days=120",
            "run.save_events=all", "policy.consolidation.stages=[{day: 40.0, all_not_kept: true}]")
    res = _run(over)
    s = _scenario(over)
    coord = np.flatnonzero(s.responders.kind == s.responders.names.index("freed_point_coordinator"))
    assert len(coord) == 5                                               # 9 homes, 4 kept: 5 freed points
    changes = res.events("facility_changes")
    assert len(changes) == 5 and (changes["day"] == 40.0).all()
    jobs = res.events("helper_jobs")
    mine = jobs[jobs["helper"].isin(coord)]
    assert (mine["task"] == "visits").sum() > 0 and mine["task"].isin(["visits", "return"]).all()
    assert (mine["start_day"] >= 40.0).all()
    # and not when the freed point hosts no one
    none = _scenario((*over, "policy.consolidation.freed_staff.per_base=0"))
    assert "freed_point_coordinator" not in none.responders.names or \
        not (none.responders.kind == none.responders.names.index("freed_point_coordinator")).any()


def test_helpers_at_dated_bases_may_not_answer_calls():
    cfg = _compose([*RC, "policy.regional_centres.team.emergency=true"])
    with pytest.raises(ConfigError, match="emergency"):
        validate(cfg)


@pytest.mark.parametrize("override, field", [
    ("policy.consolidation.freed_staff.base=service_point", "policy.consolidation.freed_staff.base"),
    ("policy.regional_centres.team.base=health_centre", "policy.regional_centres.team.base"),
    ("policy.regional_centres.steps=[{coverage: 0.6},{coverage: 0.2}]", "policy.regional_centres.steps"),
])
def test_bad_centre_and_freed_staff_settings_are_named(override, field):
    cfg = _compose(["county=hill", "policy=[consolidation,regional_centres]", override])
    with pytest.raises(ConfigError) as err:
        validate(cfg)
    assert field in str(err.value)
