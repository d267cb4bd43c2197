"""Where each default comes from: the comment beside every key of the YAML files in ``configs/``.

Each value in ``configs/`` carries its source on its line (a CALIBRATION.md row, a policy-document
section, or ``[A]`` with a reason).  `config_comments` reads them back by config path
(``services.emergency.fall_rate``, ``county.travel.car_kmh_hill``); the model report
(``python -m sim.report --stress``) quotes them and the uncertainty tests check that every ``[A]``
has a range or a reason.  Keys of list items written as flow mappings (``- {name: ...}``) belong
to their list's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sim.config.defaults import CONFIG_DIR

_KEY = re.compile(r"^(\s*)(- )?([A-Za-z_]\w*):")
_ITEM = re.compile(r"^(\s*)- \{")
SKIPPED_GROUPS = ("experiment", "hydra")


@dataclass(frozen=True)
class Comment:
    """The comment on the line of a config key."""

    file: str      # relative to configs/, e.g. services/default.yaml
    path: str      # config path, e.g. services.emergency.fall_rate
    text: str      # the comment, without '#'

    @property
    def assumption(self) -> bool:
        return "[A]" in self.text


def _comment(line: str) -> str:
    """The text after the first '#' outside quotes ('' when none)."""
    quote = None
    for i, c in enumerate(line):
        if c in "\"'" and quote in (None, c):
            quote = None if quote == c else c
        elif c == "#" and quote is None:
            return line[i + 1:].strip()
    return ""


def file_comments(path: Path, relpath: str) -> list[Comment]:
    """The comments of the keys of one YAML file (keys without a comment are left out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    package = next((ln.split()[-1] for ln in lines if ln.startswith("# @package")), path.parent.name)
    stack: list[tuple[int, str]] = []
    out = []
    for line in lines:
        m, item = _KEY.match(line), _ITEM.match(line)
        if m is None and item is None:
            continue
        indent = len((m or item).group(1))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        keys = [k for _, k in stack]
        if m is not None and m.group(2) is None:
            stack.append((indent, m.group(3)))
            keys = keys + [m.group(3)]
        text = _comment(line)
        if text:
            out.append(Comment(relpath, ".".join([package] + keys), text))
    return out


def config_comments(config_dir: Path = CONFIG_DIR) -> list[Comment]:
    """Every commented key of every group file (not experiments or Hydra's own), file by file."""
    out = []
    for path in sorted(config_dir.glob("*/*.yaml")):
        if path.parent.name in SKIPPED_GROUPS:
            continue
        out += file_comments(path, path.relative_to(config_dir).as_posix())
    return out


__all__ = ["Comment", "config_comments", "file_comments"]
