"""Builders for emergency-service tests: tiny worlds and hand-made call arrays."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import simpy

from sim.config import CountyConfig, TravelConfig
from sim.config.services import Dist, EmergencyConfig, HelperSpec
from sim.model.emergency import EmergencyService
from sim.model.emergency_calls import CALLS_DTYPE
from sim.model.records import Records
from sim.model.responders import build_responders, hospital_village
from sim.world import generate_county

ZERO = Dist("deterministic", 0.0)


def theory_rules(on_scene_mean: float, **changes) -> EmergencyConfig:
    """Rules reduced to queueing theory: no handling, dispatch, access or escalation."""
    return replace(EmergencyConfig(), handling=ZERO, dispatch=ZERO, access=ZERO,
                   travel_noise=Dist("deterministic", 1.0), on_scene=Dist("exponential", on_scene_mean),
                   escalate_fall=0.0, escalate_illness=0.0, **changes)


def one_village_county():
    """One village, zero travel inside it."""
    return generate_county(CountyConfig(townships=1, villages=1, service_points=0, canteens=0,
                                        travel=TravelConfig(intra_village_km=0.0)))


def poisson_calls(rng: np.random.Generator, rate_per_day: float, days: float, rules: EmergencyConfig,
                  n_villages: int = 1) -> np.ndarray:
    """Poisson call times with durations drawn from ``rules`` (like EmergencyDemand does)."""
    from sim.model.distributions import sample

    n = rng.poisson(rate_per_day * days)
    calls = np.zeros(n, dtype=CALLS_DTYPE)
    calls["call_day"] = np.sort(rng.uniform(0, days, n))
    calls["onset_day"] = calls["call_day"]
    calls["village"] = rng.integers(0, n_villages, n)
    calls["kind"] = 1
    calls["living"] = 3
    calls["elder"] = np.arange(n)
    for name, d in (("handling_min", rules.handling), ("dispatch_min", rules.dispatch),
                    ("travel_noise", rules.travel_noise), ("access_min", rules.access),
                    ("on_scene_min", rules.on_scene), ("handover_min", rules.handover)):
        calls[name] = sample(d, rng, n)
    return calls


def run_service(county, rules: EmergencyConfig, specs: list[HelperSpec], calls: np.ndarray,
                horizon_days: float):
    env = simpy.Environment()
    records = Records()
    units = build_responders(county, specs)
    service = EmergencyService(env, rules, units, county.travel["car"][:, hospital_village(county)],
                               county.villages.township, calls, records, horizon_days)
    env.run(until=horizon_days)
    service.finish()
    return records.arrays()["emergency"], service
