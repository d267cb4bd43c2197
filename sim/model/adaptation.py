"""A home-adaptation programme 适老化改造 over time (NumPy, demand stage; policy-docs/001 (二)3, 000).

Each step plans ``homes`` adaptations over the 12 months from its day, scaled to
the county's elders by ``reference_elders`` (a city plan applied to one county
[D]), spread evenly over the months [A].  Each month the programme adapts that
many homes among the living elders who qualify (any group of AND-ed conditions)
and are not yet adapted, at random [A] from its own stream; an adapted home
lowers the elder's fall rate from then on (``services.emergency
.adaptation_fall_mult``, read by the emergency demand the same month, so this
hook runs first).  Elders already in a nursing home are not excluded [A].
"""

from __future__ import annotations

import numpy as np

from sim.policy.groups import any_group
from sim.population.demography import MONTH_DAYS
from sim.population.elders import Elders

ADAPTATION_DTYPE = np.dtype([("month", np.int32), ("homes", np.int64), ("qualifying", np.int64)])


class AdaptationProgramme:
    """A monthly hook: homes adapted this month (``table()`` one row a month)."""

    def __init__(self, policy, step_days: list[float], county_elders: float, rng: np.random.Generator):
        self.p, self.rng = policy, rng
        scale = county_elders / policy.reference_elders if policy.reference_elders > 0 else 1.0
        self.steps = [(day, step.homes * scale) for day, step in zip(step_days, policy.steps)]
        self.planned = 0.0                       # cumulative homes planned (fractional)
        self.done = 0
        self.rows: list[tuple[int, int, int]] = []

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        if not self.p.enabled:
            return
        t = month * MONTH_DAYS
        self.planned += sum(homes / 12.0 for day, homes in self.steps
                            if day <= t + 1e-9 < day + 12 * MONTH_DAYS)
        want = int(np.floor(self.planned + 1e-9)) - self.done
        pool = alive[any_group(elders, alive, [g.all_of for g in self.p.qualify]) & ~elders.adapted[alive]]
        take = pool[self.rng.permutation(len(pool))[: max(want, 0)]] if want > 0 else pool[:0]
        elders.adapted[take] = True
        self.done += len(take)
        self.rows.append((month, len(take), len(pool)))

    def table(self) -> np.ndarray:
        out = np.zeros(len(self.rows), dtype=ADAPTATION_DTYPE)
        if self.rows:
            for name, values in zip(ADAPTATION_DTYPE.names, zip(*self.rows)):
                out[name] = values
        return out
