"""Daily-service KPIs for all replications at once: meals, home care, helpers' time and costs.

Meals (DESIGN §8 ``meals_demanded``, ``meals_served``, ``meals_unmet_share``):
every wish ends as dine-in, delivered or unmet (closed, full, no service,
late).  Home care (``homecare_hours_needed``, ``homecare_hours_delivered``):
needed hours exclude sessions lapsed because the elder died or entered a
nursing home.  Helper utilisation is the share of on-shift minutes a type spent
on any task (emergencies, home care, meal rounds, visits).
"""

from __future__ import annotations

import numpy as np

from sim.model.meals import MEAL_OUTCOMES


def meal_kpis(rep: np.ndarray, meals: np.ndarray, n: int) -> dict[str, np.ndarray]:
    total = lambda col: np.bincount(rep, weights=meals[col], minlength=n)  # noqa: E731
    demanded = total("demanded")
    served = total("dine_in") + total("delivered")
    unmet = {o: total(o) for o in MEAL_OUTCOMES[2:]}
    open_demand = demanded - unmet["closed"]           # wishes on days canteens open
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "meals_demanded": demanded,
            "meals_served": served,
            "meals_dine_in": total("dine_in"),
            "meals_delivered": total("delivered"),
            "meals_unmet_share": (demanded - served) / demanded,
            **{f"meals_unmet_{o}_share": u / demanded for o, u in unmet.items()},
            # capacity shortfalls (full, no service, late) apart from wishes on closed days
            "meals_demanded_open_days": open_demand,
            "meals_unmet_open_days_share": (open_demand - served) / open_demand,
        }


def meal_eligible_kpis(rep: np.ndarray, rows: np.ndarray, n: int,
                       canteens_open: np.ndarray) -> dict[str, np.ndarray]:
    """Elders eligible for a lunch, monthly mean, and per canteen operating at the end (000's love
    canteens: 660 elders at 47 canteens, ~14 each)."""
    total = np.bincount(rep, weights=rows["eligible"], minlength=n)
    months = np.bincount(rep, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / months
        return {"meals_eligible_elders": mean, "meals_eligible_per_canteen": mean / canteens_open}


def homecare_kpis(rep: np.ndarray, weeks: np.ndarray, n: int) -> dict[str, np.ndarray]:
    total = lambda col: np.bincount(rep, weights=weeks[col], minlength=n)  # noqa: E731
    needed, delivered = total("hours_needed"), total("hours_delivered")
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "homecare_hours_needed": needed,
            "homecare_hours_delivered": delivered,
            "homecare_unmet_share": total("hours_unmet") / needed,
            "homecare_unserved_elder_week_share": total("elders_unserved") / total("elders"),
        }


def helper_utilisation(rep: np.ndarray, units: np.ndarray, n: int, n_kinds: int) -> np.ndarray:
    """(n, n_kinds) share of on-shift minutes each helper type spent on any task."""
    g = rep.astype(np.int64) * n_kinds + units["kind"]
    work = (units["busy_minutes"] + units["visit_minutes"] + units["homecare_minutes"]
            + units["delivery_minutes"])
    used = np.bincount(g, weights=work, minlength=n * n_kinds)
    shift = np.bincount(g, weights=units["shift_minutes"], minlength=n * n_kinds)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (used / shift).reshape(n, n_kinds)


def service_costs(meals: dict[str, np.ndarray], n_canteens: int, wages_per_month: float,
                  costs, horizon_days: float) -> dict[str, np.ndarray]:
    """Yuan over the horizon: meal subsidies (cost - price per meal served), canteen operating
    subsidies and helpers' wages."""
    years = horizon_days / 365.25
    served = meals["meals_served"]
    return {
        "meal_subsidy_cost_yuan": served * (costs.meal_cost_yuan - costs.price_yuan),
        "canteen_cost_yuan": np.full(len(served), n_canteens * costs.canteen_subsidy_yuan_per_year * years),
        "helper_wage_cost_yuan": np.full(len(served), wages_per_month * years * 12.0),
    }


def by_township(rep: np.ndarray, village: np.ndarray, township: np.ndarray, n: int, n_townships: int,
                **columns: np.ndarray) -> dict[str, np.ndarray]:
    """Sums of ``columns`` per (replication, township); rows in replication-major order."""
    g = rep.astype(np.int64) * n_townships + township[village]
    out = {"replication": np.repeat(np.arange(n), n_townships),
           "township": np.tile(np.arange(n_townships), n)}
    for name, values in columns.items():
        out[name] = np.bincount(g, weights=values, minlength=n * n_townships)
    return out
