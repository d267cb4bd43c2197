"""Each chart works on real results in Chinese and English, with the right fonts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.experiment.execute import execute
from sim.report import charts, fonts, labels
from tests.conftest import small_config

KPIS = ["emergency_within_target_share", "emergency_response_p90_min",
        "responder_busy_share_village_doctor"]
LANGS = ["zh", "en"]


def _font_paths(fig: Figure) -> set[Path]:
    return {Path(font_manager.findfont(t.get_fontproperties()))
            for t in fig.findobj(Text) if t.get_text() and t.get_visible()}


def _assert_fonts(fig: Figure, lang: str) -> None:
    """Chinese figures draw every text with the CJK font; English ones with DejaVu Sans."""
    used = {p.name for p in _font_paths(fig)}
    assert used == ({fonts.cjk_font_path().name} if lang == "zh" else {"DejaVuSans.ttf"})


@pytest.mark.parametrize("lang", LANGS)
def test_kpi_bars(comparison, lang):
    fig = charts.kpi_bars(comparison, KPIS, lang)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in panels] == [labels.label(k, lang) for k in KPIS]
    first = panels[0]
    heights = [p.get_height() for p in first.patches]
    expected = comparison[comparison["kpi"] == KPIS[0]]["mean"].to_numpy()
    np.testing.assert_allclose(heights, expected)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == labels.scenario_labels(["plain/baseline", "plain/emergency"], lang)
    _assert_fonts(fig, lang)


def test_kpi_bars_refuses_an_absent_kpi(comparison):
    with pytest.raises(ValueError, match="no_such_kpi"):
        charts.kpi_bars(comparison, ["deaths", "no_such_kpi"], "zh")


@pytest.mark.parametrize("lang", LANGS)
def test_response_distribution(baseline, emergency, lang):
    fig = charts.response_distribution({"plain/baseline": baseline, "plain/emergency": emergency}, lang,
                                       target=15)
    ax = fig.axes[0]
    curves = [line for line in ax.get_lines() if line.get_label() and not line.get_label().startswith("_")]
    assert len(curves) == 2
    for line, res in zip(curves, (baseline, emergency)):
        x, y = line.get_data()
        times = charts.response_times(res)
        assert len(x) == len(times) + 1 and y[-1] == pytest.approx(1.0)
        assert f"{np.mean(times <= 15):.0%}" in line.get_label()
    vertical = [line for line in ax.get_lines() if np.allclose(line.get_xdata(), 15)]
    assert vertical, "no target line at 15 min"
    _assert_fonts(fig, lang)


def test_response_times_are_true_emergencies_reached(emergency):
    calls = emergency.events("emergency")
    times = charts.response_times(emergency)
    keep = (calls["kind"].astype(str) != "false_alarm") & calls["status"].astype(str).isin(
        ["answered", "answered_after_queue"])
    assert len(times) == keep.sum() < len(calls)


@pytest.mark.parametrize("lang", LANGS)
def test_township_shares(emergency, lang):
    fig = charts.township_shares(emergency, lang)
    ax = fig.axes[0]
    towns = emergency.events("emergency_township")["township"].nunique()
    assert len(ax.patches) == towns
    widths = [p.get_width() for p in ax.patches]
    tops = sorted(ax.patches, key=lambda p: -p.get_y())
    assert [p.get_width() for p in tops] == sorted(widths)  # furthest from the target on top
    assert any(np.allclose(line.get_xdata(), charts.TARGET_SHARE) for line in ax.get_lines())
    if lang == "zh":
        assert all(
            t.get_text().endswith("乡") for t in ax.get_yticklabels()
        )  # 一乡 ... as the homes are named
    _assert_fonts(fig, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_cost_vs_outcome(comparison, lang):
    cost = "cost_total_yuan" if "cost_total_yuan" in set(comparison["kpi"]) \
        else "responder_busy_share_ambulance"
    fig = charts.cost_vs_outcome(comparison, cost, "emergency_within_target_share", lang)
    ax = fig.axes[0]
    means = comparison.loc[comparison["kpi"] == cost, "mean"].to_numpy(float)
    divisor, money = charts.money_unit(cost, means, lang)
    if divisor == 1.0:
        assert ax.get_xlabel() == labels.axis_label(cost, lang)
    else:  # large sums read in 万元 / million yuan, without a "1e7" offset
        assert ax.get_xlabel().startswith(labels.label(cost, lang)) and money in ax.get_xlabel()
        assert money == ("万元" if lang == "zh" else "million yuan")
        assert ax.xaxis.get_offset_text().get_text() == ""
        ticks = [float(t.get_text().replace(",", "")) for t in ax.get_xticklabels() if t.get_text()]
        np.testing.assert_allclose(ticks, [x / divisor for x in ax.get_xticks()][:len(ticks)], rtol=1e-5)
    assert ax.get_ylabel() == labels.axis_label("emergency_within_target_share", lang)
    _assert_fonts(fig, lang)


def test_cost_vs_outcome_without_the_cost_kpi_says_so(comparison):
    with pytest.raises(ValueError, match="cost_of_nothing_yuan.*not in the comparison table"):
        charts.cost_vs_outcome(comparison, "cost_of_nothing_yuan", "emergency_within_target_share")


def test_unknown_language_is_refused(comparison):
    with pytest.raises(ValueError, match="lang"):
        charts.kpi_bars(comparison, KPIS, "fr")



def test_scenarios_without_paths_stay_apart(comparison):
    """In-memory results all have path None; the k-th row of a KPI is still the k-th scenario."""
    fig = charts.kpi_bars(comparison.assign(path="None"), KPIS[:1], "en")
    assert len(fig.axes[0].patches) == 2
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Baseline", "15-minute emergency response"]


@pytest.fixture(scope="module")
def time_bank():
    cfg = small_config(horizon_days=1095, replications=3)
    tb = replace(cfg.policy.time_bank, enabled=True, join_share=0.2, min_balance_hours=5.0)
    return execute(replace(cfg, policy=replace(cfg.policy, time_bank=tb)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_timebank_by_year(time_bank, lang):
    assert charts.timebank_years(time_bank) == [1, 2, 3]
    fig = charts.timebank_by_year({"time_bank": time_bank}, lang, yuan_per_hour=20.0)
    left, right = fig.axes[0], fig.axes[1]
    liability = time_bank.runs[[f"timebank_liability_hours_year_{y}" for y in (1, 2, 3)]].mean().to_numpy()
    np.testing.assert_allclose(left.lines[0].get_ydata(), liability)
    assert liability[-1] > liability[0] > 0                     # members bank more than they withdraw
    assert right.get_ylim()[1] == pytest.approx(1.05)
    charts.check_figure_glyphs(fig)
    if lang == "zh":
        assert "时间银行" in fig._suptitle.get_text()


def test_timebank_chart_without_a_time_bank_says_so(baseline):
    with pytest.raises(ValueError, match="time-bank"):
        charts.timebank_by_year({"baseline": baseline})
