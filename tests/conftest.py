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


# Fixtures that cost whole runs are built once per xdist worker that asks for them.  Every test
# that uses one is put in that fixture's group, and ``--dist loadgroup`` (pyproject's addopts)
# sends a group to one worker: each is built once per suite, not once per worker.  Tests with a
# module-scoped fixture of their own module stay together the same way.
SESSION_GROUPS = {
    "plain_runs": "plain_runs",        # tests/report: every policy on the plain county, two years
    "baseline": "plain_quick",         # tests/report: baseline and 15-minute policy, one year
    "emergency": "plain_quick",
    "comparison": "plain_quick",
}


@pytest.hookimpl(tryfirst=True)   # before xdist reads the marks
def pytest_collection_modifyitems(config, items):
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None or item.get_closest_marker("xdist_group"):
            continue
        group = next((g for name, g in SESSION_GROUPS.items() if name in info.name2fixturedefs
                      and info.name2fixturedefs[name][-1].baseid.startswith("tests")), None)
        module = item.getparent(pytest.Module)
        if group is None and module is not None and any(
                defs[-1].scope == "module" and defs[-1].baseid == module.nodeid
                for defs in info.name2fixturedefs.values()):
            group = module.nodeid
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
