"""Read and write a county's ledger tables (台账) as CSV or Parquet.

A county directory holds ``villages.csv`` (or ``.parquet``), ``facilities.csv``
(or ``.parquet``) and optionally ``roads.csv`` (``from_village, to_village,
km``: road distances that replace straight-line x circuity for those pairs).
Every problem in every table is collected and raised as one `DataError` naming
file, row and column; a row number is the 1-based data row (the CSV line is one
more, for the header).  Positions are ``x_km, y_km`` (projected) or ``lon,
lat`` (degrees, projected once around the county's mean latitude).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.errors import DataError, Problem
from sim.config.schema import TravelConfig
from sim.world.county import (
    AGE_BANDS,
    FACILITY_KINDS,
    TERRAINS,
    County,
    Facilities,
    Villages,
)
from sim.world.travel import straight_km, travel_times

_ELDER_COLUMNS = tuple(f"elders_{b}" for b in AGE_BANDS)
_FACILITY_NUMBERS = ("beds", "nursing_beds", "staff", "seats")
_MAX_PROBLEMS_PER_FILE = 25
_KM_PER_DEGREE = 111.32


def _find(directory: Path, stem: str, required: bool = True) -> Path | None:
    for ext in (".parquet", ".csv"):
        path = directory / f"{stem}{ext}"
        if path.exists():
            return path
    if required:
        raise DataError([Problem(str(directory / f"{stem}.csv"), None,
                                 f"file not found: expected {stem}.csv or {stem}.parquet")])
    return None


def _read(path: Path) -> pd.DataFrame:
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except Exception as exc:  # unreadable file: report it as data, not as a crash
        raise DataError([Problem(str(path), None, f"cannot be read as a table: {exc}")]) from exc


class _Checker:
    """Collects problems for one table, naming file, row and column."""

    def __init__(self, path: Path, df: pd.DataFrame):
        self.path, self.df, self.problems = path, df, []

    def where(self, row: int, column: str) -> str:
        line = f" (line {row + 2})" if self.path.suffix == ".csv" else ""
        return f"{self.path.name} row {row + 1}{line}, column {column}"

    def add(self, row: int, column: str, value: object, allowed: str) -> None:
        self.problems.append(Problem(self.where(row, column), value, allowed))

    def require(self, columns: tuple[str, ...]) -> bool:
        missing = [c for c in columns if c not in self.df.columns]
        if missing:
            self.problems.append(Problem(self.path.name, sorted(self.df.columns),
                                         "missing required column(s): " + ", ".join(missing)))
        return not missing

    def text(self, column: str, unique: bool = False) -> np.ndarray:
        values = self.df[column].astype(str).str.strip().to_numpy(dtype=object)
        blank = (values == "") | self.df[column].isna().to_numpy()
        for r in np.flatnonzero(blank):
            self.add(int(r), column, "", "must not be empty")
        if unique:
            dup = pd.Series(values).duplicated(keep="first").to_numpy() & ~blank
            for r in np.flatnonzero(dup):
                self.add(int(r), column, values[r], "duplicate id: ids must be unique")
        return values

    def number(self, column: str, low: float | None = None, integer: bool = False,
               default: float | None = None) -> np.ndarray:
        if column not in self.df.columns:
            return np.full(len(self.df), default if default is not None else np.nan)
        raw = self.df[column]
        num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        blank = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
        for r in np.flatnonzero(np.isnan(num) | ~np.isfinite(num)):
            self.add(int(r), column, raw.iloc[r],
                     "missing: a number is required" if blank[r] else "not a number")
        if integer:
            for r in np.flatnonzero(np.isfinite(num) & (num != np.round(num))):
                self.add(int(r), column, raw.iloc[r], "must be a whole number")
        if low is not None:
            for r in np.flatnonzero(num < low):
                self.add(int(r), column, raw.iloc[r], f"must be >= {low:g}")
        return num

    def choice(self, column: str, options: tuple[str, ...]) -> None:
        values = self.df[column].astype(str).str.strip().to_numpy(dtype=object)
        for r in np.flatnonzero(~np.isin(values, options)):
            self.add(int(r), column, values[r], "must be one of " + ", ".join(options))


def _capped(checker: _Checker) -> list[Problem]:
    """A file's problems, at most _MAX_PROBLEMS_PER_FILE, with a count of the rest."""
    shown = checker.problems[:_MAX_PROBLEMS_PER_FILE]
    rest = len(checker.problems) - len(shown)
    if rest > 0:
        shown.append(Problem(checker.path.name, None, f"... and {rest} more problems"))
    return shown


def _codes(values: np.ndarray, options: tuple[str, ...]) -> np.ndarray:
    lookup = {o: i for i, o in enumerate(options)}
    return np.array([lookup.get(v, 0) for v in values], dtype=np.int64)


def load_county(directory: str | Path, travel: TravelConfig | None = None,
                name: str | None = None) -> County:
    """Load and validate a county from its ledger tables; raise `DataError` listing all problems."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, "county source directory not found")])
    travel = travel or TravelConfig()
    problems: list[Problem] = []

    vpath = _find(directory, "villages")
    vc = _Checker(vpath, _read(vpath))
    coords = ("lon", "lat") if {"lon", "lat"} <= set(vc.df.columns) and "x_km" not in vc.df.columns \
        else ("x_km", "y_km")
    ok = vc.require(("village_id", "township", *coords, "terrain", *_ELDER_COLUMNS))
    if ok:
        village_id = vc.text("village_id", unique=True)
        township_names = vc.text("township")
        x, y = vc.number(coords[0]), vc.number(coords[1])
        vc.choice("terrain", TERRAINS)
        elders = np.column_stack([vc.number(c, low=0, integer=True) for c in _ELDER_COLUMNS])
        names = (vc.df["name"].astype(str).to_numpy(dtype=object) if "name" in vc.df.columns
                 else village_id.copy())
    if ok and len(vc.df) == 0:
        vc.problems.append(Problem(vpath.name, 0, "the table has no villages"))
    if ok and coords == ("lon", "lat"):
        for col, arr, lim in (("lon", x, 180.0), ("lat", y, 90.0)):
            for r in np.flatnonzero(np.abs(arr) > lim):
                vc.add(int(r), col, vc.df[col].iloc[r], f"degrees in [-{lim:g}, {lim:g}]")
    problems += _capped(vc)
    if not ok or vc.problems:
        # facilities cannot be checked against a broken village table; report what we have
        fpath = _find(directory, "facilities", required=False)
        if fpath is None:
            problems.append(Problem(str(directory / "facilities.csv"), None, "file not found"))
        raise DataError(problems)

    if coords == ("lon", "lat"):
        lat0 = np.deg2rad(np.mean(y))
        x, y = (x - x.min()) * _KM_PER_DEGREE * np.cos(lat0), (y - y.min()) * _KM_PER_DEGREE
    index = {vid: i for i, vid in enumerate(village_id)}

    fpath = _find(directory, "facilities")
    fc = _Checker(fpath, _read(fpath))
    if fc.require(("facility_id", "kind", "village_id")):
        facility_id = fc.text("facility_id", unique=True)
        kinds = fc.df["kind"].astype(str).str.strip().to_numpy(dtype=object)
        fc.choice("kind", FACILITY_KINDS)
        fvillage = fc.df["village_id"].astype(str).str.strip().to_numpy(dtype=object)
        for r in np.flatnonzero(~np.isin(fvillage, village_id)):
            fc.add(int(r), "village_id", fvillage[r], "unknown village: must be a village_id of "
                   f"{vpath.name}")
        numbers = {c: fc.number(c, low=0, integer=True, default=0) for c in _FACILITY_NUMBERS}
        for r in np.flatnonzero(numbers["nursing_beds"] > numbers["beds"]):
            fc.add(int(r), "nursing_beds", fc.df["nursing_beds"].iloc[r],
                   f"must be <= beds ({numbers['beds'][r]:g})")
        fnames = (fc.df["name"].astype(str).to_numpy(dtype=object) if "name" in fc.df.columns
                  else facility_id.copy())
    problems += _capped(fc)

    road = None
    rpath = _find(directory, "roads", required=False)
    if rpath is not None:
        rc = _Checker(rpath, _read(rpath))
        if rc.require(("from_village", "to_village", "km")):
            a = rc.df["from_village"].astype(str).str.strip().to_numpy(dtype=object)
            b = rc.df["to_village"].astype(str).str.strip().to_numpy(dtype=object)
            for col, ids in (("from_village", a), ("to_village", b)):
                for r in np.flatnonzero(~np.isin(ids, village_id)):
                    rc.add(int(r), col, ids[r], f"unknown village: must be a village_id of {vpath.name}")
            km = rc.number("km", low=0)
            for r in np.flatnonzero(a == b):
                rc.add(int(r), "to_village", b[r], "must differ from from_village: a trip inside "
                       "a village is travel.intra_village_km")
            pair = pd.Series([min(i, j) + "\x00" + max(i, j) for i, j in zip(a, b)])
            for r in np.flatnonzero(pair.duplicated().to_numpy()):
                rc.add(int(r), "to_village", b[r], f"duplicate road {a[r]}-{b[r]}: one row per pair")
        problems += _capped(rc)
        if not rc.problems:
            terrain = _codes(vc.df["terrain"].astype(str).str.strip().to_numpy(dtype=object), TERRAINS)
            circ = np.array([travel.circuity_plain, travel.circuity_hill,
                             travel.circuity_mountain])[terrain]
            road = straight_km(x, y) * (circ[:, None] + circ[None, :]) / 2
            ia = np.array([index[v] for v in a], dtype=np.int64)
            ib = np.array([index[v] for v in b], dtype=np.int64)
            road[ia, ib] = km
            road[ib, ia] = km
    if problems:
        raise DataError(problems)

    township_list, township = np.unique(township_names, return_inverse=True)
    first_seen = np.argsort([np.flatnonzero(township == t)[0] for t in range(len(township_list))])
    remap = np.empty_like(first_seen)
    remap[first_seen] = np.arange(len(first_seen))
    villages = Villages(
        village_id=village_id, name=names, township=remap[township].astype(np.int64),
        x_km=x.astype(float), y_km=y.astype(float),
        terrain=_codes(vc.df["terrain"].astype(str).str.strip().to_numpy(dtype=object), TERRAINS),
        elders=elders.astype(np.int64),
    )
    facilities = Facilities(
        facility_id=facility_id, name=fnames, kind=_codes(kinds, FACILITY_KINDS),
        village=np.array([index[v] for v in fvillage], dtype=np.int64),
        **{c: numbers[c].astype(np.int64) for c in _FACILITY_NUMBERS},
    )
    return County(name=name or directory.name, townships=township_list[first_seen].astype(object),
                  villages=villages, facilities=facilities,
                  travel=travel_times(villages.x_km, villages.y_km, villages.terrain, travel, road))


def write_county(county: County, directory: str | Path, fmt: str = "csv") -> Path:
    """Write the county's villages and facilities tables (``fmt``: csv or parquet)."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stem, frame in zip(("villages", "facilities"), county.frames()):
        path = directory / f"{stem}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False, float_format="%.17g")
        else:
            frame.to_parquet(path, index=False)
    return directory
