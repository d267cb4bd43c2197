"""The equity section every study summary ends with 公平性: who the scenarios leave out.

From the runs' equity KPIs (`sim.kernels.equity`): each outcome in the most remote quintile of
villages and the gap between the nearest and the most remote (positive: remote villages worse
off), visits by age band, with intervals and paired differences to today's network; and from
the village tables (`Results.left_out`), how many villages each scenario leaves under the
thresholds of ``report.left_out`` in most replications, and the worst of them.
"""

from __future__ import annotations

from sim.experiment.studies.tables import Named, kpi_rows

SECTION = "Equity 公平性 (remoteness quintile 5 = farthest from the township seat)"
OUTCOMES = ("emergency_within_target_share", "visit_rate_monthly", "meals_unmet_share",
            "homecare_unmet_share")
KPIS = [k for o in OUTCOMES for k in (f"{o}_remoteness_q1", f"{o}_remoteness_q5", f"{o}_gap_remoteness")] + [
    f"visit_rate_monthly_age_{b}" for b in ("60_69", "70_79", "80_plus")] + [
    "visit_rate_monthly_group_dependent", "emergency_within_target_share_group_solitary"]
WORST = 5


def rows(named: Named) -> list[dict]:
    """The equity KPIs of every scenario (those the runs hold), paired with the first."""
    return kpi_rows(named, SECTION, KPIS)


def notes(named: Named) -> list[str]:
    """Per scenario: villages left out per service, and the worst few for emergencies and visits."""
    out = []
    for name, res in named:
        try:
            table = res.left_out()
        except KeyError:               # no village table (run.save_events=none)
            continue
        counts = table["service"].value_counts()
        rules = res.config.report.left_out
        line = (f"{name}: villages left out (under the threshold in >= {rules.persistence:.0%} of "
                f"replications): emergencies {counts.get('emergency', 0)} (< {rules.emergency:.0%} "
                f"within target), visits {counts.get('visits', 0)} (< {rules.visits:.0%}), meals "
                f"{counts.get('meals', 0)} (< {rules.meals:.0%} served)")
        for service in ("emergency", "visits"):
            worst = table[table["service"] == service].head(WORST)
            if len(worst):
                line += f"; worst for {service}: " + ", ".join(
                    f"{r.name} ({r.township}) {r.share:.1%} [{r.share_ci_low:.1%}, {r.share_ci_high:.1%}]"
                    for r in worst.itertuples(index=False))
        out.append(line)
    return out


__all__ = ["KPIS", "SECTION", "notes", "rows"]
