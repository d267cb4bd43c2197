"""Report figures: how they are made, styled, checked and saved, apart from what they show.

A figure is built on the Agg canvas directly (not through pyplot), so nothing is shown,
nothing accumulates in pyplot's figure list and the user's backend is left alone.  Fonts:
Chinese figures use the packaged CJK font (`sim.report.fonts`) first and DejaVu Sans as
fallback, English figures the reverse (township names may be Chinese in either).  Every text
of a finished figure is checked against those fonts, so a missing glyph is an error rather
than a box.  A finished figure keeps the layout of its first draw (saving twice does not lay
it out twice); after changing one, call ``fig.set_layout_engine("constrained")`` to lay it out
anew.  This module loads matplotlib and the fonts only (no pandas, no SciPy), so the workers
that write a briefing's chart files (`sim.report.chart_files`) start quickly; the charts
themselves live in `sim.report.charts` and its neighbours.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from sim.report.fonts import missing_glyphs, register_cjk_font
from sim.report.labels import LANGS

LATIN_FONT = "DejaVu Sans"  # matplotlib's own default, always present
# Figures are laid out at the resolution their PNGs are written at: hinted text is not exactly
# proportional to the resolution, so a layout made at 100 dpi can clip a label at 150 dpi.
FIGURE_DPI = 150


# Figure -> language, so that `save` draws late-created ticks with the same fonts.
_FIGURE_LANG: weakref.WeakKeyDictionary[Figure, str] = weakref.WeakKeyDictionary()


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")


def font_families(lang: str) -> list[str]:
    """Font fallback chain for ``lang``: the CJK font first for Chinese, last for English."""
    _check_lang(lang)
    cjk = register_cjk_font()
    return [cjk, LATIN_FONT] if lang == "zh" else [LATIN_FONT, cjk]


@contextmanager
def quiet_font_subsetting() -> Iterator[None]:
    """Silence fontTools' INFO lines while a PDF embeds its font subset (hundreds per chart when
    the caller, e.g. Hydra, logs at INFO); the level is restored afterwards."""
    logger = logging.getLogger("fontTools")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def style(lang: str) -> Iterator[None]:
    """matplotlib settings of report figures; PDF fonts as Type 42 so the text stays text."""
    rc = {"font.family": font_families(lang), "pdf.fonttype": 42, "ps.fonttype": 42,
          "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": FIGURE_DPI}
    with matplotlib.rc_context(rc):
        yield


def _new_figure(lang: str, **kw) -> Figure:
    fig = Figure(layout="constrained", **kw)
    FigureCanvasAgg(fig)
    _FIGURE_LANG[fig] = lang
    return fig


def _texts(artist: Artist) -> Iterator[Text]:
    """The texts of ``artist`` and its children, as ``findobj(Text)`` finds them, except those of
    the axis of an axes turned off (``ax.axis("off")``: a chart's image or table), which are never
    drawn: listing them would make every tick of such an axis (about 0.1 s a page of the PDF)."""
    if isinstance(artist, Text):
        yield artist
    children = artist.get_children()
    if isinstance(artist, Axes) and not artist.axison:
        children = [c for c in children if not isinstance(c, Axis)]
    for child in children:
        yield from _texts(child)


def check_figure_glyphs(fig: Figure) -> None:
    """Raise `RuntimeError` if any text of ``fig`` has a character none of its fonts can draw."""
    problems = []
    for text in _texts(fig):
        s = text.get_text()
        if not s or not text.get_visible() or (s.count("$") >= 2 and "\\$" not in s):
            continue  # mathtext has its own fonts
        prop = text.get_fontproperties()
        paths = []
        for family in prop.get_family():
            p = prop.copy()
            p.set_family(family)
            try:
                paths.append(font_manager.findfont(p, fallback_to_default=False))
            except ValueError:
                continue
        missing = missing_glyphs(s, paths)
        if missing:
            problems.append(f"{s!r}: {', '.join(f'{c!r} (U+{ord(c):04X})' for c in missing)} "
                            f"not in {', '.join(paths) or prop.get_family()}")
    if problems:
        raise RuntimeError("characters without a glyph (they would print as boxes):\n  "
                           + "\n  ".join(problems))


def _finish(fig: Figure) -> Figure:
    """Lay out and draw once (ticks are created now, with the report fonts), check glyphs, and
    keep that layout: saving as PNG and PDF then draws without laying out again."""
    fig.draw_without_rendering()
    check_figure_glyphs(fig)
    fig.set_layout_engine("none")
    return fig


def save(fig: Figure, path_stem: str | Path, dpi: int | None = None) -> tuple[Path, Path]:
    """Write ``path_stem.png`` (at the figure's own resolution unless ``dpi`` says otherwise:
    the layout was measured at it) and ``path_stem.pdf`` (folders created); return both paths."""
    return save_png(fig, path_stem, dpi), save_pdf(fig, path_stem)


def save_png(fig: Figure, path_stem: str | Path, dpi: int | None = None) -> Path:
    """Write ``path_stem.png`` alone (see `save`); return its path."""
    return _write(fig, Path(f"{path_stem}.png"), dpi=dpi or fig.dpi,
                  metadata={"Software": "rural-eldercare-sim"})


def save_pdf(fig: Figure, path_stem: str | Path) -> Path:
    """Write ``path_stem.pdf`` alone (see `save`); return its path."""
    return _write(fig, Path(f"{path_stem}.pdf"), metadata={"Creator": "rural-eldercare-sim"})


def _write(fig: Figure, path: Path, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with style(_FIGURE_LANG.get(fig, "zh")), quiet_font_subsetting():
        check_figure_glyphs(fig)
        fig.savefig(path, **kw)
    return path


def figure_lang(fig: Figure) -> str:
    """The language ``fig`` was drawn in (its fonts when saved)."""
    return _FIGURE_LANG.get(fig, "zh")


def adopt_figure(fig: Figure, lang: str) -> Figure:
    """Give a figure rebuilt elsewhere (unpickled) the Agg canvas and the language a figure of
    `_new_figure` has, so it saves as the original does."""
    FigureCanvasAgg(fig)
    _FIGURE_LANG[fig] = lang
    return fig


__all__ = ["FIGURE_DPI", "LATIN_FONT", "adopt_figure", "check_figure_glyphs", "figure_lang", "font_families",
           "quiet_font_subsetting", "save", "save_pdf", "save_png", "style"]
