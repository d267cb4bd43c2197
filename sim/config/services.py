"""Structured configs of the services (DESIGN §4) and their shared distributions.

Values users see live in ``configs/services/default.yaml`` with their sources;
the defaults here mirror them (a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
                "regional_centre", "freed_building")
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


def dist(family: str, mean: float = 0.0, sd: float = 0.0, values: list[float] | None = None):
    """A default_factory field holding a `Dist`."""
    return field(default_factory=lambda: Dist(family, mean, sd, list(values or [])))


WEEK = [0, 1, 2, 3, 4, 5, 6]
WEEKDAYS = [0, 1, 2, 3, 4]


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


def _helpers() -> list[HelperSpec]:
    return [
        HelperSpec("village_doctor", "乡村医生", "clinic", 1, "ebike", 8.0, 18.0),
        HelperSpec("township_team", "卫生院急救", "health_centre", 1, "car", 0.0, 24.0),
        HelperSpec("ambulance", "120急救车", "ems_station", 2, "car", 0.0, 24.0, can_transport=True),
        HelperSpec("village_cadre", "村干部", "every_village", 1, "walk", 8.0, 17.0, list(WEEKDAYS),
                   emergency=False, visit_hours_per_week=4.0),
        HelperSpec("homecare_worker", "居家护理员", "health_centre", 1, "ebike", 8.0, 17.0, list(WEEKDAYS),
                   emergency=False, homecare_hours_per_week=35.0, wage_yuan_per_month=3500.0),
    ]


@dataclass(frozen=True)
class EmergencyConfig:
    """Emergencies, detection and dispatch (15分钟应急响应); who responds is in ``services.helpers``."""

    fall_rate: float = nonneg(0.025, PER_YEAR_MAX, doc="injurious falls per elder-year")
    illness_rate: float = nonneg(0.045, PER_YEAR_MAX, doc="other urgent calls per elder-year")
    false_alarm_rate: float = nonneg(0.04, PER_YEAR_MAX, doc="false presses per device-year")
    age_mult: list[float] = ranged_list([0.7, 1.1, 1.8], 0.0, MULT_MAX, doc="60-69, 70-79, 80+")
    adl_mult: list[float] = ranged_list([1.0, 1.8, 2.5], 0.0, MULT_MAX, doc="independent, partial, full")
    living_mult: list[float] = ranged_list([1.1, 1.0, 1.0, 1.0], 0.0, MULT_MAX,
                                           doc="solitary, empty-nest, left-behind, with family")
    adaptation_fall_mult: float = nonneg(0.7, MULT_MAX)
    device_use_fall: float = prob(0.2)
    device_use_illness: float = prob(0.5)
    dementia_device_mult: float = prob(0.5)
    detection_solitary: Dist = dist("lognormal", 240.0, 360.0)
    detection_empty_nest: Dist = dist("lognormal", 20.0, 30.0)
    detection_left_behind: Dist = dist("lognormal", 60.0, 90.0)
    detection_with_family: Dist = dist("lognormal", 10.0, 15.0)
    handling: Dist = dist("lognormal", 1.0, 0.5)
    dispatch: Dist = dist("lognormal", 3.0, 1.0)
    travel_noise: Dist = dist("lognormal", 1.0, 0.15)
    access: Dist = dist("lognormal", 2.0, 0.7)
    on_scene: Dist = dist("lognormal", 30.0, 15.0)
    escalate_fall: float = prob(0.4)
    escalate_illness: float = prob(0.6)
    handover: Dist = dist("lognormal", 20.0, 8.0)
    target_minutes: float = positive(15.0, MINUTES_MAX)
    dispatch_rule: str = choice("nearest_available", DISPATCH_RULES)
    queue_discipline: str = choice("fifo", QUEUE_DISCIPLINES)


WAITLIST_RULES = ("none", "fifo", "hardship_first")


@dataclass(frozen=True)
class HomeCosts:
    """Costs of a nursing home (CALIBRATION §9)."""

    fixed_yuan_per_year: float = nonneg(120_000.0, YUAN_MAX, doc="building, utilities, management")
    staff_wage_yuan_per_month: float = nonneg(3_500.0, YUAN_MAX)
    bed_day_yuan: float = nonneg(40.0, YUAN_MAX, doc="food, consumables per occupied bed-day")


@dataclass(frozen=True)
class BedsConfig:
    """Applications for nursing beds and admission rules (DESIGN §4.5)."""

    apply_full_ordinary: float = prob(0.10, doc="ordinary elder becoming fully dependent applies")
    apply_full_hardship: float = prob(0.6, doc="special-hardship elder becoming fully dependent applies")
    hardship_apply_per_year: float = nonneg(0.02, PER_YEAR_MAX,
                                           doc="special-hardship elders at home opting for 集中供养")
    initial_occupancy: float = prob(0.45)
    discharge_per_year: float = nonneg(0.03, PER_YEAR_MAX, doc="residents leaving alive, per resident-year")
    max_travel_min: float | None = field(default=None, metadata={"range": (0.0, MINUTES_MAX)})
    waitlist: str = choice("hardship_first", WAITLIST_RULES)
    patience_days: float | None = field(default=None, metadata={"range": (0.0, 36_500.0)})
    separate_care_groups: bool = True
    reserve_share: float = prob(0.0)
    costs: HomeCosts = field(default_factory=HomeCosts)


@dataclass(frozen=True)
class VisitsConfig:
    """Monthly visits to elders in the target groups (探访关爱, policy-docs/001 §(二)3)."""

    solitary: bool = True
    empty_nest: bool = True
    left_behind: bool = True
    dependent: bool = True
    special_hardship: bool = True
    duration: Dist = dist("lognormal", 30.0, 15.0)
    phone_share: float = prob(0.0, doc="share of visits made by phone 通讯探访 (no travel)")
    phone_duration: Dist = dist("lognormal", 10.0, 5.0)


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
class MealCosts:
    """Costs of the meal service (CALIBRATION §6, §9)."""

    meal_cost_yuan: float = nonneg(12.5, YUAN_MAX, doc="cost of one lunch")
    price_yuan: float = nonneg(7.0, YUAN_MAX, doc="what the elder pays; the rest is subsidy")
    canteen_subsidy_yuan_per_year: float = nonneg(
        520.0, YUAN_MAX, doc="operating subsidy per open canteen; 000's rural 70.5万 / 1,356 homes "
                             "(urban day-care: 30,000)")


@dataclass(frozen=True)
class MealsConfig:
    """Lunch at village canteens (老年食堂, 助餐点) and delivery (送餐上门), DESIGN §4.2."""

    age_80_plus: bool = True
    dependent: bool = True
    solitary: bool = True
    special_hardship: bool = True
    groups_all_of: list[ConditionGroup] = field(
        default_factory=list, metadata={"doc": "further eligible groups, each an AND of conditions "
                                                "(policy-docs/000's love-canteen groups)"})
    daily_probability: float = prob(0.6, doc="an eligible elder wants lunch on a given day")
    walk_max_adl: int = ranged(1, 0, 2, doc="highest ADL state that still walks to a canteen")
    walk_threshold_min: float = nonneg(20.0, MINUTES_MAX,
                                      doc="walking minutes from the village to the canteen")
    sittings: int = nonneg(2, 24)
    kitchen_meals_per_day: int = nonneg(60, MEALS_PER_DAY_MAX, doc="lunches a canteen's kitchen makes a day")
    operating_days: list[int] = ranged_list(WEEKDAYS, 0, 6, doc="days of the week canteens open")
    delivery: bool = False
    delivery_radius_min: float = nonneg(30.0, MINUTES_MAX, doc="ebike minutes from the canteen")
    delivery_max_per_canteen: int = nonneg(30, MEALS_PER_DAY_MAX, doc="deliveries a canteen takes a day")
    delivery_start_hour: float = ranged(11.0, 0.0, 24.0)
    delivery_deadline_hour: float = ranged(13.0, 0.0, 24.0)
    handoff: Dist = dist("lognormal", 3.0, 1.5)
    costs: MealCosts = field(default_factory=MealCosts)


@dataclass(frozen=True)
class HomeCareConfig:
    """Home care (上门服务) for dependent elders living at home, DESIGN §4.4."""

    hours_per_week: list[float] = ranged_list([0.0, 2.0, 6.0], 0.0, WEEK_HOURS,
                                               doc="independent, partial, full")
    session_hours: float = positive(2.0, 24.0, doc="length of one home-care visit")


@dataclass(frozen=True)
class TasksConfig:
    """Who goes first when a helper has several tasks (DESIGN §4.6)."""

    priority: list[str] = field(default_factory=lambda: list(TASKS),
                                metadata={"choices": TASKS, "doc": "highest first"})
    preempt: bool = False


@dataclass(frozen=True)
class BudgetConfig:
    """Amounts of the budget lines that are not a service's own costs (sim.kernels.costs)."""

    allowance_age80_yuan_per_month: float = nonneg(50.0, YUAN_MAX,
        doc="高龄补贴 to economically difficult elders 80+")
    allowance_disabled_yuan_per_month: float = nonneg(100.0, YUAN_MAX, doc="失能补贴 to poor disabled elders")
    allowance_disabled_min_adl: int = ranged(2, 1, 2, doc="2: 失能 fully dependent; 1: also 半失能")
    daycare_reward_points_per_year: int = nonneg(3, VILLAGES_MAX,
        doc="示范点 day-care centres rewarded a year (以奖代补)")
    daycare_reward_yuan: float = nonneg(20_000.0, YUAN_MAX, doc="reward per demonstration point a year")
    daycare_chains: int = nonneg(0, VILLAGES_MAX, doc="operators running >= 5 centres (连片管理)")
    daycare_chain_centres: int = nonneg(5, VILLAGES_MAX, doc="centres each chain runs")
    daycare_chain_yuan: float = nonneg(50_000.0, YUAN_MAX, doc="a year per chain of 5 centres")
    daycare_chain_extra_yuan: float = nonneg(10_000.0, YUAN_MAX, doc="a year per centre beyond 5")
    home_operating_subsidy_yuan_per_resident_month: float = nonneg(0.0, YUAN_MAX)
    device_yuan: float = nonneg(400.0, YUAN_MAX,
        doc="one-key-call device bought for each device a policy hands out")
    device_service_yuan_per_month: float = nonneg(10.0, YUAN_MAX,
        doc="per device-month while a platform runs")
    platform_yuan: float = nonneg(556_000.0, YUAN_MAX,
        doc="building the smart platform once (15-minute policy)")


@dataclass(frozen=True)
class ServicesConfig:
    """Every service's rules; policies change them (DESIGN §4-§5)."""

    emergency: EmergencyConfig = field(default_factory=EmergencyConfig)
    beds: BedsConfig = field(default_factory=BedsConfig)
    visits: VisitsConfig = field(default_factory=VisitsConfig)
    meals: MealsConfig = field(default_factory=MealsConfig)
    homecare: HomeCareConfig = field(default_factory=HomeCareConfig)
    tasks: TasksConfig = field(default_factory=TasksConfig)
    helpers: list[HelperSpec] = field(default_factory=_helpers)
    budget: BudgetConfig = field(default_factory=BudgetConfig)
