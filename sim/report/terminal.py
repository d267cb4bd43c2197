"""What the main job prints: progress on each long step, and each scenario beside the reference.

`side_by_side` prints, per scenario after the reference, one block: every key figure of the
services that ran, in Chinese or English with its unit and horizon, the reference's and the
scenario's means and the paired difference with its interval — the same words and number
formats as the briefing.  `Progress` prints a time-stamped line per step.
"""

from __future__ import annotations

import math
import sys
import time
import unicodedata

import pandas as pd

from sim.experiment.compare import compare, scenario_name
from sim.experiment.results import Results
from sim.report.labels import county_name, horizon_text, label, phrase, scenario_labels

NAME_WIDTHS = {"zh": 32, "en": 42}
UNIT_WIDTHS = {"zh": 10, "en": 14}
VALUE_WIDTH = 14
SHOWN = {"costs": 2, "equity": 2}  # key figures per section on the terminal (the briefing shows all)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _ljust(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def _rjust(text: str, width: int) -> str:
    return " " * max(width - _width(text), 0) + text


def _cut(text: str, width: int) -> str:
    out = ""
    for c in text:
        if _width(out + c) > width - 1:
            return out + "…"
        out += c
    return out


class Progress:
    """``say(message)`` prints '[  12 s] message' to ``stream`` (flushed at once)."""

    def __init__(self, stream=None):
        self.t0 = time.perf_counter()
        self.stream = stream or sys.stdout

    def __call__(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.t0:6.0f} s] {message}", file=self.stream, flush=True)


def _t(key: str, lang: str, **fmt) -> str:
    return phrase(f"terminal.{key}", lang, **fmt)


def side_by_side(results: list[Results], lang: str = "zh", level: float = 0.95,
                 table: pd.DataFrame | None = None) -> str:
    """Blocks of key figures: each scenario after the first beside the first (the reference), or
    the one scenario alone."""
    from sim.report.intervals import bounded_table  # imported here: the main job loads SciPy and

    # matplotlib once its scenarios have run, not while its workers run (issue 13)
    from sim.report.services import services_run
    from sim.report.summary import format_number, value_unit

    if table is None:
        table = bounded_table(compare(results, level), results, level)
    names = [scenario_name(r) for r in results]
    shown = scenario_labels(names, lang)
    days = float(results[0].config.run.horizon_days)
    by = table.assign(number=table.groupby("kpi", sort=False).cumcount()).set_index(["kpi", "number"])
    present = set(table["kpi"])

    m = results[0].manifest
    head = _t(
        "head",
        lang,
        county=county_name(results[0], lang),
        elders=m.get("county", {}).get("elders", "?"),
        n=len(results[0].runs),
        horizon=horizon_text(days, lang),
        seed=results[0].config.run.seed,
    )
    lines = [head]
    name_width, unit_width = NAME_WIDTHS[lang], UNIT_WIDTHS[lang]
    others = range(1, len(results)) if len(results) > 1 else [None]
    for k in others:
        title = (_t("block", lang, scenario=shown[k], ref=shown[0]) if k is not None
                 else _t("alone", lang, scenario=shown[0]))
        lines += ["", title]
        values = [shown[0]] + ([shown[k]] if k is not None else [])
        tail_head = _t("diff", lang, level=level) if k is not None else _t("interval", lang, level=level)
        lines.append(_ljust(_t("indicator", lang), name_width) + _ljust(_t("unit", lang), unit_width)
                     + "".join(_rjust(_cut(c, VALUE_WIDTH), VALUE_WIDTH + 2) for c in values)
                     + "  " + tail_head)
        for service in services_run(table):
            rows = []
            for kpi in [x for x in service.kpis if x in present][:SHOWN.get(service.key)]:
                ref = by.loc[(kpi, 0)]
                row = by.loc[(kpi, k)] if k is not None else None
                means = [float(ref["mean"])] + ([float(row["mean"])] if row is not None else [])
                if not any(math.isfinite(v) for v in means):
                    continue
                u = value_unit(kpi, lang, means)
                cells = [format_number(kpi, float(ref["mean"]), lang, means)]
                if row is None:
                    tail = _interval(kpi, float(ref["ci_low"]), float(ref["ci_high"]), lang, means, False)
                else:
                    cells.append(format_number(kpi, float(row["mean"]), lang, means))
                    tail = _diff(kpi, row, lang, means)
                rows.append(_ljust("  " + _cut(label(kpi, lang, days), name_width - 3), name_width)
                            + _ljust(_cut(u, unit_width - 1), unit_width)
                            + "".join(_rjust(c, VALUE_WIDTH + 2) for c in cells) + "  " + tail)
            if rows:
                lines += [phrase(f"sections.{service.key}_heading", lang)] + rows
    return "\n".join(lines)


def _interval(kpi: str, low: float, high: float, lang: str, context: list[float], sign: bool) -> str:
    from sim.report.summary import format_number

    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return (f"[{format_number(kpi, low, lang, context, sign=sign)}, "
            f"{format_number(kpi, high, lang, context, sign=sign)}]")


def _diff(kpi: str, row: pd.Series, lang: str, context: list[float]) -> str:
    from sim.report.summary import format_number

    diff, low, high = float(row["diff"]), float(row["diff_ci_low"]), float(row["diff_ci_high"])
    if not math.isfinite(diff):
        return ""
    if diff == 0 and low == 0 and high == 0:
        return _t("same", lang)
    text = f"{format_number(kpi, diff, lang, context + [diff], sign=True)} " \
           + _interval(kpi, low, high, lang, context + [diff], True)
    if math.isfinite(low) and math.isfinite(high) and low <= 0 <= high:
        text += _t("unclear", lang)
    return text


__all__ = ["Progress", "side_by_side"]
