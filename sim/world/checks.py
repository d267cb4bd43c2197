"""Suspicious but valid features of a county, one warning line each (the CLI prints them)."""

from __future__ import annotations

import numpy as np

from sim.world.county import County


def county_warnings(county: County) -> list[str]:
    """Townships without any facility, no county 120 station, villages without elders."""
    out: list[str] = []
    v, f = county.villages, county.facilities
    served = np.zeros(len(county.townships), bool)
    served[v.township[f.village]] = True
    for t in np.flatnonzero(~served):
        out.append(f"township {county.townships[t]} has no facility (no home, clinic, health centre "
                   "or service point): its elders are served from other townships")
    if len(f.of_kind("ems_station")) == 0:
        out.append("the county has no 120 station (ems_station): no ambulance answers emergencies")
    empty = np.flatnonzero(v.elders.sum(axis=1) == 0)
    if len(empty):
        names = ", ".join(str(n) for n in v.name[empty[:5]]) + (", ..." if len(empty) > 5 else "")
        out.append(f"{len(empty)} villages have no elders ({names})")
    return out
