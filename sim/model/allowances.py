"""Monthly counts behind the budget lines that follow people, not services (NumPy, demand stage).

What is counted, each month, among the elders alive at its start:

- the two allowances 两项补贴 (policy-docs/002 三(五)): economically difficult
  elders (经济困难: 特困 special hardship or 低保 minimum living) aged 80+ (高龄补贴)
  and those who are disabled (失能补贴: ADL state at least ``disabled_min_adl``,
  2 = fully dependent 失能 by default, 1 adds the partially dependent 半失能);
- elders holding a one-key-call device (its monthly service fee), and in month 0
  the devices a policy handed out (their purchase).

Amounts are in `sim.kernels.costs`; this hook only counts, so one count serves
any amount swept later.  Nursing-home residents keep their allowances [A].
"""

from __future__ import annotations

import numpy as np

from sim.population.elders import Elders

ALLOWANCE_DTYPE = np.dtype([("month", np.int32), ("age80_poor", np.int64), ("disabled_poor", np.int64),
                            ("devices", np.int64), ("devices_handed_out", np.int64)])
AGE_80_MONTHS = 80 * 12
LOW_INCOME_MAX = 1          # economic codes 0 特困, 1 低保 (sim.population.elders.ECONOMIC)


class AllowanceDemand:
    """A monthly hook: counts of allowance recipients and device holders."""

    def __init__(self, disabled_min_adl: int = 2, devices_handed_out: int = 0):
        self.disabled_min_adl = disabled_min_adl
        self.devices_handed_out = devices_handed_out     # by a policy at the start (bought in month 0)
        self.rows: list[tuple[int, int, int, int, int]] = []

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        poor = elders.economic[alive] <= LOW_INCOME_MAX
        old = elders.age_months[alive] >= AGE_80_MONTHS
        disabled = elders.adl[alive] >= self.disabled_min_adl
        self.rows.append((month, int((poor & old).sum()), int((poor & disabled).sum()),
                          int(elders.device[alive].sum()), self.devices_handed_out if month == 0 else 0))

    def table(self) -> np.ndarray:
        """The counts as a record array, one row a month."""
        out = np.zeros(len(self.rows), dtype=ALLOWANCE_DTYPE)
        if self.rows:
            cols = list(zip(*self.rows))
            for name, values in zip(ALLOWANCE_DTYPE.names, cols):
                out[name] = values
        return out
