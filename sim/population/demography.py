"""Demographic rules as lookup tables indexed by age in months.

Mortality (CALIBRATION §2): annual q by 5-year band from the 2010 census [D],
scaled by ``mortality_scale`` (sweep ±20%) and multiplied for dependence
(partial x1.5, full x3 [A], after CLHLS HR 1.88 [S]); applied monthly as
1 - (1 - q)^(1/12).  Everyone still alive at ``MAX_AGE_YEARS`` dies.

ADL (CALIBRATION §3): three states, independent (I), partially dependent (P,
半失能) and fully dependent (F, 失能), with the starting annual transition
table [A] by 10-year band; dementia (失智) multiplies I->P by
``dementia_i_to_p_mult`` [A].  The table is read as competing hazards (as
CALIBRATION §3 allows) applied monthly, at most one move a month: the
probability of a first move out of a state within a year, and its split by
destination, equal the table exactly (tested).  The table's zero F->I stays a
zero direct rate while F->P->I within a year is possible; a 12th matrix root
cannot represent that table (its root has negative entries).  Dementia onset
is an annual probability by band [A], applied monthly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.schema import PopulationConfig

ADL_STATES = ("independent", "partial", "full")
INDEPENDENT, PARTIAL, FULL = 0, 1, 2
MAX_AGE_YEARS = 130
MAX_AGE_MONTHS = MAX_AGE_YEARS * 12
MONTH_DAYS = 365.25 / 12


def annual_adl_matrix(cfg: PopulationConfig, band: int, dementia: bool) -> np.ndarray:
    """The configured annual ADL transition matrix (rows I, P, F) for one age band."""
    ip = cfg.adl_i_to_p[band] * (cfg.dementia_i_to_p_mult if dementia else 1.0)
    i_f, pf, pi, fp = (cfg.adl_i_to_f[band], cfg.adl_p_to_f[band], cfg.adl_p_to_i[band],
                       cfg.adl_f_to_p[band])
    return np.array([[1 - ip - i_f, ip, i_f],
                     [pi, 1 - pi - pf, pf],
                     [0.0, fp, 1 - fp]])


def monthly_matrix(annual: np.ndarray) -> np.ndarray:
    """One monthly step of the competing-hazards reading of an annual table.

    An elder leaves state i in a month with probability ``1 - stay**(1/12)``
    (``stay = annual[i, i]``) and goes to j with share ``annual[i, j] / (1 -
    stay)``; at most one move per month.  Twelve steps then leave i with
    probability exactly ``1 - stay`` and first moves split exactly as the table.
    """
    stay = np.diag(annual)
    exit_total = 1.0 - stay
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(exit_total[:, None] > 0, annual / exit_total[:, None], 0.0)
    np.fill_diagonal(share, 0.0)
    monthly_stay = stay ** (1.0 / 12.0)
    m = share * (1.0 - monthly_stay)[:, None]
    np.fill_diagonal(m, monthly_stay)
    return m


def _band_of_age_month(band_ages: list[int]) -> np.ndarray:
    ages = np.arange(MAX_AGE_MONTHS + 1)
    return np.clip(np.searchsorted(np.asarray(band_ages) * 12, ages, side="right") - 1, 0, None)


@dataclass(frozen=True, eq=False)
class Demography:
    """Monthly probabilities indexed by age in months (0 .. MAX_AGE_MONTHS)."""

    death: np.ndarray          # (ages, 3) monthly death probability by ADL state
    adl_cdf: np.ndarray        # (ages, 2, 3, 3) cumulative monthly ADL transitions [dementia, from]
    adl_monthly: np.ndarray    # (ages, 2, 3, 3) the monthly matrices themselves
    dementia_onset: np.ndarray  # (ages,) monthly probability of dementia onset
    entry_age_months: int
    entry_adl: np.ndarray      # (3,) ADL mix of new entrants
    entry_dementia: float


def build_demography(cfg: PopulationConfig) -> Demography:
    """Lookup tables from a validated population config."""
    q = np.minimum(np.asarray(cfg.mortality_q) * cfg.mortality_scale, 1.0)
    mult = np.array([1.0, cfg.mortality_mult_partial, cfg.mortality_mult_full])
    q_state = np.minimum(q[:, None] * mult[None, :], 1.0)
    death_band = 1.0 - (1.0 - q_state) ** (1.0 / 12.0)
    death = death_band[_band_of_age_month(cfg.mortality_ages)]
    death[-1, :] = 1.0  # no one outlives MAX_AGE_YEARS

    n_bands = len(cfg.adl_ages)
    monthly = np.empty((n_bands, 2, 3, 3))
    for b in range(n_bands):
        for d in (0, 1):
            monthly[b, d] = monthly_matrix(annual_adl_matrix(cfg, b, bool(d)))
    adl_band = _band_of_age_month(cfg.adl_ages)
    adl_monthly = monthly[adl_band]
    onset = 1.0 - (1.0 - np.asarray(cfg.dementia_onset)) ** (1.0 / 12.0)
    entry = np.array([1.0 - cfg.entry_partial - cfg.entry_full, cfg.entry_partial, cfg.entry_full])
    for arr in (death, adl_monthly):
        arr.setflags(write=False)
    return Demography(
        death=death,
        adl_cdf=np.cumsum(adl_monthly, axis=-1),
        adl_monthly=adl_monthly,
        dementia_onset=onset[adl_band],
        entry_age_months=int(round(cfg.entry_age * 12)),
        entry_adl=entry,
        entry_dementia=cfg.entry_dementia,
    )
