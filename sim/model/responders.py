"""The helpers as arrays: one row per unit (a person or a vehicle crew).

Helpers are emergency responders, care workers, village coordinators and
volunteers (DESIGN §4.6).  Units are stationed at bases resolved from the
county's facilities (``every_village``, ``clinic``, ``health_centre``,
``ems_station``, ``service_point``, ``canteen``); each has a travel mode, a
shift (hours and days of the week), the tasks it may do and its hours for each.
Travel minutes from each unit's base to every village are looked up once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.services import HelperSpec
from sim.world.county import County

# bases that open on a date: a unit stationed at one works (and is paid) from its facility's opening day;
# a canteen opens with its service point (an idle point's never), so its couriers start with it
DATED_BASES = ("service_point", "regional_centre", "freed_building", "canteen")


def base_facilities(county: County, base: str, bases: dict | None = None) -> np.ndarray:
    """Facility indices of every base of a kind (``bases`` names policy-made ones, e.g. freed
    buildings); -1 for each village with ``every_village``."""
    if base == "every_village":
        return np.full(len(county.villages), -1, dtype=np.int64)
    if bases is not None and base in bases:
        return np.asarray(bases[base], dtype=np.int64)
    if base == "freed_building":
        return np.zeros(0, dtype=np.int64)
    return county.facilities.of_kind(base)


def base_villages(county: County, base: str, bases: dict | None = None) -> np.ndarray:
    """Village indices of every base of a kind."""
    if base == "every_village":
        return np.arange(len(county.villages))
    return county.facilities.village[base_facilities(county, base, bases)]


def hospital_village(county: County) -> int:
    """Where escalated patients go: the county 120 station's village (the county seat)."""
    ems = county.facilities.of_kind("ems_station")
    return int(county.facilities.village[ems[0]]) if len(ems) else 0


RESPONDER_DTYPE = np.dtype([("unit", np.int32), ("kind", np.int8), ("base", np.int32),
                            ("busy_minutes", np.float64), ("visit_minutes", np.float64),
                            ("homecare_minutes", np.float64), ("delivery_minutes", np.float64),
                            ("shift_minutes", np.float64)])


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
    homecare_hours: np.ndarray    # hours a week of home care (0: gives none)
    delivers_meals: np.ndarray    # bool
    workdays: np.ndarray          # (units, 7) bool, Monday first
    wage: np.ndarray              # yuan per month
    minutes_to: np.ndarray        # (units, villages) travel minutes from base by the unit's mode
    minutes_to_hospital: np.ndarray  # (units,) from the hospital back to base
    facility: np.ndarray | None = None   # (units,) the dated facility a unit is based at (-1: none):
                                         # it works from that facility's opening day (`sim.model.duty`)

    def __len__(self) -> int:
        return len(self.kind)

    def shift_minutes(self) -> np.ndarray:
        """Length of each unit's daily shift in minutes (read-only; computed once, since callers
        ask for it per helper and the units x calls cost grew with the square of the county)."""
        cached = self.__dict__.get("_shift_minutes")
        if cached is None:
            length = (self.shift_end - self.shift_start) % 24.0
            cached = np.where(length == 0, 24.0, length) * 60.0
            cached.flags.writeable = False
            self.__dict__["_shift_minutes"] = cached   # a cache, not a field: the dataclass stays frozen
        return cached

    def on_shift(self, day: float) -> np.ndarray:
        """Which units are on shift at simulation time ``day`` (days since start, day 0 a Monday).

        An overnight shift belongs to the day it starts on."""
        hour = (day % 1.0) * 24.0
        s, e = self.shift_start, self.shift_end
        today = int(np.floor(day)) % 7
        works = self.workdays[:, today]
        yesterday = self.workdays[:, (today - 1) % 7]
        return np.where(s == e, works,
                        np.where(s < e, works & (hour >= s) & (hour < e),
                                 (works & (hour >= s)) | (yesterday & (hour < e))))

    def shift_minutes_until(self, horizon_days: float) -> np.ndarray:
        """Minutes each unit is on shift over ``[0, horizon_days)`` (whole shifts started before it)."""
        days = np.arange(int(np.ceil(horizon_days)))
        starts = days[None, :] + self.shift_start[:, None] / 24.0 % 1.0
        started = (starts < horizon_days) & self.workdays[:, days % 7]
        return started.sum(axis=1) * self.shift_minutes()


def build_responders(county: County, specs: list[HelperSpec], bases: dict | None = None) -> Responders:
    """Every unit of ``specs``; ``bases`` maps policy-made base kinds (``freed_building``) to facilities."""
    kind, base, start, end, transport, rows, emergency, visit = [], [], [], [], [], [], [], []
    homecare, meals, workdays, wage = [], [], [], []
    hospital = hospital_village(county)
    back, facility = [], []
    for k, spec in enumerate(specs):
        sites = base_facilities(county, spec.base, bases)
        villages = np.repeat(np.arange(len(county.villages)) if spec.base == "every_village"
                             else county.facilities.village[sites], spec.per_base)
        facility.append(np.repeat(sites if spec.base in DATED_BASES else np.full(len(sites), -1),
                                  spec.per_base))
        n = len(villages)
        kind.append(np.full(n, k))
        base.append(villages)
        start.append(np.full(n, spec.shift_start_hour))
        end.append(np.full(n, spec.shift_end_hour))
        transport.append(np.full(n, spec.can_transport))
        emergency.append(np.full(n, spec.emergency))
        visit.append(np.full(n, spec.visit_hours_per_week))
        homecare.append(np.full(n, spec.homecare_hours_per_week))
        meals.append(np.full(n, spec.delivers_meals))
        days = np.zeros(7, dtype=bool)
        days[list(spec.workdays)] = True
        workdays.append(np.tile(days, (n, 1)))
        wage.append(np.full(n, spec.wage_yuan_per_month))
        rows.append(county.travel[spec.mode][villages])
        back.append(county.travel[spec.mode][hospital, villages])
    cat = lambda xs, dt: np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)  # noqa: E731
    return Responders(
        names=tuple(s.name for s in specs),
        kind=cat(kind, np.int64), base=cat(base, np.int64),
        shift_start=cat(start, float), shift_end=cat(end, float),
        can_transport=cat(transport, bool),
        emergency=cat(emergency, bool), visit_hours=cat(visit, float),
        homecare_hours=cat(homecare, float), delivers_meals=cat(meals, bool),
        workdays=np.vstack(workdays) if workdays else np.zeros((0, 7), dtype=bool),
        wage=cat(wage, float),
        minutes_to=np.vstack(rows) if rows else np.zeros((0, len(county.villages))),
        minutes_to_hospital=cat(back, float),
        facility=cat(facility, np.int64),
    )


def village_helpers(units: Responders, members: np.ndarray) -> np.ndarray:
    """(villages, k) helpers among ``members`` serving each village: those based in it, else the
    nearest by their own mode (ties shared); -1 pads."""
    n_v = units.minutes_to.shape[1]
    if len(members) == 0:
        return np.zeros((n_v, 0), dtype=np.int64)
    m = units.minutes_to[members]                                  # (members, villages)
    local = units.base[members][:, None] == np.arange(n_v)[None, :]
    nearest = m == m.min(axis=0)
    ties = np.where(local.any(axis=0), local, nearest)
    width = int(ties.sum(axis=0).max())
    out = np.full((n_v, width), -1, dtype=np.int64)
    for v in range(n_v):  # a loop over villages (a few hundred), once per replication
        mine = members[ties[:, v]]
        out[v, : len(mine)] = mine
    return out


def share_elders(helper_of: np.ndarray, village: np.ndarray, elders: np.ndarray,
                 hours: np.ndarray) -> np.ndarray:
    """The helper of each elder (-1: none): a village's elders are shared among its helpers in
    proportion to their ``hours``, the same way every period (a fixed, well-spread number per elder)."""
    helpers = helper_of[village]
    counts = (helpers >= 0).sum(axis=1)
    h = np.where(helpers >= 0, hours[np.maximum(helpers, 0)], 0.0)
    cum = np.cumsum(h, axis=1) / np.maximum(h.sum(axis=1, keepdims=True), 1e-12)
    spread = (elders * 0.6180339887498949) % 1.0
    slot = np.minimum((cum <= spread[:, None]).sum(axis=1), np.maximum(counts - 1, 0))
    pick = helpers[np.arange(len(elders)), slot] if helpers.shape[1] else np.full(len(elders), -1)
    return np.where(counts > 0, pick, -1)


def village_rank(matrix: np.ndarray, base: int, villages: np.ndarray) -> np.ndarray:
    """Each item's place on a nearest-neighbour tour from ``base`` over the distinct ``villages``."""
    distinct = np.unique(villages)
    if len(distinct) <= 1:
        return np.zeros(len(villages), dtype=np.int64)
    order, here, left = [], base, list(distinct.tolist())
    while left:  # a loop over one helper's villages (usually one or a few dozen)
        nxt = left[int(np.argmin(matrix[here, left]))]
        order.append(nxt)
        left.remove(nxt)
        here = nxt
    rank = np.empty(int(villages.max()) + 1 if len(villages) else 1, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    return rank[villages]
