"""Every distribution family draws with its configured mean and sd."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config.services import Dist
from sim.model.distributions import mean, sample

N = 200_000
Z = 4.0


@pytest.mark.parametrize("d,sd", [
    (Dist("exponential", 5.0), 5.0),
    (Dist("lognormal", 10.0, 4.0), 4.0),
    (Dist("gamma", 3.0, 1.5), 1.5),
    (Dist("empirical", values=[1.0, 2.0, 6.0]), np.std([1.0, 2.0, 6.0])),
])
def test_mean_and_sd(d: Dist, sd: float):
    x = sample(d, np.random.default_rng(0), N)
    assert abs(x.mean() - mean(d)) < Z * sd / np.sqrt(N)
    # sd of the sample sd ~ sd * sqrt((kurtosis - 1) / 4N): allow 5% for these light tails
    assert abs(x.std() - sd) < 0.05 * sd
    assert np.all(x >= 0)


def test_deterministic_and_degenerate():
    rng = np.random.default_rng(1)
    assert np.all(sample(Dist("deterministic", 2.5), rng, 10) == 2.5)
    assert np.all(sample(Dist("lognormal", 2.5, 0.0), rng, 10) == 2.5)
    assert np.all(sample(Dist("exponential", 0.0), rng, 10) == 0.0)
    assert set(sample(Dist("empirical", values=[3.0, 7.0]), rng, 1000)) == {3.0, 7.0}


@settings(max_examples=30, deadline=None)
@given(family=st.sampled_from(["exponential", "lognormal", "gamma", "deterministic"]),
       m=st.floats(0.1, 1000), cv=st.floats(0.05, 2.0), seed=st.integers(0, 2**32 - 1))
def test_draws_are_finite_nonnegative_and_reproducible(family, m, cv, seed):
    d = Dist(family, m, m * cv)
    a = sample(d, np.random.default_rng(seed), 500)
    b = sample(d, np.random.default_rng(seed), 500)
    assert np.array_equal(a, b)
    assert np.all(np.isfinite(a)) and np.all(a >= 0)
