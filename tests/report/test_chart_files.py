"""The chart files written by a pool of processes are the very files written here, one by one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from sim.report import charts
from sim.report.chart_files import ChartFiles
from sim.report.sections import Chart
from tests.report.conftest import BRIEF_DPI


def _without_date(pdf: bytes) -> bytes:
    return re.sub(rb"/CreationDate \(D:[0-9Z+'-]*\)", b"", pdf)


@pytest.mark.slow   # every chart of a 5-scenario briefing drawn twice (~12 s); CI runs it
def test_two_workers_write_the_same_charts_as_one(plain_briefing_zh, tmp_path):
    """The charts of the Chinese briefing of every plain scenario, written by two worker
    processes (each figure pickled to them): every PNG byte for byte the one the briefing wrote
    here, one by one, every PDF too apart from its creation date."""
    serial, drawn = plain_briefing_zh.folder, plain_briefing_zh.charts
    assert len(drawn) >= 10
    with ChartFiles(tmp_path, dpi=BRIEF_DPI, workers=2) as files:
        files.add(drawn)
    for suffix in ("png", "pdf"):
        written = sorted(p.name for p in tmp_path.glob(f"*.{suffix}"))
        assert written == sorted(f"{c.stem}.{suffix}" for c in drawn)
    for chart in drawn:
        assert (tmp_path / f"{chart.stem}.png").read_bytes() == (serial / f"{chart.stem}.png").read_bytes()
        assert _without_date((tmp_path / f"{chart.stem}.pdf").read_bytes()) \
            == _without_date((serial / f"{chart.stem}.pdf").read_bytes()), chart.stem


def test_a_workers_error_reaches_the_caller(tmp_path):
    """A figure with a character no font can draw fails in the worker as it fails here."""
    with charts.style("zh"):
        fig = Figure()
        fig.subplots().set_title("图\ue000")
    with pytest.raises(RuntimeError, match=r"U\+E000"):
        with ChartFiles(tmp_path, dpi=40, workers=2) as files:
            files.add([Chart("bad", "a caption", fig)])
    assert not (Path(tmp_path) / "bad.pdf").exists()
