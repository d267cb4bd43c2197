"""The briefing in a real browser (headless Chromium): every image loads, nothing is fetched from
outside the file, the text holds the headline; a screenshot is written next to the briefing.
`.ci/run` installs Debian's chromium when it is missing; without it these tests are skipped."""

from __future__ import annotations

import re
from html import unescape

import pytest

from sim.report import browser

pytestmark = pytest.mark.skipif(browser.chromium_path() is None,
                                reason="needs Chromium (apt-get install -y chromium; .ci/run does)")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_briefing_opens_whole_in_chromium(plain_briefings, lang):
    folder = plain_briefings[lang]
    page = folder / "briefing.html"
    seen = browser.inspect(page)
    html = page.read_text(encoding="utf-8")
    assert len(seen["images"]) == html.count("<img ") > 5
    assert all(i["ok"] and i["width"] > 100 for i in seen["images"]), seen["images"]
    assert seen["external"] == [] and seen["fetched"] == []
    assert {"family": "Briefing Noto Sans SC", "status": "loaded"} in seen["fonts"]
    headline = re.search(r'<section class="headline" id="headline">.*?<li>(.*?)</li>', html, re.S).group(1)
    assert unescape(headline) in seen["text"]
    shot = browser.screenshot(page, folder / f"briefing_{lang}.png", height=1400)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_the_check_sees_an_external_request_and_a_broken_image(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>hi</p>'
        '<img src="http://127.0.0.1:9/x.png"><img src="missing.png"></body></html>',
        encoding="utf-8",
    )
    seen = browser.inspect(page)
    assert seen["external"] == ["http://127.0.0.1:9/x.png"]
    assert [i["ok"] for i in seen["images"]] == [False, False]
