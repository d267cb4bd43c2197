"""``sim.run`` from a Jupyter notebook (an IPython kernel), with a process pool: the same results as here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sim

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ["county=plain", "run=quick", "report=none", "run.horizon_days=60"]


@pytest.mark.slow   # a kernel and a two-process pool start: ~30 s on 2 shared cores
def test_sim_run_in_a_notebook_with_two_workers(tmp_path: Path):
    cells = [
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})",   # this checkout's sim, as PYTHONPATH does here
        "import json, sim\n"
        f"r = sim.run({OVERRIDES!r}, replications=2, seed=7, workers=2)\n"
        "print(json.dumps(r.runs[['replication', 'deaths', 'elders_end']].to_dict('list')))",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    printed = "".join(o.get("text", "") for o in nb.cells[1].outputs if o.get("name") == "stdout")
    in_notebook = json.loads(printed.strip().splitlines()[-1])
    here = sim.run(OVERRIDES, replications=2, seed=7, workers=1).runs
    assert in_notebook == here[["replication", "deaths", "elders_end"]].to_dict("list")
