"""Text that never overprints: wrapping, collision-free label placement, and the check.

* `wrap` breaks text at a width in half-width columns (a CJK character counts two and may
  break anywhere; Latin words break at spaces).
* `place_labels` puts annotations next to their points, trying a few offsets each and keeping
  the first that touches no label placed before and stays inside the axes; a label that fits
  nowhere is replaced by a number, and the numbers are explained in a key (the caller adds it
  to the legend or the caption).
* `text_boxes` and `collisions` measure every visible text of a drawn figure with the
  renderer and report any two that overlap or any that leaves the figure; the tests run them
  on every chart of every preset in both languages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

TOLERANCE_PX = 1.0  # boxes touching by less than this are not an overlap


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of ``text`` at most ``width`` half-width columns (a single long word may exceed)."""
    lines, line, col = [], "", 0
    for token in re.findall(r"[A-Za-z0-9.,%+\-()/:;'\"–\[\]]+ ?|.", text):
        w = _width(token)
        if col + w > width and line.strip():
            lines.append(line.rstrip())
            line, col = "", 0
            token = token.lstrip()
        line += token
        col += _width(token)
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def wrap_to_width(texts: list[str], width: int) -> list[str]:
    """Each text wrapped at ``width`` columns, lines joined by newlines (for tick labels)."""
    return ["\n".join(wrap(t, width)) for t in texts]


@dataclass
class TextBox:
    text: str
    bbox: Bbox
    artist: Text


def _hidden_tick_labels(fig: Figure) -> set[int]:
    """Tick labels matplotlib keeps but does not draw (ticks outside the view limits)."""
    hidden = set()
    axes = list(fig.axes)
    axes += [child for ax in fig.axes for child in ax.child_axes]  # secondary axes
    for ax in axes:
        for axis in ax._axis_map.values():
            ticks = axis.get_major_ticks() + axis.get_minor_ticks()
            drawn = {id(t) for t in axis._update_ticks()}
            for t in ticks:
                if id(t) not in drawn:
                    hidden |= {id(t.label1), id(t.label2)}
    return hidden


def text_boxes(fig: Figure) -> list[TextBox]:
    """Every text of ``fig`` that is drawn (visible, non-empty, its axes visible, a tick inside the
    view limits) with its box in display pixels."""
    fig.draw_without_rendering()        # lay out and place every text; no pixels needed
    renderer = fig.canvas.get_renderer()
    hidden = _hidden_tick_labels(fig)
    out = []
    for t in fig.findobj(Text):
        if id(t) in hidden or not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        out.append(TextBox(t.get_text(), t.get_window_extent(renderer), t))
    return out


def collisions(fig: Figure, tolerance: float = TOLERANCE_PX) -> list[str]:
    """Pairs of texts that overlap and texts that leave the figure, as sentences (empty: clean)."""
    boxes = text_boxes(fig)
    frame = fig.bbox
    problems = []
    for b in boxes:
        x0, y0, x1, y1 = b.bbox.extents
        if x0 < frame.x0 - tolerance or y0 < frame.y0 - tolerance or x1 > frame.x1 + tolerance \
                or y1 > frame.y1 + tolerance:
            problems.append(f"{b.text!r} leaves the figure ({x0:.0f},{y0:.0f})-({x1:.0f},{y1:.0f}) "
                            f"in {frame.width:.0f}x{frame.height:.0f}")
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            w = min(a.bbox.x1, b.bbox.x1) - max(a.bbox.x0, b.bbox.x0)
            h = min(a.bbox.y1, b.bbox.y1) - max(a.bbox.y0, b.bbox.y0)
            if w > tolerance and h > tolerance:
                problems.append(f"{a.text!r} overlaps {b.text!r}")
    return problems


# offsets in points tried in turn: right, up-right, left, up-left, below, above, further out
OFFSETS = ((6, 0), (6, 9), (-6, 0), (-6, 9), (6, -10), (0, 12), (-6, -10), (0, -14), (14, 16),
           (-14, 16), (14, -18), (-14, -18))


def place_labels(ax, items: list[tuple[float, float, str, dict]], offsets=OFFSETS,
                 avoid: list[Bbox] | None = None, drawn: list[Bbox] | None = None) -> list[tuple[int, str]]:
    """Annotate each ``(x, y, text, kwargs)`` of ``ax`` (data coordinates) where it overlaps no
    text of the figure (ticks, titles, labels placed before) and stays inside the figure; an item's
    kwargs may carry its own ``offsets`` (points); ``avoid`` adds boxes (display pixels) of marks
    the labels must not cover.  Return ``[(number, text)]`` of the labels that
    fit nowhere and were drawn as their number instead (the caller explains them in a key).
    Call it once the figure's layout is final.  ``drawn``, if given, stands for the boxes of the
    figure's texts (`text_boxes`, which lays the whole figure out, measured once by a caller placing
    labels one by one); the boxes of the labels placed here are appended to it."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox.padded(-2)
    if drawn is None:
        drawn = [b.bbox for b in text_boxes(fig)]
    placed = list(drawn) + list(avoid or [])
    numbered = []
    scale = fig.dpi / 72.0
    for x, y, text, kw in items:
        kw = dict(kw)
        tries = [tuple(t) for t in kw.pop("offsets", offsets)]
        # the text's size is measured once; each offset's text box follows from the anchor and
        # rules the offset out when it leaves the frame or overlaps (a label's whole box, leader
        # line included, holds its text box); an offset that passes is checked on the label drawn
        first = _annotate(ax, text, x, y, tries[0], kw)
        size = Text.get_window_extent(first, renderer)      # the text alone, without a leader line
        px, py = ax.transData.transform((x, y))
        ann, box = first, None
        for dx, dy in tries:
            if not _fits(_box_at(px + dx * scale, py + dy * scale, size.width, size.height, dx, dy),
                         frame, placed):
                continue
            if ann is None:
                ann = _annotate(ax, text, x, y, (dx, dy), kw)
            elif (dx, dy) != tries[0]:
                ann.remove()
                ann = _annotate(ax, text, x, y, (dx, dy), kw)
            whole = ann.get_window_extent(renderer)
            if _fits(whole, frame, placed):
                box = whole
                break
            ann.remove()
            ann = None
        if box is None:
            if ann is not None:
                ann.remove()
            numbered.append((len(numbered) + 1, text))
            ann = ax.annotate(str(len(numbered)), (x, y), xytext=(2, 2), textcoords="offset points",
                              ha="left", va="bottom", **{**kw, "fontsize": 7})
            box = ann.get_window_extent(renderer)
        placed.append(box)
        drawn.append(box)
    return numbered


def _fits(box: Bbox, frame: Bbox, placed: list[Bbox]) -> bool:
    inside = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(p) for p in placed)


def _alignment(dx: float, dy: float) -> tuple[str, str]:
    return ("left" if dx > 0 else "right" if dx < 0 else "center",
            "bottom" if dy > 0 else "top" if dy < 0 else "center")


def _annotate(ax, text: str, x: float, y: float, offset, kw: dict):
    ha, va = _alignment(*offset)
    return ax.annotate(text, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va, **kw)


def _box_at(ax_: float, ay: float, width: float, height: float, dx: float, dy: float) -> Bbox:
    """The box (display pixels) of a text ``width`` x ``height`` anchored at (ax_, ay) with the
    alignment an offset (dx, dy) gives it (`_alignment`)."""
    ha, va = _alignment(dx, dy)
    x0 = ax_ if ha == "left" else ax_ - width if ha == "right" else ax_ - width / 2
    y0 = ay if va == "bottom" else ay - height if va == "top" else ay - height / 2
    return Bbox.from_bounds(x0, y0, width, height)


__all__ = ["collisions", "place_labels", "text_boxes", "wrap", "wrap_to_width"]
