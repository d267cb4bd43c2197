"""Open a briefing in headless Chromium: a screenshot, and what the browser saw.

Used by the tests (``tests/report/test_report_browser.py``) and by hand::

    python -m sim.report.browser results/.../briefing/briefing.html     # writes briefing.png beside it

`inspect` loads a copy of the page with a small probe appended (the page itself has no
script) and returns every image's load state, the resources the page fetched (Resource Timing),
the fonts it used and its visible text; Chromium's network log lists every URL requested, so a
request outside the file is seen even if the probe missed it.  Needs Debian's ``chromium``
(``apt-get install -y chromium``); `chromium_path` is None without it.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-default-apps", "--mute-audio")
PROBE = """<script>
window.addEventListener('load', () => {
  const images = [...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0,
                                                 width: i.naturalWidth, src: i.src.slice(0, 40)}));
  const resources = performance.getEntriesByType('resource').map(e => e.name.slice(0, 300));
  document.fonts.ready.then(() => {
    const fonts = [...document.fonts].map(f => ({family: f.family, status: f.status}));
    const probe = document.createElement('pre');
    probe.id = '__probe__';
    probe.textContent = JSON.stringify({images, resources, fonts, text: document.body.innerText});
    document.body.appendChild(probe);
  });
});
</script>"""
EXTERNAL = re.compile(r"^(https?|wss?|ftp)://", re.I)
# Chromium's own background traffic (updates, time, accounts), not the page's: the network log
# shows it even with --disable-background-networking.
BROWSER_HOSTS = re.compile(r"^(https?|wss?)://([^/]+\.)?(google\.com|googleapis\.com|gvt1\.com|"
                           r"gstatic\.com|googleusercontent\.com)(:\d+)?/", re.I)


def chromium_path() -> str | None:
    """The Chromium (or Chrome) executable on the PATH, or None."""
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    exe = chromium_path()
    if exe is None:
        raise FileNotFoundError("no Chromium on the PATH (Debian: apt-get install -y chromium)")
    return subprocess.run([exe, *FLAGS, *args], capture_output=True, text=True, timeout=timeout)


def screenshot(page: str | Path, png: str | Path | None = None, width: int = 1200, height: int = 1600,
               timeout: float = 120) -> Path:
    """A PNG of the top ``width`` x ``height`` pixels of ``page`` (default: beside it)."""
    page = Path(page).resolve()
    png = Path(png) if png is not None else page.with_suffix(".png")
    with tempfile.TemporaryDirectory() as profile:
        _run([f"--user-data-dir={profile}", f"--window-size={width},{height}", "--virtual-time-budget=5000",
              f"--screenshot={png.resolve()}", page.as_uri()], timeout)
    if not png.is_file():
        raise RuntimeError(f"Chromium wrote no screenshot of {page}")
    return png


def inspect(page: str | Path, timeout: float = 120) -> dict:
    """What Chromium saw opening ``page``: ``images`` (ok, width, src), ``resources`` (URLs the
    page fetched), ``requests`` (every URL in the network log), ``fonts`` and ``text``."""
    page = Path(page).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / page.name
        copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>", 1),
                        encoding="utf-8")
        netlog = Path(tmp) / "netlog.json"
        proc = _run([f"--user-data-dir={Path(tmp) / 'profile'}", "--virtual-time-budget=5000",
                     f"--log-net-log={netlog}", "--net-log-capture-mode=Default", "--dump-dom",
                     copy.as_uri()], timeout)
        m = re.search(r'<pre id="__probe__">(.*?)</pre>', proc.stdout, re.S)
        if m is None:
            raise RuntimeError(f"Chromium did not run the page's probe (exit {proc.returncode}): "
                               f"{proc.stderr.strip()[-500:]}")
        seen = json.loads(html_lib.unescape(m.group(1)))
        log = netlog.read_text(encoding="utf-8", errors="replace") if netlog.exists() else ""
    urls = sorted(set(re.findall(r'"url":"([^"]+)"', log)))
    seen["requests"] = urls
    page_urls = [u for u in urls if not BROWSER_HOSTS.match(u)] + seen["resources"]
    seen["external"] = sorted({u for u in page_urls if EXTERNAL.match(u)})
    seen["fetched"] = sorted(set(seen["resources"]))  # anything the page loaded that is not inside it
    return seen


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m sim.report.browser BRIEFING.html [OUT.png]", file=sys.stderr)
        return 2
    print(screenshot(args[0], args[1] if len(args) > 1 else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["chromium_path", "inspect", "screenshot"]
