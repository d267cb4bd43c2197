"""Sizing and selection arithmetic: penalties by relative miss, and Kim-Nelson selection on cases with a
known best (independent normal designs under common random numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.experiment.select import kn
from sim.kernels.selection import kn_constants, kn_screen, kn_variances, penalised, relative_misses


def test_misses_are_relative_and_one_sided():
    kpis = np.array([[0.85, 45.0], [0.95, 20.0], [np.nan, 30.0]])
    miss = relative_misses(kpis, np.array([0.9, 30.0]), np.array([True, False]))
    assert miss[0] == pytest.approx([0.05 / 0.9, 0.5])
    assert np.all(miss[1] == 0) and np.all(miss[2] == 0)         # met, or no observation
    value, _ = penalised(np.array([10.0, 20.0, 30.0]), kpis, np.array([0.9, 30.0]),
                         np.array([True, False]), penalty=100.0)
    assert value == pytest.approx([10.0 + 100.0 * (0.05 / 0.9 + 0.5), 20.0, 30.0])


def test_kn_constants_match_kim_nelson():
    eta, h2 = kn_constants(k=4, n0=10, alpha=0.05)
    assert eta == pytest.approx(0.5 * ((2 * 0.05 / 3) ** (-2 / 9) - 1))
    assert h2 == pytest.approx(2 * eta * 9)


def test_screening_uses_the_variance_of_differences():
    """Common random numbers: two designs whose difference never varies are told apart at once."""
    noise = np.random.default_rng(0).normal(0, 100.0, 10)
    first = np.column_stack([noise, noise + 1.0])                # design 1 always better by exactly 1
    s2 = kn_variances(first)
    assert s2[0, 1] == pytest.approx(0.0, abs=1e-18)
    alive = kn_screen(first.mean(axis=0), s2, 10, delta=0.5, h2=kn_constants(2, 10, 0.05)[1],
                      alive=np.ones(2, bool))
    assert alive.tolist() == [False, True]


def _normal_designs(means, sd, seed, shared=0.8):
    """draw(designs, reps): normal observations with a common part per replication (common random numbers)."""
    means = np.asarray(means, dtype=float)

    def draw(designs, reps):
        out = []
        for r in reps:
            rng = np.random.default_rng([seed, r])
            common, own = rng.normal(), rng.normal(size=len(means))
            x = means + sd * (np.sqrt(shared) * common + np.sqrt(1 - shared) * own)
            out.append(x[designs])
        return np.array(out)

    return draw


@pytest.mark.parametrize("seed", range(20))
def test_kn_finds_the_known_best(seed: int):
    """Slippage configuration: the best is better than the rest by delta; KN must pick it (PCS >= 95%;
    with these 20 seeds it picks it every time)."""
    result = kn(_normal_designs([0.0, 0.0, 0.0, 0.5, 0.0], sd=1.0, seed=seed), k=5, n0=10, alpha=0.05,
                delta=0.5, max_replications=1000)
    assert result.selected == 3


def test_kn_reports_designs_it_cannot_tell_apart():
    """Two identical designs and a budget far below what delta asks: no selection, both left."""
    result = kn(_normal_designs([1.0, 1.0, -5.0], sd=1.0, seed=1), k=3, n0=5, alpha=0.05, delta=0.2,
                max_replications=12)
    assert result.selected is None
    assert result.alive.tolist() == [True, True, False]
    assert result.eliminated_at[2] >= 5


def test_kn_stops_at_its_last_stage_with_a_design_within_delta():
    """Identical designs and a delta far above the noise: the first stage already exceeds max N, so KN
    stops there with both in contention and takes the better mean (within delta of the best, as allowed)."""
    result = kn(_normal_designs([2.0, 2.0], sd=1.0, seed=3), k=2, n0=5, alpha=0.05, delta=10.0,
                max_replications=1000)
    assert result.last_stage <= 5 and result.stages == 5
    assert result.alive.all()
    assert result.selected == int(np.argmax(result.means))
