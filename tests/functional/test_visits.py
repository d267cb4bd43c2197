"""Visits and helpers: conservation of requirements, no helper in two places, shifts, contention."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.experiment.replication import demand_stage, run_replication
from sim.experiment.scenario import build_scenario
from sim.model.visits import DIED_FIRST, MISSED, ON_TIME, OPEN
from sim.population.demography import MONTH_DAYS
from tests.conftest import small_config


def _with_coordinators(cfg, hours=20.0, **policy):
    em = replace(cfg.policy.emergency, enabled=True, device_solitary=0.0, device_empty_nest=0.0,
                 coordinator=replace(cfg.policy.emergency.coordinator, visit_hours_per_week=hours), **policy)
    return replace(cfg, policy=replace(cfg.policy, emergency=em))


@pytest.fixture(scope="module")
def run():
    cfg = _with_coordinators(small_config(horizon_days=200))
    scenario = build_scenario(cfg)
    return scenario, demand_stage(scenario, 0), run_replication(scenario, 0)


def test_every_requirement_ends_once(run):
    scenario, demand, rec = run
    v = rec["visits"]
    assert set(np.unique(v["outcome"])) <= {ON_TIME, MISSED, DIED_FIRST, OPEN}
    for m, due in enumerate(demand.visits_due):
        if m * MONTH_DAYS >= scenario.horizon_days:
            break
        mine = v[v["month"] == m]
        assert len(mine) == len(due)                       # required = on time + missed + died + open
        assert np.array_equal(np.sort(mine["elder"]), np.sort(due))
    on_time = v[v["outcome"] == ON_TIME]
    assert np.all((on_time["start_day"] >= on_time["month"] * MONTH_DAYS - 1e-9)
                  & (on_time["end_day"] <= (on_time["month"] + 1) * MONTH_DAYS + 1))
    assert (v["outcome"] == ON_TIME).sum() > 0 and (v["outcome"] == MISSED).sum() > 0


def test_no_helper_is_in_two_places_at_once(run):
    scenario, _, rec = run
    v = rec["visits"][rec["visits"]["outcome"] == ON_TIME]
    trips = rec["helper_trips"]
    calls = rec["emergency"]
    done = ~np.isnan(calls["released_day"])
    helper = np.concatenate([v["helper"], trips["helper"], calls["responder"][done]])
    start = np.concatenate([v["start_day"], trips["start_day"], calls["arrival_day"][done]
                            - (calls["dispatch_min"][done] + calls["travel_min"][done]
                               + calls["access_min"][done]) / 1440])
    end = np.concatenate([v["end_day"], trips["end_day"], calls["released_day"][done]])
    order = np.lexsort((start, helper))
    helper, start, end = helper[order], start[order], end[order]
    same = helper[1:] == helper[:-1]
    assert np.all(start[1:][same] >= end[:-1][same] - 1e-9)


def test_visits_stay_within_shift_and_weekly_hours(run):
    scenario, _, rec = run
    units = scenario.responders
    v = rec["visits"][rec["visits"]["outcome"] == ON_TIME]
    hour_start = (v["start_day"] % 1) * 24
    hour_end = (v["end_day"] % 1) * 24
    s, e = units.shift_start[v["helper"]], units.shift_end[v["helper"]]
    assert np.all(hour_start >= s - 1e-6) and np.all(hour_end <= e + 1e-6)
    weeks = scenario.horizon_days / 7
    used = rec["responders"]["visit_minutes"] / 60
    assert np.all(used <= units.visit_hours * (weeks + 1) + 1e-9)


def test_busier_coordinators_answer_emergencies_later():
    """The contention is real: more visiting hours for coordinators, slower emergency response."""
    base = small_config(replications=1, horizon_days=200)
    rng_calls = dict(fall_rate=0.2, illness_rate=0.3)           # enough calls to see it
    base = replace(base, services=replace(base.services, emergency=replace(
        base.services.emergency, **rng_calls,
        responders=[r for r in base.services.emergency.responders if r.name == "ambulance"])))
    results = []
    for hours in (0.0, 40.0):
        scenario = build_scenario(_with_coordinators(base, hours=hours))
        calls = [run_replication(scenario, r)["emergency"] for r in range(3)]
        resp = np.concatenate([c["response_min"] for c in calls])
        results.append(np.nanmean(resp))
    assert results[1] > results[0] + 0.5, results
