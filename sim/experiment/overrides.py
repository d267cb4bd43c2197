"""Overrides written as people write them: Chinese values need no quotes.

Hydra's override grammar builds unquoted values from ASCII letters, digits and a
few symbols (``ID: [a-zA-Z_][a-zA-Z0-9_-]*`` in ``OverrideLexer.g4``), so
``county.name_zh=石门县`` or ``county.source=D:/台账/石门县`` fail with a lexer
error unless the value is quoted.  `quote_non_ascii` quotes such a plain value
before Hydra parses it; values using Hydra's own syntax (already quoted, sweeps
``a,b``, lists, dicts, interpolations, functions) are left as written.
"""

from __future__ import annotations

import re

_SYNTAX = re.compile(r"""['"\[\]{}(),]|\$\{""")  # quoting, lists, dicts, sweeps, functions


def quote_non_ascii(override: str) -> str:
    """``key=value`` with a non-ASCII plain ``value`` as ``key='value'``; anything else as is."""
    if override.startswith("-") or "=" not in override:
        return override
    key, value = override.split("=", 1)
    if value.isascii() or _SYNTAX.search(value) or value.endswith("\\"):
        return override
    return f"{key}='{value}'"


def quote_all(overrides: list[str]) -> list[str]:
    return [quote_non_ascii(o) for o in overrides]
