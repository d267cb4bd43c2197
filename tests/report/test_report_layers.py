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
