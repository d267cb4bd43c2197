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
from sim.config.schema import PolicyConfig
from sim.config.services import ServicesConfig
from sim.experiment.app import compose, config_dir

PRESETS = sorted(p.stem for p in (config_dir() / "county").glob("*.yaml"))
# the policy file holding each policy section's defaults (sim/config/policies.py)
POLICY_FILES = {"emergency_15min": "emergency", "consolidation": "consolidation", "canteens": "canteens",
                "time_bank": "time_bank", "adaptation": "adaptation", "operating": "operating"}


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
    """A dataclass built with no arguments equals what Hydra composes from the YAML files; a
    policy section built with ``enabled=True`` equals its policy file."""
    cfg = compose([])
    assert cfg.population == PopulationConfig()
    assert cfg.run == RunConfig()
    assert cfg.services == ServicesConfig()
    assert cfg.policy == PolicyConfig()
    assert cfg.policy.label() == "baseline"
    assert cfg.county.name == "hill"
    for name, section in POLICY_FILES.items():
        policy = compose([f"policy={name}"]).policy
        cls = type(getattr(PolicyConfig(), section))
        assert getattr(policy, section) == cls(enabled=True), name
        assert replace(policy, **{section: cls()}) == PolicyConfig(), name


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
    from omegaconf import OmegaConf

    cfg = compose([f"+experiment={experiment}"])
    assert validate(cfg) is cfg
    raw = OmegaConf.load(config_dir() / "experiment" / f"{experiment}.yaml")
    if OmegaConf.select(raw, "hydra.mode") == "MULTIRUN":   # a sweep: each job runs only its own scenario
        assert cfg.report.compare == [] and not cfg.report.briefing


def _numeric_fields(schema: type, prefix: str = ""):
    """(path, metadata) of every numeric field reachable from ``schema``."""
    import dataclasses
    import typing

    hints = typing.get_type_hints(schema)
    for f in dataclasses.fields(schema):
        tp = hints[f.name]
        args = [a for a in typing.get_args(tp) if a is not type(None)] or [tp]
        inner = args[0]
        if typing.get_origin(inner) is list:
            inner = typing.get_args(inner)[0]
        if dataclasses.is_dataclass(inner):
            yield from _numeric_fields(inner, f"{prefix}{f.name}.")
        elif inner in (int, float) or f.name == "replications":
            yield f"{prefix}{f.name}", dict(f.metadata)


def test_every_numeric_field_has_a_finite_range():
    import math

    fields = list(_numeric_fields(SimConfig))
    assert len(fields) > 150
    unbounded = [p for p, meta in fields if "range" not in meta or not all(map(math.isfinite, meta["range"]))]
    assert unbounded == []


@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
def test_non_finite_values_are_rejected_even_where_the_range_allows_them(value: str):
    cfg = compose([f"services.emergency.illness_rate={value}", f"population.mortality_mult_full={value}"])
    where = _problems(cfg)
    assert {"services.emergency.illness_rate", "population.mortality_mult_full"} <= set(where)


def test_list_elements_are_overridden_and_then_validated():
    cfg = compose(["services.helpers.0.shift_start_hour=8", "county=qinshui",
                   "county.nursing_homes.1.beds=-5",
                   "policy=consolidation", "policy.consolidation.stages.0.day=500"])
    assert cfg.services.helpers[0].shift_start_hour == 8.0
    assert cfg.policy.consolidation.stages[0].day == 500.0
    assert _problems(cfg) == ["county.nursing_homes[1].beds"]


def test_unknown_fields_name_themselves():
    with pytest.raises(ConfigError, match="run.foo"):
        compose(["+run.foo=1"])


def test_defaults_are_valid_with_every_policy():
    for policy in ("baseline", "canteens", "consolidation", "emergency_15min", "time_bank"):
        validate(compose([f"policy={policy}"]))


def test_config_warnings_name_stages_past_the_horizon():
    from sim.config.validate import config_warnings

    cfg = compose(["policy=consolidation", "run.horizon_days=365"])
    lines = config_warnings(cfg)
    assert any("policy.consolidation.stages[1].date = 2020-12-31 (day 730)" in ln and "never happens" in ln
               for ln in lines)
    assert not any("stages[0]" in ln for ln in lines)
    assert config_warnings(compose([])) == []


def test_county_warnings(tmp_path: Path):
    import pandas as pd

    from sim.world import generate_county, load_county, write_county
    from sim.world.checks import county_warnings

    county = generate_county(compose(["county=plain"]).county)
    assert county_warnings(county) == []
    d = write_county(county, tmp_path / "c")
    villages = pd.read_csv(d / "villages.csv", dtype=str, keep_default_na=False)
    facilities = pd.read_csv(d / "facilities.csv", dtype=str, keep_default_na=False)
    for band in ("elders_60_69", "elders_70_79", "elders_80_plus"):
        villages.loc[[0, 1], band] = "0"
    lonely = villages.loc[villages["village_id"] != villages.loc[0, "village_id"], "township"].iloc[-1]
    villages.loc[villages["township"] == lonely, "township"] = "New township"
    hosted = set(villages.loc[villages["township"] == "New township", "village_id"])
    facilities = facilities[(facilities["kind"] != "ems_station") & ~facilities["village_id"].isin(hosted)]
    villages.to_csv(d / "villages.csv", index=False)
    facilities.to_csv(d / "facilities.csv", index=False)
    lines = county_warnings(load_county(d, travel=compose(["county=plain"]).county.travel))
    assert any(ln.startswith("2 villages have no elders") for ln in lines)
    assert any("no 120 station" in ln for ln in lines)
    assert any("township New township has no facility" in ln for ln in lines)
    assert len(lines) == 3


# the schema's generic county differs from the hill preset on purpose (see CountyConfig)
ON_PURPOSE = {"CountyConfig": ["seed", "nursing_homes"]}


@pytest.mark.parametrize("schema,path", [(PopulationConfig, "population/default.yaml"),
                                         (RunConfig, "run/default.yaml"),
                                         (CountyConfig, "county/hill.yaml")])
def test_defaults_are_written_once(schema, path):
    """Population, run and county defaults live only in YAML, beside their CALIBRATION citations."""
    import dataclasses

    from sim.config.defaults import written_twice
    from sim.config.schema import TravelConfig

    kept = ON_PURPOSE.get(schema.__name__, [])
    assert written_twice(schema, path) == kept
    assert all(f.metadata.get("from_yaml") == path for f in dataclasses.fields(schema) if f.name not in kept)
    assert written_twice(TravelConfig, "county/hill.yaml", "travel") == []
    lines = (config_dir() / path).read_text(encoding="utf-8").splitlines()
    values = [ln for ln in lines if ln[:1].isalpha()]
    assert len(values) == len(dataclasses.fields(schema))
    for i, line in enumerate(lines):   # each value has its source on its line or above its block
        if line[:1].isalpha() and "#" not in line:
            above = i - 1
            while lines[above][:1].isalpha():
                above -= 1
            assert lines[above].startswith("#"), line


def _schema_tree(cls: type, key: str | None):
    """``cls`` and every dataclass below it, each with the dotted key of its YAML mapping."""
    import dataclasses
    import typing

    yield cls, key
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp) and any(g.metadata.get("from_yaml") for g in dataclasses.fields(tp)):
            yield from _schema_tree(tp, f"{key}.{f.name}" if key else f.name)


@pytest.mark.parametrize("name", ["services", *POLICY_FILES])
def test_service_and_policy_defaults_are_written_once(name: str):
    """Services' and policies' defaults live only in their YAML files (the code writes none but
    ``enabled: false``, so that PolicyConfig() is the baseline)."""
    import dataclasses

    from sim.config.defaults import written_twice

    if name == "services":
        path, top, key = "services/default.yaml", ServicesConfig, None
    else:
        path, key = f"policy/{name}.yaml", POLICY_FILES[name]
        top = type(getattr(PolicyConfig(), key))
    classes = list(_schema_tree(top, key))
    assert len(classes) == (10 if name == "services" else 1)
    for cls, sub in classes:
        kept = [] if cls is ServicesConfig or name == "services" else ["enabled"]
        assert written_twice(cls, path, sub) == kept, cls.__name__
        assert all(f.metadata.get("from_yaml") == path
                   for f in dataclasses.fields(cls) if f.name not in kept), cls.__name__


def test_a_yaml_default_missing_or_unknown_fails_at_import(tmp_path: Path):
    from dataclasses import dataclass

    from sim.config.defaults import YAML, from_yaml

    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(TypeError, match="lacks it"):
        @dataclass(frozen=True)
        @from_yaml(str(tmp_path / "a.yaml"))
        class Missing:
            x: int = YAML
            y: int = YAML
    with pytest.raises(TypeError, match="not fields"):
        @dataclass(frozen=True)
        @from_yaml(str(tmp_path / "a.yaml"))
        class Unknown:
            y: int = YAML

    @dataclass(frozen=True)
    @from_yaml(str(tmp_path / "a.yaml"))
    class Fine:
        x: float = YAML

    assert Fine().x == 1.0 and isinstance(Fine().x, float)


def test_command_line_composes_every_job_of_a_sweep():
    from sim.experiment.app import read_command_line

    line = read_command_line(["-m", "county=plain", "run.seed=1,2", "report=none"])
    assert line.multirun and sorted(cfg.run.seed for _, cfg in line.jobs) == [1, 2]
    assert read_command_line(["--help"]) is None


def test_command_line_quotes_chinese_text_and_reads_own_config_dirs(tmp_path: Path):
    import shutil

    from sim.experiment.app import read_command_line

    (tmp_path / "county").mkdir()
    shutil.copy(config_dir() / "county" / "plain.yaml", tmp_path / "county" / "stone.yaml")
    line = read_command_line(["--config-dir", str(tmp_path), "county=stone", "county.name_zh=石门县"])
    assert line.argv[-1] == "county.name_zh='石门县'"
    assert line.jobs[0][1].county.name_zh == "石门县"
    with pytest.raises(ConfigError, match="--config-dir"):
        read_command_line(["--config-dir", str(tmp_path / "nope")])


def test_the_schema_hydra_composes_into_pickles():
    """The joblib launcher sends composed configs to worker processes."""
    import pickle

    from omegaconf import OmegaConf

    from sim.config.store import mirror, to_config

    node = OmegaConf.structured(mirror(SimConfig))
    node.services.helpers[0].shift_start_hour = 9.0    # list elements are not read-only
    back = pickle.loads(pickle.dumps(node))
    assert to_config(back).services.helpers[0].shift_start_hour == 9.0
    assert to_config(back).population == PopulationConfig()
