"""Structured configs: one frozen dataclass per Hydra group.

The defaults here are the *schema* defaults; the values a user sees live in
``configs/`` with a comment citing ``CALIBRATION.md`` for every figure.  Tags
follow CALIBRATION.md: [S] stated, [D] derived, [M] remembered, [A] assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.fields import choice, nonneg, positive, prob, prob_list, ranged, ranged_list
from sim.config.policies import CanteenPolicy, ConsolidationPolicy, EmergencyPolicy, TimeBankPolicy
from sim.config.services import ServicesConfig

TERRAINS = ("plain", "hill", "mountain")
HOME_KINDS = ("township_home", "regional_centre", "county_home")


@dataclass(frozen=True)
class NursingHomeSpec:
    """One nursing home of a synthetic county (敬老院 / 区域养老服务中心 / 县级特困供养机构)."""

    name: str = "home"
    name_zh: str = ""
    kind: str = choice("township_home", HOME_KINDS)
    township: int = ranged(-1, -1, 10_000, doc="township index hosting it; -1 = county seat")
    beds: int = nonneg(0)
    nursing_beds: int = nonneg(0, doc="nursing-type beds 护理型床位, <= beds")
    staff: int = nonneg(0)


@dataclass(frozen=True)
class TravelConfig:
    """Speeds and circuity that turn straight-line km into minutes (CALIBRATION §4)."""

    walk_kmh: float = positive(3.5)
    ebike_kmh: float = positive(15.0)
    car_kmh_plain: float = positive(40.0)
    car_kmh_hill: float = positive(28.0)
    car_kmh_mountain: float = positive(18.0)
    circuity_plain: float = ranged(1.2, 1.0, 5.0)
    circuity_hill: float = ranged(1.4, 1.0, 5.0)
    circuity_mountain: float = ranged(1.7, 1.0, 5.0)
    intra_village_km: float = nonneg(0.8, doc="mean trip length inside one village")


@dataclass(frozen=True)
class CountyConfig:
    """A county: either generated from these parameters or loaded from tables."""

    name: str = "hill"
    name_zh: str = "丘陵县"
    source: str | None = field(
        default=None,
        metadata={"doc": "directory holding villages.csv|parquet and facilities.csv|parquet"},
    )
    seed: int = ranged(1, 0, 2**63 - 1, doc="seed of the synthetic geography")
    townships: int = ranged(8, 1, 10_000)
    villages: int = ranged(84, 1, 100_000)
    area_km2: float = positive(700.0)
    terrain_plain: float = prob(0.25)
    terrain_hill: float = prob(0.55)
    terrain_mountain: float = prob(0.20)
    residents_per_village: float = positive(1000.0)
    residents_sigma: float = nonneg(0.45)
    elder_share: float = prob(0.2381)
    age_mix: list[float] = prob_list([0.5583, 0.3061, 0.1356], doc="60-69, 70-79, 80+")
    nursing_homes: list[NursingHomeSpec] = field(default_factory=list)
    service_points: int = nonneg(40, doc="village day-care centres 日间照料中心")
    canteens: int = nonneg(10, doc="canteens 老年食堂/助餐点, hosted by service points")
    canteen_seats: int = nonneg(40)
    clinic_share: float = prob(0.9, doc="share of villages with a village clinic 村卫生室")
    travel: TravelConfig = field(default_factory=TravelConfig)


@dataclass(frozen=True)
class PopulationConfig:
    """Elders' attributes and monthly dynamics (CALIBRATION §1-§3)."""

    mortality_ages: list[int] = ranged_list([60, 65, 70, 75, 80, 85, 90, 95], 0, 130)
    mortality_q: list[float] = prob_list(
        [0.0103, 0.0171, 0.0302, 0.0483, 0.0814, 0.1198, 0.1742, 0.214]
    )
    mortality_scale: float = ranged(1.0, 0.0, 10.0)
    mortality_mult_partial: float = nonneg(1.5)
    mortality_mult_full: float = nonneg(3.0)
    adl_ages: list[int] = ranged_list([60, 70, 80, 90], 0, 130)
    adl_i_to_p: list[float] = prob_list([0.017, 0.034, 0.085, 0.1445])
    adl_i_to_f: list[float] = prob_list([0.0015, 0.0035, 0.01, 0.02])
    adl_p_to_f: list[float] = prob_list([0.04, 0.05, 0.07, 0.09])
    adl_p_to_i: list[float] = prob_list([0.25, 0.18, 0.10, 0.05])
    adl_f_to_p: list[float] = prob_list([0.16, 0.12, 0.08, 0.04])
    dementia_i_to_p_mult: float = nonneg(2.0)
    dementia_onset: list[float] = prob_list([0.0015, 0.005, 0.015, 0.03])
    entry_age: float = ranged(60.0, 0.0, 130.0)
    entry_partial: float = prob(0.04)
    entry_full: float = prob(0.01)
    entry_dementia: float = prob(0.02)
    inflow_per_year: float = nonneg(0.05583, doc="entrants per year per elder at start")
    male_share: float = prob(0.48)
    living_solitary: float = prob(0.12)
    living_empty_nest: float = prob(0.40)
    living_left_behind: float = prob(0.15)
    special_hardship: float = prob(0.04)
    minimum_living: float = prob(0.10)
    device_share: float = prob(0.05)
    home_adaptation_share: float = prob(0.02)
    timebank_share: float = prob(0.0)


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

    def label(self) -> str:
        """``baseline`` or the enabled sections joined by ``+``."""
        on = [name for name in ("emergency", "consolidation", "canteens", "time_bank")
              if getattr(self, name).enabled]
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
class RunConfig:
    """How many replications, with which seed, on how many processes.

    ``replications: auto`` runs batches until the 95% interval of ``auto_kpi`` is
    narrower than ``auto_half_width`` on each side, or ``auto_max`` is reached.
    """

    replications: Any = field(default=10, metadata={"range": (1, 100_000)})
    auto_kpi: str = "emergency_within_target_share"
    auto_half_width: float = positive(0.01)
    auto_batch: int = ranged(10, 2, 10_000)
    auto_max: int = ranged(200, 2, 100_000)
    seed: int = ranged(20261126, 0, 2**63 - 1)
    workers: int = ranged(0, 0, 256, doc="processes; 0 = all cores")
    backend: str = choice("process", ("process", "dask"))
    dask_address: str | None = None
    horizon_days: int = ranged(1095, 30, 365 * 100)
    save_events: Any = field(default="summary", metadata={
        "doc": "none | summary | all (event tables written); true/false: deprecated aliases of all/none"})


@dataclass(frozen=True)
class TargetSpec:
    """A KPI target: the share of replications meeting it is reported."""

    kpi: str = "emergency_within_target_share"
    at_least: bool = True
    value: float = 0.9


@dataclass(frozen=True)
class ReportConfig:
    """What the main job reports beside the scenario's own results (orchestration only)."""

    briefing: bool = True
    lang: str = choice("zh", ("zh", "en"))
    compare: list[str] = field(default_factory=list)
    targets: list[TargetSpec] = field(default_factory=list)


@dataclass(frozen=True)
class SimConfig:
    """The whole scenario: county + population + policy + run."""

    county: CountyConfig = field(default_factory=CountyConfig)
    population: PopulationConfig = field(default_factory=PopulationConfig)
    services: ServicesConfig = field(default_factory=ServicesConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    run: RunConfig = field(default_factory=RunConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
