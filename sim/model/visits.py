"""Monthly visits (探访关爱): requirements and each helper's route.

What is modelled: every elder in a target group (solitary, empty-nest,
left-behind, dependent, special hardship: policy-docs/001 §(二)3) alive at the
start of a month needs one visit that month.  Each elder is assigned to the
visiting helper based nearest to her village (helpers of the same village share
its elders in proportion to their visiting hours).  Each helper's month is a
nearest-neighbour route over its villages from its base; with ``rotate`` (the
default) the elders not visited longest come first (never visited first), each
class on that tour, so a short-handed helper rotates through everyone instead
of seeing the same elders every month.  The helper walks the route
within ``visit_hours_per_week`` on its workdays (`sim.model.helpers`), where a
helper on a visit is busy and the emergency dispatcher skips it: the
contention this service exists to show.

At each month's end every requirement is settled: visited on time, the elder
died first, or missed (never carried over, never hidden); a visit under way
when its month closes is recorded late; the requirements of the last,
incomplete month are reported as open.  With ``phone_share`` a share of each
month's requirements, drawn from their own stream, is met by a phone visit
通讯探访 (001 (二)3 allows 上门探视、通讯探访): called first, with
``phone_duration`` and no travel (a helper job with village ``routes.PHONE``).  Clock in days, durations in
minutes.
"""

from __future__ import annotations

import numpy as np

from sim.config.services import VisitsConfig
from sim.model.distributions import sample
from sim.model.duty import DutyHelpers
from sim.model.records import Records, RecordTable
from sim.model.responders import Responders, share_elders, village_helpers
from sim.model.routes import (
    Durations,
    Routes,
    SourceArrays,
    TaskSource,
    between,
    first_n,
    lex_order,
    travel_modes,
)
from sim.population.demography import MONTH_DAYS
from sim.population.elders import Elders

MIN_PER_DAY = 1440.0
OUTCOMES = ("on_time", "missed", "died_first", "open_at_end", "late")
ON_TIME, MISSED, DIED_FIRST, OPEN, LATE = range(5)

VISIT_DTYPE = np.dtype([
    ("month", np.int32), ("elder", np.int32), ("village", np.int32), ("helper", np.int32),
    ("start_day", np.float64), ("end_day", np.float64), ("travel_min", np.float64),
    ("visit_min", np.float64), ("outcome", np.int8),
])


class VisitDemand:
    """A monthly hook recording who needs a visit each month (NumPy)."""

    def __init__(self, rules: VisitsConfig):
        self.rules = rules
        self.due: list[np.ndarray] = []

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        r = self.rules
        living, econ = elders.living[alive], elders.economic[alive]
        target = ((r.solitary & (living == 0)) | (r.empty_nest & (living == 1))
                  | (r.left_behind & (living == 2)) | (r.dependent & (elders.adl[alive] > 0))
                  | (r.special_hardship & (econ == 0)))
        self.due.append(alive[target].astype(np.int64))


class VisitRoutes(TaskSource):
    """The monthly visiting requirements and routes of one replication (a task source)."""

    def __init__(self, env, rules: VisitsConfig, units: Responders, minutes: list[np.ndarray],
                 due: list[np.ndarray], elder_village: np.ndarray, death_day: np.ndarray,
                 rng: np.random.Generator, records: Records, horizon_days: float,
                 volunteers: np.ndarray | None = None, phone_rng: np.random.Generator | None = None,
                 duty=None, order_rng: np.random.Generator | None = None):
        self.env, self.rules, self.units = env, rules, units
        # time-bank volunteers: they take, from the end, the visits of their village nobody has taken
        self.volunteers = np.zeros(0, np.int64) if volunteers is None else np.asarray(volunteers, np.int64)
        self.volunteer_of = np.full(units.minutes_to.shape[1], -1, dtype=np.int64)
        self.volunteer_of[units.base[self.volunteers]] = self.volunteers
        self.due, self.village, self.death = due, elder_village, death_day
        self.rng, self.horizon = rng, horizon_days
        self.visitors = np.flatnonzero(units.visit_hours > 0)
        self.records = records.table("visits", VISIT_DTYPE)
        self._on_duty = DutyHelpers(units, self.visitors, duty, village_helpers)   # dated bases
        self.helper_of = self._on_duty.table
        self._mats, self._mode = travel_modes(minutes)
        self._base = units.base.astype(np.int64)
        self.routes = Routes(len(units))               # each helper's elders this month, in visiting order
        self.visited = np.zeros(len(elder_village), dtype=bool)
        self.claimed = np.zeros(len(elder_village), dtype=bool)   # in a stretch under way
        self.last_visit = np.full(len(elder_village), -1, dtype=np.int64)   # month last visited (-1: never)
        # within a village and class, a helper's own order of her elders: drawn once (rotate), else by index
        self.order = np.arange(len(elder_village), dtype=np.int64)
        if rules.rotate and order_rng is not None:
            self.order = order_rng.permutation(len(elder_village)).astype(np.int64)
        # visits made on time are written after every other requirement (the table's order)
        self._on_time = RecordTable(VISIT_DTYPE)
        self._late: list[tuple] = []
        # visit durations, drawn in blocks and read in the order jobs are looked at (`Durations`)
        self.durations = Durations(lambda n: sample(rules.duration, rng, n), 8192)
        # phone visits 通讯探访 (001 (二)3): this month's requirements met by a call, without travel
        self.phone_rng = phone_rng
        self.phone = np.zeros(len(elder_village), dtype=bool)
        self.phone_durations = Durations(lambda n: sample(rules.phone_duration, phone_rng, n), 4096) \
            if phone_rng is not None else None
        if len(self.visitors) or len(self.volunteers):
            env.process(self._months())

    # ------------------------------------------------------------------ monthly requirements
    def _months(self):
        from sim.model.tour_kernel import tour_ranks  # numba: loaded by the processes that simulate

        for m, due in enumerate(self.due):
            start = m * MONTH_DAYS
            if start >= self.horizon:
                return
            if start > self.env.now:
                yield self.env.timeout(start - self.env.now)
            self._settle(m - 1)
            self.phone[:] = False
            if self.rules.phone_share > 0 and self.phone_rng is not None:
                self.phone[due[self.phone_rng.random(len(due)) < self.rules.phone_share]] = True
            self.helper_of = self._on_duty.at(start)
            pick = share_elders(self.helper_of, self.village[due], due, self.units.visit_hours)
            served = pick >= 0
            rank = np.zeros(len(due), np.int64)   # each helper's villages on its nearest-neighbour tour
            rank[served] = tour_ranks(self._mats, self._mode, self._base, pick[served],
                                      self.village[due[served]], len(self._mats[0]))
            # rotation: those not visited longest first (-1, never, before any month)
            last = self.last_visit[due] if self.rules.rotate else np.zeros(len(due), np.int64)
            paid = np.flatnonzero(served)
            unit, entry = [pick[paid]], [due[paid]]
            # calls first, then by last visit, then the tour
            keys = [(self.order[due[paid]], rank[paid], last[paid], ~self.phone[due[paid]])]
            if len(self.volunteers):      # volunteers: their village's elders by last visit, last first
                vol = self.volunteer_of[self.village[due]]
                mine = np.flatnonzero(vol >= 0)
                unit.append(vol[mine])
                entry.append(due[mine])
                keys.append((-self.order[due[mine]], np.zeros(len(mine), np.int64), last[mine],
                             np.zeros(len(mine), bool)))
                served |= vol >= 0
            unit, entry = np.concatenate(unit), np.concatenate(entry)
            k4, k3, k2, k1 = (np.concatenate(k) for k in zip(*keys))
            order = lex_order((k4, k3, k2, k1, unit))
            self.routes.assign_sorted(unit[order], entry[order], m)
            unserved = due[~served]
            self._log(m, unserved, -1, np.nan, np.nan, np.nan, np.nan, MISSED)

    def _log(self, month, elders, helper, start, end, travel, visit, outcome) -> None:
        elders = np.atleast_1d(np.asarray(elders, dtype=np.int64))
        if len(elders):
            self.records.add(month, elders, self.village[elders], helper, start, end, travel, visit, outcome)

    def _settle(self, month: int, complete: bool = True) -> None:
        """Close month ``month``: what is left of each route is missed (or the elder died first)."""
        if month < 0:
            return
        end = min((month + 1) * MONTH_DAYS, self.horizon)
        routes = np.flatnonzero((self.routes.period == month) & (self.routes.length > 0))
        if len(routes):
            pending = np.flatnonzero(np.bincount(self.routes.entries_of(routes), minlength=len(self.visited)))
            left = pending[~self.visited[pending]]    # includes those skipped because they died
            died = self.death[left] < end
            self._log(month, left[died], -1, np.nan, np.nan, np.nan, np.nan, DIED_FIRST)
            self._log(month, left[~died], -1, np.nan, np.nan, np.nan, np.nan, MISSED if complete else OPEN)
        self.routes.length[routes] = 0
        self.visited[:] = False
        self.claimed[:] = False

    def finish(self) -> None:
        """Settle the last month (open if it is incomplete) and write the records."""
        for m in np.unique(self.routes.period[self.routes.length > 0]):
            complete = (m + 1) * MONTH_DAYS <= self.horizon + 1e-9
            self._settle(m, complete)
        self.records.extend(self._on_time.to_array())
        self._on_time = RecordTable(VISIT_DTYPE)
        if self._late:   # visits made just after their month was settled as missed: late, not missed
            cols = self.records.to_array()     # the whole table (merged once), changed in place
            month, e, h, start, end, trip, visit = (np.concatenate(c) for c in zip(*self._late))
            key = cols["month"].astype(np.int64) * (len(self.village) + 1) + cols["elder"]
            late_key = month.astype(np.int64) * (len(self.village) + 1) + e
            row = np.flatnonzero(np.isin(key, late_key) & (cols["outcome"] == MISSED))
            del key
            at = np.searchsorted(np.sort(late_key), cols["month"][row].astype(np.int64)
                                 * (len(self.village) + 1) + cols["elder"][row])
            order = np.argsort(late_key)
            src = order[at]
            cols["outcome"][row] = LATE
            for name, values in (("helper", h), ("start_day", start), ("end_day", end),
                                 ("travel_min", trip), ("visit_min", visit)):
                cols[name][row] = values[src]

    # ------------------------------------------------------------------ the task-source interface
    def arrays(self) -> SourceArrays:
        """Entries are elders, due this month; visited ones are done; durations are drawn."""
        return SourceArrays(self.routes, None, self.visited, self.claimed, None, False, False, self.phone)

    def commit_many(self, units, token, n, starts, ends, travel, work) -> None:
        month, positions, held = token
        did = first_n(n, held.shape[1])
        self.claimed[held[did]] = False
        self.last_visit[held[did]] = np.broadcast_to(month[:, None], held.shape)[did]   # on time, late
        late = month != self.routes.period[units]          # the month closed while the stretch went on
        if not np.count_nonzero(late):
            r = did.nonzero()[0]
            if len(r):
                e = held[did]
                self._on_time.add(month[r], e, self.village[e], units[r], starts[did], ends[did], travel[did],
                                  work[did], ON_TIME)
            self.visited[held[did]] = True
            return
        for rows, out in ((~late, self._on_time), (late, self._late)):
            mask = did & rows[:, None]
            if not mask.any():
                continue
            r = mask.nonzero()[0]
            cols = (month[r], held[mask], units[r], starts[mask], ends[mask], travel[mask], work[mask])
            if out is self._late:
                out.append(cols)
            else:
                m, e, h, start, end, trip, visit = cols
                out.add(m, e, self.village[e], h, start, end, trip, visit, ON_TIME)
        self.visited[held[did & ~late[:, None]]] = True

    def rewind_many(self, units, token, n, keep) -> None:
        month, positions, held = token
        now = month == self.routes.period[units]
        self.claimed[held[between(keep, n, held.shape[1]) & now[:, None]]] = False
        self.routes.rewind(units[now], positions[now], n[now], keep[now])
