"""Two small finished scenarios (plain county, quick run) shared by the report tests."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiment.compare import compare
from sim.experiment.results import Results


@pytest.fixture(scope="session")
def baseline() -> Results:
    res = sim.run(["county=plain", "run=quick"])
    res.path = Path("results/plain-baseline")
    return res


@pytest.fixture(scope="session")
def emergency() -> Results:
    res = sim.run(["county=plain", "run=quick", "policy=emergency_15min"])
    res.path = Path("results/plain-emergency")
    return res


@pytest.fixture(scope="session")
def comparison(baseline: Results, emergency: Results) -> pd.DataFrame:
    return compare([baseline, emergency])


# Every policy on the plain county over two years (closures need 545 days, the time bank's
# yearly KPIs whole years), two replications: the briefing, overlap and browser tests share them.
PLAIN_POLICIES = {"baseline": "baseline", "emergency": "emergency_15min", "consolidation": "consolidation",
                  "canteens": "canteens", "time_bank": "time_bank"}
BRIEF_DPI = 60  # small PNGs: the tests read the files; people look at the main job's


@pytest.fixture(scope="session")
def plain_runs(tmp_path_factory) -> dict[str, Results]:
    from sim.experiment.store import write_results

    root = tmp_path_factory.mktemp("plain_runs")
    out = {}
    for key, policy in PLAIN_POLICIES.items():
        res = sim.run(["county=plain", "run=quick", "run.horizon_days=730", f"policy={policy}"],
                      replications=2)
        write_results(res, root / key)
        out[key] = res
    return out


@dataclass
class PlainBriefing:
    """The Chinese briefing of every plain scenario: its folder and the charts it drew."""

    folder: Path
    charts: list  # sim.report.sections.Chart, as make_sections returned them to build_briefing


@pytest.fixture(scope="session")
def plain_briefing_zh(plain_runs, tmp_path_factory) -> PlainBriefing:
    """The briefing of every plain scenario against the baseline, in Chinese.  The charts it draws
    are kept (``make_sections`` is watched, not replaced) so the overlap test measures the very
    figures the briefing printed instead of drawing them a second time."""
    from sim.report import briefing

    drawn = []
    make_sections = briefing.make_sections

    def watched(*args, **kwargs):
        sections, skipped = make_sections(*args, **kwargs)
        drawn.extend(c for s in sections for c in s.charts)
        return sections, skipped

    with pytest.MonkeyPatch.context() as m:
        m.setattr(briefing, "make_sections", watched)
        out = tmp_path_factory.mktemp("brief_zh") / "briefing"
        folder = briefing.build_briefing(list(plain_runs.values()), out, "zh", dpi=BRIEF_DPI).parent
    return PlainBriefing(folder, drawn)


@pytest.fixture(scope="session")
def en_briefing(plain_runs, tmp_path_factory) -> tuple[Path, str]:
    """The CLI, in-process, on baseline and emergency (no home closes): the English briefing and
    what the CLI printed; its charts written by two worker processes."""
    from sim.report.__main__ import main as cli

    out = tmp_path_factory.mktemp("en") / "brief"
    dirs = [str(plain_runs[k].path) for k in ("baseline", "emergency")]
    buf = io.StringIO()  # capsys is function-scoped; this fixture is per session
    with contextlib.redirect_stdout(buf):
        status = cli([*dirs, "--lang", "en", "--out", str(out), "--dpi", str(BRIEF_DPI), "--workers", "2"])
    assert status == 0
    return out, buf.getvalue()


@pytest.fixture(scope="session")
def plain_briefings(plain_briefing_zh, en_briefing) -> dict[str, Path]:
    """A briefing folder per language: every plain scenario in Chinese, baseline and emergency in
    English (the English page of all five would draw every chart again for no further check)."""
    return {"zh": plain_briefing_zh.folder, "en": en_briefing[0]}

