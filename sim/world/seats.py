"""Township seats (乡镇驻地) and how remote each village is from its own.

A village's remoteness is the car minutes from it to the seat of its township
(0 at the seat itself): the measure the equity lens (issue 16) splits villages
by.  The seat of a township is the village of its health centre (乡镇卫生院,
one per township seat in every generated county), else of a township nursing
home (敬老院) standing in it, else its most central village (least total car
minutes to the township's other villages): a county loaded from tables may list
neither.

Quintiles are tie-aware: a village's quintile is 5 x the share of villages
strictly nearer than it, rounded down, so villages equally remote always share
a quintile and a county whose villages are all alike has one group only.
"""

from __future__ import annotations

import numpy as np

from sim.world.county import FACILITY_KINDS, County

QUINTILES = 5


def township_seats(county: County) -> np.ndarray:
    """The village index of each township's seat, indexed like ``county.townships``."""
    v, f = county.villages, county.facilities
    n_t = len(county.townships)
    car = county.travel["car"]
    # fallback: the township's most central village (its medoid by car minutes)
    same = v.township[:, None] == v.township[None, :]
    spread = np.where(same, car, 0.0).sum(axis=1)
    order = np.lexsort((np.arange(len(v)), spread, v.township))
    first = np.ones(len(order), dtype=bool)
    first[1:] = v.township[order][1:] != v.township[order][:-1]
    seat = np.full(n_t, -1, dtype=np.int64)
    seat[v.township[order][first]] = order[first]
    # preferred, in reverse priority so the better source overwrites: a township home, a health centre
    for kind in ("township_home", "health_centre"):
        at = np.flatnonzero(f.kind == FACILITY_KINDS.index(kind))[::-1]   # the first listed wins
        seat[v.township[f.village[at]]] = f.village[at]
    return seat


def remoteness_minutes(county: County) -> np.ndarray:
    """Car minutes from each village to its township's seat (0 at the seat)."""
    seat = township_seats(county)[county.villages.township]
    minutes = county.travel["car"][np.arange(len(seat)), seat].astype(float)
    minutes[seat == np.arange(len(seat))] = 0.0
    return minutes


def quintiles(values: np.ndarray) -> np.ndarray:
    """Quintile 0..4 of each value (0 = smallest); ties share the quintile of the first of them."""
    values = np.asarray(values, dtype=float)
    below = np.searchsorted(np.sort(values), values, side="left")
    return (QUINTILES * below // max(len(values), 1)).astype(np.int64)


__all__ = ["QUINTILES", "quintiles", "remoteness_minutes", "township_seats"]
