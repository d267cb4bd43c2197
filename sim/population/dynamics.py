"""Monthly population dynamics, vectorised over all living elders.

Each month, in this order, for every elder alive at its start: death with the
monthly probability for her age and ADL state; for survivors, one ADL
transition step (dementia raises I->P) and dementia onset; then everyone ages a
month and new elders reach the entry age in each village (Poisson with mean
``inflow_per_year / 12`` x the village's elders at the start, CALIBRATION §1
[D]: 55.83% of elders are 60-69, so about 5.6% reach 60 each year).

The month's events (entered, died, ADL change, dementia onset) get a day inside
the month from their own stream, so the event clock can be replayed by the
contention stage; per-month counts make conservation checkable:
``alive_start + entered - died = alive_end`` for every month.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.config.schema import PopulationConfig
from sim.population.demography import MAX_AGE_MONTHS, MONTH_DAYS, Demography
from sim.population.elders import Elders
from sim.population.init import entrant_columns

EVENT_KINDS = ("entered", "died", "adl_change", "dementia_onset")
ENTERED, DIED, ADL_CHANGE, DEMENTIA_ONSET = range(4)

EVENT_DTYPE = np.dtype([
    ("month", np.int32),       # month index of the step
    ("day", np.float64),       # whole simulation day on which it happened
    ("elder", np.int32),       # index into the replication's Elders
    ("village", np.int32),
    ("kind", np.int8),         # index into EVENT_KINDS
    ("adl_from", np.int8),
    ("adl_to", np.int8),
    ("age_months", np.int32),  # age at the event
])

MONTHLY_DTYPE = np.dtype([
    ("month", np.int32),
    ("alive_start", np.int64),
    ("entered", np.int64),
    ("died", np.int64),
    ("alive_end", np.int64),
    ("independent_end", np.int64),
    ("partial_end", np.int64),
    ("full_end", np.int64),
])


@dataclass(eq=False)
class Trajectory:
    """What the demand stage hands on: final elders, their events and monthly counts."""

    elders: Elders
    events: np.ndarray   # EVENT_DTYPE, sorted by day
    monthly: np.ndarray  # MONTHLY_DTYPE, one row per month
    elders_start: int


def _events(month, elders_idx, elders, kind, adl_from, adl_to) -> np.ndarray:
    out = np.empty(len(elders_idx), dtype=EVENT_DTYPE)
    out["month"] = month
    out["elder"] = elders_idx
    out["village"] = elders.village[elders_idx]
    out["kind"] = kind
    out["adl_from"] = adl_from
    out["adl_to"] = adl_to
    out["age_months"] = elders.age_months[elders_idx]
    return out


MonthlyHook = Callable[[int, np.ndarray, np.ndarray, Elders], None]


def simulate(elders: Elders, demo: Demography, cfg: PopulationConfig, months: int,
             inflow_per_month: np.ndarray, rng_dynamics: np.random.Generator,
             rng_inflow: np.random.Generator, rng_timing: np.random.Generator,
             hooks: Sequence[MonthlyHook] = ()) -> Trajectory:
    """Advance ``elders`` in place by ``months`` monthly steps and return the trajectory.

    ``inflow_per_month`` is the expected number of entrants per village and month.
    Each hook is called once a month, before the month's changes are applied, as
    ``hook(month, alive, exposure_days, elders)``: the elders alive at the start
    of the month and the days each of them lives in it (less than a month for
    those who die), so demand streams can be drawn for exactly the time alive.
    """
    chunks: list[np.ndarray] = []
    monthly = np.zeros(months, dtype=MONTHLY_DTYPE)
    alive = np.flatnonzero(elders.alive).astype(np.int64)
    start = len(alive)
    for m in range(months):  # a loop over months; every step is vectorised over elders
        a = np.minimum(elders.age_months[alive], MAX_AGE_MONTHS)
        adl = elders.adl[alive]
        dem = elders.dementia[alive]
        u = rng_dynamics.random((len(alive), 3))

        die = u[:, 0] < demo.death[a, adl]
        death_day = np.floor((m + rng_timing.random(int(die.sum()))) * MONTH_DAYS)
        if hooks:
            exposure = np.full(len(alive), MONTH_DAYS)
            exposure[die] = death_day - m * MONTH_DAYS
            for hook in hooks:
                hook(m, alive, np.maximum(exposure, 0.0), elders)
        cdf = demo.adl_cdf[a, dem.astype(np.int64), adl]
        new_adl = ((u[:, 1:2] >= cdf[:, :2]).sum(axis=1)).astype(np.int8)
        changed = ~die & (new_adl != adl)
        onset = ~die & ~dem & (u[:, 2] < demo.dementia_onset[a])

        month_events = [
            _events(m, alive[die], elders, DIED, adl[die], adl[die]),
            _events(m, alive[changed], elders, ADL_CHANGE, adl[changed], new_adl[changed]),
            _events(m, alive[onset], elders, DEMENTIA_ONSET, adl[onset], adl[onset]),
        ]
        dead = alive[die]
        elders.alive[dead] = False
        elders.died_month[dead] = m
        elders.adl[alive[changed]] = new_adl[changed]
        elders.dementia[alive[onset]] = True
        alive = alive[~die]
        elders.age_months[alive] += 1

        arrivals = rng_inflow.poisson(inflow_per_month)
        new = np.array([], dtype=np.int64)
        if arrivals.sum():
            village = np.repeat(np.arange(len(arrivals)), arrivals)
            new = elders.append(entrant_columns(village, m, cfg, demo, rng_inflow))
            month_events.append(_events(m, new, elders, ENTERED, elders.adl[new], elders.adl[new]))
            alive = np.concatenate([alive, new])

        events = np.concatenate(month_events)
        n_died = len(death_day)
        events["day"][:n_died] = death_day
        events["day"][n_died:] = np.floor((m + rng_timing.random(len(events) - n_died)) * MONTH_DAYS)
        chunks.append(events)
        adl_end = np.bincount(elders.adl[alive], minlength=3)
        monthly[m] = (m, len(alive) + die.sum() - len(new), len(new), die.sum(), len(alive),
                      adl_end[0], adl_end[1], adl_end[2])
    events = np.concatenate(chunks) if chunks else np.empty(0, dtype=EVENT_DTYPE)
    events = events[np.argsort(events["day"], kind="stable")]
    return Trajectory(elders=elders, events=events, monthly=monthly, elders_start=start)
