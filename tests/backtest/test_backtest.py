"""Back tests: the engine against stored results of fixed seeds.

* ``pre_change/``: every preset x policy as the engine computed them before the
  contention-stage redesign (issue 12).  A KPI of today's engine must agree with
  them within the combined 95% interval of the two sets of replications (Welch),
  unless ``KNOWN_SHIFTS`` names it with the semantic reason.
* ``pinned/``: today's engine, exactly.  Regenerate deliberately, never casually:
  ``python -m tests.backtest.cases --pinned tests/backtest/data/pinned``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.backtest.cases import PINNED, REPLICATIONS, SEED, cases

DATA = Path(__file__).parent / "data"
# kpi -> why the redesign moved it (quoted in the closing note)
KNOWN_SHIFTS: dict[str, str] = {
    "helper_utilisation_homecare_worker": (
        "under the time bank only: the old engine held claims on a paid worker's whole window of 32 "
        "sessions until its stretch ended, which kept volunteers off sessions the worker would reach "
        "later that week; now only the planned sessions are held, so volunteers take some of them and "
        "paid workers are idle 0.4-0.7 pp more of their shift (unmet hours unchanged within intervals)"),
}


def _run(overrides: list[str], replications: int) -> pd.DataFrame:
    import sim

    return sim.run(overrides, replications=replications, seed=SEED, workers=1).runs


def outside_interval(old: pd.DataFrame, new: pd.DataFrame) -> dict[str, tuple[float, float, float]]:
    """KPIs whose means differ by more than the combined 95% interval: kpi -> (old, new, half-width)."""
    bad = {}
    for kpi in old.columns.drop(["replication", "seed"]):
        a, b = old[kpi].to_numpy(float), new[kpi].to_numpy(float)
        if np.isnan(a).all() and np.isnan(b).all():
            continue
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        if len(a) < 2 or len(b) < 2:
            ma, mb = (x.mean() if len(x) else np.nan for x in (a, b))
            if not np.allclose(ma, mb, equal_nan=True):
                bad[kpi] = (ma, mb, 0.0)
            continue
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)) if se > 0 else 1.0
        half = stats.t.ppf(0.975, df) * se
        tol = 1e-9 * max(1.0, abs(a.mean()))
        if abs(a.mean() - b.mean()) > half + tol:
            bad[kpi] = (float(a.mean()), float(b.mean()), float(half))
    return bad


@pytest.mark.slow
@pytest.mark.parametrize(("name", "overrides"), cases(), ids=[c[0] for c in cases()])
def test_kpis_agree_with_the_engine_before_the_redesign(name, overrides):
    old = pd.read_csv(DATA / "pre_change" / f"{name}.csv")
    new = _run(overrides, REPLICATIONS)
    assert set(old.columns) <= set(new.columns), f"KPIs gone: {set(old.columns) - set(new.columns)}"
    bad = {k: v for k, v in outside_interval(old, new[old.columns]).items() if k not in KNOWN_SHIFTS}
    assert not bad, f"{name}: KPIs outside the combined 95% interval (old, new, half-width): {bad}"


@pytest.mark.parametrize(("name", "overrides"), PINNED, ids=[c[0] for c in PINNED])
def test_engine_reproduces_its_pinned_results_exactly(name, overrides):
    pinned = pd.read_csv(DATA / "pinned" / f"{name}.csv")
    new = _run(overrides, len(pinned))
    pd.testing.assert_frame_equal(new[pinned.columns].reset_index(drop=True), pinned,
                                  check_dtype=False, rtol=1e-12, atol=0)


def test_interval_check_flags_a_real_shift_and_passes_noise():
    rng = np.random.default_rng(0)
    old = pd.DataFrame({"replication": range(4), "seed": 0, "k": rng.normal(10, 1, 4)})
    same = old.assign(k=rng.normal(10, 1, 4))
    moved = old.assign(k=old["k"] + 10)
    assert outside_interval(old, same) == {}
    assert set(outside_interval(old, moved)) == {"k"}
