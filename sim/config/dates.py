"""Calendar dates of dated steps: a step gives ``date`` (YYYY-MM-DD) or ``day`` after ``run.start_date``."""

from __future__ import annotations

import datetime as dt

from sim.config.errors import ConfigError, Problem


def parse_date(text: str, path: str) -> dt.date:
    """A YYYY-MM-DD date, or a ConfigError naming ``path``."""
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise ConfigError([Problem(path, text, "a date YYYY-MM-DD")]) from None


def day_of(date: str | None, day: float, start_date: str, path: str) -> float:
    """Simulation day of a dated step: days from ``start_date`` to ``date``, else ``day``."""
    if date is None:
        return float(day)
    days = (parse_date(date, path) - parse_date(start_date, "run.start_date")).days
    if days < 0:
        raise ConfigError([Problem(path, date, f"on or after run.start_date ({start_date})")])
    return float(days)
