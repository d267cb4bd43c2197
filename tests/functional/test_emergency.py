"""Emergency behaviour at scenario level: more responders help, devices are used, townships differ."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import sim
from sim.experiment import execute
from sim.experiment.compare import compare
from tests.conftest import small_config


def _with_policy(cfg, **changes):
    em = replace(cfg.policy.emergency, enabled=True, **changes)
    return replace(cfg, policy=replace(cfg.policy, emergency=em))


def test_coordinators_shorten_response_paired():
    base = small_config(replications=4)
    res_a = execute(base)
    res_b = execute(_with_policy(base, device_solitary=0.0, device_empty_nest=0.0))
    a, b = res_a.runs, res_b.runs
    assert (b["emergency_within_target_share"] >= a["emergency_within_target_share"]).all()
    assert b["emergency_response_p50_min"].mean() < a["emergency_response_p50_min"].mean()
    assert (b["emergency_calls"] == a["emergency_calls"]).all()          # same emergencies (CRN)
    assert "responder_busy_share_coordinator" in b.columns


def test_devices_raise_device_use_and_cut_detection():
    base = small_config(replications=3)
    without = execute(base).runs
    with_devices = execute(_with_policy(base, coordinator_per_village=False)).runs
    assert (with_devices["emergency_device_used_share"] > without["emergency_device_used_share"]).all()
    assert (with_devices["emergency_help_p50_min"] < without["emergency_help_p50_min"]).all()
    assert (with_devices["emergency_false_alarms"] > without["emergency_false_alarms"]).all()


def test_more_ambulances_reduce_queueing_under_load():
    cfg = small_config(replications=3)
    busy = replace(cfg, services=replace(
        cfg.services, emergency=replace(cfg.services.emergency, fall_rate=1.0, illness_rate=1.5),
        helpers=[h for h in cfg.services.helpers if h.name == "ambulance"]))
    few = execute(busy).runs
    more = execute(_with_policy(busy, coordinator_per_village=False, device_solitary=0.0,
                                device_empty_nest=0.0, extra_ambulances=4)).runs
    assert few["emergency_queued_share"].mean() > 0.05
    assert (more["emergency_queued_share"] < few["emergency_queued_share"]).all()
    assert (more["emergency_response_p90_min"] < few["emergency_response_p90_min"]).all()


def test_township_breakdown_covers_every_township_and_call():
    res = execute(small_config(replications=2))
    t = res.events("emergency_township")
    assert len(t) == 2 * res.config.county.townships
    totals = t.groupby("replication")["calls"].sum().to_numpy()
    assert np.array_equal(totals, res.runs["emergency_calls"].to_numpy())
    assert t["within_target_share"].between(0, 1).all()


@pytest.mark.parametrize("county", ["plain", "qinshui", "ankang"])
def test_policy_runs_on_every_preset_and_compares(county: str):
    half = "run.horizon_days=182"   # half a year: hundreds of calls a county, paired (common random numbers)
    base = sim.run([f"county={county}", "run=quick", half])
    pol = sim.run([f"county={county}", "run=quick", half, "policy=emergency_15min"])
    assert pol.manifest["scenario"]["policy"] == "emergency"
    base.path, pol.path = "a", "b"
    table = compare([base, pol])
    row = table[(table["kpi"] == "emergency_within_target_share") & (table["path"] == "b")].iloc[0]
    assert row["diff_ci_low"] <= row["diff"] <= row["diff_ci_high"]
    assert row["diff"] > 0
