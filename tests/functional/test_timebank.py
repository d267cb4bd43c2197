"""The time bank: the ledger balances, volunteers only add, zero participation is the baseline."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.config.errors import ConfigError
from sim.config.validate import validate
from sim.experiment.execute import execute
from sim.experiment.replication import run_replication
from sim.experiment.scenario import build_scenario
from sim.model.helpers import HOMECARE, TIMEBANK_CARE, VISITS
from sim.model.visits import LATE, ON_TIME
from tests.conftest import small_config

HORIZON = 730


def _bank(cfg=None, **rules):
    cfg = cfg or small_config(horizon_days=HORIZON, replications=2)
    tb = replace(cfg.policy.time_bank, enabled=True, **rules)
    return replace(cfg, policy=replace(cfg.policy, time_bank=tb))


@pytest.fixture(scope="module")
def busy_bank():
    """Many members, withdrawals from the start, forfeits at death and a lapse: every ledger column moves."""
    cfg = _bank(join_share=0.3, younger_per_village=6.0, min_balance_hours=2.0, death_rule="forfeit",
                dropout_rule="refund_goods", dropout_per_year=0.3, withdraw_hours_per_month=[0.0, 4.0, 8.0])
    scenario = build_scenario(cfg)
    return scenario, [run_replication(scenario, r) for r in range(2)]


def test_ledger_balances_for_every_account_and_in_total(busy_bank):
    _, recs = busy_bank
    for rec in recs:
        a = rec["timebank_accounts"]
        assert len(a) > 100
        gap = a["deposited"] - (a["withdrawn"] + a["exchanged"] + a["forfeited"] + a["balance"])
        assert np.abs(gap).max() < 1e-9
        assert a["balance"].min() > -1e-9
        for col in ("deposited", "withdrawn", "exchanged", "forfeited"):
            assert a[col].sum() > 0, col
        m = rec["timebank_monthly"]
        assert np.isclose(m["deposited"].sum(), a["deposited"].sum())
        assert np.isclose(m["withdrawn"].sum(), a["withdrawn"].sum())
        assert np.isclose(m["exchanged"].sum(), a["exchanged"].sum())
        assert np.isclose(m["forfeited"].sum(), a["forfeited"].sum())
        assert np.isclose(m["balance"][-1], a["balance"].sum())


def test_deposits_are_the_volunteers_hours(busy_bank):
    scenario, recs = busy_bank
    units = scenario.responders
    volunteer = units.kind == units.names.index("timebank_volunteer")
    for rec in recs:
        r = rec["responders"]
        worked = (r["visit_minutes"] + r["homecare_minutes"])[volunteer[r["unit"]]].sum() / 60
        m = rec["timebank_monthly"]
        assert np.isclose(m["deposited"].sum() + m["carried"][-1], worked)
        jobs = rec["helper_jobs"]
        care = jobs[(jobs["task"] == TIMEBANK_CARE)]
        assert np.all(volunteer[care["helper"]])
        assert np.isclose(care["work_min"].sum() / 60, m["delivered"].sum())


def test_without_withdrawals_the_liability_is_deposits_minus_exchanges():
    cfg = _bank(withdraw_hours_per_month=[0.0, 0.0, 0.0], death_rule="keep", dropout_rule="keep",
                join_share=0.2)
    scenario = build_scenario(cfg)
    a = run_replication(scenario, 0)["timebank_accounts"]
    assert a["deposited"].sum() > 0 and a["withdrawn"].sum() == 0 and a["forfeited"].sum() == 0
    assert np.allclose(a["balance"], a["deposited"] - a["exchanged"])
    assert np.allclose(a["exchanged"], 0.2 * a["deposited"])


def test_zero_participation_reproduces_the_baseline_exactly():
    base_cfg = small_config(horizon_days=365, replications=2)
    base = execute(base_cfg)
    bank = execute(_bank(base_cfg, join_share=0.0, join_per_year=0.0, younger_per_village=0.0))
    shared = [c for c in base.runs.columns
              if c in bank.runs.columns and not c.startswith("helper_utilisation")]
    assert len(shared) > 60
    assert base.runs[shared].equals(bank.runs[shared])
    assert bank.runs["timebank_hours_deposited"].eq(0).all()


def test_a_time_bank_never_reduces_helper_hours_or_service():
    cfg = small_config(horizon_days=365, replications=2)
    base, bank = build_scenario(cfg), build_scenario(_bank(cfg, join_share=0.2))
    b, t = base.responders, bank.responders
    n = len(b)
    assert len(t) > n
    for col in ("shift_start", "shift_end", "visit_hours", "homecare_hours", "base", "kind"):
        assert np.array_equal(getattr(b, col), getattr(t, col)[:n]), col
    assert np.array_equal(b.workdays, t.workdays[:n])
    for r in range(2):
        rb, rt = run_replication(base, r), run_replication(bank, r)
        jb, jt = rb["helper_jobs"], rt["helper_jobs"]
        for task in (VISITS, HOMECARE):
            assert (jt["task"] == task).sum() >= (jb["task"] == task).sum(), task
        assert rt["responders"]["shift_minutes"][:n].sum() == rb["responders"]["shift_minutes"].sum()


def test_volunteers_take_no_job_twice(busy_bank):
    _, recs = busy_bank
    for rec in recs:
        v = rec["visits"]
        key = v["month"].astype(np.int64) * 10**7 + v["elder"]
        assert len(np.unique(key)) == len(key)          # one outcome per requirement
        jobs = rec["helper_jobs"]
        made = np.isin(v["outcome"], [ON_TIME, LATE])
        assert (jobs["task"] == VISITS).sum() == made.sum()   # every visit made is one job, none twice


def test_kpis_and_yearly_series_with_intervals():
    res = execute(_bank(join_share=0.2, min_balance_hours=2.0))
    s = res.summary.set_index("kpi")
    for kpi in ("timebank_members", "timebank_hours_deposited", "timebank_hours_withdrawn",
                "timebank_liability_hours", "timebank_withdrawals_honoured_share",
                "timebank_liability_hours_year_1", "timebank_liability_hours_year_2",
                "timebank_honoured_share_year_2", "timebank_visits", "timebank_homecare_hours"):
        assert kpi in s.index, kpi
        assert np.isfinite(s.loc[kpi, "ci_low"]), kpi
    assert s.loc["timebank_liability_hours_year_2", "mean"] == pytest.approx(
        s.loc["timebank_liability_hours", "mean"])
    runs = res.runs
    assert (runs["cost_total_yuan"] >= runs["timebank_goods_cost_yuan"]).all()


@pytest.mark.parametrize("rules, field", [
    (dict(join_age_min=75, join_age_max=70), "policy.time_bank.join_age_max"),
    (dict(withdraw_hours_per_month=[1.0]), "policy.time_bank.withdraw_hours_per_month"),
    (dict(tasks=["visits", "cooking"]), "policy.time_bank.tasks[1]"),   # meals, emergencies are tasks
    (dict(death_rule="vanish"), "policy.time_bank.death_rule"),
])
def test_bad_time_bank_rules_are_named(rules, field):
    with pytest.raises(ConfigError) as err:
        validate(_bank(**rules))
    assert field in str(err.value)


def test_a_lapse_forfeits_every_balance_and_stops_the_scheme():
    cfg = _bank(lapse_per_year=0.9, join_share=0.2)
    scenario = build_scenario(cfg)
    rec = run_replication(scenario, 0)
    m, a = rec["timebank_monthly"], rec["timebank_accounts"]
    lapsed = np.flatnonzero(m["forfeited"] > 0)
    assert len(lapsed)
    after = m[m["month"] > m["month"][lapsed[0]]]
    assert np.all(after["deposited"] == 0) and np.all(after["balance"] == 0) and np.all(after["active"] == 0)
    assert a["balance"].sum() == 0 and a["forfeited"].sum() > 0
