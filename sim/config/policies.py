"""Structured configs of the policies (DESIGN §5); each is a section of `PolicyConfig`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.fields import (
    BEDS_MAX,
    DAYS_MAX,
    HELPERS_PER_BASE_MAX,
    MEALS_PER_DAY_MAX,
    MINUTES_MAX,
    MONTH_HOURS,
    SEATS_MAX,
    STAFF_MAX,
    YUAN_MAX,
    choice,
    nonneg,
    positive,
    prob,
    ranged,
    ranged_list,
)
from sim.config.services import DISPATCH_RULES, ELDER_CONDITIONS, WEEKDAYS, ConditionGroup, HelperSpec

UPGRADE_TARGETS = ("central", "kept", "regional")
FREED_USES = ("none", "service_point", "canteen")
@dataclass(frozen=True)
class DeviceGroup:
    """One-key-call coverage ``share`` of the elders meeting every condition of ``all_of`` (AND),
    e.g. Qinshui's 留守失能半失能 = [left_behind, dependent] (policy-docs/002 三(五))."""

    all_of: list[str] = field(default_factory=list, metadata={"choices": ELDER_CONDITIONS})
    share: float = prob(1.0)


@dataclass(frozen=True)
class EmergencyPolicy:
    """The 15-minute emergency response policy (policy-docs/001 §(三)6)."""

    enabled: bool = False
    device_solitary: float = prob(1.0, doc="one-key-call device coverage of solitary elders 独居")
    device_empty_nest: float = prob(1.0, doc="coverage of empty-nest elders 空巢")
    device_left_behind: float = prob(0.0)
    device_dependent: float = prob(0.0, doc="coverage of partially or fully dependent elders")
    device_groups: list[DeviceGroup] = field(
        default_factory=list, metadata={"doc": "coverage of groups defined by AND of conditions; "
                                                "combined by OR (the largest share) with the above"})
    coordinator_per_village: bool = True
    coordinator_answers_emergencies: bool = field(
        default=True, metadata={"doc": "the coordinator also answers calls (001 names advice, needs "
                                       "matching and visits only; false gives the plan's reading)"})
    coordinator: HelperSpec = field(default_factory=lambda: HelperSpec(
        "coordinator", "养老协理员", "every_village", 1, "ebike", 8.0, 20.0,
        visit_hours_per_week=20.0, wage_yuan_per_month=1750.0))
    township_ambulances: int = nonneg(0, HELPERS_PER_BASE_MAX,
                                      doc="ambulances stationed at each township health centre")
    extra_ambulances: int = nonneg(0, HELPERS_PER_BASE_MAX, doc="ambulances added at the county 120 station")
    target_minutes: float = positive(15.0, MINUTES_MAX)
    dispatch_rule: str = choice("nearest_available", DISPATCH_RULES)


@dataclass(frozen=True)
class ClosureStage:
    """On ``date`` (ISO, calendar) or else ``day`` (days after ``run.start_date``), close every home
    not kept that meets any of the given conditions.  ``at_most_residents`` is inclusive (入住10人以下 =
    at most 10, policy-docs/002 三(二)); ``below_residents`` (strictly fewer) is a deprecated alias
    kept for old configs."""

    day: float = nonneg(0.0, DAYS_MAX)
    date: str | None = field(default=None, metadata={"doc": "YYYY-MM-DD; overrides day"})
    at_most_residents: int | None = field(default=None, metadata={"range": (0, 100_000)})
    below_residents: int | None = field(default=None, metadata={"range": (0, 100_000),
                                                                "doc": "deprecated: use at_most_residents"})
    below_beds: int | None = field(default=None, metadata={"range": (0, 100_000)})
    below_occupancy: float | None = field(default=None, metadata={"range": (0.0, 1.0)})
    all_not_kept: bool = False
    close_remote_small: int | None = field(
        default=None, metadata={"range": (0, 100_000),
                                "doc": "偏、远、小: close this many open homes not kept, the most remote "
                                       "(car minutes from the county seat) and smallest (beds) first, "
                                       "by the sum of both ranks"})


@dataclass(frozen=True)
class Upgrade:
    """On ``date`` (or ``day`` after ``run.start_date``), raise the target homes to at least
    ``min_beds`` and ``min_nursing_share``.  A county special-support home (县级特困供养机构) stays
    100% nursing-type: the beds added to it are nursing-type (policy-docs/001 (一)1)."""

    day: float = nonneg(0.0, DAYS_MAX)
    date: str | None = field(default=None, metadata={"doc": "YYYY-MM-DD; overrides day"})
    target: str = choice("central", UPGRADE_TARGETS)
    min_beds: int = nonneg(0, 100_000)
    min_nursing_share: float = prob(0.0)


def _qinshui_stages() -> list[ClosureStage]:
    return [ClosureStage(date="2019-12-31", at_most_residents=10),
            ClosureStage(date="2020-12-31", at_most_residents=20),
            ClosureStage(date="2021-09-30", all_not_kept=True)]


def _qinshui_upgrades() -> list[Upgrade]:
    return [Upgrade(date="2020-01-01", target="central", min_beds=120, min_nursing_share=0.5),
            Upgrade(date="2020-01-01", target="regional", min_beds=0, min_nursing_share=0.3)]


@dataclass(frozen=True)
class ConsolidationPolicy:
    """Nursing-home consolidation 敬老院撤并 (policy-docs/002 Qinshui; 001 Ankang)."""

    enabled: bool = False
    keep_largest: int = nonneg(3, 100_000,
                               doc="regional centres kept, the largest by beds, besides the central home")
    keep: list[str] = field(default_factory=list)
    stages: list[ClosureStage] = field(default_factory=_qinshui_stages)
    upgrades: list[Upgrade] = field(default_factory=_qinshui_upgrades)
    reserve_share: float = prob(0.05)
    staff_move: bool = True
    freed_building: str = choice("service_point", FREED_USES)
    move_to: str = choice("kept", ("kept", "open"), doc="where residents of a closing home go: kept homes, "
                                                         "or any home still open (Fushun's 并)")
    freed_staff: HelperSpec = field(
        default_factory=lambda: HelperSpec("freed_point_coordinator", "服务点协理员", "freed_building", 0,
                                           "ebike", 8.0, 17.0, list(WEEKDAYS), emergency=False,
                                           visit_hours_per_week=20.0, wage_yuan_per_month=1750.0),
        metadata={"doc": "helpers a freed building turned service point hosts from its closing day "
                         "(visits 探访, 001 (二)3); per_base 0: none"})
    new_bed_yuan: float = nonneg(10_000.0, YUAN_MAX)
    nursing_conversion_yuan: float = nonneg(5_000.0, YUAN_MAX)


CANTEEN_SITES = ("none", "service_point", "every_village")
MEAL_GROUPS = ("age_80_plus", "dependent", "solitary", "special_hardship")


@dataclass(frozen=True)
class CanteenPolicy:
    """Village canteens and meal delivery (老年食堂, 助餐点, 爱心餐厅; policy-docs/001 §(二)4, 000)."""

    enabled: bool = False
    open_at: str = choice("service_point", CANTEEN_SITES,
                          doc="where new canteens open (villages that have none yet)")
    min_walk_elders: int = nonneg(
        0, 100_000, doc="有条件的: elders 60+ within meals.walk_threshold_min walking minutes")
    require_kitchen: bool = field(
        default=False, metadata={"doc": "only sites whose facility lists seats > 0"})
    max_new: int | None = field(
        default=None, metadata={"range": (0, 100_000), "doc": "at most this many new canteens (most elders)"})
    seats: int = nonneg(40, SEATS_MAX)
    kitchen_meals_per_day: int = nonneg(60, MEALS_PER_DAY_MAX)
    delivery: bool = True
    eligible: list[str] = field(default_factory=lambda: list(MEAL_GROUPS),
                                metadata={"choices": MEAL_GROUPS, "doc": "groups offered a lunch"})
    eligible_all_of: list[ConditionGroup] = field(
        default_factory=list, metadata={"doc": "further groups offered a lunch, each an AND of conditions"})
    courier: HelperSpec = field(default_factory=lambda: HelperSpec(
        "meal_courier", "送餐员", "canteen", 1, "ebike", 10.5, 13.5, list(WEEKDAYS), emergency=False,
        delivers_meals=True, wage_yuan_per_month=800.0))


CLOSE_RULES = ("forfeit", "refund_goods", "keep")
TIMEBANK_TASKS = ("visits", "homecare", "meals", "emergencies")


@dataclass(frozen=True)
class TimeBankPolicy:
    """Time bank mutual aid 时间银行 (policy-docs/001 §(二)4; CALIBRATION §7)."""

    enabled: bool = False
    join_share: float = prob(0.05, doc="share of eligible elders registered at the start")
    join_per_year: float = prob(0.01, doc="eligible non-members registering a year")
    join_age_min: int = ranged(60, 0, 130)
    join_age_max: int = ranged(69, 0, 130, doc="低龄 young-old: 60-69")
    join_max_adl: int = ranged(0, 0, 2, doc="highest ADL state that may join and serve")
    younger_per_village: float = nonneg(2.0, 10_000,
                                       doc="left-behind women, party members (under 60) per village")
    transfer_to_parent: float = prob(0.5, doc="younger members who assign their hours to a parent")
    active_share: float = prob(0.4, doc="members active in a month")
    hours_per_active_month: float = nonneg(6.0, MONTH_HOURS)
    dropout_per_year: float = prob(0.1)
    lapse_per_year: float = prob(0.0, doc="chance a year that the scheme lapses (balances forfeited)")
    tasks: list[str] = field(default_factory=lambda: ["visits", "homecare"],
                             metadata={"choices": TIMEBANK_TASKS,
                                       "doc": "tasks that earn hours; meals 助餐, emergencies 助急 on call"})
    aid_hours_per_active_month: float = nonneg(
        2.0, MONTH_HOURS, doc="on-call hours an active member gives to 助餐/助急 (tasks meals, emergencies)")
    meal_carry_minutes: float = nonneg(10.0, MINUTES_MAX, doc="a lunch carried, besides the walk both ways")
    meal_carry_max_walk_min: float = nonneg(
        30.0, MINUTES_MAX, doc="farthest canteen (walking minutes) a member fetches a lunch from")
    first_contact_minutes: float = nonneg(30.0, MINUTES_MAX, doc="a neighbour's stay as first contact")
    exchange_share: float = prob(0.2, doc="share of hours earned exchanged for goods 积分超市")
    goods_yuan_per_hour: float = nonneg(12.0, YUAN_MAX)
    min_balance_hours: float = nonneg(20.0, 100_000, doc="balance needed before withdrawing")
    withdraw_hours_per_month: list[float] = ranged_list([0.0, 8.0, 16.0], 0.0, MONTH_HOURS,
                                                        doc="independent, partial, full")
    backstop: bool = False
    backstop_yuan_per_hour: float = nonneg(20.0, YUAN_MAX)
    death_rule: str = choice("refund_goods", CLOSE_RULES, doc="keep = inherited: the balance stays owed")
    dropout_rule: str = choice("keep", CLOSE_RULES)
    volunteer: HelperSpec = field(default_factory=lambda: HelperSpec(
        "timebank_volunteer", "时间银行志愿者", "every_village", 1, "walk", 8.0, 18.0, emergency=False))


def _adaptation_qualify() -> list[ConditionGroup]:
    return [ConditionGroup(["special_hardship"]), ConditionGroup(["low_income", "age_80_plus"]),
            ConditionGroup(["low_income", "dependent"]), ConditionGroup(["solitary", "dependent"])]


@dataclass(frozen=True)
class AdaptationStep:
    """From ``date`` (or ``day`` after run.start_date), ``homes`` homes adapted over the next 12 months."""

    date: str | None = None
    day: float = nonneg(0.0, DAYS_MAX)
    homes: int = nonneg(0, 2_000_000, doc="at most a county's elders (the loader's bound)")


def _ankang_steps() -> list[AdaptationStep]:
    return [AdaptationStep(date="2019-01-01", homes=1200), AdaptationStep(date="2020-01-01", homes=400),
            AdaptationStep(date="2021-01-01", homes=400)]


@dataclass(frozen=True)
class AdaptationPolicy:
    """Home adaptation 适老化改造 for elders in special difficulty (policy-docs/001 (二)3; 000)."""

    enabled: bool = False
    qualify: list[ConditionGroup] = field(default_factory=_adaptation_qualify,
                                          metadata={"doc": "who qualifies: any group, each an AND"})
    steps: list[AdaptationStep] = field(default_factory=_ankang_steps)
    reference_elders: float = nonneg(
        554_400.0, 300_000_000.0,
        doc="elders the steps' homes are planned for; scaled to the county's elders (0: no scaling)")
    cost_yuan_per_home: float = nonneg(2_029.0, YUAN_MAX)


@dataclass(frozen=True)
class OperatingPolicy:
    """Idle service points brought into operation 运营 (policy-docs/001 (三)3:
    到2027年农村互助幸福院运营率达到60%以上，社区老年人日间照料中心运营率达到80%以上; 给予运营补贴)."""

    enabled: bool = False
    target_rate: float = prob(0.6, doc="operating / built service points to reach")
    date: str | None = None
    day: float = nonneg(0.0, DAYS_MAX)
    subsidy_yuan_per_point_year: float = nonneg(20_000.0, YUAN_MAX,
        doc="operating subsidy for each point brought in")


@dataclass(frozen=True)
class CentreStep:
    """From ``date`` (or ``day`` after run.start_date), regional centres cover ``coverage`` of the
    county's townships (cumulative; a township with a centre keeps it)."""

    date: str | None = None
    day: float = nonneg(0.0, DAYS_MAX)
    coverage: float = prob(0.0, doc="share of townships with a centre from this step")


def _ankang_centre_steps() -> list[CentreStep]:
    return [CentreStep(date="2019-07-01", coverage=0.2), CentreStep(date="2020-07-01", coverage=0.4),
            CentreStep(date="2021-07-01", coverage=0.6)]


@dataclass(frozen=True)
class RegionalCentresPolicy:
    """Township regional elderly-care centres 镇区域养老服务中心 (policy-docs/001 农村方案 二(一)2:
    全托、日托、护理照料、上门服务、膳食供应; 到2027年建成60个, 2025/2026/2027各20个; coverage >= 60%)."""

    enabled: bool = False
    steps: list[CentreStep] = field(default_factory=_ankang_centre_steps)
    beds: int = nonneg(40, BEDS_MAX, doc="beds of a centre (全托)")
    nursing_share: float = prob(0.55, doc="nursing-type share of a centre's beds (护理照料)")
    staff: int = nonneg(9, STAFF_MAX, doc="care staff of a centre's beds")
    kitchen: bool = field(default=True, metadata={"doc": "its kitchen serves as a canteen (膳食供应)"})
    kitchen_seats: int = nonneg(40, SEATS_MAX)
    team: HelperSpec = field(default_factory=lambda: HelperSpec(
        "centre_homecare_team", "区域中心上门服务队", "regional_centre", 2, "ebike", 8.0, 17.0,
        list(WEEKDAYS), emergency=False, homecare_hours_per_week=35.0, wage_yuan_per_month=3500.0))
    build_yuan_per_centre: float = nonneg(150_000.0, YUAN_MAX,
                                          doc="one-off construction subsidy of a centre (一次性建设补贴)")
    build_yuan_per_bed: float = nonneg(20_000.0, YUAN_MAX, doc="construction subsidy per bed")
    operating_yuan_per_resident_month: float = nonneg(200.0, YUAN_MAX,
                                                      doc="operating subsidy (运营补助) per resident-month")
