"""Lunch at village canteens (老年食堂, 助餐点) and delivery (送餐上门).

What is modelled: every month, the eligible elders alive at its start (80+,
dependent, solitary, special hardship: each configurable; and ``groups_all_of``,
groups that are an AND of conditions, as policy-docs/000 states its love
canteens' groups: dependent *and* solitary or empty-nest, ...) each want lunch on a day
with ``daily_probability`` (drawn for the whole month at once from the meals
stream, so every scenario sees the same wishes).  Each morning, in one compiled
pass over the day's wishes (`sim.model.meal_kernels`; no SimPy process per elder):

- elders who died or live in a nursing home no longer want a canteen lunch;
- only canteens already operating serve (a canteen at a service point that opens
  on a later dated step, or in a freed nursing home, from its opening day);
- on a day canteens are closed every wish is unmet (``closed``);
- an elder who walks (ADL state up to ``walk_max_adl``) and lives within
  ``walk_threshold_min`` of a canteen dines in at the nearest one, in random
  order up to seats x sittings and the kitchen's meals a day (else ``full``);
- the others, if the policy offers delivery, order from the nearest canteen
  with couriers within ``delivery_radius_min`` (ebike), up to what its kitchen
  has left and ``delivery_max_per_canteen`` (else ``full``); with no canteen in
  reach the wish is unmet (``no_service``);
- the orders are shared among the canteen's couriers, who deliver them in SimPy
  (`sim.model.helpers`): a meal handed over after ``delivery_deadline_hour`` is
  not delivered (``late``).

Every wish ends in exactly one outcome: demanded = dine-in + delivered + unmet,
recorded per village and day.  Clock in days.
"""

from __future__ import annotations

import numpy as np

from sim.config.services import MealsConfig
from sim.model.distributions import sample
from sim.model.records import PACK_ROWS, Records
from sim.model.responders import Responders
from sim.policy.groups import any_group
from sim.population.demography import MONTH_DAYS
from sim.population.elders import Elders
from sim.world.county import County

MEAL_OUTCOMES = ("dine_in", "delivered", "closed", "full", "no_service", "late")
DINE_IN, DELIVERED, CLOSED, FULL, NO_SERVICE, LATE = range(6)
ELIGIBLE_DTYPE = np.dtype([("month", np.int32), ("eligible", np.int64)])
MEALS_DTYPE = np.dtype([("day", np.int32), ("village", np.int32), ("demanded", np.int32)]
                       + [(o, np.int32) for o in MEAL_OUTCOMES])
ALLOCATE_HOUR = 9.0      # orders are taken in the morning, before the lunch round
AGE_80 = 80 * 12


def month_days(month: int) -> np.ndarray:
    """The whole days that start in month ``month`` (months of 365.25/12 days)."""
    return np.arange(int(np.ceil(month * MONTH_DAYS - 1e-9)), int(np.ceil((month + 1) * MONTH_DAYS - 1e-9)))


class MealDemand:
    """A monthly hook recording the eligible elders and their ADL state (NumPy)."""

    def __init__(self, rules: MealsConfig):
        self.rules = rules
        self.eligible: list[np.ndarray] = []
        self.adl: list[np.ndarray] = []

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        r = self.rules
        ok = ((r.age_80_plus & (elders.age_months[alive] >= AGE_80))
              | (r.dependent & (elders.adl[alive] > 0))
              | (r.solitary & (elders.living[alive] == 0))
              | (r.special_hardship & (elders.economic[alive] == 0)))
        if r.groups_all_of:
            ok |= any_group(elders, alive, [g.all_of for g in r.groups_all_of])
        self.eligible.append(alive[ok].astype(np.int64))
        self.adl.append(elders.adl[alive[ok]].astype(np.int8))


def canteen_table(county: County, couriers: np.ndarray, units: Responders, rules: MealsConfig,
                  open_: np.ndarray | None = None):
    """Per village: nearest open canteen by walking and its minutes; nearest open canteen with couriers
    by ebike within the delivery radius (-1: none).  Per courier: its canteen.  ``open_`` (per canteen,
    default all) leaves canteens not yet operating out."""
    f = county.facilities
    canteens = f.of_kind("canteen")
    cv = f.village[canteens]
    walk, ebike = county.travel["walk"], county.travel["ebike"]
    n_v = len(county.villages)
    if len(canteens) == 0:
        none = np.full(n_v, -1, dtype=np.int64)
        return canteens, none, np.full(n_v, np.inf), none, np.full(len(couriers), -1, dtype=np.int64)
    shut = np.zeros(len(canteens), dtype=bool) if open_ is None else ~open_
    w = np.where(shut[None, :], np.inf, walk[:, cv])            # (villages, canteens)
    walk_to = np.argmin(w, axis=1)
    walk_min = w[np.arange(n_v), walk_to]
    # each courier serves the canteen in its base village, else the nearest by its own mode
    own = units.minutes_to[couriers][:, cv] if len(couriers) else np.zeros((0, len(cv)))
    courier_canteen = np.argmin(own, axis=1) if len(couriers) else np.zeros(0, dtype=np.int64)
    staffed = np.zeros(len(canteens), dtype=bool)
    staffed[courier_canteen] = True
    e = np.where(staffed[None, :] & ~shut[None, :] & (ebike[:, cv] <= rules.delivery_radius_min),
                 ebike[:, cv], np.inf)
    deliver_to = np.where(np.isfinite(e).any(axis=1), np.argmin(e, axis=1), -1)
    return canteens, walk_to, walk_min, deliver_to, courier_canteen


class MealService:
    """The daily lunch allocation of one replication; couriers deliver in `sim.model.helpers`."""

    def __init__(self, env, rules: MealsConfig, county: County, units: Responders, demand: MealDemand,
                 elder_village: np.ndarray, death_day: np.ndarray, in_home, rng: np.random.Generator,
                 handoff_rng: np.random.Generator, records: Records, horizon_days: float,
                 facility_open_day: np.ndarray | None = None, aid=None):
        from sim.model import meal_kernels  # numba: loaded by the processes that simulate

        self.K = meal_kernels
        self.env, self.rules, self.demand = env, rules, demand
        self.village, self.death, self.in_home = elder_village, death_day, in_home
        self.rng, self.handoff_rng, self.horizon = rng, handoff_rng, horizon_days
        self.n_villages = len(county.villages)
        self.couriers = np.flatnonzero(units.delivers_meals) if rules.delivery else np.zeros(0, np.int64)
        (self.canteens, self.walk_to, self.walk_min, self.deliver_to,
         courier_canteen) = canteen_table(county, self.couriers, units, rules)
        self.canteen_village = county.facilities.village[self.canteens]
        # canteens that open later (a dated step, a freed home): the tables are rebuilt when the set changes
        self.county, self.units, self.open_day = county, units, facility_open_day
        self._open = np.ones(len(self.canteens), dtype=bool)
        self._refresh(0.0)
        self.courier_canteen = np.full(len(units), -1, dtype=np.int64)
        self.courier_canteen[self.couriers] = courier_canteen
        self.n_couriers = np.bincount(courier_canteen, minlength=len(self.canteens))
        # the couriers of each canteen in unit order (-1 pads), to share its orders in turn
        width = max(int(self.n_couriers.max(initial=0)), 1)
        self._courier_table = np.full((len(self.canteens), width), -1, np.int64)
        if len(self.couriers):
            by = np.argsort(courier_canteen, kind="stable")
            slot = np.arange(len(by)) - (np.cumsum(self.n_couriers) - self.n_couriers)[courier_canteen[by]]
            self._courier_table[courier_canteen[by], slot] = self.couriers[by]
        seats = county.facilities.seats[self.canteens].astype(np.int64)
        self.dine_capacity = np.minimum(seats * rules.sittings, rules.kitchen_meals_per_day)
        self._delivery = bool(rules.delivery and len(self.couriers))
        self.open_days = np.zeros(7, dtype=bool)
        self.open_days[list(rules.operating_days)] = True
        self._weekdays = tuple(bool(o) for o in self.open_days)
        self._start, self._deadline = rules.delivery_start_hour / 24.0, rules.delivery_deadline_hour / 24.0
        self.records = records.table("meals", MEALS_DTYPE)
        sizes = [len(e) for e in demand.eligible]                # who may want lunch, month by month
        records.table("meal_eligible", ELIGIBLE_DTYPE).append(month=np.arange(len(sizes)), eligible=sizes)
        # the day's orders sorted by courier: (courier, elder, village, index in the day's wishes)
        self._round: tuple | None = None
        self._taken = np.zeros(len(units), dtype=bool)         # couriers whose round was handed out
        self._day = -1
        self._outcome = np.zeros(0, np.int8)
        self._elders = np.zeros(0, np.int64)
        self._v = np.zeros(0, np.int64)
        self._rows: list[np.ndarray] = []       # the days' record rows, written in chunks
        self._rows_n = 0
        self._buf, self._buf_pos = np.zeros(0), 0
        self.served = 0
        self.aid = aid                         # time-bank 助餐 on call (`sim.model.mutual_aid`), or None
        if len(demand.eligible):
            env.process(self._days())

    def _refresh(self, now: float) -> None:
        """Rebuild the walking and delivery tables if a canteen has opened since."""
        if self.open_day is None or not len(self.canteens):
            return
        if not self.K.opened(self.open_day, self.canteens, float(now), self._open):
            return
        self._open = self.open_day[self.canteens] <= now
        (_, self.walk_to, self.walk_min, self.deliver_to,
         _) = canteen_table(self.county, self.couriers, self.units, self.rules, self._open)

    # ------------------------------------------------------------------ the daily allocation
    def _days(self):
        r = self.rules
        scale = max(r.daily_probability, 1e-300)
        for month, eligible in enumerate(self.demand.eligible):
            days = month_days(month)
            days = days[days < self.horizon]
            if not len(days):
                return
            u = self.rng.random((len(eligible), len(days)))       # the whole month's wishes at once
            u = self.K.transpose(u)                                    # day by day
            adl = self.demand.adl[month]
            # their villages and death days (fixed in the demand stage), side by side for the days
            village, death = self.village[eligible].astype(np.int64), self.death[eligible]
            for j, day in enumerate(days.tolist()):               # a loop over days, compiled within
                t = day + ALLOCATE_HOUR / 24.0
                if t >= self.horizon:
                    return
                if t > self.env.now:
                    yield self.env.timeout(t - self.env.now)
                self._settle()
                self._refresh(self.env.now)
                self._allocate(day, u[j], scale, eligible, village, death, adl)

    def _allocate(self, day: int, u: np.ndarray, scale: float, eligible: np.ndarray, village: np.ndarray,
                  death: np.ndarray, adl: np.ndarray) -> None:
        """Day ``day``'s wishes: the day's draws ``u`` (one per eligible elder) below
        ``daily_probability``; the key ``u / scale`` is their uniform order."""
        r = self.rules
        self._round, self._taken[:] = None, False
        self._day = day
        serve = 0 if not self.open_days[day % 7] else 1 if not len(self.canteens) else 2
        (elders, v, key, out, dine, cooked, rc, re, rv, ri) = self.K.allocate(
            serve, u, float(r.daily_probability), scale, eligible, village, death, adl,
            self.in_home(eligible), float(self.env.now), self.walk_to, self.walk_min, r.walk_max_adl,
            float(r.walk_threshold_min), self.dine_capacity, self._delivery, self.deliver_to,
            int(r.kitchen_meals_per_day), int(r.delivery_max_per_canteen), self.n_couriers,
            self._courier_table)
        self._elders, self._v, self._outcome = elders, v, out
        if serve < 2:
            return
        if self._delivery:
            self._round = (rc, re, rv, ri)
        self._neighbours(v, key, dine, cooked, out)

    def _neighbours(self, v, key, dine, cooked, out) -> None:
        """助餐 by time-bank members on call (`sim.model.mutual_aid`): a wish left unmet by the
        paid service (no courier in reach, or orders full) of an elder who does not dine in is carried
        from the nearest open canteen within ``meal_carry_max_walk_min`` while its kitchen has meals
        left and the village's aid hours last (in the day's random order)."""
        if self.aid is None or not self.aid.meals_on:
            return
        near = self.walk_to[v]
        reach = self.walk_min[v] <= self.aid.p.meal_carry_max_walk_min
        can = ~dine & ((out == NO_SERVICE) | (out == FULL)) & (near >= 0) & reach
        if not can.any():
            return
        left = np.maximum(self.rules.kitchen_meals_per_day - cooked, 0)
        idx = np.flatnonzero(can)
        idx = idx[np.argsort(key[idx], kind="stable")]       # in the day's random order
        idx = idx[self.K.first_within(near[idx], left)]
        minutes = self.aid.p.meal_carry_minutes + 2.0 * self.walk_min[v[idx]]
        carried = idx[self.aid.carry(v[idx], minutes)]
        out[carried] = DELIVERED

    def _settle(self) -> None:
        if self._day < 0:
            return
        rows, served = self.K.day_counts(self._outcome, self._v, self.n_villages, self._day)
        if len(rows):
            self._rows.append(rows)
            self._rows_n += len(rows)
            if self._rows_n >= PACK_ROWS:
                self._write()
        self.served += int(served)
        self._day = -1
        self._round, self._taken[:] = None, False

    def _write(self) -> None:
        """The days' rows (int32 columns in the record's order) to the records, as one chunk."""
        if self._rows:
            self.records.extend(np.concatenate(self._rows).view(MEALS_DTYPE).reshape(-1))
            self._rows, self._rows_n = [], 0

    def finish(self) -> None:
        self._settle()
        self._write()

    # ------------------------------------------------------------------ the couriers' side
    def round_start(self, day: int) -> float | None:
        """When the lunch round starts on ``day`` (None: canteens closed)."""
        if not self._weekdays[day % 7]:
            return None
        return day + self._start

    def deadline(self, day: int) -> float:
        return day + self._deadline

    def rounds_many(self, units: np.ndarray, day: int, matrices: list[np.ndarray], mode: np.ndarray):
        """The lunch rounds of couriers ``units`` on ``day`` (each handed out once), each in its route
        order (nearest-first from the canteen): (elders, villages, hand-over minutes, count, canteen
        village, token), padded ``(len(units), k)``."""
        ready = self._day == day and self._round is not None
        rc, re, rv, ri = self._round if ready else _NO_ROUND
        elders, villages, idx, count, canteen = self.K.rounds(
            np.asarray(units, np.int64), rc, re, rv, ri, self._taken, ready, self.courier_canteen,
            self.canteen_village, tuple(matrices), np.asarray(mode, np.int64))
        work = self.K.spread(self.handoffs(int(count.sum())), count, elders.shape[1])
        token = (np.full(len(units), day), np.zeros(elders.shape, np.int64), idx)
        return elders, villages, work, count, canteen, token

    def commit_many(self, units, token, n, starts, ends, travel, work) -> None:
        """The first ``n[r]`` orders of each round were handed over; the rest stay late."""
        day, _, idx = token
        self.K.deliver(self._outcome, idx, np.asarray(n, np.int64), day, self._day)

    def rewind_many(self, units, token, n, keep) -> None:
        """A round cut short leaves its other orders late."""


    def handoffs(self, n: int) -> np.ndarray:
        """The next ``n`` hand-over minutes from a buffer drawn in blocks."""
        if self._buf_pos + n > len(self._buf):
            self._buf = sample(self.rules.handoff, self.handoff_rng, max(4096, n))
            self._buf_pos = 0
        out = self._buf[self._buf_pos: self._buf_pos + n].copy()
        self._buf_pos += n
        return out



_NO_ROUND = (np.zeros(0, np.int64),) * 4
