"""The briefing: every applicable chart, the comparison table, a summary and one page to read.

`build_briefing` takes finished, comparable scenarios (the first is the reference) and writes
into one directory:

- ``comparison.csv`` — the long table of `sim.experiment.compare.compare` (all KPIs);
- a PNG and a PDF of each chart that applies: KPI bars of the headline KPIs, the response-time
  distribution, township shares, bed occupancy over time and the facility map for scenarios
  that closed homes, cost against outcome — a chart whose data the runs lack is skipped and
  named in the notes;
- ``summary.txt`` — headline differences to the reference with their intervals (`summary`);
- ``briefing.html`` — one self-contained page (inline CSS, images by relative path) that opens
  offline (`page`);
- ``briefing.pdf`` — the summary as a text page, then every chart (matplotlib's PdfPages).

Nothing here runs a simulation; everything is read from the `Results`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from sim.experiment.compare import compare, scenario_name
from sim.experiment.results import Results
from sim.report.charts import (
    _check_lang,
    _new_figure,
    check_figure_glyphs,
    cost_vs_outcome,
    kpi_bars,
    quiet_font_subsetting,
    response_distribution,
    save,
    style,
    target_minutes,
    timebank_by_year,
    timebank_years,
    township_shares,
)
from sim.report.labels import LANGS, county_label, scenario_labels
from sim.report.maps import facility_map
from sim.report.occupancy import bed_occupancy_over_time, closures
from sim.report.page import kpi_rows, notes, write_page
from sim.report.summary import HEADLINE_KPIS, Section, summarise, summary_text

COST_KPI, OUTCOME_KPI = "cost_total_yuan", "emergency_within_target_share"
MAX_TOWNSHIP_CHARTS = 4  # more scenarios than this: township shares of the reference and the best
A4 = (8.27, 11.69)

_TEXT = {
    "title": ("{county}农村养老服务方案比较：{scenarios}",
              "{county}: rural elderly-care scenarios compared — {scenarios}"),
    "kpi_bars": ("各方案关键指标的均值，误差线为{level:.0%}置信区间（每个方案{n}次重复运行）。",
                 "Key indicators: mean per scenario, error bars are {level:.0%} intervals "
                 "({n} replications per scenario)."),
    "response": ("真实紧急事件的响应时间累计分布（各次重复运行合并，不含误报），虚线为{target:g}分钟目标。",
                 "Cumulative distribution of response times to true emergencies (replications pooled, "
                 "false alarms excluded); the dashed line is the {target:g}-minute target."),
    "township": ("{scenario}：各乡镇目标时限内到达率与{level:.0%}置信区间；虚线为90%目标（假设），"
                 "点线为全县水平。",
                 "{scenario}: share reached within the target by township with {level:.0%} intervals; "
                 "dashed line: 90% target (an assumption), dotted line: county level."),
    "beds": ("{scenario}：各敬老院床位入住率（重复运行均值）与全县轮候人数；红色虚线为关闭日期，"
             "绿色点线为扩建。",
             "{scenario}: occupancy of each nursing home (mean over replications) and the county "
             "waiting list; red dashed lines mark closures, green dotted lines added beds."),
    "map": ("敬老院布局：左为{ref}期初，右为{scenario}第1次重复运行期末；圆面积与床位数成正比，"
            "灰色空心圆为已关闭的敬老院。",
            "Nursing homes: left {ref} at the start, right {scenario} at the end of replication 1; "
            "circle area is proportional to beds, hollow grey circles are closed homes."),
    "cost": ("总成本与目标时限内响应率：每点为一个方案的均值，误差线为{level:.0%}置信区间。",
             "Total cost against the share reached within target: one point per scenario (mean), "
             "error bars are {level:.0%} intervals."),
    "timebank": ("时间银行：左为各年末尚欠会员的服务时数（右轴按兜底价{price:g}元/小时折算），"
                 "右为当年提取申请的兑现率；阴影为{level:.0%}置信区间，虚线为90%参考线（假设）。",
                 "Time bank: left, hours owed to members at each year's end (right axis valued at the "
                 "backstop price, {price:g} yuan an hour); right, the share of withdrawals honoured that "
                 "year; bands are {level:.0%} intervals, the dashed line a 90% reference (an assumption)."),
    "skip_kpis": ("关键指标柱状图：运行结果中没有标题指标",
                  "KPI bars: the runs have none of the headline KPIs"),
    "skip_events": ("{chart}：{scenario}没有 {table} 事件表（需 run.save_events=true）",
                    "{chart}: {scenario} has no {table} event table (needs run.save_events=true)"),
    "skip_same": ("{chart}：{scenario}与{other}完全相同，不再重复绘制",
                  "{chart}: {scenario} is identical to {other}, not drawn again"),
    "skip_cost": ("成本与成效图：缺少指标 {kpis}", "Cost vs outcome: KPI(s) {kpis} absent"),
    "skip_world": ("敬老院布局图：{scenario}没有县域地图表", "Facility map: {scenario} has no county tables"),
    "response_name": ("响应时间分布", "Response-time distribution"),
    "township_name": ("乡镇到达率", "Township shares"),
    "beds_name": ("床位入住率", "Bed occupancy"),
    "map_name": ("敬老院布局图", "Facility map"),
    "kpis_heading": ("关键指标（均值、{level:.0%}置信区间与差值）",
                     "Key indicators (mean, {level:.0%} interval, difference)"),
    "notes_heading": ("说明与假设", "Notes and assumptions"),
    "indicator": ("指标", "Indicator"),
}


def _t(key: str, lang: str, **fmt) -> str:
    return _TEXT[key][LANGS.index(lang)].format(**fmt)


@dataclass
class Chart:
    """One chart of the briefing: file stem (no suffix), caption and the figure."""

    stem: str
    caption: str
    figure: Figure = field(repr=False)


@dataclass
class Briefing:
    """Everything the page and the PDF show."""

    lang: str
    title: str
    results: list[Results]
    names: list[str]  # scenario names, county/policy
    labels: list[str]  # their display labels
    table: pd.DataFrame
    intro: str
    sections: list[Section]
    charts: list[Chart]
    skipped: list[str]
    level: float


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "scenario"


def briefing_title(results: list[Results], lang: str) -> str:
    county = results[0].config.county
    name = county.name_zh if lang == "zh" and county.name_zh else county_label(county.name, lang)
    labels = scenario_labels([scenario_name(r) for r in results], lang)
    return _t("title", lang, county=name, scenarios=("、" if lang == "zh" else ", ").join(labels))


def _has_events(res: Results, *tables: str) -> str | None:
    """The first of ``tables`` the results lack, or None."""
    names = set(res.event_names)
    return next((t for t in tables if t not in names), None)


def _has_world(res: Results) -> bool:
    try:
        res.world("villages")
        res.world("facilities")
    except KeyError:
        return False
    return True


def _response_target(results: list[Results]) -> float:
    """The response target the scenarios used (the strictest when they differ)."""
    targets = []
    for res in results:
        minutes = res.manifest.get("targets", {}).get("emergency_minutes")
        targets.append(float(minutes) if minutes is not None else target_minutes(res))
    return min(targets)


def _township_scenarios(results: list[Results], table: pd.DataFrame) -> list[int]:
    """Positions whose township chart is drawn: all, or the reference and the best."""
    if len(results) <= MAX_TOWNSHIP_CHARTS:
        return list(range(len(results)))
    rows = table[table["kpi"] == OUTCOME_KPI]
    if rows.empty:
        return [0]
    best = int(rows.iloc[1:]["mean"].to_numpy().argmax()) + 1
    return [0, best]


def make_charts(results: list[Results], table: pd.DataFrame, lang: str,
                level: float = 0.95) -> tuple[list[Chart], list[str]]:
    """Every chart that applies to these scenarios, and a line per chart skipped and why."""
    names = [scenario_name(r) for r in results]
    labels = scenario_labels(names, lang)
    n = int(table["n"].max())
    charts: list[Chart] = []
    skipped: list[str] = []
    kpis = set(table["kpi"])
    headline = [k for k in HEADLINE_KPIS if k in kpis]
    if headline:
        charts.append(Chart("kpi_bars", _t("kpi_bars", lang, level=level, n=n),
                            kpi_bars(table, headline, lang, level=level)))
    else:
        skipped.append(_t("skip_kpis", lang))

    with_calls = {}
    for i, (res, name) in enumerate(zip(results, names)):
        lacking = _has_events(res, "emergency")
        if lacking:
            skipped.append(_t("skip_events", lang, chart=_t("response_name", lang), scenario=labels[i],
                              table=lacking))
        else:
            key = name if name not in with_calls else f"{name} ({i + 1})"
            with_calls[key] = res
    if with_calls:
        target = _response_target(results)
        charts.append(Chart("response_distribution", _t("response", lang, target=target),
                            response_distribution(with_calls, lang, target=target)))

    drawn: list[tuple[int, pd.DataFrame]] = []
    for i in _township_scenarios(results, table):
        res = results[i]
        lacking = _has_events(res, "emergency_township")
        if lacking:
            skipped.append(_t("skip_events", lang, chart=_t("township_name", lang), scenario=labels[i],
                              table=lacking))
            continue
        towns = res.events("emergency_township").reset_index(drop=True)
        twin = next((j for j, other in drawn if other.equals(towns)), None) if drawn else None
        if twin is not None:  # common random numbers and a policy that leaves emergencies alone
            skipped.append(_t("skip_same", lang, chart=_t("township_name", lang), scenario=labels[i],
                              other=labels[twin]))
            continue
        drawn.append((i, towns))
        charts.append(Chart(f"township_shares_{i + 1}_{_slug(names[i].split('/')[-1])}",
                            _t("township", lang, scenario=labels[i], level=level),
                            township_shares(res, lang, level=level)))

    for i, res in enumerate(results):
        lacking = _has_events(res, "beds", "homes", "bed_occupancy")
        if lacking:
            moved = res.runs["residents_displaced"].sum() if "residents_displaced" in res.runs else 0
            if lacking == "beds" and not moved:
                continue  # nothing says a home closed: no chart to miss
            skipped.append(_t("skip_events", lang, chart=_t("beds_name", lang), scenario=labels[i],
                              table=lacking))
            continue
        if closures(res).empty:
            continue
        slug = f"{i + 1}_{_slug(names[i].split('/')[-1])}"
        charts.append(Chart(f"bed_occupancy_{slug}", _t("beds", lang, scenario=labels[i]),
                            bed_occupancy_over_time(res, lang, level=level)))
        if not (_has_world(results[0]) and _has_world(res)):
            skipped.append(_t("skip_world", lang, scenario=labels[i]))
            continue
        charts.append(Chart(f"facility_map_{slug}", _t("map", lang, ref=labels[0], scenario=labels[i]),
                            facility_map(results[0], res, lang)))

    absent = [k for k in (COST_KPI, OUTCOME_KPI) if k not in kpis]
    if absent:
        skipped.append(_t("skip_cost", lang, kpis=", ".join(absent)))
    else:
        charts.append(Chart("cost_vs_outcome", _t("cost", lang, level=level),
                            cost_vs_outcome(table, COST_KPI, OUTCOME_KPI, lang, level=level)))
    banks = {names[i]: res for i, res in enumerate(results) if timebank_years(res)}
    if banks:
        price = next(iter(banks.values())).config.policy.time_bank.backstop_yuan_per_hour
        charts.append(Chart("timebank_by_year", _t("timebank", lang, level=level, price=price),
                            timebank_by_year(banks, lang, level=level, yuan_per_hour=price)))
    return charts, skipped


def _wrap(text: str, width: int) -> list[str]:
    """Wrap ``text`` at ``width`` half-width columns; CJK characters count two and may break
    anywhere, Latin words break at spaces."""
    lines, line, col = [], "", 0
    for token in re.findall(r"[A-Za-z0-9.,%+\-()/:;'\"–]+ ?|.", text):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in token)
        if col + w > width and line.strip():
            lines.append(line.rstrip())
            line, col = "", 0
            token = token.lstrip()
        line += token
        col += w
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _text_pages(b: Briefing) -> list[Figure]:
    """A4 pages: the title, the summary, the table of headline KPIs and the notes (as many pages
    as they need)."""
    entries: list[tuple[str, float] | list] = [(line, 15) for line in _wrap(b.title, 60)]
    entries.append(("", 8))
    entries += [(line, 10) for line in _wrap(b.intro, 96)]
    for s in b.sections:
        entries.append(("", 6))
        entries += [(line, 11.5) for line in _wrap(s.heading, 86)]
        for item in s.lines:
            wrapped = _wrap(item, 92)
            entries.append((f"• {wrapped[0]}", 10))
            entries += [(f"   {rest}", 10) for rest in wrapped[1:]]
    rows = kpi_rows(b)
    if rows:
        entries += [("", 10), (_t("kpis_heading", b.lang, level=b.level), 11.5), ("", 4)]
        entries.append([["\n".join(_wrap(name, 32)[:2])] + [f"{m} {ci}\n{d}".strip() for m, ci, d in cells]
                        for name, cells in rows])
    entries += [("", 10), (_t("notes_heading", b.lang), 11.5)]
    for note in notes(b):
        wrapped = _wrap(note, 110)
        entries.append((f"• {wrapped[0]}", 8.5))
        entries += [(f"   {rest}", 8.5) for rest in wrapped[1:]]
    pages, top, bottom, left = [], 0.94, 0.06, 0.08
    with style(b.lang):
        fig, y = None, top
        for entry in entries:
            table = isinstance(entry, list)
            step = (0.032 * (len(entry) + 1)) if table else entry[1] * 1.6 / 72 / A4[1]
            if fig is None or y - step < bottom:
                fig = _new_figure(b.lang, figsize=A4)
                fig.set_layout_engine("none")
                pages.append(fig)
                y = top
            y -= step
            if table:
                ax = fig.add_axes((left, y, 1 - 2 * left, step))
                ax.axis("off")
                heads = [_t("indicator", b.lang)] + ["\n".join(_wrap(x, 26)[:2]) for x in b.labels]
                grid = ax.table(cellText=entry, colLabels=heads,
                                loc="upper left", cellLoc="left", colLoc="left",
                                colWidths=[0.28] + [0.72 / len(b.labels)] * len(b.labels))
                grid.auto_set_font_size(False)
                grid.set_fontsize(7.5)
                grid.scale(1.0, 2.1)
                for cell in grid.get_celld().values():
                    cell.set_edgecolor("#cccccc")
            elif entry[0]:
                fig.text(left, y, entry[0], fontsize=entry[1], va="baseline")
        for page in pages:
            check_figure_glyphs(page)
    return pages


def write_pdf(b: Briefing, path: Path) -> Path:
    """``briefing.pdf``: the summary pages, then each chart on its own page."""
    meta = {"Title": b.title, "Creator": "rural-eldercare-sim"}
    with style(b.lang), quiet_font_subsetting(), PdfPages(path, metadata=meta) as pdf:
        for page in _text_pages(b):
            pdf.savefig(page)
        for chart in b.charts:
            pdf.savefig(chart.figure)
    return path


def build_briefing(results: list[Results], out_dir: str | Path, lang: str = "zh", *,
                   dpi: int = 150, level: float = 0.95) -> Path:
    """Write the briefing of ``results`` (the first is the reference) into ``out_dir`` and return
    the path of ``briefing.html``.

    Raises `sim.experiment.compare.ComparisonError` when the scenarios are not comparable
    (county, population, seed, horizon or replications differ) and `ValueError` for an unknown
    ``lang`` or no results.
    """
    _check_lang(lang)
    results = list(results)
    if not results:
        raise ValueError("no results to brief on")
    table = compare(results, level)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "comparison.csv", index=False, encoding="utf-8")
    charts, skipped = make_charts(results, table, lang, level)
    for chart in charts:
        save(chart.figure, out / chart.stem, dpi=dpi)
    intro, sections = summarise(table, lang, level=level)
    (out / "summary.txt").write_text(summary_text(intro, sections), encoding="utf-8")
    names = [scenario_name(r) for r in results]
    b = Briefing(lang=lang, title=briefing_title(results, lang), results=results, names=names,
                 labels=scenario_labels(names, lang), table=table, intro=intro, sections=sections,
                 charts=charts, skipped=skipped, level=level)
    write_pdf(b, out / "briefing.pdf")
    return write_page(b, out / "briefing.html")


__all__ = ["Briefing", "Chart", "briefing_title", "build_briefing", "make_charts", "write_pdf"]
