"""Where the demand went: one stacked bar per scenario, split into its outcomes.

Meals (堂食, 送餐, unmet by reason), visits (on time, late, missed, died first, open), home-care
hours (delivered, unmet) and costs (by item) are each a whole that the scenarios divide
differently; a stacked horizontal bar per scenario shows who is served and who is left out at
a glance.  Bars show the means over replications; the section's table of key figures carries
their intervals.  A segment is labelled inside only when its label fits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sim.report.charts import COLORS, MONEY_SCALES, _by_scenario, _check_lang, _finish, _new_figure, style
from sim.report.labels import label, phrase
from sim.report.layout import wrap_to_width

# Outcome parts: (KPI, how to turn its mean into a share of the whole: "share" as is, or the KPI
# whose mean is the whole) and a colour; unmet parts in warm colours.
SERVED, LATE, UNMET = "#2b8cbe", "#a6bddb", ("#d7301f", "#fc8d59", "#fdbb84", "#fdd49e", "#b30000")

PARTS: dict[str, list[tuple[str, str, str]]] = {
    "meals": [("meals_dine_in", "meals_demanded", SERVED), ("meals_delivered", "meals_demanded", LATE),
              ("meals_unmet_closed_share", "share", UNMET[2]), ("meals_unmet_full_share", "share", UNMET[1]),
              ("meals_unmet_no_service_share", "share", UNMET[0]),
              ("meals_unmet_late_share", "share", UNMET[3])],
    "visits": [("visits_on_time", "visits_required", SERVED), ("visits_late", "visits_required", LATE),
               ("visits_missed", "visits_required", UNMET[0]),
               ("visits_died_first", "visits_required", "#969696"),
               ("visits_open_end", "visits_required", "#d9d9d9")],
    "homecare": [("homecare_hours_delivered", "homecare_hours_needed", SERVED),
                 ("homecare_unmet_share", "share", UNMET[0])],
}
COST_PARTS = ["home_fixed_cost_yuan", "home_variable_cost_yuan", "home_capital_cost_yuan",
              "meal_subsidy_cost_yuan", "canteen_cost_yuan", "helper_wage_cost_yuan"]
LABEL_MIN_SHARE = 0.07  # a segment narrower than this share carries no number inside


def composition_shares(table: pd.DataFrame, service: str) -> pd.DataFrame:
    """Mean share of each part (columns, KPIs) per scenario (rows, positions); parts absent from
    the table or zero in every scenario are dropped."""
    by, names = _by_scenario(table, "en")
    kpis = set(table["kpi"])
    cols = {}
    for kpi, whole, _color in PARTS[service]:
        if kpi not in kpis or (whole != "share" and whole not in kpis):
            continue
        part = by.loc[kpi]["mean"].reindex(range(len(names))).to_numpy(float)
        if whole != "share":
            total = by.loc[whole]["mean"].reindex(range(len(names))).to_numpy(float)
            with np.errstate(invalid="ignore", divide="ignore"):
                part = np.where(total > 0, part / total, 0.0)
        if np.nanmax(np.abs(part), initial=0.0) > 0:
            cols[kpi] = part
    return pd.DataFrame(cols)


def composition_bars(table: pd.DataFrame, service: str, lang: str = "zh",
                     horizon_days: float | None = None) -> Figure:
    """Stacked bars of the parts of ``service`` ('meals', 'visits', 'homecare') as % of the whole."""
    _check_lang(lang)
    shares = composition_shares(table, service)
    if shares.empty:
        raise ValueError(f"no {service} KPIs in the comparison table")
    _, names = _by_scenario(table, lang)
    colors = {k: c for k, _w, c in PARTS[service]}
    return _stacked(shares, [label(k, lang) for k in shares.columns], [colors[k] for k in shares.columns],
                    names, lang, phrase(f"composition.{service}_title", lang,
                                        horizon=_horizon(horizon_days, lang)),
                    phrase("composition.share_x", lang), percent=True)


def cost_bars(table: pd.DataFrame, lang: str = "zh", horizon_days: float | None = None) -> Figure:
    """Stacked bars of the cost items per scenario, in 万元 / million yuan, total at the end."""
    _check_lang(lang)
    by, names = _by_scenario(table, lang)
    parts = [k for k in COST_PARTS if k in set(table["kpi"])
             and np.nanmax(by.loc[k]["mean"].to_numpy(float), initial=0.0) > 0]
    if not parts:
        raise ValueError("no cost KPIs in the comparison table")
    divisor, money = MONEY_SCALES[lang][0], MONEY_SCALES[lang][1]
    values = pd.DataFrame({k: by.loc[k]["mean"].reindex(range(len(names))).to_numpy(float) / divisor
                           for k in parts})
    colors = [COLORS[(i + 2) % len(COLORS)] for i in range(len(parts))]
    return _stacked(values, [label(k, lang) for k in parts], colors, names, lang,
                    phrase("composition.cost_title", lang, horizon=_horizon(horizon_days, lang)),
                    phrase("composition.cost_x", lang, unit=money), percent=False)


def _horizon(days: float | None, lang: str) -> str:
    from sim.report.labels import horizon_text

    return horizon_text(days, lang) if days else "–"


def _stacked(values: pd.DataFrame, part_labels: list[str], colors: list[str], names: list[str], lang: str,
             title: str, xlabel: str, percent: bool) -> Figure:
    with style(lang):
        fig = _new_figure(lang, figsize=(7.0, 1.9 + 0.55 * len(names)))
        ax = fig.subplots()
        y = np.arange(len(names))[::-1]
        left = np.zeros(len(names))
        totals = np.nansum(values.to_numpy(float), axis=1)
        scale = 1.0 if percent else max(float(np.nanmax(totals, initial=0.0)), 1e-9)
        for kpi, lab, color in zip(values.columns, part_labels, colors):
            width = np.nan_to_num(values[kpi].to_numpy(float))
            ax.barh(y, width, left=left, color=color, height=0.6, label=lab, edgecolor="white", lw=0.5)
            for yi, li, wi in zip(y, left, width):
                if wi / scale >= LABEL_MIN_SHARE:
                    text = f"{wi:.0%}" if percent else f"{wi:,.0f}"
                    ax.text(li + wi / 2, yi, text, ha="center", va="center", fontsize=7.5,
                            color="white" if color in (SERVED, UNMET[0], UNMET[4]) else "#222222")
            left += width
        if percent:
            ax.set_xlim(0, 1.0)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
        else:
            ax.set_xlim(0, scale * 1.22)
            for yi, total in zip(y, totals):
                ax.text(total + scale * 0.01, yi, f"{total:,.0f}", va="center", fontsize=8)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_yticks(y, wrap_to_width(names, 16))
        ax.set_xlabel(xlabel)
        ax.grid(axis="x", alpha=0.3)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        fig.legend(loc="outside lower center", ncols=min(3, len(part_labels)), frameon=False, fontsize=8)
        fig.suptitle(title, fontsize=11)
        return _finish(fig)


__all__ = ["COST_PARTS", "PARTS", "composition_bars", "composition_shares", "cost_bars"]
