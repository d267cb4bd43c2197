"""Equity KPIs (公平性): who gets the services, by remoteness, terrain, elder group and age.

Per replication, from the village table (`sim.kernels.villages`) and the call and visit
records:

* ``<outcome>_remoteness_q<k>``: the outcome over the villages of remoteness quintile k
  (1 = nearest to their township seat, 5 = most remote; `sim.world.seats`), a ratio of
  sums (calls reached in time over calls, ...), so big villages weigh by their demand;
* ``<outcome>_terrain_<plain|hill|mountain>``: the same by the village's terrain;
* ``<outcome>_gap_remoteness``: how much worse the most remote quintile fares than the
  nearest, a KPI of its own so that paired comparisons give intervals for the change of
  the gap between policies.  Positive = remote villages worse off: nearest - most remote
  for shares where higher is better (reached within target, visited on time), most remote -
  nearest for unmet shares.  With one quintile only (villages all alike) it is 0 by
  construction.  ``<outcome>_gap_terrain`` likewise, plain (or the flattest terrain present)
  against mountain (the steepest present);
* ``emergency_within_target_share_group_<g>`` and ``visit_rate_monthly_group_<g>`` for the
  target groups of policy-docs/001 (二)3 that the elders carry: solitary 独居, empty-nest 空巢,
  left-behind 留守, dependent 失能半失能, special hardship 特困, minimum living 低保 (calls only:
  低保 is no visiting group); ``..._age_<band>`` by age band at the call or the visit's month.
  A call's dependency is its ADL state at the call; a visit's, the elder's last ADL state
  (the visit records carry no ADL).  Meals and home care are recorded per village and day
  or week, not per elder, so they have no group or age breakdown.

Outcomes: ``emergency_within_target_share``, ``visit_rate_monthly``, ``meals_unmet_share``,
``homecare_unmet_share`` (the county KPIs of the same names, restricted to a group).
"""

from __future__ import annotations

import numpy as np

from sim.kernels.grouped import grouped_share
from sim.model.emergency import ANSWERED, NOT_CALLED, QUEUED
from sim.model.emergency_calls import FALSE_ALARM
from sim.model.visits import LATE, MISSED, ON_TIME
from sim.population.demography import MONTH_DAYS
from sim.world.county import AGE_BANDS, TERRAINS
from sim.world.seats import QUINTILES

# outcome KPI -> (numerator, denominator) columns of the village table, higher is better
VILLAGE_OUTCOMES = {
    "emergency_within_target_share": ("calls_within_target", "calls", True),
    "visit_rate_monthly": ("visits_on_time", "visits_counted", True),
    "meals_unmet_share": ("meals_unmet", "meals_demanded", False),
    "homecare_unmet_share": ("homecare_hours_unmet", "homecare_hours_needed", False),
}
ELDER_GROUPS = ("solitary", "empty_nest", "left_behind", "dependent", "special_hardship", "minimum_living")
VISIT_GROUPS = ELDER_GROUPS[:5]   # 低保 is not a visiting target group (001 (二)3)
AGE_CUTS = np.array([70, 80]) * 12  # months: 60-69, 70-79, 80+
ELDER_DTYPE = np.dtype([("age_months", np.int32), ("living", np.int8), ("economic", np.int8),
                        ("adl", np.int8), ("died_month", np.int32)])


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _gap(by_group: np.ndarray, present: np.ndarray, higher_better: bool) -> np.ndarray:
    """(n,) nearest minus farthest group present (columns of ``by_group``), signed so that
    positive means the far group is worse off."""
    first, last = by_group[:, present[0]], by_group[:, present[-1]]
    return first - last if higher_better else last - first


def village_group_kpis(cols: dict[str, np.ndarray], n: int, quintile: np.ndarray,
                       terrain: np.ndarray) -> dict[str, np.ndarray]:
    """Outcomes by remoteness quintile and terrain, and their gaps, per replication, from the
    village table's columns (replication-major, ``len(quintile)`` villages each)."""
    n_v = len(quintile)
    out: dict[str, np.ndarray] = {}
    for split, code, k, names in (("remoteness", quintile, QUINTILES,
                                   [f"q{q + 1}" for q in range(QUINTILES)]),
                                  ("terrain", terrain, len(TERRAINS), list(TERRAINS))):
        present = np.unique(code)
        g = (np.repeat(np.arange(n), n_v) * k + np.tile(code, n)).astype(np.int64)
        for kpi, (num, den, higher) in VILLAGE_OUTCOMES.items():
            share = _ratio(np.bincount(g, weights=cols[num], minlength=n * k),
                           np.bincount(g, weights=cols[den], minlength=n * k)).reshape(n, k)
            for j in present:
                out[f"{kpi}_{split}_{names[j]}"] = share[:, j]
            out[f"{kpi}_gap_{split}"] = _gap(share, present, higher)
    return out


def elder_table(trajectory_elders) -> np.ndarray:
    """The attributes the equity KPIs read, per elder of one replication (final state)."""
    e = trajectory_elders
    out = np.zeros(len(e), dtype=ELDER_DTYPE)
    for name in ELDER_DTYPE.names:
        out[name] = getattr(e, name)
    return out


def _lookup(rep: np.ndarray, elder: np.ndarray, erep: np.ndarray, n: int) -> np.ndarray:
    """Row of the stacked elder table of each (replication, elder) pair."""
    offset = np.concatenate([[0], np.cumsum(np.bincount(erep, minlength=n))[:-1]])
    return offset[rep] + elder


def _age_band(elders: np.ndarray, rows: np.ndarray, month: np.ndarray, months: int) -> np.ndarray:
    """Age band 0..2 in ``month``: the last age less the months aged since (elders age each
    month they live through, until death or the horizon)."""
    stop = np.where(elders["died_month"][rows] >= 0, elders["died_month"][rows], months)
    age = elders["age_months"][rows] - (stop - month)
    return np.searchsorted(AGE_CUTS, age, side="right")


def _memberships(elders: np.ndarray, rows: np.ndarray, adl: np.ndarray) -> dict[str, np.ndarray]:
    living, econ = elders["living"][rows], elders["economic"][rows]
    return {"solitary": living == 0, "empty_nest": living == 1, "left_behind": living == 2,
            "dependent": adl > 0, "special_hardship": econ == 0, "minimum_living": econ == 1}


def elder_group_kpis(n: int, months: int, target_min: float, calls: tuple, visits: tuple,
                     elders: tuple) -> dict[str, np.ndarray]:
    """Within-target share of calls and on-time visit rate per elder group and age band."""
    erep, table = elders
    out: dict[str, np.ndarray] = {}
    crep, c = calls
    true = (c["kind"] != FALSE_ALARM) & (c["status"] != NOT_CALLED)
    r, c = crep[true].astype(np.int64), c[true]
    reached = np.isin(c["status"], (ANSWERED, QUEUED))
    hit = reached & (np.where(reached, c["response_min"], np.inf) <= target_min)
    rows = _lookup(r, c["elder"].astype(np.int64), erep, n)
    month = np.floor(c["onset_day"] / MONTH_DAYS).astype(np.int64)
    groups = _memberships(table, rows, c["adl"])
    band = _age_band(table, rows, month, months)
    kpi = "emergency_within_target_share"
    for name in ELDER_GROUPS:
        m = groups[name]
        out[f"{kpi}_group_{name}"] = grouped_share(r[m], hit[m], n)
    for b, name in enumerate(AGE_BANDS):
        m = band == b
        out[f"{kpi}_age_{name}"] = grouped_share(r[m], hit[m], n)

    vrep, v = visits
    counted = np.isin(v["outcome"], (ON_TIME, LATE, MISSED))
    r, v = vrep[counted].astype(np.int64), v[counted]
    rows = _lookup(r, v["elder"].astype(np.int64), erep, n)
    groups = _memberships(table, rows, table["adl"][rows])
    band = _age_band(table, rows, v["month"].astype(np.int64), months)
    on_time = v["outcome"] == ON_TIME
    kpi = "visit_rate_monthly"
    for name in VISIT_GROUPS:
        m = groups[name]
        out[f"{kpi}_group_{name}"] = grouped_share(r[m], on_time[m], n)
    for b, name in enumerate(AGE_BANDS):
        m = band == b
        out[f"{kpi}_age_{name}"] = grouped_share(r[m], on_time[m], n)
    return out


__all__ = ["ELDER_DTYPE", "ELDER_GROUPS", "VILLAGE_OUTCOMES", "VISIT_GROUPS", "elder_group_kpis",
           "elder_table", "village_group_kpis"]
