"""The results of one scenario, in memory or read back from disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.config.schema import SimConfig
from sim.experiment import events as event_store


@dataclass(eq=False)
class Results:
    """``runs`` (one row per replication), ``summary`` (per KPI), ``config``, event tables.

    Event tables stay on disk (``path/events``, or a temporary directory that
    lives as long as these results for a run without an output directory) and
    are read when asked for, one table at a time: `events` gives a pandas frame,
    with optional ``columns`` and ``filters``; `dataset` the lazy pyarrow dataset.
    ``_events`` maps a table name to an in-memory frame or to the directory of
    its dataset.  ``parameters`` (``run.uncertainty=true`` only) holds each replication's
    parameter draw, one column per uncertain config path.
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    config: SimConfig
    manifest: dict
    path: Path | None = None
    parameters: pd.DataFrame | None = None   # run.uncertainty: each replication's parameter draw
    _events: dict[str, pd.DataFrame | Path] = field(default_factory=dict, repr=False)
    _world: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    def world(self, table: str) -> pd.DataFrame:
        """The county the scenario ran on (after policies): ``villages`` or ``facilities``."""
        if table not in self._world:
            path = self.path / "county" / f"{table}.parquet" if self.path else None
            if path is None or not path.exists():
                raise KeyError(f"no county table {table!r} (villages, facilities) in {self.path}")
            self._world[table] = pd.read_parquet(path)
        return self._world[table]

    def _event_dir(self, name: str) -> Path | None:
        source = self._events.get(name)
        if isinstance(source, Path):
            return source
        if self.path is not None and (self.path / "events" / name).is_dir():
            return self.path / "events"
        return None

    @property
    def event_names(self) -> list[str]:
        names = set(self._events)
        if self.path is not None:
            names |= set(event_store.table_names(self.path / "events"))
            names |= {p.stem for p in (self.path / "events").glob("*.parquet")}  # runs before streaming
        return sorted(n for n in names if not isinstance(self._events.get(n), Path)
                      or (self._events[n] / n).is_dir())

    def _replications(self):
        return self.runs["replication"].to_numpy()

    def dataset(self, name: str):
        """The lazy `pyarrow.dataset.Dataset` of one event table (for filters, scans, DuckDB)."""
        d = self._event_dir(name)
        if d is None:
            raise KeyError(f"no event table {name!r}; available: {', '.join(self.event_names)}")
        return event_store.dataset(d, name, self._replications())

    def events(self, name: str, columns: list[str] | None = None, filters=None) -> pd.DataFrame:
        """One event table (e.g. ``meals``, ``population_monthly``) as a pandas frame, with a leading
        ``replication`` column; ``columns`` and ``filters`` (a pyarrow expression, or DNF tuples as
        in `pandas.read_parquet`, e.g. ``[("replication", "<", 3)]``) are applied while reading."""
        source = self._events.get(name)
        if isinstance(source, pd.DataFrame):
            return source
        single = self.path / "events" / f"{name}.parquet" if self.path is not None else None
        if single is not None and single.is_file():  # written by a version before streamed events
            return pd.read_parquet(single, columns=columns, filters=filters)
        d = self._event_dir(name)
        if d is None:
            raise KeyError(f"no event table {name!r}; available: {', '.join(self.event_names)}")
        return event_store.read(d, name, self._replications(), columns=columns, filters=filters)

    def villages(self, confidence: float = 0.95) -> pd.DataFrame:
        """One row per village: names, township, terrain, position, remoteness (car minutes to the
        township seat, quintile 1 = nearest) and each outcome's mean and t-interval over the
        replications (`sim.experiment.villages`); per replication: ``events("villages")``."""
        from sim.experiment.villages import village_summary

        return village_summary(self._village_rows(), self._positions(), confidence)

    def left_out(self, rules=None) -> pd.DataFrame:
        """The villages left out (``report.left_out``, or ``rules``, a `LeftOutConfig`): under a
        service's threshold in at least its share of replications; one row per village and service."""
        from sim.experiment.villages import left_out

        return left_out(self._village_rows(), rules or self.config.report.left_out)

    def _village_rows(self) -> pd.DataFrame:
        try:
            return self.events("villages")
        except KeyError:
            raise KeyError("no village table in these results: run with run.save_events=summary "
                           "(or all)") from None

    def _positions(self) -> pd.DataFrame | None:
        try:
            return self.world("villages")
        except KeyError:
            return None

    def kpi(self, name: str) -> pd.Series:
        """Summary row of one KPI."""
        return self.summary.set_index("kpi").loc[name]
