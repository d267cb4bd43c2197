"""The studies of experiments/: every experiment composes and validates with every scenario it runs
(the compared policies, every sweep combination), without simulating; the study summaries'
arithmetic; the ankang preset with every policy."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf

from sim.config.validate import validate
from sim.experiment.app import compose, config_dir, sibling_overrides
from sim.experiment.studies import STUDIES
from sim.experiment.studies.solvency import first_year_below, mean_crossing
from sim.experiment.studies.tables import markdown, ratio_interval

EXPERIMENTS = config_dir() / "experiment"
REPO = Path(__file__).resolve().parents[2]


def _sweep_jobs(raw) -> list[list[str]]:
    params = OmegaConf.select(raw, "hydra.sweeper.params") or {}
    keys = list(params)
    values = [str(params[k]).split(",") for k in keys]
    return [[f"{k}={v}" for k, v in zip(keys, combo)] for combo in itertools.product(*values)]


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_study_has_experiment_readme_and_composes(study: str):
    """Each study: its config, its README, its summary callback; the main scenario, every compared
    policy (beside baseline) and every sweep job compose and validate, with the references checked."""
    from sim.__main__ import check_references

    raw = OmegaConf.load(EXPERIMENTS / f"{study}.yaml")
    assert OmegaConf.select(raw, "hydra.callbacks.study.study") == study
    assert (REPO / "experiments" / study / "README.md").exists()
    assert f"+experiment={study}" in (REPO / "experiments" / "README.md").read_text(encoding="utf-8")
    base = [f"+experiment={study}"]
    cfg = compose(base)
    jobs = [base + j for j in _sweep_jobs(raw)] if OmegaConf.select(raw, "hydra.mode") == "MULTIRUN" \
        else [base] + [sibling_overrides(base, p) for p in dict.fromkeys(["baseline", *cfg.report.compare])]
    labels = set()
    composed = [cfg if job == base else compose(job) for job in jobs]   # each job composed once
    for job, c in zip(jobs, composed):
        assert validate(c) is c
        assert check_references(c) == [], job
        labels.add((c.policy.label(), str(c.policy)))
    assert len(labels) == len(jobs)          # every job is a different scenario
    if OmegaConf.select(raw, "hydra.mode") != "MULTIRUN":
        assert cfg.report.compare and "baseline" in {c.policy.label() for c in composed}


def test_ankang_preset_is_a_mountain_county_with_the_documents_share():
    c = compose(["county=ankang"]).county
    assert c.terrain_mountain > 0.5 and c.terrain_mountain > c.terrain_hill > c.terrain_plain
    assert c.elder_share == pytest.approx(0.2261)        # policy-docs/001: 22.61%
    county_home = [h for h in c.nursing_homes if h.kind == "county_home"]
    assert county_home and all(h.nursing_beds == h.beds for h in county_home)   # 001 (一)1: 100%


@pytest.mark.parametrize("policy", sorted(p.stem for p in (config_dir() / "policy").glob("*.yaml")))
def test_ankang_preset_takes_every_policy(policy: str):
    from sim.__main__ import check_references

    cfg = compose(["county=ankang", f"policy=[{policy}]"])
    assert validate(cfg) is cfg
    assert check_references(cfg) == []


def test_yulin_policies_close_nothing_and_pay_yulins_subsidy():
    for policy in ("nursing_upgrade_yulin", "nursing_beds_yulin"):
        c = compose([f"policy=[{policy}]"]).policy.consolidation
        assert c.enabled and c.stages == [] and c.new_bed_yuan == 20000.0
    cfg = compose(["+experiment=yulin_beds"])
    assert cfg.services.budget.home_operating_subsidy_yuan_per_resident_month == 200.0


def test_first_year_below_threshold():
    shares = np.array([[1.0, 0.95, 0.89, 0.5], [np.nan, 0.99, 0.97, 0.91], [0.8, 1.0, 1.0, 1.0]])
    first = first_year_below(shares, 0.9)
    assert first[0] == 3 and np.isnan(first[1]) and first[2] == 1
    # the mean of year 1 is 0.9 (nan years count as honoured): not below; year 4 is below
    mean, upper, lower = mean_crossing(np.array([[0.95, 0.85], [0.93, 0.83], [0.97, 0.87]]), 0.9)
    assert mean == 2 and upper == 2 and lower == 2


def test_ratio_interval_is_exact_for_a_constant_ratio_and_widens_with_noise():
    den = np.array([10.0, 12.0, 9.0, 11.0])
    r, lo, hi = ratio_interval(3 * den, den)
    assert r == pytest.approx(3) and lo == pytest.approx(3) and hi == pytest.approx(3)
    r2, lo2, hi2 = ratio_interval(3 * den + np.array([1.0, -2.0, 2.0, -1.0]), den)
    assert lo2 < r2 < hi2 and hi2 - lo2 > 0


def test_markdown_has_a_table_per_section():
    import pandas as pd

    table = pd.DataFrame([{"section": "A", "scenario": "s", "measure": "m", "mean": 1.0, "ci_low": 0.5,
                           "ci_high": 1.5, "diff": np.nan, "diff_ci_low": np.nan, "diff_ci_high": np.nan,
                           "note": ""}])
    text = markdown(table, "T", ["a note"])
    assert "# T" in text and "## A" in text and "| s | m | 1 | [0.5, 1.5] |" in text and "- a note" in text


def test_a_run_may_start_after_a_disabled_programmes_default_dates():
    """Fushun's study starts on 2020-01-01; the adaptation programme it does not run has default
    steps from 2019-01-01, which must not be read."""
    from dataclasses import replace

    from sim.experiment.replication import run_replication
    from sim.experiment.scenario import build_scenario
    from tests.conftest import small_config

    cfg = small_config(horizon_days=31, start_date="2020-01-01")
    assert not cfg.policy.adaptation.enabled and cfg.policy.adaptation.steps[0].date < "2020-01-01"
    records = run_replication(build_scenario(cfg), 0)
    assert len(records["population_monthly"]) > 0
    on = replace(cfg, policy=replace(cfg.policy, adaptation=replace(cfg.policy.adaptation, enabled=True)))
    from sim.config.errors import ConfigError
    with pytest.raises(ConfigError, match="policy.adaptation.steps"):
        run_replication(build_scenario(on), 0)


def test_user_errors_cross_process_boundaries_whole():
    import pickle

    from sim.config.errors import ConfigError, DataError, Problem

    for err in (ConfigError([Problem("run.x", 1, "bad")]), DataError([Problem("a.csv row 2", "q", "bad")])):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and back.problems == err.problems and str(back) == str(err)
