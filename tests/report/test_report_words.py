"""One table of words: every phrase in both languages with the same fields, each KPI once, and no
report module keeping a table or a `_t` helper of its own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import sim.report
from sim.report import labels, words

FIELDS = string.Formatter()


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in FIELDS.parse(text) if name}


def test_every_phrase_has_both_languages_with_the_same_fields():
    for key, (zh, en) in words.PHRASES.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key
        bare = re.sub(r"\{[^}]*\}", "", zh)  # the Chinese side is Chinese, or only fields and signs
        assert re.search(r"[\u4e00-\u9fff]", bare) or not re.search(r"[A-Za-z]{4,}", bare), key


def test_phrases_are_filled_in():
    assert labels.phrase("page.figure", "zh", n=3) == "图3"
    assert labels.phrase("page.figure", "en", n=3) == "Figure 3"


def test_each_kpi_label_once():
    """Two KPIs sharing a name would read as one on a chart."""
    for lang in (0, 1):
        names = [row[lang] for row in words.KPI_LABELS.values()]
        assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]


def test_totals_say_their_horizon():
    assert labels.label("cost_total_yuan", "zh", 1095) == "总成本（3年合计）"
    assert labels.label("cost_total_yuan", "en", 3652) == "Total cost, 10-year total"
    assert labels.label("meals_unmet_share", "en", 1095) == "Meals unmet"  # a share is no total
    assert labels.label("visits_missed", "zh", 365) == "未探访人次（1年合计）"
    assert all(k in words.KPI_LABELS for k in words.TOTAL_KPIS)


def test_report_modules_keep_no_words_of_their_own():
    root = Path(sim.report.__file__).parent
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
                 if isinstance(t, ast.Name)}
        assert "_TEXT" not in names, path.name
        defs = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        if path.name not in ("labels.py", "headline.py", "page.py", "terminal.py"):
            assert "_t" not in defs, path.name
    # the few thin `_t` wrappers left only prefix their module's keys in the one table
    for name in ("headline.py", "page.py", "terminal.py"):
        assert "phrase(f\"" in (root / name).read_text(encoding="utf-8")


def test_every_phrase_key_used_exists():
    root = Path(sim.report.__file__).parent
    used = set()
    for path in root.glob("*.py"):
        used |= set(re.findall(r'phrase\("([a-z_]+\.[a-z_0-9]+)"', path.read_text(encoding="utf-8")))
    assert used <= set(words.PHRASES), sorted(used - set(words.PHRASES))


def test_townships_read_like_their_homes():
    assert labels.township_label("Township 4", "zh") == "四乡"
    assert labels.township_label("Township 12", "zh") == "十二乡"
    assert labels.township_label("Township 4", "en") == "Township 4"
    assert labels.township_label("城关镇", "zh") == "城关镇"
