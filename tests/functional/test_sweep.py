"""Hydra multirun: sweep index, failures recorded, resume after a kill, Dask backend."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim

TINY = ["county=plain", "run=quick", "report=none", "run.horizon_days=180"]


def _sweep(args: list[str], sweep_dir: Path, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", "-m", *args, f"hydra.sweep.dir={sweep_dir}"],
                          capture_output=True, text=True, timeout=600, cwd=sweep_dir.parent, **popen)


def test_multirun_writes_index_matches_single_runs_and_reports_read_the_sweep(tmp_path: Path):
    """One sweep of two scenarios with the report on: the index, each job equal to its single run,
    each job running only its scenario (no references, no briefing), and the compare and report
    commands reading the sweep."""
    with_report = [a for a in TINY if not a.startswith("report=")]
    proc = _sweep(["policy=baseline,emergency_15min", *with_report, "run.replications=2"], tmp_path / "sweep")
    assert proc.returncode == 0, proc.stderr
    sweep = sim.load(tmp_path / "sweep")
    assert list(sweep.index["status"]) == ["done", "done"]
    assert set(sweep.index["policy"]) == {"baseline", "emergency"}
    for row, res in zip(sweep.index.itertuples(), sweep.results()):
        single = sim.run([f"policy={row.overrides.split()[0].split('=')[1]}", *TINY], replications=2)
        pd.testing.assert_frame_equal(res.runs, single.runs)
    assert "replications:" not in proc.stderr          # no progress bar off a terminal
    jobs = [tmp_path / "sweep" / p for p in sweep.index["path"]]
    assert len(jobs) == 2 and all((j / "runs.parquet").exists() for j in jobs)
    assert not any((j / "scenarios").exists() or (j / "briefing").exists() for j in jobs)
    # the compare and report commands, in-process (their `python -m` entries are run by
    # test_compare.py and test_report_briefing.py): they take a sweep directory
    from sim.compare import main as compare_main
    from sim.report.__main__ import main as report_main

    assert compare_main([str(tmp_path / "sweep"), "--out", str(tmp_path / "c.csv")]) in (0, None)
    assert len(pd.read_csv(tmp_path / "c.csv")["scenario"].unique()) == 2
    # small PNGs (--dpi 40): the page is read here, not looked at
    assert report_main([str(tmp_path / "sweep"), "--out", str(tmp_path / "brief"), "--lang", "en",
                        "--dpi", "40"]) == 0
    assert (tmp_path / "brief" / "briefing.html").exists()


CRASH = """
import importlib
ex = importlib.import_module("sim.experiment.execute")
_execute = ex.execute
def execute(cfg, *args, **kwargs):
    if cfg.run.seed == 13:
        raise RuntimeError("injected crash")
    return _execute(cfg, *args, **kwargs)
ex.execute = execute
"""


def test_failing_scenario_is_recorded_and_the_others_finish(tmp_path: Path):
    """A job that crashes while running (here a crash injected at start-up) is recorded; the rest run."""
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(CRASH, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(inject), os.environ.get("PYTHONPATH", "")])}
    proc = _sweep(["run.seed=1,13", *TINY], tmp_path / "sweep", env=env)
    index = pd.read_csv(tmp_path / "sweep" / "index.csv", keep_default_na=False)
    status = dict(zip(index["overrides"].str.contains("seed=13"), index["status"]))
    assert status == {True: "failed", False: "done"}, proc.stderr
    assert "injected crash" in proc.stderr
    failed = index.loc[index["status"] == "failed", "job"].item()
    assert proc.returncode == 1
    assert f"error: 1 of 2 jobs failed: {failed}" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_sweep_with_an_invalid_job_stops_before_anything_runs(tmp_path: Path):
    proc = _sweep(["run.replications=2,0", *TINY], tmp_path / "sweep")
    assert proc.returncode == 2
    assert "[run.replications=0] run.replications = 0" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "sweep").exists()


@pytest.mark.slow   # two sweeps and two references of 16 plain replication-years: ~45 s on 2 cores
def test_killed_sweep_resumes_to_identical_results_without_rerunning(tmp_path: Path):
    args = ["policy=baseline,consolidation", *TINY, "run.replications=8", "run.horizon_days=365"]
    sweep = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "sim", "-m", *args, f"hydra.sweep.dir={sweep}"]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and not list(sweep.glob("*/replications/r00002.npz")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = sorted(p.name for p in sweep.glob("*/replications/r*.npz"))
    assert 0 < len(first) < 16, "killed midway"
    again = _sweep(args, sweep)
    assert again.returncode == 0, again.stderr
    resumed = sim.load(sweep)
    assert list(resumed.index["status"]) == ["done", "done"]
    manifests = [res.manifest for res in resumed.results()]
    assert sum(m["replications_resumed"] for m in manifests) >= len(first) - 2   # torn files excluded
    for row, res in zip(resumed.index.itertuples(), resumed.results()):
        policy = "baseline" if "baseline" in row.overrides else "consolidation"
        reference = sim.run([f"policy={policy}", *TINY, "run.replications=8", "run.horizon_days=365"])
        pd.testing.assert_frame_equal(res.runs, reference.runs)
        # the event tables too, byte for byte (the uninterrupted run wrote them to a temporary dir)
        assert _event_files(res.path / "events") == _event_files(next(iter(reference._events.values())))


def _event_files(root: Path) -> dict[str, bytes]:
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}
    assert files, root
    return files


@pytest.mark.slow   # a Dask cluster, a sweep and its serial references: ~22 s on 2 cores
def test_dask_cluster_gives_the_serial_results(tmp_path: Path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        proc = _sweep(["policy=baseline,emergency_15min", *TINY, "run.replications=3", "run.backend=dask",
                       f"run.dask_address={cluster.scheduler_address}"], tmp_path / "sweep")
    assert proc.returncode == 0, proc.stderr
    for row, res in zip(sim.load(tmp_path / "sweep").index.itertuples(),
                        sim.load(tmp_path / "sweep").results()):
        policy = "baseline" if "baseline" in row.overrides else "emergency_15min"
        serial = sim.run([f"policy={policy}", *TINY, "run.replications=3"])
        pd.testing.assert_frame_equal(res.runs, serial.runs)
        assert res.manifest["backend"] == "dask"
        for name in ("meals", "emergency"):  # written by the Dask workers
            pd.testing.assert_frame_equal(res.events(name), serial.events(name))
