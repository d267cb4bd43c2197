"""Conservation of elders, stationarity of the ADL mix, and the annual ADL rates.

Tolerances are z-tests at |z| < 3.5 (two-sided 99.95% per comparison).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.config import PopulationConfig, SimConfig
from sim.experiment.replication import run_replication
from sim.experiment.scenario import build_scenario
from sim.population import Elders, build_demography, simulate
from sim.population.dynamics import ADL_CHANGE, DIED, ENTERED
from sim.population.init import entrant_columns
from tests.conftest import small_config

Z = 3.5


def test_elders_are_conserved_every_month():
    scenario = build_scenario(small_config(horizon_days=3650))
    for r in range(3):
        rec = run_replication(scenario, r)
        m, ev = rec["population_monthly"], rec["population"]
        assert np.array_equal(m["alive_start"] + m["entered"] - m["died"], m["alive_end"])
        assert np.array_equal(m["alive_start"][1:], m["alive_end"][:-1])
        months = len(m)
        assert np.array_equal(np.bincount(ev["month"][ev["kind"] == DIED], minlength=months), m["died"])
        assert np.array_equal(np.bincount(ev["month"][ev["kind"] == ENTERED], minlength=months),
                              m["entered"])
        assert m["alive_start"][0] == scenario.county.elders_total
        assert np.array_equal(m["independent_end"] + m["partial_end"] + m["full_end"], m["alive_end"])
        # every elder dies at most once, and only elders who exist
        died = ev["elder"][ev["kind"] == DIED]
        assert len(np.unique(died)) == len(died)


def test_adl_prevalence_by_age_band_stays_at_equilibrium():
    """After ten years, each band's P and F shares match the analytic prevalence at those ages."""
    cfg = replace(SimConfig(), run=replace(SimConfig().run, horizon_days=3650))
    scenario = build_scenario(cfg)
    demo, coh = scenario.demography, scenario.cohort
    rng = np.random.default_rng(11)
    from sim.population import initial_elders

    elders = initial_elders(scenario.county.villages.elders, cfg.population, coh, rng)
    inflow = scenario.county.villages.elders.sum(axis=1) * cfg.population.inflow_per_year / 12
    simulate(elders, demo, cfg.population, 120, inflow, rng, rng, rng)
    alive = elders.alive
    k = elders.age_months[alive] - coh.entry_age_months
    adl = elders.adl[alive]
    expected = coh.prevalence()[k]              # (elders, 3) analytic shares at each elder's age
    band = np.digitize(elders.age_months[alive] / 12, [70, 80, 90])
    for b in range(4):
        mine = band == b
        for state in (1, 2):
            p = expected[mine, state]
            observed = (adl[mine] == state).sum()
            z = (observed - p.sum()) / np.sqrt((p * (1 - p)).sum())
            assert abs(z) < Z, f"band {b}, state {state}: z = {z:.2f}"


@pytest.mark.parametrize("start,band_age", [(0, 70), (1, 70), (2, 80), (0, 90)])
def test_annual_first_exit_rates_come_back(start: int, band_age: int):
    """Over twelve monthly steps the share leaving a state, and where to, equals the annual table."""
    cfg = replace(PopulationConfig(), mortality_scale=0.0, dementia_onset=[0.0] * 4)
    demo = build_demography(cfg)
    n = 100_000
    rng = np.random.default_rng(start * 100 + band_age)
    cols = entrant_columns(np.zeros(n, dtype=np.int64), 0, cfg, demo, rng)
    cols.update(adl=np.full(n, start, dtype=np.int8), dementia=np.zeros(n, dtype=bool),
                age_months=np.full(n, band_age * 12, dtype=np.int32))
    elders = Elders(cols)
    traj = simulate(elders, demo, cfg, 12, np.zeros(1), rng, rng, rng)
    ev = traj.events[traj.events["kind"] == ADL_CHANGE]
    order = np.lexsort((ev["day"], ev["month"], ev["elder"]))
    ev = ev[order]
    first = np.flatnonzero(np.r_[True, ev["elder"][1:] != ev["elder"][:-1]])
    dest = np.bincount(ev["adl_to"][first], minlength=3) / n
    b = cfg.adl_ages.index(band_age)
    table = {0: (0.0, cfg.adl_i_to_p[b], cfg.adl_i_to_f[b]),
             1: (cfg.adl_p_to_i[b], 0.0, cfg.adl_p_to_f[b]),
             2: (0.0, cfg.adl_f_to_p[b], 0.0)}[start]
    for to in range(3):
        if to == start:
            continue
        p = table[to]
        se = np.sqrt(max(p * (1 - p), 1e-12) / n)
        assert abs(dest[to] - p) < Z * se + 1e-12, f"{start}->{to}: {dest[to]:.5f} vs {p:.5f}"
