"""Tests of the county table loader (sim.world.loader): round trips and broken inputs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config.errors import DataError, Problem
from sim.config.schema import CountyConfig, NursingHomeSpec, TravelConfig
from sim.world.county import TERRAINS, County
from sim.world.generator import generate_county
from sim.world.loader import load_county, write_county
from sim.world.travel import MODES

HOMES = [
    NursingHomeSpec(name="Seat home", kind="county_home", township=-1, beds=120,
                    nursing_beds=120, staff=30),
    NursingHomeSpec(name="Home 2", kind="township_home", township=1, beds=40,
                    nursing_beds=10, staff=6),
    NursingHomeSpec(name="Centre 3", kind="regional_centre", township=3, beds=80,
                    nursing_beds=25, staff=12),
]


def small_county(**overrides) -> County:
    kw = {"villages": 30, "townships": 4, "service_points": 10, "canteens": 3, **overrides}
    return generate_county(CountyConfig(**kw))


# ---------------------------------------------------------------------------- helpers


def assert_same_county(a: County, b: County) -> None:
    va, vb = a.villages, b.villages
    for col in ("village_id", "name", "township", "x_km", "y_km", "terrain", "elders"):
        assert np.array_equal(getattr(va, col), getattr(vb, col)), f"villages.{col} differs"
    assert np.array_equal(a.townships, b.townships), "township names differ"
    fa, fb = a.facilities, b.facilities
    for col in ("facility_id", "name", "kind", "village", "beds", "nursing_beds", "staff",
                "seats"):
        assert np.array_equal(getattr(fa, col), getattr(fb, col)), f"facilities.{col} differs"
    assert np.array_equal(a.travel.road_km, b.travel.road_km)
    assert set(a.travel.minutes) == set(b.travel.minutes) == set(MODES)
    for mode in MODES:
        assert np.array_equal(a.travel[mode], b.travel[mode]), f"travel[{mode}] differs"


def csv_county(tmp_path: Path, county: County | None = None) -> tuple[Path, County]:
    county = county if county is not None else small_county()
    return write_county(county, tmp_path / "county", "csv"), county


def edit(directory: Path, stem: str, change: Callable[[pd.DataFrame], pd.DataFrame | None],
         ext: str = "csv") -> None:
    """Rewrite ``directory/stem.ext`` after ``change`` (in place or returning a new frame)."""
    path = directory / f"{stem}.{ext}"
    if ext == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        df = pd.read_parquet(path)
    out = change(df)
    df = df if out is None else out
    if ext == "csv":
        df.to_csv(path, index=False)
    else:
        df.to_parquet(path, index=False)


def put(directory: Path, stem: str, row: int, column: str, value: object,
        ext: str = "csv") -> None:
    """Set one cell of a written table (``row`` is the 0-based data row)."""

    def change(df: pd.DataFrame) -> None:
        df.loc[row, column] = value

    edit(directory, stem, change, ext)


def write_roads(directory: Path, rows: list[tuple[str, str, object]]) -> None:
    pd.DataFrame(rows, columns=["from_village", "to_village", "km"]).to_csv(
        directory / "roads.csv", index=False)


def load_error(directory: Path) -> DataError:
    with pytest.raises(DataError) as info:
        load_county(directory)
    err = info.value
    assert err.problems, "a DataError must list its problems"
    assert all(isinstance(p, Problem) for p in err.problems)
    for p in err.problems:  # every problem is printed
        assert p.where in str(err)
    return err


def problem_at(err: DataError, where: str) -> Problem:
    hits = [p for p in err.problems if p.where == where]
    assert len(hits) == 1, f"expected one problem at {where!r}, got {err.problems}"
    return hits[0]


def cell(row: int, column: str, file: str) -> str:
    """The ``where`` the loader uses for 0-based data row ``row`` of a CSV file."""
    return f"{file} row {row + 1} (line {row + 2}), column {column}"


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize(
    "overrides",
    [{}, {"nursing_homes": HOMES}, {"townships": 12, "nursing_homes": HOMES[:2]}],
    ids=["plain", "nursing_homes", "12_townships"],
)
def test_round_trip_is_exact(tmp_path, fmt, overrides):
    county = small_county(**overrides)
    directory = write_county(county, tmp_path / "c", fmt)
    assert sorted(p.name for p in directory.iterdir()) == ["county.yaml", f"facilities.{fmt}",
                                                           f"villages.{fmt}"]
    loaded = load_county(directory)
    assert_same_county(county, loaded)
    assert (loaded.name, loaded.name_zh) == (county.name, county.name_zh) == ("hill", "丘陵县")
    assert loaded.summary() == county.summary()
    (directory / "county.yaml").unlink()
    assert (load_county(directory).name, load_county(directory).name_zh) == ("c", "")


def test_round_trip_keeps_nursing_homes(tmp_path):
    county = small_county(nursing_homes=HOMES)
    loaded = load_county(write_county(county, tmp_path / "c", "csv"), name="hill")
    assert loaded.name == "hill"
    homes = loaded.facilities.of_kind("township_home", "regional_centre", "county_home")
    assert list(loaded.facilities.name[homes]) == ["Seat home", "Home 2", "Centre 3"]
    assert list(loaded.facilities.beds[homes]) == [120, 40, 80]
    assert list(loaded.facilities.nursing_beds[homes]) == [120, 10, 25]
    assert list(loaded.facilities.staff[homes]) == [30, 6, 12]
    # township -1 is the county seat (village 0); township t's seat is village t
    assert list(loaded.facilities.village[homes]) == [0, 1, 3]


def test_townships_keep_order_of_first_appearance(tmp_path):
    # "Township 10" sorts before "Township 2" as text; the loader must keep ledger order.
    county = small_county(townships=12)
    loaded = load_county(write_county(county, tmp_path / "c"))
    assert list(loaded.townships) == [f"Township {t + 1}" for t in range(12)]
    assert np.array_equal(loaded.villages.township, county.villages.township)


def test_parquet_is_preferred_over_csv(tmp_path):
    a, b = small_county(seed=1), small_county(seed=2)
    directory = write_county(a, tmp_path / "c", "csv")
    write_county(b, directory, "parquet")
    assert_same_county(load_county(directory), b)


def test_travel_config_is_used(tmp_path):
    county = small_county()
    directory = write_county(county, tmp_path / "c")
    slow = TravelConfig(walk_kmh=1.75)
    loaded = load_county(directory, travel=slow)
    assert np.allclose(loaded.travel["walk"], 2 * county.travel["walk"])
    assert np.array_equal(loaded.travel["car"], county.travel["car"])


@settings(max_examples=25, deadline=None)
@given(
    shape=st.integers(1, 5).flatmap(lambda t: st.tuples(st.just(t), st.integers(t, 40))),
    seed=st.integers(0, 2**32),
    service_points=st.integers(0, 12),
    canteens=st.integers(0, 4),
    fmt=st.sampled_from(["csv", "parquet"]),
)
def test_round_trip_property(shape, seed, service_points, canteens, fmt):
    townships, villages = shape
    county = generate_county(CountyConfig(townships=townships, villages=villages, seed=seed,
                                          service_points=service_points, canteens=canteens,
                                          nursing_homes=[HOMES[1]] if townships > 1 else []))
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_county(write_county(county, Path(tmp) / "c", fmt))
    assert_same_county(county, loaded)


# ---------------------------------------------------------------------------- broken inputs


@pytest.mark.parametrize(("stem", "column"), [
    ("villages", "terrain"),
    ("villages", "x_km"),
    ("villages", "elders_80_plus"),
    ("facilities", "kind"),
    ("facilities", "village_id"),
])
def test_missing_required_column(tmp_path, stem, column):
    directory, _ = csv_county(tmp_path)
    edit(directory, stem, lambda df: df.drop(columns=[column]))
    err = load_error(directory)
    p = problem_at(err, f"{stem}.csv")
    assert "missing required column" in p.allowed
    assert column in p.allowed
    assert column not in p.value  # the columns found are listed
    assert len(err.problems) == 1


def test_duplicate_village_id(tmp_path):
    directory, county = csv_county(tmp_path)
    put(directory, "villages", 5, "village_id", county.villages.village_id[2])
    err = load_error(directory)
    p = problem_at(err, cell(5, "village_id", "villages.csv"))
    assert p.value == county.villages.village_id[2]
    assert "duplicate" in p.allowed
    # the first occurrence is not reported, nor the facilities at the overwritten id (the fix
    # may be in either table)
    assert len(err.problems) == 1
    assert "villages.csv row 6 (line 7), column village_id" in str(err)


def test_facility_at_unknown_village(tmp_path):
    directory, _ = csv_county(tmp_path)
    put(directory, "facilities", 4, "village_id", "V999")
    err = load_error(directory)
    p = problem_at(err, cell(4, "village_id", "facilities.csv"))
    assert p.value == "V999"
    assert "unknown village" in p.allowed and "villages.csv" in p.allowed
    assert len(err.problems) == 1


def test_negative_beds(tmp_path):
    directory, _ = csv_county(tmp_path, small_county(nursing_homes=HOMES))
    put(directory, "facilities", 1, "beds", "-40")
    err = load_error(directory)
    p = problem_at(err, cell(1, "beds", "facilities.csv"))
    assert p.value == "-40"
    assert p.allowed.startswith("must lie in [0, 5000] (") and "CALIBRATION §5" in p.allowed
    assert "facilities.csv row 2 (line 3), column beds = '-40'" in str(err)
    assert len(err.problems) == 1  # nursing_beds (10) > beds (-40) is not reported as well


@pytest.mark.parametrize(("column", "value", "allowed"), [
    ("x_km", "12,5km", "not a number"),
    ("y_km", "north", "not a number"),
    ("x_km", "", "missing: a number is required"),
    ("y_km", "  ", "missing: a number is required"),
])
def test_bad_coordinate(tmp_path, column, value, allowed):
    directory, _ = csv_county(tmp_path)
    put(directory, "villages", 2, column, value)
    err = load_error(directory)
    p = problem_at(err, cell(2, column, "villages.csv"))
    assert p.allowed == allowed
    assert len(err.problems) == 1
    assert f"villages.csv row 3 (line 4), column {column}" in str(err)


def test_unknown_terrain(tmp_path):
    directory, _ = csv_county(tmp_path)
    put(directory, "villages", 7, "terrain", "swamp")
    err = load_error(directory)
    p = problem_at(err, cell(7, "terrain", "villages.csv"))
    assert p.value == "swamp"
    assert all(t in p.allowed for t in TERRAINS)
    assert len(err.problems) == 1


def test_nursing_beds_above_beds(tmp_path):
    directory, _ = csv_county(tmp_path, small_county(nursing_homes=HOMES))
    # row 1 is "Home 2" with 40 beds
    put(directory, "facilities", 1, "nursing_beds", "41")
    err = load_error(directory)
    p = problem_at(err, cell(1, "nursing_beds", "facilities.csv"))
    assert p.value == "41"
    assert "<= beds (40)" in p.allowed
    assert len(err.problems) == 1


def test_nursing_beds_equal_to_beds_is_fine(tmp_path):
    directory, _ = csv_county(tmp_path, small_county(nursing_homes=HOMES))
    put(directory, "facilities", 1, "nursing_beds", "40")
    assert load_county(directory).facilities.nursing_beds[1] == 40


def test_missing_facilities_file(tmp_path):
    directory, _ = csv_county(tmp_path)
    (directory / "facilities.csv").unlink()
    err = load_error(directory)
    assert len(err.problems) == 1
    p = err.problems[0]
    assert Path(p.where).name == "facilities.csv"
    assert "not found" in p.allowed


def test_missing_villages_file_and_directory(tmp_path):
    directory, _ = csv_county(tmp_path)
    (directory / "villages.csv").unlink()
    err = load_error(directory)
    assert Path(err.problems[0].where).name == "villages.csv"
    assert "not found" in err.problems[0].allowed
    err = load_error(tmp_path / "nowhere")
    assert "not found" in err.problems[0].allowed


def test_unknown_village_in_roads(tmp_path):
    directory, county = csv_county(tmp_path)
    ids = county.villages.village_id
    write_roads(directory, [(ids[0], ids[1], 5.0), (ids[2], "V99", 3.0), ("X1", ids[3], 4.0)])
    err = load_error(directory)
    assert problem_at(err, cell(1, "to_village", "roads.csv")).value == "V99"
    assert problem_at(err, cell(2, "from_village", "roads.csv")).value == "X1"
    assert "unknown village" in problem_at(err, cell(1, "to_village", "roads.csv")).allowed
    assert len(err.problems) == 2


def test_roads_negative_km_and_missing_column(tmp_path):
    directory, county = csv_county(tmp_path)
    ids = county.villages.village_id
    write_roads(directory, [(ids[0], ids[1], -2)])
    assert problem_at(load_error(directory), cell(0, "km", "roads.csv")).allowed.startswith(
        "must lie in [0, 1000] (")
    pd.DataFrame({"from_village": [ids[0]], "to_village": [ids[1]]}).to_csv(
        directory / "roads.csv", index=False)
    assert "km" in problem_at(load_error(directory), "roads.csv").allowed


def test_parquet_problem_names_row_without_line(tmp_path):
    directory = write_county(small_county(), tmp_path / "c", "parquet")
    put(directory, "villages", 2, "elders_80_plus", -3, ext="parquet")
    err = load_error(directory)
    p = problem_at(err, "villages.parquet row 3, column elders_80_plus")
    assert p.value == -3 and p.allowed.startswith("must lie in [0, 20000] (")


def test_fractional_elders_rejected(tmp_path):
    directory, _ = csv_county(tmp_path)
    put(directory, "villages", 0, "elders_70_79", "12.5")
    p = problem_at(load_error(directory), cell(0, "elders_70_79", "villages.csv"))
    assert p.allowed == "must be a whole number"


# ---------------------------------------------------------------------------- many problems


def test_several_problems_in_one_error(tmp_path):
    directory, _ = csv_county(tmp_path)

    def breaks(df):
        df.loc[1, "x_km"] = "abc"
        df.loc[4, "terrain"] = "swamp"
        df.loc[9, "elders_60_69"] = "-1"

    edit(directory, "villages", breaks)
    err = load_error(directory)
    assert len(err.problems) == 3
    assert {p.where for p in err.problems} == {
        cell(1, "x_km", "villages.csv"), cell(4, "terrain", "villages.csv"),
        cell(9, "elders_60_69", "villages.csv")}
    assert str(err).startswith("invalid input data (3 problems):")


def test_problems_in_facilities_and_roads_are_reported_together(tmp_path):
    directory, county = csv_county(tmp_path, small_county(nursing_homes=HOMES))
    ids = county.villages.village_id

    def breaks(df):
        df.loc[0, "kind"] = "hotel"
        df.loc[1, "staff"] = "many"

    edit(directory, "facilities", breaks)
    write_roads(directory, [(ids[0], "nowhere", 1.0)])
    err = load_error(directory)
    assert {p.where for p in err.problems} == {
        cell(0, "kind", "facilities.csv"), cell(1, "staff", "facilities.csv"),
        cell(0, "to_village", "roads.csv")}


def test_broken_villages_and_missing_facilities_reported_together(tmp_path):
    directory, _ = csv_county(tmp_path)
    put(directory, "villages", 3, "terrain", "sea")
    (directory / "facilities.csv").unlink()
    err = load_error(directory)
    assert len(err.problems) == 2
    problem_at(err, cell(3, "terrain", "villages.csv"))
    assert any(Path(p.where).name == "facilities.csv" and "not found" in p.allowed
               for p in err.problems)


def test_problems_are_capped_per_file(tmp_path):
    directory, _ = csv_county(tmp_path)
    edit(directory, "villages", lambda df: df.assign(terrain="swamp"))  # all 30 rows
    err = load_error(directory)
    assert len(err.problems) == 26
    assert err.problems[-1].where == "villages.csv"
    assert "and 5 more problems" in err.problems[-1].allowed


# ---------------------------------------------------------------------------- roads


def test_roads_replace_distance_for_that_pair(tmp_path):
    directory, county = csv_county(tmp_path)
    cfg = TravelConfig()
    ids = county.villages.village_id
    i, j, km = 3, 17, 57.25
    assert not np.isclose(county.travel.road_km[i, j], km)
    write_roads(directory, [(ids[i], ids[j], km)])
    loaded = load_county(directory)
    road = loaded.travel.road_km
    assert road[i, j] == km and road[j, i] == km
    # every other pair is unchanged
    other = np.ones(road.shape, dtype=bool)
    other[i, j] = other[j, i] = False
    assert np.array_equal(road[other], county.travel.road_km[other])
    # car minutes follow the new km at the mean minutes per km of the two ends' terrains
    kmh = np.array([cfg.car_kmh_plain, cfg.car_kmh_hill, cfg.car_kmh_mountain])
    t = county.villages.terrain
    expected = km * (60 / kmh[t[i]] + 60 / kmh[t[j]]) / 2
    car = loaded.travel["car"]
    assert car[i, j] == pytest.approx(expected, rel=1e-12)
    assert car[j, i] == pytest.approx(expected, rel=1e-12)
    assert car[i, j] != pytest.approx(county.travel["car"][i, j])
    assert np.array_equal(car[other], county.travel["car"][other])
    assert loaded.travel["walk"][i, j] == pytest.approx(km * 60 / cfg.walk_kmh)


def test_roads_with_several_pairs(tmp_path):
    directory, county = csv_county(tmp_path)
    ids = county.villages.village_id
    write_roads(directory, [(ids[0], ids[1], 2.5), (ids[29], ids[4], 40)])
    road = load_county(directory).travel.road_km
    assert road[0, 1] == road[1, 0] == 2.5
    assert road[29, 4] == road[4, 29] == 40.0


# ---------------------------------------------------------------------------- lon / lat


def haversine_km(lon1, lat1, lon2, lat2, radius=6371.0088):
    lon1, lat1, lon2, lat2 = map(np.deg2rad, (lon1, lat1, lon2, lat2))
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * radius * np.arcsin(np.sqrt(h))


def test_lon_lat_positions(tmp_path):
    directory, county = csv_county(tmp_path)
    rng = np.random.default_rng(7)
    n = len(county.villages)
    lon = 112.0 + rng.uniform(0, 0.3, n)
    lat = 30.0 + rng.uniform(0, 0.3, n)
    lon[1], lat[1] = lon[0], lat[0] + 0.01  # 0.01 degree due north of village 0

    def to_degrees(df):
        df = df.drop(columns=["x_km", "y_km"])
        df["lon"] = [f"{v:.6f}" for v in lon]
        df["lat"] = [f"{v:.6f}" for v in lat]
        return df

    edit(directory, "villages", to_degrees)
    loaded = load_county(directory)
    x, y = loaded.villages.x_km, loaded.villages.y_km
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(y))
    assert y[1] - y[0] == pytest.approx(1.113, rel=0.01)
    assert x[1] - x[0] == pytest.approx(0.0, abs=1e-9)
    # a county-scale distance matches the great-circle distance within 1%
    straight = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    far = np.unravel_index(np.argmax(straight), straight.shape)
    assert straight[far] > 20
    assert straight[far] == pytest.approx(
        haversine_km(lon[far[0]], lat[far[0]], lon[far[1]], lat[far[1]]), rel=0.01)
    # travel is built on those km: circuity >= 1 and <= the mountain factor
    ratio = loaded.travel.road_km[far] / straight[far]
    assert 1.2 <= ratio <= 1.7
    # everything else about the villages is unchanged
    assert np.array_equal(loaded.villages.village_id, county.villages.village_id)
    assert np.array_equal(loaded.villages.elders, county.villages.elders)


def test_lon_lat_bad_value_names_lat(tmp_path):
    directory, _ = csv_county(tmp_path)

    def to_degrees(df):
        df = df.drop(columns=["x_km", "y_km"])
        df["lon"], df["lat"] = "112.5", "30.1"
        df.loc[6, "lat"] = "thirty"
        return df

    edit(directory, "villages", to_degrees)
    p = problem_at(load_error(directory), cell(6, "lat", "villages.csv"))
    assert p.value == "thirty" and p.allowed == "not a number"


def test_nursing_homes_need_the_beds_column(tmp_path):
    # beds defaults to 0 except at nursing homes, which need it: one message for the column
    # (regression: this used to crash with KeyError 'beds' instead of a DataError)
    directory, _ = csv_county(tmp_path, small_county(nursing_homes=HOMES))
    edit(directory, "facilities", lambda df: df.drop(columns=["beds"]))
    err = load_error(directory)
    assert len(err.problems) == 1
    p = problem_at(err, "facilities.csv")
    assert p.allowed.startswith("missing column beds: a number is required for a nursing home")
    assert "(rows 1, 2, 3)" in p.allowed


# ------------------------------------------------------------- fixes found by these tests

def test_road_problems_beyond_the_cap_are_counted(tmp_path):
    d, _ = csv_county(tmp_path)
    write_roads(d, [("V01", "V99", 1)] * 30)
    err = load_error(d)
    assert err.problems[-1].where == "roads.csv"
    assert "more problems" in err.problems[-1].allowed


def test_latitude_out_of_range(tmp_path):
    d, county = csv_county(tmp_path)
    villages, _ = county.frames()
    villages = villages.drop(columns=["x_km", "y_km"])
    villages["lon"] = 112.0
    villages["lat"] = 35.5
    villages.loc[1, "lat"] = 500.0
    villages.to_csv(d / "villages.csv", index=False)
    err = load_error(d)
    assert problem_at(err, cell(1, "lat", "villages.csv")).allowed.startswith("must lie in [3, 54] (")


def test_empty_villages_table(tmp_path):
    d, _ = csv_county(tmp_path)
    edit(d, "villages", lambda df: df.iloc[0:0])
    err = load_error(d)
    assert any("no villages" in p.allowed for p in err.problems)


def test_self_road_and_duplicate_pair_are_rejected(tmp_path):
    d, _ = csv_county(tmp_path)
    write_roads(d, [("V01", "V01", 99), ("V01", "V02", 3), ("V02", "V01", 4)])
    err = load_error(d)
    assert "must differ" in problem_at(err, cell(0, "to_village", "roads.csv")).allowed
    assert "duplicate road" in problem_at(err, cell(2, "to_village", "roads.csv")).allowed
