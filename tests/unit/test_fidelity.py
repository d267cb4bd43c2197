"""Issue 15: the model read against the policy documents, one test per mismatch fixed."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from sim.config.errors import ConfigError
from sim.config.policies import (
    CanteenPolicy,
    ClosureStage,
    ConsolidationPolicy,
    DeviceGroup,
    EmergencyPolicy,
    TimeBankPolicy,
)
from sim.config.services import ConditionGroup, MealsConfig, ServicesConfig
from sim.experiment.app import compose as _compose_uncached
from sim.model.allowances import AllowanceDemand
from sim.model.bed_demand import APPLICATION_DTYPE
from sim.model.beds import CLOSED
from sim.model.meals import MealDemand
from sim.policy import canteens, emergency
from sim.policy.consolidation import ConsolidationPlan, plan_consolidation, resolve_stage
from sim.population.elders import Elders
from sim.world import build_county
from tests.bed_setup import fifo_rules, homes, run_beds

NO_APPS = np.zeros(0, APPLICATION_DTYPE)


# composed once per process (below): the module's tests share one xdist worker
pytestmark = pytest.mark.xdist_group("tests/unit/test_fidelity.py")


@cache
def _composed(overrides: tuple[str, ...]):
    return _compose_uncached(list(overrides))


def compose(overrides):
    """Hydra composition is slow to start: each set of overrides is composed once per module."""
    return _composed(tuple(overrides))


@cache
def county_of(name: str):
    return build_county(compose([f"county={name}"]).county)


def _plan(kept, stages, upgrades=(), all_nursing=None):
    return ConsolidationPlan(kept=np.asarray(kept), central=int(np.argmax(kept)), stages=tuple(stages),
                             upgrades=tuple(upgrades), reserve_share=0.0, staff_move=True,
                             freed_building="none", all_nursing=all_nursing)


def _closed_with(stage: ClosureStage) -> list[int]:
    # home 0 kept; home 1 holds exactly 10 residents, home 2 holds 11
    residents = [(i, 1, False, np.inf) for i in range(10)] + [(10 + i, 2, False, np.inf) for i in range(11)]
    h = homes([40, 12, 12], village=[0, 1, 2], residents=residents)
    rec, _ = run_beds(h, NO_APPS, 20, fifo_rules(), plan=_plan([True, False, False], [stage]),
                      elder_village=np.r_[np.full(10, 1), np.full(11, 2)])
    return rec["beds"][rec["beds"]["kind"] == CLOSED]["home"].tolist()


def test_at_most_residents_is_inclusive_as_yixia_means():
    """入住10人以下 (policy-docs/002 三(二)) closes a home of exactly 10, not one of 11."""
    assert _closed_with(ClosureStage(day=5.0, at_most_residents=10)) == [1]
    assert _closed_with(ClosureStage(day=5.0, below_residents=10)) == []     # the old strict reading


def test_below_residents_is_a_deprecated_alias():
    with pytest.warns(DeprecationWarning, match="at_most_residents"):
        stage = resolve_stage(ClosureStage(day=3.0, below_residents=10), "2019-01-01", "s")
    assert stage.at_most_residents == 9 and stage.below_residents is None and stage.day == 3.0


def test_qinshui_stages_fall_on_calendar_dates_after_the_plan_was_issued():
    county = county_of("qinshui")
    plan = plan_consolidation(replace(ConsolidationPolicy(), enabled=True), county)
    days = [s.day for s in plan.stages]
    assert days == [364.0, 730.0, 1003.0]           # 2019-12-31, 2020-12-31, 2021-09-30
    issued = 204                                    # 24 July 2019 (002, 文件落款)
    assert days[0] > issued
    assert [s.at_most_residents for s in plan.stages] == [10, 20, None]
    later = plan_consolidation(replace(ConsolidationPolicy(), enabled=True), county, "2019-07-24")
    assert [s.day for s in later.stages][0] == 364.0 - issued
    with pytest.raises(ConfigError, match="run.start_date"):
        plan_consolidation(replace(ConsolidationPolicy(), enabled=True), county, "2020-06-01")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        plan_consolidation(replace(ConsolidationPolicy(), enabled=True,
                                   stages=[ClosureStage(date="end of 2019")]), county)


def test_a_stage_may_still_be_given_in_days():
    county = county_of("qinshui")
    policy = replace(ConsolidationPolicy(), enabled=True,
                     stages=[ClosureStage(day=42.0, at_most_residents=5)])
    assert plan_consolidation(policy, county).stages[0].day == 42.0


def test_county_special_support_home_stays_all_nursing_when_enlarged():
    """001 (一)1: 护理型床位占比达到100%; the beds consolidation adds to it are nursing-type."""
    h = homes([80, 40], nursing=[80, 8], village=[0, 1])
    up = [(10.0, np.array([0, 1]), 120, 0.5)]
    _, service = run_beds(h, NO_APPS, 30, fifo_rules(), n_elders=1,
                          plan=_plan([True, True], [], up, all_nursing=np.array([True, False])))
    assert service.beds.tolist() == [120, 120]
    assert service.nursing.tolist() == [120, 60]     # 100% kept; the township home reaches its 50%
    assert service.added.tolist() == [[40, 0], [80, 52]]


def test_hill_consolidation_keeps_the_county_home_all_nursing():
    county = county_of("hill")
    plan = plan_consolidation(replace(ConsolidationPolicy(), enabled=True), county)
    assert plan.all_nursing[plan.central]


def test_time_bank_young_old_are_60_to_69():
    assert TimeBankPolicy().join_age_max == 69
    assert compose(["policy=time_bank"]).policy.time_bank.join_age_max == 69


def _elders(n=400, seed=0) -> Elders:
    rng = np.random.default_rng(seed)
    return Elders({"age_months": rng.integers(60 * 12, 95 * 12, n), "adl": rng.integers(0, 3, n),
                   "living": rng.integers(0, 4, n), "economic": rng.integers(0, 3, n),
                   "alive": np.ones(n, bool), "village": np.zeros(n)})


def test_device_groups_combine_conditions_with_and():
    """Qinshui's wearables: left-behind *and* dependent (002 三(五)), not either."""
    e = _elders()
    policy = replace(EmergencyPolicy(), enabled=True, device_solitary=0.0, device_empty_nest=0.0,
                     device_groups=[DeviceGroup(all_of=["left_behind", "dependent"], share=1.0)])
    emergency.handout_devices(e, policy, np.random.default_rng(1))
    both = (e.living == 2) & (e.adl > 0)
    assert both.any() and np.array_equal(e.device, both)
    e2 = _elders()     # OR with a single-condition coverage: the largest share applies
    emergency.handout_devices(e2, replace(policy, device_solitary=1.0), np.random.default_rng(1))
    assert np.array_equal(e2.device, both | (e2.living == 0))


def test_coordinator_answering_emergencies_is_an_option():
    services = ServicesConfig()
    on = emergency.apply_rules(replace(EmergencyPolicy(), enabled=True), services)
    off = emergency.apply_rules(replace(EmergencyPolicy(), enabled=True,
                                        coordinator_answers_emergencies=False), services)
    coord = lambda s: next(h for h in s.helpers if h.name == "coordinator")  # noqa: E731
    assert coord(on).emergency and not coord(off).emergency
    assert coord(off).visit_hours_per_week == coord(on).visit_hours_per_week > 0
    plan = compose(["policy=[emergency_15min_plan]"]).policy.emergency
    assert plan.enabled and not plan.coordinator_answers_emergencies


def test_meal_eligibility_as_000_states_it_is_conjunctive():
    e = _elders()
    cfg = compose(["policy=[canteens_xianyang]"])
    rules = canteens.apply_rules(cfg.policy.canteens, cfg.services).meals
    hook = MealDemand(rules)
    alive = np.arange(len(e))
    hook(0, alive, np.zeros(len(e)), e)
    dep, low = e.adl > 0, e.economic <= 1
    expect = (dep & (e.living == 0)) | (dep & (e.living == 1)) | (low & dep & (e.living == 2))
    assert np.array_equal(np.sort(hook.eligible[0]), np.flatnonzero(expect))
    old_only = (e.age_months >= 960) & ~expect
    assert old_only.any() and not np.isin(np.flatnonzero(old_only), hook.eligible[0]).any()
    # the 80+ rule is a separate, named option
    named = MealDemand(replace(rules, age_80_plus=True))
    named(0, alive, np.zeros(len(e)), e)
    assert np.isin(np.flatnonzero(old_only), named.eligible[0]).all()


def test_default_meal_groups_unchanged_by_an_empty_conjunctive_list():
    e = _elders()
    a, b = MealDemand(MealsConfig()), MealDemand(replace(MealsConfig(), groups_all_of=[ConditionGroup([])]))
    for h in (a, b):
        h(0, np.arange(len(e)), np.zeros(len(e)), e)
    assert np.array_equal(a.eligible[0], b.eligible[0])


def test_canteens_open_only_where_conditions_allow():
    county = county_of("qinshui")
    base = len(county.facilities.of_kind("canteen"))
    every = canteens.open_canteens(replace(CanteenPolicy(), enabled=True, min_walk_elders=0), county)
    strict = canteens.open_canteens(replace(CanteenPolicy(), enabled=True), county)   # >= 150 (the file)
    capped = canteens.open_canteens(replace(CanteenPolicy(), enabled=True, max_new=5), county)
    kitchen = canteens.open_canteens(replace(CanteenPolicy(), enabled=True, require_kitchen=True), county)
    n = lambda c: len(c.facilities.of_kind("canteen"))  # noqa: E731
    assert n(every) > n(strict) > base
    assert n(capped) == base + 5 and n(kitchen) == base    # service points list no seats: no kitchen
    sites = strict.facilities.village[strict.facilities.of_kind("canteen")][base:]
    assert (canteens.walk_elders(county, sites, 20.0) >= 150).all()


def test_canteen_subsidy_is_the_rural_figure():
    """000 二: 70.5万 for 1,356 rural mutual-aid homes = 520 a home a year."""
    assert MealsConfig().costs.canteen_subsidy_yuan_per_year == pytest.approx(705_000 / 1356, abs=1)


def test_allowance_hook_counts_poor_80_plus_and_poor_disabled():
    e = _elders()
    e.device[:50] = True
    hook = AllowanceDemand(2, devices_handed_out=7)
    for m in range(2):
        hook(m, np.arange(len(e)), np.zeros(len(e)), e)
    t = hook.table()
    poor = e.economic <= 1
    assert t["age80_poor"].tolist() == [int((poor & (e.age_months >= 960)).sum())] * 2
    assert t["disabled_poor"].tolist() == [int((poor & (e.adl == 2)).sum())] * 2
    assert t["devices"].tolist() == [50, 50] and t["devices_handed_out"].tolist() == [7, 0]


def _plan_of(overrides, **county_changes):
    """The policy plan of a composed config (without the cohort a whole scenario builds)."""
    from sim.policy import plan

    cfg = compose(overrides)
    county_cfg = replace(cfg.county, **county_changes)
    return plan(cfg.policy, cfg.services, county_of(cfg.county.name), cfg.run.start_date, county_cfg), cfg


def test_qinshui_110_day_care_centres_are_the_2021_target_reached_on_dated_steps():
    plan, cfg = _plan_of(["county=qinshui", "policy=[canteens]"])
    assert cfg.county.service_points == 110 and cfg.county.service_points_at_start < 110
    f, days = plan.county.facilities, plan.facility_open_day
    points = f.of_kind("service_point")
    opened = np.sort(days[points])
    assert (opened[: cfg.county.service_points_at_start] == 0).all()
    assert set(np.unique(opened)) == {0.0, 365.0, 731.0}        # 2020-01-01, 2021-01-01
    assert (opened <= 1095).all()                              # all 110 by the end of 2021 (002 二(一))
    # a canteen the policy opens at a later service point opens with it
    canteen = f.of_kind("canteen")
    first = {int(v): d for v, d in zip(f.village[points], days[points])}
    assert all(days[c] == first.get(int(f.village[c]), 0.0) for c in canteen)
    assert (days[canteen] > 0).any()


def test_service_point_steps_must_add_up():
    with pytest.raises(ConfigError, match="service_points_at_start"):
        _plan_of(["county=qinshui"], service_points_at_start=10)


def test_a_canteen_not_yet_open_serves_nobody():
    from sim.model.meals import canteen_table
    from sim.model.responders import build_responders

    cfg = compose(["county=hill"])
    county = county_of("hill")
    units = build_responders(county, list(cfg.services.helpers))
    n = len(county.facilities.of_kind("canteen"))
    none = np.zeros(0, np.int64)
    _, walk_to, walk_min, _, _ = canteen_table(county, none, units, cfg.services.meals)
    shut = np.ones(n, bool)
    shut[walk_to[0]] = False
    _, to2, min2, _, _ = canteen_table(county, none, units, cfg.services.meals, ~shut)
    assert np.isfinite(walk_min).all()
    assert (to2 == walk_to[0]).all()                            # only the one open canteen is reachable
    _, _, min3, _, _ = canteen_table(county, none, units, cfg.services.meals, np.zeros(n, bool))
    assert np.isinf(min3).all()


def test_adaptation_programme_adapts_qualifying_homes_on_its_schedule():
    from sim.config.policies import AdaptationPolicy, AdaptationStep
    from sim.model.adaptation import AdaptationProgramme

    e = _elders(3000)
    policy = replace(AdaptationPolicy(), enabled=True, reference_elders=0.0,
                     steps=[AdaptationStep(homes=120), AdaptationStep(day=365.25, homes=24)])
    hook = AdaptationProgramme(policy, [0.0, 365.25], len(e), np.random.default_rng(2))
    for m in range(24):
        hook(m, np.arange(len(e)), np.zeros(len(e)), e)
    t = hook.table()
    assert t["homes"][:12].sum() == 120 and t["homes"][12:].sum() == 24
    ok = ((e.economic == 0) | ((e.economic <= 1) & ((e.age_months >= 960) | (e.adl > 0)))
          | ((e.living == 0) & (e.adl > 0)))
    assert e.adapted.sum() == 144 and not (e.adapted & ~ok).any()
    # a city's plan scaled to a county's elders
    scaled = AdaptationProgramme(replace(policy, reference_elders=554_400.0), [0.0, 365.25], 27_720.0,
                                 np.random.default_rng(2))
    assert scaled.steps[0][1] == pytest.approx(6.0)


def test_operating_policy_brings_idle_points_to_the_target_rate_and_only_operating_points_host():
    idle, _ = _plan_of(["county=qinshui", "policy=[canteens]"], service_point_operating_share=0.4)
    run, _ = _plan_of(["county=qinshui", "policy=[canteens,operating]"], service_point_operating_share=0.4)
    for plan, operating in ((idle, 44), (run, 66)):            # 40% of 110; the 60% target of 001 (三)3
        f, days = plan.county.facilities, plan.facility_open_day
        points = f.of_kind("service_point")
        assert np.isfinite(days[points]).sum() == operating
        # a canteen hosted by a village's service points operates only if one of them does
        point_day = {int(v): d for v, d in zip(f.village[points], days[points])}
        for c in f.of_kind("canteen"):
            assert days[c] == point_day[int(f.village[c])]
    brought = run.facility_subsidised
    assert brought.sum() == 22 and (run.facility_open_day[brought] >= 365).all()
    assert not idle.facility_subsidised.any()


@pytest.mark.parametrize("policy", ["emergency_15min_plan", "canteens_xianyang", "consolidation_fushun",
                                    "adaptation", "operating", "time_bank_points", "regional_centres",
                                    "time_bank_mutual_aid", "village_points"])
def test_new_policy_files_compose_and_validate(policy):
    from sim.config.validate import validate

    cfg = compose([f"policy=[{policy}]"] + (["county=fushun"] if policy.endswith("fushun") else []))
    assert validate(cfg) is cfg
    assert cfg.policy.label() != "baseline"
