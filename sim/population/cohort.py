"""The deterministic cohort of the monthly chain: survival and ADL mix by age.

Propagating one entering cohort through the same monthly tables the stochastic
dynamics use gives, for every age in months since entry, the share still alive
and the joint distribution of (ADL state, dementia) among survivors.  It serves
twice: to draw the initial elders at equilibrium with the dynamics, and as the
analytic reference the validation tests compare simulations with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.population.demography import MAX_AGE_MONTHS, Demography


@dataclass(frozen=True, eq=False)
class Cohort:
    """``alive[k]``: share of entrants alive after k monthly steps;
    ``mass[k, adl, dementia]``: the (unnormalised) joint state of survivors."""

    entry_age_months: int
    alive: np.ndarray
    mass: np.ndarray

    def prevalence(self) -> np.ndarray:
        """(k, 3) ADL shares among survivors at each age step."""
        adl = self.mass.sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.alive[:, None] > 0, adl / self.alive[:, None], 0.0)

    def life_expectancy_years(self) -> float:
        """Expected remaining life at entry, with deaths at mid-month on average."""
        return float((self.alive[1:].sum() + 0.5) / 12.0)


def cohort(demo: Demography) -> Cohort:
    """Propagate one entering cohort until the oldest age."""
    k_max = MAX_AGE_MONTHS - demo.entry_age_months + 1
    mass = np.zeros((k_max + 1, 3, 2))
    mass[0, :, 0] = demo.entry_adl * (1 - demo.entry_dementia)
    mass[0, :, 1] = demo.entry_adl * demo.entry_dementia
    for k in range(k_max):  # a loop over ages (months), not over elders
        age = demo.entry_age_months + k
        survived = mass[k] * (1.0 - demo.death[age])[:, None]           # (adl, dem)
        moved = np.einsum("ad,dab->bd", survived, demo.adl_monthly[age])  # ADL step per dementia
        onset = moved[:, 0] * demo.dementia_onset[age]
        mass[k + 1, :, 0] = moved[:, 0] - onset
        mass[k + 1, :, 1] = moved[:, 1] + onset
    return Cohort(entry_age_months=demo.entry_age_months, alive=mass.sum(axis=(1, 2)), mass=mass)
