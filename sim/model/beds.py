"""Nursing beds (敬老院) and consolidation (敬老院撤并), in SimPy.

What is modelled: homes with ordinary and nursing-type beds (护理型床位),
staff and costs.  An application (`sim.model.bed_demand`) is admitted to the
nearest home, by car minutes from the elder's village, that has a suitable
free bed (fully dependent elders only in nursing-type beds; with separation of
care groups 分区分类 the others only in ordinary beds) within
``max_travel_min``, keeping ``reserve`` beds free for emergencies; otherwise it
joins the county waiting list (FIFO, or special-hardship first 特困优先) or,
with ``waitlist: none``, is refused.  A stay ends at the resident's death or
discharge and the bed goes at once to the first suitable applicant waiting.
Applicants die waiting, give up after ``patience_days``, or are still waiting
at the horizon; all are recorded.

Consolidation (the `sim.model.closures` mix-in): on each stage day, homes not kept that meet the stage's rule
(residents, beds, occupancy, or simply not kept) close; their residents move
to the nearest open kept home with a suitable free bed (reserve beds may be
used), or join the waiting list first in line; staff follow the residents.
A stage's ``at_most_residents`` is inclusive (入住10人以下 = at most 10, policy-docs/002
三(二)).  Upgrades raise kept homes' beds and nursing-type share on their dates;
a county special-support home (县级特困供养机构) stays 100% nursing-type, so the
beds added to it are nursing-type (policy-docs/001 (一)1).

Homes that open on a date (regional centres 区域养老服务中心, the `sim.model.openings` mix-in) take
applicants from that day, the waiting list first.

Assumed: residents do not move between bed types as their ADL changes; closed homes
re-open never; the reserve applies to new admissions only.  Clock in days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy

from sim.config.services import BedsConfig
from sim.model.bed_records import (  # noqa: F401  (the record schemas, re-exported)
    ABANDONED,
    ADMITTED,
    APPLIED,
    BED_EVENT_DTYPE,
    CLOSED,
    DIED,
    DIED_WAITING,
    DISCHARGED,
    DISPLACED,
    EVENT_KINDS,
    FACILITY_CHANGE_DTYPE,
    FREED_USES,
    HOME_DTYPE,
    HOME_YEAR_DTYPE,
    OCCUPANCY_DTYPE,
    REFUSED,
    START,
    TRANSFERRED,
    UPGRADED,
    WAITING,
    WAITING_END,
    YEAR_DAYS,
)
from sim.model.closures import Consolidation
from sim.model.openings import Openings
from sim.model.records import Records


@dataclass(frozen=True, eq=False)
class HomesAtStart:
    """Static inputs of the bed service: the homes and today's residents."""

    village: np.ndarray        # (homes,) village index
    beds: np.ndarray
    nursing_beds: np.ndarray
    staff: np.ndarray
    resident_elder: np.ndarray  # initial residents
    resident_home: np.ndarray
    resident_nursing: np.ndarray
    resident_hardship: np.ndarray
    resident_leave_day: np.ndarray
    open_day: np.ndarray | None = None   # (homes,) day a home opens (0: open at the start; a regional centre
                                         # opens on its dated step, `sim.model.openings`)


class BedService(Consolidation, Openings):
    """Homes, beds, the waiting list and the consolidation plan of one replication."""

    table = "beds"

    def __init__(self, env: simpy.Environment, rules: BedsConfig, homes: HomesAtStart,
                 minutes: np.ndarray, road_km: np.ndarray, applications: np.ndarray,
                 elder_village: np.ndarray, records: Records, horizon_days: float, plan=None,
                 sample_every_days: float = 7.0, facility_open_day: np.ndarray | None = None):
        self.env, self.rules, self.apps, self.plan = env, rules, applications, plan
        self.facility_open_day = facility_open_day      # shared: a freed building opens when its home closes
        self.minutes, self.road_km, self.horizon = minutes, road_km, horizon_days
        self.village = homes.village
        n = len(homes.village)
        n_elders = len(elder_village)
        self.elder_village = elder_village
        self.beds = homes.beds.astype(np.int64).copy()
        self.nursing = homes.nursing_beds.astype(np.int64).copy()
        self.staff = homes.staff.astype(np.int64).copy()
        self.open = np.ones(n, dtype=bool) if homes.open_day is None else homes.open_day <= 0
        self.closed_day = np.full(n, np.nan)
        self.occ = np.zeros((n, 2), dtype=np.int64)          # [ordinary, nursing] occupied
        self.added = np.zeros((n, 2), dtype=np.int64)        # beds added, nursing conversions
        self.reserve_share = plan.reserve_share if plan is not None else rules.reserve_share
        self.integrals = np.zeros((n, 4))                    # open days, bed days, occupied, staff days
        self.years = int(np.ceil(horizon_days / YEAR_DAYS - 1e-9)) + 1
        self.yearly = np.zeros((self.years, n, 4))           # the same, by year of the run (budget lines)
        self.added_yearly = np.zeros((self.years, n, 2), dtype=np.int64)
        self._last = 0.0
        self.home_of = np.full(n_elders, -1, dtype=np.int64)
        self.bed_of = np.zeros(n_elders, dtype=bool)         # True: nursing-type bed
        self.stay = np.zeros(n_elders, dtype=np.int64)       # stay counter, guards stale leave processes
        self.discharge_after = np.full(n_elders, np.inf)
        self.leave_day = np.full(n_elders, np.inf)
        self.death_day = np.full(n_elders, np.inf)
        self.hardship = np.zeros(n_elders, dtype=bool)
        self.waiting: list[int] = []                         # application indices
        self.displaced: set[int] = set()                     # readmissions of displaced residents
        self.in_list = np.zeros(n_elders, dtype=bool)
        self._closing: np.ndarray | None = None             # homes closing at the stage under way
        self.records = records.table(self.table, BED_EVENT_DTYPE)
        self.home_records = records.table("homes", HOME_DTYPE)
        self.samples = records.table("bed_occupancy", OCCUPANCY_DTYPE)
        self.facility_changes = records.table("facility_changes", FACILITY_CHANGE_DTYPE)
        self.home_years = records.table("homes_yearly", HOME_YEAR_DTYPE)
        for e, h, nb, hs, leave in zip(homes.resident_elder, homes.resident_home, homes.resident_nursing,
                                       homes.resident_hardship, homes.resident_leave_day):
            self.hardship[e] = hs
            self.death_day[e] = leave
            self._place(int(e), int(h), bool(nb), leave_day=float(leave))
            self._log(START, e, home=h, nursing=nb, hardship=hs)
        env.process(self._arrivals())
        env.process(self._sampler(sample_every_days))
        if plan is not None:
            env.process(self._consolidation())
        if homes.open_day is not None and (homes.open_day > 0).any():
            env.process(self._openings(homes.open_day))

    # ------------------------------------------------------------------ bookkeeping
    def _log(self, kind, elder, home=-1, from_home=-1, nursing=False, hardship=False, wait=np.nan,
             km=np.nan, extra=np.nan, beds_added=0, nursing_added=0, day=None) -> None:
        self.records.append(day=self.env.now if day is None else day, kind=kind, elder=elder, home=home,
                            from_home=from_home, nursing=nursing, hardship=hardship, wait_days=wait,
                            km=km, extra_min=extra, beds_added=beds_added, nursing_added=nursing_added)

    def _accrue(self) -> None:
        dt = self.env.now - self._last
        if dt > 0:
            o = self.open.astype(float)
            rate = np.column_stack([o, o * self.beds, self.occ.sum(axis=1), o * self.staff])
            self.integrals += dt * rate
            t = self._last
            while t < self.env.now:                          # split at year boundaries (rarely more than one)
                year = min(int(t // YEAR_DAYS), self.years - 1)
                end = min(self.env.now, (year + 1) * YEAR_DAYS) if year < self.years - 1 else self.env.now
                self.yearly[year] += (end - t) * rate
                t = end
            self._last = self.env.now

    def free(self, home: int, nursing: bool, use_reserve: bool = False) -> int:
        """Free beds of a type at a home (0 if closed), less the reserve unless it may be used."""
        if not self.open[home]:
            return 0
        cap = self.nursing[home] if nursing else self.beds[home] - self.nursing[home]
        free_type = cap - self.occ[home, int(nursing)]
        if use_reserve:
            return int(free_type)
        reserve = int(np.ceil(self.reserve_share * self.beds[home] - 1e-9))
        free_total = self.beds[home] - self.occ[home].sum() - reserve
        return int(max(0, min(free_type, free_total)))

    def _bed_types(self, needs_nursing: bool) -> tuple[bool, ...]:
        if needs_nursing:
            return (True,)
        return (False,) if self.rules.separate_care_groups else (False, True)

    def _choose(self, village: int, needs_nursing: bool, use_reserve: bool = False,
                homes: np.ndarray | None = None) -> tuple[int, bool]:
        """Nearest home with a suitable free bed within range: (home, nursing bed) or (-1, False)."""
        minutes = self.minutes[self.village, village]
        limit = self.rules.max_travel_min
        order = np.argsort(minutes, kind="stable") if homes is None else \
            homes[np.argsort(minutes[homes], kind="stable")]
        for bed in self._bed_types(needs_nursing):  # ordinary before nursing for the ambulant
            for h in order:
                if limit is not None and minutes[h] > limit:
                    break
                if self.free(int(h), bed, use_reserve) > 0:
                    return int(h), bed
        return -1, False

    def _in_range(self, village: int) -> bool:
        limit = self.rules.max_travel_min
        return limit is None or bool((self.minutes[self.village, village] <= limit).any())

    def _place(self, elder: int, home: int, nursing: bool, leave_day: float) -> None:
        self._accrue()
        self.home_of[elder] = home
        self.bed_of[elder] = nursing
        self.occ[home, int(nursing)] += 1
        self.stay[elder] += 1
        self.leave_day[elder] = leave_day
        self.env.process(self._stay(elder, self.stay[elder], leave_day))

    def _vacate(self, elder: int) -> int:
        self._accrue()
        home = int(self.home_of[elder])
        self.occ[home, int(self.bed_of[elder])] -= 1
        self.home_of[elder] = -1
        return home

    # ------------------------------------------------------------------ processes
    def _arrivals(self):
        for i, day in enumerate(self.apps["day"]):
            if day >= self.horizon:
                break
            if day > self.env.now:
                yield self.env.timeout(day - self.env.now)
            self._apply(i)

    def _apply(self, i: int) -> None:
        a = self.apps[i]
        e = int(a["elder"])
        if self.home_of[e] >= 0 or self.in_list[e] or a["death_day"] <= self.env.now:
            return  # already resident or waiting: not a new application
        self.hardship[e] = a["hardship"]
        self.death_day[e] = a["death_day"]
        self.discharge_after[e] = a["discharge_after_days"]
        self._log(APPLIED, e, nursing=a["nursing"], hardship=a["hardship"])
        home, bed = self._choose(int(a["village"]), bool(a["nursing"]))
        if home >= 0:
            self._admit(i, home, bed)
        elif self.rules.waitlist == "none" or not self._in_range(int(a["village"])):
            self._log(REFUSED, e, nursing=a["nursing"], hardship=a["hardship"])
        else:
            self.waiting.append(i)
            self.in_list[e] = True
            self._log(WAITING, e, nursing=a["nursing"], hardship=a["hardship"])

    def _admit(self, i: int, home: int, bed: bool) -> None:
        a = self.apps[i]
        e = int(a["elder"])
        leave = min(a["death_day"], self.env.now + a["discharge_after_days"])
        self._place(e, home, bed, leave)
        self._log(ADMITTED, e, home=home, nursing=bed, hardship=a["hardship"],
                  wait=self.env.now - a["day"], km=self.road_km[a["village"], self.village[home]])

    def _stay(self, elder: int, stay: int, leave_day: float):
        if leave_day > self.env.now:
            yield self.env.timeout(min(leave_day, 1e12) - self.env.now)
        if self.stay[elder] != stay or self.home_of[elder] < 0:
            return  # moved to the waiting list by a closure, or readmitted since
        home = self._vacate(elder)
        died = leave_day >= self.death_day[elder]
        self._log(DIED if died else DISCHARGED, elder, home=home, nursing=self.bed_of[elder],
                  hardship=self.hardship[elder])
        self._serve_waiting()

    def _serve_waiting(self) -> None:
        """Give free beds to waiting applicants in list order; drop the dead and the impatient."""
        if not self.waiting:
            return
        self._prune()
        if self.rules.waitlist == "hardship_first":
            self.waiting.sort(key=lambda i: (i not in self.displaced, not self.apps["hardship"][i],
                                             self.apps["day"][i], i))
        kept = []
        for i in self.waiting:
            a = self.apps[i]
            home, bed = self._choose(int(a["village"]), bool(a["nursing"]))
            if home < 0:
                kept.append(i)
                continue
            self.in_list[a["elder"]] = False
            self._admit(i, home, bed)
        self.waiting = kept

    def _prune(self) -> None:
        kept = []
        patience = self.rules.patience_days
        for i in self.waiting:
            a = self.apps[i]
            e = int(a["elder"])
            gives_up = np.inf if patience is None else a["day"] + patience
            if a["death_day"] <= self.env.now and a["death_day"] <= gives_up:
                self.in_list[e] = False
                self._log(DIED_WAITING, e, nursing=a["nursing"], hardship=a["hardship"],
                          wait=a["death_day"] - a["day"], day=a["death_day"])
            elif gives_up <= self.env.now:
                self.in_list[e] = False
                self._log(ABANDONED, e, nursing=a["nursing"], hardship=a["hardship"],
                          wait=gives_up - a["day"], day=gives_up)
            else:
                kept.append(i)
        self.waiting = kept

    def _sampler(self, every: float):
        while True:
            self._accrue()
            self._prune()
            n = len(self.village)
            self.samples.append(day=self.env.now, home=np.arange(n), open=self.open, beds=self.beds,
                                occupied=self.occ.sum(axis=1), nursing_beds=self.nursing,
                                nursing_occupied=self.occ[:, 1], waitlist=len(self.waiting))
            yield self.env.timeout(every)

    # ------------------------------------------------------------------ end
    def finish(self) -> None:
        """Close the books at the horizon: prune, record who still waits, home totals."""
        self._accrue()
        self._prune()
        for i in self.waiting:
            a = self.apps[i]
            self._log(WAITING_END, int(a["elder"]), nursing=a["nursing"], hardship=a["hardship"],
                      wait=self.env.now - a["day"])
        n = len(self.village)
        self.home_records.append(
            home=np.arange(n), open_end=self.open, closed_day=self.closed_day, beds_end=self.beds,
            nursing_beds_end=self.nursing, staff_end=self.staff, occupied_end=self.occ.sum(axis=1),
            open_days=self.integrals[:, 0],
            bed_days=self.integrals[:, 1], occupied_bed_days=self.integrals[:, 2],
            staff_days=self.integrals[:, 3], beds_added=self.added[:, 0], nursing_added=self.added[:, 1])
        year, home = np.divmod(np.arange(self.years * n), n)
        y = self.yearly.reshape(-1, 4)
        a = self.added_yearly.reshape(-1, 2)
        self.home_years.append(year=year, home=home, open_days=y[:, 0], bed_days=y[:, 1],
                               occupied_bed_days=y[:, 2], staff_days=y[:, 3], beds_added=a[:, 0],
                               nursing_added=a[:, 1])
