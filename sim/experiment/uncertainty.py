"""Second-order Monte Carlo: one parameter set per replication (``run.uncertainty=true``).

Replication ``r`` draws each uncertain parameter (``configs/uncertainty/``) from its own named
stream ``uncertainty.<path>`` of ``SeedSequence(seed, spawn_key=(r, key(name)))`` (`sim.streams`):
one uniform number, turned into the parameter's value by its quantile function.  So the draw
depends on the seed, the replication and the parameter only: the same replication draws the same
set in every scenario (common random numbers hold), adding a parameter shifts no other, and the
draws are the same for any number of workers.  The replication then runs on the scenario rebuilt
from the config with the drawn values; its draws are written to ``parameters.csv``.
"""

from __future__ import annotations

import typing

import numpy as np

from sim.config.schema import SimConfig
from sim.config.uncertainty import UncertainParameter, with_values
from sim.experiment.scenario import Scenario, build_scenario
from sim.streams import Streams

if typing.TYPE_CHECKING:
    import pandas as pd

STREAM_PREFIX = "uncertainty."


def uniforms(seed: int, replication: int, paths: list[str]) -> np.ndarray:
    """One uniform number in [0, 1) per parameter path, each from its own named stream."""
    streams = Streams(seed, replication)
    return np.array([streams(STREAM_PREFIX + path).random() for path in paths])


def draw(parameters: list[UncertainParameter], seed: int, replication: int) -> dict[str, float]:
    """The parameter set of replication ``replication``: path -> value."""
    u = uniforms(seed, replication, [p.path for p in parameters])
    return {p.path: p.quantile(float(x)) for p, x in zip(parameters, u, strict=True)}


def replication_config(cfg: SimConfig, replication: int) -> SimConfig:
    """``cfg`` with replication ``replication``'s parameter draw applied (``cfg`` if uncertainty
    is off)."""
    if not cfg.run.uncertainty:
        return cfg
    params = cfg.uncertainty.parameters
    return with_values(cfg, draw(params, cfg.run.seed, replication), params)


def replication_scenario(scenario: Scenario, replication: int) -> Scenario:
    """The scenario replication ``replication`` runs on: rebuilt with its draw when uncertainty
    is on, else the scenario itself."""
    if not scenario.config.run.uncertainty:
        return scenario
    return build_scenario(replication_config(scenario.config, replication))


def parameter_table(cfg: SimConfig, replications: list[int]) -> pd.DataFrame:
    """One row per replication: its index and the value drawn for every uncertain parameter."""
    import pandas as pd  # here, not at module level: workers import this module and must not load pandas
    params = cfg.uncertainty.parameters
    rows = [draw(params, cfg.run.seed, r) for r in replications]
    return pd.DataFrame({"replication": np.asarray(replications, dtype=np.int64),
                         **{p.path: np.array([row[p.path] for row in rows], dtype=float)
                            for p in params}})


def inert(cfg: SimConfig, path: str) -> bool:
    """True when a parameter cannot change this scenario: it belongs to a policy that is off."""
    parts = path.split(".")
    if parts[0] != "policy" or len(parts) < 2:
        return False
    section = getattr(cfg.policy, parts[1].split("[")[0], None)
    return section is not None and not getattr(section, "enabled", True)
