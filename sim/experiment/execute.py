"""Run a validated scenario end to end and assemble its `Results`."""

from __future__ import annotations

import json
import logging
import platform
import shutil
import tempfile
import time
import weakref
from dataclasses import replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import numpy as np

from sim.config.errors import ConfigError, Problem
from sim.config.schema import SimConfig, event_level
from sim.experiment.events import table_names
from sim.experiment.fingerprint import fingerprint
from sim.experiment.outcomes import runs_table, summary_frame
from sim.experiment.results import Results
from sim.experiment.runner import Output, ReplicationStore, effective_workers, run_replications
from sim.experiment.scenario import Scenario, build_scenario
from sim.experiment.store import code_revision, load, package_versions, read_config, write_results
from sim.experiment.uncertainty import parameter_table
from sim.kernels.stats import replications_needed, t_interval
from sim.world import county_config, explicit_fields

_log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def execute(cfg: SimConfig, output_dir: str | Path | None = None,
            overrides: list[str] | None = None) -> Results:
    """Validate, build, run every replication, evaluate; write to ``output_dir`` if given.

    A county loaded from tables takes its name and settings from their ``county.yaml`` (or
    its directory's name), except the county fields set in ``overrides``.

    Workers write each replication's event tables (``run.save_events``) under
    ``output_dir/events`` (without an output directory: a temporary directory that
    lives as long as the returned `Results`) and send back only its KPIs.
    """
    started, t0 = _now(), time.perf_counter()
    cfg = replace(cfg, county=county_config(cfg.county, explicit_fields(overrides)))
    scenario = build_scenario(cfg)
    level = event_level(cfg.run.save_events)
    if level != str(cfg.run.save_events):
        _log.warning("run.save_events=%s is deprecated: use run.save_events=%s", cfg.run.save_events, level)
    fp = fingerprint(scenario)
    store, temporary = None, None
    if output_dir is not None:
        store = ReplicationStore(output_dir, fp, level)
        if (done := finished_run(output_dir, cfg, fp)) is not None:
            return done
        output = store.output
    else:
        temporary = tempfile.mkdtemp(prefix="sim-events-") if level != "none" else None
        output = Output(temporary, level, fp)
    run = partial(run_replications, scenario, workers=cfg.run.workers, store=store, output=output,
                  backend=cfg.run.backend, dask_address=cfg.run.dask_address)
    if cfg.run.replications == "auto":
        rows, runs, precision = _run_to_precision(scenario, run)
        replications = list(range(len(rows)))
    else:
        replications = list(range(cfg.run.replications))
        rows = run(replications)
        runs, precision = runs_table(scenario, replications, rows), None
    manifest = {
        "scenario": {"county": cfg.county.name, "policy": cfg.policy.label()},
        "seed": cfg.run.seed,
        "replications": len(replications),
        "replications_rule": "auto" if precision else "fixed",
        "replications_resumed": len(store.loaded & set(replications)) if store is not None else 0,
        "replications_recomputed": list(store.rejected) if store is not None else [],
        "fingerprint": fp if store is not None else None,
        "save_events": level,
        "backend": cfg.run.backend,
        "precision": precision,
        "workers": effective_workers(cfg.run.workers, len(replications)),
        "horizon_days": cfg.run.horizon_days,
        "months_simulated": scenario.months,
        "targets": {"emergency_minutes": scenario.plan.services.emergency.target_minutes},
        "uncertainty": _uncertainty_note(cfg),
        "county": scenario.county.summary(),
        "overrides": list(overrides or []),
        "code": code_revision(),
        "packages": package_versions(),
        "python": platform.python_version(),
        "started": started,
        "finished": _now(),
        "wall_seconds": round(time.perf_counter() - t0, 3),
    }
    villages, facilities = scenario.plan.county.frames()
    on_disk = {}
    if temporary is not None:
        on_disk = {name: Path(temporary) for name in table_names(temporary)}
    results = Results(runs=runs, summary=summary_frame(runs, cfg.report.targets), config=cfg,
                      manifest=manifest, _events=on_disk,
                      parameters=parameter_table(cfg, replications) if cfg.run.uncertainty else None,
                      _world={"villages": villages, "facilities": facilities})
    if temporary is not None:
        weakref.finalize(results, shutil.rmtree, temporary, ignore_errors=True)
    if output_dir is not None:
        write_results(results, output_dir)
    return results


def _uncertainty_note(cfg: SimConfig) -> dict | None:
    """What the manifest says of parameter uncertainty: off (None), or how the draws were made."""
    if not cfg.run.uncertainty:
        return None
    return {"parameters": [p.path for p in cfg.uncertainty.parameters],
            "streams": "uncertainty.<path>: SeedSequence(seed, spawn_key=(replication, key(name)))",
            "draws": "parameters.csv (one row per replication)"}


def finished_run(directory: str | Path, cfg: SimConfig, fp: str) -> Results | None:
    """The run already written in ``directory`` if it is this very run, else None.

    "This very run": its manifest (written last) carries the same fingerprint
    (config, input tables, code), and its config equals ``cfg`` apart from the
    settings that cannot change a number (workers, backend, Dask address).
    Rerunning a finished sweep then reads its jobs back instead of redoing them.
    """
    d = Path(directory)
    try:
        manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("fingerprint") != fp or cfg.run.replications == "auto":
            return None
        stored = read_config(d / "config.yaml")
    except Exception:  # noqa: BLE001 - anything unreadable or foreign means "run it"
        return None
    neutral = {k: getattr(stored.run, k) for k in ("workers", "backend", "dask_address")}
    if stored != replace(cfg, run=replace(cfg.run, **neutral)):
        return None
    try:
        results = load(d)
    except (OSError, ValueError):
        return None
    _log.info("%s: finished run with fingerprint %s, read back instead of rerun", d, fp)
    return results


def _run_to_precision(scenario: Scenario, run_batch):
    """Replications 0, 1, 2, ... in batches until ``auto_kpi``'s interval is narrow enough.

    Replication r depends only on (seed, r), so the result equals a fixed run of
    the final count.
    """
    run = scenario.config.run
    per_rep: list = []
    batch = run.auto_batch
    while True:
        new = range(len(per_rep), min(len(per_rep) + batch, run.auto_max))
        per_rep += run_batch(new)
        runs = runs_table(scenario, list(range(len(per_rep))), per_rep)
        if run.auto_kpi not in runs.columns:
            kpis = [c for c in runs.columns if c not in ("replication", "seed")]
            raise ConfigError([Problem("run.auto_kpi", run.auto_kpi, "one of the KPIs: " + ", ".join(kpis))])
        values = runs[run.auto_kpi].to_numpy(dtype=float)
        half = float(t_interval(values)["half_width"][0])
        if half <= run.auto_half_width or len(per_rep) >= run.auto_max:
            return per_rep, runs, {"kpi": run.auto_kpi, "half_width": half,
                                   "target_half_width": run.auto_half_width,
                                   "reached": bool(half <= run.auto_half_width)}
        need = replications_needed(values, run.auto_half_width)[0]
        batch = int(np.clip((need if np.isfinite(need) else 0) - len(per_rep), 1, run.auto_max))


def _num(x: float) -> str:
    if x != x:
        return "-"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}" if abs(x) >= 1 else f"{x:.4f}"


def format_summary(results: Results) -> str:
    """A plain-text table of KPI means and 95% intervals."""
    m = results.manifest
    width = max(len(k) for k in results.summary["kpi"]) + 2
    lines = [f"county {m['scenario']['county']} ({m['county']['elders']} elders, "
             f"{m['county']['villages']} villages), policy {m['scenario']['policy']}, "
             f"{m['replications']} replications x {m['months_simulated']} months, "
             f"seed {m['seed']}, wall time {m['wall_seconds']:.1f} s",
             f"{'KPI':<{width}}{'mean':>14}{'95% interval':>30}"]
    for row in results.summary.itertuples(index=False):
        interval = f"[{_num(row.ci_low)}, {_num(row.ci_high)}]" if row.n > 1 else "-"
        lines.append(f"{row.kpi:<{width}}{_num(row.mean):>14}{interval:>30}")
    if results.path is not None:
        lines.append(f"results: {results.path}")
        written = m.get("disk_bytes")
        if written:
            lines.append(f"on disk: {written['total'] / 1e6:.1f} MB (event tables "
                         f"{written['events'] / 1e6:.1f} MB, replication files "
                         f"{written['replications'] / 1e6:.2f} MB;"
                         f" run.save_events={m.get('save_events', '?')})")
    return "\n".join(lines)
