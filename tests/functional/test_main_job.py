"""The README's main job end to end, small: today's network first, the compared policies beside
it, and the briefing with its chart files written by a second process (run.workers=2)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow   # ~15-20 s: three scenarios and a whole briefing
def test_main_job_runs_baseline_once_then_the_compared_policies_and_briefs(tmp_path: Path):
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "county=plain", "run=quick", "run.horizon_days=92",
                           "run.replications=2", "run.workers=2", f"hydra.run.dir={out}"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    stdout = proc.stdout
    # the main scenario is baseline: it is not composed and run a second time beside itself
    assert "方案 1/3：现状（baseline）" in stdout and "方案 2/3：15分钟应急响应" in stdout
    assert "方案 3/3：敬老院撤并" in stdout and "方案 4/" not in stdout
    assert not (out / "scenarios" / "baseline").exists()
    for policy in ("emergency_15min", "consolidation"):
        assert (out / "scenarios" / policy / "runs.parquet").is_file()
    brief = out / "briefing"
    html = (brief / "briefing.html").read_text(encoding="utf-8")
    assert (brief / "briefing.pdf").read_bytes()[:5] == b"%PDF-"
    charts = sorted(p.stem for p in brief.glob("*.png"))
    assert len(charts) >= 5
    assert charts == sorted(p.stem for p in brief.glob("*.pdf") if p.stem != "briefing")
    assert set(re.findall(r'<figure id="([^"]+)"', html)) == set(charts)   # every chart on the page
