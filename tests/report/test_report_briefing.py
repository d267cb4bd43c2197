"""The briefing end to end on three real scenarios (plain county, 3 years, 2 replications):
files, a self-contained page, the summary, the CLI; and the bed and map charts' content."""

from __future__ import annotations

import dataclasses
import re
import runpy
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from sim.experiment.compare import ComparisonError, compare
from sim.experiment.results import Results
from sim.report import briefing, labels, layout, maps, occupancy, page, summary, words
from sim.report.__main__ import main as cli
from sim.report.sections import make_sections


@pytest.fixture(scope="module")
def runs(plain_runs) -> dict[str, Results]:
    return plain_runs


@pytest.fixture(scope="module")
def zh_dir(plain_briefings) -> Path:
    return plain_briefings["zh"]


@pytest.fixture(scope="module")
def en_cli(en_briefing) -> tuple[Path, str]:
    """The CLI, in-process, on baseline and emergency (no home closes): English briefing."""
    return en_briefing


@pytest.fixture(scope="module")
def bed_chart_en(runs):
    return occupancy.bed_occupancy_over_time(runs["consolidation"], "en")


@pytest.fixture(scope="module")
def map_zh(runs):
    return maps.facility_map(runs["baseline"], runs["consolidation"], "zh")


def _html(d: Path) -> str:
    return (d / "briefing.html").read_text(encoding="utf-8")


def test_zh_briefing_writes_every_file(zh_dir, runs):
    for name in ("briefing.html", "briefing.pdf", "comparison.csv", "summary.txt", "left_out.csv"):
        assert (zh_dir / name).is_file(), name
    left_out = pd.read_csv(zh_dir / "left_out.csv", encoding="utf-8-sig")
    assert left_out["scenario"].nunique() == 5
    assert set(left_out["service"]) <= {"emergency", "visits", "meals"}
    assert (zh_dir / "briefing.pdf").read_bytes()[:5] == b"%PDF-"
    table = pd.read_csv(zh_dir / "comparison.csv")
    assert table["position"].nunique() == 5
    assert {"kpi", "mean", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high"} <= set(table.columns)
    stems = {p.stem for p in zh_dir.glob("*.png")}
    assert stems == {p.stem for p in zh_dir.glob("*.pdf")} - {"briefing"}
    expected = {"response_distribution", "township_shares_1_baseline", "township_shares_2_emergency",
                "bed_occupancy_3_consolidation", "facility_map_3_consolidation", "meals_outcomes",
                "visits_outcomes", "homecare_outcomes", "timebank_by_year", "cost_items", "cost_vs_outcome",
                # equity (issue 16): by remoteness, and village maps where a policy changes a service
                "equity_remoteness", "village_map_emergency_2_emergency", "village_map_visits_2_emergency",
                "village_map_meals_4_canteens", "village_map_visits_5_time_bank"}
    assert stems == expected
    # five scenarios: township shares of the reference and of the best only
    # only the scenario that closed homes gets a bed chart and a map
    assert not any(s.startswith(("bed_occupancy_1", "bed_occupancy_2", "facility_map_1", "facility_map_2"))
                   for s in stems)


def _sections(html: str) -> list[str]:
    return re.findall(r'<section id="([a-z]+)">', html)


def test_page_opens_with_the_headline_then_one_section_per_service(zh_dir):
    html = _html(zh_dir)
    assert html.index('id="headline"') < html.index('<section id="emergency">')
    assert _sections(html) == [
        "emergency",
        "beds",
        "meals",
        "visits",
        "homecare",
        "timebank",
        "costs",
        "equity",
        "notes",
    ]
    headline = re.search(r'<section class="headline" id="headline">(.*?)</section>', html, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", headline)
    assert 3 <= len(items) <= 5
    assert items[0].startswith("15分钟应急响应（与现状相比）：") and "95%区间" in items[0]
    assert any(i.startswith("助餐（与现状相比）：助餐未满足率由") and "2年总成本增加" in i for i in items)
    assert items[-1].startswith("仍被落下的人：")
    assert "对照方案：现状（今天的服务网络）" in html
    equity = re.search(r'<section id="equity">(.*?)</section>', html, re.S).group(1)
    assert equity.count("<table>") >= 2 and "行政村" in equity   # key figures, then villages left out
    # every figure numbered in order, with a caption
    numbers = [int(n) for n in re.findall(r"<strong>图(\d+)</strong>", html)]
    assert numbers == list(range(1, len(numbers) + 1)) == list(range(1, html.count("<figure") + 1))


def test_sections_of_services_not_run_are_left_out(en_cli):
    """Without the time bank and with no home closed, there is no time-bank section and no bed
    chart of closures; the meals, visits and home-care sections stay (the baseline runs them)."""
    html = _html(en_cli[0])   # the CLI's briefing of exactly these two, in English
    assert _sections(html) == ["emergency", "beds", "meals", "visits", "homecare", "costs", "equity", "notes"]
    assert "Reference: Baseline (today&#x27;s network)" in html


@pytest.mark.parametrize("which", ["zh", "en"])
def test_page_is_one_file_to_send(which, zh_dir, en_cli):
    d = zh_dir if which == "zh" else en_cli[0]
    html = _html(d)
    assert '<meta charset="utf-8">' in html
    assert not re.search(r"(src|href)=\"?https?://", html), "the page must open offline"
    assert "<link" not in html and "<script" not in html and "@import" not in html
    sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    for href in re.findall(r'href="([^"]+)"', html):
        assert href.startswith(("#", "data:")), href  # nothing beside the file is needed
    assert '@font-face { font-family: "Briefing Noto Sans SC"; src: url("data:font/woff;base64,' in html
    moved = d.parent / "alone"  # e-mailed alone: the same page in an empty folder
    moved.mkdir()
    shutil.copy(d / "briefing.html", moved / "briefing.html")
    assert {p.name for p in moved.iterdir()} == {"briefing.html"}
    assert "/tmp" not in html and str(Path.home()) not in html  # no absolute paths of this machine


def test_zh_page_has_chinese_title_tables_and_notes(zh_dir, runs):
    html = _html(zh_dir)
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "平原县" in title and "敬老院撤并" in title and "现状" in title
    assert '<html lang="zh-CN">' in html
    for text in ("要点", "应急响应", "说明与假设", "[A]", "随机种子 20261126", "730 天", "2次重复运行",
                 "logit", "总成本（2年合计）"):
        assert text in html, text
    assert "<table>" in html and labels.label("emergency_within_target_share", "zh") in html


def test_summary_names_every_other_scenario_with_intervals(zh_dir, en_cli):
    text = (zh_dir / "summary.txt").read_text(encoding="utf-8")
    for scenario in ("15分钟应急响应", "敬老院撤并"):
        assert re.search(rf"^{scenario}（与现状相比）$", text, re.M), scenario
    assert "95%置信区间" in text and "个百分点" in text
    assert text.splitlines()[0].startswith("15分钟应急响应（与现状相比）：")
    en = (en_cli[0] / "summary.txt").read_text(encoding="utf-8")
    assert "15-minute emergency response, compared with Baseline" in en
    assert "percentage points (95% CI" in en


def test_cli_prints_the_page_and_skips_charts_that_do_not_apply(en_cli):
    out, stdout = en_cli
    assert stdout.strip() == str(out / "briefing.html")
    html = _html(out)
    assert '<html lang="en">' in html and "Plain county" in html
    assert not list(out.glob("bed_occupancy_*")) and not list(out.glob("facility_map_*"))
    assert (out / "briefing.pdf").is_file() and (out / "cost_items.pdf").is_file()


@pytest.mark.filterwarnings("ignore:'sim.report.__main__' found in sys.modules:RuntimeWarning")
def test_cli_refuses_runs_with_different_seeds(runs, tmp_path, capsys, monkeypatch):
    """``python -m sim.report`` (run as __main__): exit status 2, one line, no traceback."""
    other = tmp_path / "other_seed"
    shutil.copytree(runs["emergency"].path, other)
    config = other / "config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  seed: 20261126\n" in text
    config.write_text(text.replace("  seed: 20261126\n", "  seed: 7\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["python -m sim.report", str(runs["baseline"].path), str(other),
                                      "--out", str(tmp_path / "out")])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module("sim.report", run_name="__main__", alter_sys=False)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "run.seed" in lines[0]
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_missing_directory(runs, tmp_path, capsys):
    assert cli([str(runs["baseline"].path), str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no such directory" in err and "Traceback" not in err
    (tmp_path / "empty").mkdir()
    assert cli([str(tmp_path / "empty")]) == 2
    assert "not a finished run" in capsys.readouterr().err


def test_build_briefing_refuses_scenarios_that_are_not_comparable(runs, tmp_path):
    base = runs["baseline"]
    cfg = base.config
    other = dataclasses.replace(base, config=dataclasses.replace(
        cfg, run=dataclasses.replace(cfg.run, horizon_days=cfg.run.horizon_days + 1)))
    with pytest.raises(ComparisonError, match="horizon_days"):
        briefing.build_briefing([base, other], tmp_path / "b")
    assert not (tmp_path / "b").exists()


def test_bed_chart_marks_the_closures_in_the_events(runs, bed_chart_en):
    res = runs["consolidation"]
    beds = res.events("beds")
    closed = beds[beds["kind"].astype(str) == "home_closed"]
    assert len(closed), "the consolidation policy should close homes within three years"
    expected = {(int(h), float(d)) for h, d in zip(closed["home"], closed["day"])}
    fig = bed_chart_en
    marks = [line for line in fig.findobj(lambda a: str(a.get_gid() or "").startswith("closure:"))]
    found = {(int(g.split(":")[1]), float(g.split(":")[2])) for g in (m.get_gid() for m in marks)}
    assert found == expected
    for mark in marks:
        day = float(mark.get_gid().split(":")[2])
        np.testing.assert_allclose(mark.get_xdata(), day / occupancy.YEAR_DAYS)
    names = dict(zip(res.events("homes")["home"], res.events("homes")["name"]))
    texts = {t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))}
    for home, day in expected:
        assert any(f"closed day {day:g}" in t for t in texts)
        # the waiting-list panel's legend names the home beside its closing day
        assert any(f"Closed on day {day:g}" in t and names[home] in t.replace("\n", " ") for t in texts)


def test_bed_chart_draws_each_home_and_the_waiting_list(runs, bed_chart_en):
    res = runs["consolidation"]
    shares = occupancy.occupancy_shares(res)
    values = shares.to_numpy(float)
    assert np.all((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 1))
    homes = res.events("homes")
    closed_day = homes.groupby("home")["closed_day"].min().dropna()
    for home, day in closed_day.items():  # a closed home has no occupancy after it closed
        assert shares.loc[shares.index > day, home].isna().all()
    wait = occupancy.waiting_list(res)
    assert (wait["ci_low"] <= wait["mean"]).all() and (wait["mean"] <= wait["ci_high"]).all()
    assert len(bed_chart_en.axes) == homes["home"].nunique() + 1
    assert not layout.collisions(bed_chart_en)


def _collection(ax, gid):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0]


def test_map_draws_closed_homes_hollow_and_grey(runs, map_zh):
    base, cons = runs["baseline"], runs["consolidation"]
    before, after = map_zh.axes[:2]
    homes = cons.events("homes")
    end = homes[homes["replication"] == 0]
    closed_names = set(end.loc[~end["open_end"].astype(bool), "name"])
    assert closed_names
    # before: every home open, sized by its beds at the start
    assert len(_collection(before, "homes_closed").get_offsets()) == 0
    start = maps.homes_before(base)
    assert len(_collection(before, "homes_open").get_offsets()) == len(start)
    # after: the closed homes in their own collection, hollow and grey; open homes filled
    shut, open_ = _collection(after, "homes_closed"), _collection(after, "homes_open")
    assert len(shut.get_offsets()) == len(closed_names)
    assert len(open_.get_offsets()) == len(end) - len(closed_names)
    face = shut.get_facecolors()
    assert len(face) == 0 or np.all(face[:, 3] == 0)  # hollow
    np.testing.assert_allclose(shut.get_edgecolors()[0], to_rgba(maps.CLOSED_COLOR))
    np.testing.assert_allclose(open_.get_facecolors()[0][:3], to_rgba(maps.OPEN_COLOR)[:3])
    assert not np.allclose(open_.get_facecolors()[0][:3], to_rgba(maps.CLOSED_COLOR)[:3])
    # sizes follow beds_end: the upgraded county home is larger after
    after_homes = maps.homes_after(cons)
    np.testing.assert_allclose(sorted(open_.get_sizes()),
                               sorted(after_homes.loc[after_homes["open"], "beds"] * maps.AREA_PER_BED))
    # closed homes sit at their villages
    villages = cons.world("villages").set_index("village_id")
    facilities = cons.world("facilities").set_index("name")
    spots = villages.loc[facilities.loc[sorted(closed_names), "village_id"], ["x_km", "y_km"]].to_numpy()
    got = np.array(sorted(map(tuple, shut.get_offsets())))
    np.testing.assert_allclose(got, np.array(sorted(map(tuple, spots))), atol=2.0)


def test_map_legend_and_labels_in_both_languages(runs, map_zh):
    base, cons = runs["baseline"], runs["consolidation"]
    zh = map_zh
    assert [t.get_text() for t in zh.legends[0].get_texts()][:3] == ["行政村", "运营中的敬老院", "已撤并关闭"]
    texts = {t.get_text() for t in zh.axes[1].texts}
    assert any("四镇敬老院" in t for t in texts)  # Chinese home names from the county config
    en = maps.facility_map(base, cons, "en")
    assert [t.get_text() for t in en.legends[0].get_texts()][:3] == ["Village", "Home open", "Home closed"]


def _table(rows: list[tuple]) -> pd.DataFrame:
    cols = ["kpi", "scenario", "position", "path", "n", "mean", "ci_low", "ci_high", "diff",
            "diff_ci_low", "diff_ci_high"]
    return pd.DataFrame(rows, columns=cols)


SYNTHETIC = _table([
    ("emergency_within_target_share", "plain/baseline", 0, "a", 10, 0.80, 0.79, 0.81, 0, 0, 0),
    ("emergency_response_p90_min", "plain/baseline", 0, "a", 10, 17.5, 17.0, 18.0, 0, 0, 0),
    ("cost_total_yuan", "plain/baseline", 0, "a", 10, 1.17e7, 1.16e7, 1.18e7, 0, 0, 0),
    ("bed_occupancy", "plain/baseline", 0, "a", 10, 0.5, 0.49, 0.51, 0, 0, 0),
    ("emergency_within_target_share", "plain/emergency", 1, "b", 10, 0.867, 0.86, 0.87, 0.067, 0.065, 0.069),
    ("emergency_response_p90_min", "plain/emergency", 1, "b", 10, 17.1, 16.5, 17.6, -0.4, -1.6, 0.7),
    ("cost_total_yuan", "plain/emergency", 1, "b", 10, 1.2e7, 1.19e7, 1.21e7, 3.0e5, 2.9e5, 3.1e5),
    ("bed_occupancy", "plain/emergency", 1, "b", 10, 0.5, 0.49, 0.51, 0.0, 0.0, 0.0),
])


def test_summary_wording_zh():
    intro, sections = summary.summarise(SYNTHETIC, "zh")
    assert "10次重复运行" in intro
    (s,) = sections
    assert s.heading == "15分钟应急响应（与现状相比）"
    assert s.lines[0].startswith("目标时限内响应率 +6.7 个百分点（95%置信区间 +6.5 至 +6.9）")
    assert "由 80.0% 变为 86.7%" in s.lines[0] and "无明确差异" not in s.lines[0]
    assert s.lines[1].startswith("响应时间90分位 -0.4 分钟（95%置信区间 -1.6 至 +0.7）")
    assert s.lines[1].endswith("区间含0，无明确差异")
    assert s.lines[2].startswith("总成本 +30.0 万元（95%置信区间 +29.0 至 +31.0）")
    assert s.lines[3] == "无变化：床位入住率"


def test_summary_wording_en():
    _, (s,) = summary.summarise(SYNTHETIC, "en")
    assert s.heading == "15-minute emergency response, compared with Baseline"
    assert s.lines[0].startswith("Reached within target +6.7 percentage points (95% CI +6.5 to +6.9)")
    assert s.lines[1].endswith("the interval includes zero: no clear difference")
    assert "+0.30 million yuan" in s.lines[2]
    assert "from 11.70 million yuan to 12.00 million yuan" in s.lines[2]
    assert s.lines[3] == "Unchanged: Bed occupancy"


def test_summary_without_an_interval_says_so():
    one = SYNTHETIC.assign(n=1, diff_ci_low=np.nan, diff_ci_high=np.nan)
    _, (s,) = summary.summarise(one, "en")
    assert "no interval" in s.lines[0]


def test_every_chinese_text_of_the_briefing_has_glyphs():
    from sim.report import fonts

    for zh, _en in words.PHRASES.values():
        fonts.check_glyphs(zh)
    fonts.check_glyphs(page.CSS)


def test_text_wrapping_keeps_every_character():
    text = "响应时间90分位 -0.4 分钟（95%置信区间 -1.6 至 +0.7），由 17.5 分钟 变为 17.0 分钟" * 3
    lines = layout.wrap(text, 40)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 42 for line in lines)


def test_charts_whose_data_is_missing_are_skipped_and_named(runs):
    """Results without event or county tables still brief: the composition and cost charts only,
    the rest named in the notes."""
    bare = [dataclasses.replace(runs[k], path=None, _events={}, _world={})
            for k in ("baseline", "consolidation")]
    table = compare(bare)
    sections, skipped = make_sections(bare, table, "en")
    stems = [c.stem for s in sections for c in s.charts]
    assert stems == ["bed_kpis", "meals_outcomes", "visits_outcomes", "homecare_outcomes", "cost_items",
                     "cost_vs_outcome", "equity_remoteness"]
    assert any(s.startswith("Village results") for s in skipped)
    assert any(s.startswith("Response-time distribution") for s in skipped)
    assert any(s.startswith("Township shares") for s in skipped)
    assert any(s.startswith("Bed occupancy: Nursing-home consolidation") for s in skipped)  # it moved people
