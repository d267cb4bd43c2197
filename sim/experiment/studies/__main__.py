"""``python -m sim.experiment.studies STUDY DIR``: a study's summary from a finished run or sweep."""

from __future__ import annotations

import argparse
import sys

from sim.config.errors import UserInputError
from sim.experiment.studies import STUDIES, summarise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.experiment.studies", description=__doc__)
    parser.add_argument("study", choices=sorted(STUDIES))
    parser.add_argument("dir", help="the study's run directory (main job) or sweep directory")
    parser.add_argument("--main", default=None, help="name of the main scenario in the tables")
    args = parser.parse_args(argv)
    try:
        summarise(args.study, args.dir, args.main)
    except (UserInputError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
