"""Tables through the CLI: a broken GB18030 table is one message and exit 2; a county in a
folder with a Chinese name, with an unquoted Chinese override, runs and keeps its names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

from sim.config.schema import CountyConfig
from sim.world import generate_county, write_county
from tests.unit.table_cases import base_county

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_cli_broken_table_is_one_message_and_exit_2(tmp_path):
    # a GB18030 table in a folder with a Chinese name, elders_60_69 = 1e9 in one row
    d = write_county(base_county(), tmp_path / "石门县")
    v = pd.read_csv(d / "villages.csv", dtype=str, keep_default_na=False)
    v.loc[4, "elders_60_69"] = "1e9"
    v.loc[:, "name"] = "新桥村"
    v.to_csv(d / "villages.csv", index=False, encoding="gb18030", lineterminator="\r\n")
    proc = _cli(f"county.source={d}", "run=quick", "report=none", f"hydra.run.dir={tmp_path / 'out'}",
                cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "invalid input data (1 problem):" in proc.stderr
    assert ("villages.csv row 5 (line 6), column elders_60_69 = '1e9': must lie in [0, 20000] "
            "(elders of one age band in one village;") in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_cli_chinese_folder_and_name_unquoted(tmp_path):
    d = write_county(generate_county(CountyConfig(villages=12, townships=3, area_km2=100.0,
                                                  service_points=4, canteens=2)), tmp_path / "石门县")
    (d / "county.yaml").unlink()
    chinese_names = pd.read_csv(d / "villages.csv", dtype=str, keep_default_na=False)
    chinese_names["name"] = "新桥村"
    chinese_names.to_csv(d / "villages.csv", index=False, encoding="gb18030", lineterminator="\r\n")
    out = tmp_path / "out"
    proc = _cli(f"county.source={d}", "county.name=shimen", "run=quick", "report=none",
                "run.horizon_days=30", "run.replications=1", f"hydra.run.dir={out}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    stored = yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))
    assert (stored["county"]["name"], stored["county"]["name_zh"]) == ("shimen", "石门县")
    assert set(pd.read_parquet(out / "county" / "villages.parquet")["name"]) == {"新桥村"}


def test_sweep_index_names_the_loaded_county(tmp_path):
    """A sweep over a county from tables records the tables' county, not the default preset."""
    d = write_county(generate_county(CountyConfig(villages=8, townships=2, area_km2=60.0,
                                                  service_points=2, canteens=1)), tmp_path / "stone")
    (d / "county.yaml").unlink()
    sweep = tmp_path / "sweep"
    proc = _cli("-m", f"county.source={d}", "run=quick", "report=none", "run.horizon_days=30",
                "run.replications=1", "run.seed=1,2", f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    index = pd.read_csv(sweep / "index.csv")
    assert list(index["status"]) == ["done", "done"]
    assert set(index["county"]) == {"stone"}
