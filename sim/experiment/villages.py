"""Villages across replications: each village's outcomes with intervals, and who is left out.

The workers write one row per village and replication (event table ``villages``,
`sim.kernels.villages`); here they become

* `village_summary`: one row per village — names, township, terrain, position, remoteness
  (car minutes to the township seat and its quintile, 1 = nearest) and, per outcome, the
  mean over replications with a 95% t-interval (``<col>``, ``<col>_ci_low``,
  ``<col>_ci_high``; a share's mean is over the replications in which the village had
  demand);
* `left_out`: the villages whose share stays under the threshold of ``report.left_out`` in
  at least ``persistence`` of the replications (among those in which the village had demand),
  per service: ``emergency`` (calls reached within the target), ``visits`` (monthly visiting
  rate), ``meals`` (lunch wishes served on open days).

Both are written beside a run's results as ``villages.csv`` and ``left_out.csv``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.schema import LeftOutConfig
from sim.kernels.stats import t_interval

ID_COLUMNS = ("village", "village_id", "name", "township", "township_name", "terrain", "remoteness_min",
              "remoteness_quintile")
OUTCOMES = ("calls", "calls_within_target", "within_target_share", "response_p50_min", "visits_required",
            "visits_counted", "visits_on_time", "visit_rate", "meals_demanded", "meals_served",
            "meals_unmet", "meals_demanded_open_days", "meals_served_open_share", "meals_unmet_share",
            "homecare_hours_needed", "homecare_hours_delivered", "homecare_hours_unmet",
            "homecare_unmet_share", "bed_car_min")
# service -> the village share it is judged by (higher is better)
SERVICE_SHARES = {"emergency": "within_target_share", "visits": "visit_rate",
                  "meals": "meals_served_open_share"}
LEFT_OUT_COLUMNS = ("service", "village_id", "name", "township", "share", "share_ci_low", "share_ci_high",
                    "threshold", "replications_under_share", "replications")


def _matrix(frame: pd.DataFrame, column: str, n_villages: int) -> np.ndarray:
    """(replications x villages) values of one column."""
    reps = frame["replication"].to_numpy()
    _, row = np.unique(reps, return_inverse=True)
    out = np.full((row.max() + 1 if len(row) else 0, n_villages), np.nan)
    out[row, frame["village"].to_numpy()] = frame[column].to_numpy(float)
    return out


def _ids(frame: pd.DataFrame, positions: pd.DataFrame | None) -> pd.DataFrame:
    first = frame[frame["replication"] == frame["replication"].min()]
    ids = first[[c for c in ID_COLUMNS if c in first]].sort_values("village").reset_index(drop=True)
    ids["terrain"] = ids["terrain"].astype(str)
    if positions is not None and {"village_id", "x_km", "y_km"} <= set(positions):
        ids = ids.merge(positions[["village_id", "x_km", "y_km"]], on="village_id", how="left")
    return ids


def village_summary(frame: pd.DataFrame, positions: pd.DataFrame | None = None,
                    confidence: float = 0.95) -> pd.DataFrame:
    """One row per village: identity, position (from ``positions``, the county's villages) and each
    outcome's mean and t-interval over replications."""
    ids = _ids(frame, positions)
    n_v = len(ids)
    cols = {"replications": np.full(n_v, frame["replication"].nunique())}
    for name in (c for c in OUTCOMES if c in frame):
        s = t_interval(_matrix(frame, name, n_v), confidence)
        cols[name], cols[f"{name}_ci_low"], cols[f"{name}_ci_high"] = s["mean"], s["ci_low"], s["ci_high"]
    return pd.concat([ids, pd.DataFrame(cols)], axis=1)


def left_out(frame: pd.DataFrame, rules: LeftOutConfig, confidence: float = 0.95) -> pd.DataFrame:
    """The villages under each service's threshold in at least ``rules.persistence`` of the
    replications in which they had demand (columns `LEFT_OUT_COLUMNS`), worst share first."""
    ids = _ids(frame, None)
    n_v = len(ids)
    parts = []
    for service, column in SERVICE_SHARES.items():
        if column not in frame:
            continue
        x = _matrix(frame, column, n_v)
        threshold = float(getattr(rules, service))
        defined = (~np.isnan(x)).sum(axis=0)
        under = np.where(np.isnan(x), False, x < threshold).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(defined > 0, under / np.maximum(defined, 1), np.nan)
        keep = (defined > 0) & (frac >= rules.persistence - 1e-12)
        s = t_interval(x, confidence)
        parts.append(pd.DataFrame({
            "service": service, "village_id": ids["village_id"].to_numpy()[keep],
            "name": ids["name"].to_numpy()[keep], "township": ids["township_name"].to_numpy()[keep],
            "share": s["mean"][keep],
            "share_ci_low": s["ci_low"][keep], "share_ci_high": s["ci_high"][keep],
            "threshold": threshold, "replications_under_share": frac[keep],
            "replications": defined[keep]}))
    if not parts:
        return pd.DataFrame(columns=list(LEFT_OUT_COLUMNS))
    out = pd.concat(parts, ignore_index=True)
    order = {s: k for k, s in enumerate(SERVICE_SHARES)}
    return (out.assign(_o=out["service"].map(order)).sort_values(["_o", "share", "village_id"], kind="stable")
            .drop(columns="_o").reset_index(drop=True)[list(LEFT_OUT_COLUMNS)])


def write_village_files(frame: pd.DataFrame, directory: str | Path, rules: LeftOutConfig,
                        positions: pd.DataFrame | None = None) -> dict[str, Path]:
    """``villages.csv`` and ``left_out.csv`` in ``directory`` (UTF-8 with BOM, for Excel)."""
    d = Path(directory)
    paths = {"villages": d / "villages.csv", "left_out": d / "left_out.csv"}
    for key, table in (("villages", village_summary(frame, positions)), ("left_out", left_out(frame, rules))):
        tmp = paths[key].with_name(f".{paths[key].name}.tmp")
        table.to_csv(tmp, index=False, encoding="utf-8-sig")
        tmp.replace(paths[key])
    return paths


__all__ = ["LEFT_OUT_COLUMNS", "OUTCOMES", "SERVICE_SHARES", "left_out", "village_summary",
           "write_village_files"]
