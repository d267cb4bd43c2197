"""Resume never hands back numbers that another config, table, code or replication produced.

Every replication file carries the scenario's fingerprint and its index; a
file that is unreadable or does not match is recomputed and reported, never used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import sim
import sim.experiment.fingerprint as fp
from sim.experiment.execute import execute
from sim.world import generate_county, write_county
from tests.conftest import small_config


def _config(**run):
    """The small county over four months: resuming does not depend on the horizon."""
    return small_config(**{"horizon_days": 120, **run})


def _rerun(cfg, out: Path):
    (out / "manifest.json").unlink(missing_ok=True)  # as if the run had been killed before its end
    res = execute(cfg, output_dir=out)
    return res, res.manifest["replications_recomputed"]


def _same_runs(a, b) -> None:
    pd.testing.assert_frame_equal(a.runs, b.runs)


def test_killed_run_reuses_its_replications_without_complaint(tmp_path: Path):
    cfg = _config(replications=2)
    first = execute(cfg, output_dir=tmp_path)
    again, rejected = _rerun(cfg, tmp_path)
    assert rejected == []
    assert again.manifest["replications_resumed"] == 2
    _same_runs(first, again)


def test_finished_run_is_read_back_only_if_it_is_the_same_run(tmp_path: Path):
    cfg = _config(replications=2)
    first = execute(cfg, output_dir=tmp_path)
    again = execute(replace(cfg, run=replace(cfg.run, workers=2)), output_dir=tmp_path)
    assert again.manifest == first.manifest  # read back, not rerun: the manifest is the first one
    _same_runs(first, again)
    more = execute(replace(cfg, run=replace(cfg.run, replications=3)), output_dir=tmp_path)
    assert len(more.runs) == 3 and more.manifest["replications_resumed"] == 2


def test_truncated_file_is_recomputed_and_reported(tmp_path: Path):
    cfg = _config(replications=2)
    first = execute(cfg, output_dir=tmp_path)
    path = tmp_path / "replications" / "r00001.npz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    again, rejected = _rerun(cfg, tmp_path)
    assert len(rejected) == 1 and "r00001.npz: unreadable" in rejected[0]
    assert again.manifest["replications_resumed"] == 1
    _same_runs(first, again)
    assert _rerun(cfg, tmp_path)[1] == []  # the recomputed file is good again


def test_file_copied_from_another_replication_is_recomputed(tmp_path: Path):
    cfg = _config(replications=2)
    first = execute(cfg, output_dir=tmp_path)
    reps = tmp_path / "replications"
    shutil.copyfile(reps / "r00000.npz", reps / "r00001.npz")
    again, rejected = _rerun(cfg, tmp_path)
    assert len(rejected) == 1 and "holds replication 0, not 1" in rejected[0]
    _same_runs(first, again)


def test_changed_config_recomputes_every_replication(tmp_path: Path):
    cfg = _config(replications=2)
    execute(cfg, output_dir=tmp_path)
    other = replace(cfg, population=replace(cfg.population, mortality_scale=1.2))
    again, rejected = _rerun(other, tmp_path)
    assert len(rejected) == 2 and all("another config" in line for line in rejected)
    _same_runs(execute(other), again)


def test_changed_table_contents_recompute_every_replication(tmp_path: Path):
    d = write_county(generate_county(small_config().county), tmp_path / "county")
    cfg = _config(replications=2)
    cfg = replace(cfg, county=replace(cfg.county, source=str(d)))
    out = tmp_path / "out"
    first = execute(cfg, output_dir=out)
    villages = pd.read_csv(d / "villages.csv")
    for col in ("elders_60_69", "elders_70_79", "elders_80_plus"):
        villages[col] *= 2
    villages.to_csv(d / "villages.csv", index=False)  # same path, new contents
    again, rejected = _rerun(cfg, out)
    assert len(rejected) == 2
    assert (again.runs["elders_start"] > 1.8 * first.runs["elders_start"]).all()
    _same_runs(execute(cfg), again)


def test_changed_code_recomputes_every_replication(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cfg = _config(replications=2)
    execute(cfg, output_dir=tmp_path)
    monkeypatch.setattr(fp, "code_hash", lambda: "another revision")
    _, rejected = _rerun(cfg, tmp_path)
    assert len(rejected) == 2


def test_code_hash_follows_uncommitted_source_edits(tmp_path: Path):
    pkg = Path(sim.__file__).resolve().parent
    shutil.copytree(pkg, tmp_path / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    probe = [sys.executable, "-c", "from sim.experiment.fingerprint import code_hash; print(code_hash())"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    def hash_now() -> str:
        return subprocess.run(probe, cwd=tmp_path, env=env, capture_output=True, text=True,
                              check=True, timeout=60).stdout.strip()

    before = hash_now()
    assert before == hash_now()
    with (tmp_path / "sim" / "kernels" / "stats.py").open("a") as f:
        f.write("\n# an edit that is not committed\n")
    assert hash_now() != before


def _files(root: Path) -> dict[str, bytes]:
    """Every result file of a run directory (not the manifest: it holds times), by relative path."""
    skip = ("manifest.json",)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name not in skip}


def test_interrupted_run_resumed_equals_an_uninterrupted_one_byte_for_byte(tmp_path: Path):
    cfg = _config(replications=3, save_events="summary")
    whole = tmp_path / "whole"
    execute(cfg, output_dir=whole)
    cut = tmp_path / "cut"
    execute(cfg, output_dir=cut)
    # as if killed while replication 2 was being written: its replication file is gone and one
    # of its event tables is torn
    (cut / "manifest.json").unlink()
    (cut / "replications" / "r00002.npz").unlink()
    torn = cut / "events" / "meals" / "replication=00002" / "part-0.parquet"
    torn.write_bytes(torn.read_bytes()[:100])
    again = execute(cfg, output_dir=cut)
    assert again.manifest["replications_resumed"] == 2
    assert _files(cut) == _files(whole)


def test_event_tables_that_do_not_match_are_recomputed(tmp_path: Path):
    cfg = _config(replications=2, save_events="summary")
    first = execute(cfg, output_dir=tmp_path)
    meals = tmp_path / "events" / "meals"
    (meals / "replication=00000" / "part-0.parquet").unlink()               # missing
    again, rejected = _rerun(cfg, tmp_path)
    assert len(rejected) == 1 and "r00000.npz: event table meals unreadable" in rejected[0]
    shutil.copyfile(meals / "replication=00000" / "part-0.parquet",          # copied from another
                    meals / "replication=00001" / "part-0.parquet")
    again, rejected = _rerun(cfg, tmp_path)
    assert len(rejected) == 1 and "event table meals holds another replication" in rejected[0]
    _same_runs(first, again)
    pd.testing.assert_frame_equal(again.events("meals"), first.events("meals"))


def test_another_event_level_recomputes_and_leaves_no_table_of_the_old_level(tmp_path: Path):
    cfg = _config(replications=2, save_events="all")
    first = execute(cfg, output_dir=tmp_path)
    assert "visits" in first.event_names
    summary = replace(cfg, run=replace(cfg.run, save_events="summary"))
    again = execute(summary, output_dir=tmp_path)
    rejected = again.manifest["replications_recomputed"]
    assert len(rejected) == 2 and all("saved at level all" in line for line in rejected)
    assert "visits" not in sim.load(tmp_path).event_names
    assert not list((tmp_path / "events").glob("visits/*/*.parquet"))
    _same_runs(first, again)
    assert execute(summary, output_dir=tmp_path).manifest == again.manifest   # finished: read back


def test_changed_code_recomputes_event_tables_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cfg = _config(replications=2, save_events="summary")
    execute(cfg, output_dir=tmp_path)
    stamp = lambda: pq.read_schema(tmp_path / "events" / "meals" / "replication=00001" / "part-0.parquet") \
        .metadata[b"sim.fingerprint"]  # noqa: E731
    before = stamp()
    monkeypatch.setattr(fp, "code_hash", lambda: "another revision")
    res, rejected = _rerun(cfg, tmp_path)
    assert len(rejected) == 2
    assert stamp() != before and stamp().decode() == res.manifest["fingerprint"]
