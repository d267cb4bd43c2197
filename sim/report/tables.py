"""Summary tables computed from finished results (pandas, for charts and briefings)."""

from __future__ import annotations

import pandas as pd

from sim.report.intervals import bounded_interval


def township_summary(townships: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per township: mean and bounded interval (logit scale) of the within-target share across
    replications."""
    rows = []
    wide = townships.pivot(index="replication", columns="township", values="within_target_share")
    s = bounded_interval(wide.to_numpy(dtype=float), True, confidence)
    names = townships.drop_duplicates("township").set_index("township")["township_name"]
    calls = townships.groupby("township")["calls"].mean()
    p90 = townships.groupby("township")["response_p90_min"].mean()
    for j, t in enumerate(wide.columns):
        rows.append({"township": int(t), "township_name": names[t], "calls_mean": calls[t],
                     "within_target_share": s["mean"][j], "ci_low": s["ci_low"][j],
                     "ci_high": s["ci_high"][j], "response_p90_min_mean": p90[t]})
    return pd.DataFrame(rows).sort_values("within_target_share").reset_index(drop=True)
