"""Every config composes and validates; validation names field, value and what is allowed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sim.config import (
    ConfigError,
    CountyConfig,
    NursingHomeSpec,
    PopulationConfig,
    RunConfig,
    SimConfig,
    validate,
)
from sim.config.policies import EmergencyPolicy
from sim.config.schema import PolicyConfig
from sim.config.services import ServicesConfig
from sim.experiment.app import compose, config_dir

PRESETS = sorted(p.stem for p in (config_dir() / "county").glob("*.yaml"))


def _problems(cfg: SimConfig) -> list[str]:
    with pytest.raises(ConfigError) as err:
        validate(cfg)
    return [p.where for p in err.value.problems]


def test_presets_exist():
    assert {"plain", "hill", "qinshui"} <= set(PRESETS)


@pytest.mark.parametrize("county", PRESETS)
@pytest.mark.parametrize("run", sorted(p.stem for p in (config_dir() / "run").glob("*.yaml")))
def test_every_config_composes_and_validates(county: str, run: str):
    cfg = compose([f"county={county}", f"run={run}"])
    assert validate(cfg) is cfg
    assert cfg.county.name == county


def test_yaml_defaults_equal_schema_defaults():
    """The documented YAML values and the dataclass defaults must not drift apart."""
    cfg = compose([])
    assert cfg.population == PopulationConfig()
    assert cfg.run == RunConfig()
    assert cfg.services == ServicesConfig()
    assert cfg.policy == PolicyConfig()
    assert cfg.county.name == "hill"
    policy = compose(["policy=emergency_15min"]).policy
    assert policy.emergency == EmergencyPolicy(enabled=True)


def test_qinshui_preset_matches_the_plan():
    c = compose(["county=qinshui"]).county
    assert len(c.nursing_homes) == 8          # policy-docs/002: 8 nursing homes
    assert c.service_points == 110            # 110 village day-care centres
    assert min(h.beds for h in c.nursing_homes) <= 20


def test_all_problems_reported_at_once():
    cfg = SimConfig()
    bad = replace(cfg, run=replace(cfg.run, replications=-1, horizon_days=5),
                  population=replace(cfg.population, male_share=1.5))
    where = _problems(bad)
    assert {"run.replications", "run.horizon_days", "population.male_share"} <= set(where)


def test_message_names_field_value_and_allowed():
    cfg = SimConfig()
    with pytest.raises(ConfigError) as err:
        validate(replace(cfg, population=replace(cfg.population, device_share=-0.1)))
    assert "population.device_share = -0.1: must lie in [0, 1]" in str(err.value)


def test_type_errors_are_reported():
    cfg = SimConfig()
    where = _problems(replace(cfg, run=replace(cfg.run, replications="ten")))
    assert where == ["run.replications"]


@pytest.mark.parametrize("change,field", [
    (dict(terrain_plain=0.5), "county.terrain_plain+terrain_hill+terrain_mountain"),
    (dict(canteens=50, service_points=10), "county.canteens"),
    (dict(townships=10, villages=5), "county.villages"),
    (dict(nursing_homes=[NursingHomeSpec(beds=10, nursing_beds=11)]), "county.nursing_homes[0].nursing_beds"),
    (dict(nursing_homes=[NursingHomeSpec(kind="county_home", beds=10, nursing_beds=5)]),
     "county.nursing_homes[0].nursing_beds"),
    (dict(nursing_homes=[NursingHomeSpec(township=99, beds=1)]), "county.nursing_homes[0].township"),
    (dict(nursing_homes=[NursingHomeSpec(kind="palace")]), "county.nursing_homes[0].kind"),
])
def test_county_cross_checks(change: dict, field: str):
    cfg = replace(SimConfig(), county=replace(CountyConfig(), **change))
    assert field in _problems(cfg)


@pytest.mark.parametrize("change,field", [
    (dict(mortality_ages=[60, 70, 65, 75, 80, 85, 90, 95]), "population.mortality_ages"),
    (dict(mortality_q=[0.01, 0.02]), "population.mortality_q"),
    (dict(adl_p_to_f=[0.8, 0.05, 0.07, 0.09]), "population.adl_p_to_f[0]"),
    (dict(living_solitary=0.6, living_empty_nest=0.6),
     "population.living_solitary+living_empty_nest+living_left_behind"),
    (dict(mortality_scale=5.0), "population.mortality_q[7]"),
    (dict(adl_ages=[65, 70, 80, 90]), "population.adl_ages[0]"),
])
def test_population_cross_checks(change: dict, field: str):
    cfg = replace(SimConfig(), population=replace(PopulationConfig(), **change))
    assert field in _problems(cfg)


def test_missing_source_directory_is_a_data_error(tmp_path: Path):
    from sim.config import DataError
    from sim.experiment.scenario import build_scenario

    cfg = replace(SimConfig(), county=replace(CountyConfig(), source=str(tmp_path / "nope")))
    with pytest.raises(DataError, match="not found"):
        build_scenario(cfg)


@pytest.mark.parametrize("experiment", sorted(p.stem for p in (config_dir() / "experiment").glob("*.yaml")))
def test_every_experiment_composes_and_validates(experiment: str):
    cfg = compose([f"+experiment={experiment}"])
    assert validate(cfg) is cfg
    assert cfg.report.compare == [] and not cfg.report.briefing
