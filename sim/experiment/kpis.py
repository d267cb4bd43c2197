"""KPIs of replications from their record arrays (NumPy only, no pandas).

A worker computes the KPIs of the replication it ran and sends only them to
the parent; `kpi_columns` over one replication equals its row of a computation
over many (every kernel groups by replication).
"""

from __future__ import annotations

import numpy as np

from sim.experiment.scenario import Scenario
from sim.kernels.beds import bed_kpis, occupancy_windows
from sim.kernels.costs import LINE_NAMES, budget_kpis, budget_lines, elders_served, years_of
from sim.kernels.emergency import emergency_kpis, responder_utilisation
from sim.kernels.equity import elder_group_kpis, village_group_kpis
from sim.kernels.facilities import facility_kpis, open_days_by_year, unit_paid_months
from sim.kernels.population import population_kpis
from sim.kernels.services import (
    helper_utilisation,
    homecare_kpis,
    meal_eligible_kpis,
    meal_kpis,
    service_costs,
)
from sim.kernels.timebank import mutual_aid_kpis, timebank_kpis
from sim.kernels.villages import village_outcomes
from sim.kernels.visits import phone_visits, visit_kpis
from sim.kernels.warmup import bed_warmup, timebank_warmup
from sim.model.bed_records import YEAR_DAYS
from sim.model.beds import ADMITTED as BED_ADMITTED
from sim.model.beds import START as BED_START
from sim.model.beds import TRANSFERRED as BED_TRANSFERRED
from sim.population.demography import MONTH_DAYS
from sim.world.seats import quintiles, remoteness_minutes


def stack(per_rep: list[dict[str, np.ndarray]], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate one record table over replications, with the parallel replication index."""
    arrays = [r[name] for r in per_rep]
    if len(arrays) == 1:  # one replication (a worker's): no copy
        return np.zeros(len(arrays[0]), dtype=np.int64), arrays[0]
    rep = np.repeat(np.arange(len(arrays)), [len(a) for a in arrays])
    return rep, np.concatenate(arrays)


def kpi_columns(scenario: Scenario, per_rep: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Every KPI of each replication, one array entry per replication (no pandas: workers call
    this on their own replication, the parent only gathers the rows)."""
    n = len(per_rep)
    rep, events = stack(per_rep, "population")
    mrep, monthly = stack(per_rep, "population_monthly")
    crep, calls = stack(per_rep, "emergency")
    urep, units = stack(per_rep, "responders")
    brep, bed_events = stack(per_rep, "beds")
    hrep, homes = stack(per_rep, "homes")
    target = scenario.plan.services.emergency.target_minutes
    names = scenario.responders.names
    busy = responder_utilisation(urep, units, n, len(names), scenario.horizon_days * 1440.0)
    visiting = responder_utilisation(urep, units, n, len(names), scenario.horizon_days * 1440.0,
                                     column="visit_minutes")
    cons = scenario.config.policy.consolidation
    beds = bed_kpis(brep, bed_events, hrep, homes, n, scenario.plan.services.beds.costs,
                    cons.new_bed_yuan if cons.enabled else 0.0,
                    cons.nursing_conversion_yuan if cons.enabled else 0.0)
    beds.update(occupancy_windows(*stack(per_rep, "bed_occupancy"), n, scenario.horizon_days))
    beds.update(bed_warmup(*stack(per_rep, "bed_occupancy"), n, scenario.months))
    vrep, visits = stack(per_rep, "visits")
    population = population_kpis(rep, events, mrep, monthly, n)
    meals = meal_kpis(*stack(per_rep, "meals"), n)
    services = scenario.plan.services
    units_ = scenario.responders
    services_cost = service_costs(meals, len(scenario.plan.county.facilities.of_kind("canteen")),
                                  float(units_.wage.sum()), services.meals.costs, scenario.horizon_days)
    bank = {}
    tb = scenario.config.policy.time_bank
    if tb.enabled:
        volunteer = units_.kind == names.index(tb.volunteer.name)
        bank = timebank_kpis(*stack(per_rep, "timebank_accounts"), *stack(per_rep, "timebank_monthly"),
                             *stack(per_rep, "helper_jobs"), volunteer, n, scenario.months,
                             tb.goods_yuan_per_hour, tb.backstop_yuan_per_hour)
        if "timebank_aid" in per_rep[0]:           # 助餐、助急 on call (sim.model.mutual_aid)
            bank.update(mutual_aid_kpis(*stack(per_rep, "timebank_aid"),
                                        *stack(per_rep, "timebank_first_contacts"), crep, calls, n, target))
        services_cost["timebank_backstop_cost_yuan"] = bank.pop("timebank_backstop_cost_yuan")
        services_cost["timebank_goods_cost_yuan"] = bank.pop("timebank_goods_cost_yuan")
        bank.update(timebank_warmup(*stack(per_rep, "timebank_monthly"), n, scenario.months))
    budget = scenario_budget(scenario, per_rep, n, names)
    services_cost["canteen_cost_yuan"] = budget["budget_canteen_subsidies_yuan"]   # open canteen-days
    if units_.facility is not None and (units_.facility >= 0).any():          # some start on a date
        services_cost["helper_wage_cost_yuan"] = sum(budget[f"budget_{line}_yuan"] for line in LINE_NAMES
                                                     if line.startswith("pay_"))
    with np.errstate(invalid="ignore", divide="ignore"):
        costs = {**services_cost, **budget,
                 "cost_per_elder_yuan": budget["cost_total_yuan"] / population["person_years"]}
    utilisation = helper_utilisation(urep, units, n, len(names))
    return {
        **population,
        **emergency_kpis(crep, calls, n, target),
        **beds,
        **visit_kpis(vrep, visits, n),
        **meals,
        **homecare_kpis(*stack(per_rep, "homecare"), n),
        **equity_kpis(scenario, per_rep, n),
        **bank,
        **costs,
        **{f"responder_busy_share_{name}": busy[:, k] for k, name in enumerate(names)
           if scenario.responders.emergency[scenario.responders.kind == k].any()},
        **{f"helper_visit_share_{name}": visiting[:, k] for k, name in enumerate(names)
           if (scenario.responders.visit_hours[scenario.responders.kind == k] > 0).any()},
        **{f"helper_utilisation_{name}": utilisation[:, k] for k, name in enumerate(names)},
    }


def village_columns(scenario: Scenario, per_rep: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The village table of each replication (`sim.kernels.villages`), replication-major."""
    return village_outcomes(len(per_rep), len(scenario.county.villages),
                            scenario.plan.services.emergency.target_minutes,
                            stack(per_rep, "emergency"), stack(per_rep, "visits"), stack(per_rep, "meals"),
                            stack(per_rep, "homecare"), stack(per_rep, "bed_occupancy"),
                            scenario.homes.village, scenario.county.travel["car"])


def equity_kpis(scenario: Scenario, per_rep: list[dict[str, np.ndarray]], n: int) -> dict[str, np.ndarray]:
    """Outcomes by remoteness quintile, terrain, elder group and age band, and the gaps
    (`sim.kernels.equity`)."""
    county = scenario.county
    cols = village_columns(scenario, per_rep)
    out = village_group_kpis(cols, n, quintiles(remoteness_minutes(county)), county.villages.terrain)
    if all("elders" in r for r in per_rep):
        out.update(elder_group_kpis(n, scenario.months, scenario.plan.services.emergency.target_minutes,
                                    stack(per_rep, "emergency"), stack(per_rep, "visits"),
                                    stack(per_rep, "elders")))
    return out


def scenario_budget(scenario: Scenario, per_rep: list[dict[str, np.ndarray]], n: int,
                    names) -> dict[str, np.ndarray]:
    """Budget lines by payer and year (sim.kernels.costs) from the scenario's records."""
    cfg, plan, units = scenario.config, scenario.plan, scenario.responders
    cons, tb = cfg.policy.consolidation, cfg.policy.time_bank
    f = plan.county.facilities
    srep, status = stack(per_rep, "facility_status")
    years = years_of(scenario.horizon_days)
    canteen_days = open_days_by_year(srep, status, "canteen", n, years, scenario.horizon_days)
    point_days = open_days_by_year(srep, status, "service_point", n, years, scenario.horizon_days,
                                   only=status["subsidised"])
    lines = budget_lines(
        n, scenario.months, scenario.horizon_days, homes_yearly=stack(per_rep, "homes_yearly"),
        meals=stack(per_rep, "meals"), allowances=stack(per_rep, "allowances"),
        timebank_monthly=stack(per_rep, "timebank_monthly") if tb.enabled else None,
        unit_wage=units.wage, unit_type=units.kind, type_names=names,
        canteen_days=canteen_days, n_service_points=len(f.of_kind("service_point")),
        home_costs=plan.services.beds.costs, meal_costs=plan.services.meals.costs,
        budget=plan.services.budget, new_bed_yuan=cons.new_bed_yuan if cons.enabled else 0.0,
        nursing_conversion_yuan=cons.nursing_conversion_yuan if cons.enabled else 0.0,
        platform=cfg.policy.emergency.enabled, goods_yuan=tb.goods_yuan_per_hour,
        backstop_yuan=tb.backstop_yuan_per_hour, adaptations=stack(per_rep, "adaptations"),
        adaptation_yuan=cfg.policy.adaptation.cost_yuan_per_home if cfg.policy.adaptation.enabled else 0.0,
        subsidised_point_days=point_days, point_subsidy_yuan=cfg.policy.operating.subsidy_yuan_per_point_year,
        **dated_costs(scenario, srep, status, n, years))
    brep, beds = stack(per_rep, "beds")
    resident = np.isin(beds["kind"], (BED_START, BED_ADMITTED, BED_TRANSFERRED))
    jrep, jobs = stack(per_rep, "helper_jobs")
    crep, calls = stack(per_rep, "emergency")
    served = elders_served(n, (brep[resident], beds["elder"][resident]), (jrep, jobs["elder"]),
                           (crep, calls["elder"]))
    drep, done = stack(per_rep, "adaptations")
    places = facility_kpis(srep, status, n, scenario.horizon_days, years)
    return {**budget_kpis(lines, served), **places,
            **meal_eligible_kpis(*stack(per_rep, "meal_eligible"), n, places["canteens_open_end"]),
            "adaptation_homes": np.bincount(drep, weights=done["homes"], minlength=n),
            **phone_visits(jrep, jobs, n)}


def dated_costs(scenario: Scenario, srep: np.ndarray, status: np.ndarray, n: int, years: int) -> dict:
    """Budget inputs of facilities that open on a date: the pay of helpers based at them (from their
    opening), the regional centres' construction (in their opening year) and operating subsidies, and the
    new village points' construction (in the year built) and operating subsidy (from their opening)."""
    plan, units, out = scenario.plan, scenario.responders, {}
    if units.facility is not None and (units.facility >= 0).any():
        out["unit_months"] = unit_paid_months(srep, status, units.facility, n, scenario.months, years,
                                              MONTH_DAYS)
    c = plan.centres
    if c is not None:
        rc = scenario.config.policy.regional_centres
        opened = c.days < scenario.horizon_days
        year = np.minimum((c.days[opened] // YEAR_DAYS).astype(np.int64), years - 1)
        out["centre_build"] = np.bincount(year, weights=c.build_yuan[opened], minlength=years)
        out["centre_homes"] = plan.centre_homes
        out["centre_operating_yuan"] = rc.operating_yuan_per_resident_month
    p = plan.points
    if p is not None:
        vp = scenario.config.policy.village_points
        built = p.days < scenario.horizon_days
        year = np.minimum((p.days[built] // YEAR_DAYS).astype(np.int64), years - 1)
        out["point_build"] = np.bincount(year, minlength=years) * vp.build_yuan_per_point
        out["point_days"] = open_days_by_year(srep, status, "service_point", n, years, scenario.horizon_days,
                                              only=np.isin(status["facility"], p.points))
        out["point_operating_yuan"] = vp.operating_yuan_per_point_year
    return out


def concat_rows(rows: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """KPI rows of single replications (in order) as the columns of all of them."""
    if not rows:
        return {}
    return {k: np.concatenate([np.asarray(r[k]) for r in rows]) for k in rows[0]}
