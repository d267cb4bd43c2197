"""Structured configs of the policies (DESIGN §5); each is a section of `PolicyConfig`.

A section's defaults are written once, in its policy file (``configs/policy/<name>.yaml``, beside the
policy documents they come from), and read through `from_yaml`; only ``enabled`` is written here, and
it is false, so ``PolicyConfig()`` is the baseline and ``CanteenPolicy(enabled=True)`` equals
``policy=[canteens]``.  The element types (`DeviceGroup`, `ClosureStage`, `Upgrade`,
`AdaptationStep`) keep neutral defaults of their own for entries a file leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.defaults import YAML, from_yaml
from sim.config.fields import (
    BEDS_MAX,
    DAYS_MAX,
    HELPERS_PER_BASE_MAX,
    MEALS_PER_DAY_MAX,
    MINUTES_MAX,
    MONTH_HOURS,
    SEATS_MAX,
    STAFF_MAX,
    VILLAGES_MAX,
    YUAN_MAX,
    choice,
    nonneg,
    positive,
    prob,
    ranged,
    ranged_list,
)
from sim.config.services import DISPATCH_RULES, ELDER_CONDITIONS, ConditionGroup, HelperSpec

UPGRADE_TARGETS = ("central", "kept", "regional")
FREED_USES = ("none", "service_point", "canteen")
@dataclass(frozen=True)
class DeviceGroup:
    """One-key-call coverage ``share`` of the elders meeting every condition of ``all_of`` (AND),
    e.g. Qinshui's 留守失能半失能 = [left_behind, dependent] (policy-docs/002 三(五))."""

    all_of: list[str] = field(default_factory=list, metadata={"choices": ELDER_CONDITIONS})
    share: float = prob(1.0)


@dataclass(frozen=True)
@from_yaml("policy/emergency_15min.yaml", key="emergency")
class EmergencyPolicy:
    """The 15-minute emergency response policy (policy-docs/001 §(三)6)."""

    enabled: bool = False
    device_solitary: float = prob(YAML, doc="one-key-call device coverage of solitary elders 独居")
    device_empty_nest: float = prob(YAML, doc="coverage of empty-nest elders 空巢")
    device_left_behind: float = prob(YAML)
    device_dependent: float = prob(YAML, doc="coverage of partially or fully dependent elders")
    device_groups: list[DeviceGroup] = field(
        default=YAML, metadata={"doc": "coverage of groups defined by AND of conditions; "
                                                "combined by OR (the largest share) with the above"})
    coordinator_per_village: bool = YAML
    coordinator_answers_emergencies: bool = field(
        default=YAML, metadata={"doc": "the coordinator also answers calls (001 names advice, needs "
                                       "matching and visits only; false gives the plan's reading)"})
    coordinator: HelperSpec = YAML
    township_ambulances: int = nonneg(YAML, HELPERS_PER_BASE_MAX,
                                      doc="ambulances stationed at each township health centre")
    extra_ambulances: int = nonneg(YAML, HELPERS_PER_BASE_MAX,
                                   doc="ambulances added at the county 120 station")
    added_ambulance_yuan_per_month: float = nonneg(
        YAML, YUAN_MAX, doc="crew and running cost a month of each ambulance the policy adds")
    target_minutes: float = positive(YAML, MINUTES_MAX)
    dispatch_rule: str = choice(YAML, DISPATCH_RULES)


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


@dataclass(frozen=True)
@from_yaml("policy/consolidation.yaml", key="consolidation")
class ConsolidationPolicy:
    """Nursing-home consolidation 敬老院撤并 (policy-docs/002 Qinshui; 001 Ankang)."""

    enabled: bool = False
    keep_largest: int = nonneg(YAML, 100_000,
                               doc="regional centres kept, the largest by beds, besides the central home")
    keep: list[str] = YAML
    stages: list[ClosureStage] = YAML
    upgrades: list[Upgrade] = YAML
    reserve_share: float = prob(YAML)
    staff_move: bool = YAML
    staff_upgrades: bool = YAML
    freed_building: str = choice(YAML, FREED_USES)
    move_to: str = choice(YAML, ("kept", "open"), doc="where residents of a closing home go: kept homes, "
                                                       "or any home still open (Fushun's 并)")
    freed_staff: HelperSpec = field(default=YAML, metadata={
        "doc": "helpers a freed building turned service point hosts from its closing day "
               "(visits 探访, 001 (二)3); per_base 0: none"})
    new_bed_yuan: float = nonneg(YAML, YUAN_MAX)
    nursing_conversion_yuan: float = nonneg(YAML, YUAN_MAX)


CANTEEN_SITES = ("none", "service_point", "every_village")
@dataclass(frozen=True)
@from_yaml("policy/stations.yaml", key="stations")
class StationsPolicy:
    """Sites 选址: ambulance posts 急救站点 and canteens 老年食堂 at named villages (``python -m sim.siting``
    proposes them from coverage models; the simulator checks them)."""

    enabled: bool = False
    ambulance_posts: list[str] = field(
        default=YAML, metadata={"doc": "village ids (or names) where an ambulance post is added"})
    post: HelperSpec = YAML
    canteens: list[str] = field(
        default=YAML, metadata={"doc": "village ids (or names) where a canteen opens (none there yet)"})
    canteen_seats: int = nonneg(YAML, SEATS_MAX)


MEAL_GROUPS = ("age_80_plus", "dependent", "solitary", "special_hardship")


@dataclass(frozen=True)
@from_yaml("policy/canteens.yaml", key="canteens")
class CanteenPolicy:
    """Village canteens and meal delivery (老年食堂, 助餐点, 爱心餐厅; policy-docs/001 §(二)4, 000)."""

    enabled: bool = False
    open_at: str = choice(YAML, CANTEEN_SITES, doc="where new canteens open (villages that have none yet)")
    min_walk_elders: int = nonneg(
        YAML, 100_000, doc="有条件的: elders 60+ within meals.walk_threshold_min walking minutes")
    require_kitchen: bool = field(
        default=YAML, metadata={"doc": "only sites whose facility lists seats > 0"})
    max_new: int | None = field(
        default=YAML, metadata={"range": (0, 100_000), "doc": "at most this many new canteens (most elders)"})
    seats: int = nonneg(YAML, SEATS_MAX)
    kitchen_meals_per_day: int = nonneg(YAML, MEALS_PER_DAY_MAX)
    delivery: bool = YAML
    eligible: list[str] = field(default=YAML,
                                metadata={"choices": MEAL_GROUPS, "doc": "groups offered a lunch"})
    eligible_all_of: list[ConditionGroup] = field(
        default=YAML, metadata={"doc": "further groups offered a lunch, each an AND of conditions"})
    courier: HelperSpec = YAML


CLOSE_RULES = ("forfeit", "refund_goods", "keep")
TIMEBANK_TASKS = ("visits", "homecare", "meals", "emergencies")


@dataclass(frozen=True)
@from_yaml("policy/time_bank.yaml", key="time_bank")
class TimeBankPolicy:
    """Time bank mutual aid 时间银行 (policy-docs/001 §(二)4; CALIBRATION §7)."""

    enabled: bool = False
    join_share: float = prob(YAML, doc="share of eligible elders registered at the start")
    join_per_year: float = prob(YAML, doc="eligible non-members registering a year")
    join_age_min: int = ranged(YAML, 0, 130)
    join_age_max: int = ranged(YAML, 0, 130, doc="低龄 young-old: 60-69")
    join_max_adl: int = ranged(YAML, 0, 2, doc="highest ADL state that may join and serve")
    younger_per_village: float = nonneg(YAML, 10_000,
                                       doc="left-behind women, party members (under 60) per village")
    transfer_to_parent: float = prob(YAML, doc="younger members who assign their hours to a parent")
    active_share: float = prob(YAML, doc="members active in a month")
    hours_per_active_month: float = nonneg(YAML, MONTH_HOURS)
    dropout_per_year: float = prob(YAML)
    lapse_per_year: float = prob(YAML, doc="chance a year that the scheme lapses (balances forfeited)")
    tasks: list[str] = field(default=YAML, metadata={
        "choices": TIMEBANK_TASKS, "doc": "tasks that earn hours; meals 助餐, emergencies 助急 on call"})
    aid_hours_per_active_month: float = nonneg(
        YAML, MONTH_HOURS, doc="on-call hours an active member gives to 助餐/助急 (tasks meals, emergencies)")
    meal_carry_minutes: float = nonneg(YAML, MINUTES_MAX, doc="a lunch carried, besides the walk both ways")
    meal_carry_max_walk_min: float = nonneg(
        YAML, MINUTES_MAX, doc="farthest canteen (walking minutes) a member fetches a lunch from")
    first_contact_minutes: float = nonneg(YAML, MINUTES_MAX, doc="a neighbour's stay as first contact")
    exchange_share: float = prob(YAML, doc="share of hours earned exchanged for goods 积分超市")
    goods_yuan_per_hour: float = nonneg(YAML, YUAN_MAX)
    min_balance_hours: float = nonneg(YAML, 100_000, doc="balance needed before withdrawing")
    withdraw_hours_per_month: list[float] = ranged_list(YAML, 0.0, MONTH_HOURS,
                                                        doc="independent, partial, full")
    backstop: bool = YAML
    backstop_yuan_per_hour: float = nonneg(YAML, YUAN_MAX)
    death_rule: str = choice(YAML, CLOSE_RULES, doc="keep = inherited: the balance stays owed")
    dropout_rule: str = choice(YAML, CLOSE_RULES)
    volunteer: HelperSpec = YAML


@dataclass(frozen=True)
class AdaptationStep:
    """From ``date`` (or ``day`` after run.start_date), ``homes`` homes adapted over the next 12 months."""

    date: str | None = None
    day: float = nonneg(0.0, DAYS_MAX)
    homes: int = nonneg(0, 2_000_000, doc="at most a county's elders (the loader's bound)")


@dataclass(frozen=True)
@from_yaml("policy/adaptation.yaml", key="adaptation")
class AdaptationPolicy:
    """Home adaptation 适老化改造 for elders in special difficulty (policy-docs/001 (二)3; 000)."""

    enabled: bool = False
    qualify: list[ConditionGroup] = field(default=YAML,
                                          metadata={"doc": "who qualifies: any group, each an AND"})
    steps: list[AdaptationStep] = YAML
    reference_elders: float = nonneg(
        YAML, 300_000_000.0,
        doc="elders the steps' homes are planned for; scaled to the county's elders (0: no scaling)")
    cost_yuan_per_home: float = nonneg(YAML, YUAN_MAX)


@dataclass(frozen=True)
@from_yaml("policy/operating.yaml", key="operating")
class OperatingPolicy:
    """Idle service points brought into operation 运营 (policy-docs/001 (三)3:
    到2027年农村互助幸福院运营率达到60%以上，社区老年人日间照料中心运营率达到80%以上; 给予运营补贴)."""

    enabled: bool = False
    target_rate: float = prob(YAML, doc="operating / built service points to reach")
    date: str | None = YAML
    day: float = nonneg(YAML, DAYS_MAX)
    subsidy_yuan_per_point_year: float = nonneg(YAML, YUAN_MAX,
        doc="operating subsidy for each point brought in")


@dataclass(frozen=True)
class CentreStep:
    """From ``date`` (or ``day`` after run.start_date), regional centres cover ``coverage`` of the
    county's townships (cumulative; a township with a centre keeps it)."""

    date: str | None = None
    day: float = nonneg(0.0, DAYS_MAX)
    coverage: float = prob(0.0, doc="share of townships with a centre from this step")


@dataclass(frozen=True)
@from_yaml("policy/regional_centres.yaml", key="regional_centres")
class RegionalCentresPolicy:
    """Township regional elderly-care centres 镇区域养老服务中心 (policy-docs/001 农村方案 二(一)2:
    全托、日托、护理照料、上门服务、膳食供应; 到2027年建成60个, 2025/2026/2027各20个; coverage >= 60%)."""

    enabled: bool = False
    steps: list[CentreStep] = YAML
    beds: int = nonneg(YAML, BEDS_MAX, doc="beds of a centre (全托)")
    nursing_share: float = prob(YAML, doc="nursing-type share of a centre's beds (护理照料)")
    staff: int = nonneg(YAML, STAFF_MAX, doc="care staff of a centre's beds")
    kitchen: bool = field(default=YAML, metadata={"doc": "its kitchen serves as a canteen (膳食供应)"})
    kitchen_seats: int = nonneg(YAML, SEATS_MAX)
    team: HelperSpec = YAML
    build_yuan_per_centre: float = nonneg(YAML, YUAN_MAX,
                                          doc="one-off construction subsidy of a centre (一次性建设补贴)")
    build_yuan_per_bed: float = nonneg(YAML, YUAN_MAX, doc="construction subsidy per bed")
    operating_yuan_per_resident_month: float = nonneg(YAML, YUAN_MAX,
                                                      doc="operating subsidy (运营补助) per resident-month")


@dataclass(frozen=True)
class PointStep:
    """On ``date`` (or ``day`` after run.start_date), ``count`` new village points are built and open."""

    date: str | None = None
    day: float = nonneg(0.0, DAYS_MAX)
    count: int = nonneg(0, VILLAGES_MAX, doc="new points built on this step")


@dataclass(frozen=True)
@from_yaml("policy/village_points.yaml", key="village_points")
class VillagePointsPolicy:
    """New village elderly-care points 村级养老服务点位 (policy-docs/001 农村方案 二(一)3:
    生活照料、健康管理、探访关爱、精神慰藉、委托代办; 到2027年全市300个, 2025/2026/2027各100个),
    built on dated steps at villages without a service point, most elders in walking reach first;
    each operates from the day it is built."""

    enabled: bool = False
    steps: list[PointStep] = YAML
    build_yuan_per_point: float = nonneg(YAML, YUAN_MAX,
                                         doc="one-off construction subsidy of a point (一次性建设补贴)")
    operating_yuan_per_point_year: float = nonneg(YAML, YUAN_MAX,
                                                  doc="operating subsidy (运营补助) of a point a year")
