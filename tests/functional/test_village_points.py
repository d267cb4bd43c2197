"""New village points 村级养老服务点位 (policy-docs/001 农村方案 二(一)3) built on dated steps: placed at
villages without a service point, most elders in walking reach first; each operates from the day it
is built, and what a point hosts (a canteen, helpers based at points) starts that day; they count as
built and operating in the operating policy's target; their costs go to two budget lines."""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
import pytest

import sim
from sim.experiment.app import compose as _compose
from sim.experiment.scenario import build_scenario
from sim.policy.canteens import walk_elders
from sim.world import FACILITY_KINDS

VP = ("county=hill", "policy=[village_points]", "report=none")
# a helper based at every service point, visiting (to see the points' hosted services start on their day)
VISITOR = ("services.helpers=[{name: ambulance, base: ems_station, per_base: 2, can_transport: true},"
           "{name: point_visitor, base: service_point, per_base: 1, mode: ebike, shift_start_hour: 8,"
           " shift_end_hour: 17, workdays: [0, 1, 2, 3, 4], emergency: false, visit_hours_per_week: 20,"
           " wage_yuan_per_month: 1000}]")

pytestmark = pytest.mark.xdist_group("tests/functional/test_village_points.py")


@cache
def _scenario(overrides: tuple[str, ...]):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_scenario(_compose(list(overrides)))


@cache
def _run(overrides: tuple[str, ...]):
    return sim.run(list(overrides), replications=1, seed=4, workers=1)


def test_points_go_to_villages_without_one_most_elders_first_on_their_steps():
    before, s = _scenario(("county=hill", "report=none")), _scenario(VP)
    p, f = s.plan.points, s.plan.county.facilities
    # 10 a year on 2019-07-01, 2020-07-01, 2021-07-01 (2020 a leap year): 001's 100 a year over 10 divisions
    assert list(np.unique(p.days, return_counts=True)[1]) == [10, 10, 10]
    assert list(np.unique(p.days)) == [181.0, 547.0, 912.0] and p.asked == 30
    assert (f.kind[p.points] == FACILITY_KINDS.index("service_point")).all()
    old = before.county.facilities
    had = set(old.village[old.of_kind("service_point")].tolist())
    villages = f.village[p.points]
    assert len(set(villages.tolist())) == 30 and not had & set(villages.tolist())
    # most elders in walking reach first, the first step's first; no village left out has more
    walk = s.config.services.meals.walk_threshold_min
    reach = walk_elders(s.plan.county, villages, walk)
    assert (np.diff(reach) <= 0).all()
    free = np.setdiff1d(np.arange(len(s.county.villages)), np.concatenate([list(had), villages]))
    assert walk_elders(s.plan.county, free, walk).max() <= reach.min()
    # facilities conserved: the county's, then the points (the policy adds nothing else)
    assert len(f) == len(old) + 30
    for name in ("kind", "village", "beds", "seats"):
        np.testing.assert_array_equal(getattr(f, name)[: len(old)], getattr(old, name))


def test_points_operate_from_the_day_they_are_built_and_their_canteens_open_with_them():
    s = _scenario(("county=hill", "policy=[village_points,canteens]", "report=none"))
    p, f, plan = s.plan.points, s.plan.county.facilities, s.plan
    np.testing.assert_array_equal(plan.facility_open_day[p.points], p.days)
    np.testing.assert_array_equal(plan.facility_built_day[p.points], p.days)
    assert not plan.facility_subsidised[p.points].any()
    # the canteens policy opens canteens at the new points (>= 150 elders in reach), each with its point
    day = dict(zip(f.village[p.points].tolist(), p.days.tolist()))
    hosted = [c for c in f.of_kind("canteen") if int(f.village[c]) in day]
    assert len(hosted) > 0
    for c in hosted:
        assert plan.facility_open_day[c] == day[int(f.village[c])]


def test_hosted_services_start_on_the_opening_day_and_the_costs_go_to_their_lines():
    over = (*VP, VISITOR, "run.horizon_days=730", "run.save_events=all")
    res, s = _run(over), _scenario(over)
    p = s.plan.points
    visitors = np.flatnonzero(s.responders.kind == s.responders.names.index("point_visitor"))
    mine = visitors[np.isin(s.responders.facility[visitors], p.points)]
    assert len(mine) == 30                                   # one at each new point, based there
    opens = dict(zip(mine.tolist(), s.plan.facility_open_day[s.responders.facility[mine]].tolist()))
    jobs = res.events("helper_jobs")
    theirs = jobs[jobs["helper"].isin(mine)]
    assert (theirs["task"] == "visits").sum() > 0
    assert (theirs["start_day"] >= theirs["helper"].map(opens)).all()   # no visit before the point opens
    status = res.events("facility_status")
    new = status[status["facility"].isin(p.points)]
    np.testing.assert_array_equal(np.sort(new["open_day"]), np.sort(p.days))
    r = res.runs.iloc[0]
    # 10 points built in year 1 and 10 in year 2 (the third step, 2021-07-01, is after the horizon)
    assert r["budget_village_point_construction_yuan_year_1"] == 10 * 120_000
    assert r["budget_village_point_construction_yuan_year_2"] == 10 * 120_000
    horizon = 24 * 365.25 / 12                               # 730 days: 24 whole months
    point_days = [(365.25 - 181) * 10, 365.25 * 10 + (horizon - 547) * 10]
    for k, days in enumerate(point_days, start=1):
        assert r[f"budget_village_point_operating_subsidy_yuan_year_{k}"] == pytest.approx(
            days / 365.25 * 20_000, rel=1e-9)
    # built and operating: the operating rate counts them in both
    assert r["service_points_built_end"] == 40 + 20 and r["service_points_open_end"] == 40 + 20
    assert r["service_points_planned"] == 70
    lines = [c for c in res.runs.columns if c.startswith("budget_") and c.endswith("_yuan")
             and not c.startswith(("budget_payer_", "budget_total_"))]
    assert r["cost_total_yuan"] == pytest.approx(sum(r[c] for c in lines), rel=1e-12)


def test_new_points_count_as_built_and_operating_in_the_operating_target():
    # ankang: 40 points, half operating; operating's 60% brings 4 idle points in alone
    alone = _scenario(("county=ankang", "policy=[operating]", "report=none"))
    assert alone.plan.facility_subsidised.sum() == 4
    both = _scenario(("county=ankang", "policy=[operating,village_points]", "report=none"))
    f, plan = both.plan.county.facilities, both.plan
    points = f.of_kind("service_point")
    operating = np.isfinite(plan.facility_open_day[points]).sum()
    assert len(points) == 70 and operating == 50          # 20 + 30 new operate: 71% >= 60%, none brought
    assert not plan.facility_subsidised.any()
    # few new points: the target over 40 + 2 points is ceil(0.6 x 42) = 26 operating:
    # 20 + 2 new + 4 brought
    few = _scenario(("county=ankang", "policy=[operating,village_points]", "report=none",
                     "policy.village_points.steps=[{day: 100, count: 2}]"))
    pts = few.plan.county.facilities.of_kind("service_point")
    assert np.isfinite(few.plan.facility_open_day[pts]).sum() == 26
    assert few.plan.facility_subsidised.sum() == 4


def test_more_points_asked_than_villages_without_one_places_what_fits_with_a_warning():
    with pytest.warns(UserWarning, match="village_points.*only 18 villages"):
        s = build_scenario(_compose(["county=plain", "policy=[village_points]", "report=none"]))
    p, f = s.plan.points, s.plan.county.facilities
    assert p.asked == 30 and len(p.points) == 18
    assert list(np.unique(p.days, return_counts=True)[1]) == [10, 8]       # in step order
    assert len(np.unique(f.village[f.of_kind("service_point")])) == len(s.county.villages)


@pytest.mark.parametrize("county", ["plain", "hill", "qinshui", "fushun", "ankang"])
def test_every_preset_runs_with_the_points(county):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sim.run([f"county={county}", "policy=[village_points]", "report=none", "run.horizon_days=240"],
                      replications=1, seed=2, workers=1)
    r = res.runs.iloc[0]
    assert r["budget_village_point_construction_yuan"] == 10 * 120_000     # the first step, day 181
    assert r["budget_village_point_operating_subsidy_yuan"] > 0


def test_the_ankang_package_includes_the_points_and_the_study_lists_them_alone():
    cfg = _compose(["+experiment=ankang_2025_2027"])
    assert cfg.policy.village_points.enabled and cfg.policy.operating.enabled
    assert "village_points" in cfg.report.compare
    assert [s.date for s in cfg.policy.village_points.steps] == ["2025-07-01", "2026-07-01", "2027-07-01"]
    assert [s.count for s in cfg.policy.village_points.steps] == [10, 10, 10]


def test_the_command_line_runs_the_policy_and_says_what_did_not_fit(tmp_path):
    import subprocess
    import sys

    import pandas as pd

    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "county=plain", "policy=[village_points]",
                           "run.replications=1", "run.horizon_days=240", "report=none",
                           f"hydra.run.dir={out}"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "only 18 villages have no service point" in proc.stderr
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs["budget_village_point_construction_yuan"].iloc[0] == 10 * 120_000


def test_couriers_of_a_new_points_canteen_are_paid_from_its_opening():
    over = ("county=hill", "policy=[village_points,canteens]", "report=none", "run.horizon_days=730")
    res, s = _run(over), _scenario(over)
    f, opens = s.plan.county.facilities, s.plan.facility_open_day
    couriers = np.flatnonzero(s.responders.kind == s.responders.names.index("meal_courier"))
    at = s.responders.facility[couriers]
    assert (f.kind[at] == FACILITY_KINDS.index("canteen")).all()          # based at their canteen
    horizon = 24 * 365.25 / 12
    assert (opens[at] > 0).sum() == 30 and (opens[at] > horizon).sum() == 10   # the third step: after it
    months = np.clip(horizon - opens[at], 0, None) / (365.25 / 12)
    assert res.runs.iloc[0]["budget_pay_couriers_yuan"] == pytest.approx(800 * months.sum(), rel=1e-9)
