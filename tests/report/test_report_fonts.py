"""The packaged CJK font: found, registered, used for Chinese text, and glyph-checked."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from sim.report import charts, fonts, labels, words


def _all_zh_strings() -> list[str]:
    rows = list(labels.KPI_LABELS.values())
    strings = [r.zh for r in rows] + [r.unit_zh for r in rows]
    strings += [zh for zh, _ in labels.RESPONDER_LABELS.values()]
    strings += [zh for zh, _ in labels.POLICY_LABELS.values()]
    strings += [zh for zh, _ in labels.COUNTY_LABELS.values()]
    strings += [zh for zh, _ in words.PHRASES.values()]
    return strings


def test_font_file_ships_inside_the_installed_package():
    path = fonts.cjk_font_path()
    package_dir = Path(importlib.util.find_spec(fonts.FONT_PACKAGE).submodule_search_locations[0])
    assert path.is_file() and path.suffix == ".ttf"
    assert package_dir in path.parents
    assert path.stat().st_size > 1_000_000


def test_font_is_registered_and_found_by_family_name():
    family = fonts.register_cjk_font()
    assert family == "Noto Sans SC"
    assert family in {f.name for f in font_manager.fontManager.ttflist}
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert Path(found) == fonts.cjk_font_path()


def test_registering_twice_adds_the_font_once():
    fonts.register_cjk_font()
    path = str(fonts.cjk_font_path())
    before = sum(f.fname == path for f in font_manager.fontManager.ttflist)
    fonts.register_cjk_font()
    assert sum(f.fname == path for f in font_manager.fontManager.ttflist) == before


def test_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setattr(fonts, "FONT_PACKAGE", "no_such_font_package_zz")
    with pytest.raises(RuntimeError, match="not installed.*pip install"):
        fonts.cjk_font_path()


def test_missing_font_file_in_package_is_named(monkeypatch):
    monkeypatch.setattr(fonts, "FONT_FILE", "fonts/NoSuchFont.ttf")
    with pytest.raises(RuntimeError, match="NoSuchFont.ttf.*NotoSansSC-Regular.ttf"):
        fonts.cjk_font_path()


def test_every_chinese_label_has_glyphs():
    for text in _all_zh_strings():
        fonts.check_glyphs(text)  # raises on the first string with a missing glyph
    fonts.check_glyphs("".join(_all_zh_strings()) + " 0123456789%.,−–—≤（）：·\n")


@pytest.mark.parametrize("char", ["\ue000", "\U00020000"])  # private use; CJK extension B 𠀀
def test_check_glyphs_names_missing_characters_and_font(char):
    with pytest.raises(RuntimeError) as err:
        fonts.check_glyphs(f"响应率{char}")
    message = str(err.value)
    assert f"U+{ord(char):04X}" in message
    assert "NotoSansSC-Regular.ttf" in message
    assert fonts.missing_glyphs(f"响应率{char}") == [char]


def test_check_glyphs_with_an_explicit_latin_font_rejects_chinese():
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    fonts.check_glyphs("Response time", dejavu)
    with pytest.raises(RuntimeError, match=r"U\+54CD"):  # 响
        fonts.check_glyphs("响应", dejavu)


def test_chinese_title_is_drawn_with_the_packaged_font(tmp_path):
    with charts.style("zh"):
        fig = Figure()
        ax = fig.subplots()
        ax.set_title("目标时限内响应率")
        ax.set_xlabel("响应时间（分钟）")
    for text in (ax.title, ax.xaxis.label):
        assert Path(font_manager.findfont(text.get_fontproperties())) == fonts.cjk_font_path()
    png, pdf = charts.save(fig, tmp_path / "sub" / "title.zh")
    assert (png.name, pdf.name) == ("title.zh.png", "title.zh.pdf")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and b"NotoSansSC" in data  # the CJK font is embedded


def test_figure_check_refuses_a_glyph_no_font_has():
    with charts.style("zh"):
        fig = Figure()
        fig.subplots().set_title("图\ue000")
    with pytest.raises(RuntimeError, match=r"U\+E000"):
        charts.check_figure_glyphs(fig)
