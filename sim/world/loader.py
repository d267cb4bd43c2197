"""Read and write a county's ledger tables (台账) as CSV or Parquet.

A county directory holds ``villages.csv`` (or ``.parquet``), ``facilities.csv``
(or ``.parquet``), optionally ``roads.csv`` (``from_village, to_village, km``:
road distances that replace straight-line x circuity for those pairs) and
optionally ``county.yaml`` (the county's name and settings, `sim.world.county_file`).
CSVs may be UTF-8, UTF-8 with BOM or GB18030/GBK (`sim.world.tables`).

Every problem in every table is collected and raised as one `DataError` naming
file, row and column; a row number is the 1-based data row (the CSV line is one
more, for the header), counted as in the file, blank rows included.  Every
number has a plausibility bound (`sim.world.bounds`).  Positions are ``x_km,
y_km`` (projected) or ``lon, lat`` (degrees, projected once around the county's
mean latitude).

Optional columns and blank cells take these defaults: a village's or facility's
``name`` is its id; ``beds`` is 0 except at nursing homes, which need it;
``nursing_beds`` is ``beds`` at a county special-support home (100% nursing
type, CALIBRATION §5) and 0 elsewhere; ``staff`` of a nursing home follows the
staffing rule of CALIBRATION §5 (1 per 10 self-care beds + 1 per 3 nursing-type
beds, rounded up), 0 elsewhere; ``seats`` of a canteen is ``county.canteen_seats``,
0 elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.config.errors import DataError, Problem
from sim.config.schema import CountyConfig, TravelConfig
from sim.world import bounds as B
from sim.world.county import AGE_BANDS, FACILITY_KINDS, HOME_KINDS, TERRAINS, County, Facilities, Villages
from sim.world.county_file import COUNTY_FILE, county_config
from sim.world.tables import Checker, Table, numbers, read_table
from sim.world.travel import straight_km, travel_times

_ELDER_COLUMNS = tuple(f"elders_{b}" for b in AGE_BANDS)
_KM_PER_DEGREE = 111.32
_HOMES = [FACILITY_KINDS.index(k) for k in HOME_KINDS]
_FOR_HOMES = " for a nursing home (" + ", ".join(HOME_KINDS) + ")"


def _find(directory: Path, stem: str, problems: list[Problem], required: bool = True) -> Path | None:
    for ext in (".parquet", ".csv"):
        path = directory / f"{stem}{ext}"
        if path.exists():
            return path
    if required:
        problems.append(Problem(str(directory / f"{stem}.csv"), None,
                                f"file not found: expected {stem}.csv or {stem}.parquet"))
    return None


def _read(path: Path | None, encoding: str, problems: list[Problem]) -> Table | None:
    if path is None:
        return None
    try:
        return read_table(path, encoding)
    except DataError as err:
        problems += err.problems
        return None


def _span(c: Checker, column: str, values: np.ndarray, limit: float, text: str) -> None:
    ok = np.flatnonzero(np.isfinite(values))
    if len(ok) and np.ptp(values[ok]) > limit:
        lo, hi = ok[np.argmin(values[ok])], ok[np.argmax(values[ok])]
        c.problems.append(Problem(
            f"{c.path.name}, column {column}",
            f"{values[lo]:g} (row {c.table.rows[lo] + 1}) .. {values[hi]:g} (row {c.table.rows[hi] + 1})",
            text))


def _swapped(c: Checker) -> bool:
    """One problem, not one per row, when every lon looks like a lat and every lat like a lon."""
    lon, lat = numbers(c.df["lon"])[0], numbers(c.df["lat"])[0]
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = lon[ok], lat[ok]

    def inside(v: np.ndarray, b: B.Bound) -> bool:
        return bool(np.all((v >= b.low) & (v <= b.high)))

    if not len(lon) or inside(lon, B.LON) or not (inside(lon, B.LAT) and inside(lat, B.LON)):
        return False
    c.note(f"lon {lon.min():g}..{lon.max():g}, lat {lat.min():g}..{lat.max():g}",
           f"columns lon and lat are swapped: lon must lie in [{B.LON.low:g}, {B.LON.high:g}] and "
           f"lat in [{B.LAT.low:g}, {B.LAT.high:g}] (the model's counties are in China)")
    return True


def _villages(c: Checker) -> dict | None:
    cols = set(c.df.columns)
    degrees = {"lon", "lat"} <= cols and "x_km" not in cols
    coords = ("lon", "lat") if degrees else ("x_km", "y_km")
    if not c.require(("village_id", "township", *coords, "terrain", *_ELDER_COLUMNS)):
        before = len(c.problems)
        ids = c.text("village_id", unique=True) if "village_id" in cols else None
        return {"village_id": ids if len(c.problems) == before else None}
    n = len(c.df)
    if n == 0:
        c.note(0, "the table has no villages")
    elif n > B.VILLAGES.high:
        c.note(n, B.VILLAGES.allowed())
    before = len(c.problems)
    village_id = c.text("village_id", unique=True)
    # a broken id leaves the tables that refer to it unchecked: the fix may be in either
    out = {"village_id": village_id if len(c.problems) == before else None,
           "township": c.text("township"), "degrees": degrees}
    if degrees and _swapped(c):
        x = y = np.full(n, np.nan)
    else:
        x = c.number(coords[0], B.LON if degrees else B.COORD_KM)
        y = c.number(coords[1], B.LAT if degrees else B.COORD_KM)
    for col, arr in zip(coords, (x, y)):
        _span(c, col, arr, B.DEGREE_SPAN if degrees else B.SPAN_KM,
              B.DEGREE_SPAN_TEXT if degrees else B.COORD_SPAN)
    elders = np.column_stack([c.number(col, B.ELDERS, integer=True) for col in _ELDER_COLUMNS])
    if n and np.all(np.isfinite(elders)):
        total = elders.sum()
        if not B.COUNTY_ELDERS.low <= total <= B.COUNTY_ELDERS.high:
            c.note(int(total), "sum of " + ", ".join(_ELDER_COLUMNS) + ": "
                   + B.COUNTY_ELDERS.allowed())
    out.update(x=x, y=y, terrain=c.choice("terrain", TERRAINS), elders=elders,
               name=c.text("name", default=village_id))
    return out


def _facilities(c: Checker, cfg: CountyConfig, village_ids: np.ndarray | None,
                villages_file: str) -> dict | None:
    if not c.require(("facility_id", "kind", "village_id")):
        return None
    facility_id = c.text("facility_id", unique=True)
    kind = c.choice("kind", FACILITY_KINDS)
    village = c.text("village_id")
    if village_ids is not None:
        for i in np.flatnonzero(~np.isin(village, village_ids) & (village != "")):
            c.add(int(i), "village_id", village[i],
                  f"unknown village: must be a village_id of {villages_file}")
    home = np.isin(kind, _HOMES)
    beds = c.number("beds", B.BEDS, integer=True, default=np.where(home, np.nan, 0.0),
                    why_default=_FOR_HOMES)
    county_home = kind == FACILITY_KINDS.index("county_home")
    nursing = c.number("nursing_beds", B.BEDS, integer=True,
                       default=np.where(county_home & np.isfinite(beds), beds, 0.0))
    over = np.isfinite(beds) & np.isfinite(nursing) & (nursing > beds)
    for i in np.flatnonzero(over):
        c.add(int(i), "nursing_beds", c.df["nursing_beds"].iloc[i], f"must be <= beds ({beds[i]:g})")
    nursing[over] = np.nan
    staff = c.number("staff", B.STAFF, integer=True, default=np.where(home, _staffing(beds, nursing), 0))
    seats = c.number("seats", B.SEATS, integer=True,
                     default=np.where(kind == FACILITY_KINDS.index("canteen"), cfg.canteen_seats, 0))
    return {"facility_id": facility_id, "kind": kind, "village": village, "beds": beds,
            "nursing_beds": nursing, "staff": staff, "seats": seats,
            "name": c.text("name", default=facility_id)}


def _staffing(beds: np.ndarray, nursing: np.ndarray) -> np.ndarray:
    """Staff by the CALIBRATION §5 rule, in whole numbers; 0 where beds are unknown."""
    ok = np.isfinite(beds) & np.isfinite(nursing)
    b, nb = np.where(ok, beds, 0).astype(np.int64), np.where(ok, nursing, 0).astype(np.int64)
    s, n = B.BEDS_PER_STAFF_SELF_CARE, B.BEDS_PER_STAFF_NURSING
    return -(-((b - nb) * n + nb * s) // (s * n)).astype(float)


def _roads(c: Checker, village_ids: np.ndarray | None, villages_file: str) -> dict | None:
    if not c.require(("from_village", "to_village", "km")):
        return None
    a, b = c.text("from_village"), c.text("to_village")
    if village_ids is not None:
        for col, ids in (("from_village", a), ("to_village", b)):
            for i in np.flatnonzero(~np.isin(ids, village_ids) & (ids != "")):
                c.add(int(i), col, ids[i], f"unknown village: must be a village_id of {villages_file}")
    km = c.number("km", B.KM)
    for i in np.flatnonzero((a == b) & (a != "")):
        c.add(int(i), "to_village", b[i], "must differ from from_village: a trip inside "
              "a village is travel.intra_village_km")
    pair = pd.Series([min(i, j) + "\x00" + max(i, j) for i, j in zip(a, b)])
    for i in np.flatnonzero(pair.duplicated().to_numpy()):
        c.add(int(i), "to_village", b[i], f"duplicate road {a[i]}-{b[i]}: one row per pair")
    return {"from": a, "to": b, "km": km}


def load_county(directory: str | Path, config: CountyConfig | None = None,
                travel: TravelConfig | None = None, name: str | None = None) -> County:
    """Load and validate a county from its ledger tables; raise `DataError` listing all problems.

    ``config`` gives the county's name, the tables' encoding and the defaults of optional
    columns; without it they come from ``county.yaml`` beside the tables (else the directory's
    name and the schema defaults).  ``travel`` and ``name`` replace the config's.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise DataError([Problem(str(directory), None, "county source directory not found")])
    cfg = config if config is not None else county_config(CountyConfig(source=str(directory)))
    cfg = replace(cfg, travel=travel or cfg.travel, name=name or cfg.name)
    problems: list[Problem] = []

    vpath = _find(directory, "villages", problems)
    fpath = _find(directory, "facilities", problems)
    rpath = _find(directory, "roads", problems, required=False)
    vname = vpath.name if vpath is not None else "villages.csv"
    vt, ft, rt = (_read(p, cfg.encoding, problems) for p in (vpath, fpath, rpath))
    checkers = [Checker(t) if t is not None else None for t in (vt, ft, rt)]
    vc, fc, rc = checkers
    v = _villages(vc) if vc is not None else None
    ids = v["village_id"] if v is not None else None  # None: ids unknown or broken
    f = _facilities(fc, cfg, ids, vname) if fc is not None else None
    r = _roads(rc, ids, vname) if rc is not None else None
    for c in checkers:
        if c is not None:
            problems += c.capped()
    if problems:
        raise DataError(problems)
    assert v is not None and f is not None  # no problems: both tables were read and checked
    return _county(cfg, v, f, r)


def _county(cfg: CountyConfig, v: dict, f: dict, r: dict | None) -> County:
    x, y = v["x"], v["y"]
    if v["degrees"]:
        lat0 = np.deg2rad(np.mean(y))
        x, y = (x - x.min()) * _KM_PER_DEGREE * np.cos(lat0), (y - y.min()) * _KM_PER_DEGREE
    index = {vid: i for i, vid in enumerate(v["village_id"])}
    road = None
    if r is not None and len(r["km"]):
        circ = np.array([cfg.travel.circuity_plain, cfg.travel.circuity_hill,
                         cfg.travel.circuity_mountain])[v["terrain"]]
        road = straight_km(x, y) * (circ[:, None] + circ[None, :]) / 2
        ia = np.array([index[k] for k in r["from"]], dtype=np.int64)
        ib = np.array([index[k] for k in r["to"]], dtype=np.int64)
        road[ia, ib] = r["km"]
        road[ib, ia] = r["km"]
    township_list, township = np.unique(v["township"], return_inverse=True)
    first_seen = np.argsort([np.flatnonzero(township == t)[0] for t in range(len(township_list))])
    remap = np.empty_like(first_seen)
    remap[first_seen] = np.arange(len(first_seen))
    villages = Villages(
        village_id=v["village_id"], name=v["name"], township=remap[township].astype(np.int64),
        x_km=x.astype(float), y_km=y.astype(float), terrain=v["terrain"],
        elders=v["elders"].astype(np.int64),
    )
    facilities = Facilities(
        facility_id=f["facility_id"], name=f["name"], kind=f["kind"],
        village=np.array([index[k] for k in f["village"]], dtype=np.int64),
        **{c: f[c].astype(np.int64) for c in ("beds", "nursing_beds", "staff", "seats")},
    )
    return County(name=cfg.name, name_zh=cfg.name_zh,
                  townships=township_list[first_seen].astype(object), villages=villages,
                  facilities=facilities,
                  travel=travel_times(villages.x_km, villages.y_km, villages.terrain, cfg.travel, road))


def write_county(county: County, directory: str | Path, fmt: str = "csv") -> Path:
    """Write the county's tables (``fmt``: csv or parquet) and its ``county.yaml`` (names).

    CSVs are UTF-8 with a byte-order mark, so that Excel opens Chinese names correctly.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stem, frame in zip(("villages", "facilities"), county.frames()):
        path = directory / f"{stem}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False, float_format="%.17g", encoding="utf-8-sig")
        else:
            frame.to_parquet(path, index=False)
    names = {"name": str(county.name), "name_zh": str(county.name_zh)}
    (directory / COUNTY_FILE).write_text(
        "# The county of these tables (see README, Your own county)\n"
        + yaml.safe_dump(names, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory
