"""The schema's defaults read the YAML files as OmegaConf (and so Hydra) reads them."""

from __future__ import annotations

import pytest
import yaml
from omegaconf import OmegaConf

from sim.config import defaults
from sim.experiment.app import config_dir

FILES = sorted(p.relative_to(config_dir()).as_posix() for p in config_dir().rglob("*.yaml"))


@pytest.mark.parametrize("relpath", FILES)
def test_every_config_file_reads_as_omegaconf_reads_it(relpath: str):
    assert defaults._load(relpath) == OmegaConf.to_container(OmegaConf.load(config_dir() / relpath))


def test_numbers_timestamps_and_duplicate_keys_read_as_omegaconf_reads_them(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("big: 1e9\nwhen: 2019-01-01\nnot_a_float: 1_000\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("x: 1\nx: 2\n", encoding="utf-8")
    monkeypatch.setattr(defaults, "CONFIG_DIR", tmp_path)
    defaults._load.cache_clear()
    try:
        read = defaults._load("a.yaml")
        assert read == OmegaConf.to_container(OmegaConf.load(tmp_path / "a.yaml"))
        assert read["big"] == 1e9 and isinstance(read["big"], float) and read["when"] == "2019-01-01"
        with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key x"):
            defaults._load("b.yaml")
    finally:
        defaults._load.cache_clear()


def test_a_runs_config_reads_back_equal_and_a_wrong_type_is_refused(tmp_path):
    from sim.config.errors import ConfigError
    from sim.experiment.app import compose
    from sim.experiment.store import config_yaml, read_config

    for overrides in (["county=qinshui", "policy=[consolidation,time_bank]"], ["+experiment=sizing_hill"]):
        cfg = compose(overrides)
        (tmp_path / "config.yaml").write_text(config_yaml(cfg), encoding="utf-8")
        assert read_config(tmp_path / "config.yaml") == cfg
    text = (tmp_path / "config.yaml").read_text(encoding="utf-8")
    text = text.replace("horizon_days: ", "horizon_days: soon #", 1)
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="run.horizon_days = 'soon': must be"):
        read_config(tmp_path / "config.yaml")
