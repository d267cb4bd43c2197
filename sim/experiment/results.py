"""The results of one scenario, in memory or read back from disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.config.schema import SimConfig


@dataclass(eq=False)
class Results:
    """``runs`` (one row per replication), ``summary`` (per KPI), ``config``, event tables."""

    runs: pd.DataFrame
    summary: pd.DataFrame
    config: SimConfig
    manifest: dict
    path: Path | None = None
    _events: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _world: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def world(self, table: str) -> pd.DataFrame:
        """The county the scenario ran on (after policies): ``villages`` or ``facilities``."""
        if table not in self._world:
            path = self.path / "county" / f"{table}.parquet" if self.path else None
            if path is None or not path.exists():
                raise KeyError(f"no county table {table!r} (villages, facilities) in {self.path}")
            self._world[table] = pd.read_parquet(path)
        return self._world[table]

    @property
    def event_names(self) -> list[str]:
        names = set(self._events)
        if self.path is not None and (self.path / "events").is_dir():
            names |= {p.stem for p in (self.path / "events").glob("*.parquet")}
        return sorted(names)

    def events(self, name: str) -> pd.DataFrame:
        """One event table (e.g. ``population``, ``population_monthly``)."""
        if name not in self._events:
            path = self.path / "events" / f"{name}.parquet" if self.path else None
            if path is None or not path.exists():
                raise KeyError(f"no event table {name!r}; available: {', '.join(self.event_names)}")
            self._events[name] = pd.read_parquet(path)
        return self._events[name]

    def kpi(self, name: str) -> pd.Series:
        """Summary row of one KPI."""
        return self.summary.set_index("kpi").loc[name]
