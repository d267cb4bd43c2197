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
