"""Structured configs of the services (DESIGN §4) and their shared distributions.

Every default of a service is written once, in ``configs/services/default.yaml`` beside its
source; the classes below take them through `from_yaml`.  The element types (`Dist`,
`HelperSpec`, `ConditionGroup`) keep neutral defaults of their own for entries a file leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.defaults import YAML, from_yaml
from sim.config.fields import (
    HELPERS_PER_BASE_MAX,
    MEALS_PER_DAY_MAX,
    MINUTES_MAX,
    MULT_MAX,
    PER_YEAR_MAX,
    VILLAGES_MAX,
    WEEK_HOURS,
    YUAN_MAX,
    choice,
    nonneg,
    positive,
    prob,
    ranged,
    ranged_list,
)

DIST_FAMILIES = ("exponential", "lognormal", "gamma", "deterministic", "empirical")
HELPER_BASES = ("every_village", "clinic", "health_centre", "ems_station", "service_point", "canteen",
                "regional_centre", "freed_building", "ems_post")
TRAVEL_MODES = ("walk", "ebike", "car")
DISPATCH_RULES = ("nearest_available", "type_order")
QUEUE_DISCIPLINES = ("fifo", "severity")


@dataclass(frozen=True)
class Dist:
    """A duration or factor: ``family`` with ``mean`` and ``sd`` (lognormal, gamma),
    or ``values`` drawn with equal weight (empirical).  Deterministic uses ``mean``."""

    family: str = choice("deterministic", DIST_FAMILIES)
    mean: float = nonneg(0.0, MINUTES_MAX)
    sd: float = nonneg(0.0, MINUTES_MAX)
    values: list[float] = ranged_list([], 0.0, MINUTES_MAX)


WEEK = [0, 1, 2, 3, 4, 5, 6]


@dataclass(frozen=True)
class HelperSpec:
    """A kind of helper stationed at every base of a kind (DESIGN §4.6): emergency responders,
    care workers, village coordinators, volunteers.  Tasks: answering emergencies
    (``emergency``), home care (``homecare_hours_per_week``), meal delivery
    (``delivers_meals``) and visits (``visit_hours_per_week``)."""

    name: str = "helper"
    name_zh: str = ""
    base: str = choice("ems_station", HELPER_BASES)
    per_base: int = nonneg(1, HELPERS_PER_BASE_MAX)
    mode: str = choice("car", TRAVEL_MODES)
    shift_start_hour: float = ranged(0.0, 0.0, 24.0)
    shift_end_hour: float = ranged(24.0, 0.0, 24.0, doc="equal to start = 24 h; below start = overnight")
    workdays: list[int] = ranged_list(WEEK, 0, 6, doc="days of the week on shift, 0 = Monday")
    can_transport: bool = False
    emergency: bool = True
    visit_hours_per_week: float = nonneg(0.0, WEEK_HOURS, doc="hours a week spent visiting (探访)")
    homecare_hours_per_week: float = nonneg(0.0, WEEK_HOURS, doc="hours a week of home care (上门服务)")
    delivers_meals: bool = False
    wage_yuan_per_month: float = nonneg(0.0, YUAN_MAX, doc="cost to the care budget per helper-month")


SERVICES = "services/default.yaml"


@dataclass(frozen=True)
@from_yaml(SERVICES, key="emergency")
class EmergencyConfig:
    """Emergencies, detection and dispatch (15分钟应急响应); who responds is in ``services.helpers``."""

    fall_rate: float = nonneg(YAML, PER_YEAR_MAX, doc="injurious falls per elder-year")
    illness_rate: float = nonneg(YAML, PER_YEAR_MAX, doc="other urgent calls per elder-year")
    false_alarm_rate: float = nonneg(YAML, PER_YEAR_MAX, doc="false presses per device-year")
    age_mult: list[float] = ranged_list(YAML, 0.0, MULT_MAX, doc="60-69, 70-79, 80+")
    adl_mult: list[float] = ranged_list(YAML, 0.0, MULT_MAX, doc="independent, partial, full")
    living_mult: list[float] = ranged_list(YAML, 0.0, MULT_MAX,
                                           doc="solitary, empty-nest, left-behind, with family")
    adaptation_fall_mult: float = nonneg(YAML, MULT_MAX)
    device_use_fall: float = prob(YAML)
    device_use_illness: float = prob(YAML)
    dementia_device_mult: float = prob(YAML)
    detection_solitary: Dist = YAML
    detection_empty_nest: Dist = YAML
    detection_left_behind: Dist = YAML
    detection_with_family: Dist = YAML
    handling: Dist = YAML
    dispatch: Dist = YAML
    travel_noise: Dist = YAML
    access: Dist = YAML
    on_scene: Dist = YAML
    escalate_fall: float = prob(YAML)
    escalate_illness: float = prob(YAML)
    handover: Dist = YAML
    target_minutes: float = positive(YAML, MINUTES_MAX)
    dispatch_rule: str = choice(YAML, DISPATCH_RULES)
    queue_discipline: str = choice(YAML, QUEUE_DISCIPLINES)


WAITLIST_RULES = ("none", "fifo", "hardship_first")


@dataclass(frozen=True)
@from_yaml(SERVICES, key="beds.costs")
class HomeCosts:
    """Costs of a nursing home (CALIBRATION §9)."""

    fixed_yuan_per_year: float = nonneg(YAML, YUAN_MAX, doc="building, utilities, management")
    staff_wage_yuan_per_month: float = nonneg(YAML, YUAN_MAX)
    bed_day_yuan: float = nonneg(YAML, YUAN_MAX, doc="food, consumables per occupied bed-day")


@dataclass(frozen=True)
@from_yaml(SERVICES, key="beds")
class BedsConfig:
    """Applications for nursing beds and admission rules (DESIGN §4.5)."""

    apply_full_ordinary: float = prob(YAML, doc="ordinary elder becoming fully dependent applies")
    apply_full_hardship: float = prob(YAML, doc="special-hardship elder becoming fully dependent applies")
    hardship_apply_per_year: float = nonneg(YAML, PER_YEAR_MAX,
                                           doc="special-hardship elders at home opting for 集中供养")
    initial_occupancy: float = prob(YAML)
    discharge_per_year: float = nonneg(YAML, PER_YEAR_MAX, doc="residents leaving alive, per resident-year")
    max_travel_min: float | None = field(default=YAML, metadata={"range": (0.0, MINUTES_MAX)})
    waitlist: str = choice(YAML, WAITLIST_RULES)
    patience_days: float | None = field(default=YAML, metadata={"range": (0.0, 36_500.0)})
    separate_care_groups: bool = YAML
    reserve_share: float = prob(YAML)
    costs: HomeCosts = YAML


@dataclass(frozen=True)
@from_yaml(SERVICES, key="visits")
class VisitsConfig:
    """Monthly visits to elders in the target groups (探访关爱, policy-docs/001 §(二)3)."""

    solitary: bool = YAML
    empty_nest: bool = YAML
    left_behind: bool = YAML
    dependent: bool = YAML
    special_hardship: bool = YAML
    duration: Dist = YAML
    phone_share: float = prob(YAML, doc="share of visits made by phone 通讯探访 (no travel)")
    phone_duration: Dist = YAML
    rotate: bool = YAML


TASKS = ("emergency", "homecare", "meals", "visits")


# conditions an elder can meet; a group holds when all its conditions do (AND), a rule when any group
# does (OR).  低保 minimum living and 特困 special hardship together are the economically difficult.
ELDER_CONDITIONS = ("age_80_plus", "dependent", "fully_dependent", "solitary", "empty_nest",
                    "left_behind", "special_hardship", "low_income")


@dataclass(frozen=True)
class ConditionGroup:
    """Elders meeting every condition of ``all_of`` (AND); groups of a list combine with OR."""

    all_of: list[str] = field(default_factory=list, metadata={"choices": ELDER_CONDITIONS})


@dataclass(frozen=True)
@from_yaml(SERVICES, key="meals.costs")
class MealCosts:
    """Costs of the meal service (CALIBRATION §6, §9)."""

    meal_cost_yuan: float = nonneg(YAML, YUAN_MAX, doc="cost of one lunch")
    price_yuan: float = nonneg(YAML, YUAN_MAX, doc="what the elder pays; the rest is subsidy")
    canteen_subsidy_yuan_per_year: float = nonneg(
        YAML, YUAN_MAX, doc="operating subsidy per open canteen; 000's rural 70.5万 / 1,356 homes "
                             "(urban day-care: 30,000)")


@dataclass(frozen=True)
@from_yaml(SERVICES, key="meals")
class MealsConfig:
    """Lunch at village canteens (老年食堂, 助餐点) and delivery (送餐上门), DESIGN §4.2."""

    age_80_plus: bool = YAML
    dependent: bool = YAML
    solitary: bool = YAML
    special_hardship: bool = YAML
    groups_all_of: list[ConditionGroup] = field(
        default=YAML, metadata={"doc": "further eligible groups, each an AND of conditions "
                                                "(policy-docs/000's love-canteen groups)"})
    daily_probability: float = prob(YAML, doc="an eligible elder wants lunch on a given day")
    walk_max_adl: int = ranged(YAML, 0, 2, doc="highest ADL state that still walks to a canteen")
    walk_threshold_min: float = nonneg(YAML, MINUTES_MAX,
                                      doc="walking minutes from the village to the canteen")
    sittings: int = nonneg(YAML, 24)
    kitchen_meals_per_day: int = nonneg(YAML, MEALS_PER_DAY_MAX,
                                        doc="lunches a canteen's kitchen makes a day")
    operating_days: list[int] = ranged_list(YAML, 0, 6, doc="days of the week canteens open")
    delivery: bool = YAML
    delivery_radius_min: float = nonneg(YAML, MINUTES_MAX, doc="ebike minutes from the canteen")
    delivery_max_per_canteen: int = nonneg(YAML, MEALS_PER_DAY_MAX, doc="deliveries a canteen takes a day")
    delivery_start_hour: float = ranged(YAML, 0.0, 24.0)
    delivery_deadline_hour: float = ranged(YAML, 0.0, 24.0)
    handoff: Dist = YAML
    costs: MealCosts = YAML


@dataclass(frozen=True)
@from_yaml(SERVICES, key="homecare")
class HomeCareConfig:
    """Home care (上门服务) for dependent elders living at home, DESIGN §4.4."""

    hours_per_week: list[float] = ranged_list(YAML, 0.0, WEEK_HOURS, doc="independent, partial, full")
    session_hours: float = positive(YAML, 24.0, doc="length of one home-care visit")


@dataclass(frozen=True)
@from_yaml(SERVICES, key="tasks")
class TasksConfig:
    """Who goes first when a helper has several tasks (DESIGN §4.6)."""

    priority: list[str] = field(default=YAML, metadata={"choices": TASKS, "doc": "highest first"})
    preempt: bool = YAML


@dataclass(frozen=True)
@from_yaml(SERVICES, key="budget")
class BudgetConfig:
    """Amounts of the budget lines that are not a service's own costs (sim.kernels.costs)."""

    allowance_age80_yuan_per_month: float = nonneg(YAML, YUAN_MAX,
        doc="高龄补贴 to economically difficult elders 80+")
    allowance_disabled_yuan_per_month: float = nonneg(YAML, YUAN_MAX, doc="失能补贴 to poor disabled elders")
    allowance_disabled_min_adl: int = ranged(YAML, 1, 2, doc="2: 失能 fully dependent; 1: also 半失能")
    daycare_reward_points_per_year: int = nonneg(YAML, VILLAGES_MAX,
        doc="示范点 day-care centres rewarded a year (以奖代补)")
    daycare_reward_yuan: float = nonneg(YAML, YUAN_MAX, doc="reward per demonstration point a year")
    daycare_chains: int = nonneg(YAML, VILLAGES_MAX, doc="operators running >= 5 centres (连片管理)")
    daycare_chain_centres: int = nonneg(YAML, VILLAGES_MAX, doc="centres each chain runs")
    daycare_chain_yuan: float = nonneg(YAML, YUAN_MAX, doc="a year per chain of 5 centres")
    daycare_chain_extra_yuan: float = nonneg(YAML, YUAN_MAX, doc="a year per centre beyond 5")
    home_operating_subsidy_yuan_per_resident_month: float = nonneg(YAML, YUAN_MAX)
    device_yuan: float = nonneg(YAML, YUAN_MAX,
        doc="one-key-call device bought for each device a policy hands out")
    device_service_yuan_per_month: float = nonneg(YAML, YUAN_MAX,
        doc="per device-month while a platform runs")
    platform_yuan: float = nonneg(YAML, YUAN_MAX,
        doc="building the smart platform once (15-minute policy)")


@dataclass(frozen=True)
@from_yaml(SERVICES)
class ServicesConfig:
    """Every service's rules; policies change them (DESIGN §4-§5).  Values in
    ``configs/services/default.yaml``."""

    emergency: EmergencyConfig = YAML
    beds: BedsConfig = YAML
    visits: VisitsConfig = YAML
    meals: MealsConfig = YAML
    homecare: HomeCareConfig = YAML
    tasks: TasksConfig = YAML
    helpers: list[HelperSpec] = YAML
    budget: BudgetConfig = YAML
