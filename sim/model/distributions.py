"""Sampling of the configured distribution families, shared by every service.

Families (``sim.config.services.Dist``): exponential (mean), lognormal and
gamma (mean, sd), deterministic (mean) and empirical (equal-weight values).
Mean and sd are those of the distribution itself, not of its logarithm, so a
county can be set to theory's assumptions (exponential, deterministic) for
validation without re-deriving parameters.
"""

from __future__ import annotations

import numpy as np

from sim.config.services import Dist


def sample(d: Dist, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` independent draws from ``d`` (float64)."""
    if d.family == "deterministic" or (d.family in ("lognormal", "gamma") and d.sd == 0):
        return np.full(size, float(d.mean))
    if d.family == "exponential":
        return rng.exponential(d.mean, size) if d.mean > 0 else np.zeros(size)
    if d.family == "lognormal":
        if d.mean == 0:
            return np.zeros(size)
        sigma2 = np.log1p((d.sd / d.mean) ** 2)
        return rng.lognormal(np.log(d.mean) - sigma2 / 2, np.sqrt(sigma2), size)
    if d.family == "gamma":
        if d.mean == 0:
            return np.zeros(size)
        shape = (d.mean / d.sd) ** 2
        return rng.gamma(shape, d.mean / shape, size)
    if d.family == "empirical":
        return np.asarray(d.values, dtype=float)[rng.integers(0, len(d.values), size)]
    raise ValueError(f"unknown distribution family {d.family!r}")


def mean(d: Dist) -> float:
    """The distribution's mean (for analytic references)."""
    if d.family == "empirical":
        return float(np.mean(d.values))
    return float(d.mean)
