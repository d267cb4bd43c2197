"""Demand for nursing beds (NumPy): applications and initial residents.

Applications (CALIBRATION §5 [A] unless cited):
* an elder who becomes fully dependent (失能) applies with probability
  ``apply_full_hardship`` if special-hardship (特困), else ``apply_full_ordinary``
  (most rural families care at home: 90% home, 7% community, 3% institutions,
  CALIBRATION §1 [S]);
* special-hardship elders at home opt for concentrated support (集中供养) at
  ``hardship_apply_per_year`` (Poisson over the days they live, a monthly hook).
An application needs a nursing-type bed if the elder is fully dependent.
Each carries the elder's death day (from the population trajectory) and a
draw of how long after admission the elder would leave alive (discharge).

Initial residents are real elders of the county: each home's nursing-type
beds are filled to ``initial_occupancy`` with fully dependent elders and its
ordinary beds with special-hardship elders who are not (special-hardship
first, nearest first), as the county's institutions hold them today.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.config.services import BedsConfig
from sim.population.demography import MONTH_DAYS
from sim.population.dynamics import ADL_CHANGE, DIED, Trajectory
from sim.population.elders import Elders

FULL = 2
HARDSHIP = 0  # economic code of special hardship 特困
REASONS = ("became_fully_dependent", "hardship_opt_in")

APPLICATION_DTYPE = np.dtype([
    ("day", np.float64), ("elder", np.int32), ("village", np.int32), ("hardship", np.bool_),
    ("nursing", np.bool_), ("reason", np.int8), ("death_day", np.float64),
    ("discharge_after_days", np.float64),
])


class BedDemand:
    """A monthly hook drawing special-hardship opt-ins; completed from the trajectory."""

    def __init__(self, rules: BedsConfig, streams: Callable[[str], np.random.Generator]):
        self.rules = rules
        self.streams = streams
        self._chunks: list[np.ndarray] = []

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        rng = self.streams("beds.opt_in")
        hardship = elders.economic[alive] == HARDSHIP
        lam = self.rules.hardship_apply_per_year * exposure_days[hardship] / 365.25
        counts = rng.poisson(lam)
        who = np.repeat(np.flatnonzero(hardship), counts)
        idx = alive[who]
        rows = np.zeros(len(idx), dtype=APPLICATION_DTYPE)
        rows["elder"], rows["village"], rows["hardship"] = idx, elders.village[idx], True
        rows["nursing"] = elders.adl[idx] == FULL
        rows["reason"] = 1
        rows["day"] = np.floor(month * MONTH_DAYS + rng.random(len(idx)) * exposure_days[who])
        self._chunks.append(rows)

    def applications(self, trajectory: Trajectory) -> np.ndarray:
        """Every application, sorted by day, with death days and discharge draws."""
        elders, ev = trajectory.elders, trajectory.events
        rng = self.streams("beds.applications")
        full = ev[(ev["kind"] == ADL_CHANGE) & (ev["adl_to"] == FULL)]
        hardship = elders.economic[full["elder"]] == HARDSHIP
        p = np.where(hardship, self.rules.apply_full_hardship, self.rules.apply_full_ordinary)
        full = full[rng.random(len(full)) < p]
        rows = np.zeros(len(full), dtype=APPLICATION_DTYPE)
        rows["day"], rows["elder"], rows["village"] = full["day"], full["elder"], full["village"]
        rows["hardship"] = elders.economic[full["elder"]] == HARDSHIP
        rows["nursing"] = True
        apps = np.concatenate([rows, *self._chunks])
        apps = apps[np.argsort(apps["day"], kind="stable")]
        death = death_days(trajectory)
        apps["death_day"] = death[apps["elder"]]
        apps["discharge_after_days"] = discharge_draws(self.rules, self.streams("beds.discharge"),
                                                       len(apps))
        return apps


def death_days(trajectory: Trajectory) -> np.ndarray:
    """Day of death of every elder (inf if alive at the horizon)."""
    ev = trajectory.events
    died = ev[ev["kind"] == DIED]
    out = np.full(len(trajectory.elders), np.inf)
    out[died["elder"]] = died["day"]
    return out


def discharge_draws(rules: BedsConfig, rng: np.random.Generator, n: int) -> np.ndarray:
    """Days after admission at which a resident would leave alive (inf if never)."""
    if rules.discharge_per_year <= 0:
        return np.full(n, np.inf)
    return rng.exponential(365.25 / rules.discharge_per_year, n)


def initial_residents(home_village: np.ndarray, home_beds: np.ndarray, home_nursing: np.ndarray,
                      minutes: np.ndarray, elders: Elders, occupancy: float,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(elder, home, nursing bed) of the residents at the start, homes filled largest first."""
    taken = np.zeros(len(elders), dtype=bool)
    tie = rng.random(len(elders))
    hardship = elders.economic == HARDSHIP
    full = elders.adl == FULL
    out_e, out_h, out_n = [], [], []
    for h in np.argsort(-home_beds, kind="stable"):  # a loop over homes, not elders
        dist = minutes[home_village[h], elders.village]
        for nursing, n_beds in ((True, home_nursing[h]), (False, home_beds[h] - home_nursing[h])):
            want = int(round(n_beds * occupancy))
            eligible = elders.alive & ~taken & (full if nursing else hardship & ~full)
            cand = np.flatnonzero(eligible)
            # special-hardship first, then nearest, ties at random
            order = np.lexsort((tie[cand], dist[cand], ~hardship[cand]))
            chosen = cand[order[:want]]
            taken[chosen] = True
            out_e.append(chosen)
            out_h.append(np.full(len(chosen), h))
            out_n.append(np.full(len(chosen), nursing))
    cat = np.concatenate
    return (cat(out_e).astype(np.int64) if out_e else np.zeros(0, np.int64),
            cat(out_h).astype(np.int64) if out_h else np.zeros(0, np.int64),
            cat(out_n).astype(bool) if out_n else np.zeros(0, bool))
