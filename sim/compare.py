"""``python -m sim.compare DIR_A DIR_B ...``: paired comparison of finished scenarios.

Writes ``comparison.csv`` (``--out``) and prints the table; the first directory
is the reference the differences are taken to.
"""

from __future__ import annotations

import argparse
import sys

from sim.config.errors import UserInputError
from sim.experiment.compare import compare_dirs, format_comparison


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.compare", description=__doc__)
    parser.add_argument("dirs", nargs="+",
                        help="run directories (a sweep directory stands for its finished jobs); "
                             "the first is the reference")
    parser.add_argument("--out", default="comparison.csv", help="CSV to write (default: %(default)s)")
    parser.add_argument("--kpi", action="append", help="only these KPIs in the printed table")
    args = parser.parse_args(argv)
    try:
        table = compare_dirs(args.dirs, args.out)
    except (UserInputError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_comparison(table, args.kpi))
    print(f"written: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
