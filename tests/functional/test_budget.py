"""Costs by budget line and payer (sim/kernels/costs.py): the lines add up to the total in every run."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.kernels.costs import LINE_NAMES, LINES, PAYERS, years_of


@pytest.fixture(scope="module")
def runs():
    """Every policy with a budget line, and the baseline: the plain county, the smallest preset that
    builds beds, buys the platform, pays coordinators and couriers and builds village points; two
    budget years."""
    common = ["county=plain", "report=none", "run.horizon_days=400"]
    points = "policy.village_points.steps=[{day: 90, count: 6}, {day: 300, count: 6}]"   # plain: 18 fit
    return [sim.run(["policy=[consolidation,emergency_15min,canteens,time_bank,village_points]", points,
                     *common], replications=2, seed=3, workers=1),
            sim.run(["policy=baseline", *common], replications=1, seed=3, workers=1)]


def test_cost_total_is_the_sum_of_the_budget_lines_in_every_run(runs):
    for res in runs:
        r = res.runs
        lines = sum(r[f"budget_{name}_yuan"] for name in LINE_NAMES)
        np.testing.assert_allclose(r["cost_total_yuan"], lines, rtol=1e-12)
        np.testing.assert_allclose(r["cost_total_yuan"], sum(r[f"budget_payer_{p}_yuan"] for p in PAYERS),
                                   rtol=1e-12)
        years = years_of(res.config.run.horizon_days)
        assert years == 2 and f"budget_total_yuan_year_{years + 1}" not in r
        by_year = sum(r[f"budget_total_yuan_year_{k}"] for k in range(1, years + 1))
        np.testing.assert_allclose(r["cost_total_yuan"], by_year, rtol=1e-12)
        for name in LINE_NAMES:
            np.testing.assert_allclose(r[f"budget_{name}_yuan"],
                                       sum(r[f"budget_{name}_yuan_year_{k}"] for k in range(1, years + 1)),
                                       rtol=1e-12, atol=1e-6)
        assert (r["elders_served"] > 0).all() and (r["cost_per_elder_served_yuan"] > 0).all()


def test_budget_lines_agree_with_the_service_costs(runs):
    for res in runs:
        r = res.runs
        np.testing.assert_allclose(r["home_fixed_cost_yuan"], r["budget_home_staff_yuan"]
                                   + r["budget_home_running_yuan"], rtol=1e-9)
        np.testing.assert_allclose(r["home_variable_cost_yuan"], r["budget_home_care_yuan"], rtol=1e-9)
        np.testing.assert_allclose(r["home_capital_cost_yuan"], r["budget_bed_construction_yuan"]
                                   + r["budget_nursing_conversion_yuan"], rtol=1e-9)
        np.testing.assert_allclose(r["meal_subsidy_cost_yuan"], r["budget_meal_subsidies_yuan"], rtol=1e-9)
        np.testing.assert_allclose(r["canteen_cost_yuan"], r["budget_canteen_subsidies_yuan"], rtol=1e-9)
        pay = [f"budget_{line.name}_yuan" for line in LINES if line.name.startswith("pay_")]
        np.testing.assert_allclose(r["helper_wage_cost_yuan"], r[pay].sum(axis=1), rtol=1e-9)
        price = res.config.services.meals.costs.price_yuan
        np.testing.assert_allclose(r["budget_meal_fees_yuan"], r["meals_served"] * price, rtol=1e-9)


def test_policy_lines_appear_only_under_their_policy(runs):
    full, base = (res.runs for res in runs)
    assert (full["budget_timebank_goods_yuan"] == full["timebank_goods_cost_yuan"]).all() or np.allclose(
        full["budget_timebank_goods_yuan"], full["timebank_goods_cost_yuan"], rtol=1e-9)
    assert (full["budget_bed_construction_yuan"] > 0).all() and (full["budget_platform_yuan"] > 0).all()
    assert (full["budget_pay_coordinators_yuan"] > 0).all() and (full["budget_pay_couriers_yuan"] > 0).all()
    # new village points: 12 built in year 1 (120,000 each), subsidised from their opening days
    assert (full["budget_village_point_construction_yuan_year_1"] == 12 * 120_000).all()
    assert (full["budget_village_point_construction_yuan_year_2"] == 0).all()
    horizon = 13 * 365.25 / 12                              # 400 days: 13 whole months
    np.testing.assert_allclose(full["budget_village_point_operating_subsidy_yuan"],
                               6 * (2 * horizon - 90 - 300) / 365.25 * 20_000, rtol=1e-9)
    for line in ("bed_construction", "platform", "pay_coordinators", "pay_couriers", "timebank_goods",
                 "village_point_construction", "village_point_operating_subsidy"):
        assert (base[f"budget_{line}_yuan"] == 0).all()
    for line in ("allowance_age80", "allowance_disabled", "daycare_rewards", "home_staff"):
        assert (base[f"budget_{line}_yuan"] > 0).all()
    # the platform is bought once, in the first year
    assert (full["budget_platform_yuan_year_2"] == 0).all()


def test_meal_wishes_on_closed_days_are_apart_from_capacity_shortfalls(runs):
    r = runs[0].runs
    closed = r["meals_unmet_closed_share"] * r["meals_demanded"]
    np.testing.assert_allclose(r["meals_demanded_open_days"], r["meals_demanded"] - closed, rtol=1e-9)
    np.testing.assert_allclose(r["meals_unmet_open_days_share"] * r["meals_demanded_open_days"],
                               r["meals_demanded_open_days"] - r["meals_served"], rtol=1e-9)
    assert (r["meals_unmet_open_days_share"] < r["meals_unmet_share"]).all()


def test_eligible_elders_per_canteen_are_reported(runs):
    r = runs[0].runs
    assert (r["meals_eligible_elders"] > 0).all()
    np.testing.assert_allclose(r["meals_eligible_per_canteen"],
                               r["meals_eligible_elders"] / r["canteens_open_end"])


def test_time_bank_as_a_points_exchange_owes_nothing_and_pays_goods():
    """001 (二)4 积分兑换: every hour earned is exchanged for goods; nothing is banked."""
    res = sim.run(["county=plain", "policy=[time_bank_points]", "run.horizon_days=62", "report=none"],
                  replications=1, seed=3, workers=1)
    r = res.runs
    assert r["timebank_hours_deposited"].iloc[0] > 0
    assert r["timebank_liability_hours"].iloc[0] == pytest.approx(0.0, abs=1e-6)
    np.testing.assert_allclose(r["budget_timebank_goods_yuan"], r["timebank_hours_deposited"] * 12.0,
                               rtol=1e-9)
