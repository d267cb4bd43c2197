"""The default population config meets the CALIBRATION.md §2-§3 targets analytically."""

from __future__ import annotations

import numpy as np

from sim.config import PopulationConfig
from sim.population import build_demography, cohort


def test_stationary_adl_mix_and_incidence_meet_targets():
    cfg = PopulationConfig()
    coh = cohort(build_demography(cfg))
    mix = coh.mass.sum(axis=2).sum(axis=0) / coh.alive.sum()
    assert 0.08 <= mix[1] <= 0.12, f"P share {mix[1]:.3f} outside 8-12% (CALIBRATION §3)"
    assert 0.025 <= mix[2] <= 0.04, f"F share {mix[2]:.3f} outside 2.5-4% (CALIBRATION §3)"
    # I -> (P or F) incidence among independent elders 65+ (target about 4.7%/yr, Li et al. 2020)
    k0 = (65 * 12) - coh.entry_age_months
    indep = coh.mass[k0:, 0, :]                       # (ages, dementia)
    ages = (coh.entry_age_months + np.arange(k0, len(coh.alive))) / 12
    band = np.clip(np.searchsorted(cfg.adl_ages, ages, side="right") - 1, 0, None)
    ip = np.asarray(cfg.adl_i_to_p)[band]
    rate = (ip * indep[:, 0] + ip * cfg.dementia_i_to_p_mult * indep[:, 1]
            + np.asarray(cfg.adl_i_to_f)[band] * indep.sum(axis=1)).sum() / indep.sum()
    assert 0.042 <= rate <= 0.052, f"incidence {rate:.4f}/yr, target about 0.047"
    # dementia prevalence near 6.0% of 60+ (Jia et al. 2020)
    dementia = coh.mass[:, :, 1].sum() / coh.alive.sum()
    assert 0.05 <= dementia <= 0.07, f"dementia prevalence {dementia:.3f}"
    # life expectancy at 60 of the 2010 table with dependence: about 20 years
    assert 18.5 <= coh.life_expectancy_years() <= 21.5
