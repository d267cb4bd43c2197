"""From the record arrays of all replications to tables: runs, summary, events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiment.scenario import Scenario
from sim.kernels import population_kpis, t_interval
from sim.kernels.beds import bed_kpis, occupancy_windows
from sim.kernels.costs import budget_kpis, budget_lines, elders_served, years_of
from sim.kernels.emergency import emergency_by_township, emergency_kpis, responder_utilisation
from sim.kernels.facilities import facility_kpis, open_days_by_year
from sim.kernels.services import (
    by_township,
    helper_utilisation,
    homecare_kpis,
    meal_eligible_kpis,
    meal_kpis,
    service_costs,
)
from sim.kernels.stats import prob_meeting, quantiles
from sim.kernels.timebank import timebank_kpis
from sim.kernels.visits import phone_visits, visit_kpis
from sim.model.beds import ADMITTED as BED_ADMITTED
from sim.model.beds import EVENT_KINDS as BED_EVENTS
from sim.model.beds import FREED_USES
from sim.model.beds import START as BED_START
from sim.model.beds import TRANSFERRED as BED_TRANSFERRED
from sim.model.emergency import STATUSES
from sim.model.emergency_calls import CALL_KINDS
from sim.model.helpers import JOB_TASKS
from sim.model.visits import MISSED, ON_TIME
from sim.model.visits import OUTCOMES as VISIT_OUTCOMES
from sim.policy.consolidation import home_facilities
from sim.population.demography import ADL_STATES, MONTH_DAYS
from sim.population.dynamics import EVENT_KINDS
from sim.population.elders import LIVING
from sim.world.county import FACILITY_KINDS

SUMMARY_COLUMNS = ("kpi", "n", "mean", "sd", "ci_low", "ci_high")


def _labels(scenario: Scenario) -> dict[str, dict[str, tuple[str, ...]]]:
    """Category labels of coded columns, per record table."""
    return {
        "population": {"kind": EVENT_KINDS, "adl_from": ADL_STATES, "adl_to": ADL_STATES},
        "emergency": {"kind": CALL_KINDS, "status": STATUSES, "living": LIVING, "adl": ADL_STATES,
                      "responder_type": scenario.responders.names},
        "responders": {"kind": scenario.responders.names},
        "beds": {"kind": BED_EVENTS},
        "facility_changes": {"becomes": FREED_USES},
        "facility_status": {"kind": FACILITY_KINDS},
        "visits": {"outcome": VISIT_OUTCOMES},
        "helper_jobs": {"task": JOB_TASKS},
    }


def stack(per_rep: list[dict[str, np.ndarray]], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate one record table over replications, with the parallel replication index."""
    arrays = [r[name] for r in per_rep]
    rep = np.repeat(np.arange(len(arrays)), [len(a) for a in arrays])
    return rep, np.concatenate(arrays)


def runs_frame(scenario: Scenario, replications: list[int],
               per_rep: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One row per replication: replication, seed and every KPI."""
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
        services_cost["timebank_backstop_cost_yuan"] = bank.pop("timebank_backstop_cost_yuan")
        services_cost["timebank_goods_cost_yuan"] = bank.pop("timebank_goods_cost_yuan")
    budget = scenario_budget(scenario, per_rep, n, names)
    services_cost["canteen_cost_yuan"] = budget["budget_canteen_subsidies_yuan"]   # open canteen-days
    with np.errstate(invalid="ignore", divide="ignore"):
        costs = {**services_cost, **budget,
                 "cost_per_elder_yuan": budget["cost_total_yuan"] / population["person_years"]}
    utilisation = helper_utilisation(urep, units, n, len(names))
    return pd.DataFrame({
        "replication": np.asarray(replications, dtype=np.int64),
        "seed": np.full(n, scenario.config.run.seed, dtype=np.int64),
        **population,
        **emergency_kpis(crep, calls, n, target),
        **beds,
        **visit_kpis(vrep, visits, n),
        **meals,
        **homecare_kpis(*stack(per_rep, "homecare"), n),
        **bank,
        **costs,
        **{f"responder_busy_share_{name}": busy[:, k] for k, name in enumerate(names)
           if scenario.responders.emergency[scenario.responders.kind == k].any()},
        **{f"helper_visit_share_{name}": visiting[:, k] for k, name in enumerate(names)
           if (scenario.responders.visit_hours[scenario.responders.kind == k] > 0).any()},
        **{f"helper_utilisation_{name}": utilisation[:, k] for k, name in enumerate(names)},
    })


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
        subsidised_point_days=point_days, point_subsidy_yuan=cfg.policy.operating.subsidy_yuan_per_point_year)
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


def township_frame(scenario: Scenario, replications: list[int],
                   per_rep: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """Emergency outcomes per replication and township, so planners see who is left out."""
    crep, calls = stack(per_rep, "emergency")
    townships = scenario.county.townships
    t = emergency_by_township(crep, calls, len(per_rep), len(townships),
                              scenario.plan.services.emergency.target_minutes)
    frame = pd.DataFrame(t)
    frame["replication"] = np.asarray(replications, dtype=np.int64)[frame["replication"]]
    frame.insert(2, "township_name", townships[frame["township"]].astype(str))
    return frame


def services_township_frame(scenario: Scenario, replications: list[int],
                            per_rep: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """Meals, home care and visits per replication and township: who is left out."""
    n, county = len(per_rep), scenario.county
    townships, township = county.townships, county.villages.township
    mrep, meals = stack(per_rep, "meals")
    hrep, weeks = stack(per_rep, "homecare")
    vrep, visits = stack(per_rep, "visits")
    done = visits["outcome"] == ON_TIME
    counted = done | (visits["outcome"] == MISSED)
    parts = [
        by_township(mrep, meals["village"], township, n, len(townships), meals_demanded=meals["demanded"],
                    meals_served=meals["dine_in"] + meals["delivered"]),
        by_township(hrep, weeks["village"], township, n, len(townships),
                    homecare_hours_needed=weeks["hours_needed"],
                    homecare_hours_delivered=weeks["hours_delivered"]),
        by_township(vrep, visits["village"], township, n, len(townships),
                    visits_counted=counted.astype(float), visits_on_time=done.astype(float)),
    ]
    frame = pd.DataFrame({**parts[0], **parts[1], **parts[2]})
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["meals_unmet_share"] = 1 - frame["meals_served"] / frame["meals_demanded"]
        frame["homecare_delivered_share"] = frame["homecare_hours_delivered"] / frame["homecare_hours_needed"]
        frame["visit_rate_monthly"] = frame["visits_on_time"] / frame["visits_counted"]
    frame["replication"] = np.asarray(replications, dtype=np.int64)[frame["replication"]]
    frame.insert(2, "township_name", townships[frame["township"]].astype(str))
    return frame


def summary_frame(runs: pd.DataFrame, targets=(), confidence: float = 0.95) -> pd.DataFrame:
    """Per KPI: mean, sd, t-interval, 5/50/95% quantiles across runs and, for KPIs with a
    target, the share of runs meeting it (with a Wilson interval)."""
    kpis = [c for c in runs.columns if c not in ("replication", "seed")]
    x = runs[kpis].to_numpy(dtype=float)
    s = t_interval(x, confidence)
    q = quantiles(x, (0.05, 0.5, 0.95))
    frame = pd.DataFrame({"kpi": kpis, "n": s["n"], "mean": s["mean"], "sd": s["sd"],
                          "ci_low": s["ci_low"], "ci_high": s["ci_high"],
                          "q05": q[0], "q50": q[1], "q95": q[2]})
    for col in ("target", "p_meet", "p_meet_ci_low", "p_meet_ci_high"):
        frame[col] = np.nan
    frame["target"] = frame["target"].astype(object)
    for t in targets:
        if t.kpi not in kpis:
            continue
        j = kpis.index(t.kpi)
        m = prob_meeting(x[:, j], t.value, t.at_least, confidence)
        frame.loc[j, ["p_meet", "p_meet_ci_low", "p_meet_ci_high"]] = (m["p"][0], m["ci_low"][0],
                                                                       m["ci_high"][0])
        frame.at[j, "target"] = f"{'>=' if t.at_least else '<='} {t.value:g}"
    return frame


def event_frames(scenario: Scenario, replications: list[int],
                 per_rep: list[dict[str, np.ndarray]]) -> dict[str, pd.DataFrame]:
    """Every record table as a DataFrame with a leading ``replication`` column."""
    frames = {}
    ids = np.asarray(replications, dtype=np.int64)
    labels = _labels(scenario)
    for name in per_rep[0]:
        rep, arr = stack(per_rep, name)
        df = pd.DataFrame(arr)
        for col, cats in labels.get(name, {}).items():
            if col in df.columns:
                df[col] = pd.Categorical.from_codes(df[col].to_numpy().astype(np.int64),
                                                    categories=list(cats))
        df.insert(0, "replication", ids[rep])
        frames[name] = df
    frames["emergency_township"] = township_frame(scenario, replications, per_rep)
    frames["services_township"] = services_township_frame(scenario, replications, per_rep)
    homes = home_facilities(scenario.plan.county)
    f = scenario.plan.county.facilities
    frames["homes"].insert(2, "name", f.name[homes][frames["homes"]["home"]].astype(str))
    frames["homes"].insert(3, "village_id",
                           scenario.plan.county.villages.village_id[f.village[homes]][frames["homes"]["home"]]
                           .astype(str))
    return frames


__all__ = ["MONTH_DAYS", "SUMMARY_COLUMNS", "event_frames", "runs_frame", "stack", "summary_frame",
           "township_frame"]
