"""Event tables on disk: a Parquet dataset per table, partitioned by replication.

Each worker writes the tables of the replication it computed as soon as it is
done, to ``DIR/events/<table>/replication=NNNNN/part-0.parquet`` (hive layout,
readable by pyarrow.dataset, pandas, Polars and DuckDB); the parent never
holds the events of all replications.  What is written depends on
``run.save_events``:

* ``none``: nothing;
* ``summary`` (default): the tables of counts per village, day, week, month,
  township or home that the breakdowns and the briefing read (``villages``: each
  village's calls, visits, meals, home-care hours and shares, `sim.kernels.villages`), and one slim row
  per emergency call (the columns of `SLIM`: the briefing draws the
  response-time distribution of every call);
* ``all``: also every row the services record: each elder's population events,
  every call with all its columns, every visit requirement, helper job and
  time-bank account.

Every file carries the run's fingerprint, the level and the replication in its
Parquet metadata, and is written atomically (temporary name, then rename).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.config.schema import event_level
from sim.experiment.kpis import village_columns
from sim.experiment.scenario import Scenario
from sim.kernels.emergency import emergency_by_township
from sim.kernels.services import by_township
from sim.model.beds import EVENT_KINDS as BED_EVENTS
from sim.model.beds import FREED_USES
from sim.model.emergency import STATUSES
from sim.model.emergency_calls import CALL_KINDS
from sim.model.helpers import JOB_TASKS
from sim.model.visits import MISSED, ON_TIME
from sim.model.visits import OUTCOMES as VISIT_OUTCOMES
from sim.policy.consolidation import home_facilities
from sim.population.demography import ADL_STATES
from sim.population.dynamics import EVENT_KINDS
from sim.population.elders import LIVING
from sim.world.county import FACILITY_KINDS, TERRAINS
from sim.world.seats import quintiles, remoteness_minutes

LEVELS = ("none", "summary", "all")
PART = "part-0.parquet"
SUMMARY_TABLES = ("population_monthly", "emergency", "emergency_township", "responders", "beds", "homes",
                  "bed_occupancy", "facility_changes", "meals", "homecare", "services_township",
                  "visits_village", "timebank_monthly", "facility_status", "homes_yearly", "allowances",
                  "adaptations", "meal_eligible", "timebank_aid", "villages")
ALL_ONLY_TABLES = ("population", "visits", "helper_jobs", "timebank_accounts", "timebank_first_contacts")
SLIM = {"emergency": ("village", "kind", "call_day", "township", "status", "responder_type", "wait_min",
                      "response_min", "help_min")}  # in the record's column order
_META = {"fingerprint": b"sim.fingerprint", "level": b"sim.level", "replication": b"sim.replication"}


def labels(scenario: Scenario) -> dict[str, dict[str, tuple[str, ...]]]:
    """Category labels of coded columns, per record table."""
    return {
        "population": {"kind": EVENT_KINDS, "adl_from": ADL_STATES, "adl_to": ADL_STATES},
        "emergency": {"kind": CALL_KINDS, "status": STATUSES, "living": LIVING, "adl": ADL_STATES,
                      "responder_type": scenario.responders.names},
        "responders": {"kind": scenario.responders.names},
        "beds": {"kind": BED_EVENTS},
        "facility_changes": {"becomes": FREED_USES},
        "facility_status": {"kind": FACILITY_KINDS},
        "visits": {"outcome": VISIT_OUTCOMES},
        "visits_village": {"outcome": VISIT_OUTCOMES},
        "helper_jobs": {"task": JOB_TASKS},
    }


def tables_of(level: str, available) -> list[str]:
    """The tables a level writes, among those a replication has."""
    level = event_level(level)
    wanted = () if level == "none" else SUMMARY_TABLES + (ALL_ONLY_TABLES if level == "all" else ())
    return [t for t in wanted if t in set(available)]


def _arrow(values: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """A NumPy column as an Arrow array, built from its buffers (numbers, booleans, text; NaN stays
    a value, ``mask`` marks nulls).  Not ``pa.array``: that loads pandas to ask whether the column
    is a pandas object, ~30 MB in every worker that never uses pandas (issue 13)."""
    values = np.ascontiguousarray(values)
    kind = values.dtype.kind
    if kind in "UO":
        data = [str(v).encode("utf-8") for v in values.tolist()]
        offsets = np.zeros(len(data) + 1, np.int32)
        np.cumsum([len(d) for d in data], out=offsets[1:])
        buffers = [pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
        arrow_type = pa.string()
    elif kind == "b":
        bits = np.packbits(values.view(np.uint8), bitorder="little")
        buffers, arrow_type = [pa.py_buffer(bits)], pa.bool_()
    elif kind in "iuf":
        buffers, arrow_type = [pa.py_buffer(values)], pa.from_numpy_dtype(values.dtype)
    else:
        raise TypeError(f"no Arrow column for dtype {values.dtype}")
    nulls = 0 if mask is None else int(np.count_nonzero(mask))
    valid = pa.py_buffer(np.packbits(~mask, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(arrow_type, len(values), [valid, *buffers], null_count=nulls)


def _column(values: np.ndarray, cats: tuple[str, ...] | None) -> pa.Array:
    values = np.ascontiguousarray(values)
    if cats is None:
        return _arrow(values)
    codes = values.astype(np.int32)
    return pa.DictionaryArray.from_arrays(_arrow(codes, codes < 0), _arrow(np.array(cats, dtype=object)))


def _from_struct(arr: np.ndarray, cats: dict[str, tuple[str, ...]], columns=None) -> dict[str, pa.Array]:
    names = [n for n in arr.dtype.names if columns is None or n in columns]
    return {n: _column(arr[n], cats.get(n)) for n in names}


def _township_tables(scenario: Scenario, records: dict[str, np.ndarray]) -> dict[str, dict]:
    county = scenario.county
    towns, township = county.townships, county.villages.township
    nt = len(towns)
    calls = records["emergency"]
    em = emergency_by_township(np.zeros(len(calls), np.int64), calls, 1, nt,
                               scenario.plan.services.emergency.target_minutes)
    meals, weeks, visits = records["meals"], records["homecare"], records["visits"]
    done = visits["outcome"] == ON_TIME
    counted = done | (visits["outcome"] == MISSED)
    zeros = lambda a: np.zeros(len(a), np.int64)  # noqa: E731
    sv = {
        **by_township(zeros(meals), meals["village"], township, 1, nt, meals_demanded=meals["demanded"],
                      meals_served=meals["dine_in"] + meals["delivered"]),
        **by_township(zeros(weeks), weeks["village"], township, 1, nt,
                      homecare_hours_needed=weeks["hours_needed"],
                      homecare_hours_delivered=weeks["hours_delivered"]),
        **by_township(zeros(visits), visits["village"], township, 1, nt,
                      visits_counted=counted.astype(float), visits_on_time=done.astype(float)),
    }
    with np.errstate(invalid="ignore", divide="ignore"):
        sv["meals_unmet_share"] = 1 - sv["meals_served"] / sv["meals_demanded"]
        sv["homecare_delivered_share"] = sv["homecare_hours_delivered"] / sv["homecare_hours_needed"]
        sv["visit_rate_monthly"] = sv["visits_on_time"] / sv["visits_counted"]
    out = {}
    for name, cols in (("emergency_township", em), ("services_township", sv)):
        cols.pop("replication")
        t = cols.pop("township")
        out[name] = {"township": _arrow(t), "township_name": _arrow(towns[t].astype(str)),
                     **{k: _arrow(v) for k, v in cols.items()}}
    return out


def _visits_village(visits: np.ndarray, n_villages: int, months: int) -> dict[str, pa.Array]:
    """Visit requirements per village, month and outcome (the count of each)."""
    k = len(VISIT_OUTCOMES)
    key = (visits["month"].astype(np.int64) * n_villages + visits["village"]) * k + visits["outcome"]
    count = np.bincount(key, minlength=months * n_villages * k)
    cell = np.flatnonzero(count)
    return {"month": _arrow(cell // (n_villages * k)), "village": _arrow(cell // k % n_villages),
            "outcome": _column(cell % k, VISIT_OUTCOMES), "requirements": _arrow(count[cell])}


def _villages(scenario: Scenario, records: dict[str, np.ndarray]) -> dict[str, pa.Array]:
    """The village table of one replication (`sim.kernels.villages`), with the village's names,
    township, terrain and remoteness (car minutes to its township seat, `sim.world.seats`)."""
    county = scenario.county
    v = county.villages
    cols = village_columns(scenario, [records])
    cols.pop("replication")
    remote = remoteness_minutes(county)
    a = lambda x: _arrow(np.asarray(x))  # noqa: E731  (from buffers: no pandas in the worker)
    return {"village": a(cols.pop("village")), "village_id": a(v.village_id.astype(str)),
            "name": a(v.name.astype(str)), "township": a(v.township),
            "township_name": a(county.townships[v.township].astype(str)),
            "terrain": _column(v.terrain, TERRAINS), "remoteness_min": a(remote),
            "remoteness_quintile": a(quintiles(remote) + 1),
            **{k: a(val) for k, val in cols.items()}}


def replication_tables(scenario: Scenario, records: dict[str, np.ndarray], level: str) -> dict[str, dict]:
    """The columns of every table ``level`` writes for one replication (no replication column:
    it is the partition)."""
    available = set(records) | {"emergency_township", "services_township", "visits_village", "villages"}
    names = tables_of(level, available)
    cats = labels(scenario)
    full = event_level(level) == "all"
    out: dict[str, dict] = {}
    towns = {"emergency_township", "services_township"} & set(names)
    derived = _township_tables(scenario, records) if towns else {}
    for name in names:
        if name in derived:
            out[name] = derived[name]
        elif name == "villages":
            out[name] = _villages(scenario, records)
        elif name == "visits_village":
            out[name] = _visits_village(records["visits"], len(scenario.county.villages), scenario.months)
        else:
            out[name] = _from_struct(records[name], cats.get(name, {}), None if full else SLIM.get(name))
    if "homes" in out:
        county = scenario.plan.county
        homes, f = home_facilities(county), county.facilities
        at = records["homes"]["home"]
        cols = out["homes"]
        out["homes"] = {"home": cols.pop("home"), "name": _arrow(f.name[homes][at].astype(str)),
                        "village_id": _arrow(county.villages.village_id[f.village[homes]][at].astype(str)),
                        **cols}
    return out


def partition(directory: Path, table: str, replication: int) -> Path:
    return Path(directory) / table / f"replication={replication:05d}" / PART


def write_replication(directory: str | Path, scenario: Scenario, replication: int,
                      records: dict[str, np.ndarray], level: str, fingerprint: str) -> list[str]:
    """Write one replication's tables of ``level`` atomically; return their names.

    Partitions of this replication for tables the level does not write (left by
    a run at another level) are removed, so a dataset never mixes levels.
    """
    directory = Path(directory)
    tables = replication_tables(scenario, records, level)
    meta = {_META["fingerprint"]: fingerprint.encode(), _META["level"]: event_level(level).encode(),
            _META["replication"]: str(replication).encode()}
    for name, cols in tables.items():
        path = partition(directory, name, replication)
        path.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_arrays(list(cols.values()), names=list(cols)).replace_schema_metadata(meta)
        tmp = path.with_name(f".{PART}.{os.getpid()}.tmp")
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    if directory.is_dir():
        for stale in directory.glob(f"*/replication={replication:05d}/{PART}"):
            if stale.parent.parent.name not in tables:
                stale.unlink()
                for empty in (stale.parent, stale.parent.parent):
                    if not any(empty.iterdir()):
                        empty.rmdir()
    return sorted(tables)


def check_replication(directory: str | Path, replication: int, tables: list[str], level: str,
                      fingerprint: str) -> str | None:
    """None if every table of the replication is on disk with this fingerprint and level, else why not."""
    for name in tables:
        path = partition(Path(directory), name, replication)
        try:
            meta = pq.read_schema(path).metadata or {}
        except Exception as exc:  # noqa: BLE001 - missing, truncated or foreign: recompute
            return f"event table {name} unreadable ({type(exc).__name__})"
        if meta.get(_META["fingerprint"], b"").decode() != fingerprint:
            return f"event table {name} made by another config, input table or code"
        if meta.get(_META["level"], b"").decode() != event_level(level):
            return f"event table {name} written at another level"
        if meta.get(_META["replication"], b"").decode() != str(replication):
            return f"event table {name} holds another replication"
    return None


def files(directory: str | Path, table: str, replications) -> list[str]:
    """The partition files of ``table`` for ``replications`` that exist, in replication order."""
    out = [partition(Path(directory), table, int(r)) for r in sorted(replications)]
    return [str(p) for p in out if p.exists()]


def dataset(directory: str | Path, table: str, replications):
    """A lazy `pyarrow.dataset.Dataset` of one table over ``replications`` (``replication`` int64)."""
    import pyarrow.dataset as ds

    paths = files(directory, table, replications)
    if not paths:
        raise KeyError(table)
    part = ds.partitioning(pa.schema([("replication", pa.int64())]), flavor="hive")
    return ds.dataset(paths, format="parquet", partitioning=part,
                      partition_base_dir=str(Path(directory) / table))


def read(directory: str | Path, table: str, replications, columns=None, filters=None):
    """One table as a pandas DataFrame, ``replication`` first; ``filters`` a pyarrow expression or
    DNF tuples as in `pandas.read_parquet`."""
    d = dataset(directory, table, replications)
    if filters is not None and not hasattr(filters, "to_pyarrow"):
        if isinstance(filters, (list, tuple)):
            filters = pq.filters_to_expression(filters)
    if columns is not None:
        columns = list(dict.fromkeys(["replication", *columns]))
    frame = d.to_table(columns=columns, filter=filters).to_pandas()
    return frame[["replication", *[c for c in frame.columns if c != "replication"]]]


def table_names(directory: str | Path) -> list[str]:
    """The tables with at least one replication's file in ``directory``."""
    d = Path(directory)
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir() if p.is_dir() and next(p.glob(f"replication=*/{PART}"), None))
