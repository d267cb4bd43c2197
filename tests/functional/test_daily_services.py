"""Meals, home care and the helpers who deliver them: conservation, shifts, one place at a time."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.config.errors import ConfigError
from sim.config.validate import validate
from sim.experiment.replication import demand_stage, run_replication
from sim.experiment.scenario import build_scenario
from sim.model.helpers import HOMECARE, MEALS, VISITS
from sim.model.meals import ALLOCATE_HOUR, MEAL_OUTCOMES, month_days
from sim.streams import Streams
from tests.conftest import small_config

HORIZON = 150


def _daily_config(**services):
    """Canteens with delivery, coordinators who visit, a home-care worker per township; no nursing
    homes fill up, so every meal wish of a living elder counts."""
    cfg = small_config(horizon_days=HORIZON)
    beds = replace(cfg.services.beds, initial_occupancy=0.0, apply_full_ordinary=0.0, apply_full_hardship=0.0,
                   hardship_apply_per_year=0.0)
    em = replace(cfg.policy.emergency, enabled=True, device_solitary=0.0, device_empty_nest=0.0)
    policy = replace(cfg.policy, emergency=em, canteens=replace(cfg.policy.canteens, enabled=True))
    return replace(cfg, policy=policy, services=replace(cfg.services, beds=beds, **services))


@pytest.fixture(scope="module")
def run():
    scenario = build_scenario(_daily_config())
    return scenario, demand_stage(scenario, 0), run_replication(scenario, 0)


def test_meals_demanded_equals_dine_in_plus_delivered_plus_unmet_every_day(run):
    scenario, demand, rec = run
    m = rec["meals"]
    outcomes = sum(m[o].astype(np.int64) for o in MEAL_OUTCOMES)
    assert np.array_equal(m["demanded"], outcomes)
    assert m["dine_in"].sum() > 0 and m["delivered"].sum() > 0 and m["full"].sum() > 0
    # the wishes recomputed from the meals stream, day by day
    rng = Streams(scenario.config.run.seed, 0)("meals.wishes")
    from sim.model.bed_demand import death_days
    death = death_days(demand.trajectory)
    p = scenario.plan.services.meals.daily_probability
    expected = {}
    for month, eligible in enumerate(demand.meals.eligible):
        days = month_days(month)
        days = days[days < scenario.horizon_days]
        if not len(days):
            break
        wish = rng.random((len(eligible), len(days))) < p
        for j, day in enumerate(days):
            if day + ALLOCATE_HOUR / 24 < scenario.horizon_days:
                expected[int(day)] = int((wish[:, j] & (death[eligible] > day + ALLOCATE_HOUR / 24)).sum())
    got = np.bincount(m["day"], weights=m["demanded"], minlength=max(expected) + 1)
    assert [int(got[d]) for d in sorted(expected)] == [expected[d] for d in sorted(expected)]


def test_dine_in_respects_seats_and_kitchen(run):
    scenario, _, rec = run
    county, rules = scenario.plan.county, scenario.plan.services.meals
    f = county.facilities
    canteens = f.of_kind("canteen")
    walk = county.travel["walk"][:, f.village[canteens]]
    canteen_of_village = np.argmin(walk, axis=1)
    m = rec["meals"]
    per_day = np.zeros((int(m["day"].max()) + 1, len(canteens)))
    np.add.at(per_day, (m["day"], canteen_of_village[m["village"]]), m["dine_in"])
    capacity = np.minimum(f.seats[canteens] * rules.sittings, rules.kitchen_meals_per_day)
    assert np.all(per_day <= capacity[None, :])
    closed = ~np.isin(m["day"] % 7, rules.operating_days)
    assert np.all(m["closed"][closed] == m["demanded"][closed]) and m["closed"][~closed].sum() == 0


def test_every_delivered_meal_is_a_courier_job_before_the_deadline(run):
    scenario, _, rec = run
    m, jobs = rec["meals"], rec["helper_jobs"]
    meals = jobs[jobs["task"] == MEALS]
    assert len(meals) == m["delivered"].sum()
    hour = (meals["end_day"] % 1) * 24
    assert np.all(hour <= scenario.plan.services.meals.delivery_deadline_hour + 1e-6)
    assert np.all(scenario.responders.delivers_meals[meals["helper"]])
    per_village = np.bincount(meals["village"], minlength=len(scenario.county.villages))
    assert np.array_equal(per_village, np.bincount(m["village"], weights=m["delivered"],
                                                   minlength=len(per_village)).astype(int))


def test_homecare_hours_are_conserved_and_match_the_sessions(run):
    scenario, demand, rec = run
    h = rec["homecare"]
    assert np.allclose(h["hours_needed"], h["hours_delivered"] + h["hours_unmet"])
    jobs = rec["helper_jobs"]
    sessions = jobs[jobs["task"] == HOMECARE]
    assert np.isclose(sessions["work_min"].sum() / 60, h["hours_delivered"].sum())
    assert h["hours_delivered"].sum() > 0 and h["hours_unmet"].sum() > 0
    # every planned week: the needs of the dependent elders alive at its start
    rules = scenario.plan.services.homecare
    from sim.model.bed_demand import death_days
    death = death_days(demand.trajectory)
    for week in np.unique(h["week"]):
        month = int(week * 7 // (365.25 / 12))
        e, adl = demand.homecare.dependent[month], demand.homecare.adl[month]
        alive = death[e] > week * 7
        need = np.asarray(rules.hours_per_week)[adl[alive]].sum()
        mine = h[h["week"] == week]
        assert np.isclose(mine["hours_needed"].sum() + mine["hours_lapsed"].sum(), need)


def _intervals(rec):
    jobs, calls = rec["helper_jobs"], rec["emergency"]
    done = ~np.isnan(calls["released_day"])
    start = calls["arrival_day"][done] - (calls["dispatch_min"][done] + calls["travel_min"][done]
                                          + calls["access_min"][done]) / 1440
    return (np.concatenate([jobs["helper"], calls["responder"][done]]),
            np.concatenate([jobs["start_day"], start]),
            np.concatenate([jobs["end_day"], calls["released_day"][done]]))


def test_no_helper_is_in_two_places_at_once(run):
    _, _, rec = run
    helper, start, end = _intervals(rec)
    order = np.lexsort((start, helper))
    helper, start, end = helper[order], start[order], end[order]
    same = helper[1:] == helper[:-1]
    assert same.sum() > 1000
    assert np.all(start[1:][same] >= end[:-1][same] - 1e-9)


def test_helper_hours_stay_within_shifts(run):
    scenario, _, rec = run
    units, jobs = scenario.responders, rec["helper_jobs"]
    r = rec["responders"]
    used = r["visit_minutes"] + r["homecare_minutes"] + r["delivery_minutes"]
    assert np.all(used <= r["shift_minutes"] + 1e-6)
    # every home task and lunch round lies inside one shift on a workday
    h = jobs["helper"]
    day = np.floor(jobs["start_day"])
    assert np.all(units.workdays[h, day.astype(int) % 7])
    s, e = units.shift_start[h] / 24, units.shift_end[h] / 24
    assert np.all(jobs["start_day"] >= day + s - 1e-9) and np.all(jobs["end_day"] <= day + e + 1e-9)
    # and within each task's hours a week (travel home included)
    week = (jobs["start_day"] // 7).astype(int)
    for task, hours in ((VISITS, units.visit_hours), (HOMECARE, units.homecare_hours)):
        sel = jobs["task"] == task
        assert sel.any()
        minutes = np.zeros((len(units), week.max() + 1))
        np.add.at(minutes, (h[sel], week[sel]), (jobs["end_day"][sel] - jobs["start_day"][sel]) * 1440)
        assert np.all(minutes <= hours[:, None] * 60 + 1e-6), task


def test_a_waiting_call_preempts_visits_only_when_asked():
    """With pre-emption coordinators leave a visit at once; emergencies ranked below visits wait."""
    base = small_config(horizon_days=120)
    em = replace(base.services.emergency, fall_rate=0.3, illness_rate=0.4)
    ambulances = [h for h in base.services.helpers if h.name == "ambulance"]
    base = replace(base, services=replace(base.services, emergency=em, helpers=ambulances))
    em_policy = replace(base.policy.emergency, enabled=True, device_solitary=0.0, device_empty_nest=0.0,
                        coordinator=replace(base.policy.emergency.coordinator, visit_hours_per_week=60.0,
                                            shift_start_hour=8.0, shift_end_hour=20.0))
    base = replace(base, policy=replace(base.policy, emergency=em_policy))
    waits = {}
    for name, tasks in (("preempt", dict(preempt=True)), ("finish_visit", {}),
                        ("visits_first", dict(priority=["visits", "emergency", "homecare", "meals"]))):
        cfg = replace(base, services=replace(base.services, tasks=replace(base.services.tasks, **tasks)))
        scenario = build_scenario(cfg)
        calls = np.concatenate([run_replication(scenario, r)["emergency"]["wait_min"] for r in range(2)])
        waits[name] = np.nanmean(calls)
    assert waits["preempt"] < waits["finish_visit"] < waits["visits_first"], waits


@pytest.mark.parametrize("county", ["plain", "hill", "qinshui", "ankang"])
def test_canteens_policy_opens_canteens_and_conserves_meals_on_every_preset(county):
    from sim.experiment.app import compose
    cfg = compose([f"county={county}", "policy=[canteens]", "run.horizon_days=30", "run.replications=1",
                   "run.workers=1"])
    base = build_scenario(compose([f"county={county}", "run.horizon_days=30"]))
    scenario = build_scenario(cfg)
    f0, f1 = base.plan.county.facilities, scenario.plan.county.facilities
    assert len(f1.of_kind("canteen")) > len(f0.of_kind("canteen"))
    points = np.unique(f0.village[f0.of_kind("service_point")])
    # only where conditions allow (有条件的, 001 §(二)4): enough elders within walking reach
    from sim.policy.canteens import walk_elders
    able = walk_elders(base.plan.county, points, cfg.services.meals.walk_threshold_min) \
        >= cfg.policy.canteens.min_walk_elders
    had = np.isin(points, f0.village[f0.of_kind("canteen")])
    assert np.isin(points[able], f1.village[f1.of_kind("canteen")]).all()
    assert not np.isin(points[~able & ~had], f1.village[f1.of_kind("canteen")]).any()
    m = run_replication(scenario, 0)["meals"]
    assert np.array_equal(m["demanded"], sum(m[o].astype(np.int64) for o in MEAL_OUTCOMES))
    assert m["delivered"].sum() > 0


@pytest.mark.parametrize("bad, field", [
    (dict(tasks=dict(priority=["emergency", "meals", "visits"])), "services.tasks.priority"),
    (dict(tasks=dict(priority=["emergency", "homecare", "meals", "chores"])), "services.tasks.priority[3]"),
    (dict(meals=dict(delivery_deadline_hour=10.0)), "services.meals.delivery_deadline_hour"),
    (dict(meals=dict(operating_days=[0, 0, 7])), "services.meals.operating_days[2]"),
    (dict(homecare=dict(hours_per_week=[1.0, 2.0])), "services.homecare.hours_per_week"),
])
def test_bad_service_rules_are_named(bad, field):
    cfg = small_config()
    services = cfg.services
    for group, values in bad.items():
        services = replace(services, **{group: replace(getattr(services, group), **values)})
    with pytest.raises(ConfigError) as err:
        validate(replace(cfg, services=services))
    assert field in str(err.value)
