"""Helpers every benchmark script shares: timing one call, printing the table."""

from __future__ import annotations

import gc
import time


def print_table(title: str, rows: list[tuple[str, str]], rule: int = 40) -> None:
    """``title``, then one aligned ``label  value`` line per row between two rules."""
    width = max(len(k) for k, _ in rows)
    print(title)
    print("-" * (width + rule))
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    print("-" * (width + rule))
    print("Figures are machine-dependent: compare ratios measured in one run.")


def timed(fn, *args):
    """(seconds, result) of one call, after a garbage collection."""
    gc.collect()
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def timed_cpu(fn, *args):
    """(wall seconds, CPU seconds of this process, result) of one call, after a garbage collection:
    on a shared machine the CPU time (``time.process_time``) moves less with the others' load."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)
    return time.perf_counter() - t0, time.process_time() - c0, out
