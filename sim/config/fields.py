"""Field helpers that attach validation constraints to dataclass fields.

A constraint lives in the field's ``metadata`` so that one generic walker
(`sim.config.validate`) can check every group and report every problem at once.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from sim.config.defaults import YAML

INF = float("inf")

# Plausibility limits: finite upper bounds for fields CALIBRATION.md gives no range for.  Each lies
# far outside every figure it cites, so only a typo or a unit slip reaches it; every numeric field
# has one (a test checks), and no value may be inf or nan.
PER_YEAR_MAX = 5.0         # events per person-year; calibrated 0.02-0.06 (CALIBRATION §4 [A])
MULT_MAX = 20.0            # relative risks and multipliers; published 1.5-3 (CALIBRATION §2, §3, §4)
MINUTES_MAX = 7 * 1440.0   # any duration in minutes: one week (detection of a solitary fall ~4 h, §4 [A])
WEEK_HOURS = 168.0         # hours in a week
MONTH_HOURS = 744.0        # hours in a 31-day month
DAYS_MAX = 36_500          # 100 years: the longest horizon (run.horizon_days)
TOWNSHIPS_MAX = 1_000      # ~16 per county (CALIBRATION §1 [D]); bench_scale's 500k-elder county has ~200
VILLAGES_MAX = 10_000      # ~250 per county (§1 [A]); bench_scale's 500k-elder county has ~2,100
RESIDENTS_MAX = 20_000     # residents per village: 300-3,000 (§1 [D])
BEDS_MAX = 5_000           # beds of one home: ~105 on average (§5 [D])
STAFF_MAX = 2_000          # staff of one home (1 per 3-10 residents, §5 [M])
HELPERS_PER_BASE_MAX = 1_000   # helpers of one kind at one base
SEATS_MAX = 2_000          # canteen seats: 30-50 (§6 [A]), 100 in the Hubei example [S]
MEALS_PER_DAY_MAX = 10_000  # lunches one kitchen makes a day: 20-60 (§6 [A])
YUAN_MAX = 1e10            # any amount of yuan (a county's whole yearly budget is far below)
KMH_MAX = 120.0            # the expressway speed limit


def ranged(default: Any, low: float = -INF, high: float = INF, *, doc: str = "") -> Any:
    """A scalar field whose value must lie in ``[low, high]``."""
    return field(default=default, metadata={"range": (low, high), "doc": doc})


def prob(default: float, *, doc: str = "") -> Any:
    """A probability or share in [0, 1]."""
    return ranged(default, 0.0, 1.0, doc=doc)


def nonneg(default: Any, high: float = INF, *, doc: str = "") -> Any:
    """A count, capacity, rate or duration in ``[0, high]``."""
    return ranged(default, 0.0, high, doc=doc)


def positive(default: Any, high: float = INF, *, doc: str = "") -> Any:
    """A value in ``(0, high]``."""
    return field(default=default, metadata={"range": (0.0, high), "positive": True, "doc": doc})


def choice(default: str, options: tuple[str, ...], *, doc: str = "") -> Any:
    """A string restricted to ``options``."""
    return field(default=default, metadata={"choices": options, "doc": doc})


def ranged_list(default: list[Any], low: float = -INF, high: float = INF, *, doc: str = "") -> Any:
    """A list whose every element lies in ``[low, high]``."""
    if default is YAML:
        return field(default=YAML, metadata={"range": (low, high), "doc": doc})
    return field(default_factory=lambda: list(default), metadata={"range": (low, high), "doc": doc})


def prob_list(default: list[float], *, doc: str = "") -> Any:
    """A list of probabilities."""
    return ranged_list(default, 0.0, 1.0, doc=doc)
