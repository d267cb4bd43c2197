"""Emergency KPIs for all replications at once, from the call records.

Only true emergencies (falls, illnesses) that were called before the horizon
count as calls; false alarms are counted apart.  A call not yet reached at the
horizon counts as *not* within target; response-time quantiles are over calls
reached.  Per-township breakdowns use the same kernels with a combined
(replication, township) group.
"""

from __future__ import annotations

import numpy as np

from sim.kernels.grouped import grouped_quantile, grouped_share
from sim.model.emergency import ANSWERED, NOT_CALLED, QUEUED
from sim.model.emergency_calls import FALSE_ALARM


def _true_calls(calls: np.ndarray) -> np.ndarray:
    return (calls["kind"] != FALSE_ALARM) & (calls["status"] != NOT_CALLED)


def emergency_kpis(rep: np.ndarray, calls: np.ndarray, n: int, target_min: float) -> dict[str, np.ndarray]:
    """KPIs per replication (DESIGN §8 names)."""
    true = _true_calls(calls)
    r, c = rep[true], calls[true]
    reached = np.isin(c["status"], (ANSWERED, QUEUED))
    response = np.where(reached, c["response_min"], np.nan)
    help_ = np.where(reached, c["help_min"], np.nan)
    false = (calls["kind"] == FALSE_ALARM) & (calls["status"] != NOT_CALLED)
    return {
        "emergency_calls": np.bincount(r, minlength=n).astype(np.int64),
        "emergency_within_target_share": grouped_share(r, reached & (response <= target_min), n),
        "emergency_response_p50_min": grouped_quantile(r, response, 0.5, n),
        "emergency_response_p90_min": grouped_quantile(r, response, 0.9, n),
        "emergency_help_within_target_share": grouped_share(r, reached & (help_ <= target_min), n),
        "emergency_help_p50_min": grouped_quantile(r, help_, 0.5, n),
        "emergency_queued_share": grouped_share(r, c["status"] == QUEUED, n),
        "emergency_unreached_end": np.bincount(r[~reached], minlength=n).astype(np.int64),
        "emergency_device_used_share": grouped_share(r, c["device_used"], n),
        "emergency_escalated": np.bincount(r[c["escalate"]], minlength=n).astype(np.int64),
        "emergency_false_alarms": np.bincount(rep[false], minlength=n).astype(np.int64),
    }


def emergency_by_township(rep: np.ndarray, calls: np.ndarray, n: int, n_townships: int,
                          target_min: float) -> dict[str, np.ndarray]:
    """Calls, within-target share and p90 per (replication, township), flattened rep-major."""
    true = _true_calls(calls)
    c = calls[true]
    g = rep[true].astype(np.int64) * n_townships + c["township"]
    size = n * n_townships
    reached = np.isin(c["status"], (ANSWERED, QUEUED))
    response = np.where(reached, c["response_min"], np.nan)
    return {
        "replication": np.repeat(np.arange(n), n_townships),
        "township": np.tile(np.arange(n_townships), n),
        "calls": np.bincount(g, minlength=size).astype(np.int64),
        "within_target_share": grouped_share(g, reached & (response <= target_min), size),
        "response_p50_min": grouped_quantile(g, response, 0.5, size),
        "response_p90_min": grouped_quantile(g, response, 0.9, size),
    }


def responder_utilisation(rep: np.ndarray, units: np.ndarray, n: int, n_kinds: int,
                          horizon_min: float, column: str = "busy_minutes") -> np.ndarray:
    """(n, n_kinds) share of the horizon each helper type spent busy on emergencies
    (``busy_minutes``) or on visits (``visit_minutes``)."""
    g = rep.astype(np.int64) * n_kinds + units["kind"]
    busy = np.bincount(g, weights=units[column], minlength=n * n_kinds)
    count = np.bincount(g, minlength=n * n_kinds)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (busy / (count * horizon_min)).reshape(n, n_kinds)
