"""Simulated life expectancy at 60 against the analytic one of the configured tables.

Tolerances: the simulated mean of N lifetimes has standard error sd/sqrt(N);
we accept |difference| < 3.29 SE (a two-sided 99.9% interval).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.config import PopulationConfig
from sim.population import Elders, build_demography, cohort, simulate
from sim.population.demography import MAX_AGE_YEARS
from sim.population.init import entrant_columns

Z999 = 3.29


def _simulate_cohort(cfg: PopulationConfig, n: int, seed: int) -> np.ndarray:
    """Completed months of life of ``n`` entrants followed until all have died."""
    demo = build_demography(cfg)
    rng = np.random.default_rng(seed)
    elders = Elders(entrant_columns(np.zeros(n, dtype=np.int64), 0, cfg, demo, rng))
    months = (MAX_AGE_YEARS * 12 - demo.entry_age_months) + 1
    simulate(elders, demo, cfg, months, np.zeros(1), rng, rng, rng)
    assert not elders.alive.any(), "everyone dies by the oldest age"
    return elders.died_month.astype(float)


def _assert_close(simulated: np.ndarray, expected_months: float) -> None:
    se = simulated.std(ddof=1) / np.sqrt(len(simulated))
    diff = simulated.mean() - expected_months
    assert abs(diff) < Z999 * se, (
        f"simulated {simulated.mean():.3f} vs analytic {expected_months:.3f} months (SE {se:.3f})")


def test_life_table_only_matches_classic_formula():
    """ADL switched off: e60 is the classic life-table sum over the configured q."""
    cfg = replace(PopulationConfig(), mortality_mult_partial=1.0, mortality_mult_full=1.0)
    lifetimes = _simulate_cohort(cfg, 20_000, seed=1)
    # independent reference: survival month by month from the annual q of each 5-year band
    ages = np.arange(60 * 12, MAX_AGE_YEARS * 12) / 12
    q = np.asarray(cfg.mortality_q)[np.searchsorted(cfg.mortality_ages, ages, side="right") - 1]
    survive = np.cumprod((1 - q) ** (1 / 12))   # survive[k-1] = P(alive after k months)
    survive[-1] = 0.0                            # the model's closing age
    _assert_close(lifetimes, survive.sum())


def test_multistate_matches_cohort_chain():
    """With dependence raising mortality, e60 matches the deterministic cohort of the chain."""
    cfg = PopulationConfig()
    lifetimes = _simulate_cohort(cfg, 20_000, seed=2)
    coh = cohort(build_demography(cfg))
    _assert_close(lifetimes, coh.alive[1:].sum())
    # and dependence costs life years: the multistate e60 is below the ADL-free one
    free = cohort(build_demography(replace(cfg, mortality_mult_partial=1.0, mortality_mult_full=1.0)))
    assert coh.life_expectancy_years() < free.life_expectancy_years() - 0.3
