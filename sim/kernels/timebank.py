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
