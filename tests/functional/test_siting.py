"""Siting: the coverage models' proposals become a runnable network (policy=[stations]) that the
simulator runs beside today's; the stations policy puts posts and canteens where it is told."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.config import ConfigError
from sim.experiment.app import compose
from sim.experiment.scenario import build_scenario
from sim.experiment.siting import county_of, problem, propose, simulate, siting_table
from sim.siting import main

SMALL = ["county.name=small", "county.townships=8", "county.villages=16", "county.area_km2=600.0",
         "county.service_points=4", "county.canteens=2", "run.replications=2", "run.horizon_days=30",
         "run.workers=1", "run.save_events=none", "report=none"]


@pytest.fixture(scope="module")
def proposals():
    cfg = compose(SMALL)
    return cfg, propose(cfg, county_of(cfg, SMALL), posts=1, canteens=1)


def test_the_models_add_sites_where_none_stands_and_promise_more(proposals):
    cfg, found = proposals
    by = {p.name: p for p in found}
    assert found[0].name == "today" and {"emergency_mclp", "meals_mclp"} <= set(by)
    county = county_of(cfg, SMALL)
    ids = county.villages.village_id.astype(str)
    for service in ("emergency", "meals"):
        _, _, _, standing = problem(county, cfg, service)
        p = by[f"{service}_mclp"]
        assert len(p.villages) == 1 and not standing[list(ids).index(p.villages[0])]
        assert p.promised[service] >= by["today"].promised[service]
        assert p.sites_total == standing.sum() + 1
        if f"{service}_lscp" in by:
            assert by[f"{service}_lscp"].promised[service] == pytest.approx(1.0)


def test_a_proposal_is_a_runnable_network_with_its_crews_at_the_proposed_village(proposals):
    cfg, found = proposals
    p = next(q for q in found if q.name == "emergency_mclp")
    scenario = build_scenario(compose([*SMALL, *p.overrides]))
    r = scenario.responders
    crews = r.kind == r.names.index("post_ambulance")
    village = list(scenario.county.villages.village_id.astype(str)).index(p.villages[0])
    assert crews.sum() == 1 and r.base[crews].tolist() == [village] and r.can_transport[crews].all()
    canteen = next(q for q in found if q.name == "meals_mclp")
    f = build_scenario(compose([*SMALL, *canteen.overrides])).plan.county.facilities
    before = build_scenario(cfg).plan.county.facilities
    assert len(f.of_kind("canteen")) == len(before.of_kind("canteen")) + 1


def test_the_simulator_checks_every_network_against_today(proposals, tmp_path):
    cfg, found = proposals
    chosen = [q for q in found if q.name in ("today", "emergency_mclp")]
    results = simulate(SMALL, chosen, tmp_path, progress=lambda m: None)
    table = siting_table(chosen, results)
    head = table[table["headline"]]
    assert set(head["network"]) == {"today", "emergency_mclp"}
    today = head[head["network"] == "today"]
    assert (today["diff_vs_today"] == 0).all()            # paired with itself
    row = head[(head["network"] == "emergency_mclp") & (head["service"] == "emergency")].iloc[0]
    assert row["ci_low"] <= row["mean"] <= row["ci_high"] and 0 <= row["mean"] <= 1
    assert row["promised_share"] >= row["promised_share_net"]
    assert (tmp_path / "networks" / "emergency_mclp" / "config.yaml").is_file()


def test_the_stations_policy_names_villages_by_id_or_name_and_refuses_unknown_ones():
    posts = "policy.stations.ambulance_posts=[V03,Village 7]"
    s = build_scenario(compose([*SMALL, "policy=[stations]", posts]))
    posts = s.plan.county.facilities.of_kind("ems_post")
    assert s.plan.county.facilities.village[posts].tolist() == [2, 6]
    assert len(s.plan.facility_open_day) == len(s.plan.county.facilities)
    with pytest.raises(ConfigError, match="V99"):
        build_scenario(compose([*SMALL, "policy=[stations]", "policy.stations.ambulance_posts=[V99]"]))
    # a canteen already standing is not built twice
    today = build_scenario(compose(SMALL))
    base = today.plan.county.facilities
    ids = today.county.villages.village_id[base.village[base.of_kind("canteen")]].astype(str).tolist()
    again = build_scenario(compose([*SMALL, "policy=[stations]", f"policy.stations.canteens=[{ids[0]}]"]))
    assert np.array_equal(again.plan.county.facilities.of_kind("canteen"), base.of_kind("canteen"))


def test_the_command_proposes_and_refuses_bad_input(capsys):
    assert main([*SMALL, "--propose-only", "--posts", "1", "--canteens", "1"]) == 0
    assert "emergency_mclp" in capsys.readouterr().out
    assert main([*SMALL, "--posts", "-1"]) == 2
    assert main([*SMALL, "county.villages=-3", "--propose-only"]) == 2
    assert "error:" in capsys.readouterr().err


PRESETS = sorted(p.stem for p in (Path(__file__).parents[2] / "sim" / "configs" / "county").glob("*.yaml"))


@pytest.mark.slow   # every preset's county and its coverage problems: ~1 min on a busy machine
@pytest.mark.parametrize("county", PRESETS)
def test_every_preset_gets_proposals_that_build(county):
    o = [f"county={county}", "run.replications=2", "run.horizon_days=30"]
    cfg = compose(o)
    found = propose(cfg, county_of(cfg, o), posts=1, canteens=1)
    assert {"today", "emergency_mclp", "meals_mclp"} <= {p.name for p in found}
    for p in found[1:]:
        assert p.promised[p.service] >= found[0].promised[p.service]
    p = next(q for q in found if q.name == "emergency_mclp")
    s = build_scenario(compose([*o, *p.overrides]))
    assert (s.responders.kind == s.responders.names.index("post_ambulance")).sum() == 1
