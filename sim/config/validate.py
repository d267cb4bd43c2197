"""Validation of a composed config: every problem at once, each naming its field.

A generic walker checks the constraints attached to fields (`sim.config.fields`)
and the declared types; one function per group adds the checks that relate
fields to each other (shares that must sum to at most 1, age bands that must
increase, table lengths that must agree, references to townships).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from typing import Any

from sim.config.dates import day_of
from sim.config.errors import ConfigError, Problem
from sim.config.schema import (
    EVENT_LEVELS,
    CountyConfig,
    PolicyConfig,
    PopulationConfig,
    RunConfig,
    SimConfig,
    event_level,
)
from sim.config.services import TASKS, Dist, ServicesConfig
from sim.config.uncertainty import check_uncertainty

_SCALARS = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}


def _type_ok(value: Any, tp: Any) -> bool | None:
    """True/False for scalar types we check; None when the type is not a scalar."""
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is str:
        return isinstance(value, str)
    return None


def _check_value(path: str, value: Any, tp: Any, meta: dict, out: list[Problem]) -> None:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        if value is None:
            return
        tp = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, (list, tuple)):
            out.append(Problem(path, value, "must be a list"))
            return
        for i, item in enumerate(value):
            _check_value(f"{path}[{i}]", item, args[0] if args else Any, meta, out)
        return
    if dataclasses.is_dataclass(tp):
        if not dataclasses.is_dataclass(value):
            out.append(Problem(path, value, f"must be a {tp.__name__} mapping"))
            return
        _walk(value, path, out)
        return
    ok = _type_ok(value, tp)
    if ok is False:
        out.append(Problem(path, value, f"must be {_SCALARS[tp]}"))
        return
    if "choices" in meta and value not in meta["choices"]:
        out.append(Problem(path, value, "must be one of " + ", ".join(meta["choices"])))
    if isinstance(value, float) and not math.isfinite(value):
        within = f" in [{_fmt(meta['range'][0])}, {_fmt(meta['range'][1])}]" if "range" in meta else ""
        out.append(Problem(path, value, "must be a finite number" + within))
        return
    if "range" in meta and isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = meta["range"]
        if value < low or value > high:
            opening = "(" if meta.get("positive") else "["
            out.append(Problem(path, value, f"must lie in {opening}{_fmt(low)}, {_fmt(high)}]"))
        elif meta.get("positive") and value <= 0:
            out.append(Problem(path, value, "must be > 0"))


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}"


def _walk(obj: Any, prefix: str, out: list[Problem]) -> None:
    hints = typing.get_type_hints(type(obj))
    for f in dataclasses.fields(obj):
        path = f"{prefix}.{f.name}" if prefix else f.name
        _check_value(path, getattr(obj, f.name), hints[f.name], dict(f.metadata), out)


def check_fields(obj: Any, prefix: str = "") -> list[Problem]:
    """Types and ranges of every field of a (nested) config dataclass."""
    out: list[Problem] = []
    _walk(obj, prefix, out)
    return out


def check_county(c: CountyConfig, p: str = "county") -> list[Problem]:
    out: list[Problem] = []
    terrain = c.terrain_plain + c.terrain_hill + c.terrain_mountain
    if abs(terrain - 1.0) > 1e-6:
        out.append(Problem(f"{p}.terrain_plain+terrain_hill+terrain_mountain", round(terrain, 6),
                           "shares must sum to 1"))
    if len(c.age_mix) != 3 or abs(sum(c.age_mix) - 1.0) > 1e-6:
        out.append(Problem(f"{p}.age_mix", list(c.age_mix),
                           "three shares (60-69, 70-79, 80+) summing to 1"))
    if c.source is None and c.villages < c.townships:
        out.append(Problem(f"{p}.villages", c.villages,
                           f"must be >= county.townships ({c.townships}): each township needs a seat"))
    if c.canteens > c.service_points:
        out.append(Problem(f"{p}.canteens", c.canteens,
                           f"must be <= county.service_points ({c.service_points}): "
                           "canteens are hosted by service points"))
    if c.source is None and c.service_points > c.villages:
        out.append(Problem(f"{p}.service_points", c.service_points,
                           f"must be <= county.villages ({c.villages})"))
    for i, h in enumerate(c.nursing_homes):
        hp = f"{p}.nursing_homes[{i}]"
        if h.nursing_beds > h.beds:
            out.append(Problem(f"{hp}.nursing_beds", h.nursing_beds, f"must be <= beds ({h.beds})"))
        if h.kind == "county_home" and h.nursing_beds != h.beds:
            out.append(Problem(f"{hp}.nursing_beds", h.nursing_beds,
                               "a county special-support home has only nursing-type beds: "
                               f"= beds ({h.beds})"))
        if c.source is None and h.township >= c.townships:
            out.append(Problem(f"{hp}.township", h.township,
                               f"must be -1 (county seat) or an index in [0, {c.townships - 1}]"))
    return out


def _check_bands(p: str, ages: list, tables: dict[str, list], out: list[Problem]) -> None:
    if not ages or any(b <= a for a, b in zip(ages, ages[1:])):
        out.append(Problem(p, list(ages), "strictly increasing lower bounds of age bands"))
    for name, table in tables.items():
        if len(table) != len(ages):
            out.append(Problem(name, list(table), f"one value per age band: {len(ages)} values"))


def check_population(c: PopulationConfig, p: str = "population") -> list[Problem]:
    out: list[Problem] = []
    _check_bands(f"{p}.mortality_ages", c.mortality_ages, {f"{p}.mortality_q": c.mortality_q}, out)
    adl = {f"{p}.{n}": getattr(c, n) for n in
           ("adl_i_to_p", "adl_i_to_f", "adl_p_to_f", "adl_p_to_i", "adl_f_to_p", "dementia_onset")}
    _check_bands(f"{p}.adl_ages", c.adl_ages, adl, out)
    for ages_name in ("mortality_ages", "adl_ages"):
        ages = getattr(c, ages_name)
        if ages and ages[0] > c.entry_age:
            out.append(Problem(f"{p}.{ages_name}[0]", ages[0],
                               f"the first band must start at or below entry_age ({c.entry_age})"))
    n = min(len(c.adl_i_to_p), len(c.adl_i_to_f), len(c.adl_p_to_f), len(c.adl_p_to_i))
    for i in range(n):
        if c.adl_i_to_p[i] * max(1.0, c.dementia_i_to_p_mult) + c.adl_i_to_f[i] > 1:
            out.append(Problem(f"{p}.adl_i_to_p[{i}]", c.adl_i_to_p[i],
                               "adl_i_to_p x dementia_i_to_p_mult + adl_i_to_f must be <= 1"))
        if c.adl_p_to_f[i] + c.adl_p_to_i[i] > 1:
            out.append(Problem(f"{p}.adl_p_to_f[{i}]", c.adl_p_to_f[i],
                               "adl_p_to_f + adl_p_to_i must be <= 1"))
    for i, q in enumerate(c.mortality_q):
        if q * c.mortality_scale >= 1:
            out.append(Problem(f"{p}.mortality_q[{i}]", q,
                               f"q x mortality_scale ({c.mortality_scale}) must be < 1"))
    if c.entry_partial + c.entry_full > 1:
        out.append(Problem(f"{p}.entry_partial+entry_full", c.entry_partial + c.entry_full,
                           "must be <= 1"))
    living = c.living_solitary + c.living_empty_nest + c.living_left_behind
    if living > 1 + 1e-9:
        out.append(Problem(f"{p}.living_solitary+living_empty_nest+living_left_behind",
                           round(living, 6), "must be <= 1 (the rest live with family)"))
    if c.special_hardship + c.minimum_living > 1 + 1e-9:
        out.append(Problem(f"{p}.special_hardship+minimum_living",
                           c.special_hardship + c.minimum_living, "must be <= 1"))
    return out


def check_dist(d: Dist, p: str) -> list[Problem]:
    if d.family == "empirical" and not d.values:
        return [Problem(f"{p}.values", list(d.values), "an empirical distribution needs >= 1 value")]
    if d.family in ("lognormal", "gamma") and d.sd > 0 and d.mean <= 0:
        return [Problem(f"{p}.mean", d.mean, f"a {d.family} distribution with sd > 0 needs mean > 0")]
    return []


def check_services(c: ServicesConfig, p: str = "services") -> list[Problem]:
    out: list[Problem] = []
    e, ep = c.emergency, f"{p}.emergency"
    for f in dataclasses.fields(e):
        value = getattr(e, f.name)
        if isinstance(value, Dist):
            out += check_dist(value, f"{ep}.{f.name}")
    for name, n, what in (("age_mult", 3, "60-69, 70-79, 80+"),
                          ("adl_mult", 3, "independent, partial, full"),
                          ("living_mult", 4, "solitary, empty-nest, left-behind, with family")):
        if len(getattr(e, name)) != n:
            out.append(Problem(f"{ep}.{name}", list(getattr(e, name)), f"{n} values: {what}"))
    names = [h.name for h in c.helpers]
    for i, name in enumerate(names):
        if names.index(name) != i:
            out.append(Problem(f"{p}.helpers[{i}].name", name, "helper names must be unique"))
    for i, h in enumerate(c.helpers):
        if len(set(h.workdays)) != len(h.workdays):
            out.append(Problem(f"{p}.helpers[{i}].workdays", list(h.workdays), "days must not repeat"))
    if sorted(c.tasks.priority) != sorted(TASKS):
        out.append(Problem(f"{p}.tasks.priority", list(c.tasks.priority),
                           "every task once, highest first: " + ", ".join(TASKS)))
    m = c.meals
    out += check_dist(m.handoff, f"{p}.meals.handoff")
    if m.delivery_deadline_hour <= m.delivery_start_hour:
        out.append(Problem(f"{p}.meals.delivery_deadline_hour", m.delivery_deadline_hour,
                           f"must be after delivery_start_hour ({m.delivery_start_hour:g})"))
    if len(set(m.operating_days)) != len(m.operating_days):
        out.append(Problem(f"{p}.meals.operating_days", list(m.operating_days), "days must not repeat"))
    if len(c.homecare.hours_per_week) != 3:
        out.append(Problem(f"{p}.homecare.hours_per_week", list(c.homecare.hours_per_week),
                           "3 values: independent, partial, full"))
    return out


def check_policy(c: PolicyConfig, services: ServicesConfig, p: str = "policy") -> list[Problem]:
    out: list[Problem] = []
    em = c.emergency
    if em.enabled and em.coordinator_per_village and em.coordinator.name in \
            [h.name for h in services.helpers]:
        out.append(Problem(f"{p}.emergency.coordinator.name", em.coordinator.name,
                           "a name not already used by services.helpers"))
    ca = c.canteens
    if ca.enabled and len(set(ca.eligible)) != len(ca.eligible):
        out.append(Problem(f"{p}.canteens.eligible", list(ca.eligible), "groups must not repeat"))
    names = [h.name for h in services.helpers] + ([em.coordinator.name] if em.enabled else [])
    if ca.enabled and ca.delivery and ca.courier.name in names:
        out.append(Problem(f"{p}.canteens.courier.name", ca.courier.name,
                           "a name not already used by services.helpers or the coordinator"))
    tb = c.time_bank
    if tb.enabled:
        if tb.join_age_max < tb.join_age_min:
            out.append(Problem(f"{p}.time_bank.join_age_max", tb.join_age_max,
                               f">= join_age_min ({tb.join_age_min})"))
        if len(tb.withdraw_hours_per_month) != 3:
            out.append(Problem(f"{p}.time_bank.withdraw_hours_per_month", list(tb.withdraw_hours_per_month),
                               "3 values: independent, partial, full"))
        if len(set(tb.tasks)) != len(tb.tasks):
            out.append(Problem(f"{p}.time_bank.tasks", list(tb.tasks), "tasks must not repeat"))
        if tb.volunteer.name in names + [ca.courier.name]:
            out.append(Problem(f"{p}.time_bank.volunteer.name", tb.volunteer.name,
                               "a name not already used by another helper"))
    if ca.enabled and ca.delivery and not ca.courier.delivers_meals:
        out.append(Problem(f"{p}.canteens.courier.delivers_meals", False, "true (couriers deliver meals)"))
    if ca.enabled and ca.delivery and ca.courier.per_base == 0:
        out.append(Problem(f"{p}.canteens.courier.per_base", 0,
                           "must be >= 1 while policy.canteens.delivery is on (or set delivery: false)"))
    if ca.enabled and ca.seats == 0:
        out.append(Problem(f"{p}.canteens.seats", 0, "must be >= 1: the policy's canteens need seats"))
    if ca.enabled and ca.kitchen_meals_per_day == 0:
        out.append(Problem(f"{p}.canteens.kitchen_meals_per_day", 0,
                           "must be >= 1: the policy's canteens must cook"))
    rc = c.regional_centres
    names.append(ca.courier.name)
    if rc.enabled:
        if rc.team.per_base > 0 and rc.team.name in names + [tb.volunteer.name]:
            out.append(Problem(f"{p}.regional_centres.team.name", rc.team.name,
                               "a name not already used by another helper"))
        if rc.team.base != "regional_centre":
            out.append(Problem(f"{p}.regional_centres.team.base", rc.team.base,
                               "regional_centre (the team works from its centre)"))
        cover = [s.coverage for s in rc.steps]
        if cover != sorted(cover):
            out.append(Problem(f"{p}.regional_centres.steps", cover,
                               "coverage must not fall from one step to the next (centres stay open)"))
    fs = c.consolidation.freed_staff
    if c.consolidation.enabled and fs.per_base > 0:
        if fs.base != "freed_building":
            out.append(Problem(f"{p}.consolidation.freed_staff.base", fs.base,
                               "freed_building (the staff a freed building hosts)"))
        if fs.name in names + [tb.volunteer.name, rc.team.name]:
            out.append(Problem(f"{p}.consolidation.freed_staff.name", fs.name,
                               "a name not already used by another helper"))
    dated = ("service_point", "regional_centre", "freed_building", "canteen")
    teams = [("services.helpers", h) for h in services.helpers] \
        + [(f"{p}.regional_centres.team", rc.team)] * rc.enabled \
        + [(f"{p}.consolidation.freed_staff", c.consolidation.freed_staff)] * c.consolidation.enabled
    for where, h in teams:
        if h.base in dated and h.emergency and h.per_base > 0:
            out.append(Problem(f"{where}.emergency", True,
                               f"false for helpers based at a {h.base}: they start work when it opens, "
                               "and the dispatcher's units are on call from day 0"))
    st = c.stations
    if st.enabled and st.ambulance_posts and st.post.per_base > 0:
        if st.post.base != "ems_post":
            out.append(Problem(f"{p}.stations.post.base", st.post.base,
                               "ems_post (the crew works from its post)"))
        if st.post.name in names + [tb.volunteer.name, rc.team.name, fs.name]:
            out.append(Problem(f"{p}.stations.post.name", st.post.name,
                               "a name not already used by another helper"))
    if st.enabled and st.canteens and st.canteen_seats == 0:
        out.append(Problem(f"{p}.stations.canteen_seats", 0, "must be >= 1: the sited canteens need seats"))
    if c.consolidation.enabled and c.consolidation.reserve_share >= 1:
        out.append(Problem(f"{p}.consolidation.reserve_share", c.consolidation.reserve_share,
                           "must be < 1: a reserve of every bed admits no one"))
    return out


def check_operations(cfg: SimConfig) -> list[Problem]:
    """Contradictions across groups: a service switched on with nothing to deliver it."""
    out: list[Problem] = []
    c, s, ca = cfg.county, cfg.services, cfg.policy.canteens
    canteens_operate = ca.enabled or (c.source is None and c.canteens > 0)
    if c.source is None and c.canteens > 0 and c.canteen_seats == 0:
        out.append(Problem("county.canteen_seats", 0,
                           f"must be >= 1: the county has {c.canteens} canteens (county.canteens)"))
    if canteens_operate:
        if s.meals.sittings == 0:
            out.append(Problem("services.meals.sittings", 0, "must be >= 1 where canteens operate"))
        if s.meals.kitchen_meals_per_day == 0:
            out.append(Problem("services.meals.kitchen_meals_per_day", 0,
                               "must be >= 1 where canteens operate"))
    couriers = any(h.delivers_meals and h.per_base > 0 for h in s.helpers) or \
        (ca.enabled and ca.delivery and ca.courier.per_base > 0)
    if s.meals.delivery and not couriers:
        out.append(Problem("services.meals.delivery", True,
                           "no helper delivers meals: add one with delivers_meals: true to services.helpers, "
                           "or use policy=canteens"))
    if s.meals.delivery and s.meals.delivery_max_per_canteen == 0:
        out.append(Problem("services.meals.delivery_max_per_canteen", 0, "must be >= 1 while delivery is on"))
    if s.beds.reserve_share >= 1:
        out.append(Problem("services.beds.reserve_share", s.beds.reserve_share,
                           "must be < 1: a reserve of every bed admits no one"))
    return out


def config_warnings(cfg: SimConfig) -> list[str]:
    """Suspicious but valid settings, one line each."""
    out: list[str] = []
    horizon = cfg.run.horizon_days
    co = cfg.policy.consolidation
    if co.enabled:
        for name, items in (("stages", co.stages), ("upgrades", co.upgrades)):
            for i, item in enumerate(items):
                where = f"policy.consolidation.{name}[{i}]"
                try:
                    day = day_of(item.date, item.day, cfg.run.start_date, f"{where}.date")
                except ConfigError:
                    continue  # a malformed date is an error of its own
                when = f".date = {item.date} (day {day:g})" if item.date else f".day = {day:g}"
                if day > horizon:
                    out.append(f"{where}{when} lies past the horizon "
                               f"(run.horizon_days = {horizon}): it never happens")
    return out


def check_run(c: RunConfig, p: str = "run") -> list[Problem]:
    out = []
    r = c.replications
    if not (r == "auto" or (isinstance(r, int) and not isinstance(r, bool) and 1 <= r <= 100_000)):
        out.append(Problem(f"{p}.replications", r, "an integer in [1, 100000] or auto"))
    if event_level(c.save_events) not in EVENT_LEVELS:
        out.append(Problem(f"{p}.save_events", c.save_events, "one of " + ", ".join(EVENT_LEVELS)))
    return out


def validate(cfg: SimConfig) -> SimConfig:
    """Return ``cfg`` unchanged if valid, else raise one `ConfigError` listing every problem."""
    problems = check_fields(cfg)
    if not problems:  # cross-field checks assume well-typed fields
        problems += check_county(cfg.county)
        problems += check_population(cfg.population)
        problems += check_services(cfg.services)
        problems += check_policy(cfg.policy, cfg.services)
        problems += check_run(cfg.run)
        problems += check_operations(cfg)
        problems += check_uncertainty(cfg)
    if problems:
        raise ConfigError(problems)
    return cfg
