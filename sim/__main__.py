"""``python -m sim [overrides]``: run a scenario composed from ``configs/``."""

from sim.experiment.app import main

if __name__ == "__main__":
    main()
