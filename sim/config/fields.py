"""Field helpers that attach validation constraints to dataclass fields.

A constraint lives in the field's ``metadata`` so that one generic walker
(`sim.config.validate`) can check every group and report every problem at once.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

INF = float("inf")


def ranged(default: Any, low: float = -INF, high: float = INF, *, doc: str = "") -> Any:
    """A scalar field whose value must lie in ``[low, high]``."""
    return field(default=default, metadata={"range": (low, high), "doc": doc})


def prob(default: float, *, doc: str = "") -> Any:
    """A probability or share in [0, 1]."""
    return ranged(default, 0.0, 1.0, doc=doc)


def nonneg(default: Any, *, doc: str = "") -> Any:
    """A count, capacity, rate or duration that must be >= 0."""
    return ranged(default, 0.0, INF, doc=doc)


def positive(default: Any, *, doc: str = "") -> Any:
    """A value that must be > 0 (checked as >= the smallest positive step)."""
    return field(default=default, metadata={"range": (0.0, INF), "positive": True, "doc": doc})


def choice(default: str, options: tuple[str, ...], *, doc: str = "") -> Any:
    """A string restricted to ``options``."""
    return field(default=default, metadata={"choices": options, "doc": doc})


def ranged_list(default: list[Any], low: float = -INF, high: float = INF, *, doc: str = "") -> Any:
    """A list whose every element lies in ``[low, high]``."""
    return field(default_factory=lambda: list(default), metadata={"range": (low, high), "doc": doc})


def prob_list(default: list[float], *, doc: str = "") -> Any:
    """A list of probabilities."""
    return ranged_list(default, 0.0, 1.0, doc=doc)
