"""Study summaries: the figures a study in ``experiments/`` answers with, from its finished runs.

A study is a Hydra experiment (``configs/experiment/<study>.yaml``) whose main job (or sweep)
runs the scenarios; its summary reads them back and writes ``<dir>/study/<study>.csv`` and
``<study>.md`` (and prints the Markdown): the KPIs the study's question is about, with 95%
intervals and paired differences to today's network, and the ratios the question asks for
(cost per lunch served, beds per 10,000 yuan, the year the time bank's honoured share falls
below 90%), and an equity section for every study (`equity`: remote villages, age bands, the
villages left out).  The experiment config registers `StudySummary` as a Hydra callback, so the one
command runs the summary at its end; ``python -m sim.experiment.studies STUDY DIR`` runs it
again on a finished directory.  Only orchestration and arithmetic on KPI rows live here: no model.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from hydra.experimental.callback import Callback

from sim.experiment.studies import beds, consolidation, equity, meals, package, solvency
from sim.experiment.studies.tables import Named, frame, markdown, read_scenarios

Summary = Callable[[Named], tuple[pd.DataFrame, list[str]]]

STUDIES: dict[str, tuple[str, Summary]] = {
    "qinshui_2019_2021": ("Qinshui consolidation 2019-2021 沁水敬老院撤并", consolidation.summary),
    "fushun_consolidation": ("Fushun consolidation 46 -> 39 抚顺敬老院撤并", consolidation.summary),
    "ankang_2025_2027": ("Ankang rural plan 2025-2027 安康农村养老服务提质增效", package.summary),
    "xianyang_canteens": ("Canteens at Xianyang's scale 咸阳爱心餐厅", meals.summary),
    "yulin_beds": ("Nursing-type bed upgrades, Yulin's subsidies 榆林护理型床位", beds.summary),
    "time_bank_solvency": ("Time-bank solvency 时间银行可持续性", solvency.summary),
}


def summarise(study: str, directory: str | Path, main: str | None = None, echo: bool = True) -> Path:
    """Write ``<directory>/study/<study>.csv`` and ``.md`` from the finished runs; return the .md."""
    if study not in STUDIES:
        raise KeyError(f"no study {study!r}; available: {', '.join(STUDIES)}")
    title, fn = STUDIES[study]
    named = read_scenarios(directory, main)
    table, notes = fn(named)
    table = pd.concat([table, frame(equity.rows(named))], ignore_index=True)   # every study: who is left out
    notes = notes + equity.notes(named)
    out = Path(directory) / "study"
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / f"{study}.csv", index=False)
    text = markdown(table, title, notes)
    (out / f"{study}.md").write_text(text, encoding="utf-8")
    if echo:
        print(text, flush=True)
        print(f"study summary: {out / f'{study}.md'}", flush=True)
    return out / f"{study}.md"


class StudySummary(Callback):
    """Hydra callback: the study's summary after the main job (run mode) or the sweep (multirun).

    ``main`` names the main scenario in the tables (default: its policy label)."""

    def __init__(self, study: str, main: str | None = None):
        if study not in STUDIES:
            raise KeyError(f"no study {study!r}; available: {', '.join(STUDIES)}")
        self.study, self.main = study, main

    def on_run_end(self, config, job_return=None, **kwargs) -> None:
        from hydra.core.utils import JobStatus

        if job_return is None or job_return.status != JobStatus.COMPLETED:
            return
        summarise(self.study, job_return.hydra_cfg.hydra.runtime.output_dir, self.main)

    def on_multirun_end(self, config, **kwargs) -> None:
        summarise(self.study, config.hydra.sweep.dir, self.main)


__all__ = ["STUDIES", "StudySummary", "summarise"]
