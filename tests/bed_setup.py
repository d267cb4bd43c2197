"""Builders for bed-service tests: hand-made homes, residents and applications."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import simpy

from sim.config.services import BedsConfig
from sim.model.bed_demand import APPLICATION_DTYPE
from sim.model.beds import BedService, HomesAtStart
from sim.model.records import Records


def homes(beds, nursing=None, staff=None, village=None, residents=()) -> HomesAtStart:
    """Homes with given beds; ``residents`` = [(elder, home, nursing, leave_day), ...]."""
    beds = np.asarray(beds, dtype=np.int64)
    n = len(beds)
    r = np.array(residents, dtype=float).reshape(-1, 4)
    return HomesAtStart(
        village=np.arange(n) if village is None else np.asarray(village),
        beds=beds, nursing_beds=np.zeros(n, np.int64) if nursing is None else np.asarray(nursing),
        staff=np.ones(n, np.int64) if staff is None else np.asarray(staff),
        resident_elder=r[:, 0].astype(np.int64), resident_home=r[:, 1].astype(np.int64),
        resident_nursing=r[:, 2].astype(bool), resident_hardship=np.zeros(len(r), bool),
        resident_leave_day=r[:, 3])


def poisson_applications(rng, rate_per_day: float, days: float, mean_stay: float,
                         first_elder: int = 0, village: int = 0) -> np.ndarray:
    n = rng.poisson(rate_per_day * days)
    apps = np.zeros(n, dtype=APPLICATION_DTYPE)
    apps["day"] = np.sort(rng.uniform(0, days, n))
    apps["elder"] = first_elder + np.arange(n)
    apps["village"] = village
    apps["death_day"] = np.inf
    apps["discharge_after_days"] = rng.exponential(mean_stay, n)
    return apps


def run_beds(h: HomesAtStart, apps: np.ndarray, horizon: float, rules: BedsConfig | None = None,
             plan=None, minutes=None, n_elders: int | None = None, elder_village=None):
    rules = rules or BedsConfig()
    n_v = int(max(h.village.max(), apps["village"].max() if len(apps) else 0)) + 1
    minutes = np.abs(np.subtract.outer(np.arange(n_v), np.arange(n_v))) * 10.0 if minutes is None \
        else minutes
    n_elders = n_elders or int(max(apps["elder"].max() + 1 if len(apps) else 0,
                                   h.resident_elder.max() + 1 if len(h.resident_elder) else 0))
    ev = np.zeros(n_elders, np.int64) if elder_village is None else elder_village
    env = simpy.Environment()
    records = Records()
    service = BedService(env, rules, h, minutes, minutes / 2, apps, ev, records, horizon, plan=plan,
                         sample_every_days=1.0)
    env.run(until=horizon)
    service.finish()
    return records.arrays(), service


def fifo_rules(**kw) -> BedsConfig:
    return replace(BedsConfig(), waitlist="fifo", **kw)
