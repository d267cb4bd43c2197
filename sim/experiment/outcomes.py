"""From KPI rows to tables: runs (one row per replication) and summary (per KPI)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.experiment.kpis import concat_rows, kpi_columns
from sim.experiment.scenario import Scenario
from sim.kernels import t_interval
from sim.kernels.stats import prob_meeting, quantiles

SUMMARY_COLUMNS = ("kpi", "n", "mean", "sd", "ci_low", "ci_high")


def runs_table(scenario: Scenario, replications: list[int],
               rows: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One row per replication: replication, seed and every KPI, from each replication's KPI row."""
    return pd.DataFrame({
        "replication": np.asarray(replications, dtype=np.int64),
        "seed": np.full(len(replications), scenario.config.run.seed, dtype=np.int64),
        **concat_rows(rows),
    })


def runs_frame(scenario: Scenario, replications: list[int],
               per_rep: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One row per replication from the record arrays of all of them at once."""
    return runs_table(scenario, replications, [kpi_columns(scenario, per_rep)])


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


__all__ = ["SUMMARY_COLUMNS", "runs_frame", "runs_table", "summary_frame"]
