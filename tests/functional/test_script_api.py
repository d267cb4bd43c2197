"""The Python API as researchers first use it: a plain script with no ``__main__`` guard and the
same script fed on standard input, both on a pool of two processes (joblib's loky backend)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """import sim
r = sim.run(["county=plain", "run=quick", "report=none"], replications=2, workers=2)
serial = sim.run(["county=plain", "run=quick", "report=none"], replications=2, workers=1)
assert r.runs.equals(serial.runs), "two workers differ from one"
print("rows", len(r.runs))
"""
ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.parametrize("how", ["file", "stdin"])
def test_run_from_a_plain_script_on_two_workers(tmp_path, how):
    script = tmp_path / "as_user.py"
    script.write_text(SCRIPT)
    if how == "file":
        out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=_env(), capture_output=True,
                             text=True, timeout=120)
    else:
        out = subprocess.run([sys.executable, "-"], input=SCRIPT, cwd=tmp_path, env=_env(),
                             capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "rows 2" in out.stdout
