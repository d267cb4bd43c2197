"""The responder network as arrays: one row per unit (a person or a vehicle crew).

Units are stationed at bases resolved from the county's facilities
(``every_village``, ``clinic``, ``health_centre``, ``ems_station``); each has a
travel mode, a daily shift and whether it can transport to hospital.  Travel
minutes from each unit's base to every village are looked up once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.services import ResponderSpec
from sim.world.county import County


def base_villages(county: County, base: str) -> np.ndarray:
    """Village indices of every base of a kind."""
    if base == "every_village":
        return np.arange(len(county.villages))
    return county.facilities.village[county.facilities.of_kind(base)]


def hospital_village(county: County) -> int:
    """Where escalated patients go: the county 120 station's village (the county seat)."""
    ems = county.facilities.of_kind("ems_station")
    return int(county.facilities.village[ems[0]]) if len(ems) else 0


RESPONDER_DTYPE = np.dtype([("unit", np.int32), ("kind", np.int8), ("base", np.int32),
                            ("busy_minutes", np.float64), ("visit_minutes", np.float64)])


@dataclass(frozen=True, eq=False)
class Responders:
    names: tuple[str, ...]        # responder type names, indexed by ``kind``
    kind: np.ndarray              # type index per unit
    base: np.ndarray              # village index per unit
    shift_start: np.ndarray       # hours
    shift_end: np.ndarray
    can_transport: np.ndarray     # bool
    emergency: np.ndarray         # bool: answers emergency calls
    visit_hours: np.ndarray       # hours a week for visits (0: does not visit)
    minutes_to: np.ndarray        # (units, villages) travel minutes from base by the unit's mode
    minutes_to_hospital: np.ndarray  # (units,) from the hospital back to base

    def __len__(self) -> int:
        return len(self.kind)

    def shift_minutes(self) -> np.ndarray:
        """Length of each unit's daily shift in minutes."""
        length = (self.shift_end - self.shift_start) % 24.0
        return np.where(self.shift_start == self.shift_end, 24.0, length) * 60.0

    def on_shift(self, day: float) -> np.ndarray:
        """Which units are on shift at simulation time ``day`` (days since start)."""
        hour = (day % 1.0) * 24.0
        s, e = self.shift_start, self.shift_end
        return np.where(s == e, True, np.where(s < e, (hour >= s) & (hour < e), (hour >= s) | (hour < e)))


def build_responders(county: County, specs: list[ResponderSpec]) -> Responders:
    kind, base, start, end, transport, rows, emergency, visit = [], [], [], [], [], [], [], []
    hospital = hospital_village(county)
    back = []
    for k, spec in enumerate(specs):
        villages = np.repeat(base_villages(county, spec.base), spec.per_base)
        n = len(villages)
        kind.append(np.full(n, k))
        base.append(villages)
        start.append(np.full(n, spec.shift_start_hour))
        end.append(np.full(n, spec.shift_end_hour))
        transport.append(np.full(n, spec.can_transport))
        emergency.append(np.full(n, spec.emergency))
        visit.append(np.full(n, spec.visit_hours_per_week))
        rows.append(county.travel[spec.mode][villages])
        back.append(county.travel[spec.mode][hospital, villages])
    cat = lambda xs, dt: np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)  # noqa: E731
    return Responders(
        names=tuple(s.name for s in specs),
        kind=cat(kind, np.int64), base=cat(base, np.int64),
        shift_start=cat(start, float), shift_end=cat(end, float),
        can_transport=cat(transport, bool),
        emergency=cat(emergency, bool), visit_hours=cat(visit, float),
        minutes_to=np.vstack(rows) if rows else np.zeros((0, len(county.villages))),
        minutes_to_hospital=cat(back, float),
    )
