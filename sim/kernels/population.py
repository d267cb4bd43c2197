"""Population KPIs for all replications at once, from the record arrays.

Inputs are the concatenated records of every replication with a parallel
``rep`` array of replication indices; outputs are one value per replication.
"""

from __future__ import annotations

import numpy as np

from sim.population.dynamics import ADL_CHANGE, DEMENTIA_ONSET, DIED, ENTERED

PARTIAL, FULL = 1, 2


def _count(rep: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(rep[mask], minlength=n).astype(np.int64)


def population_kpis(rep: np.ndarray, events: np.ndarray, monthly_rep: np.ndarray,
                    monthly: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """KPIs per replication from population events and monthly counts."""
    kind = events["kind"]
    first = np.searchsorted(monthly_rep, np.arange(n), side="left")
    last = np.searchsorted(monthly_rep, np.arange(n), side="right") - 1
    alive_end = monthly["alive_end"][last]
    person_months = np.bincount(monthly_rep, weights=(monthly["alive_start"] + monthly["alive_end"]) / 2,
                                minlength=n)
    deaths = _count(rep, kind == DIED, n)
    became = kind == ADL_CHANGE
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "elders_start": monthly["alive_start"][first],
            "elders_end": alive_end,
            "entered": _count(rep, kind == ENTERED, n),
            "deaths": deaths,
            "new_dependent": _count(rep, became & (events["adl_from"] == 0), n),
            "new_fully_dependent": _count(rep, became & (events["adl_to"] == FULL), n),
            "dementia_onsets": _count(rep, kind == DEMENTIA_ONSET, n),
            "person_years": person_months / 12.0,
            "death_rate_per_1000": deaths / (person_months / 12.0) * 1000.0,
            "partial_share_end": monthly["partial_end"][last] / alive_end,
            "full_share_end": monthly["full_end"][last] / alive_end,
        }
