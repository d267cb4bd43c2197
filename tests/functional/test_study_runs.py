"""The smallest study runs end to end with its one command (fewer replications) and its summary
holds the figures its README quotes: scenarios beside baseline, cost per lunch with an interval."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_xianyang_canteens_study_end_to_end(tmp_path: Path):
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "sim", "+experiment=xianyang_canteens",
                           "run.replications=2", "run.horizon_days=90", "report.briefing=false",
                           f"hydra.run.dir={out}"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "study summary:" in proc.stdout
    table = pd.read_csv(out / "study" / "xianyang_canteens.csv")
    assert set(table["scenario"]) == {"baseline", "canteens_xianyang", "canteens"}
    cost = table[table["measure"].str.startswith("public yuan per lunch")].set_index("scenario")
    assert set(cost.index) == {"canteens_xianyang", "canteens"}
    assert np.isfinite(cost["mean"]).all() and (cost["mean"] > 0).all()
    assert (cost["ci_low"] <= cost["mean"]).all() and (cost["mean"] <= cost["ci_high"]).all()
    opened = table[(table["measure"] == "canteens_open_end") & (table["scenario"] == "canteens_xianyang")]
    assert opened["mean"].iloc[0] == 47                      # policy-docs/000: 47 canteens
    assert (out / "study" / "xianyang_canteens.md").read_text(encoding="utf-8").startswith("# Canteens")
    # the summary runs again on the finished directory and gives the same table
    again = subprocess.run([sys.executable, "-m", "sim.experiment.studies", "xianyang_canteens", str(out),
                            "--main", "canteens_xianyang"], env=env, capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr
    pd.testing.assert_frame_equal(pd.read_csv(out / "study" / "xianyang_canteens.csv"), table)


POLICIES = sorted(p.stem for p in (REPO / "sim" / "configs" / "policy").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("policy", POLICIES)
def test_ankang_preset_runs_every_policy_from_the_api(policy: str):
    import sim

    res = sim.run(["county=ankang", f"policy=[{policy}]", "run=quick", "run.horizon_days=62",
                   "run.save_events=none"], replications=1, workers=1)
    assert res.config.county.name == "ankang" and len(res.runs) == 1
    assert res.runs["elders_start"].iloc[0] > 20_000


@pytest.mark.slow
def test_ankang_preset_runs_from_the_cli(tmp_path: Path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "sim", "county=ankang", "policy=[ankang_package]",
                           "run=quick",
                           "run.replications=1", "run.horizon_days=62", "run.save_events=none", "report=none",
                           f"hydra.run.dir={tmp_path / 'r'}"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "r" / "summary.csv").exists()
