"""sim/report reads results only (DESIGN §7): it imports no model, world or population code and
runs no simulation."""

from __future__ import annotations

import ast
from pathlib import Path

import sim.report

FORBIDDEN = ("sim.model", "sim.world", "sim.population", "sim.policy", "sim.api",
             "sim.experiment.execute", "sim.experiment.app", "sim.experiment.replication")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_report_imports_only_results_and_lower_layers_it_may_read():
    root = Path(sim.report.__file__).parent
    for path in sorted(root.rglob("*.py")):
        bad = sorted(n for n in _imports(path) if n.startswith(FORBIDDEN) or n in ("sim.run", "sim"))
        assert not bad, f"{path.name} imports {bad}"


def test_the_main_job_loads_no_plotting_before_its_scenarios_have_run():
    """Issue 13: what ``python -m sim`` imports before its workers run stays in memory beside
    them; matplotlib, its fonts and scipy.stats (~60 MB) wait for the briefing.  Without a
    briefing (``report=none``) they are never loaded: the terminal table needs none of them
    (they took 1.2 s of a 7-s run of the command)."""
    import subprocess
    import sys

    code = ("import sys, sim.__main__, sim.report.labels, sim.report.terminal, sim.report\n"
            "import numpy as np\n"
            "from sim.kernels.stats import t_interval\n"
            "t_interval(np.ones((3, 2)))\n"
            "res = sim.run(['county=plain', 'run=quick', 'report=none', 'run.horizon_days=30'],\n"
            "              replications=2)\n"
            "assert str(res.manifest['county']['elders']) in sim.report.terminal.side_by_side([res], 'zh')\n"
            "heavy = ('matplotlib', 'scipy.stats', 'fontTools', 'PIL')\n"
            "print(sorted(m for m in heavy if m in sys.modules))\n"
            "print(sim.report.build_briefing.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(sim.report.__file__).parents[2]).stdout.split("\n")
    assert out[0] == "[]"
    assert out[1] == "sim.report.briefing"    # still reachable from the package
