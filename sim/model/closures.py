"""Consolidation 敬老院撤并 of the bed service: closure stages, transfers, upgrades (in SimPy).

A mix-in of `sim.model.beds.BedService`, kept apart so each module stays one
noun: on each stage day, homes not kept that meet the stage's rule close (``at_most_residents``
is inclusive: 入住10人以下 = at most 10, policy-docs/002 三(二); ``close_remote_small`` closes the
most remote and smallest, 偏、远、小, 003 §2); their residents move to the nearest open kept home
(or any open home, ``move_to: open``) with a suitable free bed, or join the waiting list first in
line; staff follow the residents; a freed building becomes a facility operating from that day.
Upgrades raise kept homes' beds and nursing-type share on their dates; a county special-support
home stays 100% nursing-type (001 (一)1); with ``staff_upgrades`` an upgrade hires care staff for
the beds it adds or converts by the staffing rule of CALIBRATION §5 (1 per 10 self-care, 1 per 3
nursing-type beds).
"""

from __future__ import annotations

import numpy as np

from sim.model.bed_demand import APPLICATION_DTYPE
from sim.model.bed_records import CLOSED, DISPLACED, FREED_USES, TRANSFERRED, UPGRADED, YEAR_DAYS
from sim.world.bounds import BEDS_PER_STAFF_NURSING as PER_NURSING
from sim.world.bounds import BEDS_PER_STAFF_SELF_CARE as PER_SELF_CARE


def care_staff(beds: int, nursing: int) -> int:
    """Care staff a home of ``beds`` beds, ``nursing`` of them nursing-type, needs (CALIBRATION §5
    staffing [M], rounded up)."""
    return -(-((int(beds) - int(nursing)) * PER_NURSING + int(nursing) * PER_SELF_CARE)
             // (PER_SELF_CARE * PER_NURSING))


class Consolidation:
    """Closures, transfers and upgrades; uses the bed service's state and bookkeeping."""

    def _consolidation(self):
        plan = self.plan
        timeline = sorted([(s.day, 0, s) for s in plan.stages] + [(u[0], 1, u) for u in plan.upgrades],
                          key=lambda x: (x[0], x[1]))
        for day, what, item in timeline:
            if day >= self.horizon:
                return
            if day > self.env.now:
                yield self.env.timeout(day - self.env.now)
            if what == 0:
                self._close_stage(item)
            else:
                self._upgrade(item)
            self._serve_waiting()

    def _close_stage(self, stage) -> None:
        residents = self.occ.sum(axis=1)
        closing = self.open & ~self.plan.kept
        rule = np.zeros(len(closing), dtype=bool) | stage.all_not_kept
        if stage.at_most_residents is not None:   # 入住10人以下: at most 10 (002 三(二)), inclusive
            rule |= residents <= stage.at_most_residents
        if stage.below_residents is not None:     # deprecated alias (the plan resolves it), strictly fewer
            rule |= residents < stage.below_residents
        if stage.below_beds is not None:
            rule |= self.beds < stage.below_beds
        if stage.below_occupancy is not None:
            with np.errstate(invalid="ignore", divide="ignore"):
                rule |= residents / np.maximum(self.beds, 1) < stage.below_occupancy
        if stage.close_remote_small:
            # 偏、远、小 (policy-docs/003 §2): most remote and smallest first, by the sum of both ranks [A]
            cand = np.flatnonzero(closing & ~rule)
            far = self.minutes[self.village[cand], self.plan.seat_village]
            rank = lambda x: np.argsort(np.argsort(x, kind="stable"))  # noqa: E731
            score = rank(-far) + rank(self.beds[cand])
            rule[cand[np.lexsort((-far, score))[: stage.close_remote_small]]] = True
        self._closing = closing & rule              # no one moves into a home closing the same day
        for h in np.flatnonzero(closing & rule)[np.argsort(residents[closing & rule], kind="stable")]:
            self._close(int(h))
        self._closing = None

    def _close(self, home: int) -> None:
        self._accrue()
        self.open[home] = False
        self.closed_day[home] = self.env.now
        self._log(CLOSED, -1, home=home)
        movers = np.flatnonzero(self.home_of == home)
        movers = movers[np.lexsort((movers, ~self.hardship[movers], ~self.bed_of[movers]))]
        received = np.zeros(len(self.village), dtype=np.int64)
        targets = self.open & (self.plan.kept | (self.plan.move_to == "open"))
        if self._closing is not None:
            targets &= ~self._closing
        targets = np.flatnonzero(targets)
        for e in movers:
            e = int(e)
            village = int(self.elder_village[e])
            nursing = bool(self.bed_of[e])
            self._vacate(e)
            new, bed = self._choose(village, nursing, use_reserve=True, homes=targets)
            if new >= 0:
                self._accrue()
                self.home_of[e] = new
                self.bed_of[e] = bed
                self.occ[new, int(bed)] += 1
                received[new] += 1
                self._log(TRANSFERRED, e, home=new, from_home=home, nursing=bed, hardship=self.hardship[e],
                          km=self.road_km[village, self.village[new]],
                          extra=self.minutes[self.village[new], village]
                          - self.minutes[self.village[home], village])
            else:
                self.stay[e] += 1  # the pending leave process no longer applies
                i = self._readmission(e, village, nursing)
                self.waiting.insert(0, i)
                self.in_list[e] = True
                self._log(DISPLACED, e, from_home=home, nursing=nursing, hardship=self.hardship[e])
        if self.plan.staff_move and self.staff[home] > 0:
            self._move_staff(home, received, targets)
        if self.plan.freed_building != "none":
            freed = self.plan.freed_facility
            if freed is not None and self.facility_open_day is not None and freed[home] >= 0:
                self.facility_open_day[freed[home]] = self.env.now    # it operates from today
            self.facility_changes.append(day=self.env.now, home=home, village=self.village[home],
                                         becomes=FREED_USES.index(self.plan.freed_building))

    def _readmission(self, elder: int, village: int, nursing: bool) -> int:
        """An application row for a displaced resident, first in line; the same leave day."""
        leave = self.leave_day[elder]
        row = np.zeros(1, dtype=APPLICATION_DTYPE)
        row["day"], row["elder"], row["village"] = self.env.now, elder, village
        row["hardship"], row["nursing"] = self.hardship[elder], nursing
        row["death_day"] = self.death_day[elder]
        row["discharge_after_days"] = max(leave - self.env.now, 0.0) \
            if leave < self.death_day[elder] else np.inf
        self.apps = np.concatenate([self.apps, row])
        self.displaced.add(len(self.apps) - 1)
        return len(self.apps) - 1

    def _move_staff(self, home: int, received: np.ndarray, targets: np.ndarray) -> None:
        self._accrue()
        staff = int(self.staff[home])
        self.staff[home] = 0
        if received.sum() > 0:
            share = np.floor(staff * received / received.sum()).astype(np.int64)
            share[np.argmax(received)] += staff - share.sum()
        elif len(targets):
            share = np.zeros_like(received)
            share[targets[np.argmin(self.minutes[self.village[targets], self.village[home]])]] = staff
        else:
            return
        self.staff += share

    def _upgrade(self, upgrade) -> None:
        _, homes, min_beds, min_share = upgrade
        self._accrue()
        all_nursing = self.plan.all_nursing
        for h in homes:
            if not self.open[h]:
                continue
            new_beds = max(0, min_beds - self.beds[h])
            before = care_staff(self.beds[h], self.nursing[h])
            self.beds[h] += new_beds
            target_nursing = int(np.ceil(min_share * self.beds[h] - 1e-9))
            if all_nursing is not None and all_nursing[h]:
                # a county special-support home stays 100% nursing-type (001 (一)1): its new beds are
                # built nursing-type, and any ordinary bed left is converted
                self.nursing[h] += new_beds
                target_nursing = int(self.beds[h])
            converted = max(0, target_nursing - self.nursing[h])
            self.nursing[h] += converted
            if self.plan.staff_upgrades:      # new care staff for the added and converted beds
                self.staff[h] += max(0, care_staff(self.beds[h], self.nursing[h]) - before)
            self.added[h] += (new_beds, converted)
            year = min(int(self.env.now // YEAR_DAYS), self.years - 1)
            self.added_yearly[year, h] += (new_beds, converted)
            if new_beds or converted:
                self._log(UPGRADED, -1, home=h, beds_added=new_beds, nursing_added=converted)

