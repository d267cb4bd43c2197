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
    proc = _run("county=plain", "run=quick", "run.replications=4", "report=none", f"hydra.run.dir={out}",
                cwd=tmp_path)
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
def test_composition_errors_exit_nonzero_without_traceback(tmp_path: Path, override: str):
    proc = _run(override, f"hydra.run.dir={tmp_path / 'x'}", cwd=tmp_path)
    assert proc.returncode != 0
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
