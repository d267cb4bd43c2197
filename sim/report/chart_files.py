"""The briefing's chart files (a PNG and a PDF a chart), written here or by worker processes.

Writing the files is most of a briefing's time: a chart's PDF embeds a subset of the CJK font
(fontTools, about 0.35 s a chart) and a map's PNG rasterises hundreds of labels.  With one
worker the charts are written here, one after another, once every section is drawn.  With
``n`` workers, this process is one (it draws the charts and lays out the briefing) and ``n - 1``
write the files: each section's figures are sent to them as soon as the section is drawn
(pickled, as joblib's loky backend sends the replications of `sim.experiment.runner`), so the
files are written while the next sections are drawn.  PNGs go first: the briefing's PDF places
each chart's PNG as soon as it is written (`ChartFiles.png`), while the chart PDFs are still
being written; a file no writer has taken up yet when this process waits for it is written
here, so neither side idles while the other has a queue.

A figure unpickled in a fresh interpreter draws the same bytes as the original (the layout
was fixed when it was drawn, `sim.report.figures._finish`), so the files are identical for any
number of workers (tested).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from sim.report.figures import adopt_figure, figure_lang, font_families, save, save_pdf, save_png

if TYPE_CHECKING:
    from sim.report.sections import Chart


def _warm_up() -> None:
    """Load what writing a chart needs (matplotlib, the CJK font) while the parent draws."""
    font_families("zh")


def _write(blob: bytes, lang: str, path_stem: str, kind: str, dpi: int | None) -> str:
    """In a worker: unpickle a figure and write its PNG or its PDF."""
    fig = adopt_figure(pickle.loads(blob), lang)
    return str(save_png(fig, path_stem, dpi) if kind == "png" else save_pdf(fig, path_stem))


class ChartFiles:
    """Writes ``folder/<stem>.png`` and ``.pdf`` of every chart `add`-ed.

    ``workers``: processes at work, this one included, at most one per core (0: one per core):
    ``workers - 1`` processes write the files while this one draws the charts and lays out the
    briefing; 1 writes here (at the first `png` or `pngs`, in the order added).  Use as a context
    manager: leaving it waits for every file (and stops the writers; on an error, at once).

    With writers, a section's PNGs are queued at once and its PDFs after the next section's
    PNGs, so the PNGs the briefing's pages wait for (`png`) are not held up by PDFs.
    """

    def __init__(self, folder: str | Path, dpi: int | None = None, workers: int = 1):
        self.folder, self.dpi = Path(folder), dpi
        cores = os.cpu_count() or 1
        self.workers = max(1, min(workers or cores, cores))
        writers = self.workers - 1
        self._waiting: list[Chart] = []          # one worker: charts not written yet
        self._png: dict[str, tuple[Future, Chart]] = {}   # by stem
        self._pdf: list[tuple[Future, Chart]] = []
        self._later: list[tuple[bytes, Chart]] = []       # PDFs not queued yet: (pickled figure, chart)
        self._pool = None
        if writers:
            from joblib.externals.loky import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=writers)
            self._pool.submit(_warm_up)   # the workers start while the first section is drawn

    def __enter__(self) -> ChartFiles:
        return self

    def __exit__(self, kind, _value, _tb) -> None:
        self.close(failed=kind is not None)

    def add(self, charts: Iterable[Chart]) -> None:
        """Write these charts' files (now, with writers; else at the first `png` or `pngs`)."""
        if self._pool is None:
            self._waiting.extend(charts)
            return
        import cloudpickle

        later, self._later = self._later, []
        for chart in charts:
            blob = cloudpickle.dumps(chart.figure)   # a chart's axis formatters are closures
            stem = str(self.folder / chart.stem)
            self._png[chart.stem] = (self._pool.submit(_write, blob, figure_lang(chart.figure), stem, "png",
                                                       self.dpi), chart)
            self._later.append((blob, chart))
        self._queue_pdfs(later)

    def _queue_pdfs(self, pdfs: list[tuple]) -> None:
        for blob, chart in pdfs:
            lang, stem = figure_lang(chart.figure), str(self.folder / chart.stem)
            self._pdf.append((self._pool.submit(_write, blob, lang, stem, "pdf", None), chart))

    def png(self, stem: str) -> None:
        """Return when the PNG of chart ``stem`` is written (raising a writer's error): if no
        writer has taken it up yet, it is written here.  Every PDF still held back is queued, so
        the writers keep busy while the caller goes on."""
        self._release()
        if stem in self._png:
            self._finish(*self._png.pop(stem), save_png, self.dpi)

    def pngs(self) -> None:
        """Return when every PNG added is written (raising a writer's error)."""
        self._release()
        for stem in list(self._png):
            self.png(stem)

    def _release(self) -> None:
        """Write the charts waiting (one worker) or queue the PDFs held back (writers)."""
        for chart in self._waiting:
            save(chart.figure, self.folder / chart.stem, dpi=self.dpi)
        self._waiting.clear()
        later, self._later = self._later, []
        self._queue_pdfs(later)

    def _finish(self, future: Future, chart: Chart, write, *args) -> None:
        """Wait for a file a writer took up; write it here (the same bytes) if none has yet."""
        if future.cancel():
            write(chart.figure, self.folder / chart.stem, *args)
        else:
            future.result()

    def close(self, failed: bool = False) -> None:
        """Wait for every file (raising a writer's error; the PDFs no writer has taken up yet are
        written here, last first) and stop the writers; ``failed``: stop them at once instead."""
        written = False
        try:
            if not failed:
                self.pngs()
                while self._pdf:
                    self._finish(*self._pdf.pop(), save_pdf)
                written = True
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, kill_workers=not written)
                self._pool = None


__all__ = ["ChartFiles"]
