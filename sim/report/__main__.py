"""``python -m sim.report DIR [DIR ...] [--lang zh|en] [--out OUT] [--dpi N] [--workers N]``: a briefing
from saved runs.
``python -m sim.report --stress DIR [--out FILE]``: a STRESS-DES model description of one run
(`sim.report.stress`; default ``DIR/stress.md``).

Each DIR is a finished scenario written by ``python -m sim`` or `sim.experiment.store.write_results`,
or a sweep directory (``python -m sim -m ...``), which stands for its finished jobs;
the first is the reference the others are compared with.  The briefing goes to OUT (default
``briefing`` in the current directory) and the path of its ``briefing.html`` is printed.  A
directory that is not a finished run, or scenarios that are not comparable, end the program
with exit status 2 and a one-line ``error: ...`` message, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.config.errors import UserInputError
from sim.experiment.store import load
from sim.experiment.sweep import expand
from sim.report.briefing import build_briefing
from sim.report.labels import LANGS


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m sim.report",
        description="Build a briefing (charts, comparison.csv, briefing.html, briefing.pdf) from "
                    "finished runs; the first DIR is the reference scenario.")
    p.add_argument("dirs", nargs="*", metavar="DIR", help="result directories of finished runs")
    p.add_argument("--stress", metavar="DIR", help="write a STRESS-DES model description of the run in DIR "
                                                   "(to --out if given, else DIR/stress.md) instead")
    p.add_argument("--lang", choices=LANGS, default="zh", help="language of labels and text (default zh)")
    p.add_argument("--out", help="output directory (default ./briefing); with --stress, the file")
    p.add_argument("--dpi", type=int, default=150, help="resolution of the PNG charts (default 150)")
    p.add_argument("--workers", type=int, default=1,
                   help="processes writing the chart files (default 1; 0: one per core); the same files")
    return p


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _one_line(exc: UserInputError) -> str:
    problems = "; ".join(str(p) for p in exc.problems)
    return f"{exc.title}: {problems}" if problems else exc.title


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status (0, or 2 for a user's mistake)."""
    args = _parser().parse_args(argv)
    if args.stress:
        return _stress(args.stress, args.out)
    if not args.dirs:
        return _fail("give the result directories to brief on (or --stress DIR)")
    results = []
    for d in expand(args.dirs):  # a sweep directory stands for its done jobs
        path = Path(d)
        if not path.is_dir():
            return _fail(f"{d}: no such directory")
        try:
            results.append(load(path))
        except FileNotFoundError as exc:
            return _fail(str(exc))
        except (OSError, ValueError) as exc:
            return _fail(f"{d}: cannot read the run ({type(exc).__name__}: {exc})".replace("\n", " "))
    try:
        page = build_briefing(results, args.out or "briefing", lang=args.lang, dpi=args.dpi,
                              workers=args.workers)
    except UserInputError as exc:
        return _fail(_one_line(exc))
    print(page)
    return 0


def _stress(directory: str, out: str | None) -> int:
    from sim.report.stress import write_stress

    path = Path(directory)
    if not path.is_dir():
        return _fail(f"{directory}: no such directory")
    try:
        results = load(path)
    except (FileNotFoundError, OSError, ValueError) as exc:
        return _fail(f"{directory}: cannot read the run ({type(exc).__name__}: {exc})".replace("\n", " "))
    if not hasattr(results, "manifest"):
        return _fail(f"{directory}: a sweep; give one of its runs")
    print(write_stress(results, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
