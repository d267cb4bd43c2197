"""The briefing page: one HTML file that opens offline, in Chinese or English.

Self-contained by construction: the CSS is inline, images are referenced by file name in the
same directory, and nothing points outside it (no fonts, scripts or links on the web).  All
text from results is HTML-escaped.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.report.labels import LANGS, county_label, is_share, label
from sim.report.summary import HEADLINE_KPIS, format_change, format_number, value_unit

if TYPE_CHECKING:
    from sim.report.briefing import Briefing

YEAR_DAYS = 365.25

CSS = """
body { font-family: "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "Helvetica Neue", Arial, sans-serif; color: #222; max-width: 980px; margin: 2em auto;
       padding: 0 1.2em; line-height: 1.6; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
.meta, figcaption, .small { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.35em 0.5em; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f3f5f8; }
td .ci, td .diff { display: block; color: #666; font-size: 0.85em; }
figure { margin: 1.6em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
ul.summary li { margin: 0.25em 0; }
@media print { body { max-width: none; } figure { page-break-inside: avoid; } }
"""

_TEXT = {
    "summary": ("摘要", "Summary"),
    "kpis": ("关键指标", "Key indicators"),
    "kpis_note": ("均值，其下为{level:.0%}置信区间；其他方案另列与“{ref}”的配对差值（Δ）。",
                  "Mean, below it the {level:.0%} interval; other scenarios also show the paired "
                  "difference to {ref} (Δ)."),
    "indicator": ("指标", "Indicator"),
    "charts": ("图表", "Charts"),
    "figure": ("图{n}", "Figure {n}"),
    "pdf": ("PDF", "PDF"),
    "notes": ("说明与假设", "Notes and assumptions"),
    "files": ("文件：{files}", "Files: {files}"),
    "generated": ("生成于 {when}，代码版本 {commit}", "Generated {when}, code revision {commit}"),
    "dirty": ("（含未提交修改）", " (with uncommitted changes)"),
    "assumptions": ("配置文件中标注 [A] 的参数是假设值（assumption），尚无直接出处；结论对这些参数敏感时"
                    "应谨慎解读。[S] 为有出处的数值，[D] 为推导值，[M] 为经验值（见 CALIBRATION.md）。",
                    "Parameters tagged [A] in the configs are assumptions without a direct source; "
                    "read conclusions that depend on them with care. [S] marks stated figures, [D] "
                    "derived and [M] remembered ones (see CALIBRATION.md)."),
    "runs": ("每个方案{n}次重复运行，随机种子 {seed}，模拟时长 {days:g} 天（约 {years:.1f} 年）。",
             "{n} replications per scenario, seed {seed}, horizon {days:g} days (about {years:.1f} "
             "years)."),
    "county": ("县域：{county}，{townships}个乡镇、{villages}个行政村，期初老年人{elders}人；"
               "县域为{kind}。",
               "County: {county}, {townships} townships, {villages} villages, {elders} elders at the "
               "start; {kind}."),
    "synthetic": ("合成数据", "synthetic"),
    "loaded": ("由数据表载入", "loaded from tables"),
    "crn": ("各方案在同一重复运行中使用共同随机数：差值为同一重复运行之间的配对差值的均值，区间为 t 分布"
            "{level:.0%}置信区间。重复运行次数少时区间很宽，区间含0表示无明确差异。",
            "Scenarios share random numbers replication by replication (common random numbers): a "
            "difference is the mean of paired differences and its interval a {level:.0%} t-interval. "
            "With few replications intervals are wide; an interval that includes zero means no clear "
            "difference."),
    "target": ("应急响应目标时限：{targets}。乡镇到达率图中的90%目标为假设值。",
               "Emergency response target: {targets}. The 90% target in the township charts is an "
               "assumption."),
    "clip": ("比例指标的置信区间在图表和表格中截断到 0–100%。",
             "Intervals of shares are cut to 0–100% in the charts and the table."),
    "cost": ("总成本含敬老院的固定、床日和改扩建成本，助餐补贴，食堂运营补贴和服务人员报酬；"
             "不含卫生系统人员（乡村医生、急救）的成本。",
             "Total cost covers the nursing homes' fixed, bed-day and upgrade costs, meal subsidies, canteen "
             "operating subsidies and helpers' pay; not the health system's staff (village doctors, 120)."),
    "scenario": ("方案“{label}”：{path}；参数覆盖 {overrides}",
                 "Scenario {label}: {path}; overrides {overrides}"),
    "in_memory": ("（未保存）", "(not saved)"),
    "skipped": ("未生成的图表：{items}。", "Charts not drawn: {items}."),
    "minutes": ("{label} {minutes:g} 分钟", "{label} {minutes:g} min"),
}


def _t(key: str, lang: str, **fmt) -> str:
    return _TEXT[key][LANGS.index(lang)].format(**fmt)


def kpi_rows(b: Briefing) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Headline KPIs by scenario as text: (name with unit, [(mean, interval, difference)]);
    the reference's difference is ''.  Intervals of shares are cut to 0-100%."""
    lang = b.lang
    by = b.table.assign(number=b.table.groupby("kpi", sort=False).cumcount()).set_index(["kpi", "number"])
    out = []
    for kpi in (k for k in HEADLINE_KPIS if k in set(b.table["kpi"])):
        rows = [by.loc[(kpi, i)] for i in range(len(b.labels))]
        context = [float(r["mean"]) for r in rows]
        cells = []
        for i, r in enumerate(rows):
            low, high = float(r["ci_low"]), float(r["ci_high"])
            if is_share(kpi):
                low, high = max(low, 0.0), min(high, 1.0)
            ci = (f"[{format_number(kpi, low, lang, context)}, {format_number(kpi, high, lang, context)}]"
                  if math.isfinite(low) and math.isfinite(high) else "")
            diff = ""
            if i > 0 and math.isfinite(float(r["diff"])):
                diff = f"Δ {format_change(kpi, float(r['diff']), lang, context)}"
            cells.append((format_number(kpi, float(r["mean"]), lang, context), ci, diff))
        u = value_unit(kpi, lang, context)
        name = label(kpi, lang) + ((f"（{u}）" if lang == "zh" else f" ({u})") if u else "")
        out.append((name, cells))
    return out


def _kpi_table(b: Briefing) -> str:
    head = "".join(f"<th>{escape(s)}</th>" for s in b.labels)
    rows = []
    for name, cells in kpi_rows(b):
        tds = "".join(f"<td>{escape(mean)}<span class=\"ci\">{escape(ci)}</span>"
                      + (f"<span class=\"diff\">{escape(diff)}</span>" if diff else "") + "</td>"
                      for mean, ci, diff in cells)
        rows.append(f"<tr><td>{escape(name)}</td>{tds}</tr>")
    return (f"<table><thead><tr><th>{escape(_t('indicator', b.lang))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _cost_is_homes_only(res) -> bool:
    """True when ``cost_total_yuan`` is the sum of the cost KPIs the note names."""
    parts = ["home_fixed_cost_yuan", "home_variable_cost_yuan", "home_capital_cost_yuan",
             "meal_subsidy_cost_yuan", "canteen_cost_yuan", "helper_wage_cost_yuan"]
    runs = res.runs
    if "cost_total_yuan" not in runs or not all(p in runs for p in parts):
        return False
    return bool(np.allclose(runs[parts].sum(axis=1), runs["cost_total_yuan"], rtol=1e-9, atol=0.5))


def notes(b: Briefing) -> list[str]:
    """The notes and assumptions, one sentence or paragraph each."""
    lang, first = b.lang, b.results[0]
    run, county = first.config.run, first.config.county
    man = first.manifest.get("county", {})
    name = county.name_zh if lang == "zh" and county.name_zh else county_label(county.name, lang)
    out = [_t("assumptions", lang),
           _t("runs", lang, n=len(first.runs), seed=run.seed, days=run.horizon_days,
              years=run.horizon_days / YEAR_DAYS),
           _t("county", lang, county=name, townships=man.get("townships", county.townships),
              villages=man.get("villages", county.villages), elders=man.get("elders", "?"),
              kind=_t("loaded" if county.source else "synthetic", lang)),
           _t("crn", lang, level=b.level)]
    targets = []
    for lab, res in zip(b.labels, b.results):
        minutes = res.manifest.get("targets", {}).get("emergency_minutes")
        if minutes is not None:
            targets.append(_t("minutes", lang, label=lab, minutes=float(minutes)))
    if targets:
        out.append(_t("target", lang, targets=("；" if lang == "zh" else "; ").join(targets)))
    out.append(_t("clip", lang))
    if _cost_is_homes_only(first):
        out.append(_t("cost", lang))
    for lab, res in zip(b.labels, b.results):
        overrides = " ".join(res.manifest.get("overrides", [])) or "–"
        out.append(_t("scenario", lang, label=lab, path=str(res.path) if res.path else _t("in_memory", lang),
                      overrides=overrides))
    if b.skipped:
        out.append(_t("skipped", lang, items=("；" if lang == "zh" else "; ").join(b.skipped)))
    return out


def render(b: Briefing) -> str:
    """The HTML text of the page."""
    lang = b.lang
    code = b.results[0].manifest.get("code", {})
    commit = (code.get("commit") or "?")[:10] + (_t("dirty", lang) if code.get("dirty") else "")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        f"<html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\">",
        "<head>",
        "<meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{escape(b.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(b.title)}</h1>",
        f"<p class=\"meta\">{escape(_t('generated', lang, when=when, commit=commit))}</p>",
        f"<h2>{escape(_t('summary', lang))}</h2>",
        f"<p>{escape(b.intro)}</p>",
    ]
    for s in b.sections:
        parts.append(f"<h3>{escape(s.heading)}</h3>")
        parts.append("<ul class=\"summary\">" + "".join(f"<li>{escape(x)}</li>" for x in s.lines) + "</ul>")
    parts += [f"<h2>{escape(_t('kpis', lang))}</h2>",
              f"<p class=\"small\">{escape(_t('kpis_note', lang, level=b.level, ref=b.labels[0]))}</p>",
              _kpi_table(b),
              f"<h2>{escape(_t('charts', lang))}</h2>"]
    for n, chart in enumerate(b.charts, start=1):
        src = escape(f"{chart.stem}.png", quote=True)
        pdf = escape(f"{chart.stem}.pdf", quote=True)
        parts.append(f"<figure id=\"{escape(chart.stem, quote=True)}\"><img src=\"{src}\" "
                     f"alt=\"{escape(chart.caption, quote=True)}\">"
                     f"<figcaption><strong>{escape(_t('figure', lang, n=n))}</strong> "
                     f"{escape(chart.caption)} (<a href=\"{pdf}\">{_t('pdf', lang)}</a>)</figcaption>"
                     "</figure>")
    files = ", ".join(f"<a href=\"{f}\">{f}</a>" for f in ("comparison.csv", "summary.txt", "briefing.pdf"))
    parts += [f"<h2>{escape(_t('notes', lang))}</h2>",
              "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in notes(b)) + "</ul>",
              f"<p class=\"small\">{_t('files', lang, files=files)}</p>",
              "</body>", "</html>", ""]
    return "\n".join(parts)


def write_page(b: Briefing, path: Path) -> Path:
    path.write_text(render(b), encoding="utf-8")
    return path


__all__ = ["CSS", "kpi_rows", "notes", "render", "write_page"]
