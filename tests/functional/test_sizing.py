"""Sizing study and selection end to end on a county with a known answer (issue 18 items 1 and 3).

tests/data/sizing/experiment/sizing_erlang.yaml makes the emergency service an M/M/c queue (one village, no
travel or handling, exponential on-scene times, responders on 24 h shifts): the share of calls reached within
15 minutes is Erlang C's P(W <= 15) for c responders.  The Optuna sweep (grid sampler: every c from 1 to 5)
must name the smallest c meeting the 80% target as the cheapest feasible design, and Kim-Nelson selection
among the feasible ones, on a fresh seed, must pick it too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.kernels.reference import mmc_wait_exceeds
from sim.population.demography import MONTH_DAYS

CONFIGS = Path(__file__).resolve().parents[1] / "data" / "sizing"
KEY = "services.helpers.0.per_base"


def _erlang_share(c: int, lam: float, mu: float, t: float) -> float:
    return 0.0 if lam >= c * mu else 1.0 - float(mmc_wait_exceeds(c, lam, mu, t))


@pytest.mark.slow
def test_sizing_recovers_the_erlang_c_optimum_and_kn_confirms_it(tmp_path: Path):
    sweep = tmp_path / "sweep"
    proc = subprocess.run([sys.executable, "-m", "sim", "--config-dir", str(CONFIGS),
                           "+experiment=sizing_erlang", f"hydra.sweep.dir={sweep}"],
                          capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    designs = pd.read_csv(sweep / "designs.csv")
    assert sorted(designs[KEY]) == [1, 2, 3, 4, 5]                # the grid: every count once
    best = pd.read_csv(sweep / "sizing.csv")
    assert (sweep / "sizing.parquet").exists() and best["feasible"].all()

    # the theory's answer at the realised call rate (common random numbers: the same calls in each design)
    res = sim.load(sweep / best["job"].iloc[0])
    lam = res.runs["emergency_calls"].mean() / (res.manifest["months_simulated"] * MONTH_DAYS * 1440)
    mu, target = 1 / 120.0, 0.8
    shares = {c: _erlang_share(c, lam, mu, 15.0) for c in range(1, 6)}
    c_star = min(c for c, p in shares.items() if p >= target)
    assert shares[c_star - 1] < target - 0.05 and shares[c_star] > target + 0.05, shares   # a clear answer
    assert best[KEY].iloc[0] == c_star
    assert sorted(best[KEY]) == list(range(c_star, 6))           # every larger count is feasible, and dearer
    assert best["objective"].is_monotonic_increasing
    row = best.iloc[0]
    assert row["emergency_within_target_share_ci_low"] <= shares[c_star] + 0.03
    assert row["emergency_within_target_share_ci_high"] >= shares[c_star] - 0.03

    sel = subprocess.run([sys.executable, "-m", "sim.experiment.select", str(sweep), "--top", "3",
                          "--n0", "3", "--delta", "5000", "--workers", "2"],
                         capture_output=True, text=True, timeout=900)
    assert sel.returncode == 0, sel.stderr[-3000:]
    table = pd.read_csv(sweep / "select" / "select_penalised.csv")
    chosen = table[table["selected"]]
    assert len(chosen) == 1 and chosen["job"].iloc[0] == best["job"].iloc[0]
    assert "best:" in sel.stdout


def test_sizing_hill_composes_with_pay_by_the_hours_on_duty():
    """The study's search space composes, coordinators are paid pro rata to their hours, added ambulances
    carry a cost, and the sizing settings leave the fingerprint alone (they change no number)."""
    from sim.experiment.app import compose

    cfg = compose(["+experiment=sizing_hill", "policy.emergency.coordinator.shift_start_hour=2",
                   "policy.emergency.coordinator.shift_end_hour=20"])
    assert cfg.sizing.enabled and [t.kpi for t in cfg.sizing.targets][0] == "emergency_within_target_share"
    assert cfg.policy.emergency.coordinator.wage_yuan_per_month == pytest.approx(1750.0 * 18 / 12)
    assert cfg.policy.emergency.added_ambulance_yuan_per_month > 0
    from dataclasses import replace

    from sim.experiment.fingerprint import fingerprint
    from sim.experiment.scenario import build_scenario

    other = replace(cfg, sizing=replace(cfg.sizing, penalty_yuan=1.0, enabled=False))
    assert fingerprint(build_scenario(cfg)) == fingerprint(build_scenario(other))


def test_evaluate_penalises_by_the_relative_miss():
    from sim.config.schema import SizingConfig, TargetSpec
    from sim.experiment.sizing import evaluate

    sizing = SizingConfig(enabled=True, objective="cost_total_yuan", penalty_yuan=1e6, top=5,
                          targets=[TargetSpec("emergency_within_target_share", True, 0.9),
                                   TargetSpec("bed_wait_days_mean", False, 30.0)])
    summary = pd.DataFrame({"kpi": ["cost_total_yuan", "emergency_within_target_share", "bed_wait_days_mean"],
                            "n": [3, 3, 3], "mean": [2e7, 0.81, 12.0], "ci_low": [1.9e7, 0.8, 10.0],
                            "ci_high": [2.1e7, 0.82, 14.0]})
    worth = evaluate(sizing, summary)
    assert not worth["feasible"]
    assert worth["miss"] == pytest.approx({"emergency_within_target_share": 0.1, "bed_wait_days_mean": 0.0})
    assert worth["objective"] == pytest.approx(2e7 + 1e6 * 0.1)
    assert worth["kpis"]["emergency_within_target_share"]["ci_low"] == 0.8
