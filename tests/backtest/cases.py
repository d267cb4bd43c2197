"""The back-test cases: every county preset x every policy, a few replications, short horizons.

``python -m tests.backtest.cases OUT_DIR`` runs them and writes one ``<case>.csv``
of per-replication KPIs each (``tests/backtest/data/pre_change`` holds the engine's
results before the contention-stage redesign; regenerate only deliberately); with
``--pinned`` it writes the small exact pins of today's engine instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

PRESETS = ("plain", "hill", "qinshui")
POLICIES = ("baseline", "emergency_15min", "canteens", "time_bank", "consolidation")
REPLICATIONS = 4
SEED = 11


def horizon(policy: str) -> int:
    return 730 if policy == "consolidation" else 365    # two consolidation stages fall in two years


def overrides(county: str, policy: str) -> list[str]:
    return [f"county={county}", f"policy=[{policy}]", f"run.horizon_days={horizon(policy)}", "report=none"]


def cases() -> list[tuple[str, list[str]]]:
    return [(f"{c}-{p}", overrides(c, p)) for c in PRESETS for p in POLICIES]


# the exact pin of today's engine: small, every service on, in the default suite
PINNED = [("plain-all", ["county=plain", "policy=[canteens,emergency_15min,time_bank]",
                         "run.horizon_days=365", "report=none"]),
          ("hill-consolidation", ["county=hill", "policy=[consolidation]", "run.horizon_days=400",
                                  "report=none"])]
PINNED_REPLICATIONS = 2


def main(out: str, pinned: bool = False) -> None:
    import sim

    Path(out).mkdir(parents=True, exist_ok=True)
    chosen = PINNED if pinned else cases()
    for name, ov in chosen:
        res = sim.run(ov, replications=PINNED_REPLICATIONS if pinned else REPLICATIONS, seed=SEED,
                      workers=1)
        res.runs.to_csv(Path(out) / f"{name}.csv", index=False, float_format="%.17g")
        print(name, flush=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--pinned"]
    main(args[0], pinned="--pinned" in sys.argv)
