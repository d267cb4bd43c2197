"""The equity part of the briefing (issue 16): outcomes by remoteness, and who is left out.

* `remoteness_bars`: each outcome by remoteness quintile of the villages (1 = nearest to the
  township seat), one bar per scenario with its 95% interval, from the comparison table
  (the ``<kpi>_remoteness_q<k>`` KPIs of `sim.kernels.equity`);
* `left_out_tables`: per service, the villages the reference leaves out (`Results.left_out`),
  with their share under the reference and under each other scenario (mean and interval);
* `left_out_all`: every scenario's left-out list in one frame (the briefing's ``left_out.csv``).

The village map before and after a policy is `sim.report.maps.village_map`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.experiment.compare import scenario_name
from sim.experiment.results import Results
from sim.experiment.villages import SERVICE_SHARES
from sim.kernels.equity import VILLAGE_OUTCOMES
from sim.report.charts import (
    COLORS,
    _by_scenario,
    _check_lang,
    _err,
    _finish,
    _new_figure,
    _percent_axis,
    style,
)
from sim.report.labels import label, phrase, scenario_labels, township_label, village_label

QUINTILES = 5
MAX_ROWS = 10  # villages per service in the briefing's table; left_out.csv holds them all


@dataclass
class Table:
    """A table of the briefing: caption, header, rows of text and a note under it."""

    caption: str
    head: list[str]
    rows: list[list[str]]
    note: str = ""


def quintile_kpis(table: pd.DataFrame) -> list[str]:
    """The outcomes whose five quintile KPIs are in the comparison table with a finite mean."""
    kpis = set(table["kpi"])
    out = []
    for kpi in VILLAGE_OUTCOMES:
        names = [f"{kpi}_remoteness_q{k}" for k in range(1, QUINTILES + 1)]
        if all(n in kpis for n in names):
            means = table.loc[table["kpi"].isin(names), "mean"].to_numpy(float)
            if np.isfinite(means).any():
                out.append(kpi)
    return out


def remoteness_bars(comparison: pd.DataFrame, lang: str = "zh", level: float = 0.95) -> Figure:
    """Each outcome of `quintile_kpis` by remoteness quintile, a bar per scenario with its interval."""
    _check_lang(lang)
    kpis = quintile_kpis(comparison)
    if not kpis:
        raise ValueError("no remoteness quintile KPIs in the comparison table")
    table, names = _by_scenario(comparison, lang)
    ncols = min(2, len(kpis))
    nrows = math.ceil(len(kpis) / ncols)
    width = 0.8 / len(names)
    with style(lang):
        fig = _new_figure(lang, figsize=(5.2 * ncols, 3.0 * nrows + 1.1))
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        x = np.arange(QUINTILES)
        for ax, kpi in zip(axes, kpis):
            for i in range(len(names)):
                rows = [table.loc[(f"{kpi}_remoteness_q{k}", i)] for k in range(1, QUINTILES + 1)]
                mean = np.array([float(r["mean"]) for r in rows])
                low = np.array([float(r["ci_low"]) for r in rows])
                high = np.array([float(r["ci_high"]) for r in rows])
                ax.bar(x + (i - (len(names) - 1) / 2) * width, np.nan_to_num(mean), width=width * 0.92,
                       color=COLORS[i % len(COLORS)], yerr=_err(mean, low, high, share=True),
                       error_kw={"elinewidth": 1.0, "capsize": 2.5, "ecolor": "#333333"})
            ax.set_title(label(kpi, lang), fontsize=10)
            ax.set_xticks(x, [phrase("equity.quintile_tick", lang, k=k) for k in range(1, QUINTILES + 1)],
                          fontsize=8)
            ax.set_ylim(0, 1.0)
            _percent_axis(ax.yaxis)
            ax.grid(axis="y", alpha=0.3)
        for k, ax in enumerate(axes[:len(kpis)]):
            if k + ncols >= len(kpis):   # the lowest panel of its column
                ax.set_xlabel(phrase("equity.quintile_x", lang), fontsize=8.5)
        for ax in axes[len(kpis):]:
            ax.set_visible(False)
        handles = [Patch(color=COLORS[i % len(COLORS)], label=n) for i, n in enumerate(names)]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(names), 4), frameon=False,
                   fontsize=8.5)
        fig.suptitle(phrase("equity.title", lang, level=level), fontsize=11)
        return _finish(fig)


def _share_text(mean: float, low: float, high: float) -> str:
    if not math.isfinite(mean):
        return "–"
    text = f"{mean:.0%}"
    if math.isfinite(low) and math.isfinite(high):
        text += f" [{max(low, 0.0):.0%}, {min(high, 1.0):.0%}]"
    return text


def service_name(service: str, lang: str, target: float) -> str:
    return phrase(f"equity.service_{service}", lang, target=target)


def left_out_tables(results: list[Results], lang: str, target: float, level: float = 0.95) -> list[Table]:
    """One table per service with villages the reference (``results[0]``) leaves out: name,
    township, the share under each scenario (mean and interval), the reference's share of
    replications under the threshold.  Worst first, at most `MAX_ROWS`."""
    ref = results[0]
    names = scenario_labels([scenario_name(r) for r in results], lang)
    out_ref = ref.left_out()
    summaries = [r.villages(level).set_index("village_id") for r in results]
    rules = ref.config.report.left_out
    tables = []
    for service, column in SERVICE_SHARES.items():
        rows_ = out_ref[out_ref["service"] == service]
        if rows_.empty:
            continue
        head = [phrase("equity.village", lang), phrase("equity.township", lang),
                *[phrase("equity.share_under", lang, scenario=n) for n in names],
                phrase("equity.runs_under", lang, ref=names[0])]
        rows = []
        for r in rows_.head(MAX_ROWS).itertuples(index=False):
            cells = [village_label(str(r.name), lang), township_label(str(r.township), lang)]
            for s in summaries:
                v = s.loc[r.village_id]
                cells.append(_share_text(float(v[column]), float(v[f"{column}_ci_low"]),
                                         float(v[f"{column}_ci_high"])))
            cells.append(f"{r.replications_under_share:.0%}")
            rows.append(cells)
        more = len(rows_) - len(rows)
        caption = phrase("equity.left_out_caption", lang, service=service_name(service, lang, target),
                         threshold=getattr(rules, service), persistence=rules.persistence, n=len(rows_),
                         villages=len(summaries[0]), ref=names[0], level=level)
        note = phrase("equity.left_out_more", lang, n=more) if more > 0 else ""
        tables.append(Table(caption, head, rows, note))
    return tables


def left_out_all(results: list[Results]) -> pd.DataFrame:
    """Every scenario's left-out villages, a ``scenario`` column first."""
    parts = [r.left_out().assign(scenario=scenario_name(r)) for r in results]
    frame = pd.concat(parts, ignore_index=True)
    return frame[["scenario", *[c for c in frame.columns if c != "scenario"]]]


__all__ = ["MAX_ROWS", "Table", "left_out_all", "left_out_tables", "quintile_kpis", "remoteness_bars",
           "service_name"]
