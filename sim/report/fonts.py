"""The Chinese font for charts, shipped as a Python package so nothing is fetched at run time.

Chinese labels 中文标签 need a CJK font.  We take Noto Sans SC (思源黑体's Google
build, SIL Open Font License 1.1) from the PyPI package ``zhplot``, a dependency
of this project, and register the file with matplotlib's font manager.  We
never import ``zhplot`` itself: its ``__init__`` changes matplotlib's global
``font.family``; we only locate its package folder.

Missing glyphs are an error, not tofu boxes: `check_glyphs` compares text with
the font's character map (fontTools) and names every character it lacks.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import logging
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont
from matplotlib import font_manager

FONT_PACKAGE = "zhplot"
FONT_FILE = "fonts/NotoSansSC-Regular.ttf"
INSTALL_HINT = 'pip install "zhplot>=1.0"  (or reinstall this project: pip install -e .)'


def cjk_font_path() -> Path:
    """Path of the packaged CJK font file; `RuntimeError` with the install command if absent."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"Chinese chart labels need the font package {FONT_PACKAGE!r} (Noto Sans SC, OFL-1.1), "
            f"which is not installed. Install it with: {INSTALL_HINT}")
    folders = [Path(p) for p in spec.submodule_search_locations]
    for folder in folders:
        path = folder / FONT_FILE
        if path.is_file():
            return path
    found = sorted(str(p) for f in folders for p in f.rglob("*") if p.suffix.lower() in (".ttf", ".otf"))
    raise RuntimeError(
        f"the font package {FONT_PACKAGE!r} is installed at {', '.join(map(str, folders))} but has no "
        f"{FONT_FILE}; font files found: {found or 'none'}. Reinstall it with: {INSTALL_HINT}")


def register_cjk_font() -> str:
    """Register the packaged CJK font with matplotlib (once) and return its family name."""
    path = str(cjk_font_path())
    manager = font_manager.fontManager
    entries = [f for f in manager.ttflist if f.fname == path]
    if not entries:
        manager.addfont(path)
        entries = [f for f in manager.ttflist if f.fname == path]
    return entries[0].name


@functools.cache
def _codepoints(path: str) -> frozenset[int]:
    font = TTFont(path, lazy=True, fontNumber=0)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def missing_glyphs(text: str, font_paths: list[str | Path] | str | Path | None = None) -> list[str]:
    """Characters of ``text`` that none of ``font_paths`` has (control characters such as newlines
    are layout, not glyphs, and are ignored).  Default: the packaged CJK font."""
    if font_paths is None:
        font_paths = [cjk_font_path()]
    elif isinstance(font_paths, (str, Path)):
        font_paths = [font_paths]
    covered = frozenset().union(*(_codepoints(str(p)) for p in font_paths))
    return sorted({ch for ch in text
                   if ord(ch) not in covered and unicodedata.category(ch) != "Cc"})


def check_glyphs(text: str, font_path: list[str | Path] | str | Path | None = None) -> None:
    """Raise `RuntimeError` naming each character of ``text`` the font lacks (never silent boxes).

    ``font_path`` is one font file or a list (a fallback chain: a character passes if any has it);
    the default is the packaged CJK font.
    """
    missing = missing_glyphs(text, font_path)
    if missing:
        fonts = font_path if font_path is not None else cjk_font_path()
        fonts = fonts if isinstance(fonts, list) else [fonts]
        shown = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
        raise RuntimeError(f"no glyph for {shown} in {', '.join(map(str, fonts))}; "
                           f"text: {text!r}. Change the text or use a font that covers it.")


EMBEDDED_FAMILY = "Briefing Noto Sans SC"


def subset_font(text: str) -> bytes:
    """The packaged CJK font cut down to the characters of ``text`` (plus ASCII), as WOFF: a page
    embeds it so its Chinese reads on a machine without CJK fonts (tens of kB, not 10 MB)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"  # zlib; WOFF2 would need brotli
    options.layout_features = []  # plain text needs no ligatures; keeps it small and fast (2 s, not 25)
    options.notdef_outline = True
    font = TTFont(str(cjk_font_path()), lazy=True)
    try:
        chars = {ord(c) for c in text if unicodedata.category(c) != "Cc"} | set(range(0x20, 0x7F))
        logger = logging.getLogger("fontTools")
        level = logger.level
        logger.setLevel(max(level, logging.WARNING))  # fontTools logs every table at INFO
        sub = subset.Subsetter(options)
        sub.populate(unicodes=sorted(chars))
        sub.subset(font)
        buf = io.BytesIO()
        font.flavor = "woff"
        font.save(buf)
        logger.setLevel(level)
        return buf.getvalue()
    finally:
        font.close()


__all__ = [
    "EMBEDDED_FAMILY",
    "subset_font",
    "FONT_FILE",
    "FONT_PACKAGE",
    "INSTALL_HINT",
    "check_glyphs",
    "cjk_font_path",
    "missing_glyphs",
    "register_cjk_font",
]
