"""Two small finished scenarios (plain county, quick run) shared by the report tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiment.compare import compare
from sim.experiment.results import Results


@pytest.fixture(scope="session")
def baseline() -> Results:
    res = sim.run(["county=plain", "run=quick"])
    res.path = Path("results/plain-baseline")
    return res


@pytest.fixture(scope="session")
def emergency() -> Results:
    res = sim.run(["county=plain", "run=quick", "policy=emergency_15min"])
    res.path = Path("results/plain-emergency")
    return res


@pytest.fixture(scope="session")
def comparison(baseline: Results, emergency: Results) -> pd.DataFrame:
    return compare([baseline, emergency])


# Every policy on the plain county over two years (closures need 545 days, the time bank's
# yearly KPIs whole years), two replications: the briefing, overlap and browser tests share them.
PLAIN_POLICIES = {"baseline": "baseline", "emergency": "emergency_15min", "consolidation": "consolidation",
                  "canteens": "canteens", "time_bank": "time_bank"}
BRIEF_DPI = 60  # small PNGs: the tests read the files; people look at the main job's


@pytest.fixture(scope="session")
def plain_runs(tmp_path_factory) -> dict[str, Results]:
    from sim.experiment.store import write_results

    root = tmp_path_factory.mktemp("plain_runs")
    out = {}
    for key, policy in PLAIN_POLICIES.items():
        res = sim.run(["county=plain", "run=quick", "run.horizon_days=730", f"policy={policy}"],
                      replications=2)
        write_results(res, root / key)
        out[key] = res
    return out


@pytest.fixture(scope="session")
def plain_briefings(plain_runs, tmp_path_factory) -> dict[str, Path]:
    """The briefing of every plain scenario against the baseline, in Chinese and in English."""
    from sim.report.briefing import build_briefing

    return {
        lang: build_briefing(
            list(plain_runs.values()),
            tmp_path_factory.mktemp(f"brief_{lang}") / "briefing",
            lang,
            dpi=BRIEF_DPI,
        ).parent
        for lang in ("zh", "en")
    }
