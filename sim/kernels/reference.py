"""Analytic references the validation tests compare simulations with.

Erlang B (loss) and Erlang C (delay) for c identical servers with Poisson
arrivals at rate ``lam`` and exponential service at rate ``mu`` per server.
"""

from __future__ import annotations

import numpy as np


def erlang_b(c: int, offered: float) -> float:
    """Blocking probability of M/M/c/c with offered load ``offered = lam / mu`` (stable recursion)."""
    b = 1.0
    for k in range(1, c + 1):
        b = offered * b / (k + offered * b)
    return b


def erlang_c(c: int, offered: float) -> float:
    """Probability an arrival waits in M/M/c (requires offered < c)."""
    if offered >= c:
        return 1.0
    b = erlang_b(c, offered)
    return c * b / (c - offered * (1 - b))


def mmc_mean_wait(c: int, lam: float, mu: float) -> float:
    """Mean time in queue of M/M/c."""
    return erlang_c(c, lam / mu) / (c * mu - lam)


def mmc_wait_exceeds(c: int, lam: float, mu: float, t: float | np.ndarray) -> float | np.ndarray:
    """P(wait > t) in M/M/c."""
    return erlang_c(c, lam / mu) * np.exp(-(c * mu - lam) * np.asarray(t))
