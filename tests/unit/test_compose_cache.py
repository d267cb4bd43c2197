"""Composing the same scenario twice in a process reuses the config, until a config file changes."""

from __future__ import annotations

import os
import shutil

from sim.experiment.app import compose, config_dir


def test_same_overrides_reuse_the_config_and_an_edited_file_composes_afresh(tmp_path, monkeypatch):
    configs = tmp_path / "configs"
    shutil.copytree(config_dir(), configs)
    monkeypatch.setenv("SIM_CONFIG_DIR", str(configs))
    first = compose(["county=plain"])
    assert compose(["county=plain"]) is first
    assert compose(["county=plain", "run.seed=7"]) is not first
    run_file = configs / "run" / "default.yaml"
    text = run_file.read_text(encoding="utf-8")
    assert f"seed: {first.run.seed}" in text
    run_file.write_text(text.replace(f"seed: {first.run.seed}", "seed: 424242", 1), encoding="utf-8")
    stat = run_file.stat()
    os.utime(run_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))   # a later edit
    again = compose(["county=plain"])
    assert again is not first and again.run.seed == 424242


def _parses(monkeypatch) -> list[str]:
    """The files Hydra's file source parses from now on: the class the cache's source extends
    (Hydra's plugin scan may load its module again, as another class of the same name)."""
    from sim.experiment.config_cache import FileConfigSource

    seen: list[str] = []
    parse = FileConfigSource.load_config

    def counted(self, config_path):
        seen.append(config_path)
        return parse(self, config_path)

    monkeypatch.setattr(FileConfigSource, "load_config", counted)
    return seen


def test_each_config_file_is_parsed_once_a_process_and_again_when_edited(tmp_path, monkeypatch):
    """`sim.experiment.config_cache`: a second composition parses only the files the first did not
    read; a file edited in place, even to the same size, is parsed again."""
    configs = tmp_path / "configs"
    shutil.copytree(config_dir(), configs)
    monkeypatch.setenv("SIM_CONFIG_DIR", str(configs))
    seen = _parses(monkeypatch)
    compose(["county=plain"])
    assert "county/plain" in seen and "services/default" in seen
    seen.clear()
    hill = compose(["county=hill"])
    assert seen == ["county/hill"]
    county = configs / "county" / "hill.yaml"
    text = county.read_text(encoding="utf-8")
    assert f"villages: {hill.county.villages} " in text and hill.county.villages != 85
    county.write_text(text.replace(f"villages: {hill.county.villages} ", "villages: 85 ", 1),
                      encoding="utf-8")                                    # the same size
    assert county.stat().st_size == len(text.encode("utf-8"))
    stat = county.stat()
    os.utime(county, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    seen.clear()
    assert compose(["county=hill", "run.seed=3"]).county.villages == 85
    assert seen == ["county/hill"]


def test_the_cache_composes_what_hydras_own_file_source_composes(monkeypatch):
    """The same config, Hydra node included, with the search path left to Hydra's file source."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from sim.experiment import config_cache

    def composed(overrides):
        GlobalHydra.instance().clear()
        with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
            cfg = hydra_compose(config_name="config", overrides=overrides, return_hydra_config=True)
        schemes = {s.schema for s in cfg.hydra.runtime.config_sources}
        out = OmegaConf.to_container(cfg)
        del out["hydra"]["runtime"]["config_sources"]
        return out, schemes

    cases = [["county=ankang"], ["+experiment=ankang_2025_2027"], ["policy=[time_bank,canteens]"]]
    config_cache.register_plugins()
    cached = [composed(c) for c in cases]
    monkeypatch.setattr(config_cache.CachedConfigDirs, "manipulate_search_path", lambda self, sp: None)
    own = [composed(c) for c in cases]
    assert all(c[1] >= {"simfile"} and "simfile" not in o[1] for c, o in zip(cached, own))
    assert [c[0] for c in cached] == [o[0] for o in own]
