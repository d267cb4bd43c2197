"""The briefing's sensitivity section: found on whichever scenario carries it (a named sensitivity
study runs it on the policy scenario, while the briefing lists today's network first), with the
Sobol' indices as a table beside the tornado; and the Markdown summary of the command."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from sim.report.sections import sensitivity_sections
from sim.sensitivity import markdown

FALLS, DISPATCH = "services.emergency.fall_rate", "services.emergency.dispatch.mean"
KPI = "emergency_within_target_share"


def _tornado() -> pd.DataFrame:
    return pd.DataFrame([
        {"path": DISPATCH, "kpi": KPI, "low_value": 2.0, "high_value": 5.0, "apply": "set", "source": "",
         "base": 0.6, "low": 0.65, "high": 0.55, "swing": 0.10, "diff_ci_low": -0.12, "diff_ci_high": -0.08,
         "replications": 3},
        {"path": FALLS, "kpi": KPI, "low_value": 0.02, "high_value": 0.03, "apply": "set", "source": "",
         "base": 0.6, "low": 0.605, "high": 0.595, "swing": 0.01, "diff_ci_low": -0.02, "diff_ci_high": 0.0,
         "replications": 3}])


def _sobol() -> pd.DataFrame:
    return pd.DataFrame([
        {"kpi": KPI, "path": FALLS, "S1": 0.05, "S1_conf": 0.04, "ST": 0.07, "ST_conf": 0.05,
         "evaluations": 128, "replications": 1},
        {"kpi": KPI, "path": DISPATCH, "S1": 0.8, "S1_conf": 0.1, "ST": 0.9, "ST_conf": 0.1,
         "evaluations": 128, "replications": 1}])


def test_the_section_comes_from_the_scenario_that_carries_it_with_the_sobol_table(tmp_path):
    today, policy = tmp_path / "today", tmp_path / "policy"
    (policy / "sensitivity").mkdir(parents=True)
    today.mkdir()
    _tornado().to_csv(policy / "sensitivity" / "tornado.csv", index=False)
    _sobol().to_csv(policy / "sensitivity" / "sobol.csv", index=False)
    found = sensitivity_sections([SimpleNamespace(path=today), SimpleNamespace(path=policy)], "en")
    assert len(found) == 1
    section = found[0]
    assert [c.stem for c in section.charts] == ["tornado"]
    (table,) = section.tables
    assert table.rows[0][0] == "Dispatch time"
    assert table.rows[0][2] == "0.90 [0.80, 1.00]"          # largest total index first, with its interval
    assert "128 scenarios" in table.note
    assert sensitivity_sections([SimpleNamespace(path=today)], "en") == []


def test_the_markdown_lists_the_largest_swings_and_indices():
    note = {"county": "hill", "policy": "emergency", "parameters": [FALLS, DISPATCH], "replications": 3,
            "horizon_days": 365, "wall_seconds": 12.0}
    text = markdown({KPI: _tornado()}, _sobol(), note)
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.startswith("| 1 |"))
    assert DISPATCH in lines[first] and "[-0.12, -0.08]" in lines[first]
    assert "| `services.emergency.dispatch.mean` | 0.800 | [0.700, 0.900] | 0.900 | [0.800, 1.000] |" in text
