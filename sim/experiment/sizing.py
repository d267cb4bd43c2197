"""Sizing studies 规模测算: the cheapest design that meets the targets (issue 18 item 1).

A sizing study is a Hydra multirun whose sweeper is Hydra's Optuna sweeper
(``hydra/sweeper: optuna``, TPE, a resumable SQLite study in the sweep directory): each trial is
one design (staffing and facility counts as config overrides), run as an ordinary job on the same
seed as every other trial (common random numbers), and returns to the sweeper the penalised
objective of `sim.kernels.selection.penalised`: ``sizing.objective`` (a cost KPI's mean) plus
``sizing.penalty_yuan`` times the summed relative misses of ``sizing.targets``.  Each job writes
``sizing.json`` beside its results: the design, the objective, feasibility and the target KPIs
with 95% t-intervals.

`summarise` (the `SizingSummary` callback at the end of the sweep, or
``python -m sim.experiment.sizing SWEEP_DIR``) reads them back into ``designs.csv`` (every design
tried) and ``sizing.csv`` / ``sizing.parquet`` (the best ``sizing.top`` feasible designs, cheapest
first; when none is feasible, the closest).  ``python -m sim.experiment.select SWEEP_DIR`` then picks
among the best few with a stated probability (Kim-Nelson).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
from hydra.experimental.callback import Callback

from sim.config.schema import SizingConfig
from sim.kernels.selection import penalised

RECORD = "sizing.json"
TABLE = "sizing"
ALL = "designs.csv"


def targets_arrays(sizing: SizingConfig) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(KPI names, target values, at_least flags) of the study's targets."""
    return ([t.kpi for t in sizing.targets], np.array([t.value for t in sizing.targets], dtype=float),
            np.array([t.at_least for t in sizing.targets], dtype=bool))


def evaluate(sizing: SizingConfig, summary) -> dict:
    """A design's worth from its results' summary frame (one row per KPI: mean, ci_low, ci_high)."""
    names, values, at_least = targets_arrays(sizing)
    rows = summary.set_index("kpi")
    missing = [k for k in [sizing.objective, *names] if k not in rows.index]
    if missing:
        raise KeyError(f"sizing: no KPI {', '.join(missing)} in the results (see summary.csv)")
    means = rows.loc[names, "mean"].to_numpy(dtype=float)
    cost = float(rows.loc[sizing.objective, "mean"])
    value, miss = penalised(np.array([cost]), means[None, :], values, at_least, sizing.penalty_yuan)
    kpis = {k: {"mean": float(rows.loc[k, "mean"]), "ci_low": float(rows.loc[k, "ci_low"]),
                "ci_high": float(rows.loc[k, "ci_high"])} for k in [sizing.objective, *names]}
    return {"objective": float(value[0]), "feasible": bool(miss.sum() == 0),
            "miss": {k: float(m) for k, m in zip(names, miss[0])}, "kpis": kpis,
            "replications": int(rows.loc[sizing.objective, "n"])}


def record_trial(sizing: SizingConfig, results, job_dir: Path, design: dict[str, str]) -> float:
    """Write ``job_dir/sizing.json`` and return the penalised objective for the sweeper."""
    worth = evaluate(sizing, results.summary)
    entry = {"job": Path(job_dir).name, "design": design, **worth}
    tmp = Path(job_dir) / f".{RECORD}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(entry, indent=2), encoding="utf-8")
    os.replace(tmp, Path(job_dir) / RECORD)
    return worth["objective"]


def read_trials(sweep_dir: str | Path):
    """Every design of a sizing sweep, one row each: design parameters, objective, feasibility,
    the target KPIs with their intervals; sorted feasible first, then by objective."""
    import pandas as pd

    rows = []
    for path in sorted(Path(sweep_dir).glob(f"*/{RECORD}")):
        e = json.loads(path.read_text(encoding="utf-8"))
        row = {"job": e["job"], "feasible": e["feasible"], "objective": e["objective"],
               "replications": e["replications"], **e["design"]}
        for kpi, s in e["kpis"].items():
            row.update({kpi: s["mean"], f"{kpi}_ci_low": s["ci_low"], f"{kpi}_ci_high": s["ci_high"]})
        row.update({f"miss_{k}": v for k, v in e["miss"].items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values(["feasible", "objective"], ascending=[False, True], kind="stable",
                             ignore_index=True)


def summarise(sweep_dir: str | Path, top: int = 10, echo: bool = True) -> Path:
    """Write ``designs.csv`` and ``sizing.csv`` / ``.parquet`` (the best ``top`` feasible designs,
    or the closest ones when none is feasible) in ``sweep_dir``; return the CSV's path."""
    d = Path(sweep_dir)
    trials = read_trials(d)
    if trials.empty:
        raise FileNotFoundError(f"{d}: no {RECORD} in any job: not a sizing sweep, or no job finished")
    trials.to_csv(d / ALL, index=False)
    feasible = trials[trials["feasible"]]
    best = (feasible if len(feasible) else trials).head(top).reset_index(drop=True)
    best.insert(0, "rank", np.arange(1, len(best) + 1))
    best.to_csv(d / f"{TABLE}.csv", index=False)
    best.to_parquet(d / f"{TABLE}.parquet", index=False)
    command = confirm_command(d, str(best["job"].iloc[0])) if len(best) else ""
    if command:
        (d / "confirm_command.txt").write_text(command + "\n", encoding="utf-8")
    if echo:
        print(describe(trials, best), flush=True)
        if command:
            print(f"confirm it on another seed with more replications:\n  {command}", flush=True)
        print(f"sizing table: {d / f'{TABLE}.csv'} (all {len(trials)} designs: {d / ALL})", flush=True)
    return d / f"{TABLE}.csv"


def confirm_command(sweep_dir: Path, job: str, replications: int = 20, horizon_days: int = 1095) -> str:
    """The command that runs ``job``'s design alone (Hydra run mode) on the next seed, with more
    replications and a 3-year horizon: the independent confirmation of a sizing study's answer."""
    import yaml

    from sim.experiment.store import read_config

    path = sweep_dir / job / ".hydra" / "overrides.yaml"
    if not path.exists():
        return ""
    overrides = [o for o in yaml.safe_load(path.read_text(encoding="utf-8"))
                 if not o.startswith(("run.seed=", "run.replications=", "run.horizon_days=", "hydra."))]
    seed = read_config(sweep_dir / job / "config.yaml").run.seed + 1
    return " ".join(["python -m sim", *overrides, "hydra.mode=RUN", f"run.seed={seed}",
                     f"run.replications={replications}", f"run.horizon_days={horizon_days}", "run.workers=0",
                     f"hydra.run.dir={sweep_dir / 'confirm'}"])


def _design_columns(frame) -> list[str]:
    fixed = {"rank", "job", "feasible", "objective", "replications"}
    return [c for c in frame.columns if c not in fixed and "." in c]


def describe(trials, best) -> str:
    """A few lines: how many designs were tried and feasible, and the best (or closest) design."""
    n_ok = int(trials["feasible"].sum())
    lines = [f"sizing: {len(trials)} designs evaluated, {n_ok} feasible"]
    if not len(best):
        return lines[0]
    first = best.iloc[0]
    lines.append(("cheapest feasible design" if n_ok else "no design meets every target; the closest")
                 + f" (job {first['job']}), objective {first['objective']:,.0f}:")
    lines += [f"  {c} = {first[c]}" for c in _design_columns(best)]
    for c in best.columns:
        if f"{c}_ci_low" in best.columns:
            lines.append(f"  {c}: {first[c]:.4g} [{first[c + '_ci_low']:.4g}, {first[c + '_ci_high']:.4g}]")
    return "\n".join(lines)


class SizingSummary(Callback):
    """Hydra callback of a sizing sweep: makes the sweep directory before the Optuna study opens its
    SQLite file there, and tabulates the designs when the sweep ends."""

    def on_multirun_start(self, config, **kwargs) -> None:
        Path(config.hydra.sweep.dir).mkdir(parents=True, exist_ok=True)

    def on_multirun_end(self, config, **kwargs) -> None:
        summarise(config.hydra.sweep.dir, int(config.sizing.top))


def main(argv: list[str] | None = None) -> None:
    """``python -m sim.experiment.sizing SWEEP_DIR [--top N]``."""
    parser = argparse.ArgumentParser(prog="python -m sim.experiment.sizing",
                                     description="Tabulate the designs of a sizing sweep.")
    parser.add_argument("sweep_dir")
    parser.add_argument("--top", type=int, default=10, help="designs in sizing.csv (default 10)")
    args = parser.parse_args(argv)
    try:
        summarise(args.sweep_dir, args.top)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()

__all__ = ["SizingSummary", "evaluate", "read_trials", "record_trial", "summarise"]
