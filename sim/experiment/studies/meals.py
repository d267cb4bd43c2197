"""Canteens at Xianyang's scale 爱心餐厅 (policy-docs/000: 47 canteens serving 660 elders): unmet
lunch wishes by reason and the cost of a lunch served, to the public purse and in all."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiment.studies.tables import Named, derived_rows, frame, kpi_rows

SCALE = ["canteens_open_end", "meals_eligible_elders", "meals_eligible_per_canteen"]
MEALS = ["meals_demanded", "meals_served", "meals_dine_in", "meals_delivered", "meals_unmet_share",
         "meals_unmet_closed_share", "meals_unmet_full_share", "meals_unmet_no_service_share",
         "meals_unmet_late_share", "meals_unmet_open_days_share"]
PUBLIC_LINES = ["budget_canteen_subsidies_yuan", "budget_meal_subsidies_yuan", "budget_pay_couriers_yuan"]


def _per_meal(runs: pd.DataFrame, lines: list[str]) -> np.ndarray:
    served = runs["meals_served"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(served > 0, runs[lines].sum(axis=1).to_numpy(float) / served, np.nan)


def summary(named: Named) -> tuple[pd.DataFrame, list[str]]:
    meals = [(n, r) for n, r in named if r.config.policy.canteens.enabled]
    rows = kpi_rows(named, "Scale 规模 (000: 47 canteens, 660 elders, ~14 a canteen)", SCALE)
    rows += kpi_rows(named, "Lunches and unmet wishes by reason 未满足原因", MEALS)
    rows += kpi_rows(named, "Meal budget lines 助餐预算 (yuan over the horizon)",
                     PUBLIC_LINES + ["budget_meal_fees_yuan"])
    rows += derived_rows(meals, "Cost per lunch served 每餐成本 (yuan)", {
        "public yuan per lunch (subsidies, canteen grants, couriers)": lambda r: _per_meal(r, PUBLIC_LINES),
        "all yuan per lunch (with elders' fees)": lambda r: _per_meal(r, [*PUBLIC_LINES,
                                                                           "budget_meal_fees_yuan"]),
    }, reference=None)
    notes = ["Unmet shares are of lunch wishes: closed = wished on a day the canteen does not open, "
             "full = seats or kitchen exhausted, no_service = no canteen in reach and no delivery, "
             "late = delivery after the deadline.",
             "Cost per lunch counts the canteens and lunches of the policy only; baseline canteens are "
             "in the baseline rows."]
    return frame(rows), notes
