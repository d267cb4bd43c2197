"""Paired comparison of finished runs, and refusal of runs that are not comparable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiment import execute
from sim.experiment.compare import ComparisonError, compare
from tests.conftest import small_config


def _pair(tmp_path: Path, **run):
    a = execute(small_config(**run), output_dir=tmp_path / "a")
    cfg = small_config(**run)
    from dataclasses import replace
    b_cfg = replace(cfg, policy=replace(cfg.policy, emergency=replace(cfg.policy.emergency, enabled=True)))
    b = execute(b_cfg, output_dir=tmp_path / "b")
    return a, b


def test_paired_difference_equals_mean_of_run_differences(tmp_path: Path):
    a, b = _pair(tmp_path)
    table = compare([a, b])
    row = table[(table.kpi == "emergency_within_target_share") & (table.path == str(b.path))].iloc[0]
    d = b.runs["emergency_within_target_share"] - a.runs["emergency_within_target_share"]
    assert np.isclose(row["diff"], d.mean())
    half = (row["diff_ci_high"] - row["diff_ci_low"]) / 2
    from scipy import stats
    assert np.isclose(half, stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)))


def test_different_seed_or_county_is_refused(tmp_path: Path):
    a = execute(small_config(seed=1), output_dir=tmp_path / "s1")
    b = execute(small_config(seed=2), output_dir=tmp_path / "s2")
    with pytest.raises(ComparisonError, match="run.seed"):
        compare([a, b])


def test_cli_writes_comparison_csv(tmp_path: Path):
    _pair(tmp_path)
    out = tmp_path / "comparison.csv"
    proc = subprocess.run([sys.executable, "-m", "sim.compare", str(tmp_path / "a"), str(tmp_path / "b"),
                           "--out", str(out), "--kpi", "emergency_within_target_share"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_csv(out)
    assert {"kpi", "scenario", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high"} \
        <= set(table.columns)
    assert "emergency_within_target_share" in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "sim.compare", str(tmp_path / "a"), str(tmp_path / "nope")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
