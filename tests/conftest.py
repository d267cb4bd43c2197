"""Shared fixtures: small configs that run in well under a second."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sim.config import CountyConfig, RunConfig, SimConfig


def small_config(**run) -> SimConfig:
    """A 12-village county (~2,900 elders) with a one-year, three-replication run that keeps
    every event table (``run.save_events=all``)."""
    county = CountyConfig(name="small", townships=3, villages=12, area_km2=100.0,
                          service_points=4, canteens=2)
    return replace(SimConfig(), county=county,
                   run=replace(RunConfig(), **{"replications": 3, "horizon_days": 365, "workers": 1,
                                                    "save_events": "all", **run}))


@pytest.fixture
def small() -> SimConfig:
    return small_config()
