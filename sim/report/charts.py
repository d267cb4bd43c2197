"""Charts of finished scenarios (DESIGN §6 "Reports"), in Chinese or English.

Each chart is a pure function of `Results` objects or of the long table of
`sim.experiment.compare.compare` and returns a matplotlib `Figure`; `save`
writes it as PNG and PDF (`save_png`, `save_pdf` one of them).  Nothing here runs a simulation.
How figures are made, styled (fonts), checked for missing glyphs and saved: `sim.report.figures`,
whose names are re-exported here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.experiment.compare import scenario_name
from sim.experiment.results import Results
from sim.kernels.stats import t_interval
from sim.report.figures import (  # re-exported: the chart modules and callers import them from here
    _check_lang,
    _finish,
    _new_figure,
    adopt_figure,
    check_figure_glyphs,
    figure_lang,
    font_families,
    quiet_font_subsetting,
    save,
    save_pdf,
    save_png,
    style,
)
from sim.report.labels import (
    MONEY_SCALES,
    axis_label,
    is_share,
    label,
    money_unit,
    phrase,
    scenario_labels,
    township_label,
)
from sim.report.layout import place_labels
from sim.report.tables import township_summary

TRUE_CALL_STATUSES = ("answered", "answered_after_queue")
TARGET_SHARE = 0.9  # [A] the plan names no share; 90% of true emergencies reached in time
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf")


def _by_scenario(table: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """The table indexed by (kpi, scenario number) and the scenarios' display labels.

    The k-th row of a KPI belongs to the k-th scenario compared, so scenarios stay apart even
    when their paths coincide (in-memory results all have path None) or their names repeat.
    """
    number = table.groupby("kpi", sort=False).cumcount().rename("scenario_number")
    names = table["scenario"].groupby(number).first().tolist()
    return table.set_index([table["kpi"], number]), scenario_labels(names, lang)


def _require_kpis(table: pd.DataFrame, kpis: list[str]) -> None:
    absent = [k for k in kpis if k not in set(table["kpi"])]
    if absent:
        raise ValueError(f"KPI(s) {', '.join(map(repr, absent))} not in the comparison table; "
                         f"available: {', '.join(sorted(set(table['kpi'])))}")


def _err(mean: np.ndarray, low: np.ndarray, high: np.ndarray, share: bool = False) -> np.ndarray:
    """Error-bar extents; a share's interval is cut to [0, 1] (a t-interval can overshoot)."""
    if share:
        low, high = np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)
    return np.nan_to_num(np.vstack([mean - low, high - mean]), nan=0.0).clip(min=0.0)


def _percent_axis(axis, kpi: str | None = None) -> None:
    """Shares as whole percents on every chart ('70%'), one decimal only on an axis spanning
    under 5 percentage points, where whole percents would repeat."""
    if kpi is None or is_share(kpi):
        def fmt(v, _pos):
            lo, hi = axis.get_view_interval()
            return f"{v:.1%}" if abs(hi - lo) < 0.05 else f"{v:.0%}"
        axis.set_major_formatter(FuncFormatter(fmt))


# Large sums of money read as 万元 in Chinese and million yuan in English, not as "1e7".
def _money_axis(axis, divisor: float) -> None:
    if divisor != 1.0:
        axis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x / divisor:,.6g}"))


def _money_label(kpi: str, values: np.ndarray, lang: str, horizon_days: float | None = None) -> str:
    """`axis_label` with the scaled unit of a large yuan KPI (and the horizon of a total)."""
    divisor, u = money_unit(kpi, values, lang)
    if divisor == 1.0:
        return axis_label(kpi, lang, horizon_days)
    name = label(kpi, lang, horizon_days)
    return f"{name}（{u}）" if lang == "zh" else f"{name} ({u})"


def kpi_bars(comparison: pd.DataFrame, kpis: list[str], lang: str = "zh", ncols: int = 3,
             level: float = 0.95) -> Figure:
    """Bars of the mean of each KPI per scenario with interval error bars, one panel per KPI.

    ``comparison`` is the long table of `sim.experiment.compare.compare`; ``level`` is the
    confidence it was built with (it only labels the chart).
    """
    _check_lang(lang)
    _require_kpis(comparison, kpis)
    table, names = _by_scenario(comparison, lang)
    scenarios = range(len(names))
    ncols = max(1, min(ncols, len(kpis)))
    nrows = math.ceil(len(kpis) / ncols)
    with style(lang):
        fig = _new_figure(lang, figsize=(3.3 * ncols, 2.6 * nrows + 0.9))
        axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
        x = np.arange(len(names))
        colors = [COLORS[i % len(COLORS)] for i in scenarios]
        for ax, kpi in zip(axes, kpis):
            rows = table.loc[kpi].reindex(scenarios)
            mean = rows["mean"].to_numpy(float)
            ax.bar(x, mean, color=colors, width=0.7,
                   yerr=_err(mean, rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float),
                             is_share(kpi)),
                   error_kw={"elinewidth": 1.2, "capsize": 4, "ecolor": "#333333"})
            ax.set_title(label(kpi, lang), fontsize=10)
            divisor, u = money_unit(kpi, mean, lang)
            ax.set_ylabel("" if is_share(kpi) else u, fontsize=9)  # shares: 0-100% ticks
            ax.set_xticks([])
            _percent_axis(ax.yaxis, kpi)
            _money_axis(ax.yaxis, divisor)
            if np.all(np.nan_to_num(mean) == 0.0):  # nothing to show: say so, no empty axis
                ax.set_ylim(0, 1)
                ax.set_yticks([])
                ax.set_ylabel("")
                ax.text(0.5, 0.5, phrase("charts.all_zero", lang), transform=ax.transAxes, ha="center",
                        va="center", fontsize=9, color="#555555")
        for ax in axes[len(kpis):]:
            ax.set_visible(False)
        handles = [Patch(color=c, label=n) for c, n in zip(colors, names)]
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(names), 4), frameon=False)
        fig.suptitle(phrase("charts.kpi_bars", lang, level=level))
        return _finish(fig)


def response_times(results: Results) -> np.ndarray:
    """Response minutes of the true emergencies reached (kind != false_alarm; answered, with or
    without queueing), all replications pooled."""
    try:
        calls = results.events("emergency")
    except KeyError as e:
        raise ValueError(f"{results.path or 'these results'} have no 'emergency' event table "
                         "(run with run.save_events=summary)") from e
    keep = ((calls["kind"].astype(str) != "false_alarm")
            & calls["status"].astype(str).isin(TRUE_CALL_STATUSES))
    return calls.loc[keep, "response_min"].to_numpy(float)


def response_distribution(results_by_scenario: Mapping[str, Results], lang: str = "zh",
                          target: float = 15.0) -> Figure:
    """Empirical CDF of the response time per scenario, with the target as a vertical line.

    The legend's share is over the calls *reached*; the KPI ``emergency_within_target_share``
    also counts calls never reached (as late) and averages over replications, so it can be lower.
    """
    _check_lang(lang)
    if not results_by_scenario:
        raise ValueError("no scenarios given")
    names = scenario_labels(list(results_by_scenario), lang)
    with style(lang):
        fig = _new_figure(lang, figsize=(7.0, 4.4))
        ax = fig.subplots()
        upper = 2.0 * target
        groups: list[tuple[np.ndarray, list[str], object]] = []  # identical curves drawn once
        for i, (name, res) in enumerate(zip(names, results_by_scenario.values())):
            t = np.sort(response_times(res))
            t = t[~np.isnan(t)]
            if len(t) == 0:
                continue
            twin = next((g for g in groups if len(g[0]) == len(t) and np.array_equal(g[0], t)), None)
            if twin is not None:
                twin[1].append(name)
                continue
            y = np.arange(1, len(t) + 1) / len(t)
            (line,) = ax.step(np.concatenate([[0.0], t]), np.concatenate([[0.0], y]), where="post",
                              color=COLORS[i % len(COLORS)], lw=1.8)
            groups.append((t, [name], line))
            upper = max(upper, float(np.quantile(t, 0.995)) * 1.05)
        for t, members, line in groups:
            shown = members[0] if len(members) == 1 else phrase(
                "charts.coincide", lang, names=phrase("charts.equals", lang).join(members))
            line.set_label(phrase("charts.response_legend", lang, name=shown, share=np.mean(t <= target),
                                  target=target))
        ax.axvline(target, color="#333333", ls="--", lw=1.2)
        ax.annotate(phrase("charts.response_target", lang, target=target), xy=(target, 0.02),
                    xytext=(4, 0), textcoords="offset points", fontsize=9, color="#333333")
        ax.set_xlim(0, upper)
        ax.set_ylim(0, 1.0)
        _percent_axis(ax.yaxis)
        ax.set_xlabel(phrase("charts.response_x", lang))
        ax.set_ylabel(phrase("charts.response_y", lang))
        ax.grid(alpha=0.3)
        fig.legend(loc="outside lower center", ncols=1, frameon=False, fontsize=8.5)
        fig.suptitle(phrase("charts.response_title", lang))
        ax.set_title(phrase("charts.response_note", lang), fontsize=8, color="#555555")
        return _finish(fig)


def target_minutes(results: Results) -> float:
    """The response target the run used: the policy's when the 15-minute policy is on."""
    cfg = results.config
    policy = getattr(cfg.policy, "emergency", None)
    if policy is not None and policy.enabled:
        return float(policy.target_minutes)
    return float(cfg.services.emergency.target_minutes)


def township_shares(results: Results, lang: str = "zh", target_share: float = TARGET_SHARE,
                    level: float = 0.95, scenario: str | None = None) -> Figure:
    """Within-target share per township with intervals, sorted, against the target share; the
    title names ``scenario`` (default: the results' own label)."""
    _check_lang(lang)
    try:
        towns = results.events("emergency_township")
    except KeyError as e:
        raise ValueError(f"{results.path or 'these results'} have no 'emergency_township' event table "
                         "(run with run.save_events=summary)") from e
    summary = township_summary(towns, level)
    minutes = target_minutes(results)
    county = float(results.runs["emergency_within_target_share"].mean())
    share = summary["within_target_share"].to_numpy(float)
    below = share < target_share
    with style(lang):
        fig = _new_figure(lang, figsize=(7.0, 1.2 + 0.38 * len(summary)))
        ax = fig.subplots()
        y = np.arange(len(summary))[::-1]  # the township furthest from the target on top
        ax.barh(y, share, color=np.where(below, COLORS[3], COLORS[0]), height=0.65,
                xerr=_err(share, summary["ci_low"].to_numpy(float), summary["ci_high"].to_numpy(float),
                          share=True),
                error_kw={"elinewidth": 1.2, "capsize": 3, "ecolor": "#333333"})
        ax.set_yticks(y, [township_label(str(n), lang) for n in summary["township_name"]])
        ax.axvline(target_share, color="#333333", ls="--", lw=1.2,
                   label=phrase("charts.township_target", lang, share=target_share))
        ax.axvline(county, color="#777777", ls=":", lw=1.2,
                   label=phrase("charts.township_county", lang, share=county))
        ax.set_xlim(0, 1.0)
        _percent_axis(ax.xaxis)
        ax.set_xlabel(phrase("charts.township_x", lang))
        ax.grid(axis="x", alpha=0.3)
        handles, labels = ax.get_legend_handles_labels()
        handles += [Patch(color=COLORS[3]), Patch(color=COLORS[0])]
        labels += [phrase("charts.township_below", lang), phrase("charts.township_ok", lang)]
        fig.legend(handles, labels, loc="outside lower center", ncols=4, frameon=False, fontsize=8)
        if scenario is None:
            scenario = scenario_labels([scenario_name(results)], lang)[0]
        fig.suptitle(scenario, fontsize=11)
        ax.set_title(phrase("charts.township_title", lang, target=minutes, level=level), fontsize=9.5)
        return _finish(fig)


def cost_vs_outcome(comparison: pd.DataFrame, cost_kpi: str, outcome_kpi: str, lang: str = "zh",
                    level: float = 0.95, horizon_days: float | None = None) -> Figure:
    """One point per scenario: mean cost against mean outcome, with interval bars on both.

    Raises `ValueError` naming the absent KPI when the table has no such column (costs are
    not modelled yet).
    """
    _check_lang(lang)
    _require_kpis(comparison, [cost_kpi, outcome_kpi])
    table, names = _by_scenario(comparison, lang)
    cost = table.loc[cost_kpi].reindex(range(len(names)))
    out = table.loc[outcome_kpi].reindex(range(len(names)))
    with style(lang):
        fig = _new_figure(lang, figsize=(6.4, 4.6))
        ax = fig.subplots()
        points, bars = [], []
        for i, name in enumerate(names):
            cx, oy = cost["mean"].iloc[i], out["mean"].iloc[i]
            color = COLORS[i % len(COLORS)]
            ax.errorbar([cx], [oy],
                        xerr=_err(np.array([cx]), cost["ci_low"].iloc[[i]].to_numpy(float),
                                  cost["ci_high"].iloc[[i]].to_numpy(float), is_share(cost_kpi)),
                        yerr=_err(np.array([oy]), out["ci_low"].iloc[[i]].to_numpy(float),
                                  out["ci_high"].iloc[[i]].to_numpy(float), is_share(outcome_kpi)),
                        fmt="o", color=color, ms=7, capsize=4, label=name)
            points.append((cx, oy, name, {"fontsize": 9, "color": color}))
            bars.append((cx, oy, cost["ci_low"].iloc[i], cost["ci_high"].iloc[i], out["ci_low"].iloc[i],
                         out["ci_high"].iloc[i]))
        ax.set_xlabel(_money_label(cost_kpi, cost["mean"].to_numpy(float), lang, horizon_days))
        ax.set_ylabel(_money_label(outcome_kpi, out["mean"].to_numpy(float), lang, horizon_days))
        _percent_axis(ax.xaxis, cost_kpi)
        _percent_axis(ax.yaxis, outcome_kpi)
        _money_axis(ax.xaxis, money_unit(cost_kpi, cost["mean"].to_numpy(float), lang)[0])
        _money_axis(ax.yaxis, money_unit(outcome_kpi, out["mean"].to_numpy(float), lang)[0])
        ax.margins(0.25)
        ax.grid(alpha=0.3)
        fig.legend(loc="outside lower center", ncols=min(len(names), 3), frameon=False, fontsize=8.5)
        ax.set_title(phrase("charts.cost_title", lang, level=level))
        fig.draw_without_rendering()  # lay out now, so labels are placed in the final axes
        fig.set_layout_engine("none")
        place_labels(ax, points, avoid=_mark_boxes(ax, bars))
        return _finish(fig)


def _mark_boxes(ax, bars) -> list:
    """Display boxes of each point and its error bars (labels go beside them, not over them)."""
    from matplotlib.transforms import Bbox

    out = []
    for x, y, x0, x1, y0, y1 in bars:
        vals = [v if np.isfinite(v) else d for v, d in ((x0, x), (x1, x), (y0, y), (y1, y))]
        (px, py), (ax0, ay0), (ax1, ay1) = ax.transData.transform(
            [(x, y), (vals[0], vals[2]), (vals[1], vals[3])]
        )
        out += [Bbox([[px - 7, py - 7], [px + 7, py + 7]]), Bbox([[ax0, py - 4], [ax1, py + 4]]),
                Bbox([[px - 4, ay0], [px + 4, ay1]])]
    return out


TIMEBANK_YEAR = re.compile(r"^timebank_liability_hours_year_(\d+)$")


def timebank_years(results: Results) -> list[int]:
    """The whole years with a time-bank liability column in the runs (empty: no time bank)."""
    return sorted(int(m.group(1)) for c in results.runs.columns if (m := TIMEBANK_YEAR.match(c)))


def timebank_by_year(results_by_scenario: Mapping[str, Results], lang: str = "zh", level: float = 0.95,
                     yuan_per_hour: float | None = None) -> Figure:
    """Per scenario with a time bank: hours owed at each year's end and the share of withdrawals
    honoured that year, means with t-intervals over replications.  ``yuan_per_hour`` adds an axis
    valuing the liability at that price (the backstop's)."""
    _check_lang(lang)
    series = {name: res for name, res in results_by_scenario.items() if timebank_years(res)}
    if not series:
        raise ValueError("no scenario has time-bank results (policy time_bank; yearly KPIs "
                         "timebank_liability_hours_year_<k>)")
    with style(lang):
        fig = _new_figure(lang, figsize=(10.0, 4.4))
        ax, bx = fig.subplots(1, 2)
        names = scenario_labels(list(series), lang)
        for i, (res, name) in enumerate(zip(series.values(), names)):
            years = np.asarray(timebank_years(res))
            color = COLORS[i % len(COLORS)]
            for axis, prefix in ((ax, "timebank_liability_hours_year_"),
                                 (bx, "timebank_honoured_share_year_")):
                x = res.runs[[f"{prefix}{y}" for y in years]].to_numpy(float)
                st = t_interval(x, level)
                low, high = st["ci_low"], st["ci_high"]
                if axis is bx:
                    low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)
                axis.plot(years, st["mean"], marker="o", color=color, label=name)
                axis.fill_between(years, low, high, color=color, alpha=0.2, linewidth=0)
        ax.set_xlabel(phrase("charts.tb_year", lang))
        ax.set_ylabel(phrase("charts.tb_liability", lang))
        ax.grid(alpha=0.3)
        if yuan_per_hour:
            divisor, money = MONEY_SCALES[lang][0], MONEY_SCALES[lang][1]
            sec = ax.secondary_yaxis("right", functions=(lambda h: h * yuan_per_hour / divisor,
                                                         lambda v: v * divisor / yuan_per_hour))
            sec.set_ylabel(phrase("charts.tb_yuan", lang, unit=money))
        bx.axhline(
            TARGET_SHARE,
            ls="--",
            color="grey",
            lw=1,
            label=phrase("charts.tb_target", lang, share=TARGET_SHARE),
        )
        bx.set_xlabel(phrase("charts.tb_year", lang))
        bx.set_ylabel(phrase("charts.tb_honoured", lang))
        bx.set_ylim(0, 1.05)
        _percent_axis(bx.yaxis)
        bx.grid(alpha=0.3)
        bx.legend(fontsize=8, loc="lower left")
        ax.legend(fontsize=8, loc="upper left")
        for axis in (ax, bx):
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        fig.suptitle(phrase("charts.tb_title", lang, level=level))
        return _finish(fig)


__all__ = ["MONEY_SCALES", "TARGET_SHARE", "adopt_figure", "check_figure_glyphs", "cost_vs_outcome",
           "figure_lang", "font_families", "kpi_bars", "money_unit", "response_distribution",
           "quiet_font_subsetting", "response_times", "save", "save_pdf", "save_png", "style",
           "target_minutes", "timebank_by_year", "timebank_years", "township_shares"]
