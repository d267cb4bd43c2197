"""Village-level outcomes (行政村) for all replications at once, from the record arrays.

One row per (replication, village), replication-major, with the counts that add
up to the county KPIs (a test checks it in every replication) and the shares
made of them:

* emergencies: true calls made (``emergency_calls``, as `sim.kernels.emergency`), those
  reached within the target (``calls_within_target``), their share; a call not reached by
  the horizon is not within target;
* visits (探访关爱): requirements (on time + late + missed + died first, as
  ``visits_required``), those counted in the rate (on time + late + missed) and on time;
  ``visit_rate`` = on time / counted;
* meals (助餐): wishes, served (dine-in + delivered), unmet on closed days and on open
  days; ``meals_served_open_share`` = served / wishes on open days (closed days are the
  canteens' calendar, not a village's reach);
* home care (上门服务): hours needed, delivered and unmet;
* ``bed_car_min``: car minutes from the village to the nearest open nursing home with a
  free bed (any bed: occupied < beds), averaged over the weekly occupancy snapshots of the
  replication; snapshots with no free bed anywhere are left out (NaN when none has one).

Kernels are pure: arrays in, arrays out, no Python loop over elders, events or villages.
"""

from __future__ import annotations

import numpy as np

from sim.kernels.grouped import grouped_quantile
from sim.model.emergency import ANSWERED, NOT_CALLED, QUEUED
from sim.model.emergency_calls import FALSE_ALARM
from sim.model.visits import DIED_FIRST, LATE, MISSED, ON_TIME

# (numerator, denominator) of each village share, and whether higher is better
SHARES = {
    "within_target_share": ("calls_within_target", "calls", True),
    "visit_rate": ("visits_on_time", "visits_counted", True),
    "meals_served_open_share": ("meals_served", "meals_demanded_open_days", True),
    "meals_unmet_share": ("meals_unmet", "meals_demanded", False),
    "homecare_unmet_share": ("homecare_hours_unmet", "homecare_hours_needed", False),
}


def _sum(g: np.ndarray, size: int, weights=None) -> np.ndarray:
    return np.bincount(g, weights=weights, minlength=size)


def village_outcomes(n: int, n_villages: int, target_min: float, calls: tuple, visits: tuple,
                     meals: tuple, homecare: tuple, occupancy: tuple, home_village: np.ndarray,
                     car_minutes: np.ndarray) -> dict[str, np.ndarray]:
    """Columns per (replication, village), flattened replication-major (length n x n_villages).

    Each of ``calls``, ``visits``, ``meals``, ``homecare``, ``occupancy`` is ``(rep, records)``
    as `sim.experiment.kpis.stack` gives them; ``home_village`` is the village of each home of the
    occupancy records, ``car_minutes`` the county's (villages x villages) car matrix.
    """
    size = n * n_villages
    out: dict[str, np.ndarray] = {"replication": np.repeat(np.arange(n), n_villages),
                                  "village": np.tile(np.arange(n_villages), n)}
    crep, c = calls
    true = (c["kind"] != FALSE_ALARM) & (c["status"] != NOT_CALLED)
    g = crep[true].astype(np.int64) * n_villages + c["village"][true]
    reached = np.isin(c["status"][true], (ANSWERED, QUEUED))
    response = np.where(reached, c["response_min"][true], np.nan)
    out["calls"] = _sum(g, size).astype(np.int64)
    out["calls_within_target"] = _sum(g, size, (reached & (response <= target_min)).astype(float))
    out["response_p50_min"] = grouped_quantile(g, response, 0.5, size)

    vrep, v = visits
    g = vrep.astype(np.int64) * n_villages + v["village"]
    outcome = v["outcome"]
    on_time = outcome == ON_TIME
    counted = on_time | (outcome == LATE) | (outcome == MISSED)
    out["visits_required"] = _sum(g, size, (counted | (outcome == DIED_FIRST)).astype(float))
    out["visits_counted"] = _sum(g, size, counted.astype(float))
    out["visits_on_time"] = _sum(g, size, on_time.astype(float))

    mrep, m = meals
    g = mrep.astype(np.int64) * n_villages + m["village"]
    out["meals_demanded"] = _sum(g, size, m["demanded"])
    out["meals_served"] = _sum(g, size, m["dine_in"] + m["delivered"])
    out["meals_unmet"] = out["meals_demanded"] - out["meals_served"]
    out["meals_demanded_open_days"] = out["meals_demanded"] - _sum(g, size, m["closed"])

    hrep, h = homecare
    g = hrep.astype(np.int64) * n_villages + h["village"]
    out["homecare_hours_needed"] = _sum(g, size, h["hours_needed"])
    out["homecare_hours_delivered"] = _sum(g, size, h["hours_delivered"])
    out["homecare_hours_unmet"] = _sum(g, size, h["hours_unmet"])

    out["bed_car_min"] = nearest_free_bed_minutes(n, *occupancy, home_village, car_minutes)
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, (num, den, _) in SHARES.items():
            out[name] = np.where(out[den] > 0, out[num] / np.where(out[den] > 0, out[den], 1), np.nan)
    return out


CHUNK_CELLS = 4_000_000  # (weeks x villages x homes) cells per step: ~32 MB of minutes at most


def nearest_free_bed_minutes(n: int, rep: np.ndarray, samples: np.ndarray, home_village: np.ndarray,
                             car_minutes: np.ndarray) -> np.ndarray:
    """Mean over each replication's occupancy snapshots of the car minutes from every village to
    the nearest open home with a free bed; (n x villages) flattened, NaN without such a snapshot."""
    n_v = car_minutes.shape[0]
    n_h = len(home_village)
    total = np.zeros(n * n_v)
    count = np.zeros(n * n_v)
    if n_h == 0 or len(samples) == 0:
        return np.full(n * n_v, np.nan)
    # snapshots: rows of one (replication, day); every snapshot lists every home once
    key = rep.astype(np.int64) * (1 << 32) + np.round(samples["day"] * 1440).astype(np.int64)
    snaps, snap = np.unique(key, return_inverse=True)
    space = np.zeros((len(snaps), n_h), dtype=bool)
    space[snap, samples["home"]] = samples["open"] & (samples["occupied"] < samples["beds"])
    snap_rep = np.zeros(len(snaps), dtype=np.int64)
    snap_rep[snap] = rep
    to_home = car_minutes[:, home_village]                       # (villages, homes)
    chunk = max(1, CHUNK_CELLS // max(n_v * n_h, 1))
    for start in range(0, len(snaps), chunk):                    # bounded memory: a chunk of weeks
        part = space[start:start + chunk]
        minutes = np.where(part[:, None, :], to_home[None, :, :], np.inf).min(axis=2)   # (weeks, villages)
        ok = np.isfinite(minutes)
        g = (snap_rep[start:start + chunk, None] * n_v + np.arange(n_v)[None, :]).ravel()
        total += np.bincount(g, weights=np.where(ok, minutes, 0.0).ravel(), minlength=n * n_v)
        count += np.bincount(g, weights=ok.ravel().astype(float), minlength=n * n_v)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


__all__ = ["SHARES", "nearest_free_bed_minutes", "village_outcomes"]
