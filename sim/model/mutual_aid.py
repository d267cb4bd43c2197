"""Time-bank mutual aid beyond visits and care: 助餐 (lunches) and 助急 (first contact in emergencies).

policy-docs/001 农村方案 二(二)4 asks volunteer teams of the time bank to give 助餐、助急 services
(邻里互助, "中心户"多户搭伙, 结对帮扶) and to earn points for them (积分兑换).  With ``meals`` and
``emergencies`` among ``policy.time_bank.tasks``, the active members of a village give, besides
their scheduled hours, ``aid_hours_per_active_month`` each on call [A]:

- 助急, first: a call from the village during the volunteers' shift is answered by a neighbour
  member as first contact, in call order while the village's aid hours last; the neighbour is
  there after the platform's handling and the walk within the village, and stays
  ``first_contact_minutes`` [A] (the paid responder still comes: the dispatcher is unchanged);
- 助餐: a lunch wish left unmet (no courier in reach, or the couriers' orders full) of an elder
  who does not dine in, whose village has an open canteen within ``meal_carry_max_walk_min`` [A]
  with meals left, is carried by a member (``meal_carry_minutes`` [A] plus the walk there and
  back), while the village's aid hours last: the lunch is delivered.

The minutes given are deposited at the month's end with the volunteers' other hours, so they are
credited in the ledger and may be exchanged (积分兑换) or withdrawn as any other hour.
"""

from __future__ import annotations

import numpy as np

from sim.model.records import Records
from sim.population.demography import MONTH_DAYS

AID_DTYPE = np.dtype([("month", np.int32), ("village", np.int32), ("lunches", np.int32),
                      ("lunch_hours", np.float64), ("first_contacts", np.int32),
                      ("first_contact_hours", np.float64)])
FIRST_CONTACT_DTYPE = np.dtype([("elder", np.int32), ("call_day", np.float64), ("village", np.int32),
                                ("contact_min", np.float64)])


def within_budget(village: np.ndarray, minutes: np.ndarray, left: np.ndarray) -> np.ndarray:
    """Which items (in their order) fit their village's ``left`` minutes, taken in order while the
    running total of the village's items fits."""
    order = np.argsort(village, kind="stable")
    v, m = village[order], minutes[order]
    cum = np.cumsum(m)
    first = np.r_[0, np.flatnonzero(v[1:] != v[:-1]) + 1] if len(v) else np.zeros(0, np.int64)
    base = np.repeat(cum[first] - m[first], np.diff(np.r_[first, len(v)]))
    ok = np.zeros(len(village), dtype=bool)
    ok[order] = cum - base <= left[v] + 1e-9
    return ok


def mutual_aid(policy, n_villages: int, calls: np.ndarray | None, walk_in_village: np.ndarray,
               records: Records, horizon_days: float) -> MutualAid | None:
    """The time bank's on-call aid of one replication, or None when ``policy.tasks`` has neither
    ``meals`` (助餐) nor ``emergencies`` (助急)."""
    if not {"meals", "emergencies"} & set(policy.tasks):
        return None
    return MutualAid(policy, n_villages, calls, walk_in_village, records, horizon_days)


class MutualAid:
    """The villages' on-call aid hours of one month and what they were given to."""

    def __init__(self, policy, n_villages: int, calls: np.ndarray | None, walk_in_village: np.ndarray,
                 records: Records, horizon_days: float):
        self.p = policy
        self.meals_on = "meals" in policy.tasks
        self.calls_on = "emergencies" in policy.tasks and calls is not None
        self.left = np.zeros(n_villages)
        self.lunches = np.zeros(n_villages, np.int64)
        self.lunch_min = np.zeros(n_villages)
        self.contacts = np.zeros(n_villages, np.int64)
        self.contact_min = np.zeros(n_villages)
        self.walk = walk_in_village
        self.rows = records.table("timebank_aid", AID_DTYPE)
        self.first = records.table("timebank_first_contacts", FIRST_CONTACT_DTYPE)
        if self.calls_on:
            v = policy.volunteer
            day = calls["call_day"]
            hour = (day % 1.0) * 24.0
            s, e = v.shift_start_hour, v.shift_end_hour
            on = (hour >= s) & (hour < e) if s < e else (hour >= s) | (hour < e)
            keep = np.isfinite(day) & (day < horizon_days) & on
            self.calls = calls[keep][np.argsort(day[keep], kind="stable")]

    def open(self, month: int, active_per_village: np.ndarray) -> None:
        """The month's aid hours; first contacts for the month's calls come first (助急)."""
        self.left = active_per_village * self.p.aid_hours_per_active_month * 60.0
        if not self.calls_on:
            return
        day = self.calls["call_day"]
        c = self.calls[(day >= month * MONTH_DAYS) & (day < (month + 1) * MONTH_DAYS)]
        v = c["village"].astype(np.int64)
        need = np.full(len(c), self.p.first_contact_minutes)
        ok = within_budget(v, need, self.left) & (self.left[v] > 0)
        got = np.bincount(v[ok], weights=need[ok], minlength=len(self.left))
        self.left -= got
        self.contacts += np.bincount(v[ok], minlength=len(self.left))
        self.contact_min += got
        c = c[ok]
        self.first.append(elder=c["elder"], call_day=c["call_day"], village=c["village"],
                          contact_min=c["handling_min"] + self.walk[c["village"]])

    def carry(self, village: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        """Lunches (in order) a member carries: those that fit the village's aid hours left (助餐)."""
        if not self.meals_on or not len(village):
            return np.zeros(len(village), dtype=bool)
        ok = within_budget(village, minutes, self.left) & (self.left[village] > 0)
        got = np.bincount(village[ok], weights=minutes[ok], minlength=len(self.left))
        self.left -= got
        self.lunches += np.bincount(village[ok], minlength=len(self.left))
        self.lunch_min += got
        return ok

    def settle(self, month: int) -> np.ndarray:
        """Hours given per village this month (to deposit); one record row per village that gave."""
        hours = (self.lunch_min + self.contact_min) / 60.0
        gave = np.flatnonzero(hours > 0)
        if len(gave):
            self.rows.append(month=month, village=gave, lunches=self.lunches[gave],
                             lunch_hours=self.lunch_min[gave] / 60.0, first_contacts=self.contacts[gave],
                             first_contact_hours=self.contact_min[gave] / 60.0)
        for a in (self.lunches, self.lunch_min, self.contacts, self.contact_min):
            a[:] = 0
        self.left[:] = 0.0
        return hours
