"""The plain-text table every benchmark script prints."""

from __future__ import annotations


def print_table(title: str, rows: list[tuple[str, str]], rule: int = 40) -> None:
    """``title``, then one aligned ``label  value`` line per row between two rules."""
    width = max(len(k) for k, _ in rows)
    print(title)
    print("-" * (width + rule))
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print("-" * (width + rule))
    print("Figures are machine-dependent: compare ratios measured in one run.")
