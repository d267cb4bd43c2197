"""``python -m sim [overrides]``: run a scenario composed from ``configs/``.

The main job runs the composed scenario into Hydra's output directory; then,
unless ``report=none``, it runs each policy of ``report.compare`` on the same
county, seed and run settings into ``scenarios/<policy>/`` and writes a
briefing (charts, comparison, HTML and PDF) into ``briefing/``.
"""

from __future__ import annotations

from sim.config.schema import SimConfig
from sim.experiment.app import compose_in_job, hydra_app, job_context, report_errors, sibling_overrides
from sim.experiment.execute import execute, format_summary
from sim.experiment.results import Results


def job(cfg: SimConfig) -> Results:
    out, overrides = job_context()
    results = report_errors(lambda: execute(cfg, output_dir=out, overrides=overrides))
    print(format_summary(results))
    compared = [results]
    for policy in cfg.report.compare:
        sib = sibling_overrides(overrides, policy)
        other_cfg = report_errors(lambda s=sib: compose_in_job(s))
        if other_cfg.policy == cfg.policy:
            continue  # the main scenario already is this policy
        other = report_errors(lambda c=other_cfg, s=sib, p=policy: execute(
            c, output_dir=out / "scenarios" / p, overrides=s))
        print(f"compared scenario {policy}: {other.path}")
        compared.append(other)
    if cfg.report.briefing:
        from sim.report.briefing import build_briefing

        page = report_errors(lambda: build_briefing(compared, out / "briefing", lang=cfg.report.lang))
        print(f"briefing: {page}")
    return results


def main() -> None:
    hydra_app(job)()


if __name__ == "__main__":
    main()
