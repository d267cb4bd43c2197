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
