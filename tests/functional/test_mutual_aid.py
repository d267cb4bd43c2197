"""Time-bank hours for 助餐 and 助急 (policy-docs/001 二(二)4): given on call, credited in the ledger.

The same seed with and without the two tasks: the meal wishes and the calls are the same, so every
lunch a member carried is one the paid service left unmet, and every hour given is deposited.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.experiment.kpis import kpi_columns
from sim.experiment.replication import run_replication
from sim.experiment.scenario import build_scenario
from sim.model.meals import MEAL_OUTCOMES
from tests.conftest import small_config


def _bank(tasks, **rules):
    cfg = small_config(horizon_days=365, replications=1)
    tb = replace(cfg.policy.time_bank, enabled=True, tasks=tasks, join_share=0.2, **rules)
    return replace(cfg, policy=replace(cfg.policy, time_bank=tb))


@pytest.fixture(scope="module")
def pair():
    runs = []
    for tasks in (["visits", "homecare"], ["visits", "homecare", "meals", "emergencies"]):
        scenario = build_scenario(_bank(tasks))
        runs.append((scenario, run_replication(scenario, 0)))
    return runs


def test_every_hour_given_on_call_is_deposited(pair):
    scenario, rec = pair[1]
    aid = rec["timebank_aid"]
    assert aid["first_contacts"].sum() > 0 and aid["lunches"].sum() > 0
    units = scenario.responders
    volunteer = units.kind == units.names.index("timebank_volunteer")
    r = rec["responders"]
    worked = (r["visit_minutes"] + r["homecare_minutes"])[volunteer[r["unit"]]].sum() / 60
    given = aid["lunch_hours"].sum() + aid["first_contact_hours"].sum()
    m = rec["timebank_monthly"]
    assert np.isclose(m["deposited"].sum() + m["carried"][-1], worked + given)
    a = rec["timebank_accounts"]                                    # and every account still balances
    gap = a["deposited"] - (a["withdrawn"] + a["exchanged"] + a["forfeited"] + a["balance"])
    assert np.abs(gap).max() < 1e-9
    assert np.isclose(a["exchanged"].sum(), 0.2 * a["deposited"].sum(), rtol=0.05)   # 积分兑换 of every hour
    # on call within the village's aid hours: 2 h a month per active member
    tb = scenario.config.policy.time_bank
    given = aid["lunch_hours"] + aid["first_contact_hours"]
    assert (given <= 60 * tb.aid_hours_per_active_month + 1e-9).all()


def test_lunches_carried_are_the_unmet_ones_and_meals_are_conserved(pair):
    (_, without), (_, with_) = pair
    a, b = without["meals"], with_["meals"]
    np.testing.assert_array_equal(a["demanded"], b["demanded"])   # the same wishes
    for rec in (a, b):                                             # every wish ends in one outcome
        np.testing.assert_array_equal(rec["demanded"], sum(rec[o] for o in MEAL_OUTCOMES))
    carried = with_["timebank_aid"]["lunches"].sum()
    assert carried > 0
    assert b["delivered"].sum() - a["delivered"].sum() == carried
    unmet = lambda m: (m["full"] + m["no_service"]).sum()  # noqa: E731
    assert unmet(a) - unmet(b) == carried
    assert (b["dine_in"] == a["dine_in"]).all() and (b["closed"] == a["closed"]).all()


def test_first_contacts_come_in_shift_and_shorten_the_wait_for_someone(pair):
    (scenario0, without), (scenario, with_) = pair
    for col in without["emergency"].dtype.names:                              # the dispatcher is unchanged
        np.testing.assert_array_equal(without["emergency"][col], with_["emergency"][col])
    first = with_["timebank_first_contacts"]
    assert len(first) == with_["timebank_aid"]["first_contacts"].sum()
    hour = (first["call_day"] % 1.0) * 24
    v = scenario.config.policy.time_bank.volunteer
    assert ((hour >= v.shift_start_hour) & (hour < v.shift_end_hour)).all()
    k = kpi_columns(scenario, [with_])
    assert k["emergency_first_contact_within_target_share"][0] >= k["emergency_within_target_share"][0]
    assert k["timebank_first_contacts"][0] == len(first)
    assert "timebank_aid_lunches" not in kpi_columns(scenario0, [without])
