"""``python -m sim.sensitivity [OVERRIDES] [--run DIR] [--replications N] ...``: which assumptions
drive the headline KPIs (one at a time: a tornado chart; optionally Sobol' indices through SALib).

The scenario is composed from Hydra-style OVERRIDES (as ``python -m sim``), or read from a finished
run (``--run DIR``: its ``config.yaml``); results go to ``DIR/sensitivity/`` (``--run``) or
``--out``/sensitivity: ``oat.parquet`` (every variant x replication x KPI), ``tornado.csv`` (the
first KPI: the briefing of a run shows it), ``tornado_<kpi>.csv`` and ``.png``/``.pdf`` per KPI,
``sobol.csv`` with ``--sobol N``, ``sensitivity.md`` (the five largest swings and indices of every
KPI) and ``sensitivity.json`` (what was run).  Bad input: one ``error:`` line, exit status 2.

`SensitivityStudy` is the Hydra callback of a named sensitivity experiment
(``python -m sim +experiment=sensitivity_hill``): after the main job it runs this analysis on the
finished run (``--run DIR``) and rebuilds the run's briefing, which then shows the tornado and the
Sobol' indices.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from hydra.experimental.callback import Callback

from sim.config.errors import UserInputError
from sim.experiment.app import compose
from sim.experiment.sensitivity import one_at_a_time, sobol, tornado, uncertain
from sim.experiment.store import code_revision, read_config
from sim.report.charts import save
from sim.report.labels import LANGS
from sim.report.tornado import TABLE_NAME, tornado_chart

HEADLINE = "emergency_within_target_share"
TOP_NOTE = 5   # rows per KPI in sensitivity.md


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sim.sensitivity", description=__doc__.split("\n\n")[0])
    p.add_argument("overrides", nargs="*", help="config overrides, e.g. county=hill run.horizon_days=365")
    p.add_argument("--run", help="a finished run directory: its config, and DIR/sensitivity for the output")
    p.add_argument("--out", default="results/sensitivity", help="output directory without --run "
                                                               "(default %(default)s)")
    p.add_argument("--replications", type=int, default=5, help="replications per variant (default 5)")
    p.add_argument("--workers", type=int, default=0, help="processes (0 = all cores)")
    p.add_argument("--kpi", action="append", help=f"KPIs (repeatable; default {HEADLINE}); the first "
                                                  "is the briefing's")
    p.add_argument("--only", action="append", help="only parameters whose path starts with this")
    p.add_argument("--top", type=int, default=10, help="bars in the chart (default 10)")
    p.add_argument("--lang", choices=LANGS, action="append", help="chart language(s) (default zh and en)")
    p.add_argument("--sobol", type=int, default=0, metavar="N",
                   help="also Sobol' indices from N (a power of 2) x (k + 2) evaluations (0: no)")
    p.add_argument("--sobol-top", type=int, default=0, metavar="K",
                   help="Sobol' over the tornado's K largest swings only (0: every parameter)")
    p.add_argument("--sobol-replications", type=int, default=1, help="replications per Sobol' point")
    p.add_argument("--confirm", type=int, default=0, metavar="K",
                   help="screen every parameter with --replications, then run the first KPI's K largest "
                        "swings again with --confirm-replications: the tornado of the first KPI (0: no)")
    p.add_argument("--confirm-replications", type=int, default=10, help="replications of the confirmation")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.replications < 2 or (args.confirm and args.confirm_replications < 2):
        print("error: --replications must be at least 2 (a paired interval needs two)", file=sys.stderr)
        return 2
    try:
        if args.run:
            if not (Path(args.run) / "config.yaml").is_file():
                raise FileNotFoundError(f"{args.run}: not a finished run (no config.yaml)")
            cfg, out = read_config(Path(args.run) / "config.yaml"), Path(args.run) / "sensitivity"
        else:
            cfg, out = compose(args.overrides), Path(args.out) / "sensitivity"
        cfg = replace(cfg, run=replace(cfg.run, workers=args.workers))
        kpis = args.kpi or [HEADLINE]
        t0 = time.perf_counter()
        oat = one_at_a_time(cfg, args.replications, args.workers, args.only)
        missing = [k for k in kpis if k not in oat.columns]
        if missing:
            raise KeyError(f"no KPI {', '.join(missing)} in this scenario")
    except (UserInputError, FileNotFoundError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    oat.to_parquet(out / "oat.parquet", index=False)
    params = uncertain(cfg, args.only)
    tables = {k: tornado(oat, k, params) for k in kpis}
    confirmed = None
    if args.confirm:
        # screening (every parameter, few replications), then the headline's largest swings again
        # with enough replications for intervals that separate them
        tables[kpis[0]].to_csv(out / f"tornado_screen_{kpis[0]}.csv", index=False)
        confirmed = list(tables[kpis[0]]["path"].head(args.confirm))
        again = one_at_a_time(cfg, args.confirm_replications, args.workers, paths=confirmed)
        again.to_parquet(out / "oat_confirm.parquet", index=False)
        tables[kpis[0]] = tornado(again, kpis[0], params)
    tables[kpis[0]].to_csv(out / TABLE_NAME, index=False)
    for kpi, table in tables.items():
        table.to_csv(out / f"tornado_{kpi}.csv", index=False)
        for lang in args.lang or list(LANGS):
            save(tornado_chart(table, lang, args.top), out / f"tornado_{kpi}_{lang}")
        print(f"{kpi}: base {table['base'].iloc[0]:.4g}; largest swings:")
        for row in table.head(args.top).itertuples():
            print(f"  {row.path:<48} low {row.low:.4g}  high {row.high:.4g}  swing {row.swing:.4g}"
                  f"  [high-low {row.diff_ci_low:.3g}, {row.diff_ci_high:.3g}]")
    note = {"kind": "one_at_a_time", "replications": args.replications, "seed": cfg.run.seed,
            "confirm": ({"parameters": confirmed, "replications": args.confirm_replications}
                        if confirmed else None),
            "horizon_days": cfg.run.horizon_days, "county": cfg.county.name, "policy": cfg.policy.label(),
            "parameters": [p.path for p in params], "kpis": kpis, "overrides": args.overrides,
            "run": args.run, "code": code_revision()}
    if args.sobol:
        only, paths = args.only, None
        if args.sobol_top:
            paths = list(tables[kpis[0]]["path"].head(args.sobol_top))
        indices = sobol(cfg, kpis, args.sobol, args.sobol_replications, args.workers, only, paths)
        indices.to_csv(out / "sobol.csv", index=False)
        note["sobol"] = {"base_samples": args.sobol, "parameters": paths or only or "all",
                         "evaluations": int(indices["evaluations"].iloc[0]),
                         "replications": args.sobol_replications}
        print(indices.to_string(index=False))
    note["wall_seconds"] = round(time.perf_counter() - t0, 1)
    (out / "sensitivity.json").write_text(json.dumps(note, indent=2, default=str), encoding="utf-8")
    (out / "sensitivity.md").write_text(markdown(tables, indices if args.sobol else None, note),
                                        encoding="utf-8")
    print(f"written: {out}")
    return 0


def _confirm_note(confirm: dict | None) -> str:
    if not confirm:
        return ""
    return (f" The first KPI's {len(confirm['parameters'])} largest swings were run again with "
            f"{confirm['replications']} replications (its table below).")


def markdown(tables: dict, indices, note: dict) -> str:
    """The five largest swings of every KPI (paired 95% intervals of high minus low) and, if
    computed, its five largest Sobol' total indices, as Markdown."""
    lines = [f"# Sensitivity: {note['county']}, policy {note['policy']}", "",
             f"One at a time: {len(note['parameters'])} assumptions at their bounds, "
             f"{note['replications']} replications each on common random numbers, "
             f"{note['horizon_days']} days." + _confirm_note(note.get("confirm")), ""]
    for kpi, table in tables.items():
        if table.empty:
            continue
        lines += [f"## {kpi} (base {table['base'].iloc[0]:.4g}; {int(table['replications'].iloc[0])} "
                  "replications a variant)", "",
                  "| rank | assumption | range | at low | at high | swing | high - low, 95% interval |",
                  "|---|---|---|---|---|---|---|"]
        for k, r in enumerate(table.head(TOP_NOTE).itertuples(), start=1):
            rng = (f"x{r.low_value:g}-x{r.high_value:g}" if r.apply == "scale"
                   else f"{r.low_value:g}-{r.high_value:g}")
            lines.append(f"| {k} | `{r.path}` | {rng} | {r.low:.4g} | {r.high:.4g} | {r.swing:.4g} "
                         f"| [{r.diff_ci_low:.3g}, {r.diff_ci_high:.3g}] |")
        lines.append("")
        if indices is not None and (indices["kpi"] == kpi).any():
            mine = indices[indices["kpi"] == kpi].sort_values("ST", ascending=False, kind="stable")
            lines += [f"Sobol' indices ({int(mine['evaluations'].iloc[0])} scenarios x "
                      f"{int(mine['replications'].iloc[0])} replication(s), {len(mine)} assumptions; "
                      "95% bootstrap intervals):", "",
                      "| assumption | S1 | S1 95% interval | ST | ST 95% interval |", "|---|---|---|---|---|"]
            for r in mine.head(TOP_NOTE).itertuples():
                lines.append(f"| `{r.path}` | {r.S1:.3f} | [{r.S1 - r.S1_conf:.3f}, {r.S1 + r.S1_conf:.3f}] "
                             f"| {r.ST:.3f} | [{r.ST - r.ST_conf:.3f}, {r.ST + r.ST_conf:.3f}] |")
            lines.append("")
    lines.append(f"Wall time: {note['wall_seconds']:.0f} s.")
    return "\n".join(lines) + "\n"


class SensitivityStudy(Callback):
    """Hydra callback: the sensitivity analysis of the finished main job, then its briefing again.

    ``kpis`` (the first is the briefing's), ``replications`` per one-at-a-time variant, ``sobol``
    base samples (0: no Sobol'), ``sobol_top`` (Sobol' over the tornado's largest swings),
    ``confirm`` / ``confirm_replications`` (the first KPI's largest swings run again),
    ``workers`` (0: all cores), ``only`` (parameters whose path starts with one of these)."""

    def __init__(self, kpis: list[str] | None = None, replications: int = 3, sobol: int = 0,
                 sobol_top: int = 0, sobol_replications: int = 1, workers: int = 0,
                 only: list[str] | None = None, confirm: int = 0, confirm_replications: int = 10):
        self.argv = ["--replications", str(replications), "--workers", str(workers)]
        if confirm:
            self.argv += ["--confirm", str(confirm), "--confirm-replications", str(confirm_replications)]
        for prefix in only or []:
            self.argv += ["--only", str(prefix)]
        for kpi in kpis or [HEADLINE]:
            self.argv += ["--kpi", str(kpi)]
        if sobol:
            self.argv += ["--sobol", str(sobol), "--sobol-top", str(sobol_top),
                          "--sobol-replications", str(sobol_replications)]

    def on_run_end(self, config, job_return=None, **kwargs) -> None:
        from hydra.core.utils import JobStatus

        if job_return is None or job_return.status != JobStatus.COMPLETED:
            return
        out = Path(job_return.hydra_cfg.hydra.runtime.output_dir)
        status = main([*self.argv, "--run", str(out)])
        if status != 0:
            raise SystemExit(status)
        rebuild_briefing(out, str(config.report.lang))


def rebuild_briefing(run_dir: Path, lang: str = "zh") -> Path | None:
    """The briefing of a finished main job again (today's network first, then the main scenario and
    the compared ones under ``scenarios/``), now with its sensitivity section; None without one."""
    if not (run_dir / "briefing").is_dir():
        return None
    from sim.experiment.store import load
    from sim.report.briefing import build_briefing

    done = [load(run_dir)] + [load(d) for d in sorted((run_dir / "scenarios").glob("*"))
                              if (d / "runs.parquet").is_file()]
    ordered = sorted(done, key=lambda r: r.config.policy.label() != "baseline")
    page = build_briefing(ordered, run_dir / "briefing", lang=lang)
    print(f"briefing with the sensitivity section: {page}", flush=True)
    return page


if __name__ == "__main__":
    sys.exit(main())
