"""Lunch at village canteens (老年食堂, 助餐点) and delivery (送餐上门).

What is modelled: every month, the eligible elders alive at its start (80+,
dependent, solitary, special hardship: each configurable; and ``groups_all_of``,
groups that are an AND of conditions, as policy-docs/000 states its love
canteens' groups: dependent *and* solitary or empty-nest, ...) each want lunch on a day
with ``daily_probability`` (drawn for the whole month at once from the meals
stream, so every scenario sees the same wishes).  Each morning, in NumPy over
the day's wishes (no SimPy process per elder):

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
from sim.model.records import Records
from sim.model.responders import Responders
from sim.model.routes import Tours
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
                 facility_open_day: np.ndarray | None = None):
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
        self.open_days = np.zeros(7, dtype=bool)
        self.open_days[list(rules.operating_days)] = True
        self.records = records.table("meals", MEALS_DTYPE)
        sizes = [len(e) for e in demand.eligible]                # who may want lunch, month by month
        records.table("meal_eligible", ELIGIBLE_DTYPE).append(month=np.arange(len(sizes)), eligible=sizes)
        # the day's orders sorted by courier: (courier, elder, village, index in the day's wishes)
        self._round: tuple | None = None
        self._taken = np.zeros(len(units), dtype=bool)         # couriers whose round was handed out
        self._day = -1
        self._outcome = np.zeros(0, np.int8)
        self._elders = np.zeros(0, np.int64)
        self._buf, self._buf_pos = np.zeros(0), 0
        self.tours = Tours()
        self.served = 0
        self.aid = None                        # time-bank 助餐 on call (set by the replication)
        if len(demand.eligible):
            env.process(self._days())

    def _refresh(self, now: float) -> None:
        """Rebuild the walking and delivery tables if a canteen has opened since."""
        if self.open_day is None or not len(self.canteens):
            return
        open_ = self.open_day[self.canteens] <= now
        if np.array_equal(open_, self._open):
            return
        self._open = open_
        (_, self.walk_to, self.walk_min, self.deliver_to,
         _) = canteen_table(self.county, self.couriers, self.units, self.rules, open_)

    # ------------------------------------------------------------------ the daily allocation
    def _days(self):
        r = self.rules
        for month, eligible in enumerate(self.demand.eligible):
            days = month_days(month)
            days = days[days < self.horizon]
            if not len(days):
                return
            u = self.rng.random((len(eligible), len(days)))       # the whole month's wishes at once
            wish = np.ascontiguousarray((u < r.daily_probability).T)   # day by day
            scale = max(r.daily_probability, 1e-300)
            adl = self.demand.adl[month]
            for j, day in enumerate(days):                        # a loop over days, NumPy within
                t = day + ALLOCATE_HOUR / 24.0
                if t >= self.horizon:
                    return
                if t > self.env.now:
                    yield self.env.timeout(t - self.env.now)
                self._settle()
                self._refresh(self.env.now)
                mine = np.flatnonzero(wish[j])
                # uniform order among those who wish
                self._allocate(int(day), eligible[mine], adl[mine], u[mine, j] / scale)

    def _allocate(self, day: int, elders: np.ndarray, adl: np.ndarray, key: np.ndarray) -> None:
        r, now = self.rules, self.env.now
        here = (self.death[elders] > now) & ~self.in_home(elders)
        elders, adl, key = elders[here], adl[here], key[here]
        v = self.village[elders]
        out = np.full(len(elders), NO_SERVICE, dtype=np.int8)
        self._day, self._elders, self._outcome = day, elders, out
        self._round, self._taken[:] = None, False
        if not self.open_days[day % 7]:
            out[:] = CLOSED
            return
        if not len(self.canteens):
            return
        dine = (adl <= r.walk_max_adl) & (self.walk_min[v] <= r.walk_threshold_min)
        canteen = np.where(dine, self.walk_to[v], -1)
        seated = _within_capacity(canteen, key, self.dine_capacity)
        out[dine & seated] = DINE_IN
        out[dine & ~seated] = FULL
        if not (r.delivery and len(self.couriers)):
            self._neighbours(elders, v, dine, canteen, seated, key, out, None)
            return
        cooked = np.bincount(canteen[dine & seated], minlength=len(self.canteens))
        left = np.minimum(r.kitchen_meals_per_day - cooked, r.delivery_max_per_canteen)
        want = ~dine & (self.deliver_to[v] >= 0)
        shop = np.where(want, self.deliver_to[v], -1)
        taken = _within_capacity(shop, key, np.maximum(left, 0))
        out[want & ~taken] = FULL
        orders = np.flatnonzero(want & taken)
        # share each canteen's orders among its couriers, in turn by their order of taking
        c = shop[orders]
        rank = np.zeros(len(orders), dtype=np.int64)
        shared = (self.n_couriers[c] > 1).nonzero()[0]   # a canteen's only courier takes all its orders
        if len(shared):
            rank[shared] = _rank_within(c[shared], key[orders[shared]])
        courier = self._courier_table[c, rank % self.n_couriers[c]]
        by = orders[np.argsort(courier, kind="stable")]      # the day's orders by courier
        self._round = (np.sort(courier, kind="stable"), elders[by], v[by], by)
        out[orders] = LATE                        # until a courier hands the meal over
        self._neighbours(elders, v, dine, canteen, seated, key, out, shop[orders])

    def _neighbours(self, elders, v, dine, canteen, seated, key, out, ordered) -> None:
        """助餐 by time-bank members on call (`sim.model.mutual_aid`): a wish left unmet by the
        paid service (no courier in reach, or orders full) of an elder who does not dine in is carried
        from the nearest open canteen within ``meal_carry_max_walk_min`` while its kitchen has meals
        left and the village's aid hours last."""
        if self.aid is None or not self.aid.meals_on:
            return
        r = self.rules
        near = self.walk_to[v]
        reach = self.walk_min[v] <= self.aid.p.meal_carry_max_walk_min
        can = ~dine & np.isin(out, (NO_SERVICE, FULL)) & (near >= 0) & reach
        if not can.any():
            return
        cooked = np.bincount(canteen[dine & seated], minlength=len(self.canteens))
        if ordered is not None and len(ordered):
            cooked += np.bincount(ordered, minlength=len(self.canteens))
        left = np.maximum(r.kitchen_meals_per_day - cooked, 0)
        idx = np.flatnonzero(can)
        idx = idx[np.argsort(key[idx], kind="stable")]
        idx = idx[_within_capacity(near[idx], key[idx], left)]
        minutes = self.aid.p.meal_carry_minutes + 2.0 * self.walk_min[v[idx]]
        carried = idx[self.aid.carry(v[idx], minutes)]
        out[carried] = DELIVERED

    def _settle(self) -> None:
        if self._day < 0:
            return
        v = self.village[self._elders]
        counts = np.bincount(self._outcome.astype(np.int64) * self.n_villages + v,
                             minlength=len(MEAL_OUTCOMES) * self.n_villages).reshape(len(MEAL_OUTCOMES), -1)
        demanded = counts.sum(axis=0)
        rows = np.flatnonzero(demanded)
        self.records.append(day=self._day, village=rows, demanded=demanded[rows],
                            **{o: counts[i, rows] for i, o in enumerate(MEAL_OUTCOMES)})
        self.served += int(counts[DINE_IN].sum() + counts[DELIVERED].sum())
        self._day = -1
        self._round, self._taken[:] = None, False

    def finish(self) -> None:
        self._settle()

    # ------------------------------------------------------------------ the couriers' side
    def round_start(self, day: int) -> float | None:
        """When the lunch round starts on ``day`` (None: canteens closed)."""
        if not self.open_days[day % 7]:
            return None
        return day + self.rules.delivery_start_hour / 24.0

    def deadline(self, day: int) -> float:
        return day + self.rules.delivery_deadline_hour / 24.0

    def rounds_many(self, units: np.ndarray, day: int, matrices: list[np.ndarray], mode: np.ndarray):
        """The lunch rounds of couriers ``units`` on ``day`` (each handed out once), each in its route
        order (nearest-first from the canteen): (elders, villages, hand-over minutes, count, canteen
        village, token), padded ``(len(units), k)``."""
        size = np.zeros(len(units), np.int64)
        if self._day == day and self._round is not None:
            rc, re, rv, ri = self._round
            first = np.searchsorted(rc, units)
            size = np.searchsorted(rc, units, side="right") - first
            size[self._taken[units]] = 0
            self._taken[units] = True
        k = int(size.max(initial=0))
        shape = (len(units), k)
        elders, villages, idx = (np.full(shape, -1, np.int64) for _ in range(3))
        count = size
        canteen = np.where(size > 0, self.canteen_village[self.courier_canteen[units]], 0).astype(np.int64)
        if k:
            mine = np.flatnonzero(size)
            s = size[mine]
            ends = np.cumsum(s)
            sel = np.repeat(first[mine] - (ends - s), s) + np.arange(int(ends[-1]))
            e, v, ix = re[sel], rv[sel], ri[sel]
            rank = np.concatenate([self.tours.rank(matrices[mode[r]], int(canteen[r]), v[b - c: b])
                                   for r, b, c in zip(mine.tolist(), ends.tolist(), s.tolist())])
            row = np.repeat(mine, s)                        # each round nearest-first
            order = np.lexsort((e, rank, row))
            col = np.arange(len(order)) - np.repeat(ends - s, s)
            row = row[order]
            elders[row, col], villages[row, col], idx[row, col] = e[order], v[order], ix[order]
        work = np.zeros(shape)
        has = elders >= 0
        work[has] = self.handoffs(int(has.sum()))
        token = (np.full(len(units), day), np.zeros(shape, np.int64), idx)
        return elders, villages, work, count, canteen, token

    def hold_many(self, units, token, n) -> None:
        """Nothing to hold: a courier's orders are its own."""

    def commit_many(self, units, token, n, starts, ends, travel, work) -> None:
        """The first ``n[r]`` orders of each round were handed over; the rest stay late."""
        day, _, idx = token
        did = (np.arange(idx.shape[1]) < n[:, None]) & (day == self._day)[:, None]
        self._outcome[idx[did]] = DELIVERED

    def rewind_many(self, units, token, n, keep) -> None:
        """A round cut short leaves its other orders late."""

    done_many = commit_many

    def handoffs(self, n: int) -> np.ndarray:
        """The next ``n`` hand-over minutes from a buffer drawn in blocks."""
        if self._buf_pos + n > len(self._buf):
            self._buf = sample(self.rules.handoff, self.handoff_rng, max(4096, n))
            self._buf_pos = 0
        out = self._buf[self._buf_pos: self._buf_pos + n].copy()
        self._buf_pos += n
        return out


def _rank_within(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Each item's 0-based rank by ``key`` among the items of its group."""
    order = np.argsort(key)                  # uniform draws: no ties, so this is lexsort((key, group))
    g16 = len(group) and 0 <= group.min() and group.max() < np.iinfo(np.int16).max
    order = order[np.argsort(group[order].astype(np.int16) if g16 else group[order], kind="stable")]  # radix
    g = group[order]
    at = np.arange(len(g))
    new = np.ones(len(g), dtype=bool)
    new[1:] = g[1:] != g[:-1]
    starts = np.maximum.accumulate(np.where(new, at, 0)) if len(g) else at   # each group's first place
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = at - starts
    return rank


def _within_capacity(group: np.ndarray, key: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Whether each item (group -1: none) is among the first ``capacity[group]`` by ``key``."""
    ok = group >= 0
    g = group[ok]
    over = np.bincount(g, minlength=len(capacity)) > capacity
    if np.count_nonzero(over):                   # rank only where a group has more items than room
        crowded = np.zeros(len(group), dtype=bool)
        crowded[ok] = over[g]
        c = crowded.nonzero()[0]
        ok[c] = _rank_within(group[c], key[c]) < capacity[group[c]]
    return ok
