"""Ledger tables as offices keep them: the battery of `table_cases`, encodings, defaults,
county.yaml and the county's name, through the loader (the CLI: tests/functional/test_cli_tables.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.config.errors import DataError
from sim.config.schema import CountyConfig
from sim.experiment.overrides import quote_non_ascii
from sim.world import county_config, explicit_fields, generate_county, load_county, write_county
from sim.world.tables import decode
from tests.unit.table_cases import CANTEEN_SEATS, CASES, base_county, chinese, names_are_chinese, outcome


def test_the_battery_is_large_enough():
    broken = [c for c in CASES if c.where is not None]
    assert len(broken) >= 30 and len(CASES) - len(broken) >= 10
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_table_case(tmp_path, case):
    assert outcome(case, tmp_path / "c") == ""


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_forced_encoding_reads_its_own_files(tmp_path, encoding):
    d = tmp_path / "c"
    county = base_county()
    write_county(county, d)
    chinese(encoding)(d, county)
    cfg = county_config(CountyConfig(source=str(d), encoding=encoding))
    names_are_chinese(load_county(d, cfg), county)


def test_gb18030_bytes_are_what_excel_writes(tmp_path):
    # the test table really is GB18030 with CRLF, not UTF-8 in disguise
    d = tmp_path / "c"
    county = base_county()
    write_county(county, d)
    chinese("gb18030")(d, county)
    data = (d / "villages.csv").read_bytes()
    assert "石门村".encode("gb18030") in data and b"\r\n" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_undecodable_message_names_file_and_encodings():
    with pytest.raises(DataError) as info:
        decode(Path("x/villages.csv"), b"id,name\n1,caf\xff\n", "auto")
    (p,) = info.value.problems
    assert p.where == "villages.csv"
    assert "utf-8 or gb18030" in p.allowed and "line 2" in p.allowed
    with pytest.raises(ValueError):
        decode(Path("v.csv"), b"", "latin-1")


# ---------------------------------------------------------------------------- defaults


def test_parquet_blank_cells_take_the_defaults(tmp_path):
    county = base_county()
    d = write_county(county, tmp_path / "c", "parquet")
    f = pd.read_parquet(d / "facilities.parquet")
    f["seats"] = f["seats"].astype(object)
    f["staff"] = pd.array([None] * len(f), dtype="Int64")
    f.loc[f["kind"] == "canteen", "seats"] = None
    f.to_parquet(d / "facilities.parquet", index=False)
    loaded = load_county(d, canteen_seats_config(d, 35))
    canteens = loaded.facilities.of_kind("canteen")
    assert list(loaded.facilities.seats[canteens]) == [35] * len(canteens)
    assert list(loaded.facilities.staff[:3]) == [40, 7, 14]


def canteen_seats_config(d: Path, seats: int) -> CountyConfig:
    return county_config(CountyConfig(source=str(d), canteen_seats=seats))


def test_default_seats_come_from_county_yaml(tmp_path):
    county = base_county()
    d = write_county(county, tmp_path / "c")
    f = pd.read_csv(d / "facilities.csv", dtype=str, keep_default_na=False).drop(columns=["seats"])
    f.to_csv(d / "facilities.csv", index=False)
    (d / "county.yaml").write_text("name: shimen\nname_zh: 石门县\ncanteen_seats: 55\n", encoding="utf-8")
    loaded = load_county(d)
    assert set(loaded.facilities.seats[loaded.facilities.of_kind("canteen")]) == {55}
    assert CANTEEN_SEATS != 55


# ---------------------------------------------------------------------------- the county's name


def test_write_county_round_trips_county_yaml(tmp_path):
    county = generate_county(CountyConfig(name="shimen", name_zh="石门县", villages=12, townships=3,
                                          service_points=3, canteens=1))
    d = write_county(county, tmp_path / "any_folder")
    assert yaml.safe_load((d / "county.yaml").read_text(encoding="utf-8")) == {
        "name": "shimen", "name_zh": "石门县"}
    loaded = load_county(d)
    assert (loaded.name, loaded.name_zh) == ("shimen", "石门县")
    again = load_county(write_county(loaded, tmp_path / "again"))
    assert (again.name, again.name_zh) == ("shimen", "石门县")
    assert (d / "villages.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads Chinese


def test_county_name_from_the_folder(tmp_path):
    d = write_county(base_county(), tmp_path / "石门县")
    (d / "county.yaml").unlink()
    cfg = county_config(CountyConfig(source=str(d)))  # the hill preset's names are replaced
    assert (cfg.name, cfg.name_zh) == ("石门县", "石门县")
    d2 = write_county(base_county(), tmp_path / "shimen")
    (d2 / "county.yaml").unlink()
    assert (county_config(CountyConfig(source=str(d2))).name_zh) == ""


def test_overrides_win_over_county_yaml(tmp_path):
    d = write_county(base_county(), tmp_path / "c")
    (d / "county.yaml").write_text("name: shimen\nname_zh: 石门县\ntravel: {walk_kmh: 3.0}\n",
                                   encoding="gb18030")
    keep = explicit_fields(["county.name_zh=慈利县", "+county.travel.ebike_kmh=12", "run.seed=1",
                            "county=plain"])
    assert keep == {"name_zh", "travel.ebike_kmh"}
    base = CountyConfig(source=str(d), name_zh="慈利县")
    cfg = county_config(base, keep)
    assert (cfg.name, cfg.name_zh, cfg.travel.walk_kmh) == ("shimen", "慈利县", 3.0)
    assert cfg.travel.ebike_kmh == base.travel.ebike_kmh
    assert county_config(CountyConfig()) == CountyConfig()  # generated counties are untouched


def test_county_yaml_problems_name_the_file(tmp_path):
    d = write_county(base_county(), tmp_path / "c")
    for text, where in [("name: [a\n", "county.yaml line"), ("- a\n- b\n", "county.yaml"),
                        ("travel: {walk_mph: 3}\n", "county.yaml, key travel.walk_mph"),
                        ("source: elsewhere\n", "county.yaml, key source"),
                        ("encoding: latin-1\n", "county.yaml, key encoding")]:
        (d / "county.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(DataError) as info:
            county_config(CountyConfig(source=str(d)))
        assert len(info.value.problems) == 1 and info.value.problems[0].where.startswith(where), text


def test_loaded_name_reaches_the_results_and_the_briefing_title(tmp_path):
    import sim
    from sim.report.briefing import briefing_title

    d = write_county(generate_county(CountyConfig(villages=12, townships=3, area_km2=100.0,
                                                  service_points=4, canteens=2)), tmp_path / "c")
    (d / "county.yaml").write_text("name: shimen\nname_zh: 石门县\n", encoding="utf-8")
    run = [f"county.source={d}", "run=quick", "report=none", "run.horizon_days=30",
           "run.replications=1"]
    res = sim.run(run, workers=1)
    assert (res.config.county.name, res.config.county.name_zh) == ("shimen", "石门县")
    assert res.manifest["scenario"]["county"] == "shimen"
    assert briefing_title([res], "zh").startswith("石门县")
    # a Chinese override needs no quotes and wins over county.yaml
    res = sim.run([*run, "county.name_zh=慈利县"], workers=1)
    assert briefing_title([res], "zh").startswith("慈利县")


# ---------------------------------------------------------------------------- quoting


@pytest.mark.parametrize(("given", "sent"), [
    ("county.name_zh=石门县", "county.name_zh='石门县'"),
    ("county.source=D:/台账/石门县", "county.source='D:/台账/石门县'"),
    ("county.name_zh='石门县'", "county.name_zh='石门县'"),           # already quoted
    ('county.name_zh="石门县"', 'county.name_zh="石门县"'),
    ("county.name_zh=石门县,慈利县", "county.name_zh=石门县,慈利县"),  # a sweep: quote each value
    ("county.name=shimen", "county.name=shimen"),
    ("--multirun", "--multirun"),
])
def test_quote_non_ascii(given, sent):
    assert quote_non_ascii(given) == sent


def test_quoted_and_unquoted_chinese_compose_alike():
    from sim.experiment.app import compose

    for o in ["county.name_zh=石门县", "county.name_zh='石门县'", 'county.name_zh="石门县"']:
        assert compose([o]).county.name_zh == "石门县"
