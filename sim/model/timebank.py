"""Time bank mutual aid (时间银行): members, their hours, and the ledger.

What is modelled (policy-docs/001 §(二)4; CALIBRATION §7):

- *Members* (NumPy, demand stage).  At the start a share ``join_share`` of the
  eligible elders (aged ``join_age_min``-``join_age_max``, ADL state up to
  ``join_max_adl``) registers, and later ``join_per_year`` of the eligible
  non-members a year; ``younger_per_village`` younger members (left-behind
  women, party members) per village register at the start, each assigning
  their hours to a parent living in the village with ``transfer_to_parent``.
  Members drop out at ``dropout_per_year``; a member is active in a month with
  ``active_share`` (elder members only while able), giving
  ``hours_per_active_month``.  The scheme lapses in a month with
  ``lapse_per_year``.  All of this is drawn from the time bank's own streams.
- *Service* (SimPy).  The active members of a village are one volunteer helper
  of the helper model whose hours this month are the sum of theirs.  It first
  gives care to members who withdraw, then takes the tasks that earn points
  (``tasks``: visits 探访, home care 陪伴、家务 for dependent elders) that the
  paid helpers have not done or started: volunteers add service, never take
  work from anyone.  With ``meals`` and ``emergencies`` among the tasks, members
  also give on-call hours to 助餐 and 助急 (`sim.model.mutual_aid`), deposited
  with the rest.
- *Ledger* (NumPy at each month's end).  The volunteer's hours of the month,
  travel included, are deposited in equal parts to the village's active
  members; ``exchange_share`` of each deposit is exchanged for goods (积分超市).
  A member (or the parent of a younger member) who is dependent, lives at home
  and holds at least ``min_balance_hours`` asks for ``withdraw_hours_per_month``
  (at most the balance); what volunteers deliver is withdrawn; with a
  ``backstop`` the government pays paid helpers for the shortfall (withdrawn
  too, at a cost), otherwise it is not honoured.  A death closes the account by
  ``death_rule``, a dropout by ``dropout_rule`` (forfeit, refund in goods, or
  keep / inherit: the balance stays owed); a lapse forfeits every balance.

Every account balances: deposited = withdrawn + exchanged + forfeited + balance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.policies import TimeBankPolicy
from sim.model.mutual_aid import MutualAid
from sim.model.records import Records
from sim.model.routes import Routes, SourceArrays, TaskSource, first_n
from sim.population.demography import MONTH_DAYS
from sim.population.elders import Elders
from sim.streams import Streams

ACCOUNT_DTYPE = np.dtype([
    ("account", np.int32), ("elder", np.int32), ("village", np.int32), ("parent", np.int32),
    ("joined_month", np.int32), ("closed_month", np.int32), ("deposited", np.float64),
    ("withdrawn", np.float64), ("exchanged", np.float64), ("forfeited", np.float64),
    ("balance", np.float64), ("requested", np.float64), ("backstop", np.float64),
])
MONTHLY_DTYPE = np.dtype([
    ("month", np.int32), ("members", np.int32), ("active", np.int32), ("deposited", np.float64),
    ("withdrawn", np.float64), ("exchanged", np.float64), ("forfeited", np.float64),
    ("requested", np.float64), ("delivered", np.float64), ("backstop", np.float64),
    ("balance", np.float64), ("carried", np.float64),
])
YEARS = 365.25


def monthly_probability(per_year: float) -> float:
    return 1.0 - (1.0 - per_year) ** (1.0 / 12.0)


class TimeBankDemand:
    """A monthly hook: registrations, dropouts, activity and who would withdraw (NumPy)."""

    def __init__(self, policy: TimeBankPolicy, n_villages: int, streams: Streams, months: int):
        self.p, self.n_villages, self.months = policy, n_villages, months
        self.rng_join = streams("timebank.join")
        self.rng_active = streams("timebank.active")
        self.rng_drop = streams("timebank.dropout")
        self.rng_young = streams("timebank.younger")
        lapse = monthly_probability(policy.lapse_per_year)
        self.lapse_month = int(streams("timebank.lapse").geometric(lapse)) - 1 if lapse > 0 else months + 1
        self.elder = np.zeros(0, np.int64)             # -1 for younger members
        self.village = np.zeros(0, np.int64)
        self.parent = np.zeros(0, np.int64)            # -1: none
        self.joined = np.zeros(0, np.int64)
        self.dropped = np.zeros(0, np.int64)           # month of dropout (months + 1: never)
        self.member = np.zeros(0, dtype=bool)          # per elder: has an account
        self.active: list[np.ndarray] = []             # per month: active account ids
        self.requests: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (account, elder, adl)

    @property
    def enabled(self) -> bool:
        return self.p.enabled

    def _add(self, elder, village, parent, month) -> None:
        n = len(village)
        self.elder = np.concatenate([self.elder, elder])
        self.village = np.concatenate([self.village, village])
        self.parent = np.concatenate([self.parent, parent])
        self.joined = np.concatenate([self.joined, np.full(n, month)])
        monthly = monthly_probability(self.p.dropout_per_year)
        after = self.rng_drop.geometric(monthly, n) if monthly > 0 else np.full(n, self.months + 1)
        self.dropped = np.concatenate([self.dropped, month + after])

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        p = self.p
        if len(self.member) < len(elders):
            self.member = np.concatenate([self.member, np.zeros(len(elders) - len(self.member), bool)])
        if not p.enabled or month > self.lapse_month:
            self.active.append(np.zeros(0, np.int64))
            self.requests.append((np.zeros(0, np.int64),) * 2 + (np.zeros(0, np.int8),))
            return
        village = elders.village[alive]
        if month == 0 and p.younger_per_village > 0:
            count = self.rng_young.poisson(p.younger_per_village, self.n_villages)
            young_village = np.repeat(np.arange(self.n_villages), count)
            # a parent: a random elder of the village, for those who assign their hours to one
            order = np.argsort(village, kind="stable")
            first = np.searchsorted(village[order], young_village)
            size = np.searchsorted(village[order], young_village, side="right") - first
            u = self.rng_young.random(len(young_village))
            pick = first + np.floor(u * np.maximum(size, 1)).astype(int)
            has = (size > 0) & (self.rng_young.random(len(young_village)) < p.transfer_to_parent)
            parent = np.where(has, alive[order][np.minimum(pick, len(order) - 1)], -1)
            self._add(np.full(len(young_village), -1), young_village, parent, 0)
        years = elders.age_months[alive] // 12
        able = elders.adl[alive] <= p.join_max_adl
        eligible = (years >= p.join_age_min) & (years <= p.join_age_max) & able & ~self.member[alive]
        share = p.join_share if month == 0 else monthly_probability(p.join_per_year)
        joins = eligible & (self.rng_join.random(len(alive)) < share)
        new = alive[joins]
        self.member[new] = True
        self._add(new, village[joins], np.full(len(new), -1), month)
        # active: open, not dropped, and (elder members) alive and able this month
        n = len(self.elder)
        holder_ok = np.ones(n, dtype=bool)
        is_elder = self.elder >= 0
        alive_now = np.zeros(len(elders), dtype=bool)
        alive_now[alive] = True
        able_now = np.zeros(len(elders), dtype=bool)
        able_now[alive[able]] = True
        holder_ok[is_elder] = able_now[self.elder[is_elder]]
        open_ = self.dropped > month
        active = open_ & holder_ok & (self.rng_active.random(n) < p.active_share)
        self.active.append(np.flatnonzero(active))
        # who would withdraw: the holder (elder members) or the parent, dependent and alive
        requester = np.where(is_elder, self.elder, self.parent)
        has = requester >= 0
        dependent = np.zeros(n, dtype=bool)
        dependent[has] = alive_now[requester[has]] & (elders.adl[requester[has]] > 0)
        acc = np.flatnonzero(dependent)
        self.requests.append((acc, requester[acc], elders.adl[requester[acc]].astype(np.int8)))


@dataclass
class Ledger:
    """Account columns (hours)."""

    deposited: np.ndarray
    withdrawn: np.ndarray
    exchanged: np.ndarray
    forfeited: np.ndarray
    requested: np.ndarray
    backstop: np.ndarray
    closed: np.ndarray          # month closed (death or dropout), months + 1 while open

    @classmethod
    def empty(cls, n: int, months: int) -> Ledger:
        z = lambda: np.zeros(n)  # noqa: E731
        return cls(z(), z(), z(), z(), z(), z(), np.full(n, months + 1, dtype=np.int64))

    @property
    def balance(self) -> np.ndarray:
        return self.deposited - self.withdrawn - self.exchanged - self.forfeited


class TimeBankService(TaskSource):
    """The volunteers' hours, the care members withdraw, and the ledger of one replication."""

    def __init__(self, env, policy: TimeBankPolicy, demand: TimeBankDemand, volunteers: np.ndarray,
                 volunteer_village: np.ndarray, elder_village: np.ndarray, death_day: np.ndarray, in_home,
                 session_hours: float, records: Records, horizon_days: float, aid: MutualAid | None = None):
        self.env, self.p, self.d = env, policy, demand
        self.volunteers, self.death, self.in_home = volunteers, death_day, in_home
        self.volunteer_village, self._village = volunteer_village, elder_village
        self.unit_of_village = np.full(demand.n_villages, -1, dtype=np.int64)
        self.unit_of_village[volunteer_village] = volunteers
        self.session = session_hours * 60.0
        self.horizon = horizon_days
        self.months = demand.months
        self.ledger = Ledger.empty(len(demand.elder), self.months)
        self.accounts = records.table("timebank_accounts", ACCOUNT_DTYPE)
        self.monthly = records.table("timebank_monthly", MONTHLY_DTYPE)
        self.week_minutes: dict[int, float] = {}        # volunteer unit -> minutes a week this month
        self.carry = np.zeros(demand.n_villages)          # hours worked not yet deposited
        self._snapshot = None
        # minutes each volunteer worked for the bank, counted by the helpers' planner as it hands over
        self.pool_used = np.zeros(int(volunteers.max()) + 1 if len(volunteers) else 0)
        # this month's care requests, one route per volunteer unit
        self.routes = Routes(int(volunteers.max()) + 1 if len(volunteers) else 0)
        self._req_acc = np.zeros(0, np.int64)
        self._req_elder = np.zeros(0, np.int64)
        self._req_hours = np.zeros(0)
        self._session_req = np.zeros(0, np.int64)
        self._session_min = np.zeros(0)
        self._session_done = np.zeros(0, dtype=bool)
        self._session_elder = np.zeros(0, np.int64)
        self._month = -1
        # 助餐、助急 on call (001 二(二)4), with tasks meals / emergencies: `sim.model.mutual_aid`
        self.aid = aid
        if demand.enabled:
            env.process(self._months())

    # ------------------------------------------------------------------ monthly ledger
    def _months(self):
        for m in range(self.months + 1):
            t = m * MONTH_DAYS
            if t > self.horizon + 1e-9:
                break
            if t > self.env.now:
                yield self.env.timeout(t - self.env.now)
            self._settle(m - 1)
            if m < self.months and t < self.horizon:
                self._open(m)

    def _open(self, m: int) -> None:
        d, p, L = self.d, self.p, self.ledger
        self._month = m
        lapsed = m > d.lapse_month
        active = d.active[m] if m < len(d.active) else np.zeros(0, np.int64)
        active = active[(L.closed[active] > m)] if not lapsed else active[:0]
        self._active = active
        if self.aid is not None:
            self.aid.open(m, np.bincount(d.village[active], minlength=d.n_villages))
        hours = np.bincount(d.village[active], minlength=d.n_villages) * p.hours_per_active_month
        per_week = hours * 60.0 / (MONTH_DAYS / 7.0)
        self.week_minutes = {int(u): float(per_week[v]) for v, u in enumerate(self.unit_of_village) if u >= 0}
        self._snapshot = self.pool_used[self.volunteers].copy()
        # withdrawals asked this month, within each account's balance
        acc, elder, adl = d.requests[m] if m < len(d.requests) else (np.zeros(0, np.int64),) * 3
        # open accounts ask; so do those kept after a dropout (the requester must be alive and at home)
        ok = (L.closed[acc] > m) | (p.dropout_rule == "keep")
        ok &= (self.death[elder] > self.env.now) & ~self.in_home(elder)
        balance = L.balance[acc]
        want = np.minimum(np.asarray(p.withdraw_hours_per_month, dtype=float)[adl], balance)
        ok &= (balance >= p.min_balance_hours) & (want > 0) & (not lapsed)
        acc, elder, want = acc[ok], elder[ok], want[ok]
        self._req_acc, self._req_elder, self._req_hours = acc, elder, want
        sessions = np.maximum(np.ceil(want * 60.0 / self.session - 1e-9), 1).astype(np.int64) if len(want) \
            else np.zeros(0, np.int64)
        req = np.repeat(np.arange(len(acc)), sessions)
        self._session_req = req
        self._session_min = np.repeat(want * 60.0 / np.maximum(sessions, 1), sessions)
        self._session_done = np.zeros(len(req), dtype=bool)
        self._session_elder = elder[req].astype(np.int64) if len(req) else np.zeros(0, np.int64)
        unit = self.unit_of_village[d.village[acc]][req] if len(req) else np.zeros(0, np.int64)
        order = np.argsort(unit, kind="stable")
        units, first, count = np.unique(unit[order], return_index=True, return_counts=True)
        self.routes.assign({int(u): order[b: b + c] for u, b, c in zip(units, first, count) if u >= 0}, m)

    def _settle(self, m: int) -> None:
        """Close month ``m``: deposits, exchanges, withdrawals, closures; one monthly row."""
        if m < 0 or self._month != m:
            return
        d, p, L = self.d, self.p, self.ledger
        self._month = -1
        before = (L.exchanged.sum(), L.forfeited.sum())
        # deposits: the volunteer's minutes this month, shared among the village's active members
        used = np.zeros(len(self.volunteers))
        if self._snapshot is not None:
            used = self.pool_used[self.volunteers] - self._snapshot
        hours_v = self.carry.copy()
        np.add.at(hours_v, self.volunteer_village, used / 60.0)
        if self.aid is not None:                         # 助餐、助急 given on call this month
            hours_v += self.aid.settle(m)
        active = self._active
        count = np.bincount(d.village[active], minlength=d.n_villages)
        # a stretch that ends in a month with nobody active in its village is carried to the next
        self.carry = np.where(count == 0, hours_v, 0.0)
        dep = np.zeros(len(L.deposited))
        if len(active):
            dep_each = hours_v[d.village[active]] / count[d.village[active]]
            np.add.at(dep, active, dep_each)
        exch = dep * p.exchange_share
        # withdrawals: what volunteers delivered; the shortfall by the backstop, if there is one
        delivered = np.bincount(self._session_req[self._session_done],
                                weights=self._session_min[self._session_done] / 60.0,
                                minlength=len(self._req_acc))
        short = self._req_hours - delivered
        backstop = short if p.backstop else np.zeros_like(short)
        wd = np.zeros(len(L.deposited))
        np.add.at(wd, self._req_acc, delivered + backstop)
        req = np.zeros(len(L.deposited))
        np.add.at(req, self._req_acc, self._req_hours)
        bs = np.zeros(len(L.deposited))
        np.add.at(bs, self._req_acc, backstop)
        L.deposited += dep
        L.exchanged += exch
        L.withdrawn += wd
        L.requested += req
        L.backstop += bs
        # closures at the month's end: deaths of elder members, dropouts, a lapse
        end = (m + 1) * MONTH_DAYS
        is_elder = d.elder >= 0
        died = np.zeros(len(d.elder), dtype=bool)
        died[is_elder] = self.death[d.elder[is_elder]] < end
        closing = (L.closed > m + 1) & ((died & is_elder) | (d.dropped <= m + 1))
        for mask, rule in ((closing & died, p.death_rule), (closing & ~died, p.dropout_rule)):
            bal = np.where(mask, L.balance, 0.0)
            if rule == "forfeit":
                L.forfeited += bal
            elif rule == "refund_goods":
                L.exchanged += bal
        L.closed[closing] = m + 1
        if m == d.lapse_month:                             # the scheme lapses: nothing more is owed
            L.forfeited += L.balance
        self.monthly.append(month=m, members=int((L.closed > m + 1).sum() if m < d.lapse_month else 0),
                            active=len(active), deposited=dep.sum(), withdrawn=wd.sum(),
                            exchanged=L.exchanged.sum() - before[0], forfeited=L.forfeited.sum() - before[1],
                            requested=req.sum(), delivered=delivered.sum(),
                            backstop=backstop.sum(), balance=L.balance.sum(), carried=self.carry.sum())

    def finish(self) -> None:
        if self._month >= 0:
            self._settle(self._month)
        d, L = self.d, self.ledger
        n = len(d.elder)
        self.accounts.append(account=np.arange(n), elder=d.elder, village=d.village, parent=d.parent,
                             joined_month=d.joined, closed_month=L.closed, deposited=L.deposited,
                             withdrawn=L.withdrawn, exchanged=L.exchanged, forfeited=L.forfeited,
                             balance=L.balance, requested=L.requested, backstop=L.backstop)

    # ------------------------------------------------------------------ the task-source interface
    def arrays(self) -> SourceArrays:
        """Entries are this month's care sessions, for members alive and at home; none is claimed (a
        village's requests are its volunteer's alone)."""
        return SourceArrays(self.routes, self._session_elder, None, None, self._session_min, True, False)

    def commit_many(self, units, token, n, starts, ends, travel, work) -> None:
        month, positions, sessions = token
        did = first_n(n, sessions.shape[1]) & (month == self._month)[:, None]
        self._session_done[sessions[did]] = True

    def rewind_many(self, units, token, n, keep) -> None:
        month, positions, sessions = token
        now = month == self._month
        self.routes.rewind(units[now], positions[now], n[now], keep[now])
