"""What the main job prints: each scenario beside the baseline, in words with units and paired
differences, progress on each step; and the baseline is the reference whatever policy= says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sim.report.terminal import side_by_side


def test_side_by_side_in_chinese(plain_runs):
    text = side_by_side([plain_runs["baseline"], plain_runs["canteens"]], "zh")
    assert "== 助餐 与 现状（对照）相比 ==" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("助餐未满足率"))
    assert " % " in line and "[" in line and "]" in line  # unit, means, difference with interval
    assert any(x.strip().startswith("总成本（2年合计）") and "万元" in x for x in text.splitlines())
    assert "meals_unmet_share" not in text  # words, not code names
    assert "时间银行" not in text  # neither scenario ran the time bank


def test_side_by_side_in_english_and_alone(plain_runs):
    text = side_by_side([plain_runs["baseline"], plain_runs["time_bank"]], "en")
    assert "== Time bank beside Baseline (reference) ==" in text
    assert "Time bank: members at end" in text
    alone = side_by_side([plain_runs["baseline"]], "en")
    assert "== Baseline ==" in alone and "Meals unmet" in alone and "[95% interval]" in alone


def test_main_job_compares_against_baseline_whatever_policy_says(tmp_path: Path):
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "county=plain", "run=quick", "run.horizon_days=92",
                           "policy=canteens", "report.briefing=false", "report.compare=[consolidation]",
                           f"hydra.run.dir={out}"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert (out / "runs.parquet").is_file()  # the chosen scenario where it always was
    assert (out / "scenarios" / "baseline" / "runs.parquet").is_file()
    assert (out / "scenarios" / "consolidation" / "runs.parquet").is_file()
    stdout = proc.stdout
    assert "方案 1/3：助餐（canteens）" in stdout and "方案 2/3：现状（baseline）" in stdout
    assert "== 助餐 与 现状（对照）相比 ==" in stdout and "== 敬老院撤并 与 现状（对照）相比 ==" in stdout
    assert "meals_unmet_share" not in stdout
