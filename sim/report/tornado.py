"""The tornado chart 龙卷风图 of a one-at-a-time sensitivity table (`sim.experiment.sensitivity`).

One horizontal bar per assumption, from the KPI at its low bound to the KPI at its high bound,
centred on the base value; the largest swing at the top.  Labels come from
`sim.report.words.PARAMETER_LABELS` (Chinese and English); each carries the range it was moved over.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.report.charts import _check_lang, _finish, _new_figure, style
from sim.report.labels import is_share, label, phrase, unit
from sim.report.words import PARAMETER_LABELS

TOP = 10
LOW_COLOR, HIGH_COLOR = "#4c72b0", "#dd8452"
TABLE_NAME = "tornado.csv"
SOBOL_NAME = "sobol.csv"


def parameter_label(path: str, lang: str) -> str:
    """The assumption's name in ``lang`` (its config path when it has none)."""
    names = PARAMETER_LABELS.get(path)
    return path if names is None else names[0 if lang == "zh" else 1]


def _range_text(row: pd.Series, lang: str) -> str:
    key = "sensitivity.scale" if row.get("apply", "set") == "scale" else "sensitivity.range"
    return phrase(key, lang, low=float(row["low_value"]), high=float(row["high_value"]))


def _fmt(kpi: str, x: float) -> str:
    return f"{x:.1%}" if is_share(kpi) else f"{x:,.3g}"


def tornado_chart(table: pd.DataFrame, lang: str = "zh", top: int = TOP) -> Figure:
    """The tornado of one KPI's table (`sim.experiment.sensitivity.tornado`), ``top`` rows."""
    _check_lang(lang)
    if table.empty:
        raise ValueError("empty sensitivity table")
    kpi = str(table["kpi"].iloc[0])
    rows = table.sort_values("swing", ascending=False, kind="stable").head(top).iloc[::-1]
    base = float(rows["base"].iloc[0])
    scale = 100.0 if is_share(kpi) else 1.0
    with style(lang):
        fig = _new_figure(lang, figsize=(8.0, 0.42 * len(rows) + 1.6))
        ax = fig.subplots()
        y = np.arange(len(rows))
        for side, color in (("low", LOW_COLOR), ("high", HIGH_COLOR)):
            value = rows[side].to_numpy(float)
            ax.barh(y, (value - base) * scale, left=base * scale, color=color, height=0.6)
        ax.axvline(base * scale, color="#333333", linewidth=1)
        ax.set_yticks(y, [f"{parameter_label(p, lang)}  {_range_text(r, lang)}"
                          for p, (_, r) in zip(rows["path"], rows.iterrows())], fontsize=8)
        ax.set_xlabel(phrase("sensitivity.x", lang, kpi=label(kpi, lang), base=_fmt(kpi, base))
                      + (" (%)" if is_share(kpi) else f" ({unit(kpi, lang)})" if unit(kpi, lang) else ""),
                      fontsize=9)
        ax.set_title(phrase("sensitivity.title", lang, kpi=label(kpi, lang)), fontsize=10)
        fig.legend(handles=[Patch(color=LOW_COLOR, label=phrase("sensitivity.low", lang)),
                            Patch(color=HIGH_COLOR, label=phrase("sensitivity.high", lang))],
                   loc="outside lower center", ncols=2, frameon=False)
        return _finish(fig)


def sensitivity_table(run_dir: str | Path | None) -> pd.DataFrame | None:
    """The tornado table a run carries (``DIR/sensitivity/tornado.csv``), or None."""
    if run_dir is None:
        return None
    path = Path(run_dir) / "sensitivity" / TABLE_NAME
    return pd.read_csv(path) if path.is_file() else None


def sobol_indices(run_dir: str | Path | None) -> pd.DataFrame | None:
    """The Sobol' indices a run carries (``DIR/sensitivity/sobol.csv``), or None."""
    if run_dir is None:
        return None
    path = Path(run_dir) / "sensitivity" / SOBOL_NAME
    return pd.read_csv(path) if path.is_file() else None


def sobol_rows(indices: pd.DataFrame, kpi: str, lang: str, top: int = TOP) -> list[list[str]]:
    """Rows (assumption, S1 [95% interval], ST [95% interval]) of ``kpi``, largest total index first."""
    rows = indices[indices["kpi"] == kpi].sort_values("ST", ascending=False, kind="stable").head(top)

    def cell(x: float, half: float) -> str:
        return f"{x:.2f} [{x - half:.2f}, {x + half:.2f}]"

    return [[parameter_label(r.path, lang), cell(r.S1, r.S1_conf), cell(r.ST, r.ST_conf)]
            for r in rows.itertuples()]


__all__ = ["SOBOL_NAME", "TABLE_NAME", "parameter_label", "sensitivity_table", "sobol_indices", "sobol_rows",
           "tornado_chart"]
