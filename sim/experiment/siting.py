"""Siting 选址: stations proposed by coverage models, then checked by the simulator.

For ambulance posts (急救站点) the demand is each village's expected emergencies (its elders by age
band times ``services.emergency.age_mult``), the matrix the county's car minutes, the radius the
response target (15 minutes, policy-docs/001 §(三)6), and the sites standing today the villages
of the 120 station, the township health centres (their 24-hour car teams) and any ambulance
post.  For canteens (老年食堂) the demand is each village's elders 60+, the matrix walking minutes
and the radius ``services.meals.walk_threshold_min``; the sites standing are today's canteens.
MCLP adds a given number of sites, LSCP the fewest that cover every village some candidate can
reach (`sim.experiment.coverage`); every village is a candidate.

Each proposal becomes overrides of ``policy.stations`` (`sim.policy.stations`) on the scenario,
so the proposed network is an ordinary run: the simulator then counts what the coverage model
cannot (queueing, shifts, crews away on a transport or on another task, dispatch and door-to-
bedside minutes, seats and kitchens).  ``siting_table`` sets what each model promised beside the
simulated share with its 95% interval and the paired difference from today's network (common
random numbers).  Orchestration only: the model and the solver live below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.config.schema import SimConfig
from sim.experiment import coverage
from sim.experiment.app import compose
from sim.experiment.execute import execute
from sim.kernels.stats import paired_difference, t_interval
from sim.world import County, build_county, county_config, explicit_fields

SERVICES = ("emergency", "meals")
STANDING_KINDS = {"emergency": ("ems_station", "health_centre", "ems_post"), "meals": ("canteen",)}
OVERRIDE_KEY = {"emergency": "ambulance_posts", "meals": "canteens"}
# what the simulator says beside each promise: (KPI, higher is better)
SIMULATED = {
    "emergency": ["emergency_within_target_share", "emergency_help_within_target_share",
                  "emergency_response_p90_min", "emergency_queued_share"],
    "meals": ["meals_served_open_days_share", "meals_unmet_no_service_share", "meals_unmet_full_share"],
}
HEADLINE = {"emergency": "emergency_within_target_share", "meals": "meals_served_open_days_share"}


@dataclass(frozen=True)
class Proposal:
    """One network: the sites a model adds for a service, what it promises, and its overrides."""

    name: str                 # today | emergency_mclp | emergency_lscp | meals_mclp | meals_lscp
    service: str              # emergency | meals | "" (today)
    model: str                # today | mclp | lscp
    villages: tuple[str, ...]  # ids of the villages where a site is added
    village_names: tuple[str, ...]
    sites_total: int          # standing + added
    promised: dict            # service -> demand-weighted share within the radius
    promised_net: dict        # emergency: within the radius less the mean call-to-wheels minutes
    uncoverable: int          # villages no candidate reaches within the radius
    overrides: tuple[str, ...]


def emergency_radius(cfg: SimConfig) -> float:
    em = cfg.policy.emergency
    return float(em.target_minutes if em.enabled else cfg.services.emergency.target_minutes)


def overhead_minutes(cfg: SimConfig) -> float:
    """Mean minutes a call spends outside the car: triage, dispatch, door to bedside."""
    e = cfg.services.emergency
    return float(e.handling.mean + e.dispatch.mean + e.access.mean)


def problem(county: County, cfg: SimConfig, service: str) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """(minutes demand x candidates, weights, radius, standing) of a service's coverage problem."""
    v, f = county.villages, county.facilities
    standing = np.zeros(len(v), dtype=bool)
    standing[f.village[f.of_kind(*STANDING_KINDS[service])]] = True
    if service == "emergency":
        weights = v.elders @ np.asarray(cfg.services.emergency.age_mult, dtype=float)
        return np.asarray(county.travel["car"]), weights, emergency_radius(cfg), standing
    weights = v.elders.sum(axis=1).astype(float)
    return np.asarray(county.travel["walk"]), weights, float(cfg.services.meals.walk_threshold_min), standing


def propose(cfg: SimConfig, county: County, posts: int = 3, canteens: int = 5) -> list[Proposal]:
    """Today's network and the MCLP (``posts`` / ``canteens`` new sites) and LSCP proposals of each
    service; an LSCP that adds nothing, or a model asked for 0 sites, is left out."""
    ids = [str(i) for i in county.villages.village_id]
    names = [f"{n}, {county.townships[t]}" for n, t in zip(county.villages.name, county.villages.township)]
    problems = {s: problem(county, cfg, s) for s in SERVICES}
    net = emergency_radius(cfg) - overhead_minutes(cfg)

    def promise(opened: dict[str, np.ndarray]) -> tuple[dict, dict]:
        out, out_net = {}, {}
        for s, (m, w, r, _) in problems.items():
            out[s] = coverage.weighted_share(coverage.covered_by(m, opened[s], r), w)
        m, w, _, _ = problems["emergency"]
        out_net["emergency"] = coverage.weighted_share(coverage.covered_by(m, opened["emergency"], net), w)
        return out, out_net

    standing = {s: np.flatnonzero(p[3]) for s, p in problems.items()}
    share, share_net = promise(standing)
    out = [Proposal("today", "", "today", (), (), 0, share, share_net, 0, ())]
    asked = {"emergency": posts, "meals": canteens}
    for s in SERVICES:
        m, w, r, st = problems[s]
        found = []
        if asked[s] > 0:
            found.append(coverage.mclp(m, w, r, st, min(asked[s], int((~st).sum()))))
        found.append(coverage.lscp(m, w, r, st))
        for c in found:
            if len(c.added) == 0:
                continue
            opened = dict(standing)
            opened[s] = c.opened
            share, share_net = promise(opened)
            added = tuple(ids[j] for j in c.added)
            out.append(Proposal(
                f"{s}_{c.model}", s, c.model, added, tuple(names[j] for j in c.added), len(c.opened),
                share, share_net, len(c.uncoverable),
                ("policy.stations.enabled=true", f"policy.stations.{OVERRIDE_KEY[s]}=[{','.join(added)}]")))
    return out


def simulate(overrides: list[str], proposals: list[Proposal], out: str | Path, progress=print) -> dict:
    """Run every proposal's network (the scenario of ``overrides`` plus its own) into
    ``out/networks/<name>``; the `Results` by name."""
    done = {}
    for p in proposals:
        o = [*overrides, *p.overrides]
        progress(f"siting: {p.name}: {' '.join(p.overrides) or '(today)'}")
        done[p.name] = execute(compose(o), output_dir=Path(out) / "networks" / p.name, overrides=o)
    return done


def _kpi(runs, kpi: str) -> np.ndarray:
    if kpi == "meals_served_open_days_share":
        return 1.0 - runs["meals_unmet_open_days_share"].to_numpy(float)
    return runs[kpi].to_numpy(float) if kpi in runs else np.full(len(runs), np.nan)


def siting_table(proposals: list[Proposal], results: dict, confidence: float = 0.95):
    """One row per (network, KPI): the promise of its service's model, the simulated mean with its
    t-interval, and the paired difference from today's network."""
    import pandas as pd

    base = results["today"].runs.sort_values("replication")
    rows = []
    for p in proposals:
        runs = results[p.name].runs.sort_values("replication")
        for s in SERVICES:
            for kpi in SIMULATED[s]:
                x = _kpi(runs, kpi)
                ci = t_interval(x, confidence)
                d = paired_difference(_kpi(base, kpi), x, confidence)
                rows.append({
                    "network": p.name, "service": s, "model": p.model,
                    "sited_for": p.service or "today", "villages_added": " ".join(p.villages),
                    "names_added": "; ".join(p.village_names), "sites_total": p.sites_total,
                    "promised_share": p.promised[s], "promised_share_net": p.promised_net.get(s, np.nan),
                    "kpi": kpi, "headline": kpi == HEADLINE[s], "replications": int(ci["n"][0]),
                    "mean": float(ci["mean"][0]), "ci_low": float(ci["ci_low"][0]),
                    "ci_high": float(ci["ci_high"][0]), "diff_vs_today": float(d["mean"][0]),
                    "diff_ci_low": float(d["ci_low"][0]), "diff_ci_high": float(d["ci_high"][0]),
                    "uncoverable_villages": p.uncoverable if s == p.service else 0,
                    "overrides": " ".join(f"'{o}'" for o in p.overrides)})
    return pd.DataFrame(rows)


def county_of(cfg: SimConfig, overrides: list[str]) -> County:
    """The county the scenario runs on (a loaded one named and set by its tables' county.yaml)."""
    return build_county(county_config(cfg.county, explicit_fields(overrides)))


__all__ = ["HEADLINE", "SERVICES", "SIMULATED", "Proposal", "county_of", "emergency_radius",
           "overhead_minutes", "problem", "propose", "simulate", "siting_table"]
