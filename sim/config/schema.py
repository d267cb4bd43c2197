"""Structured configs: one frozen dataclass per Hydra group.

Every default is written once, in YAML beside the comment citing ``CALIBRATION.md`` or the
policy documents: classes decorated with `from_yaml` take their values from
``configs/<group>/default.yaml`` (county: the default preset, hill; services:
``services/default.yaml``; each policy section: its own policy file, see sim.config.policies).
Tags follow CALIBRATION.md: [S] stated, [D] derived, [M] remembered, [A] assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.defaults import YAML, from_yaml
from sim.config.fields import (
    BEDS_MAX,
    DAYS_MAX,
    KMH_MAX,
    MULT_MAX,
    RESIDENTS_MAX,
    SEATS_MAX,
    STAFF_MAX,
    TOWNSHIPS_MAX,
    VILLAGES_MAX,
    YUAN_MAX,
    choice,
    nonneg,
    positive,
    prob,
    prob_list,
    ranged,
    ranged_list,
)
from sim.config.policies import (
    AdaptationPolicy,
    CanteenPolicy,
    ConsolidationPolicy,
    EmergencyPolicy,
    OperatingPolicy,
    RegionalCentresPolicy,
    StationsPolicy,
    TimeBankPolicy,
    VillagePointsPolicy,
)
from sim.config.services import ServicesConfig
from sim.config.uncertainty import UncertaintyConfig

TERRAINS = ("plain", "hill", "mountain")
HOME_KINDS = ("township_home", "regional_centre", "county_home")


@dataclass(frozen=True)
class NursingHomeSpec:
    """One nursing home of a synthetic county (敬老院 / 区域养老服务中心 / 县级特困供养机构)."""

    name: str = "home"
    name_zh: str = ""
    kind: str = choice("township_home", HOME_KINDS)
    township: int = ranged(-1, -1, TOWNSHIPS_MAX, doc="township index hosting it; -1 = county seat")
    beds: int = nonneg(0, BEDS_MAX)
    nursing_beds: int = nonneg(0, BEDS_MAX, doc="nursing-type beds 护理型床位, <= beds")
    staff: int = nonneg(0, STAFF_MAX)


@dataclass(frozen=True)
class FacilityStep:
    """On ``date`` (YYYY-MM-DD, or ``day`` after run.start_date), ``count`` more facilities open."""

    date: str | None = None
    day: float = nonneg(0.0, DAYS_MAX)
    count: int = nonneg(0, VILLAGES_MAX)


@dataclass(frozen=True)
@from_yaml("county/hill.yaml", key="travel")
class TravelConfig:
    """Speeds and circuity that turn straight-line km into minutes (CALIBRATION §4); values in
    the default preset ``configs/county/hill.yaml``."""

    walk_kmh: float = positive(YAML, 10.0)
    ebike_kmh: float = positive(YAML, 50.0)
    car_kmh_plain: float = positive(YAML, KMH_MAX)
    car_kmh_hill: float = positive(YAML, KMH_MAX)
    car_kmh_mountain: float = positive(YAML, KMH_MAX)
    circuity_plain: float = ranged(YAML, 1.0, 5.0)
    circuity_hill: float = ranged(YAML, 1.0, 5.0)
    circuity_mountain: float = ranged(YAML, 1.0, 5.0)
    intra_village_km: float = nonneg(YAML, 50.0, doc="mean trip length inside one village")


@dataclass(frozen=True)
@from_yaml("county/hill.yaml")
class CountyConfig:
    """A county: either generated from these parameters or loaded from tables.

    Defaults are the default preset's (``configs/county/hill.yaml``), except two on purpose: the
    geography ``seed`` (1; the preset's is 7) and ``nursing_homes`` (none; the preset lists one
    per township), so a county built in code with other townships needs no homes of its own."""

    name: str = YAML
    name_zh: str = YAML
    source: str | None = field(
        default=YAML,
        metadata={"doc": "directory holding villages.csv|parquet and facilities.csv|parquet"},
    )
    encoding: str = choice(YAML, ("auto", "utf-8", "utf-8-sig", "gb18030"),
                           doc="text encoding of the source CSVs; auto tries utf-8 then gb18030")
    seed: int = ranged(1, 0, 2**63 - 1, doc="seed of the synthetic geography")
    townships: int = ranged(YAML, 1, TOWNSHIPS_MAX)
    villages: int = ranged(YAML, 1, VILLAGES_MAX)
    area_km2: float = positive(YAML, 250_000.0, doc="the largest counties (Xinjiang, Tibet) ~200,000")
    terrain_plain: float = prob(YAML)
    terrain_hill: float = prob(YAML)
    terrain_mountain: float = prob(YAML)
    residents_per_village: float = positive(YAML, RESIDENTS_MAX)
    residents_sigma: float = nonneg(YAML, 3.0)
    elder_share: float = prob(YAML)
    age_mix: list[float] = prob_list(YAML, doc="60-69, 70-79, 80+")
    nursing_homes: list[NursingHomeSpec] = field(default_factory=list)
    service_points: int = nonneg(
        YAML, VILLAGES_MAX, doc="village day-care centres 日间照料中心 (built by the end of the steps)")
    service_points_at_start: int | None = field(
        default=YAML, metadata={"range": (0, VILLAGES_MAX),
                                "doc": "open at day 0 (the villages with most elders first); null: all"})
    service_point_steps: list[FacilityStep] = field(
        default=YAML, metadata={"doc": "dated openings of the others, in order"})
    service_point_operating_share: float = prob(
        YAML, doc="share of the county's service points that operate (运营); "
                  "the others stand idle, fewest elders in reach first")
    canteens: int = nonneg(YAML, VILLAGES_MAX, doc="canteens 老年食堂/助餐点, hosted by service points")
    canteen_seats: int = nonneg(YAML, SEATS_MAX)
    clinic_share: float = prob(YAML, doc="share of villages with a village clinic 村卫生室")
    travel: TravelConfig = YAML


@dataclass(frozen=True)
@from_yaml("population/default.yaml")
class PopulationConfig:
    """Elders' attributes and monthly dynamics (CALIBRATION §1-§3); values and sources in
    ``configs/population/default.yaml``."""

    mortality_ages: list[int] = ranged_list(YAML, 0, 130)
    mortality_q: list[float] = prob_list(YAML)
    mortality_scale: float = ranged(YAML, 0.0, 10.0)
    mortality_mult_partial: float = nonneg(YAML, MULT_MAX)
    mortality_mult_full: float = nonneg(YAML, MULT_MAX)
    adl_ages: list[int] = ranged_list(YAML, 0, 130)
    adl_i_to_p: list[float] = prob_list(YAML)
    adl_i_to_f: list[float] = prob_list(YAML)
    adl_p_to_f: list[float] = prob_list(YAML)
    adl_p_to_i: list[float] = prob_list(YAML)
    adl_f_to_p: list[float] = prob_list(YAML)
    dementia_i_to_p_mult: float = nonneg(YAML, MULT_MAX)
    dementia_onset: list[float] = prob_list(YAML)
    entry_age: float = ranged(YAML, 0.0, 130.0)
    entry_partial: float = prob(YAML)
    entry_full: float = prob(YAML)
    entry_dementia: float = prob(YAML)
    inflow_per_year: float = nonneg(YAML, 1.0, doc="entrants per year per elder at start")
    male_share: float = prob(YAML)
    living_solitary: float = prob(YAML)
    living_empty_nest: float = prob(YAML)
    living_left_behind: float = prob(YAML)
    special_hardship: float = prob(YAML)
    minimum_living: float = prob(YAML)
    device_share: float = prob(YAML)
    home_adaptation_share: float = prob(YAML)
    timebank_share: float = prob(YAML)


@dataclass(frozen=True)
class PolicyConfig:
    """Policies applied to the county (a composable Hydra config-group list).

    The baseline is today's network: no section enabled.  Each policy file of
    ``configs/policy/`` enables its own section, so policies compose.
    """

    emergency: EmergencyPolicy = field(default_factory=EmergencyPolicy)
    consolidation: ConsolidationPolicy = field(default_factory=ConsolidationPolicy)
    canteens: CanteenPolicy = field(default_factory=CanteenPolicy)
    time_bank: TimeBankPolicy = field(default_factory=TimeBankPolicy)
    adaptation: AdaptationPolicy = field(default_factory=AdaptationPolicy)
    operating: OperatingPolicy = field(default_factory=OperatingPolicy)
    regional_centres: RegionalCentresPolicy = field(default_factory=RegionalCentresPolicy)
    stations: StationsPolicy = field(default_factory=StationsPolicy)
    village_points: VillagePointsPolicy = field(default_factory=VillagePointsPolicy)

    def label(self) -> str:
        """``baseline`` or the enabled sections joined by ``+``; a consolidation section that closes
        no home (no closure stage: Yulin's upgrade programmes) is named ``bed_upgrades``."""
        on = [name for name in ("emergency", "consolidation", "canteens", "time_bank", "adaptation",
                                     "operating", "regional_centres", "stations", "village_points")
              if getattr(self, name).enabled]
        if "consolidation" in on and not self.consolidation.stages:
            on[on.index("consolidation")] = "bed_upgrades"
        return "+".join(on) or "baseline"


EVENT_LEVELS = ("none", "summary", "all")


def event_level(value: Any) -> str:
    """``run.save_events`` as a level: ``none``, ``summary`` or ``all``.

    The booleans of earlier versions are deprecated aliases: ``true`` wrote every
    table, so it means ``all``; ``false`` means ``none``.  Anything else is
    returned as given (lower-cased) for validation to reject.
    """
    if isinstance(value, bool):
        return "all" if value else "none"
    text = str(value).strip().lower()
    return {"true": "all", "false": "none"}.get(text, text)


@dataclass(frozen=True)
@from_yaml("run/default.yaml")
class RunConfig:
    """How many replications, with which seed, on how many processes (values in
    ``configs/run/default.yaml``).

    ``replications: auto`` runs batches until the 95% interval of ``auto_kpi`` is
    narrower than ``auto_half_width`` on each side, or ``auto_max`` is reached.
    """

    replications: Any = field(default=YAML, metadata={"range": (1, 100_000)})
    auto_kpi: str = YAML
    auto_half_width: float = positive(YAML, 1e12)
    auto_batch: int = ranged(YAML, 2, 10_000)
    auto_max: int = ranged(YAML, 2, 100_000)
    seed: int = ranged(YAML, 0, 2**63 - 1)
    workers: int = ranged(YAML, 0, 256, doc="processes; 0 = all cores")
    backend: str = choice(YAML, ("process", "dask"))
    dask_address: str | None = YAML
    horizon_days: int = ranged(YAML, 30, DAYS_MAX)
    start_date: str = field(default=YAML,
                            metadata={"doc": "date of day 0 (YYYY-MM-DD); dated steps count from it"})
    save_events: Any = field(default=YAML, metadata={
        "doc": "none | summary | all (event tables written); true/false: deprecated aliases of all/none"})
    uncertainty: bool = field(default=YAML, metadata={
        "doc": "true: each replication draws its own parameter set from the uncertainty ranges"})


@dataclass(frozen=True)
class TargetSpec:
    """A KPI target: the share of replications meeting it is reported."""

    kpi: str = "emergency_within_target_share"
    at_least: bool = True
    value: float = ranged(0.9, -YUAN_MAX, YUAN_MAX)


@dataclass(frozen=True)
class LeftOutConfig:
    """Who is left out (issue 16): a village is listed for a service when its share stays under
    the threshold in at least ``persistence`` of the replications (values and sources in
    ``configs/report/default.yaml``)."""

    emergency: float = prob(0.5, doc="share of calls reached within the target (15 min)")
    visits: float = prob(0.8, doc="monthly visiting rate (on time)")
    meals: float = prob(0.5, doc="share of lunch wishes served on days canteens open")
    persistence: float = prob(0.8, doc="share of replications the village must stay under")


@dataclass(frozen=True)
class ReportConfig:
    """What the main job reports beside the scenario's own results (orchestration only)."""

    briefing: bool = True
    lang: str = choice("zh", ("zh", "en"))
    compare: list[str] = field(default_factory=list)
    targets: list[TargetSpec] = field(default_factory=list)
    left_out: LeftOutConfig = field(default_factory=LeftOutConfig)


@dataclass(frozen=True)
@from_yaml("sizing/default.yaml")
class SizingConfig:
    """A sizing study 规模测算 (issue 18 item 1; values in ``configs/sizing/default.yaml``): each job of a
    Hydra Optuna sweep returns ``objective`` plus ``penalty_yuan`` times the relative misses of
    ``targets`` (orchestration only: nothing below the experiment layer reads it)."""

    enabled: bool = YAML
    objective: str = YAML
    targets: list[TargetSpec] = YAML
    penalty_yuan: float = nonneg(YAML, YUAN_MAX)
    top: int = ranged(YAML, 1, 1_000)


@dataclass(frozen=True)
class SimConfig:
    """The whole scenario: county + population + policy + run."""

    county: CountyConfig = field(default_factory=CountyConfig)
    population: PopulationConfig = field(default_factory=PopulationConfig)
    services: ServicesConfig = field(default_factory=ServicesConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    run: RunConfig = field(default_factory=RunConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    uncertainty: UncertaintyConfig = field(default_factory=UncertaintyConfig)
    sizing: SizingConfig = field(default_factory=SizingConfig)
