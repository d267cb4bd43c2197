"""From the record arrays of all replications to tables: runs, summary, events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiment.scenario import Scenario
from sim.kernels import population_kpis, t_interval
from sim.population.demography import ADL_STATES
from sim.population.dynamics import EVENT_KINDS

SUMMARY_COLUMNS = ("kpi", "n", "mean", "sd", "ci_low", "ci_high")
_CATEGORIES = {"kind": EVENT_KINDS, "adl_from": ADL_STATES, "adl_to": ADL_STATES}


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
    kpis = population_kpis(rep, events, mrep, monthly, n)
    return pd.DataFrame({"replication": np.asarray(replications, dtype=np.int64),
                         "seed": np.full(n, scenario.config.run.seed, dtype=np.int64), **kpis})


def summary_frame(runs: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Mean, sd and t-interval of every KPI column of ``runs``."""
    kpis = [c for c in runs.columns if c not in ("replication", "seed")]
    s = t_interval(runs[kpis].to_numpy(dtype=float), confidence)
    return pd.DataFrame({"kpi": kpis, "n": s["n"], "mean": s["mean"], "sd": s["sd"],
                         "ci_low": s["ci_low"], "ci_high": s["ci_high"]})


def event_frames(replications: list[int], per_rep: list[dict[str, np.ndarray]]) -> dict[str, pd.DataFrame]:
    """Every record table as a DataFrame with a leading ``replication`` column."""
    frames = {}
    ids = np.asarray(replications, dtype=np.int64)
    for name in per_rep[0]:
        rep, arr = stack(per_rep, name)
        df = pd.DataFrame(arr)
        for col, labels in _CATEGORIES.items():
            if col in df.columns:
                df[col] = pd.Categorical.from_codes(df[col].to_numpy(), categories=list(labels))
        df.insert(0, "replication", ids[rep])
        frames[name] = df
    return frames
