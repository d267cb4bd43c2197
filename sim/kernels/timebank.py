"""Time-bank KPIs for all replications at once (DESIGN §8 ``timebank_*``).

From the account table (one row per account and replication) and the monthly
ledger rows: members, hours deposited, withdrawn, exchanged and forfeited, the
liability (hours still owed at the end, and valued at the backstop's price),
the share of hours asked for that were honoured, the backstop's hours and cost,
the service the volunteers produced, and yearly series of the liability and
the honoured share.
"""

from __future__ import annotations

import numpy as np

from sim.model.emergency import ANSWERED, QUEUED
from sim.model.emergency_calls import FALSE_ALARM
from sim.model.helpers import HOMECARE, TIMEBANK_CARE, VISITS


def timebank_kpis(arep: np.ndarray, accounts: np.ndarray, mrep: np.ndarray, monthly: np.ndarray,
                  jrep: np.ndarray, jobs: np.ndarray, volunteer: np.ndarray, n: int, months: int,
                  goods_yuan: float, backstop_yuan: float) -> dict[str, np.ndarray]:
    total = lambda col: np.bincount(arep, weights=accounts[col], minlength=n)  # noqa: E731
    requested, withdrawn = total("requested"), total("withdrawn")
    backstop = total("backstop")
    balance = total("balance")
    mine = volunteer[jobs["helper"]] if len(jobs) else np.zeros(0, dtype=bool)
    def hours(task: int) -> np.ndarray:
        sel = mine & (jobs["task"] == task)
        return np.bincount(jrep[sel], weights=jobs["work_min"][sel] / 60.0, minlength=n)

    with np.errstate(invalid="ignore", divide="ignore"):
        out = {
            "timebank_members": np.bincount(arep[accounts["closed_month"] > months],
                                            minlength=n).astype(float),
            "timebank_members_joined": np.bincount(arep, minlength=n).astype(float),
            "timebank_hours_deposited": total("deposited"),
            "timebank_hours_withdrawn": withdrawn,
            "timebank_hours_exchanged": total("exchanged"),
            "timebank_hours_forfeited": total("forfeited"),
            "timebank_liability_hours": balance,
            "timebank_liability_yuan": balance * backstop_yuan,
            "timebank_hours_requested": requested,
            "timebank_withdrawals_honoured_share": withdrawn / requested,
            "timebank_honoured_by_members_share": (withdrawn - backstop) / requested,
            "timebank_backstop_hours": backstop,
            "timebank_backstop_cost_yuan": backstop * backstop_yuan,
            "timebank_goods_cost_yuan": total("exchanged") * goods_yuan,
            "timebank_visits": np.bincount(jrep[mine & (jobs["task"] == VISITS)], minlength=n).astype(float),
            "timebank_homecare_hours": hours(HOMECARE),
            "timebank_care_hours": hours(TIMEBANK_CARE),
        }
        for year, (liability, honoured) in enumerate(zip(*yearly_series(mrep, monthly, n, months)), start=1):
            out[f"timebank_liability_hours_year_{year}"] = liability
            out[f"timebank_honoured_share_year_{year}"] = honoured
    return out


def yearly_series(mrep: np.ndarray, monthly: np.ndarray, n: int, months: int):
    """Per whole year: (liability at the year's end, honoured share of that year), each (n,)."""
    years = months // 12
    balance = np.full((n, max(months, 1)), np.nan)
    balance[mrep, monthly["month"]] = monthly["balance"]
    g = mrep.astype(np.int64) * (years + 1) + np.minimum(monthly["month"] // 12, years)
    size = n * (years + 1)
    req = np.bincount(g, weights=monthly["requested"], minlength=size).reshape(n, years + 1)
    got = np.bincount(g, weights=monthly["withdrawn"], minlength=size).reshape(n, years + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ([balance[:, 12 * y + 11] for y in range(years)],
                [got[:, y] / req[:, y] for y in range(years)])


def mutual_aid_kpis(arep: np.ndarray, aid: np.ndarray, frep: np.ndarray, first: np.ndarray,
                    crep: np.ndarray, calls: np.ndarray, n: int, target_min: float) -> dict[str, np.ndarray]:
    """助餐、助急 given on call by time-bank members (sim.model.mutual_aid): lunches carried, first
    contacts, their hours, and the share of true calls someone reached within the target, counting a
    neighbour's first contact (a call with no paid responder yet still counts if a neighbour came)."""
    total = lambda col: np.bincount(arep, weights=aid[col], minlength=n)  # noqa: E731
    true = calls["kind"] != FALSE_ALARM
    reached = np.isin(calls["status"], (ANSWERED, QUEUED))
    paid = np.where(reached, calls["response_min"], np.inf)
    # a neighbour's first contact per call: join on (replication, elder, call day)
    width = int(max(calls["elder"].max(initial=0), first["elder"].max(initial=0))) + 1
    key = np.dtype([("who", np.int64), ("day", np.float64)])
    def keys(rep, rows):
        out = np.zeros(len(rows), key)
        out["who"], out["day"] = rep.astype(np.int64) * width + rows["elder"], rows["call_day"]
        return out
    key_c, key_f = keys(crep, calls), keys(frep, first)
    order = np.argsort(key_f, kind="stable")
    at = np.searchsorted(key_f[order], key_c)
    hit = at < len(key_f)
    hit[hit] = key_f[order][at[hit]] == key_c[hit]
    neighbour = np.full(len(calls), np.inf)
    neighbour[hit] = first["contact_min"][order][at[hit]]
    first_min = np.minimum(paid, neighbour)
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.bincount(crep[true], weights=(first_min[true] <= target_min), minlength=n)
        return {
            "timebank_aid_lunches": total("lunches"),
            "timebank_aid_lunch_hours": total("lunch_hours"),
            "timebank_first_contacts": total("first_contacts"),
            "timebank_first_contact_hours": total("first_contact_hours"),
            "emergency_first_contact_within_target_share": within / np.bincount(crep[true], minlength=n),
        }
