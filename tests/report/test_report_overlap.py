"""Charts that never overprint: every chart of every preset in both languages, measured with the
renderer — no two texts overlap and none leaves the figure.  The plain county runs in the default
suite (every chart in Chinese, as the briefing drew them; three scenarios in both languages); every
plain chart in English and the hill and Qinshui counties (larger, more homes and closures) are
marked slow."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

import sim
from sim.experiment.compare import compare
from sim.report import charts, layout
from sim.report.intervals import bounded_table
from sim.report.sections import make_sections
from tests.report.conftest import PLAIN_POLICIES

LANGS = ["zh", "en"]


def _problems(charts, lang) -> list[str]:
    assert charts
    return [f"{c.stem} ({lang}): {p}" for c in charts for p in layout.collisions(c.figure)]


def _check_every_chart(results, lang) -> list[str]:
    table = bounded_table(compare(results), results)
    sections, _ = make_sections(results, table, lang)
    return _problems([c for s in sections for c in s.charts], lang)


def test_every_plain_chart_is_clean_in_chinese(plain_briefing_zh):
    """The charts the Chinese briefing of every plain scenario drew (the same ``make_sections`` on
    the same bounded table), measured after it saved them: not drawn a second time."""
    assert _problems(plain_briefing_zh.charts, "zh") == []


@pytest.mark.slow   # draws every chart of the five scenarios again, in English: ~29 s of CPU
def test_every_plain_chart_is_clean_in_english(plain_runs):
    assert _check_every_chart(list(plain_runs.values()), "en") == []


@pytest.mark.parametrize("lang", LANGS)
def test_two_scenarios_draw_clean_township_and_coinciding_curves(plain_runs, lang):
    """Baseline, consolidation (whose emergencies equal the baseline's under common random numbers)
    and the 15-minute policy: the identical curves are drawn once and said to coincide."""
    results = [plain_runs["baseline"], plain_runs["consolidation"], plain_runs["emergency"]]
    assert _check_every_chart(results, lang) == []
    fig = charts.response_distribution({"plain/baseline": results[0], "plain/consolidation": results[1],
                                        "plain/emergency": results[2]}, lang)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(legend) == 2
    assert ("曲线重合" if lang == "zh" else "the lines coincide") in legend[0]


def test_the_check_sees_overlaps_and_text_outside():
    fig = Figure(figsize=(3, 2))
    fig.text(0.1, 0.5, "overlapping text")
    fig.text(0.15, 0.5, "overlapping text too")
    fig.text(0.9, 0.1, "far past the right edge")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    problems = layout.collisions(fig)
    assert any("overlaps" in p for p in problems)
    assert any("leaves the figure" in p for p in problems)


def test_place_labels_moves_labels_apart():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(4, 3))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    items = [(5, 5, name, {"fontsize": 9}) for name in ("现状", "敬老院撤并", "时间银行")]
    with charts.style("zh"):
        numbered = layout.place_labels(ax, items)
        assert numbered == []
        assert layout.collisions(fig) == []


@pytest.fixture(scope="module", params=["hill", "qinshui"])
def preset_runs(request):
    return [sim.run([f"county={request.param}", "run=quick", "run.horizon_days=730", f"policy={p}"],
                    replications=2) for p in PLAIN_POLICIES.values()]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_of_the_other_presets_is_clean(preset_runs, lang):
    assert _check_every_chart(preset_runs, lang) == []
