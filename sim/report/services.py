"""The briefing's services and their key figures, in the briefing's order: plain data, read by the
terminal table of ``python -m sim`` as well as by the briefing (`sim.report.sections`), so the
terminal table loads no plotting library."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Service:
    key: str
    demand_kpi: str  # a positive mean in some scenario: the service ran
    kpis: tuple[str, ...]  # its key figures


SERVICES = (
    Service(
        "emergency",
        "emergency_calls",
        (
            "emergency_within_target_share",
            "emergency_response_p50_min",
            "emergency_response_p90_min",
            "emergency_help_within_target_share",
            "emergency_calls",
        ),
    ),
    Service(
        "beds",
        "bed_applications",
        (
            "bed_occupancy",
            "bed_occupancy_transient",
            "bed_occupancy_steady",
            "bed_occupancy_warmup_months",
            "bed_wait_days_mean",
            "bed_waitlist_end",
            "bed_refused",
            "residents_displaced",
            "displacement_km_mean",
            "family_travel_extra_min_mean",
        ),
    ),
    Service(
        "meals", "meals_demanded", ("meals_unmet_share", "meals_demanded", "meals_served", "meals_delivered")
    ),
    Service("visits", "visits_required", ("visit_rate_monthly", "visits_required", "visits_missed")),
    Service(
        "homecare",
        "homecare_hours_needed",
        (
            "homecare_unmet_share",
            "homecare_hours_needed",
            "homecare_hours_delivered",
            "homecare_unserved_elder_week_share",
        ),
    ),
    Service(
        "timebank",
        "timebank_members",
        (
            "timebank_members",
            "timebank_hours_deposited",
            "timebank_withdrawals_honoured_share",
            "timebank_liability_hours",
            "timebank_liability_yuan",
            "timebank_balance_hours_transient",
            "timebank_balance_hours_steady",
            "timebank_balance_hours_warmup_months",
        ),
    ),
    Service(
        "costs",
        "cost_total_yuan",
        (
            "cost_total_yuan",
            "cost_per_elder_yuan",
            "home_fixed_cost_yuan",
            "home_variable_cost_yuan",
            "home_capital_cost_yuan",
            "meal_subsidy_cost_yuan",
            "canteen_cost_yuan",
            "helper_wage_cost_yuan",
        ),
    ),
    Service(
        "equity",
        "emergency_calls",
        (
            "emergency_within_target_share_gap_remoteness",
            "visit_rate_monthly_gap_remoteness",
            "meals_unmet_share_gap_remoteness",
            "homecare_unmet_share_gap_remoteness",
            "emergency_within_target_share_remoteness_q5",
            "emergency_within_target_share_gap_terrain",
        ),
    ),
)


def kpi_means(table: pd.DataFrame, kpi: str) -> np.ndarray:
    """The means of ``kpi`` in a comparison table, one per scenario."""
    return table.loc[table["kpi"] == kpi, "mean"].to_numpy(float)


def services_run(table: pd.DataFrame) -> list[Service]:
    """The services with a positive demand in some scenario, in the briefing's order."""
    out = []
    for s in SERVICES:
        means = kpi_means(table, s.demand_kpi)
        if len(means) and np.nanmax(means, initial=0.0) > 0:
            out.append(s)
    return out
