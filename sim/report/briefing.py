"""The briefing: a headline, then one section per service, in one file to send.

`build_briefing` takes finished, comparable scenarios (the first is the reference; the main job
puts today's network, ``baseline``, first) and writes into one directory:

- ``left_out.csv`` — every scenario's villages left out (`sim.experiment.villages.left_out`);
- ``comparison.csv`` — the long table of `sim.experiment.compare.compare` (all KPIs), the
  levels' intervals bounded (`sim.report.intervals`);
- a PNG and a PDF of every chart (`sim.report.chart_files`: by a pool of processes with
  ``workers`` > 1, the same files);
- ``summary.txt`` — the headline and, per scenario, the headline KPIs' differences;
- ``briefing.html`` — one self-contained page: charts embedded as data URIs, no link outside
  itself, so it can be e-mailed alone (`sim.report.page`);
- ``briefing.pdf`` — A4 pages: headline, one section per service with numbered, captioned
  figures, notes (`sim.report.pdf`).

Nothing here runs a simulation; everything is read from the `Results`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.experiment.compare import compare, scenario_name
from sim.experiment.results import Results
from sim.report.chart_files import ChartFiles
from sim.report.charts import _check_lang
from sim.report.headline import headline
from sim.report.intervals import bounded_table
from sim.report.labels import county_name, phrase, scenario_labels
from sim.report.sections import Chart, Section, make_sections
from sim.report.summary import summarise, summary_text


@dataclass
class Briefing:
    """Everything the page and the PDF show."""

    lang: str
    title: str
    results: list[Results]
    names: list[str]  # scenario names, county/policy
    labels: list[str]  # their display labels
    table: pd.DataFrame
    headline: list[str]
    sections: list[Section]
    skipped: list[str]
    level: float

    @property
    def charts(self) -> list[Chart]:
        return [c for s in self.sections for c in s.charts]

    @property
    def horizon_days(self) -> float:
        return float(self.results[0].config.run.horizon_days)


def briefing_title(results: list[Results], lang: str) -> str:
    labels = scenario_labels([scenario_name(r) for r in results], lang)
    return phrase("briefing.title", lang, county=county_name(results[0], lang),
                  scenarios=("、" if lang == "zh" else ", ").join(labels))


def build_briefing(results: list[Results], out_dir: str | Path, lang: str = "zh", *,
                   dpi: int = 150, level: float = 0.95, progress=None, workers: int = 1) -> Path:
    """Write the briefing of ``results`` (the first is the reference) into ``out_dir`` and return
    the path of ``briefing.html``.  ``progress(message)``, if given, hears of each step.
    ``workers``: processes writing the chart files (`sim.report.chart_files`; 0: one per core);
    the files are the same for any number.

    Raises `sim.experiment.compare.ComparisonError` when the scenarios are not comparable
    (county, population, seed, horizon or replications differ) and `ValueError` for an unknown
    ``lang`` or no results.
    """
    from sim.report.page import write_page
    from sim.report.pdf import write_pdf

    _check_lang(lang)
    results = list(results)
    if not results:
        raise ValueError("no results to brief on")
    say = progress or (lambda _message: None)
    table = bounded_table(compare(results, level), results, level)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "comparison.csv", index=False, encoding="utf-8")
    with ChartFiles(out, dpi=dpi, workers=workers) as files:
        sections, skipped = make_sections(results, table, lang, level, progress=say, drawn=files.add)
        names = [scenario_name(r) for r in results]
        days = float(results[0].config.run.horizon_days)
        b = Briefing(lang=lang, title=briefing_title(results, lang), results=results, names=names,
                     labels=scenario_labels(names, lang), table=table,
                     headline=headline(table, lang, days, level), sections=sections, skipped=skipped,
                     level=level)
        say("PNG/PDF")
        if all("villages" in r.event_names for r in results):   # who is left out, every scenario (issue 16)
            from sim.report.equity import left_out_all

            left_out_all(results).to_csv(out / "left_out.csv", index=False, encoding="utf-8-sig")
        intro, by_scenario = summarise(table, lang, level=level)
        (out / "summary.txt").write_text("\n".join(b.headline) + "\n\n" + summary_text(intro, by_scenario),
                                         encoding="utf-8")
        say("briefing.pdf")   # each chart placed as soon as its PNG is written
        write_pdf(b, out / "briefing.pdf", ready=files.png)
        files.pngs()
        say("briefing.html")
        page = write_page(b, out / "briefing.html", dpi=dpi)
    return page


__all__ = ["Briefing", "Chart", "Section", "briefing_title", "build_briefing", "county_name"]
