"""run.uncertainty=true end to end: each replication runs on its own recorded parameter draw,
identically for any number of workers; intervals widen; off changes nothing."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sim.config.uncertainty import value_at
from sim.experiment.execute import execute
from sim.experiment.kpis import kpi_columns
from sim.experiment.outcomes import runs_table
from sim.experiment.replication import run_replication
from sim.experiment.scenario import build_scenario
from sim.experiment.store import load
from sim.experiment.uncertainty import replication_config, replication_scenario
from tests.conftest import small_config


def _cfg(uncertainty: bool, replications: int = 6, **run):
    return small_config(replications=replications, horizon_days=90, save_events="none",
                        uncertainty=uncertainty, **run)


@pytest.fixture(scope="module")
def runs():
    off = execute(_cfg(False))
    on = execute(_cfg(True))
    return off, on


def test_off_runs_the_scenario_itself(runs):
    off, _ = runs
    scenario = build_scenario(_cfg(False))
    assert replication_scenario(scenario, 3) is scenario
    assert off.parameters is None and off.manifest["uncertainty"] is None


def test_each_replication_runs_on_its_recorded_draw(runs):
    _, on = runs
    table = on.parameters
    assert list(table["replication"]) == list(range(6))
    assert on.manifest["uncertainty"]["parameters"] == list(table.columns[1:])
    r = 4
    drawn = replication_config(_cfg(True), r)
    for path in ("services.emergency.fall_rate", "population.mortality_scale", "county.travel.car_kmh_hill"):
        assert value_at(drawn, path) == table.loc[r, path]
    # the same replication run by hand on a scenario built from the drawn config gives the same KPIs
    fixed = build_scenario(replace(drawn, run=replace(drawn.run, uncertainty=False)))
    by_hand = runs_table(fixed, [r], [kpi_columns(fixed, [run_replication(fixed, r)])])
    pd.testing.assert_frame_equal(by_hand.reset_index(drop=True),
                                  on.runs[on.runs["replication"] == r].reset_index(drop=True))


def test_intervals_widen_with_parameter_uncertainty(runs):
    off, on = runs
    # demand KPIs whose rates have wide ranges: the lunch wish 0.3-0.8, emergency rates +-20-33%,
    # who needs visits (living arrangements); same seeds, so only the parameter draws differ
    for kpi in ("meals_demanded", "visits_required", "emergency_calls"):
        assert on.runs[kpi].std() > 1.5 * off.runs[kpi].std(), kpi
        assert on.summary.set_index("kpi").loc[kpi, "sd"] > off.summary.set_index("kpi").loc[kpi, "sd"]


@pytest.mark.slow   # starts a process pool: ~25 s on a busy 2-core machine
def test_draws_and_results_are_the_same_for_any_number_of_workers_and_round_trip_to_disk(tmp_path, runs):
    _, on = runs
    two = execute(_cfg(True, replications=3, workers=2), output_dir=tmp_path / "run")
    pd.testing.assert_frame_equal(two.runs, on.runs.iloc[:3])
    pd.testing.assert_frame_equal(two.parameters, on.parameters.iloc[:3])
    back = load(tmp_path / "run")
    np.testing.assert_array_equal(back.parameters.to_numpy(), on.parameters.iloc[:3].to_numpy())   # bitwise
