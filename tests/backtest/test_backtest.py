"""Back tests: the engine against stored results of fixed seeds.

* ``pre_change/``: every preset x policy as the engine computed them before the
  contention-stage redesign (issue 12).  A KPI of today's engine must agree with
  them within the combined 95% interval of the two sets of replications (Welch),
  unless ``KNOWN_SHIFTS`` names it with the semantic reason.
* ``pinned/``: today's engine, exactly.  Regenerate deliberately, never casually:
  ``python -m tests.backtest.cases --pinned tests/backtest/data/pinned``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.backtest.cases import PINNED, REPLICATIONS, SEED, cases

DATA = Path(__file__).parent / "data"
# kpi -> why the redesign moved it (quoted in the closing note)
KNOWN_SHIFTS: dict[str, str] = {
    "helper_utilisation_homecare_worker": (
        "under the time bank only: the old engine held claims on a paid worker's whole window of 32 "
        "sessions until its stretch ended, which kept volunteers off sessions the worker would reach "
        "later that week; now only the planned sessions are held, so volunteers take some of them and "
        "paid workers are idle 0.4-0.7 pp more of their shift (unmet hours unchanged within intervals)"),
}

# issue 15: the model read against the policy documents (deliberate shifts; figures in the closing note)
_COSTS = ("issue 15: cost_total_yuan is the sum of the budget lines (sim/kernels/costs.py):"
          " it now adds the two allowances 两项补贴 (002 三(五)), day-care rewards 以奖代补 (002 "
          "三(一)), devices and the platform under the 15-minute policy, and the elders' own "
          "meal fees (users' line); the canteen subsidy is 000's rural 520 yuan a year "
          "(70.5万 / 1,356), not the urban 30,000")
_TIMEBANK = ("issue 15: 低龄 is 60-69 (was 60-74), so ~18% fewer members join and give hours: "
             "volunteer visits and home care fall, paid workers' unmet home care rises, fewer "
             "hours are banked and owed; fewer volunteers' visits run past their month's end (hill: "
             "visits_late 11.5 before issue 15; 6.5 on the engine of stop 23 and 6.0 on the compiled "
             "planner at the back test's seeds, 5.75 [4.8, 6.7] on 20 replications)")
_CONSOLIDATION = ("issue 15: stages fall on calendar dates after the plan's issue (2019-12-31, "
                  "2020-12-31; were day 180, 545), 入住10人以下 is inclusive, and the county special-"
                  "support home stays 100% nursing-type when enlarged (001 (一)1): homes stay open "
                  "longer (lower occupancy, higher fixed cost), the nursing share rises, and "
                  "ambulant residents of closed homes move farther, to regional homes")
_CANTEENS = ("issue 15: qinshui's 110 day-care centres are the 2021 target (50 at the start, "
             "+30 in 2020 and 2021), canteens open only where conditions allow (>=150 elders "
             "in walking reach) and with their service point: in the first year fewer canteens"
             " serve, so fewer lunches and more unmet for want of seats")
_FREED = ("issue 15: a freed nursing-home building that becomes a service point hosts a visiting "
          "coordinator from its closing day (consolidation.freed_staff, 001 (三)2, (二)3): it takes "
          "some of the visits of the villages around it, so village cadres visit slightly less")
_ROTATE = ("issue 16: a short-handed visitor goes first to those she has not seen longest "
           "(services.visits.rotate, 001 (二)3's monthly 100% target), not down the same list every "
           "month: the old and frail, whom the index order reached last, are now visited before they "
           "die, so fewer requirements end 'died first' (visits made unchanged within intervals)")
KNOWN_SHIFTS.update({
    "visits_died_first": _ROTATE,
    **{k: _COSTS for k in ("cost_total_yuan", "cost_per_elder_yuan", "canteen_cost_yuan")},
    **{k: _TIMEBANK for k in (
        "visits_on_time", "visit_rate_monthly", "homecare_hours_delivered", "homecare_unmet_share",
        "homecare_unserved_elder_week_share", "timebank_members", "timebank_members_joined",
        "timebank_hours_deposited", "timebank_hours_exchanged", "timebank_liability_hours",
        "timebank_liability_yuan", "timebank_withdrawals_honoured_share",
        "timebank_honoured_by_members_share",
        "timebank_visits", "timebank_homecare_hours", "visits_late", "timebank_liability_hours_year_1",
        "timebank_honoured_share_year_1", "timebank_goods_cost_yuan",
        "helper_utilisation_timebank_volunteer")},
    **{k: _CONSOLIDATION for k in (
        "bed_occupancy", "bed_occupancy_first_year", "bed_occupancy_last_year", "nursing_bed_share",
        "displacement_km_mean", "family_travel_extra_min_mean", "home_fixed_cost_yuan",
        "cost_per_occupied_bed_day_yuan")},
    **{k: _FREED for k in ("helper_visit_share_village_cadre", "helper_utilisation_village_cadre")},
    **{k: _CANTEENS for k in (
        "meals_served", "meals_dine_in", "meals_delivered", "meals_unmet_share", "meals_unmet_full_share",
        "meals_unmet_no_service_share", "meals_unmet_late_share", "meal_subsidy_cost_yuan",
        "helper_wage_cost_yuan", "helper_utilisation_meal_courier")},
})


def _run(overrides: list[str], replications: int) -> pd.DataFrame:
    import sim

    return sim.run(overrides, replications=replications, seed=SEED, workers=1).runs


def outside_interval(old: pd.DataFrame, new: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """KPIs whose means differ by more than the combined 95% interval: kpi -> (old, new, half-width)."""
    bad = {}
    for kpi in old.columns.drop(["replication", "seed"]):
        a, b = old[kpi].to_numpy(float), new[kpi].to_numpy(float)
        if np.isnan(a).all() and np.isnan(b).all():
            continue
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        if len(a) < 2 or len(b) < 2:
            ma, mb = (x.mean() if len(x) else np.nan for x in (a, b))
            if not np.allclose(ma, mb, equal_nan=True):
                bad[kpi] = (ma, mb, 0.0)
            continue
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)) if se > 0 else 1.0
        half = stats.t.ppf(0.975, df) * se
        tol = 1e-9 * max(1.0, abs(a.mean()))
        if abs(a.mean() - b.mean()) > half + tol:
            bad[kpi] = (float(a.mean()), float(b.mean()), float(half))
    return bad


@pytest.mark.slow
@pytest.mark.parametrize(("name", "overrides"), cases(), ids=[c[0] for c in cases()])
def test_kpis_agree_with_the_engine_before_the_redesign(name, overrides):
    old = pd.read_csv(DATA / "pre_change" / f"{name}.csv")
    new = _run(overrides, REPLICATIONS)
    assert set(old.columns) <= set(new.columns), f"KPIs gone: {set(old.columns) - set(new.columns)}"
    bad = {k: v for k, v in outside_interval(old, new[old.columns]).items() if k not in KNOWN_SHIFTS}
    assert not bad, f"{name}: KPIs outside the combined 95% interval (old, new, half-width): {bad}"


@pytest.mark.parametrize(("name", "overrides"), PINNED, ids=[c[0] for c in PINNED])
def test_engine_reproduces_its_pinned_results_exactly(name, overrides):
    pinned = pd.read_csv(DATA / "pinned" / f"{name}.csv")
    new = _run(overrides, len(pinned))
    pd.testing.assert_frame_equal(new[pinned.columns].reset_index(drop=True), pinned,
                                  check_dtype=False, rtol=1e-12, atol=0)


def test_interval_check_flags_a_real_shift_and_passes_noise():
    rng = np.random.default_rng(0)
    old = pd.DataFrame({"replication": range(4), "seed": 0, "k": rng.normal(10, 1, 4)})
    same = old.assign(k=rng.normal(10, 1, 4))
    moved = old.assign(k=old["k"] + 10)
    assert outside_interval(old, same) == {}
    assert set(outside_interval(old, moved)) == {"k"}
