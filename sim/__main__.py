"""``python -m sim [overrides]``: run a scenario composed from ``configs/``.

The main job runs the composed scenario into Hydra's output directory; then,
unless ``report=none``, it runs ``baseline`` (today's network, the reference of
every comparison whatever ``policy=`` says) and each policy of ``report.compare``
on the same county, seed and run settings into ``scenarios/<policy>/``, prints
each scenario beside the baseline (labels, units, paired differences) and
writes a briefing (charts, comparison, HTML and PDF) into ``briefing/``, with a
progress line per step.

Under ``-m`` (Hydra multirun) each job runs only its own scenario (no
comparison scenarios, no briefing: ``python -m sim.report SWEEP_DIR`` and
``python -m sim.compare SWEEP_DIR`` build those across the sweep's jobs) and
writes its entry of the sweep index; a job that fails is recorded with its
traceback and the sweep goes on, then exits with status 1 naming the failed jobs.
In a sizing study (``sizing.enabled``, Hydra's Optuna sweeper) a job returns its
penalised objective (`sim.experiment.sizing`) to the sweeper instead.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import replace
from pathlib import Path

from sim.config.errors import Problem, UserInputError
from sim.config.schema import PolicyConfig, SimConfig
from sim.experiment.app import (
    compose_in_job,
    hydra_app,
    job_context,
    read_command_line,
    report_errors,
    sibling_overrides,
    sweep_context,
)
from sim.experiment.execute import execute, format_summary
from sim.experiment.results import Results
from sim.experiment.runner import shared_workers
from sim.experiment.sweep import record_job


def _compared(cfg: SimConfig, out: Path, overrides: list[str]) -> list[tuple[SimConfig, list[str], Path]]:
    """The scenarios run beside the main one: ``baseline`` (today's network, the reference of
    every comparison, whatever ``policy=`` says) unless the main scenario is it, then each policy
    of ``report.compare`` not run already; (config, overrides, output dir) each."""
    if not (cfg.report.briefing or cfg.report.compare):
        return []
    seen, out_list = [cfg.policy], []
    # the main scenario is today's network as it composes by default: no need to compose
    # ``baseline`` (about a second) to find it is the same
    default = cfg.policy == PolicyConfig() and not any(
        o.lstrip("+~").startswith(("policy", "experiment")) for o in overrides)
    for policy in ["baseline", *cfg.report.compare]:
        if policy == "baseline" and default:
            continue
        sib = sibling_overrides(overrides, policy)
        other = report_errors(lambda s=sib: compose_in_job(s))
        if other.policy in seen:
            continue  # the main scenario (or baseline) already is this policy
        seen.append(other.policy)
        out_list.append((other, sib, out / "scenarios" / policy))
    return out_list


def scenario_job(cfg: SimConfig) -> Results:
    from sim.report.labels import horizon_text, phrase, policy_label
    from sim.report.terminal import Progress, side_by_side

    out, overrides = job_context()
    lang, say = cfg.report.lang, Progress()
    plan = [(cfg, overrides, out), *_compared(cfg, out, overrides)]
    done = []
    with shared_workers():          # the scenarios' replications on the same pool workers
        for k, (c, o, where) in enumerate(plan, start=1):
            name = policy_label(c.policy.label(), lang)
            say(phrase("terminal.scenario", lang, k=k, total=len(plan), label=name, policy=c.policy.label(),
                       n=c.run.replications, horizon=horizon_text(c.run.horizon_days, lang)))
            res = report_errors(lambda c=c, o=o, w=where: execute(c, output_dir=w, overrides=o))
            say(phrase("terminal.scenario_done", lang, label=name, seconds=res.manifest["wall_seconds"],
                       path=res.path))
            done.append(res)
    # baseline first: the reference of the table and the briefing
    ordered = sorted(done, key=lambda r: r.config.policy.label() != "baseline")
    print(report_errors(lambda: side_by_side(ordered, lang)), flush=True)
    if cfg.report.briefing:
        from sim.report.briefing import build_briefing

        page = report_errors(lambda: build_briefing(
            ordered, out / "briefing", lang=lang, workers=cfg.run.workers,
            progress=lambda step: say(phrase("terminal.briefing", lang, step=step))))
        say(phrase("terminal.briefing_done", lang, path=page))
        say(phrase("terminal.briefing_pdf", lang, path=page.with_suffix(".pdf")))
    return done[0]


def job(cfg: SimConfig) -> Results | float | None:
    sweep = sweep_context()
    if sweep is None:
        return scenario_job(cfg)
    sweep_dir, parallel_launcher = sweep
    out, overrides = job_context()
    if parallel_launcher and cfg.run.workers != 1:
        print(f"note: the launcher runs jobs in parallel; run.workers={cfg.run.workers} -> 1 per job")
        cfg = replace(cfg, run=replace(cfg.run, workers=1))
    from sim.world import county_config, explicit_fields

    # a county loaded from tables is named by its county.yaml or folder, not by the preset
    county = county_config(cfg.county, explicit_fields(overrides))
    who = {"county": county.name, "policy": cfg.policy.label()}
    record_job(sweep_dir, out, overrides, "running", **who)
    try:
        results = report_errors(lambda: execute(cfg, output_dir=out, overrides=overrides))
        if not cfg.sizing.enabled:   # a sizing trial prints its one line below
            print(format_summary(results))
    except SystemExit as exc:  # a user error already printed
        record_job(sweep_dir, out, overrides, "failed", error=f"exit {exc.code}", **who)
        return None
    except Exception as exc:  # noqa: BLE001 - a failing scenario must not stop the sweep
        record_job(sweep_dir, out, overrides, "failed", error=f"{type(exc).__name__}: {exc}",
                   traceback=traceback.format_exc(), **who)
        print(f"error: scenario {' '.join(overrides)} failed: {exc} (see {sweep_dir / 'index.csv'})")
        return None
    record_job(sweep_dir, out, overrides, "done", **who)
    if cfg.sizing.enabled:   # a sizing trial: the Optuna sweeper is given the penalised objective
        from sim.experiment.sizing import record_trial

        value = record_trial(cfg.sizing, results, out, design_of(overrides))
        print(f"sizing trial {out.name}: objective {value:,.0f} ({results.manifest['wall_seconds']:.0f} s)")
        return value
    return results


def design_of(overrides: list[str]) -> dict[str, str]:
    """The overrides of a job that its sweeper chose (the keys of ``hydra.sweeper.params``)."""
    from hydra.core.hydra_config import HydraConfig

    params = HydraConfig.get().sweeper.get("params") or {}
    pairs = [o.split("=", 1) for o in overrides if "=" in o]
    return {k: v for k, v in pairs if k in params}


def check_references(cfg: SimConfig) -> list[Problem]:
    """References checked before anything runs: policies to the county's homes (the policy plan
    is built on the county), KPIs of ``report.targets`` and ``run.auto_kpi`` (their names live in
    the report layer).  A county that cannot be loaded raises `DataError`."""
    from sim.config.errors import ConfigError
    from sim.policy import plan
    from sim.report.labels import has_label
    from sim.world import build_county

    try:
        plan(cfg.policy, cfg.services, build_county(cfg.county))
        out = []
    except ConfigError as exc:
        out = list(exc.problems)
    out += [Problem(f"report.targets[{i}].kpi", t.kpi, "no such KPI (see the kpi column of summary.csv)")
           for i, t in enumerate(cfg.report.targets) if not has_label(t.kpi)]
    out += [Problem(f"sizing.targets[{i}].kpi", t.kpi, "no such KPI (see the kpi column of summary.csv)")
            for i, t in enumerate(cfg.sizing.targets) if not has_label(t.kpi)]
    if not has_label(cfg.sizing.objective):
        out.append(Problem("sizing.objective", cfg.sizing.objective,
                           "no such KPI (see the kpi column of summary.csv)"))
    if cfg.run.replications == "auto" and not has_label(cfg.run.auto_kpi):
        out.append(Problem("run.auto_kpi", cfg.run.auto_kpi,
                           "no such KPI (see the kpi column of summary.csv)"))
    return out


def warnings_of(cfg: SimConfig) -> list[str]:
    """One line per suspicious but valid setting; builds (or loads) the county to look at it."""
    from sim.config.validate import config_warnings
    from sim.world import build_county
    from sim.world.checks import county_warnings

    return config_warnings(cfg) + county_warnings(build_county(cfg.county))


def main(argv: list[str] | None = None) -> None:
    """``python -m sim [flags] [overrides]``: every job is composed and checked first; a mistake
    is one message on standard error and exit status 2."""
    argv = list(sys.argv[1:] if argv is None else argv)
    line = report_errors(lambda: read_command_line(argv, check_references))
    if line is not None:
        argv = line.argv
        for _, cfg in line.jobs[:1] if line.multirun else line.jobs:
            for warning in report_errors(lambda c=cfg: warnings_of(c)):
                print(f"warning: {warning}", file=sys.stderr)
    sys.argv = [sys.argv[0], *argv]
    hydra_app(job)()


if __name__ == "__main__":
    main()

__all__ = ["UserInputError", "job", "main", "scenario_job"]
