"""Homes that open on a date: a regional centre's beds join the bed service (in SimPy).

A mix-in of `sim.model.beds.BedService`, beside the closures of `sim.model.closures`: a
township regional elderly-care centre 镇区域养老服务中心 (policy-docs/001 农村方案 二(一)2, 全托)
has no residents at the start and is closed until its opening day; on that day it opens, its
beds and staff count from then (open days, bed days, staff days), and the waiting list is served
at once, the nearest suitable home first as always.
"""

from __future__ import annotations

import numpy as np


class Openings:
    """Dated openings of homes; uses the bed service's state and bookkeeping."""

    def _openings(self, open_day: np.ndarray):
        days = np.asarray(open_day, dtype=float)
        for day in np.unique(days[(days > 0) & (days < self.horizon)]):
            if day > self.env.now:
                yield self.env.timeout(day - self.env.now)
            self._accrue()
            self.open[days == day] = True
            self._serve_waiting()
