"""``briefing.pdf``: A4 portrait pages throughout, in the page's order.

Page 1: title, reference, the headline.  Then each service's section starts a page: its
heading, its table of key figures (never split), its figures — each scaled to the page width,
numbered and captioned as on the HTML page ("图3 …").  Notes close the document.  Charts are
placed as their 150–200 dpi PNGs; every other text is PDF text (Type 42 fonts).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.image as mpimg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from sim.report.charts import _new_figure, check_figure_glyphs, quiet_font_subsetting, style
from sim.report.labels import phrase
from sim.report.layout import wrap
from sim.report.page import figure_numbers, kpi_rows, notes, reference_line

if TYPE_CHECKING:
    from sim.report.briefing import Briefing

A4 = (8.27, 11.69)  # inches
LEFT, RIGHT, TOP, BOTTOM = 0.08, 0.92, 0.95, 0.06
LINE = 1.55 / 72 / A4[1]  # figure fraction per point of font size
COLUMNS = 96  # half-width columns of a 10-pt line across the text width


class _Pages:
    """A cursor over A4 pages: text lines, tables and images, top to bottom.

    With a ``sink``, each finished page is checked, handed to it and let go, so only one page
    (and the chart images placed on it) is in memory at a time; without one, the pages are kept
    in ``pages``."""

    def __init__(self, lang: str, sink=None):
        self.lang, self.pages, self.fig, self.y = lang, [], None, TOP
        self.sink, self.count = sink, 0

    def finish(self) -> None:
        """Hand the page under way to the sink (with one)."""
        if self.sink is not None and self.fig is not None:
            check_figure_glyphs(self.fig)
            self.sink(self.fig)
            self.fig = None

    def new(self) -> Figure:
        self.finish()
        self.fig = _new_figure(self.lang, figsize=A4)
        self.fig.set_layout_engine("none")
        if self.sink is None:
            self.pages.append(self.fig)
        self.count += 1
        self.y = TOP
        number = self.count
        self.fig.text(0.5, 0.025, str(number), ha="center", fontsize=8, color="#777777")
        return self.fig

    def room(self, height: float) -> None:
        if self.fig is None or self.y - height < BOTTOM:
            self.new()

    def text(self, text: str, size: float = 10, columns: int = COLUMNS, bullet: bool = False,
             color: str = "#222222", gap: float = 0.0) -> None:
        width = int(columns * 10 / size) - (2 if bullet else 0)
        lines = wrap(text, width)
        for k, line in enumerate(lines):
            step = size * LINE
            self.room(step)
            self.y -= step
            prefix = ("• " if k == 0 else "   ") if bullet else ""
            self.fig.text(LEFT, self.y, prefix + line, fontsize=size, va="baseline", color=color)
        self.y -= gap

    def table(self, head: list[str], rows: list[list[str]], first_width: float = 0.3) -> None:
        """A table kept whole on one page (a new page when it does not fit)."""
        lines = max((max(c.count("\n") + 1 for c in row) for row in rows + [head]), default=1)
        row_h = TABLE_FONT * 1.35 / 72 / A4[1] * lines + 0.008
        height = row_h * (len(rows) + 1) + 0.01
        self.room(height)
        ax = self.fig.add_axes((LEFT, self.y - height, RIGHT - LEFT, height))
        ax.axis("off")
        n = len(head) - 1
        grid = ax.table(cellText=rows, colLabels=head, loc="upper left", cellLoc="left", colLoc="left",
                        colWidths=[first_width] + [(1 - first_width) / n] * n,
                        bbox=(0, 0, 1, 1))
        grid.auto_set_font_size(False)
        grid.set_fontsize(TABLE_FONT)
        for cell in grid.get_celld().values():
            cell.set_edgecolor("#cccccc")
        self.y -= height + 0.012

    def image(self, path: Path, caption: str) -> None:
        img = mpimg.imread(path)
        h_px, w_px = img.shape[:2]
        width = RIGHT - LEFT
        height = width * (h_px / w_px) * (A4[0] / A4[1])
        caption_lines = len(wrap(caption, COLUMNS + 8))
        need = height + caption_lines * 8.5 * LINE + 0.02
        if need > TOP - BOTTOM:  # a tall chart: shrink to the page
            height = (TOP - BOTTOM) - caption_lines * 8.5 * LINE - 0.03
            width = height * (w_px / h_px) * (A4[1] / A4[0])
            need = height + caption_lines * 8.5 * LINE + 0.02
        self.room(need)
        ax = self.fig.add_axes((LEFT + (RIGHT - LEFT - width) / 2, self.y - height, width, height))
        ax.imshow(img, interpolation="none")   # the PNG as drawn: the viewer scales it (no resampling)
        ax.axis("off")
        self.y -= height + 0.006
        self.text(caption, size=8.5, columns=COLUMNS + 8, color="#444444", gap=0.015)


FIRST_COLUMN = 0.3  # share of the text width for the indicator's name
TABLE_FONT = 7.0


def _kpi_grid(b: Briefing, kpis: list[str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a section's table, each cell wrapped to its column's width."""
    width_pt = (RIGHT - LEFT) * A4[0] * 72
    cols = int((1 - FIRST_COLUMN) / len(b.labels) * width_pt / (TABLE_FONT * 0.56)) - 1
    first = int(FIRST_COLUMN * width_pt / (TABLE_FONT * 0.56)) - 2
    head = [phrase("page.indicator", b.lang)] + ["\n".join(wrap(x, cols)[:2]) for x in b.labels]
    rows = []
    for name, cells in kpi_rows(b, kpis):
        rows.append(["\n".join(wrap(name, first)[:3])]
                    + ["\n".join(line for part in (mean, ci, diff) if part.strip()
                                 for line in wrap(part, cols)) for mean, ci, diff in cells])
    return head, rows


TEXT_FIRST_COLUMN = 0.14  # a text table's first column (a village's name)


def _text_grid(table) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a text table, each cell wrapped to its column's width."""
    width_pt = (RIGHT - LEFT) * A4[0] * 72
    n = len(table.head) - 1
    cols = int((1 - TEXT_FIRST_COLUMN) / max(n, 1) * width_pt / (TABLE_FONT * 0.56)) - 1
    first = int(TEXT_FIRST_COLUMN * width_pt / (TABLE_FONT * 0.56)) - 2
    head = ["\n".join(wrap(table.head[0], first)[:2])]
    head += ["\n".join(wrap(h, cols)[:3]) for h in table.head[1:]]
    rows = [["\n".join(wrap(row[0], first)[:2])] + ["\n".join(wrap(c, cols)[:2]) for c in row[1:]]
            for row in table.rows]
    return head, rows


def pages(b: Briefing, folder: Path, sink=None, ready=None) -> list[Figure]:
    """The A4 pages of the briefing (charts read from ``folder``); with ``sink``, each page is
    handed to it when done and not kept (the list returned is then empty); ``ready(stem)``, if
    given, returns when a chart's PNG is written (`sim.report.chart_files.ChartFiles.png`)."""
    p = _Pages(b.lang, sink)
    numbers = figure_numbers(b)
    with style(b.lang):
        p.new()
        p.text(b.title, size=15, columns=COLUMNS - 4, color="#1a4f72", gap=0.008)
        p.text(reference_line(b), size=9, color="#555555", gap=0.02)
        p.text(phrase("page.headline", b.lang), size=13, color="#1a4f72", gap=0.006)
        for sentence in b.headline:
            p.text(sentence, size=10.5, bullet=True, gap=0.006)
        overview = [s.kpis[0] for s in b.sections if s.kpis]
        if overview:  # page 1 is the whole story: the headline and the leading figure of each service
            p.y -= 0.012
            p.text(phrase("page.overview", b.lang), size=12, color="#1a4f72", gap=0.006)
            head, rows = _kpi_grid(b, overview)
            p.table(head, rows, FIRST_COLUMN)
        for s in b.sections:
            p.new()
            p.text(s.heading, size=14, color="#1a4f72", gap=0.008)
            if s.kpis:
                head, rows = _kpi_grid(b, s.kpis)
                p.table(head, rows, FIRST_COLUMN)
            for table in s.tables:
                p.text(table.caption, size=8.5, columns=COLUMNS + 8, color="#444444", gap=0.004)
                head, rows = _text_grid(table)
                p.table(head, rows, TEXT_FIRST_COLUMN)
                if table.note:
                    p.text(table.note, size=8, columns=COLUMNS + 8, color="#555555", gap=0.006)
            for chart in s.charts:
                if ready is not None:
                    ready(chart.stem)
                p.image(folder / f"{chart.stem}.png",
                        phrase("page.figure", b.lang, n=numbers[chart.stem]) + "  " + chart.caption)
        p.new()
        p.text(phrase("page.notes", b.lang), size=13, color="#1a4f72", gap=0.006)
        p.text(phrase("page.kpis_note", b.lang, level=b.level, ref=b.labels[0]), size=8.5, bullet=True,
               columns=COLUMNS + 12)
        for note in notes(b, folder):
            p.text(note, size=8.5, bullet=True, columns=COLUMNS + 12, gap=0.002)
        p.finish()
        for page in p.pages:
            check_figure_glyphs(page)
    return p.pages


def write_pdf(b: Briefing, path: Path, ready=None) -> Path:
    """``briefing.pdf`` beside the chart PNGs it places (written atomically); ``ready`` as in
    `pages`."""
    path = Path(path)
    tmp = path.with_suffix(".pdf.tmp")
    meta = {"Title": b.title, "Creator": "rural-eldercare-sim"}
    with style(b.lang), quiet_font_subsetting(), PdfPages(tmp, metadata=meta) as pdf:
        def save(page: Figure) -> None:   # page by page: a page's chart images are let go at once
            pdf.savefig(page)
            page.clear()

        pages(b, path.parent, sink=save, ready=ready)
    tmp.replace(path)
    return path


__all__ = ["A4", "pages", "write_pdf"]
