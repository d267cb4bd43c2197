"""A battery of ledger tables as offices send them: broken ones and awkward valid ones.

Each `Case` edits the tables of a small written county.  A broken table must
give one `DataError` with exactly one problem naming the file (and the row and
column where the problem is a cell) with the expected fragment; a valid one must
load with the expected values.  ``python -m tests.unit.table_cases`` counts how
many cases the installed loader gets right (run it against another checkout's
``sim`` with PYTHONPATH to compare before and after).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.errors import DataError
from sim.config.schema import CountyConfig
from sim.world import County, generate_county, load_county, write_county
from tests.unit.test_loader import HOMES  # the same three homes as the loader's tests

CANTEEN_SEATS = CountyConfig().canteen_seats  # the schema's default seats of a canteen
CHINESE_VILLAGES = ["石门村", "皂市镇新桥村", "壶瓶山村", "夹山镇峡口村"]


def base_county() -> County:
    return generate_county(CountyConfig(villages=36, townships=4, service_points=10, canteens=3,
                                        nursing_homes=HOMES, seed=14))


# ---------------------------------------------------------------------------- table edits


def frame(d: Path, stem: str) -> pd.DataFrame:
    return pd.read_csv(d / f"{stem}.csv", dtype=str, keep_default_na=False)


def save(d: Path, stem: str, df: pd.DataFrame, encoding: str = "utf-8", crlf: bool = False) -> None:
    df.to_csv(d / f"{stem}.csv", index=False, encoding=encoding,
              lineterminator="\r\n" if crlf else "\n")


def put(stem: str, row: int, column: str, value: str) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        df = frame(d, stem)
        df.loc[row, column] = value
        save(d, stem, df)
    return edit


def drop(stem: str, column: str) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        save(d, stem, frame(d, stem).drop(columns=[column]))
    return edit


def append_text(stem: str, text: str) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        with (d / f"{stem}.csv").open("a", encoding="utf-8", newline="") as f:
            f.write(text)
    return edit


def rows_of(county: County, kind: str) -> np.ndarray:
    from sim.world import FACILITY_KINDS
    return np.flatnonzero(county.facilities.kind == FACILITY_KINDS.index(kind))


def chinese(encoding: str, crlf: bool = True,
            files: tuple[str, ...] = ("villages", "facilities")) -> Callable[[Path, County], None]:
    """Chinese village and township names, saved as Excel in a Chinese office would."""
    def edit(d: Path, county: County) -> None:
        df = frame(d, "villages")
        df["name"] = [CHINESE_VILLAGES[i % 4] + str(i) for i in range(len(df))]
        df["township"] = df["township"].str.replace("Township ", "乡镇", regex=False)
        fdf = frame(d, "facilities")
        fdf.loc[0, "name"] = "县特困供养服务中心"
        for stem, table in (("villages", df), ("facilities", fdf)):
            if stem in files:
                save(d, stem, table, encoding=encoding, crlf=crlf)
    return edit


def names_are_chinese(loaded: County, county: County) -> None:
    assert loaded.villages.name[5] == CHINESE_VILLAGES[1] + "5"
    assert loaded.townships[0] == "乡镇1"
    assert loaded.facilities.name[0] == "县特困供养服务中心"
    assert np.array_equal(loaded.villages.elders, county.villages.elders)


def write_roads(rows: list[tuple[str, str, str]]) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        pd.DataFrame(rows, columns=["from_village", "to_village", "km"]).to_csv(d / "roads.csv", index=False)
    return edit


def write_bytes(stem: str, change: Callable[[bytes], bytes]) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        path = d / f"{stem}.csv"
        path.write_bytes(change(path.read_bytes()))
    return edit


def county_yaml(text: str) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        (d / "county.yaml").write_text(text, encoding="utf-8")
    return edit


def both(*edits: Callable[[Path, County], None]) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        for e in edits:
            e(d, county)
    return edit


def blank_rows(stem: str, n: int, at: int | None = None) -> Callable[[Path, County], None]:
    """Excel's blank rows: ``,,,,`` (one comma fewer than columns), at the end or at row ``at``."""
    def edit(d: Path, county: County) -> None:
        lines = (d / f"{stem}.csv").read_text(encoding="utf-8-sig").splitlines()
        blank = "," * lines[0].count(",")
        at_line = len(lines) if at is None else at + 1
        lines[at_line:at_line] = [blank] * n
        (d / f"{stem}.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return edit


def with_lon_lat(swap: bool = False, bad_row: int | None = None) -> Callable[[Path, County], None]:
    def edit(d: Path, county: County) -> None:
        df = frame(d, "villages").drop(columns=["x_km", "y_km"])
        lon = 111.0 + county.villages.x_km / 100
        lat = 29.5 + county.villages.y_km / 110
        df["lon"], df["lat"] = ([f"{v:.5f}" for v in a] for a in ((lat, lon) if swap else (lon, lat)))
        if bad_row is not None:
            df.loc[bad_row, "lat"] = "-29.6"
        save(d, "villages", df)
    return edit


# ---------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """``where``: the file, row and column the one problem must name (None: the table is valid);
    ``allowed``: a fragment of its message; ``check(loaded, county)`` for a valid table."""

    id: str
    edit: Callable[[Path, County], None]
    where: str | None = None
    allowed: str = ""
    check: Callable[[County, County], None] | None = None


def cell(file: str, row: int, column: str) -> str:
    """The ``where`` of 0-based data row ``row``."""
    line = f" (line {row + 2})" if file.endswith(".csv") else ""
    return f"{file} row {row + 1}{line}, column {column}"


def _seats(loaded: County, county: County) -> None:
    assert list(loaded.facilities.seats[rows_of(loaded, "canteen")]) == [CANTEEN_SEATS] * 3
    assert loaded.facilities.seats[0] == 0


def _staff(loaded: County, county: County) -> None:
    # CALIBRATION §5: 1 per 10 self-care beds + 1 per 3 nursing-type beds, rounded up
    assert list(loaded.facilities.staff[:3]) == [40, 7, 14]
    assert loaded.facilities.staff[3] == 0


def _same(loaded: County, county: County) -> None:
    assert np.array_equal(loaded.villages.elders, county.villages.elders)
    assert np.array_equal(loaded.facilities.beds, county.facilities.beds)
    assert len(loaded.villages) == len(county.villages)
    assert len(loaded.facilities) == len(county.facilities)


V, F, R = "villages.csv", "facilities.csv", "roads.csv"

CASES = [
    # --- valid tables as offices keep them
    Case("gb18030_chinese_crlf", chinese("gb18030"), check=names_are_chinese),
    Case("gbk_chinese", chinese("gbk"), check=names_are_chinese),
    Case("utf8_bom_chinese", chinese("utf-8-sig", crlf=False), check=names_are_chinese),
    Case("utf8_chinese_crlf", chinese("utf-8"), check=names_are_chinese),
    Case("trailing_blank_rows", blank_rows("villages", 24), check=_same),
    Case("blank_rows_inside_facilities", blank_rows("facilities", 2, at=4), check=_same),
    Case("no_seats_column", drop("facilities", "seats"), check=_seats),
    Case("blank_seats_cells", lambda d, c: save(d, "facilities", frame(d, "facilities").assign(seats="")),
         check=_seats),
    Case("no_staff_column", drop("facilities", "staff"), check=_staff),
    Case("blank_staff_cells", lambda d, c: save(d, "facilities", frame(d, "facilities").assign(staff="")),
         check=_staff),
    Case("blank_nursing_beds_at_county_home", put("facilities", 0, "nursing_beds", ""),
         check=lambda lo, c: (lo.facilities.nursing_beds[0] == 120) or _fail("nursing_beds")),
    Case("blank_village_name", put("villages", 2, "name", ""),
         check=lambda lo, c: (lo.villages.name[2] == lo.villages.village_id[2]) or _fail("name")),
    Case("header_spaces_and_case", lambda d, c: save(d, "villages", frame(d, "villages").rename(
        columns={"village_id": " Village_ID ", "terrain": "Terrain"})), check=_same),
    Case("excel_empty_columns", write_bytes("villages", lambda b: b.replace(b"\n", b",,\n")),
         check=_same),
    # --- broken tables: one message each
    Case("elders_1e9", put("villages", 4, "elders_60_69", "1e9"), cell(V, 4, "elders_60_69"),
         "must lie in [0, 20000]"),
    Case("elders_negative", put("villages", 3, "elders_80_plus", "-2"), cell(V, 3, "elders_80_plus"),
         "must lie in [0, 20000]"),
    Case("elders_fraction", put("villages", 0, "elders_70_79", "12.5"), cell(V, 0, "elders_70_79"),
         "whole number"),
    Case("elders_text", put("villages", 7, "elders_60_69", "many"), cell(V, 7, "elders_60_69"),
         "not a number"),
    Case("elders_county_total", lambda d, c: save(d, "villages", frame(d, "villages").assign(
        elders_60_69="19999", elders_70_79="19999", elders_80_plus="19999")), V,
         "must lie in [1, 2e+06]"),
    Case("beds_negative", put("facilities", 1, "beds", "-40"), cell(F, 1, "beds"), "must lie in [0, 5000]"),
    Case("beds_huge", put("facilities", 2, "beds", "80000"), cell(F, 2, "beds"), "CALIBRATION §5"),
    Case("beds_blank_at_home", put("facilities", 1, "beds", ""), cell(F, 1, "beds"),
         "required for a nursing home"),
    Case("nursing_beds_above_beds", put("facilities", 1, "nursing_beds", "41"), cell(F, 1, "nursing_beds"),
         "<= beds (40)"),
    Case("staff_huge", put("facilities", 1, "staff", "99999"), cell(F, 1, "staff"), "must lie in [0, 2000]"),
    Case("seats_negative", put("facilities", 5, "seats", "-1"), cell(F, 5, "seats"), "must lie in [0, 2000]"),
    Case("x_km_text", put("villages", 2, "x_km", "12,5km"), cell(V, 2, "x_km"), "not a number"),
    Case("y_km_blank", put("villages", 2, "y_km", ""), cell(V, 2, "y_km"), "missing"),
    Case("x_in_metres", put("villages", 9, "x_km", "12500"), f"{V}, column x_km", "within 1000 km"),
    Case("lat_outside_china", with_lon_lat(bad_row=6), cell(V, 6, "lat"), "must lie in [3, 54]"),
    Case("lon_lat_swapped", with_lon_lat(swap=True), V, "swapped"),
    Case("terrain_unknown", put("villages", 7, "terrain", "swamp"), cell(V, 7, "terrain"), "must be one of"),
    Case("kind_unknown", put("facilities", 3, "kind", "hotel"), cell(F, 3, "kind"), "must be one of"),
    Case("village_id_blank", put("villages", 5, "village_id", ""), cell(V, 5, "village_id"),
         "must not be empty"),
    Case("facility_id_duplicate", lambda d, c: put("facilities", 6, "facility_id",
                                                   str(c.facilities.facility_id[2]))(d, c),
         cell(F, 6, "facility_id"), "duplicate id"),
    Case("facility_unknown_village", put("facilities", 4, "village_id", "V999"), cell(F, 4, "village_id"),
         "unknown village"),
    Case("missing_terrain_column", drop("villages", "terrain"), V, "missing required column(s): terrain"),
    Case("missing_kind_column", drop("facilities", "kind"), F, "missing required column(s): kind"),
    Case("missing_facilities_file", lambda d, c: (d / F).unlink(), F, "not found"),
    Case("undecodable_bytes", write_bytes("villages", lambda b: b.removeprefix(b"\xef\xbb\xbf").replace(
        b"Village 3", b"Vill\xff\xfe 3")), V, "cannot be decoded as utf-8 or gb18030 (detected; line 4"),
    Case("undecodable_after_bom", write_bytes("villages", lambda b: b.replace(b"Village 3", b"Vill\xff 3")),
         V, "cannot be decoded as utf-8-sig"),
    Case("forced_utf8_on_gbk", both(chinese("gbk", files=("villages",)), county_yaml("encoding: utf-8\n")), V,
         "county.encoding"),
    Case("xlsx_saved_as_csv", write_bytes("villages", lambda b: b"PK\x03\x04" + b"\x00" * 64), V,
         "Excel workbook"),
    Case("ragged_row", append_text("villages", "V99,Village 99,Township 1,1,2,hill,3,4,5,6\n"), V,
         "line 38 has 10 cells"),
    Case("repeated_header", write_bytes("facilities", lambda b: b.replace(b",seats", b",Beds", 1)), F,
         "repeated column header"),
    Case("repeated_header_same_case", write_bytes("facilities", lambda b: b.replace(b",seats", b",beds", 1)),
         F, "repeated column header"),
    Case("empty_file", write_bytes("facilities", lambda b: b"\xef\xbb\xbf\r\n"), F, "is empty"),
    Case("road_km_huge", write_roads([("V01", "V02", "5000")]), cell(R, 0, "km"), "must lie in [0, 1000]"),
    Case("road_km_text", write_roads([("V01", "V02", "3 km")]), cell(R, 0, "km"), "not a number"),
    Case("road_unknown_village", write_roads([("V01", "V99", "3")]), cell(R, 0, "to_village"),
         "unknown village"),
    Case("road_to_itself", write_roads([("V03", "V03", "1")]), cell(R, 0, "to_village"), "must differ"),
    Case("county_yaml_unknown_key", county_yaml("name: shimen\nseats: 40\n"), "county.yaml, key seats",
         "unknown key"),
    Case("county_yaml_bad_value", county_yaml("name: shimen\ncanteen_seats: -5\n"),
         "county.yaml, key canteen_seats", "must lie in"),
]


def _fail(what: str) -> None:
    raise AssertionError(what)


def prepare(case: Case, directory: Path) -> County:
    county = base_county()
    if directory.exists():
        shutil.rmtree(directory)
    write_county(county, directory)
    (directory / "county.yaml").unlink(missing_ok=True)
    case.edit(directory, county)
    return county


def outcome(case: Case, directory: Path) -> str:
    """``""`` when the loader gets the case right (one good message, or a correct load), else why
    not.  Used by the tests and by the before/after count."""
    county = prepare(case, directory)
    try:
        loaded = load_county(directory)
    except DataError as err:
        if case.where is None:
            return f"valid table refused: {err}"
        if len(err.problems) != 1:
            return f"{len(err.problems)} problems: {err}"
        p = err.problems[0]
        if case.where not in p.where or case.allowed not in str(p):
            return f"wrong message: {p}"
        return ""
    except Exception as exc:  # noqa: BLE001 - anything else is a crash, counted as such
        return f"crash: {type(exc).__name__}: {str(exc)[:200]}"
    if case.where is not None:
        return "accepted a broken table"
    try:
        case.check(loaded, county)  # type: ignore[misc]
    except AssertionError as exc:
        return f"loaded wrongly: {exc}"
    return ""


def named(case: Case, directory: Path) -> bool:
    """The looser criterion of the issue's count: one message naming file (row and column)."""
    prepare(case, directory)
    try:
        load_county(directory)
    except DataError as err:
        if case.where is None or len(err.problems) != 1:
            return False
        return case.where.split(",")[0].split(" row")[0] in err.problems[0].where and (
            "column" not in case.where or case.where.split("column ")[1] in str(err.problems[0]))
    except Exception:  # noqa: BLE001
        return False
    return case.where is None and outcome(case, directory) == ""


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        exact = loose = 0
        for case in CASES:
            why = outcome(case, Path(tmp) / "c")
            ok = named(case, Path(tmp) / "c")
            exact += why == ""
            loose += ok
            print(f"{'ok ' if why == '' else 'BAD'} {'named' if ok else '-----'} {case.id}: {why[:150]}")
        print(f"{len(CASES)} cases: {exact} right with the expected message, "
              f"{loose} one message naming file/row/column or loaded right")
