"""Nursing-home consolidation 敬老院撤并 as data (policy-docs/002 Qinshui, 001 Ankang).

Qinshui's 2019-2021 plan keeps three homes as regional centres (区域性养老中心)
and builds a county central home (中心敬老院) of at least 120 beds, half of
them nursing-type; it closes homes with fewer than 10 residents in 2019 and
fewer than 20 in 2020 (入住10人以下: at most 10, inclusive).  Stages and upgrades
fall on calendar dates counted from ``run.start_date`` (or on days after it).
Ankang runs consolidated homes near full load with
about 5% of beds in reserve (CALIBRATION §5).  Here the plan becomes, for any
county: which homes are kept (the central home at the county seat, the
``keep_largest`` largest others, any named in ``keep``), the dated closure
stages and upgrades, the reserve share and what freed buildings become.
Whether a home meets a stage's threshold is decided by the model on the day,
from its residents then.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from sim.config.dates import day_of, parse_date  # noqa: F401 - re-exported
from sim.config.errors import ConfigError, Problem
from sim.config.policies import ClosureStage, ConsolidationPolicy, Upgrade
from sim.world.county import FACILITY_KINDS, HOME_KINDS, County


def resolve_stage(stage: ClosureStage, start_date: str, path: str) -> ClosureStage:
    """The stage on its simulation day, with the deprecated ``below_residents`` (strictly fewer)
    turned into the inclusive ``at_most_residents`` it means (below n = at most n - 1)."""
    at_most = stage.at_most_residents
    if stage.below_residents is not None:
        warnings.warn(f"{path}.below_residents is deprecated: use at_most_residents (inclusive; "
                      "入住10人以下 means at most 10)", DeprecationWarning, stacklevel=3)
        alias = stage.below_residents - 1
        at_most = alias if at_most is None else max(at_most, alias)
    return replace(stage, day=day_of(stage.date, stage.day, start_date, f"{path}.date"), date=None,
                   at_most_residents=at_most, below_residents=None)


@dataclass(frozen=True, eq=False)
class ConsolidationPlan:
    """Resolved against one county's homes (indices into `home_facilities`)."""

    kept: np.ndarray          # bool per home
    central: int              # the county central home
    stages: tuple[ClosureStage, ...]
    upgrades: tuple[tuple[float, np.ndarray, int, float], ...]  # (day, homes, min_beds, min_share)
    reserve_share: float
    staff_move: bool
    freed_building: str
    staff_upgrades: bool = False              # upgrades hire staff for added/converted beds (CALIBRATION §5)
    all_nursing: np.ndarray | None = None   # per home: a county special-support home, all nursing (001 (一)1)
    freed_facility: np.ndarray | None = None  # per home: the facility its building becomes (-1: none)
    move_to: str = "kept"                     # kept | open: where residents of a closing home go
    seat_village: int = 0                     # the county seat: remoteness is car minutes from it


def home_facilities(county: County) -> np.ndarray:
    """Facility indices of the county's nursing homes (all home kinds), in table order."""
    return county.facilities.of_kind(*HOME_KINDS)


def county_seat(county: County) -> int:
    """The county seat village: where the 120 station stands (village 0 if there is none)."""
    ems = county.facilities.of_kind("ems_station")
    return int(county.facilities.village[ems[0]]) if len(ems) else 0


def plan_consolidation(policy: ConsolidationPolicy, county: County,
                       start_date: str = "2019-01-01") -> ConsolidationPlan | None:
    """Resolve the policy for ``county`` (dates against ``start_date``); None when the policy is off."""
    if not policy.enabled:
        return None
    f = county.facilities
    homes = home_facilities(county)
    if len(homes) == 0:
        raise ConfigError([Problem("policy.consolidation.enabled", True,
                                   f"county {county.name!r} has no nursing homes to consolidate")])
    names = list(f.name[homes])
    beds = f.beds[homes]
    at_seat = np.flatnonzero(f.village[homes] == county_seat(county))
    central = int(at_seat[np.argmax(beds[at_seat])]) if len(at_seat) else int(np.argmax(beds))
    kept = np.zeros(len(homes), dtype=bool)
    kept[central] = True
    others = np.array([h for h in np.argsort(-beds, kind="stable") if h != central], dtype=np.int64)
    kept[others[: policy.keep_largest]] = True
    problems = []
    for i, name in enumerate(policy.keep):
        if name not in names:
            problems.append(Problem(f"policy.consolidation.keep[{i}]", name,
                                    "a nursing-home name of the county: " + ", ".join(names)))
        else:
            kept[names.index(name)] = True
    if problems:
        raise ConfigError(problems)
    regional = kept.copy()
    regional[central] = False
    targets = {"central": np.array([central]), "regional": np.flatnonzero(regional),
               "kept": np.flatnonzero(kept)}
    p = "policy.consolidation"
    upgrades = tuple(sorted(((day_of(u.date, u.day, start_date, f"{p}.upgrades[{i}].date"),
                              targets[u.target], u.min_beds, u.min_nursing_share)
                             for i, u in enumerate(policy.upgrades)), key=lambda u: u[0]))
    stages = [resolve_stage(s, start_date, f"{p}.stages[{i}]") for i, s in enumerate(policy.stages)]
    all_nursing = f.kind[homes] == FACILITY_KINDS.index("county_home")
    return ConsolidationPlan(kept=kept, central=central, all_nursing=all_nursing,
                             stages=tuple(sorted(stages, key=lambda s: s.day)),
                             upgrades=upgrades, reserve_share=policy.reserve_share,
                             move_to=policy.move_to, seat_village=county_seat(county),
                             staff_move=policy.staff_move, freed_building=policy.freed_building,
                             staff_upgrades=policy.staff_upgrades)


__all__ = ["ConsolidationPlan", "Upgrade", "county_seat", "day_of", "home_facilities", "plan_consolidation"]
