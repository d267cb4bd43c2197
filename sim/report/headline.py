"""The headline: three to five sentences a deputy county head can act on.

Generated from the comparison table (bounded intervals for levels, paired t-intervals for
differences): for each policy (up to three) what it changes most clearly against the reference
and what it costs over the horizon; then who is still left out under the best scenario of each
service.  A change counts only when its paired interval excludes zero.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.report.labels import horizon_text, is_share, label, phrase, scenario_labels
from sim.report.summary import format_change, format_number, format_value

# Outcomes a policy may move, and the direction that is better (+1 higher, -1 lower).
OUTCOMES = {
    "emergency_within_target_share": 1,
    "emergency_response_p90_min": -1,
    "bed_wait_days_mean": -1,
    "bed_waitlist_end": -1,
    "bed_occupancy": 1,
    "residents_displaced": -1,
    "meals_unmet_share": -1,
    "visit_rate_monthly": 1,
    "homecare_unmet_share": -1,
    "timebank_withdrawals_honoured_share": 1,
}
# Who is left out: (KPI, True when the KPI is the served share, so left out = 1 - it).
LEFT_OUT = (("emergency_within_target_share", True), ("meals_unmet_share", False),
            ("visit_rate_monthly", True), ("homecare_unmet_share", False))
MAX_POLICIES = 3
CHANGES_PER_POLICY = 2


def _row(by: pd.DataFrame, number: int, kpi: str) -> pd.Series | None:
    try:
        return by.loc[(number, kpi)]
    except KeyError:
        return None


def _t(key: str, lang: str, **fmt) -> str:
    return phrase(f"headline.{key}", lang, **fmt)


def _interval(kpi: str, low: float, high: float, lang: str, context: list[float], level: float) -> str:
    if format_number(kpi, low, lang, context) == format_number(kpi, high, lang, context):
        return _t("every_run", lang)  # the same in every replication (a cost set by the policy)
    return _t("interval", lang, level=level, low=format_number(kpi, low, lang, context, sign=True),
              high=format_number(kpi, high, lang, context, sign=True))


def _change(kpi: str, ref: pd.Series, row: pd.Series, lang: str, days: float, level: float) -> str:
    diff, low, high = float(row["diff"]), float(row["diff_ci_low"]), float(row["diff_ci_high"])
    context = [float(ref["mean"]), float(row["mean"]), diff, low, high]
    name = label(kpi, lang, days)
    if lang == "en" and name[:2] != name[:2].upper():
        name = name[0].lower() + name[1:]  # mid-sentence ("... against Baseline: monthly visit rate ...")
    return _t(
        "change",
        lang,
        kpi=name,
        ref=format_value(kpi, float(ref["mean"]), lang, context),
        value=format_value(kpi, float(row["mean"]), lang, context),
        diff=format_change(kpi, diff, lang, context),
        interval=_interval(kpi, low, high, lang, context, level),
    )


def _clear(row: pd.Series) -> bool:
    low, high = float(row["diff_ci_low"]), float(row["diff_ci_high"])
    return math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0)


def headline(table: pd.DataFrame, lang: str, horizon_days: float, level: float = 0.95) -> list[str]:
    """The headline's sentences (three to five when there is something to compare)."""
    table = table.assign(number=table.groupby("kpi", sort=False).cumcount())
    names = table.groupby("number")["scenario"].first().tolist()
    shown = scenario_labels(names, lang)
    by = table.set_index(["number", "kpi"])
    horizon = horizon_text(horizon_days, lang)
    out = []
    for number in range(1, min(len(names), MAX_POLICIES + 1)):
        scored = []
        for kpi in OUTCOMES:
            ref, row = _row(by, 0, kpi), _row(by, number, kpi)
            if ref is None or row is None or not _clear(row):
                continue
            shown_diff = format_number(
                kpi, float(row["diff"]), lang, [float(ref["mean"]), float(row["mean"])]
            )
            if not shown_diff.strip("+-0.,"):
                continue  # a change too small to show ("+0.0") is no headline
            half = (float(row["diff_ci_high"]) - float(row["diff_ci_low"])) / 2
            scored.append((abs(float(row["diff"])) / max(half, 1e-12), kpi, ref, row))
        scored.sort(key=lambda s: -s[0])
        changes = [_change(kpi, ref, row, lang, horizon_days, level)
                   for _score, kpi, ref, row in scored[:CHANGES_PER_POLICY]]
        what = (_t("join", lang).join(changes) if changes else _t("no_change", lang))
        cost = _row(by, number, "cost_total_yuan")
        ref_cost = _row(by, 0, "cost_total_yuan")
        money = ""
        if cost is not None and ref_cost is not None and math.isfinite(float(cost["diff"])):
            diff = float(cost["diff"])
            ctx = [float(ref_cost["mean"]), diff, float(cost["diff_ci_low"]), float(cost["diff_ci_high"])]
            amount = format_value("cost_total_yuan", abs(diff), lang, ctx)
            key = "cost_more" if diff > 0 else "cost_less" if diff < 0 else "cost_same"
            money = _t(key, lang, horizon=horizon, amount=amount,
                       interval=_interval("cost_total_yuan", float(cost["diff_ci_low"]),
                                          float(cost["diff_ci_high"]), lang, ctx, level))
        out.append(_t("policy", lang, scenario=shown[number], ref=shown[0], what=what, cost=money))
    left = _left_out(by, shown, lang)
    if left:
        out.append(left)
    if len(names) < 2:
        out.insert(0, _t("alone", lang, ref=shown[0]))
    return out


def _left_out(by: pd.DataFrame, shown: list[str], lang: str) -> str:
    """'Even under the best scenario, X% of ... are left out' for the services that ran."""
    parts = []
    for kpi, served in LEFT_OUT:
        rows = [_row(by, i, kpi) for i in range(len(shown))]
        if any(r is None for r in rows):
            continue
        means = np.array([float(r["mean"]) for r in rows])
        if not np.isfinite(means).any():
            continue
        out = 1 - means if served else means
        best = int(np.nanargmin(out))
        if kpi == "meals_unmet_share" and _row(by, best, "meals_demanded") is not None \
                and float(_row(by, best, "meals_demanded")["mean"]) <= 0:
            continue
        r = rows[best]
        low, high = (1 - float(r["ci_high"]), 1 - float(r["ci_low"])) if served \
            else (float(r["ci_low"]), float(r["ci_high"]))
        share = format_value(kpi, float(out[best]), lang)
        lo, hi = format_number(kpi, low, lang), format_number(kpi, high, lang)
        ci = (_t("interval_level", lang, low=lo, high=hi)
              if math.isfinite(low) and math.isfinite(high) and is_share(kpi) and lo != hi else "")
        alike = len(shown) > 1 and format_number(kpi, float(np.nanmax(out)), lang) == format_number(
            kpi, float(out[best]), lang
        )
        where = _t("all_alike", lang) if alike else _t("best", lang, scenario=shown[best])
        parts.append(_t(f"left_{kpi}", lang, share=share, interval=ci, scenario=where))
    if not parts:
        return ""
    return _t("left_out", lang, items=_t("join_items", lang).join(parts))


__all__ = ["headline"]
