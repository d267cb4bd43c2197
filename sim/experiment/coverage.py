"""Coverage models 覆盖模型: where to put stations so that most demand lies within a radius.

Two classic location models, solved by spopt (`spopt.locate`) with PuLP's CBC solver:

* MCLP, the maximal covering location problem (Church & ReVelle 1974): open ``p`` sites so that
  the demand within ``radius`` of an open site is largest;
* LSCP, the location set covering problem (Toregas et al. 1971): the fewest sites that put every
  demand point within ``radius``.

Sites already standing are kept (``predefined_facilities_arr``): the models only add.  Both see
a static network, each site always free and every trip at its matrix time, which is what the
simulator then checks: queueing, shifts, crews busy elsewhere, dispatch and door-to-bedside time.
Only orchestration around the solver lives here; the matrices come from the world.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

MODELS = ("today", "mclp", "lscp")


@dataclass(frozen=True, eq=False)
class Coverage:
    """Open sites of one model (candidate indices) and what they promise."""

    model: str              # today | mclp | lscp
    opened: np.ndarray      # every open candidate, those standing included (sorted)
    added: np.ndarray       # the open candidates that were not standing (sorted)
    covered: np.ndarray     # bool per demand point: an open site within the radius
    share: float            # demand-weighted share covered (the model's promise)
    uncoverable: np.ndarray  # demand points no candidate reaches within the radius


def covered_by(minutes: np.ndarray, opened: np.ndarray, radius: float) -> np.ndarray:
    """Which demand points (rows of ``minutes``, demand x candidates) have an open site within ``radius``."""
    if len(opened) == 0:
        return np.zeros(minutes.shape[0], dtype=bool)
    return (minutes[:, opened] <= radius).any(axis=1)


def weighted_share(covered: np.ndarray, weights: np.ndarray) -> float:
    total = float(np.sum(weights))
    return float(np.sum(weights[covered]) / total) if total > 0 else float("nan")


@contextmanager
def _quiet():
    """PuLP 3.3 warns that the API spopt 0.7 uses (LpVariable(...), PULP_CBC_CMD) goes in PuLP 4.0:
    not ours to fix, and the bundled CBC is the only solver installed."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*PuLP 4.0", category=DeprecationWarning)
        yield


def _solver():
    import pulp

    return pulp.PULP_CBC_CMD(msg=False)


def _result(model: str, minutes: np.ndarray, weights: np.ndarray, radius: float, standing: np.ndarray,
            opened: np.ndarray) -> Coverage:
    opened = np.sort(np.asarray(opened, dtype=np.int64))
    covered = covered_by(minutes, opened, radius)
    return Coverage(model=model, opened=opened, added=opened[~standing[opened]], covered=covered,
                    share=weighted_share(covered, weights),
                    uncoverable=np.flatnonzero(~(minutes <= radius).any(axis=1)))


def _open(problem) -> np.ndarray:
    values = [v.varValue for v in problem.fac_vars]
    return np.array([j for j, v in enumerate(values) if v is not None and v > 0.5], dtype=np.int64)


def _fixed(standing: np.ndarray) -> np.ndarray | None:
    return standing.astype(int) if standing.any() else None


def _check(problem, model: str) -> None:
    import pulp

    status = pulp.LpStatus[problem.problem.status]
    if status != "Optimal":
        raise RuntimeError(f"{model}: the solver ended {status}")


def today(minutes: np.ndarray, weights: np.ndarray, radius: float, standing: np.ndarray) -> Coverage:
    """What the sites standing today promise."""
    standing = np.asarray(standing, dtype=bool)
    return _result("today", minutes, weights, radius, standing, np.flatnonzero(standing))


def mclp(minutes: np.ndarray, weights: np.ndarray, radius: float, standing: np.ndarray,
         added: int) -> Coverage:
    """MCLP: the ``added`` new sites (beside those ``standing``) that cover the most demand weight."""
    from spopt.locate import MCLP

    standing = np.asarray(standing, dtype=bool)
    p = int(standing.sum()) + int(added)
    if p > minutes.shape[1]:
        raise ValueError(f"mclp: {added} new sites asked but only {minutes.shape[1] - standing.sum()} "
                         "candidates are free")
    with _quiet():
        problem = MCLP.from_cost_matrix(np.asarray(minutes, dtype=float), np.asarray(weights, dtype=float),
                                        service_radius=float(radius), p_facilities=p,
                                        predefined_facilities_arr=_fixed(standing),
                                        name="mclp").solve(_solver())
    _check(problem, "mclp")
    return _result("mclp", minutes, weights, radius, standing, _open(problem))


def lscp(minutes: np.ndarray, weights: np.ndarray, radius: float, standing: np.ndarray) -> Coverage:
    """LSCP: the fewest new sites (beside those ``standing``) that cover every demand point some
    candidate can reach within ``radius`` (those none reaches are left out and listed)."""
    from spopt.locate import LSCP

    standing = np.asarray(standing, dtype=bool)
    reachable = (minutes <= radius).any(axis=1)
    if not reachable.any():
        return today(minutes, weights, radius, standing)
    with _quiet():
        problem = LSCP.from_cost_matrix(np.asarray(minutes[reachable], dtype=float),
                                        service_radius=float(radius),
                                        predefined_facilities_arr=_fixed(standing),
                                        name="lscp").solve(_solver())
    _check(problem, "lscp")
    return _result("lscp", minutes, weights, radius, standing, _open(problem))


__all__ = ["MODELS", "Coverage", "covered_by", "lscp", "mclp", "today", "weighted_share"]
