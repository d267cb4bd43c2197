"""Monthly visits (探访关爱) by helpers who are also needed elsewhere, in SimPy.

What is modelled: every elder in a target group (solitary, empty-nest,
left-behind, dependent, special hardship: policy-docs/001 §(二)3) alive at the
start of a month needs one visit that month.  Each elder is assigned to the
visiting helper based nearest to her village (helpers of the same village share
its elders).  On weekdays, within their shift, helpers spend up to
``visit_hours_per_week`` a week (early in the week, travel home included),
visiting their elders along a nearest-neighbour route over villages, by their
travel mode, then return to base.  A helper on a visit
is busy: the emergency dispatcher skips it (no pre-emption), which is the
contention this service exists to show.  A helper busy with an emergency when
it wants to visit waits until it is free.

At each month's end every requirement is settled: visited on time, the elder
died first, or missed; the requirements of the last, incomplete month are
reported as open.  Clock in days, durations in minutes.
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.config.services import VisitsConfig
from sim.model.distributions import sample
from sim.model.records import Records
from sim.model.responders import Responders
from sim.population.demography import MONTH_DAYS
from sim.population.elders import Elders

MIN_PER_DAY = 1440.0
OUTCOMES = ("on_time", "missed", "died_first", "open_at_end")
ON_TIME, MISSED, DIED_FIRST, OPEN = range(4)

VISIT_DTYPE = np.dtype([
    ("month", np.int32), ("elder", np.int32), ("village", np.int32), ("helper", np.int32),
    ("start_day", np.float64), ("end_day", np.float64), ("travel_min", np.float64),
    ("visit_min", np.float64), ("outcome", np.int8),
])
TRIP_DTYPE = np.dtype([("helper", np.int32), ("start_day", np.float64), ("end_day", np.float64),
                       ("kind", np.int8)])  # kind 1 = return to base (visits are in VISIT_DTYPE)


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


class VisitService:
    """Visiting helpers and the monthly requirements of one replication."""

    def __init__(self, env: simpy.Environment, rules: VisitsConfig, units: Responders, busy: np.ndarray,
                 on_release, wanted, minutes: dict[str, np.ndarray], modes: list[str], due: list[np.ndarray],
                 elder_village: np.ndarray, death_day: np.ndarray, rng: np.random.Generator,
                 records: Records, horizon_days: float):
        self.env, self.rules, self.units, self.busy = env, rules, units, busy
        self.on_release, self.wanted = on_release, wanted
        self.due, self.village, self.death = due, elder_village, death_day
        self.rng, self.horizon = rng, horizon_days
        self.minutes = [minutes[modes[k]] for k in units.kind]          # per unit: its mode's matrix
        self.visitors = np.flatnonzero(units.visit_hours > 0)
        self.records = records.table("visits", VISIT_DTYPE)
        self.trips = records.table("helper_trips", TRIP_DTYPE)
        self.helper_of = self._assign_villages()
        self.route: dict[int, np.ndarray] = {}        # helper -> this month's elders, in visiting order
        self.route_pos: dict[int, int] = {}
        self.route_month: dict[int, int] = {}
        self.visited = np.zeros(len(elder_village), dtype=bool)
        self._rows: list[tuple] = []
        self._on_time: list[tuple] = []
        self._buf, self._buf_pos = np.zeros(0), 0
        self._trips: list[tuple] = []
        self.visit_minutes = np.zeros(len(units))
        if len(self.visitors):
            env.process(self._months())
            for u in self.visitors:
                env.process(self._helper(int(u)))

    def _assign_villages(self) -> np.ndarray:
        """(villages, k) visiting helpers of each village: those based in it, else the nearest."""
        n_v = self.units.minutes_to.shape[1]
        if len(self.visitors) == 0:
            return np.zeros((n_v, 0), dtype=np.int64)
        m = self.units.minutes_to[self.visitors]                       # (visitors, villages)
        local = self.units.base[self.visitors][:, None] == np.arange(n_v)[None, :]
        nearest = m == m.min(axis=0)
        ties = np.where(local.any(axis=0), local, nearest)
        width = int(ties.sum(axis=0).max())
        out = np.full((n_v, width), -1, dtype=np.int64)
        for v in range(n_v):  # a loop over villages (a few hundred), once per replication
            mine = self.visitors[ties[:, v]]
            out[v, : len(mine)] = mine
        return out

    # ------------------------------------------------------------------ monthly requirements
    def _months(self):
        for m, due in enumerate(self.due):
            start = m * MONTH_DAYS
            if start >= self.horizon:
                return
            if start > self.env.now:
                yield self.env.timeout(start - self.env.now)
            self._settle(m - 1)
            helpers = self.helper_of[self.village[due]]
            counts = (helpers >= 0).sum(axis=1)
            # share a village's elders among its helpers in proportion to their visiting hours,
            # the same way every month (a fixed, well-spread number per elder)
            hours = np.where(helpers >= 0, self.units.visit_hours[np.maximum(helpers, 0)], 0.0)
            cum = np.cumsum(hours, axis=1) / np.maximum(hours.sum(axis=1, keepdims=True), 1e-12)
            spread = (due * 0.6180339887498949) % 1.0
            slot = np.minimum((cum <= spread[:, None]).sum(axis=1), np.maximum(counts - 1, 0))
            pick = helpers[np.arange(len(due)), slot]
            served = counts > 0
            for h in np.unique(pick[served]):     # a loop over helpers: each gets its month's route
                mine = due[served][pick[served] == h]
                self.route[int(h)] = self._route(int(h), mine)
                self.route_pos[int(h)] = 0
                self.route_month[int(h)] = m
            for h in set(self.route) - set(np.unique(pick[served]).tolist()):
                self.route[h] = np.zeros(0, dtype=np.int64)
            unserved = due[~served]
            self._log(m, unserved, -1, np.nan, np.nan, np.nan, np.nan, MISSED)

    def _route(self, h: int, elders: np.ndarray) -> np.ndarray:
        """Nearest-neighbour tour over the helper's villages from its base; elders in index order."""
        matrix = self.minutes[h]
        villages = np.unique(self.village[elders])
        order, here, left = [], int(self.units.base[h]), list(villages.tolist())
        while left:  # a loop over this helper's villages (usually one or a few)
            nxt = left[int(np.argmin(matrix[here, left]))]
            order.append(nxt)
            left.remove(nxt)
            here = nxt
        rank = np.empty(int(self.village.max()) + 1 if len(self.village) else 1, dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
        return elders[np.lexsort((elders, rank[self.village[elders]]))]

    def _log(self, month, elders, helper, start, end, travel, visit, outcome) -> None:
        elders = np.atleast_1d(np.asarray(elders, dtype=np.int64))
        if len(elders):
            self._rows.append((np.full(len(elders), month), elders, self.village[elders],
                               np.full(len(elders), helper), np.full(len(elders), start),
                               np.full(len(elders), end), np.full(len(elders), travel),
                               np.full(len(elders), visit), np.broadcast_to(outcome, len(elders))))

    def _settle(self, month: int, complete: bool = True) -> None:
        """Close month ``month``: what is left of each route is missed (or the elder died first)."""
        if month < 0:
            return
        end = min((month + 1) * MONTH_DAYS, self.horizon)
        for h, route in self.route.items():
            if self.route_month.get(h) != month:
                continue
            left = route[~self.visited[route]]        # includes those skipped because they died
            died = self.death[left] < end
            self._log(month, left[died], -1, np.nan, np.nan, np.nan, np.nan, DIED_FIRST)
            self._log(month, left[~died], -1, np.nan, np.nan, np.nan, np.nan, MISSED if complete else OPEN)
            self.route[h] = np.zeros(0, dtype=np.int64)
        self.visited[:] = False

    def finish(self) -> None:
        """Settle the last month (open if it is incomplete) and write the records."""
        months = {m for h, m in self.route_month.items() if len(self.route.get(h, ())) }
        for m in sorted(months):
            complete = (m + 1) * MONTH_DAYS <= self.horizon + 1e-9
            self._settle(m, complete)
        if self._on_time:
            month, e, h, start, end, trip, visit = (np.concatenate(c) for c in zip(*self._on_time))
            self._rows.append((month, e, self.village[e], h, start, end, trip, visit,
                               np.full(len(e), ON_TIME)))
        if self._rows:
            cols = [np.concatenate(c) for c in zip(*self._rows)]
            self.records.append(**dict(zip(VISIT_DTYPE.names, cols)))
        if self._trips:
            h, s0, s1 = (np.asarray(c) for c in zip(*self._trips))
            self.trips.append(helper=h, start_day=s0, end_day=s1, kind=1)

    # ------------------------------------------------------------------ a helper's days
    def _durations(self, n: int) -> np.ndarray:
        """The next ``n`` visit durations from a buffer drawn in large blocks (one draw per 8,192)."""
        if self._buf_pos + n > len(self._buf):
            self._buf = sample(self.rules.duration, self.rng, 8192)
            self._buf_pos = 0
        out = self._buf[self._buf_pos: self._buf_pos + n]
        self._buf_pos += n
        return out

    def _plan(self, u: int, now: float, shift_end: float, budget: float, durations: np.ndarray):
        """The day's visits from ``now`` (NumPy over the next stretch of the route).

        Returns (route positions, elders, start days, end days, trip minutes, visit minutes,
        time back at base, minutes used).  The route is walked in order, skipping elders
        dead by the start of the day, while each next visit and the way home still fit in
        the shift and in what is left of the week's budget.
        """
        route, pos = self.route.get(u), self.route_pos.get(u, 0)
        matrix, base = self.minutes[u], int(self.units.base[u])
        stretch = np.arange(pos, min(pos + len(durations), len(route))) if route is not None else []
        if len(stretch) == 0:
            return (np.zeros(0, np.int64),) * 2 + (np.zeros(0),) * 4 + (now, 0.0)
        stretch_end = stretch[-1] + 1
        cand = route[stretch]
        keep = self.death[cand] > now
        stretch, cand = stretch[keep], cand[keep]
        if len(cand) == 0:                                # the whole stretch died: move past it
            self.route_pos[u] = int(stretch_end)
            return (np.zeros(0, np.int64),) * 2 + (np.zeros(0),) * 4 + (now, 0.0)
        v = self.village[cand]
        prev = np.empty_like(v)
        prev[0] = base
        prev[1:] = v[:-1]
        trip = matrix[prev, v]
        visit = durations[: len(cand)]
        done_min = np.cumsum(trip + visit)
        home_min = done_min + matrix[v, base]
        fits = (now + home_min / MIN_PER_DAY <= shift_end) & (home_min <= budget)
        n = len(fits) if fits.all() else int(np.argmin(fits))
        ends = now + done_min[:n] / MIN_PER_DAY
        starts = ends - (trip[:n] + visit[:n]) / MIN_PER_DAY
        if n == 0:
            return (stretch[:0], cand[:0], starts, ends, trip[:0], visit[:0], now, 0.0)
        return (stretch[:n], cand[:n], starts, ends, trip[:n], visit[:n],
                now + home_min[n - 1] / MIN_PER_DAY, float(home_min[n - 1]))

    def _helper(self, u: int):
        units = self.units
        start_h = units.shift_start[u]
        week_budget = units.visit_hours[u] * 60.0
        shift_len = units.shift_minutes()[u]
        contended = bool(units.emergency[u])        # only emergency helpers are wanted elsewhere
        used, week, day = 0.0, -1, 0
        while True:
            begin = day + start_h / 24.0
            day += 1
            if begin >= self.horizon:
                return
            if int(np.floor(begin)) % 7 >= 5:         # weekends off
                continue
            if begin > self.env.now:
                yield self.env.timeout(begin - self.env.now)
            if int(begin // 7) != week:                # a new week: a new budget of visiting hours
                week, used = int(begin // 7), 0.0
            shift_end = begin + shift_len / MIN_PER_DAY
            while self.env.now < shift_end and used < week_budget:
                while self.busy[u] and self.env.now < shift_end:   # on an emergency: wait for it
                    yield self.env.timeout(15.0 / MIN_PER_DAY)
                if self.env.now >= shift_end:
                    break
                route = self.route.get(u, ())
                if self.route_pos.get(u, 0) >= len(route):  # this month's route is done: sleep till next
                    day = max(day, int(np.ceil((self.route_month.get(u, -1) + 1) * MONTH_DAYS)))
                    break
                month = self.route_month[u]
                positions, elders, starts, ends, trips, visits, home, minutes = self._plan(
                    u, self.env.now, shift_end, week_budget - used, self._durations(32))
                if not len(elders):
                    if week_budget - used < 30.0:           # not enough left this week: sleep till Monday
                        day = max(day, (int(begin // 7) + 1) * 7)
                    break
                # the visits as one stretch of busy time; if a call waits for a helper, the
                # stretch ends when the visit under way ends (no pre-emption), the helper is
                # free for the dispatcher and, if not taken, plans the rest of its day again
                self.busy[u] = True
                t0 = self.env.now
                done = len(elders)
                if contended:
                    yield self.env.timeout(home - t0) | self.wanted()
                    if self.env.now < home - 1e-12:
                        done = min(int(np.searchsorted(ends, self.env.now, side="left")) + 1, len(elders))
                        if ends[done - 1] > self.env.now:
                            yield self.env.timeout(ends[done - 1] - self.env.now)
                else:
                    yield self.env.timeout(home - t0)
                self.busy[u] = False
                if self.route_month.get(u) == month:
                    self.visited[elders[:done]] = True
                    self._on_time.append((np.full(done, month), elders[:done], np.full(done, u),
                                          starts[:done], ends[:done], trips[:done], visits[:done]))
                    self.route_pos[u] = int(positions[done - 1]) + 1
                spent = minutes if done == len(elders) else float((trips[:done] + visits[:done]).sum())
                if done == len(elders) and home > ends[-1]:
                    self._trips.append((u, ends[-1], home))
                used += spent
                self.visit_minutes[u] += spent
                if contended:
                    self.on_release()
                if done == len(elders):
                    if week_budget - used < 30.0:
                        day = max(day, (int(begin // 7) + 1) * 7)
                    break                                  # the day's plan is done
