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
