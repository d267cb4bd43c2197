"""The command line: files written, user errors reported in one message without a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.world import generate_county, write_county
from tests.conftest import small_config

REQUIRED_KPIS = ("elders_start", "elders_end", "deaths", "new_dependent")


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_run_writes_results_and_load_reads_them(tmp_path: Path):
    out = tmp_path / "run"
    proc = _run("county=plain", "run=quick", "run.replications=4", "run.horizon_days=120", "report=none",
                f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("runs.parquet", "summary.csv", "manifest.json", "config.yaml"):
        assert (out / name).is_file(), name
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs["replication"]) == [0, 1, 2, 3]
    assert set(REQUIRED_KPIS) <= set(runs.columns)
    assert "期初老年人" in proc.stdout  # the main job prints words with units, not code names
    loaded = sim.load(out)
    pd.testing.assert_frame_equal(loaded.runs, runs)
    assert loaded.config.county.name == "plain"
    assert loaded.manifest["replications"] == 4
    assert set(loaded.events("population")["kind"].unique()) <= {"entered", "died", "adl_change",
                                                                 "dementia_onset"}


def test_negative_replications_is_one_readable_error(tmp_path: Path):
    proc = _run("run.replications=-1", f"hydra.run.dir={tmp_path / 'x'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert "run.replications" in proc.stderr and "-1" in proc.stderr and "[1, 100000]" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("override", ["run.replications=abc", "county=nowhere"])
def test_composition_errors_exit_2_without_traceback(tmp_path: Path, override: str):
    proc = _run(override, f"hydra.run.dir={tmp_path / 'x'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout


def test_broken_villages_csv_names_file_row_and_column(tmp_path: Path):
    d = write_county(generate_county(small_config().county), tmp_path / "county")
    villages = pd.read_csv(d / "villages.csv", dtype=str, keep_default_na=False)
    villages.loc[2, "y_km"] = "north"
    villages.to_csv(d / "villages.csv", index=False)
    proc = _run(f"county.source={d}", "run=quick", "report=none", f"hydra.run.dir={tmp_path / 'x'}",
                cwd=tmp_path)
    assert proc.returncode == 2
    assert "villages.csv row 3 (line 4), column y_km" in proc.stderr
    assert "north" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


@pytest.mark.parametrize("override,fragment", [
    ("+run.foo=1", "run.foo"),
    ("services.emergency.illness_rate=inf", "services.emergency.illness_rate"),
    ("report.compare=[nosuchpolicy]", "nosuchpolicy"),
    ("county=nowhere", "no such config in group county"),
])
def test_user_mistakes_exit_2_as_a_process(tmp_path: Path, override: str, fragment: str):
    """The battery runs in-process (tests/unit/test_config_battery.py); these prove the real exit code."""
    proc = _run("county=plain", "run=quick", override, f"hydra.run.dir={tmp_path / 'x'}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert fragment in proc.stderr and proc.stderr.startswith("error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "x").exists()


def test_list_elements_and_chinese_text_from_the_command_line(tmp_path: Path):
    out = tmp_path / "run"
    proc = _run("county=plain", "run=quick", "run.replications=1", "run.horizon_days=30", "report=none",
                "services.helpers.0.shift_start_hour=9", "county.nursing_homes.1.beds=55",
                "county.name_zh=石门县", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    cfg = sim.load(out).config
    assert cfg.services.helpers[0].shift_start_hour == 9.0
    assert cfg.county.nursing_homes[1].beds == 55
    assert cfg.county.name_zh == "石门县"


def test_help_says_what_the_tool_does(capsys):
    from sim.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_.value.code in (0, None)
    assert "rural elderly-care service capacity simulator" in out
    assert "county: ankang, fushun, hill, plain, qinshui" in out
    assert "policy: adaptation, ankang_package, baseline, canteens" in out
    examples = [ln for ln in out.splitlines() if ln.strip().startswith("python -m sim")]
    assert len(examples) >= 5
    assert "sim-compare" in out and "sim-report" in out
    assert "powered by Hydra" not in out and len(out.splitlines()) < 60
