"""Beds added or converted by an upgrade need care staff (``consolidation.staff_upgrades``, on in
Yulin's policies): the staffing rule of CALIBRATION §5 (1 per 10 self-care and 1 per 3 nursing-type
beds) is applied to the home before and after each upgrade, and the difference is paid from the
upgrade's day to the horizon; nothing but the cost moves."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.model.closures import care_staff
from sim.population.demography import MONTH_DAYS

OVER = ["county=hill", "policy=[nursing_beds_yulin]", "run.start_date=2020-01-01", "run.horizon_days=600",
        "report=none", "run.save_events=none"]


def test_care_staff_follows_the_calibration_rule():
    assert care_staff(10, 0) == 1 and care_staff(11, 0) == 2 and care_staff(3, 3) == 1
    assert care_staff(100, 100) == 34 and care_staff(40, 22) == 10    # 18 / 10 + 22 / 3, rounded up


def test_added_beds_carry_their_staff_pay_and_nothing_else_moves():
    runs = {on: sim.run([*OVER, f"policy.consolidation.staff_upgrades={on}"], replications=1, seed=3,
                        workers=1) for on in ("true", "false")}
    hired, not_hired = runs["true"].runs.iloc[0], runs["false"].runs.iloc[0]
    home = runs["true"].world("facilities").iloc[0]               # the county special-support home
    assert home["name"] == "County special-support home"
    # nursing_beds_yulin: 2020-07-01 to 100 beds, 2021-07-01 to 120, all nursing-type (001 (一)1)
    horizon = round(600 / MONTH_DAYS) * MONTH_DAYS
    before = care_staff(home["beds"], home["nursing_beds"])
    staff_days = ((care_staff(100, 100) - before) * (horizon - 182)
                  + (care_staff(120, 120) - care_staff(100, 100)) * (horizon - 547))
    expected = staff_days / 365.25 * 12 * 3500.0                  # CALIBRATION §9 rural carer wage
    extra = hired["budget_home_staff_yuan"] - not_hired["budget_home_staff_yuan"]
    assert staff_days > 0 and extra == pytest.approx(expected, rel=1e-9)
    assert hired["cost_total_yuan"] - not_hired["cost_total_yuan"] == pytest.approx(extra, rel=1e-9)
    costs = ("cost", "budget", "home_fixed_cost")
    same = [k for k in hired.index if not k.startswith(costs) and k not in ("replication", "seed")]
    np.testing.assert_array_equal(hired[same].to_numpy(float), not_hired[same].to_numpy(float))
