"""One section per service the scenarios ran: emergencies, beds, meals, visits, home care, time
bank, costs — each with its key figures and its charts.

A service "ran" when its demand KPI (calls, bed applications, lunch wishes, visits required,
home-care hours needed, time-bank members, cost) has a positive mean in some scenario; other
services get no section (never an empty chart).  Charts whose data the runs lack are skipped
and named in the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.experiment.compare import scenario_name
from sim.experiment.results import Results
from sim.experiment.villages import SERVICE_SHARES
from sim.report.charts import (
    TARGET_SHARE,
    cost_vs_outcome,
    kpi_bars,
    response_distribution,
    target_minutes,
    timebank_by_year,
    timebank_years,
    township_shares,
)
from sim.report.composition import composition_bars, composition_shares, cost_bars
from sim.report.equity import Table, left_out_tables, quintile_kpis, remoteness_bars, service_name
from sim.report.labels import horizon_text, label, phrase, scenario_labels
from sim.report.maps import facility_map, village_map
from sim.report.occupancy import bed_occupancy_over_time, closures
from sim.report.services import SERVICES, Service, kpi_means, services_run  # noqa: F401 - re-exported
from sim.report.tornado import TOP, sensitivity_table, sobol_indices, sobol_rows, tornado_chart

COST_KPI, OUTCOME_KPI = "cost_total_yuan", "emergency_within_target_share"
MAX_TOWNSHIP_CHARTS = 3  # more scenarios than this: township shares of the reference and the best
MAX_VILLAGE_MAPS = 4  # village maps (scenario x service whose village shares differ from the reference's)


@dataclass
class Chart:
    """One chart: file stem (no suffix), caption and the figure."""

    stem: str
    caption: str
    figure: Figure = field(repr=False)


@dataclass
class Section:
    """A service's part of the briefing."""

    key: str
    heading: str
    kpis: list[str]
    charts: list[Chart]
    tables: list[Table] = field(default_factory=list)


def _has_events(res: Results, *tables: str) -> str | None:
    names = set(res.event_names)
    return next((t for t in tables if t not in names), None)


def _has_world(res: Results) -> bool:
    try:
        res.world("villages")
        res.world("facilities")
    except KeyError:
        return False
    return True


def _slug(i: int, name: str) -> str:
    import re

    return f"{i + 1}_" + (re.sub(r"[^A-Za-z0-9_-]+", "_", name.split("/")[-1]).strip("_") or "scenario")


def response_target(results: list[Results]) -> float:
    """The response target the scenarios used (the strictest when they differ)."""
    targets = []
    for res in results:
        minutes = res.manifest.get("targets", {}).get("emergency_minutes")
        targets.append(float(minutes) if minutes is not None else target_minutes(res))
    return min(targets)


class _Builder:
    def __init__(self, results: list[Results], table: pd.DataFrame, lang: str, level: float):
        self.results, self.table, self.lang, self.level = results, table, lang, level
        self.names = [scenario_name(r) for r in results]
        self.labels = scenario_labels(self.names, lang)
        self.n = int(table["n"].max())
        self.days = results[0].config.run.horizon_days
        self.horizon = horizon_text(self.days, lang)
        self.skipped: list[str] = []

    def t(self, key: str, **fmt) -> str:
        return phrase(f"sections.{key}", self.lang, level=self.level, n=self.n, horizon=self.horizon, **fmt)

    def skip(self, chart: str, i: int, table: str) -> None:
        self.skipped.append(self.t("skip_events", chart=self.t(f"{chart}_name"), scenario=self.labels[i],
                                   table=table))

    def emergency(self) -> list[Chart]:
        charts, with_calls = [], {}
        for i, (res, name) in enumerate(zip(self.results, self.names)):
            lacking = _has_events(res, "emergency")
            if lacking:
                self.skip("response", i, lacking)
            else:
                with_calls[name if name not in with_calls else f"{name} ({i + 1})"] = res
        if with_calls:
            target = response_target(self.results)
            charts.append(Chart("response_distribution", self.t("response", target=target),
                                response_distribution(with_calls, self.lang, target=target)))
        drawn: list[tuple[int, pd.DataFrame]] = []
        for i in self._township_scenarios():
            res = self.results[i]
            lacking = _has_events(res, "emergency_township")
            if lacking:
                self.skip("township", i, lacking)
                continue
            towns = res.events("emergency_township").reset_index(drop=True)
            twin = next((j for j, other in drawn if other.equals(towns)), None)
            if twin is not None:  # common random numbers and a policy that leaves emergencies alone
                self.skipped.append(self.t("skip_same", chart=self.t("township_name"),
                                           scenario=self.labels[i], other=self.labels[twin]))
                continue
            drawn.append((i, towns))
            charts.append(Chart(f"township_shares_{_slug(i, self.names[i])}",
                                self.t("township", scenario=self.labels[i], target=TARGET_SHARE),
                                township_shares(res, self.lang, level=self.level, scenario=self.labels[i])))
        return charts

    def _township_scenarios(self) -> list[int]:
        if len(self.results) <= MAX_TOWNSHIP_CHARTS:
            return list(range(len(self.results)))
        means = kpi_means(self.table, OUTCOME_KPI)
        return [0, int(np.nanargmax(means[1:])) + 1] if len(means) > 1 else [0]

    def beds(self) -> list[Chart]:
        charts = []
        for i, res in enumerate(self.results):
            lacking = _has_events(res, "beds", "homes", "bed_occupancy")
            if lacking:
                moved = res.runs["residents_displaced"].sum() if "residents_displaced" in res.runs else 0
                if lacking != "beds" or moved:
                    self.skip("beds", i, lacking)
                continue
            if closures(res).empty:
                continue
            slug = _slug(i, self.names[i])
            charts.append(Chart(f"bed_occupancy_{slug}", self.t("beds", scenario=self.labels[i]),
                                bed_occupancy_over_time(res, self.lang, level=self.level)))
            if not (_has_world(self.results[0]) and _has_world(res)):
                self.skipped.append(self.t("skip_world", scenario=self.labels[i]))
                continue
            charts.append(
                Chart(
                    f"facility_map_{slug}",
                    self.t("map", ref=self.labels[0], scenario=self.labels[i]),
                    facility_map(self.results[0], res, self.lang),
                )
            )
        if not charts:
            kpis = [k for k in ("bed_occupancy", "bed_wait_days_mean", "bed_waitlist_end")
                    if k in set(self.table["kpi"])]
            if kpis:
                charts.append(Chart("bed_kpis", self.t("bed_kpis"), kpi_bars(self.table, kpis, self.lang,
                                                                            level=self.level)))
        return charts

    def _composition(self, service: str) -> list[Chart]:
        if composition_shares(self.table, service).empty:
            return []
        return [Chart(f"{service}_outcomes", self.t(service),
                      composition_bars(self.table, service, self.lang, horizon_days=self.days))]

    def meals(self) -> list[Chart]:
        return self._composition("meals")

    def visits(self) -> list[Chart]:
        return self._composition("visits")

    def homecare(self) -> list[Chart]:
        return self._composition("homecare")

    def timebank(self) -> list[Chart]:
        banks = {self.names[i]: r for i, r in enumerate(self.results) if timebank_years(r)}
        if not banks:
            return []
        price = next(iter(banks.values())).config.policy.time_bank.backstop_yuan_per_hour
        return [Chart("timebank_by_year", self.t("timebank", price=price),
                      timebank_by_year(banks, self.lang, level=self.level, yuan_per_hour=price))]

    def costs(self) -> list[Chart]:
        charts = [Chart("cost_items", self.t("cost_items"), cost_bars(self.table, self.lang, self.days))]
        if OUTCOME_KPI in set(self.table["kpi"]) and COST_KPI in set(self.table["kpi"]):
            charts.append(
                Chart(
                    "cost_vs_outcome",
                    self.t("cost"),
                    cost_vs_outcome(
                        self.table, COST_KPI, OUTCOME_KPI, self.lang, level=self.level, horizon_days=self.days
                    ),
                )
            )
        return charts


    def equity(self) -> tuple[list[Chart], list[Table]]:
        """Outcomes by remoteness quintile, the villages left out and their map before and after."""
        charts: list[Chart] = []
        if quintile_kpis(self.table):
            charts.append(Chart("equity_remoteness", self.t("equity_remoteness"),
                                remoteness_bars(self.table, self.lang, level=self.level)))
        with_villages = []
        for i, res in enumerate(self.results):
            lacking = _has_events(res, "villages")
            if lacking:
                self.skip("villages", i, lacking)
            else:
                with_villages.append(i)
        if 0 not in with_villages:
            return charts, []
        target = response_target(self.results)
        tables = left_out_tables([self.results[i] for i in with_villages], self.lang, target, self.level)
        ref_rows = self.results[0].events("villages")
        maps = 0
        for i in with_villages[1:]:
            rows = self.results[i].events("villages")
            for service, column in SERVICE_SHARES.items():
                if maps >= MAX_VILLAGE_MAPS or column not in rows or not np.isfinite(rows[column]).any():
                    continue
                ref = ref_rows[column].to_numpy(float)
                if np.array_equal(rows[column].to_numpy(float), ref, equal_nan=True):
                    continue   # the policy leaves this service's villages as they were
                what = service_name(service, self.lang, target)
                charts.append(Chart(f"village_map_{service}_{_slug(i, self.names[i])}",
                                    self.t("equity_map", service=what, ref=self.labels[0],
                                           scenario=self.labels[i]),
                                    village_map(self.results[0], self.results[i], service, self.lang,
                                                target)))
                maps += 1
        return charts, tables


def make_sections(results: list[Results], table: pd.DataFrame, lang: str,
                  level: float = 0.95, progress=None, drawn=None) -> tuple[list[Section], list[str]]:
    """The sections of the services that ran, and a line per chart skipped and why.
    ``progress(message)``, if given, is called before each section is drawn, ``drawn(charts)``
    with each section's charts once they are drawn (`sim.report.chart_files` writes them)."""
    b = _Builder(results, table, lang, level)
    kpis = set(table["kpi"])
    sections = []
    for service in services_run(table):
        if progress is not None:
            progress(phrase(f"sections.{service.key}_heading", lang))
        charts, tables = getattr(b, service.key)(), []
        if isinstance(charts, tuple):
            charts, tables = charts
        sections.append(Section(service.key, phrase(f"sections.{service.key}_heading", lang),
                                [k for k in service.kpis if k in kpis], charts, tables))
        if drawn is not None:
            drawn(charts)
    for section in sensitivity_sections(results, lang):
        sections.append(section)
        if drawn is not None:
            drawn(section.charts)
    return sections, b.skipped


def sensitivity_sections(results: list[Results], lang: str) -> list[Section]:
    """The tornado (and Sobol' indices, if computed) of the first scenario that carries them
    (``python -m sim.sensitivity --run DIR`` wrote ``DIR/sensitivity/``; the reference scenario
    first, then the others)."""
    for res in results:
        tornado = sensitivity_table(res.path)
        if tornado is None or tornado.empty:
            continue
        n = int(tornado["replications"].iloc[0])
        kpi = str(tornado["kpi"].iloc[0])
        charts = [Chart("tornado", phrase("sensitivity.caption", lang, n=n, top=min(TOP, len(tornado))),
                        tornado_chart(tornado, lang))]
        tables = []
        indices = sobol_indices(res.path)
        if indices is not None and (indices["kpi"] == kpi).any():
            mine = indices[indices["kpi"] == kpi]
            tables.append(Table(
                phrase("sensitivity.sobol_caption", lang, kpi=label(kpi, lang)),
                [phrase("sensitivity.sobol_parameter", lang), phrase("sensitivity.sobol_first", lang),
                 phrase("sensitivity.sobol_total", lang)],
                sobol_rows(indices, kpi, lang),
                phrase("sensitivity.sobol_note", lang, evaluations=int(mine["evaluations"].iloc[0]),
                       k=len(mine), replications=int(mine["replications"].iloc[0]))))
        return [Section("sensitivity", phrase("sensitivity.heading", lang), [], charts, tables)]
    return []


__all__ = ["SERVICES", "Chart", "Section", "Service", "make_sections", "response_target", "services_run"]
