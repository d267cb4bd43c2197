"""A wheel built from the checkout, installed into a fresh virtual environment, runs the main job
from another folder: the configs ship inside the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_in_a_fresh_venv_runs_from_another_folder(tmp_path):
    # build from a clean copy of the sources, as a fresh clone would (no build/ or egg-info left over)
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "build", "*.egg-info", "results", "outputs", "multirun", "__pycache__", ".*_cache"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q", "-w", str(wheels)],
                   check=True, timeout=300)
    venv = tmp_path / "venv"
    # the dependencies come from this interpreter's site-packages; the package itself from the wheel
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", *map(str, wheels.glob("*.whl"))],
                   check=True, timeout=300)
    where = tmp_path / "elsewhere"
    where.mkdir()
    out = subprocess.run([str(python), "-m", "sim", "run=quick", "county=plain", "report=none",
                          f"hydra.run.dir={where / 'out'}"], cwd=where, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert (where / "out" / "runs.parquet").exists()
    located = subprocess.run([str(python), "-c", "import sim; print(sim.__file__)"], cwd=where,
                             capture_output=True, text=True, check=True).stdout
    assert str(venv) in located                  # the installed wheel, not the checkout
