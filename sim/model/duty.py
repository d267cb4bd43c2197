"""Which helpers are at work: units based at a facility that opens on a date start work that day.

A regional centre's home-care team (policy-docs/001 农村方案 二(一)2, 上门服务) starts on the day its
centre opens; a coordinator based at a service point works only while the point operates (001 (三)3:
only operating points host services), and one based at a freed nursing-home building from the day
its home closes (001 (三)2: 腾退出来的闲置场所面向社会发展普惠养老服务); a courier based at a canteen from
the day the canteen opens (with its service point: a new village point's, or never at an idle point).
The facilities' opening days
are the replication's shared array (`sim.model.replication`), which closures set as they happen.
Units not based at such a facility (``Responders.facility`` -1) work from day 0, as before.
"""

from __future__ import annotations

import numpy as np


class Duty:
    """Units on duty at a time, read from the facilities' opening days (shared, set by closures)."""

    def __init__(self, unit_facility: np.ndarray | None, open_day: np.ndarray):
        self.facility = np.full(0, -1, np.int64) if unit_facility is None else unit_facility
        self.open_day = open_day
        self.dated = bool((self.facility >= 0).any())

    def active(self, units: np.ndarray, t: float) -> np.ndarray:
        """Whether each of ``units`` works at day ``t``."""
        units = np.asarray(units, np.int64)
        if not self.dated:
            return np.ones(len(units), dtype=bool)
        f = self.facility[units]
        return (f < 0) | (self.open_day[np.maximum(f, 0)] <= t)

    def any_dated(self, units: np.ndarray) -> bool:
        return self.dated and bool((self.facility[np.asarray(units, np.int64)] >= 0).any())


class DutyHelpers:
    """A task source's helper table (`village_helpers`) kept to the helpers on duty: rebuilt when
    one starts work, so a village's elders are shared with a team the day it arrives."""

    def __init__(self, units, members: np.ndarray, duty: Duty | None, build):
        self.units, self.members, self.build = units, np.asarray(members, np.int64), build
        self.duty = duty if duty is not None and duty.any_dated(self.members) else None
        self._key: bytes | None = None
        self.table = build(units, self.members)

    def at(self, t: float) -> np.ndarray:
        if self.duty is None:
            return self.table
        on = self.duty.active(self.members, t)
        key = on.tobytes()
        if key != self._key:
            self._key = key
            self.table = self.build(self.units, self.members[on])
        return self.table
