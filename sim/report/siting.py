"""The siting chart 选址图: what the coverage models promise beside what the simulator finds.

One panel per service (ambulance posts, canteens): for today's network and each model's proposal,
the share the model promises (demand within the radius; for posts also within the radius less the
mean triage, dispatch and door-to-bedside minutes) and the simulated share with its 95% interval
(`sim.experiment.siting.siting_table`).  Words live in `sim.report.words`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.report.charts import _check_lang, _finish, _new_figure, style
from sim.report.labels import phrase

PROMISED, NET, SIMULATED = "#8c8c8c", "#c7c7c7", "#4c72b0"


def _tick(row: pd.Series, lang: str) -> str:
    if row["model"] == "today":
        return phrase("siting.today", lang)
    k = len(str(row["villages_added"]).split())
    return phrase(f"siting.{row['model']}", lang, k=k)


def siting_chart(table: pd.DataFrame, county: str, radius: dict[str, float], overhead: float,
                 lang: str = "zh") -> Figure:
    """Bars of promised and simulated shares per network, one panel per service."""
    _check_lang(lang)
    services = [s for s in ("emergency", "meals") if (table["service"] == s).any()]
    with style(lang):
        fig = _new_figure(lang, figsize=(5.2 * len(services), 5.0))
        axes = np.atleast_1d(fig.subplots(1, len(services), squeeze=False)[0])
        for ax, s in zip(axes, services):
            rows = table[(table["service"] == s) & table["headline"]
                         & table["sited_for"].isin(["today", s])].reset_index(drop=True)
            x = np.arange(len(rows))
            width = 0.27 if s == "emergency" else 0.38
            bars = [("promised_share", PROMISED,
                     phrase("siting.promised" if s == "emergency" else "siting.promised_meals", lang,
                            minutes=radius[s]))]
            if s == "emergency":
                bars.append(("promised_share_net", NET,
                             phrase("siting.promised_net", lang, overhead=overhead)))
            for k, (col, color, text) in enumerate(bars):
                ax.bar(x + (k - len(bars) / 2) * width, rows[col] * 100, width, color=color, label=text)
            mean = rows["mean"].to_numpy(float) * 100
            err = np.vstack([mean - rows["ci_low"].to_numpy(float) * 100,
                             rows["ci_high"].to_numpy(float) * 100 - mean])
            simulated = "siting.simulated" if s == "emergency" else "siting.simulated_meals"
            ax.bar(x + len(bars) / 2 * width, mean, width, color=SIMULATED, yerr=np.maximum(err, 0),
                   capsize=3, label=phrase(simulated, lang))
            ax.set_xticks(x, [_tick(r, lang) for _, r in rows.iterrows()], fontsize=9)
            ax.set_ylim(0, 105)
            ax.set_ylabel("%")
            ax.set_title(phrase(f"siting.{s}", lang, minutes=radius[s]), fontsize=10)
            ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
        fig.suptitle(phrase("siting.title", lang, county=county), fontsize=11)
        return _finish(fig)


__all__ = ["siting_chart"]
