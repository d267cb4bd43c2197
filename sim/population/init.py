"""Initial elders and monthly entrants, drawn consistently with the dynamics.

Initial elders: the county's ledger gives elders by village and age band; within
a band an elder's age (in months) is drawn in proportion to the cohort's
survival, and her (ADL, dementia) state from the cohort's mix at that age, so
the population starts at the equilibrium of its own dynamics (the ADL mix by
age is then stationary; tested).  Entrants arrive at ``entry_age`` with the
entry mix.  Other attributes are independent draws with the configured shares
(CALIBRATION §1, [A] where no source exists; see ``configs/population``).
"""

from __future__ import annotations

import numpy as np

from sim.config.schema import PopulationConfig
from sim.population.cohort import Cohort
from sim.population.demography import Demography
from sim.population.elders import Elders, draw_categorical

BAND_START_YEARS = (60, 70, 80)  # the ledger's bands: 60-69, 70-79, 80+


def attributes(n: int, cfg: PopulationConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Attributes that do not follow from age: sex, living arrangement, economy, devices."""
    return {
        "male": rng.random(n) < cfg.male_share,
        "living": draw_categorical(rng, n, [cfg.living_solitary, cfg.living_empty_nest,
                                            cfg.living_left_behind]),
        "economic": draw_categorical(rng, n, [cfg.special_hardship, cfg.minimum_living]),
        "device": rng.random(n) < cfg.device_share,
        "adapted": rng.random(n) < cfg.home_adaptation_share,
        "timebank": rng.random(n) < cfg.timebank_share,
    }


def initial_elders(elders_by_band: np.ndarray, cfg: PopulationConfig, coh: Cohort,
                   rng: np.random.Generator) -> Elders:
    """Elders from a (villages, 3) table of counts by age band."""
    counts = np.asarray(elders_by_band, dtype=np.int64)
    n_v = counts.shape[0]
    village = np.repeat(np.repeat(np.arange(n_v), 3), counts.ravel())
    band = np.repeat(np.tile(np.arange(3), n_v), counts.ravel())
    n = len(village)

    k = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    steps = len(coh.alive)
    for b in range(3):  # three age bands, not elders
        lo = max(0, BAND_START_YEARS[b] * 12 - coh.entry_age_months)
        hi = steps if b == 2 else max(lo + 1, BAND_START_YEARS[b + 1] * 12 - coh.entry_age_months)
        cdf = np.cumsum(coh.alive[lo:hi])
        mine = band == b
        k[mine] = lo + np.minimum(np.searchsorted(cdf / cdf[-1], u[mine], side="right"), hi - lo - 1)

    joint = coh.mass[k].reshape(n, 6)
    cum = np.cumsum(joint, axis=1) / joint.sum(axis=1, keepdims=True)
    state = np.minimum((cum < rng.random(n)[:, None]).sum(axis=1), 5)

    columns = {
        "age_months": (coh.entry_age_months + k).astype(np.int32),
        "village": village.astype(np.int32),
        "adl": (state // 2).astype(np.int8),
        "dementia": (state % 2).astype(bool),
        "alive": np.ones(n, dtype=bool),
        **attributes(n, cfg, rng),
    }
    return Elders(columns, capacity=int(n * 1.5))


def entrant_columns(village: np.ndarray, month: int, cfg: PopulationConfig, demo: Demography,
                    rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Columns for new elders reaching ``entry_age`` in ``month``, one per village entry."""
    n = len(village)
    return {
        "age_months": np.full(n, demo.entry_age_months, dtype=np.int32),
        "village": village.astype(np.int32),
        "adl": draw_categorical(rng, n, list(demo.entry_adl[:2])),
        "dementia": rng.random(n) < demo.entry_dementia,
        "alive": np.ones(n, dtype=bool),
        "entered_month": np.full(n, month, dtype=np.int32),
        **attributes(n, cfg, rng),
    }
