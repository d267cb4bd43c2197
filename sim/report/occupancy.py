"""Nursing-home beds over time: occupancy per home, closures, and the county waiting list.

Reads the weekly ``bed_occupancy`` samples, the ``homes`` table and the ``home_closed`` rows
of the ``beds`` events of one finished scenario.  Occupancy is the share of a home's beds
taken while it is open (床位入住率); a closed home has none, so its line stops.  The waiting
list (轮候人数) is county-wide: the samples repeat it for every home, we take it once per
replication and week.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.experiment.compare import scenario_name
from sim.experiment.results import Results
from sim.kernels.stats import t_interval
from sim.report.charts import COLORS, _check_lang, _finish, _new_figure, _percent_axis, style
from sim.report.labels import phrase, scenario_label
from sim.report.layout import wrap

YEAR_DAYS = 365.25
CLOSURE_COLOR = "#d62728"
UPGRADE_COLOR = "#2ca02c"




def home_names(results: Results, lang: str = "zh") -> dict[str, str]:
    """Display name of each nursing home by its (English) name: the county config's ``name_zh``
    in Chinese when it has one, else the name itself."""
    _check_lang(lang)
    homes = getattr(results.config.county, "nursing_homes", []) or []
    if lang == "zh":
        return {h.name: h.name_zh for h in homes if h.name_zh}
    return {}


def _table(results: Results, name: str) -> pd.DataFrame:
    try:
        return results.events(name)
    except KeyError as e:
        raise ValueError(f"{results.path or 'these results'} have no {name!r} event table "
                         "(run with run.save_events=summary)") from e


def closures(results: Results) -> pd.DataFrame:
    """One row per home and closure day seen in any replication: home, name, day, replications
    (how many replications closed it that day) — empty when no home closed."""
    beds = _table(results, "beds")
    closed = beds[beds["kind"].astype(str) == "home_closed"]
    out = (closed.groupby(["home", "day"], observed=True)["replication"].nunique()
           .rename("replications").reset_index())
    out["name"] = out["home"].map(_home_table_names(results))
    return out[["home", "name", "day", "replications"]].sort_values(["day", "home"], ignore_index=True)


def upgrades(results: Results) -> pd.DataFrame:
    """One row per home and day on which beds were added: home, day, beds_added (mean over the
    replications that added beds that day), replications."""
    beds = _table(results, "beds")
    up = beds[(beds["kind"].astype(str) == "home_upgraded") & (beds["beds_added"] > 0)]
    return (up.groupby(["home", "day"], observed=True)
            .agg(beds_added=("beds_added", "mean"), replications=("replication", "nunique"))
            .reset_index().sort_values(["day", "home"], ignore_index=True))


def _home_table_names(results: Results) -> dict[int, str]:
    homes = _table(results, "homes")
    first = homes[homes["replication"] == homes["replication"].min()]
    return dict(zip(first["home"].astype(int), first["name"].astype(str)))


def occupancy_shares(results: Results) -> pd.DataFrame:
    """Mean over replications of each home's occupied share of beds while open, by sample day
    (rows) and home (columns); NaN where the home was closed in every replication."""
    occ = _table(results, "bed_occupancy")
    open_ = occ["open"].astype(bool) & (occ["beds"] > 0)
    share = (occ["occupied"] / occ["beds"].where(open_)).rename("share")
    return (pd.concat([occ[["day", "home"]], share], axis=1)
            .groupby(["day", "home"])["share"].mean().unstack("home").sort_index())


def waiting_list(results: Results, level: float = 0.95) -> pd.DataFrame:
    """County waiting list by sample day: mean, ci_low (cut at 0) and ci_high over replications."""
    occ = _table(results, "bed_occupancy")
    wide = occ.groupby(["replication", "day"])["waitlist"].first().unstack("day").sort_index(axis=1)
    s = t_interval(wide.to_numpy(float), level)
    low = np.where(np.isnan(s["ci_low"]), s["mean"], s["ci_low"])
    high = np.where(np.isnan(s["ci_high"]), s["mean"], s["ci_high"])
    return pd.DataFrame({"day": wide.columns.to_numpy(float), "mean": s["mean"],
                         "ci_low": np.maximum(low, 0.0), "ci_high": high, "n": s["n"]})


def bed_occupancy_over_time(results: Results, lang: str = "zh", ncols: int = 3,
                            level: float = 0.95) -> Figure:
    """Small multiples of each home's occupancy share over time with closures marked (dashed
    vertical line labelled with the day, and on the waiting-list panel with the home's name),
    and a panel of the county waiting list with its interval across replications.

    Closure lines carry ``gid`` ``"closure:<home>:<day>"`` so they can be found in the figure.
    """
    _check_lang(lang)
    shares = occupancy_shares(results)
    wait = waiting_list(results, level)
    closed = closures(results)
    added = upgrades(results)
    names = _home_table_names(results)
    display = home_names(results, lang)
    n_reps = int(results.runs["replication"].nunique())
    homes = list(shares.columns)
    ncols = max(1, min(ncols, len(homes)))
    nrows = math.ceil(len(homes) / ncols)
    years = shares.index.to_numpy(float) / YEAR_DAYS
    with style(lang):
        fig = _new_figure(lang, figsize=(3.4 * ncols, 2.1 * nrows + 3.4))
        grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[1.0] * nrows + [1.5])
        first = None
        for i, home in enumerate(homes):
            ax = fig.add_subplot(grid[i // ncols, i % ncols], sharex=first, sharey=first)
            first = first or ax
            name = names.get(int(home), str(home))
            ax.plot(years, shares[home].to_numpy(float), color=COLORS[0], lw=1.5)
            marks = []  # one stacked block per panel: labels at the lines would overprint
            for row in closed[closed["home"] == home].itertuples(index=False):
                ax.axvline(row.day / YEAR_DAYS, color=CLOSURE_COLOR, ls="--", lw=1.3,
                           gid=f"closure:{int(home)}:{row.day:g}")
                marks.append((phrase("occupancy.closed_at", lang, day=row.day) if row.replications == n_reps
                              else phrase("occupancy.closed_some", lang, day=row.day, k=row.replications,
                                          n=n_reps), CLOSURE_COLOR))
            for row in added[added["home"] == home].itertuples(index=False):
                ax.axvline(row.day / YEAR_DAYS, color=UPGRADE_COLOR, ls=":", lw=1.3,
                           gid=f"upgrade:{int(home)}:{row.day:g}")
                marks.append((phrase("occupancy.upgraded_at", lang, day=row.day, beds=row.beds_added),
                              UPGRADE_COLOR))
            for k, (text, color) in enumerate(marks):
                ax.annotate(text, xy=(0.02, 0.04), xycoords="axes fraction",
                            xytext=(0, 10 * (len(marks) - 1 - k)), textcoords="offset points",
                            fontsize=7, color=color, va="bottom", ha="left",
                            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
            ax.set_title(display.get(name, name), fontsize=9.5)
            ax.set_ylim(0, 1.05)
            _percent_axis(ax.yaxis)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=8)
        ax = fig.add_subplot(grid[nrows, :], sharex=first)
        x = wait["day"].to_numpy(float) / YEAR_DAYS
        ax.fill_between(x, wait["ci_low"], wait["ci_high"], color=COLORS[1], alpha=0.25, lw=0)
        ax.plot(x, wait["mean"], color=COLORS[1], lw=1.8)
        closure_days = []  # named in the legend, one entry per day: names at the lines would overprint
        for day, rows in closed.groupby("day"):
            cx = day / YEAR_DAYS
            for home in rows["home"]:
                ax.axvline(cx, color=CLOSURE_COLOR, ls="--", lw=1.0, alpha=0.8,
                           gid=f"closure:{int(home)}:{day:g}")
            homes_closed = ("、" if lang == "zh" else ", ").join(
                dict.fromkeys(display.get(n, n) for n in rows["name"]))
            closure_days.append(phrase("occupancy.closed_list", lang, day=day, homes=homes_closed))
        ax.set_ylim(0, max(1.0, float(np.nanmax(wait["ci_high"], initial=0.0)) * 1.15))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=8)
        ax.set_title(phrase("occupancy.waitlist_title", lang, level=level, n=n_reps), fontsize=10)
        ax.set_ylabel(phrase("occupancy.waitlist_y", lang), fontsize=9)
        ax.set_xlabel(phrase("occupancy.x", lang))
        ax.set_xlim(0, max(float(x.max(initial=0.0)), float(years.max(initial=0.0))))
        ax.grid(alpha=0.3)
        handles = [Line2D([], [], color=COLORS[0], lw=1.5), Line2D([], [], color=COLORS[1], lw=1.8),
                   Patch(color=COLORS[1], alpha=0.25),
                   Line2D([], [], color=CLOSURE_COLOR, ls="--", lw=1.3)]
        if len(added):
            handles.append(Line2D([], [], color=UPGRADE_COLOR, ls=":", lw=1.3))
        labels = [phrase("occupancy.occupancy", lang, n=n_reps), phrase("occupancy.waitlist_mean", lang),
                  phrase("occupancy.band", lang, level=level), phrase("occupancy.closure_marks", lang)]
        labels += [phrase("occupancy.upgrade_marks", lang)] if len(added) else []
        columns = 3 if len(labels) > 4 else len(labels)
        fig.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False, fontsize=8.5)
        if closure_days:  # beside the waiting list, whose dashed lines they name
            ax.legend([Line2D([], [], color=CLOSURE_COLOR, ls="--", lw=1.0)] * len(closure_days),
                      ["\n".join(wrap(text, 30)) for text in closure_days], loc="center left",
                      bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=7.5)
        fig.suptitle(phrase("occupancy.title", lang, scenario=scenario_label(scenario_name(results), lang)))
        return _finish(fig)


__all__ = ["bed_occupancy_over_time", "closures", "home_names", "occupancy_shares", "upgrades",
           "waiting_list"]
