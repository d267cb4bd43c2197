"""Sizing and selection arithmetic: penalised objectives and the Kim-Nelson procedure (pure functions).

A sizing study minimises a cost subject to KPI targets; a design that misses a target is
penalised by how far it misses, relative to the target (`penalised`).  Among the best few
designs, the fully sequential procedure KN of Kim and Nelson (2001) selects the best with
probability at least 1 - alpha whenever it is better than the others by at least the
indifference zone delta, under common random numbers: the variances it uses are those of
the paired differences (`kn_variances`).  Formulas as in

  S.-H. Kim and B. L. Nelson, "A fully sequential procedure for indifference-zone selection in
  simulation", ACM TOMACS 11(3):251-273, 2001 (procedure KN, maximisation);

cross-checked against sim-tools (T. Monks, https://github.com/TomMonks/sim-tools,
``sim_tools/ovs/indifference_zone.py`` class ``KN``), whose eta and W_il are the same; its lookup
of S^2_il in a flattened array is off for l < i, so here S^2 is a full k x k matrix.  These
functions maximise: a caller minimising passes negated values.
"""

from __future__ import annotations

import numpy as np


def relative_misses(kpis: np.ndarray, values: np.ndarray, at_least: np.ndarray) -> np.ndarray:
    """(n, m) how far each row misses each target, as a share of the target (0 when met or NaN).

    ``kpis`` (n, m) KPI values, ``values`` (m,) targets, ``at_least`` (m,) direction of each."""
    x = np.atleast_2d(np.asarray(kpis, dtype=float))
    v = np.asarray(values, dtype=float)
    short = np.where(np.asarray(at_least, dtype=bool), v - x, x - v)
    scale = np.where(np.abs(v) > 0, np.abs(v), 1.0)
    with np.errstate(invalid="ignore"):
        miss = np.where(np.isnan(short), 0.0, np.maximum(short, 0.0) / scale)
    return miss


def penalised(objective: np.ndarray, kpis: np.ndarray, values: np.ndarray, at_least: np.ndarray,
              penalty: float) -> tuple[np.ndarray, np.ndarray]:
    """(objective + penalty x summed relative misses, misses): what a sizing trial is worth."""
    miss = relative_misses(kpis, values, at_least)
    return np.asarray(objective, dtype=float) + penalty * miss.sum(axis=1), miss


def kn_constants(k: int, n0: int, alpha: float) -> tuple[float, float]:
    """(eta, h^2) of KN for ``k`` designs, ``n0`` first-stage replications and 1 - ``alpha``."""
    if k < 2 or n0 < 2 or not 0 < alpha < 1:
        raise ValueError("KN needs k >= 2 designs, n0 >= 2 and 0 < alpha < 1")
    eta = 0.5 * ((2.0 * alpha / (k - 1)) ** (-2.0 / (n0 - 1)) - 1.0)
    return eta, 2.0 * eta * (n0 - 1)


def kn_variances(first: np.ndarray) -> np.ndarray:
    """(k, k) sample variances S^2_il of the paired differences X_i - X_l over the first stage
    (``first``: n0 x k, row j = replication j of every design, common random numbers)."""
    x = np.asarray(first, dtype=float)
    diff = x[:, :, None] - x[:, None, :]
    return diff.var(axis=0, ddof=1)


def kn_last_stage(s2: np.ndarray, h2: float, delta: float) -> int:
    """The stage at which KN stops at the latest: max over i != l of floor(h^2 S^2_il / delta^2) + 1."""
    n = np.floor(h2 * s2 / delta**2)
    np.fill_diagonal(n, 0)
    return int(n.max()) + 1


def kn_screen(means: np.ndarray, s2: np.ndarray, r: int, delta: float, h2: float,
              alive: np.ndarray) -> np.ndarray:
    """The designs still in contention after stage ``r``: i stays when its mean is not below any other
    contender's by more than W_il(r) = max(0, delta / (2r) (h^2 S^2_il / delta^2 - r))."""
    w = np.maximum(0.0, delta / (2.0 * r) * (h2 * s2 / delta**2 - r))
    m = np.asarray(means, dtype=float)
    beaten = (m[:, None] < m[None, :] - w) & alive[None, :] & alive[:, None]
    np.fill_diagonal(beaten, False)
    return alive & ~beaten.any(axis=1)
