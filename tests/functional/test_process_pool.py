"""The process pool (joblib's loky backend) from a plain script and from standard input.

Neither case has an ``if __name__ == "__main__"`` guard; a pool that re-imports
the main module (spawn, forkserver) fails on both.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sim

SCRIPT = ('import sim; r = sim.run(["county=plain", "run=quick", "report=none", "run.horizon_days=60"], '
          'replications=2, workers=2); print(len(r.runs))\n')   # two months: the pool is what is tested
ROOT = Path(sim.__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


@pytest.mark.parametrize("how", ["script", "stdin"])
def test_run_with_two_workers_needs_no_main_guard(tmp_path: Path, how: str):
    script = tmp_path / "plain_script.py"
    script.write_text(SCRIPT)
    if how == "script":
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120, env=_env())
    else:
        done = subprocess.run([sys.executable, "-"], input=SCRIPT, cwd=tmp_path, capture_output=True,
                              text=True, timeout=120, env=_env())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "2"
    assert "Traceback" not in done.stderr
