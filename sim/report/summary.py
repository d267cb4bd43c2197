"""The generated summary of a comparison: headline differences to the reference, in words.

From the long table of `sim.experiment.compare.compare`, one section per scenario after the
first (the reference), one line per headline KPI: the paired difference with its interval and
the two means, e.g.

    15分钟应急响应：目标时限内响应率 +6.7 个百分点（95%置信区间 +6.5 至 +6.9），由 78.7% 变为 85.4%

Shares are stated in percentage points, minutes, days, km and yuan with their units.  An
interval that includes zero is called out as no clear difference; KPIs that are identical in
every replication are listed together as unchanged.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from sim.report.labels import LANGS, is_share, label, money_unit, phrase, scenario_labels, unit

HEADLINE_KPIS = (
    "emergency_within_target_share", "emergency_response_p90_min", "emergency_help_within_target_share",
    "bed_wait_days_mean", "bed_occupancy", "residents_displaced", "cost_total_yuan",
)




def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


class Section(NamedTuple):
    """The summary of one scenario against the reference."""

    scenario: str  # scenario name, county/policy
    heading: str
    lines: list[str]


def _number(x: float, decimals: int, sign: bool = False) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    text = f"{x:{'+' if sign else ''},.{decimals}f}"
    if set(text) <= set("+-0.,"):  # no "-0.0"
        text = f"{0.0:{'+' if sign else ''}.{decimals}f}"
    return text


def _scale(kpi: str, values: list[float], lang: str) -> tuple[float, str, int]:
    """(divisor, unit, decimals) of every number of one line or table row, one rule per unit:
    shares one decimal of a percent; minutes, days, km and rates per 1,000 one decimal; large
    sums of money in 万元 (one decimal) or million yuan (two); counts, hours and smaller sums of
    money as whole numbers."""
    finite = [float(v) for v in values if v is not None and math.isfinite(v)]
    if unit(kpi, "en") == "yuan":
        divisor, u = money_unit(kpi, np.array(finite), lang)
        return divisor, u, (0 if divisor == 1.0 else 1 if lang == "zh" else 2)
    u = unit(kpi, lang)
    if kpi.endswith(("_min", "_days", "_km", "_per_1000")) or unit(kpi, "en") in ("min", "days", "km"):
        return 1.0, u, 1
    return 1.0, u, 0


def value_unit(kpi: str, lang: str = "zh", context: list[float] | None = None) -> str:
    """The unit numbers of ``kpi`` are shown in ('%' for shares, '万元' for large sums)."""
    return "%" if is_share(kpi) else _scale(kpi, context or [], lang)[1]


def format_number(kpi: str, value: float, lang: str = "zh", context: list[float] | None = None,
                  sign: bool = False) -> str:
    """``value`` as shown in `value_unit` (a share times 100), without the unit."""
    if is_share(kpi):
        return _number(100 * value, 1, sign)
    div, _, dec = _scale(kpi, context or [value], lang)
    return _number(value / div, dec, sign)


def format_value(kpi: str, value: float, lang: str = "zh", context: list[float] | None = None) -> str:
    """A level of ``kpi`` with its unit: '78.7%', '17.5 分钟', '1,202.8 万元'."""
    text = format_number(kpi, value, lang, context or [value])
    if text == "–":
        return text
    if is_share(kpi):
        return f"{text}%"
    return f"{text} {value_unit(kpi, lang, context or [value])}".strip()


def format_change(kpi: str, diff: float, lang: str = "zh", context: list[float] | None = None) -> str:
    """A signed difference with its unit: '+6.7 个百分点', '-1.2 min', '+32.3 万元'."""
    u = phrase("summary.pp", lang) if is_share(kpi) else value_unit(kpi, lang, context or [diff])
    return f"{format_number(kpi, diff, lang, context or [diff], sign=True)} {u}".strip()


def difference_line(kpi: str, ref: pd.Series, row: pd.Series, lang: str = "zh",
                    level: float = 0.95) -> str:
    """One summary line of ``kpi``: the difference ``row`` - ``ref`` with its interval."""
    diff, low, high = float(row["diff"]), float(row["diff_ci_low"]), float(row["diff_ci_high"])
    levels = [float(ref["mean"]), float(row["mean"])]
    context = levels + [diff, low, high]  # one scale for every number of the line
    fmt = {"kpi": label(kpi, lang), "diff": format_change(kpi, diff, lang, context),
           "ref": format_value(kpi, levels[0], lang, context),
           "value": format_value(kpi, levels[1], lang, context), "level": level}
    if not (math.isfinite(low) and math.isfinite(high)):
        return phrase("summary.line_no_ci", lang, **fmt)
    text = phrase("summary.line", lang, low=format_number(kpi, low, lang, context, sign=True),
              high=format_number(kpi, high, lang, context, sign=True), **fmt)
    if low <= 0.0 <= high:
        text += phrase("summary.no_clear", lang)
    return text


def summarise(table: pd.DataFrame, lang: str = "zh", kpis: tuple[str, ...] = HEADLINE_KPIS,
              level: float = 0.95) -> tuple[str, list[Section]]:
    """(intro, one `Section` per scenario after the first) for the ``kpis`` the table has."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    table = table.assign(number=table.groupby("kpi", sort=False).cumcount())
    names = table.groupby("number")["scenario"].first().tolist()
    shown = scenario_labels(names, lang)
    present = [k for k in kpis if k in set(table["kpi"])]
    by = table.set_index(["number", "kpi"])
    n = int(table["n"].max()) if len(table) else 0
    if len(names) < 2:
        return phrase("summary.alone", lang, ref=shown[0] if shown else "", n=n), []
    intro = phrase("summary.intro", lang, ref=shown[0], n=n, level=level)
    sections = []
    for number in range(1, len(names)):
        lines, unchanged, no_data = [], [], []
        for kpi in present:
            ref, row = by.loc[(0, kpi)], by.loc[(number, kpi)]
            values = np.array([row["diff"], row["diff_ci_low"], row["diff_ci_high"]], float)
            if not np.isfinite(row["diff"]):
                no_data.append(label(kpi, lang))
            elif np.all(np.nan_to_num(values, nan=0.0) == 0.0):
                unchanged.append(label(kpi, lang))
            else:
                lines.append(difference_line(kpi, ref, row, lang, level))
        if unchanged:
            lines.append(phrase("summary.unchanged", lang, kpis=_join(unchanged, lang)))
        if no_data:
            lines.append(phrase("summary.no_data", lang, kpis=_join(no_data, lang)))
        sections.append(Section(names[number],
                                phrase("summary.heading", lang, scenario=shown[number], ref=shown[0]), lines))
    return intro, sections


def summary_text(intro: str, sections: list[Section]) -> str:
    """Plain text of the summary: the intro, then each section's heading and its lines."""
    parts = [intro, ""]
    for s in sections:
        parts.append(s.heading)
        parts += [f"  - {line}" for line in s.lines]
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


__all__ = ["HEADLINE_KPIS", "Section", "difference_line", "format_change", "format_number",
           "format_value", "summarise", "summary_text", "value_unit"]
