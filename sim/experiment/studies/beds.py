"""Nursing-type bed upgrades with Yulin's subsidies 护理型床位升级改造 (policy-docs/004: a one-off
construction subsidy of 20,000 yuan a bed and 200 yuan per resident a month): nursing-type beds
gained per 10,000 yuan, and what the beds do for dependent elders waiting for a place."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiment.studies.package import public_cost
from sim.experiment.studies.tables import Named, derived_rows, frame, kpi_rows, ratio_rows

BEDS = ["beds_open_end", "nursing_bed_share", "bed_applications", "bed_admissions", "bed_wait_days_mean",
        "bed_waited_share", "bed_waitlist_end", "bed_died_waiting", "bed_occupancy"]
LINES = ["budget_bed_construction_yuan", "budget_nursing_conversion_yuan",
         "budget_home_operating_subsidy_yuan", "budget_home_staff_yuan", "budget_home_care_yuan",
         "cost_total_yuan"]


def nursing_beds(runs: pd.DataFrame) -> np.ndarray:
    return (runs["nursing_bed_share"] * runs["beds_open_end"]).to_numpy(float)


def subsidies(runs: pd.DataFrame) -> np.ndarray:
    """The per-bed subsidies paid: construction of new beds and conversions to nursing-type."""
    return (runs["budget_bed_construction_yuan"] + runs["budget_nursing_conversion_yuan"]).to_numpy(float)


def summary(named: Named) -> tuple[pd.DataFrame, list[str]]:
    rows = derived_rows(named, "Nursing-type beds 护理型床位", {"nursing-type beds at the end": nursing_beds})
    rows += kpi_rows(named, "Beds and waits 床位与轮候", BEDS)
    rows += kpi_rows(named, "Budget lines 预算科目 (yuan over the horizon)", LINES)
    gained = {"nursing-type beds gained": nursing_beds,
              "admissions gained": lambda r: r["bed_admissions"].to_numpy(float)}
    # yuan per unit, then turned into units per 10,000 yuan below
    rows += ratio_rows(named, "Yuan per unit gained: per-bed subsidies only", subsidies, gained)
    rows += ratio_rows(named, "Yuan per unit gained: all public cost", public_cost, gained)
    out = frame(rows)
    per = out["section"].str.startswith("Yuan per unit")
    with np.errstate(divide="ignore"):
        inv = pd.DataFrame({"mean": 1e4 / out.loc[per, "mean"], "ci_low": 1e4 / out.loc[per, "ci_high"],
                            "ci_high": 1e4 / out.loc[per, "ci_low"]})
    ten = out.loc[per].copy()
    ten[["mean", "ci_low", "ci_high"]] = inv.to_numpy()
    ten["section"] = ten["section"].str.replace("Yuan per unit gained", "Per 10,000 yuan 每万元")
    ten["measure"] = ten["measure"] + " per 10,000 yuan"
    notes = ["Per 10,000 yuan = 10,000 / (yuan per unit gained); its interval is the inverse of the "
             "yuan-per-unit interval (valid while that interval excludes zero).",
             "The per-resident operating subsidy is paid in every scenario (Yulin pays it to every home); "
             "a scenario's extra subsidy is for the extra residents its beds take in."]
    return pd.concat([out, ten], ignore_index=True), notes
