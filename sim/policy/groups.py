"""Target groups as conditions on the elders' arrays: AND within a group, OR across groups.

Documents name their target groups as conjunctions: Qinshui's wearables go to
left-behind elders who are partially or fully dependent (留守失能半失能,
policy-docs/002 三(五)); Xianyang's love canteens serve elders who cannot look
after themselves *and* are solitary or empty-nest, severely disabled elders
with no one to care for them, poor households' dependent left-behind elders
(policy-docs/000).  A condition is a vectorised test on the elders; a group is
the AND of its conditions.
"""

from __future__ import annotations

import numpy as np

from sim.config.services import ELDER_CONDITIONS
from sim.population.elders import Elders

AGE_80_MONTHS = 80 * 12


def condition(elders: Elders, idx: np.ndarray, name: str) -> np.ndarray:
    """Whether each elder ``idx`` meets the condition ``name`` (one of ELDER_CONDITIONS)."""
    if name == "age_80_plus":
        return elders.age_months[idx] >= AGE_80_MONTHS
    if name == "dependent":
        return elders.adl[idx] > 0
    if name == "fully_dependent":
        return elders.adl[idx] == 2
    if name in ("solitary", "empty_nest", "left_behind"):
        return elders.living[idx] == ("solitary", "empty_nest", "left_behind").index(name)
    if name == "special_hardship":
        return elders.economic[idx] == 0
    if name == "low_income":                 # 特困 or 低保: economically difficult 经济困难
        return elders.economic[idx] <= 1
    raise ValueError(f"unknown condition {name!r}; one of {ELDER_CONDITIONS}")


def all_of(elders: Elders, idx: np.ndarray, names) -> np.ndarray:
    """Whether each elder ``idx`` meets every condition of ``names`` (an empty group: nobody)."""
    names = list(names)
    if not names:
        return np.zeros(len(idx), dtype=bool)
    ok = np.ones(len(idx), dtype=bool)
    for name in names:                       # a loop over a group's few conditions, arrays within
        ok &= condition(elders, idx, name)
    return ok


def any_group(elders: Elders, idx: np.ndarray, groups) -> np.ndarray:
    """Whether each elder ``idx`` belongs to at least one group (each an AND of conditions)."""
    ok = np.zeros(len(idx), dtype=bool)
    for names in groups:
        ok |= all_of(elders, idx, names)
    return ok
