"""Consolidation studies (Qinshui 2019-2021, Fushun 46 -> 39): who is displaced, how far, the
waits and occupancy that follow, and the savings by budget line 预算科目 (a saving is a negative
difference to today's network)."""

from __future__ import annotations

import pandas as pd

from sim.experiment.studies.tables import Named, frame, kpi_rows, n_years

HOMES = ["homes_open_end", "beds_open_end", "nursing_bed_share", "residents_displaced",
         "displacement_km_mean", "family_travel_extra_min_mean"]
WAITS = ["bed_applications", "bed_admissions", "bed_wait_days_mean", "bed_waited_share", "bed_waitlist_end",
         "bed_died_waiting", "bed_occupancy", "bed_occupancy_first_year", "bed_occupancy_last_year",
         "service_points_open_end"]
PAYERS = ["county", "city_province", "welfare_lottery", "users"]


def budget_lines(named: Named) -> list[str]:
    """The budget-line KPIs over the horizon that are not zero in every scenario."""
    cols = named[0][1].runs.columns
    lines = [c for c in cols if c.startswith("budget_") and c.endswith("_yuan") and "_payer_" not in c]
    return [c for c in lines if any(r.runs[c].abs().sum() > 0 for _, r in named)]


def summary(named: Named) -> tuple[pd.DataFrame, list[str]]:
    years = n_years(named[0][1])
    rows = kpi_rows(named, "Homes and residents moved 撤并与分流", HOMES)
    rows += kpi_rows(named, "Waits and occupancy 轮候与入住率", WAITS)
    rows += kpi_rows(named, "Budget lines over the horizon 预算科目（合计, yuan）",
                     budget_lines(named) + ["cost_total_yuan"])
    rows += kpi_rows(named, "Budget by year and payer 分年度与支付方 (yuan)",
                     [f"budget_total_yuan_year_{k}" for k in range(1, years + 1)]
                     + [f"budget_payer_{p}_yuan" for p in PAYERS])
    notes = ["A saving is a negative difference to the baseline (today's network) on the same seeds.",
             "residents_displaced counts moves at closures; displacement_km_mean is the road distance of "
             "a move; family_travel_extra_min_mean the extra car minutes from the resident's home village."]
    return frame(rows), notes
