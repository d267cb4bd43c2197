"""Where the nursing homes are, before and after a policy (DESIGN §6 "facility map").

Villages are small dots at their ``x_km``, ``y_km``; each nursing home (敬老院, regional centre
区域养老服务中心, county home 县级特困供养机构) sits at its host village, its marker's area
proportional to its beds.  *Before* is the reference scenario's county at the start (every home
open, beds at the start); *after* is the policy scenario at the end of its first replication
(``open_end`` and ``beds_end`` of the ``homes`` table, matched to the facilities by name).
Closed homes are drawn hollow and grey.  Homes sharing a village are spread around it a little
so that each stays visible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from sim.config.schema import HOME_KINDS
from sim.experiment.compare import scenario_name
from sim.experiment.results import Results
from sim.report.charts import COLORS, _check_lang, _finish, _new_figure, style
from sim.report.labels import phrase, scenario_label
from sim.report.layout import place_labels, text_boxes
from sim.report.occupancy import home_names

OPEN_COLOR = COLORS[0]
CLOSED_COLOR = "#9a9a9a"
VILLAGE_COLOR = "#b0b0b0"
AREA_PER_BED = 4.0  # marker area in pt² per bed: 100 beds ≈ a 20-pt circle
SPREAD_SHARE = 0.045  # homes sharing a village move apart by this share of the map's extent




def _homes(results: Results) -> pd.DataFrame:
    """The nursing homes among the facilities, placed at their village (x_km, y_km)."""
    fac = results.world("facilities")
    homes = fac[fac["kind"].astype(str).isin(HOME_KINDS)]
    villages = results.world("villages")[["village_id", "x_km", "y_km"]]
    return homes.merge(villages, on="village_id", how="left")[
        ["name", "kind", "village_id", "beds", "x_km", "y_km"]].reset_index(drop=True)


def homes_before(baseline: Results) -> pd.DataFrame:
    """name, kind, village_id, beds, x_km, y_km, open (all True) of the reference at the start."""
    return _homes(baseline).assign(open=True)


def homes_after(policy: Results) -> pd.DataFrame:
    """The same columns for the policy scenario at the end of its first replication: ``beds`` is
    ``beds_end`` (a closed home keeps the beds it had when it closed) and ``open`` is ``open_end``.
    A home in the ``homes`` table but not among the facilities (opened by the policy) is placed
    at the village the table names."""
    try:
        table = policy.events("homes")
    except KeyError as e:
        raise ValueError(f"{policy.path or 'these results'} have no 'homes' event table "
                         "(run with run.save_events=summary)") from e
    end = table[table["replication"] == table["replication"].min()]
    end = end[["name", "village_id", "open_end", "beds_end"]].rename(
        columns={"village_id": "end_village_id"})
    homes = _homes(policy).merge(end, on="name", how="outer")
    villages = policy.world("villages").set_index("village_id")
    new = homes["x_km"].isna() & homes["end_village_id"].notna()
    where = homes.loc[new, "end_village_id"]
    homes.loc[new, "village_id"] = where
    homes.loc[new, "x_km"] = villages["x_km"].reindex(where).to_numpy()
    homes.loc[new, "y_km"] = villages["y_km"].reindex(where).to_numpy()
    homes["open"] = homes["open_end"].fillna(True).astype(bool)
    homes["beds"] = homes["beds_end"].fillna(homes["beds"]).astype(float)
    return homes[["name", "kind", "village_id", "beds", "x_km", "y_km", "open"]]


def _spread(homes: pd.DataFrame, extent_km: float) -> pd.DataFrame:
    """Move homes that share a village onto a small circle around it (largest first, east)."""
    homes = homes.sort_values("beds", ascending=False, kind="stable").copy()
    k = homes.groupby("village_id", dropna=False).cumcount().to_numpy()
    m = homes.groupby("village_id", dropna=False)["name"].transform("size").to_numpy()
    angle = np.where(m > 1, 2 * np.pi * k / np.maximum(m, 1), 0.0)
    r = np.where(m > 1, SPREAD_SHARE * extent_km, 0.0)
    homes["x"] = homes["x_km"].to_numpy(float) + r * np.cos(angle)
    homes["y"] = homes["y_km"].to_numpy(float) + r * np.sin(angle)
    return homes


def _size_legend_values(beds: np.ndarray) -> list[int]:
    top = float(np.nanmax(beds, initial=0.0))
    nice = [10, 20, 30, 50, 100, 150, 200, 300, 500, 1000]
    vals = [v for v in nice if v <= top * 1.05]
    return vals[-3:] if len(vals) >= 3 else vals or [int(max(top, 1))]


def _panel(ax, villages: pd.DataFrame, homes: pd.DataFrame, display: dict[str, str], lang: str,
           title: str, start_beds: dict[str, float]) -> list[tuple[float, float, str, dict]]:
    """Villages, homes (open filled, closed hollow) and their labels; a label shows the change
    of beds against ``start_beds`` when there is one."""
    ax.scatter(villages["x_km"], villages["y_km"], s=6, color=VILLAGE_COLOR, lw=0, zorder=1,
               gid="villages")
    extent = max(np.ptp(villages["x_km"].to_numpy(float)), np.ptp(villages["y_km"].to_numpy(float)))
    homes = _spread(homes, float(extent))
    is_open = homes["open"].to_numpy(bool)
    for gid, part, style_kw in (
            ("homes_open", homes[is_open], {"facecolors": OPEN_COLOR, "edgecolors": "white",
                                            "alpha": 0.85, "linewidths": 0.8}),
            ("homes_closed", homes[~is_open], {"facecolors": "none", "edgecolors": CLOSED_COLOR,
                                               "linewidths": 1.5, "linestyles": "--"})):
        ax.scatter(part["x"], part["y"], s=part["beds"].to_numpy(float) * AREA_PER_BED, zorder=3,
                   gid=gid, **style_kw)
    labels = []  # placed once the layout is final (`place_labels`), so that none overprints
    for row in homes.itertuples(index=False):
        name = display.get(row.name, row.name)
        beds = phrase("maps.beds", lang, beds=f"{row.beds:g}")
        change = row.beds - start_beds.get(row.name, row.beds)
        if change:
            beds += f"（{change:+g}）" if lang == "zh" else f" ({change:+g})"
        closed = (
            f"（{phrase('maps.closed_tag', lang)}）"
            if lang == "zh"
            else f" ({phrase('maps.closed_tag', lang)})"
        )
        text = f"{name}\n{beds}" if row.open else name + closed
        radius = np.sqrt(row.beds * AREA_PER_BED) / 2  # scatter size is the squared diameter
        west = row.x < row.x_km  # moved west of its village: label on the outer (west) side first
        r = radius + 2
        sides = [(-r, 0), (r, 0)] if west else [(r, 0), (-r, 0)]
        offsets = sides + [(0, r), (0, -r), (r, r), (-r, r), (r, -r), (-r, -r), (0, r + 14), (0, -r - 14),
                           (r + 20, 0), (-r - 20, 0)]
        labels.append((row.x, row.y, text, {"fontsize": 7, "color": "#333333" if row.open else CLOSED_COLOR,
                                            "zorder": 4, "offsets": offsets}))
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(phrase("maps.x", lang), fontsize=8.5)
    ax.set_ylabel(phrase("maps.y", lang), fontsize=8.5)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.2)
    return labels


def _key_in_a_corner(ax, key: str) -> None:
    """The key of the names numbered on the map, in the first corner where it collides with nothing."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    for cx, cy, off in ((x0, y1, (4, -4)), (x1, y1, (-4, -4)), (x0, y0, (4, 4)), (x1, y0, (-4, 4))):
        if not place_labels(ax, [(cx, cy, key, {"fontsize": 6.5, "color": "#333333", "offsets": [off]})]):
            break


def facility_map(baseline: Results, policy: Results, lang: str = "zh") -> Figure:
    """Two panels side by side: the homes of ``baseline`` at the start and of ``policy`` at the
    end of replication 1, on the county's villages; closed homes hollow and grey.

    Scatter collections carry ``gid`` ``villages``, ``homes_open`` and ``homes_closed``.
    """
    _check_lang(lang)
    before, after = homes_before(baseline), homes_after(policy)
    villages = policy.world("villages")
    display = home_names(policy, lang) | home_names(baseline, lang)
    ref = scenario_label(scenario_name(baseline), lang, county=False)
    pol = scenario_label(scenario_name(policy), lang, county=False)
    with style(lang):
        fig = _new_figure(lang, figsize=(11.0, 5.8))
        left, right = fig.subplots(1, 2, sharex=True, sharey=True)
        start = dict(zip(before["name"], before["beds"].astype(float)))
        names = [_panel(left, baseline.world("villages"), before, display, lang,
                        phrase("maps.before", lang, ref=ref), start),
                 _panel(right, villages, after, display, lang, phrase("maps.after", lang, policy=pol), start)]
        handles = [Line2D([], [], ls="", marker="o", ms=3, color=VILLAGE_COLOR),
                   Line2D([], [], ls="", marker="o", ms=10, color=OPEN_COLOR, alpha=0.85),
                   Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec=CLOSED_COLOR, mew=1.5)]
        labels = [phrase("maps.village", lang), phrase("maps.open", lang), phrase("maps.closed", lang)]
        for beds in _size_legend_values(np.concatenate([before["beds"], after["beds"]])):
            handles.append(Line2D([], [], ls="", marker="o", color=OPEN_COLOR, alpha=0.5,
                                  ms=float(np.sqrt(beds * AREA_PER_BED))))
            labels.append(phrase("maps.beds", lang, beds=beds))
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False,
                   fontsize=8.5, labelspacing=1.2, handletextpad=0.6, columnspacing=1.6)
        fig.suptitle(phrase("maps.title", lang, policy=pol))
        fig.draw_without_rendering()  # the final layout, then the names where they collide with nothing
        fig.set_layout_engine("none")
        for ax, items in zip((left, right), names):
            numbered = place_labels(ax, items)
            if numbered:  # names that fit nowhere: a number at the home, the key in a free corner
                _key_in_a_corner(ax, "\n".join(f"{k} {text.splitlines()[0]}" for k, text in numbered))
        return _finish(fig)


LEFT_OUT_EDGE = "#111111"
DOT_AREA = 34  # pt², the villages' dots
NAMED_WORST = 5  # villages named on the village map: the reference's worst off


def village_shares(results: Results, service: str) -> pd.DataFrame:
    """village_id, name, x_km, y_km, share (mean over replications) and left_out (bool) of one
    service (`sim.experiment.villages.SERVICE_SHARES`)."""
    from sim.experiment.villages import SERVICE_SHARES

    column = SERVICE_SHARES[service]
    v = results.villages()
    out = results.left_out()
    gone = set(out.loc[out["service"] == service, "village_id"])
    return pd.DataFrame({"village_id": v["village_id"], "name": v["name"].astype(str),
                         "x_km": v["x_km"].to_numpy(float), "y_km": v["y_km"].to_numpy(float),
                         "share": v[column].to_numpy(float), "left_out": v["village_id"].isin(gone)})


def _village_panel(ax, shares: pd.DataFrame, cmap, norm, title: str):
    has = np.isfinite(shares["share"].to_numpy(float))
    ax.scatter(shares.loc[~has, "x_km"], shares.loc[~has, "y_km"], s=14, facecolors="none",
               edgecolors=VILLAGE_COLOR, linewidths=0.8, zorder=1, gid="villages_no_demand")
    part = shares[has]
    gone = part["left_out"].to_numpy(bool)
    mark = ax.scatter(part["x_km"], part["y_km"], c=part["share"], cmap=cmap, norm=norm, s=DOT_AREA,
                      edgecolors=np.where(gone, LEFT_OUT_EDGE, "white"), linewidths=np.where(gone, 1.4, 0.5),
                      zorder=2, gid="villages")
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal", adjustable="box")
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.2)
    return mark


def _dot_boxes(ax, shares: pd.DataFrame) -> list:
    """Display boxes of the villages' dots, for labels to keep clear of."""
    from matplotlib.transforms import Bbox

    xy = ax.transData.transform(np.c_[shares["x_km"].to_numpy(float), shares["y_km"].to_numpy(float)])
    r = np.sqrt(DOT_AREA) / 2 * ax.figure.dpi / 72 + 1
    return [Bbox.from_extents(x - r, y - r, x + r, y + r) for x, y in xy]


def _place_names(ax, items: list, dots: list, walls: list) -> list[tuple[int, str]]:
    """Each name clear of every dot if it can be, else over dots on a white ground; always clear
    of ``walls`` (the other panel and the colour bar, which would hide it) and of other text.
    Returns the names drawn as numbers (`place_labels`)."""
    numbered = []
    drawn = [b.bbox for b in text_boxes(ax.figure)]   # measured once; each label placed joins it
    for item in items:
        if not place_labels(ax, [item], avoid=dots + walls, drawn=drawn):
            continue
        ax.texts[-1].remove()   # the number place_labels drew instead: try over the dots
        drawn.pop()
        x, y, text, kw = item
        ground = {"bbox": {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}}
        if place_labels(ax, [(x, y, text, {**kw, **ground})], avoid=walls, drawn=drawn):
            ax.texts[-1].remove()
            drawn.pop()
            numbered.append((len(numbered) + 1, text))
            mark = ax.annotate(str(len(numbered)), (x, y), xytext=(2, 2), textcoords="offset points",
                               ha="left", va="bottom", fontsize=7, color=kw.get("color"),
                               zorder=kw.get("zorder"))
            drawn.append(mark.get_window_extent(ax.figure.canvas.get_renderer()))
    return numbered


def village_map(baseline: Results, policy: Results, service: str = "emergency", lang: str = "zh",
                target_minutes: float = 15.0) -> Figure:
    """Two panels: every village as a dot at its position, coloured by its share of the service
    (mean over replications; hollow grey where it had no demand), under ``baseline`` and under
    ``policy``; villages left out (``report.left_out``) ringed in black; the reference's
    `NAMED_WORST` worst-off villages named in both panels with their share.

    Scatter collections carry ``gid`` ``villages`` and ``villages_no_demand``.
    """
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    from sim.report.equity import service_name
    from sim.report.labels import village_label

    _check_lang(lang)
    before, after = village_shares(baseline, service), village_shares(policy, service)
    ref = scenario_label(scenario_name(baseline), lang, county=False)
    pol = scenario_label(scenario_name(policy), lang, county=False)
    what = service_name(service, lang, target_minutes)
    cmap, norm = colormaps["RdYlGn"], Normalize(0.0, 1.0)
    worst = before[np.isfinite(before["share"])].sort_values(["share", "village_id"]).head(NAMED_WORST)
    rules = baseline.config.report.left_out
    with style(lang):
        fig = _new_figure(lang, figsize=(11.0, 6.2))
        left, right = fig.subplots(1, 2, sharex=True, sharey=True)
        mark = _village_panel(left, before, cmap, norm, phrase("maps.village_before", lang, ref=ref))
        _village_panel(right, after, cmap, norm, phrase("maps.village_after", lang, policy=pol))
        for ax in (left, right):
            ax.set_xlabel(phrase("maps.x", lang), fontsize=8.5)
        left.set_ylabel(phrase("maps.y", lang), fontsize=8.5)
        bar = fig.colorbar(mark, ax=[left, right], location="right", shrink=0.75, pad=0.02)
        bar.set_label(what, fontsize=8.5)
        bar.ax.tick_params(labelsize=8)
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0%}"))
        handles = [Line2D([], [], ls="", marker="o", ms=6, mfc="#cccccc", mec=LEFT_OUT_EDGE, mew=1.4),
                   Line2D([], [], ls="", marker="o", ms=5, mfc="none", mec=VILLAGE_COLOR, mew=0.8)]
        labels = [phrase("maps.village_left_out", lang, threshold=getattr(rules, service),
                         persistence=rules.persistence),
                  phrase("maps.village_no_demand", lang)]
        fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False, fontsize=8.5)
        fig.suptitle(phrase("maps.village_title", lang, service=what, policy=pol))
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
        leader = {"arrowprops": {"arrowstyle": "-", "lw": 0.5, "color": "#555555", "shrinkA": 0,
                                 "shrinkB": 2}}
        for ax, shares, others in ((left, before, [right, bar.ax]), (right, after, [left, bar.ax])):
            at = shares.set_index("village_id")
            items = []
            for row in worst.itertuples(index=False):
                share = float(at.loc[row.village_id, "share"])
                text = f"{village_label(row.name, lang)} {share:.0%}" if np.isfinite(share) else \
                    village_label(row.name, lang)
                items.append((row.x_km, row.y_km, text, {"fontsize": 7, "color": "#222222", "zorder": 4,
                                                          **leader}))
            numbered = _place_names(ax, items, _dot_boxes(ax, shares), [o.bbox for o in others])
            if numbered:
                _key_in_a_corner(ax, "\n".join(f"{k} {text}" for k, text in numbered))
        return _finish(fig)


__all__ = ["facility_map", "homes_after", "homes_before", "village_map", "village_shares"]
