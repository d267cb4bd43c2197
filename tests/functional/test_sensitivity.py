"""Sensitivity analysis: one at a time on common random numbers (the tornado), Sobol' through
SALib, the command and the briefing's tornado section."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiment import sensitivity
from sim.experiment.execute import execute
from sim.experiment.sensitivity import one_at_a_time, tornado, uncertain
from sim.experiment.store import load
from sim.report.briefing import build_briefing
from sim.report.tornado import tornado_chart
from sim.sensitivity import main
from tests.conftest import small_config

FALLS, MEAL_COST = "services.emergency.fall_rate", "services.meals.costs.meal_cost_yuan"


@pytest.fixture(scope="module")
def oat() -> pd.DataFrame:
    cfg = small_config(horizon_days=60, save_events="none")
    return one_at_a_time(cfg, replications=3, only=[FALLS, MEAL_COST])


def test_one_at_a_time_runs_base_and_both_bounds_on_common_replications(oat):
    assert list(oat.groupby(["path", "side"], sort=False).size()) == [3] * 5
    assert set(oat["path"]) == {"base", FALLS, MEAL_COST}
    assert list(oat.loc[oat["path"] == FALLS, "value"].unique()) == [0.02, 0.03]


def test_an_assumption_that_cannot_touch_a_kpi_moves_it_by_exactly_nothing(oat):
    # common random numbers: the meal cost changes costs only, never a call's fate
    base = oat[oat["side"] == "base"].set_index("replication")
    for side in ("low", "high"):
        moved = oat[(oat["path"] == MEAL_COST) & (oat["side"] == side)].set_index("replication")
        pd.testing.assert_series_equal(moved["emergency_within_target_share"],
                                       base["emergency_within_target_share"])
        assert (moved["emergency_calls"] == base["emergency_calls"]).all()
    table = tornado(oat, "emergency_within_target_share")
    assert table.loc[table["path"] == MEAL_COST, "swing"].item() == 0.0


def test_the_tornado_orders_by_swing_and_more_falls_mean_more_calls(oat):
    table = tornado(oat, "emergency_calls", uncertain(small_config()))
    assert list(table["path"]) == [FALLS, MEAL_COST]
    row = table.iloc[0]
    assert row["high"] > row["low"] and row["swing"] == pytest.approx(row["high"] - row["low"])
    low = oat[(oat["path"] == FALLS) & (oat["side"] == "low")]["emergency_calls"].to_numpy(float)
    high = oat[(oat["path"] == FALLS) & (oat["side"] == "high")]["emergency_calls"].to_numpy(float)
    assert np.all(high > low)   # replication by replication: common random numbers
    # and pairing pays: the difference varies less than two independent runs would
    assert np.std(high - low, ddof=1) < np.sqrt(np.var(low, ddof=1) + np.var(high, ddof=1))
    assert row["diff_ci_low"] < row["high"] - row["low"] < row["diff_ci_high"]
    assert row["source"].startswith("CALIBRATION §4")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_tornado_chart_draws_in_both_languages(oat, lang):
    fig = tornado_chart(tornado(oat, "emergency_calls", uncertain(small_config())), lang)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-1].startswith("伤害性跌倒率" if lang == "zh" else "Injurious fall rate")  # largest on top


def test_sobol_indices_find_the_parameter_that_drives_the_output(monkeypatch):
    """SALib plumbing on a known function: y = 100 fall_rate + 0.1 handling time, nothing else."""
    monkeypatch.setattr(sensitivity, "build_scenario", lambda cfg: cfg)

    def fake_evaluate(configs, replications, workers=1):
        return [{"y": np.array([100 * c.services.emergency.fall_rate
                                + 0.1 * c.services.emergency.handling.mean])} for c in configs]

    monkeypatch.setattr(sensitivity, "evaluate", fake_evaluate)
    only = [FALLS, "services.emergency.handling.mean", MEAL_COST]
    s = sensitivity.sobol(small_config(), ["y"], base_samples=256, only=only).set_index("path")
    # variances: falls (1/sqrt(12))^2 = 1/12; handling 0.015^2 x 1.5^2 / 12 (~0.0005 of it)
    assert s.loc[FALLS, "ST"] == pytest.approx(1.0, abs=0.05)
    assert s.loc[FALLS, "S1"] == pytest.approx(1.0, abs=0.05)
    assert abs(s.loc[MEAL_COST, "ST"]) < 0.01
    assert s["evaluations"].iloc[0] == 256 * (3 + 2)


@pytest.mark.slow   # a run, the command and a whole briefing (PDF included): ~60 s on a busy machine
def test_the_command_writes_the_tornado_and_the_briefing_shows_it(tmp_path):
    run_dir = tmp_path / "run"
    execute(small_config(horizon_days=30, replications=2, save_events="summary"), output_dir=run_dir)
    code = main(["--run", str(run_dir), "--replications", "2", "--workers", "1", "--only", FALLS,
                 "--only", "services.emergency.dispatch.mean", "--lang", "en"])
    assert code == 0
    out = run_dir / "sensitivity"
    for name in ("oat.parquet", "tornado.csv", "tornado_emergency_within_target_share_en.png",
                 "sensitivity.json"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "tornado.csv")
    assert set(table["path"]) == {FALLS, "services.emergency.dispatch.mean"}
    brief = tmp_path / "brief"
    build_briefing([load(run_dir)], brief, lang="en")
    assert (brief / "tornado.png").is_file()
    assert "Sensitivity to assumptions" in (brief / "briefing.html").read_text(encoding="utf-8")


def test_the_command_rejects_an_unknown_kpi_with_exit_2(tmp_path, capsys):
    code = main(["county=plain", "run.horizon_days=30", "--replications", "2", "--workers", "1",
                 "--only", FALLS, "--kpi", "no_such_kpi", "--out", str(tmp_path)])
    assert code == 2
    assert "error:" in capsys.readouterr().err


def test_exact_paths_select_only_those_parameters_for_a_confirmation():
    cfg = small_config(horizon_days=30, save_events="none")
    assert [p.path for p in uncertain(cfg, paths=[FALLS])] == [FALLS]
    again = one_at_a_time(cfg, replications=2, paths=[FALLS])
    assert set(again["path"]) == {"base", FALLS} and len(again) == 2 * 3
