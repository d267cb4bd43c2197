"""The Ankang rural plan's package 农村养老服务提质增效 (policy-docs/001): each measure alone and all
together against today, the public cost a year, and "which measure buys most per yuan": the
public yuan for each unit of outcome gained (a call reached within the target, a visit made, a
lunch served, a home-care hour delivered, an emergency avoided, an admission to a bed),
with delta-method intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiment.studies.tables import Named, derived_rows, frame, kpi_rows, n_years, ratio_rows, years

OUTCOMES = ["emergency_calls", "emergency_within_target_share", "emergency_response_p90_min",
            "visit_rate_monthly", "meals_served", "meals_unmet_share", "homecare_hours_delivered",
            "homecare_unmet_share", "service_point_operating_rate", "canteens_open_end", "adaptation_homes",
            "beds_open_end", "bed_admissions", "bed_waited_share", "bed_wait_days_mean", "bed_occupancy"]


def public_cost(runs: pd.DataFrame) -> np.ndarray:
    """Cost to the public purse: the total less what elders pay (meal fees)."""
    return (runs["cost_total_yuan"] - runs["budget_payer_users_yuan"]).to_numpy(float)


def within_target(runs: pd.DataFrame) -> np.ndarray:
    return (runs["emergency_within_target_share"] * runs["emergency_calls"]).to_numpy(float)


def visits_made(runs: pd.DataFrame) -> np.ndarray:
    return (runs["visits_on_time"] + runs["visits_late"]).to_numpy(float)


GAINS = {
    "yuan per extra call reached within target": within_target,
    "yuan per extra visit made": visits_made,
    "yuan per extra lunch served": lambda r: r["meals_served"].to_numpy(float),
    "yuan per extra home-care hour": lambda r: r["homecare_hours_delivered"].to_numpy(float),
    "yuan per emergency avoided": lambda r: -r["emergency_calls"].to_numpy(float),
    "yuan per extra admission to a bed": lambda r: r["bed_admissions"].to_numpy(float),
}


def summary(named: Named) -> tuple[pd.DataFrame, list[str]]:
    y = years(named[0][1])
    rows = kpi_rows(named, "Outcomes 服务结果", OUTCOMES)
    rows += derived_rows(named, "Counts behind the ratios", {
        "calls reached within target": within_target, "visits made": visits_made})
    rows += derived_rows(named, "Public cost a year 年度公共支出 (yuan)", {
        "public cost a year (yuan)": lambda r: public_cost(r) / y})
    rows += kpi_rows(named, "Cost by year 分年度 (yuan, all payers)",
                     [f"budget_total_yuan_year_{k}" for k in range(1, n_years(named[0][1]) + 1)])
    rows += ratio_rows(named, "Which measure buys most per yuan 每元效果 (public yuan per unit gained)",
                       public_cost, GAINS)
    ranked = pd.DataFrame([r for r in rows if r["section"].startswith("Which") and np.isfinite(r["mean"])])
    notes = ["Public cost = cost_total_yuan - budget_payer_users_yuan (meal fees), over the horizon; "
             "the diff columns of the per-yuan table hold the gain (units over the horizon).",
             "A ratio is shown only where the gain's 95% interval excludes zero; a negative ratio "
             "means the measure saves money while gaining."]
    if len(ranked):
        for measure, part in ranked.groupby("measure", sort=False):
            best = part.loc[part["mean"].idxmin()]   # fewest yuan per unit (negative: saves money)
            notes.append(f"{measure}: cheapest is {best['scenario']} at {best['mean']:,.0f} yuan "
                         f"[{best['ci_low']:,.0f}, {best['ci_high']:,.0f}]")
    return frame(rows), notes
