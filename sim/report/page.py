"""The briefing page: one HTML file that opens offline and can be sent alone, in Chinese or English.

Self-contained by construction: the CSS is inline, every chart is embedded as a PNG data URI,
the comparison table as a CSV data URI, and nothing points outside the file (no fonts,
scripts or links on the web; Chinese text uses the system's CJK fonts, see ``CSS``).  All text
from results is HTML-escaped.
"""

from __future__ import annotations

import base64
import math
import os
import re
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.report.fonts import EMBEDDED_FAMILY, subset_font
from sim.report.labels import horizon_text, label, phrase
from sim.report.summary import format_change, format_number, value_unit

if TYPE_CHECKING:
    from sim.report.briefing import Briefing

YEAR_DAYS = 365.25

CSS = """
body { font-family: "Briefing Noto Sans SC", "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC",
       "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif;
       color: #222; max-width: 980px; margin: 2em auto; padding: 0 1.2em; line-height: 1.6; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #2b8cbe; padding-bottom: 0.2em; margin-top: 2em; }
.meta, figcaption, .small { color: #555; font-size: 0.9em; }
.headline { background: #f3f7fb; border-left: 5px solid #2b8cbe; padding: 0.6em 1.2em; margin: 1em 0; }
.headline li { margin: 0.45em 0; font-size: 1.05em; }
nav a { margin-right: 1em; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; margin: 0.8em 0; }
th, td { border: 1px solid #ddd; padding: 0.35em 0.5em; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f3f5f8; }
td .ci, td .diff { display: block; color: #666; font-size: 0.85em; }
figure { margin: 1.4em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
@media print { body { max-width: none; } figure, table { page-break-inside: avoid; } }
"""


def _t(key: str, lang: str, **fmt) -> str:
    return phrase(f"page.{key}", lang, **fmt)


def kpi_rows(b: Briefing, kpis: list[str] | None = None) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """KPIs by scenario as text: (name with unit and horizon, [(mean, interval, difference)]);
    the reference's difference is ''.  ``kpis``: the headline KPIs of the sections by default."""
    lang = b.lang
    by = b.table.assign(number=b.table.groupby("kpi", sort=False).cumcount()).set_index(["kpi", "number"])
    present = set(b.table["kpi"])
    if kpis is None:
        kpis = [k for s in b.sections for k in s.kpis[:2]]
    out = []
    for kpi in (k for k in kpis if k in present):
        rows = [by.loc[(kpi, i)] for i in range(len(b.labels))]
        context = [float(r["mean"]) for r in rows]
        if not any(math.isfinite(v) for v in context):
            continue  # no scenario has it (distances moved when no home closed)
        cells = []
        for i, r in enumerate(rows):
            low, high = float(r["ci_low"]), float(r["ci_high"])
            ci = (f"[{format_number(kpi, low, lang, context)}, {format_number(kpi, high, lang, context)}]"
                  if math.isfinite(low) and math.isfinite(high) else "")
            diff = ""
            if i > 0 and math.isfinite(float(r["diff"])):
                d_low, d_high = float(r["diff_ci_low"]), float(r["diff_ci_high"])
                diff = f"Δ {format_change(kpi, float(r['diff']), lang, context)}"
                if float(r["diff"]) == 0 and d_low == 0 and d_high == 0:
                    diff = _t("same", lang)  # identical in every replication
                elif math.isfinite(d_low) and math.isfinite(d_high):
                    diff += (f" [{format_number(kpi, d_low, lang, context, sign=True)}, "
                             f"{format_number(kpi, d_high, lang, context, sign=True)}]")
            cells.append((format_number(kpi, float(r["mean"]), lang, context), ci, diff))
        u = value_unit(kpi, lang, context)
        name = label(kpi, lang, b.horizon_days) + ((f"（{u}）" if lang == "zh" else f" ({u})") if u else "")
        out.append((name, cells))
    return out


def _kpi_table(b: Briefing, kpis: list[str]) -> str:
    head = "".join(f"<th>{escape(s)}</th>" for s in b.labels)
    rows = []
    for name, cells in kpi_rows(b, kpis):
        tds = "".join(f"<td>{escape(mean)}<span class=\"ci\">{escape(ci)}</span>"
                      + (f"<span class=\"diff\">{escape(diff)}</span>" if diff else "") + "</td>"
                      for mean, ci, diff in cells)
        rows.append(f"<tr><td>{escape(name)}</td>{tds}</tr>")
    return (f"<table><thead><tr><th>{escape(_t('indicator', b.lang))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _text_table(table) -> str:
    """A table of text (`sim.report.equity.Table`): caption above, note below."""
    head = "".join(f"<th>{escape(h)}</th>" for h in table.head)
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    note = f"<p class=\"small\">{escape(table.note)}</p>" if table.note else ""
    return (f"<p class=\"small\"><strong>{escape(table.caption)}</strong></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}")


def reference_line(b: Briefing) -> str:
    """Which scenario the others are compared with, on how many runs, over what horizon."""
    key = "reference" if b.names[0].endswith("/baseline") else "reference_other"
    return _t(key, b.lang, ref=b.labels[0], n=len(b.results[0].runs),
              horizon=horizon_text(b.horizon_days, b.lang), days=b.horizon_days)


def _cost_is_homes_only(res) -> bool:
    """True when ``cost_total_yuan`` is the sum of the cost KPIs the note names."""
    parts = ["home_fixed_cost_yuan", "home_variable_cost_yuan", "home_capital_cost_yuan",
             "meal_subsidy_cost_yuan", "canteen_cost_yuan", "helper_wage_cost_yuan"]
    runs = res.runs
    if "cost_total_yuan" not in runs or not all(p in runs for p in parts):
        return False
    return bool(np.allclose(runs[parts].sum(axis=1), runs["cost_total_yuan"], rtol=1e-9, atol=0.5))


def _where(path, base: Path | None) -> str:
    """A scenario's folder relative to the briefing (never the machine's absolute path)."""
    if path is None:
        return "–"
    path = Path(path)
    if base is not None:
        try:
            return os.path.relpath(path.resolve(), base.resolve())
        except ValueError:  # another drive
            pass
    return path.name


def notes(b: Briefing, base: Path | None = None) -> list[str]:
    """The notes and assumptions, one sentence or paragraph each; scenario folders relative to
    ``base`` (the briefing's folder)."""
    from sim.report.labels import county_name

    lang, first = b.lang, b.results[0]
    run, county = first.config.run, first.config.county
    man = first.manifest.get("county", {})
    out = [
        _t("assumptions", lang),
        _t(
            "runs",
            lang,
            n=len(first.runs),
            seed=run.seed,
            days=run.horizon_days,
            years=run.horizon_days / YEAR_DAYS,
        ),
        _t(
            "county",
            lang,
            county=county_name(first, lang),
            townships=man.get("townships", county.townships),
            villages=man.get("villages", county.villages),
            elders=man.get("elders", "?"),
            kind=_t("loaded" if county.source else "synthetic", lang),
        ),
        _t("crn", lang, level=b.level),
        _t("intervals", lang),
        _t("horizon", lang, horizon=horizon_text(b.horizon_days, lang)),
    ]
    targets = []
    for lab, res in zip(b.labels, b.results):
        minutes = res.manifest.get("targets", {}).get("emergency_minutes")
        if minutes is not None:
            targets.append(_t("minutes", lang, label=lab, minutes=float(minutes)))
    if targets:
        out.append(_t("target", lang, targets=("；" if lang == "zh" else "; ").join(targets)))
    if _cost_is_homes_only(first):
        out.append(_t("cost", lang))
    for lab, res in zip(b.labels, b.results):
        overrides = " ".join(res.manifest.get("overrides", [])) or "–"
        out.append(
            _t(
                "scenario",
                lang,
                label=lab,
                path=_where(res.path, base) if res.path else _t("in_memory", lang),
                overrides=overrides,
            )
        )
    if b.skipped:
        out.append(_t("skipped", lang, items=("；" if lang == "zh" else "; ").join(b.skipped)))
    return out


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def figure_numbers(b: Briefing) -> dict[str, int]:
    """Chart stem -> its figure number, in the order of the sections."""
    return {c.stem: n for n, c in enumerate(b.charts, start=1)}


def render(b: Briefing, folder: Path) -> str:
    """The HTML text of the page; the charts' PNGs are read from ``folder`` and embedded."""
    lang = b.lang
    code = b.results[0].manifest.get("code", {})
    commit = (code.get("commit") or "?")[:10] + (_t("dirty", lang) if code.get("dirty") else "")
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    numbers = figure_numbers(b)
    parts = [
        "<!DOCTYPE html>",
        f"<html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\">",
        "<head>",
        "<meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{escape(b.title)}</title>",
        "<style>@@FONT@@" + CSS + "</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(b.title)}</h1>",
        f"<p class=\"meta\">{escape(reference_line(b))}</p>",
        f"<section class=\"headline\" id=\"headline\"><h2>{escape(_t('headline', lang))}</h2><ul>"
        + "".join(f"<li>{escape(x)}</li>" for x in b.headline) + "</ul></section>",
        "<nav>" + "".join(f"<a href=\"#{s.key}\">{escape(s.heading)}</a>" for s in b.sections)
        + f"<a href=\"#notes\">{escape(_t('notes', lang))}</a></nav>",
    ]
    for s in b.sections:
        parts.append(f"<section id=\"{s.key}\"><h2>{escape(s.heading)}</h2>")
        if s.kpis:
            parts.append(_kpi_table(b, s.kpis))
        for table in s.tables:
            parts.append(_text_table(table))
        for chart in s.charts:
            png = (folder / f"{chart.stem}.png").read_bytes()
            parts.append(
                f'<figure id="{escape(chart.stem, quote=True)}"><img src="{data_uri(png, "image/png")}" '
                f'alt="{escape(chart.caption, quote=True)}">'
                f"<figcaption><strong>{escape(_t('figure', lang, n=numbers[chart.stem]))}</strong> "
                f"{escape(chart.caption)}</figcaption></figure>"
            )
        parts.append("</section>")
    csv = (folder / "comparison.csv").read_bytes() if (folder / "comparison.csv").exists() else b""
    parts += [f"<section id=\"notes\"><h2>{escape(_t('notes', lang))}</h2>",
              f"<p class=\"small\">{escape(_t('kpis_note', lang, level=b.level, ref=b.labels[0]))}</p>",
              "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in notes(b, folder)) + "</ul>",
              f"<p class=\"small\"><a download=\"comparison.csv\" href=\"{data_uri(csv, 'text/csv')}\">"
              f"{escape(_t('download', lang))}</a></p>",
              f"<p class=\"small\">{escape(_t('generated', lang, when=when, commit=commit))}</p>",
              "</section>", "</body>", "</html>", ""]
    html = "\n".join(parts)
    # the page's own characters, in the packaged font, so Chinese reads without system CJK fonts
    woff = subset_font(re.sub(r"<[^>]+>|data:[^\"]+", "", html))
    face = (f"@font-face {{ font-family: \"{EMBEDDED_FAMILY}\"; "
            f"src: url(\"{data_uri(woff, 'font/woff')}\") format(\"woff\"); }}")
    return html.replace("@@FONT@@", face, 1)


def write_page(b: Briefing, path: Path, dpi: int | None = None) -> Path:
    """Write ``briefing.html`` beside the charts it embeds (atomically)."""
    path = Path(path)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render(b, path.parent), encoding="utf-8")
    tmp.replace(path)
    return path


__all__ = ["CSS", "data_uri", "figure_numbers", "kpi_rows", "notes", "reference_line", "render", "write_page"]
