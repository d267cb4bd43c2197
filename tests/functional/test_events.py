"""Event tables: levels none/summary/all, written by the workers as a partitioned Parquet
dataset, read lazily by `Results.events` and by pandas, Polars and DuckDB alike."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from sim.config import ConfigError
from sim.config.schema import event_level
from sim.experiment.events import ALL_ONLY_TABLES, SLIM, SUMMARY_TABLES
from sim.experiment.execute import execute
from sim.experiment.store import load
from tests.conftest import small_config


def _run(tmp: Path, level, **run):
    return execute(small_config(replications=2, save_events=level, **run), output_dir=tmp)


@pytest.fixture(scope="module")
def summary_run(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("summary"), "summary")


def test_levels_write_what_they_promise(tmp_path: Path, summary_run):
    none = _run(tmp_path / "none", "none")
    full = _run(tmp_path / "all", "all")
    assert none.event_names == [] and not (tmp_path / "none" / "events").exists()
    no_bank = {"timebank_monthly", "timebank_aid"}                   # no time bank, no 助餐/助急 on call
    assert set(summary_run.event_names) == set(SUMMARY_TABLES) - no_bank
    every_row = set(ALL_ONLY_TABLES) - {"timebank_accounts", "timebank_first_contacts"}
    assert set(full.event_names) == set(summary_run.event_names) | every_row
    # the level never changes a number
    pd.testing.assert_frame_equal(none.runs, full.runs)
    pd.testing.assert_frame_equal(summary_run.runs, full.runs)
    for name in summary_run.event_names:
        small, big = summary_run.events(name), full.events(name)
        columns = ["replication", *SLIM[name]] if name in SLIM else list(big.columns)
        pd.testing.assert_frame_equal(small, big[columns])
    # summary tables are per village and day/week/month: far fewer rows than every visit
    village_months = summary_run.events("visits_village")
    assert village_months["requirements"].sum() == len(full.events("visits"))
    assert len(village_months) < len(full.events("visits")) / 5
    assert none.manifest["disk_bytes"]["events"] == 0
    assert 0 < summary_run.manifest["disk_bytes"]["events"] < full.manifest["disk_bytes"]["events"] / 4


def test_layout_is_a_hive_dataset_of_one_file_per_table_and_replication(summary_run):
    root = summary_run.path / "events"
    meals = sorted(p.relative_to(root).as_posix() for p in (root / "meals").rglob("*.parquet"))
    assert meals == ["meals/replication=00000/part-0.parquet", "meals/replication=00001/part-0.parquet"]
    assert not list(root.rglob(".*"))  # no temporary file left behind


def test_events_read_lazily_with_columns_and_filters(summary_run):
    back = load(summary_run.path)
    meals = back.events("meals")
    assert list(meals["replication"].unique()) == [0, 1] and meals["replication"].dtype == "int64"
    one = back.events("meals", columns=["village", "demanded"], filters=[("replication", "==", 1)])
    assert list(one.columns) == ["replication", "village", "demanded"]
    expected = meals.loc[meals["replication"] == 1, list(one.columns)]
    pd.testing.assert_frame_equal(one.reset_index(drop=True), expected.reset_index(drop=True))
    assert back.dataset("meals").count_rows() == len(meals)
    with pytest.raises(KeyError, match="available"):
        back.events("visits")  # all-level table


def test_pandas_polars_and_duckdb_read_the_same_rows(summary_run):
    """The README's three readers."""
    polars = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    d = summary_run.path
    ours = summary_run.events("meals").groupby("replication")["demanded"].sum()
    by_pandas = (pd.read_parquet(d / "events" / "meals")
                 .groupby("replication", observed=True)["demanded"].sum())
    assert list(by_pandas.to_numpy()) == list(ours.to_numpy())
    by_polars = (polars.scan_parquet(d / "events" / "meals" / "**" / "*.parquet", hive_partitioning=True)
                 .group_by("replication").agg(polars.col("demanded").sum()).sort("replication").collect())
    assert by_polars["demanded"].to_list() == list(ours.to_numpy())
    by_duckdb = duckdb.sql(
        f"SELECT replication, sum(demanded) AS demanded FROM read_parquet('{d}/events/meals/*/*.parquet', "
        "hive_partitioning = true) GROUP BY replication ORDER BY replication").df()
    assert list(by_duckdb["demanded"]) == list(ours.to_numpy())


def test_in_memory_run_keeps_events_in_a_temporary_directory():
    res = execute(small_config(replications=2, save_events="summary"))
    assert res.path is None and "meals" in res.event_names
    where = next(iter(res._events.values()))
    assert where.exists()
    del res
    import gc

    gc.collect()
    assert not where.exists()  # removed with the results


def test_booleans_are_deprecated_aliases_and_bad_levels_are_refused():
    assert event_level(True) == "all" and event_level(False) == "none" and event_level("true") == "all"
    cfg = small_config()
    with pytest.raises(ConfigError, match="run.save_events"):
        execute(replace(cfg, run=replace(cfg.run, save_events="everything")))
