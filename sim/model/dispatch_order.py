"""Who the dispatcher sends: the first free unit in a fixed order of preference per village.

The order is the dispatch rule made static: by travel minutes from the unit's
base to the village (``nearest_available``), or by responder type first and
then travel minutes (``type_order``), ties to the lower unit index.  Walking
that order and taking the first unit that is on shift and not busy gives the
same unit as taking the nearest (or first-type-then-nearest) of all free units.
The order is built lazily, only for villages that call; only its head is
walked in Python; when every unit of the head is taken, the choice falls back
to one NumPy pass over all candidates.  Which units are on shift is piecewise
constant in the hour of the day and the weekday, so the mask is cached per
(weekday, hour segment between shift boundaries).
"""

from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np

from sim.model.responders import Responders

HEAD = 8   # units of each village's order walked in Python before the NumPy fallback


class DispatchOrder:
    """The first free emergency unit for a village, in dispatch-rule order."""

    def __init__(self, units: Responders, by_type: bool):
        self.units, self.by_type = units, by_type
        emergency = units.emergency
        self._candidates = (np.flatnonzero(emergency), np.flatnonzero(emergency & units.can_transport))
        villages = units.minutes_to.shape[1]
        self._heads: tuple[list, list] = ([None] * villages, [None] * villages)
        s, e = units.shift_start, units.shift_end
        varies = emergency & ((s != e) | ~units.workdays.all(axis=1))
        self._constant = not varies.any()
        hours = varies & (s != e)
        self._breaks = sorted(set(s[hours].tolist()) | set(e[hours].tolist()))
        self._masks: dict[tuple[int, int], tuple[np.ndarray, bytes]] = {}
        self._key: tuple[int, int] | None = None
        self._ok = emergency.copy()            # emergency units on shift now (bool array ...)
        self._ok_bytes = self._ok.tobytes()     # ... and the same as bytes, indexed at Python speed

    def _on_shift(self, now: float) -> None:
        """Bring the mask of emergency units on shift up to ``now`` (as ``Responders.on_shift``)."""
        hour = (now % 1.0) * 24.0
        key = (int(math.floor(now)) % 7, bisect_right(self._breaks, hour))
        if key != self._key:
            mask = self._masks.get(key)
            if mask is None:
                ok = self.units.on_shift(now) & self.units.emergency
                mask = self._masks[key] = (ok, ok.tobytes())
            self._key = key
            self._ok, self._ok_bytes = mask

    def _head(self, village: int, transport: bool) -> list[int]:
        units, c = self.units, self._candidates[transport]
        minutes = units.minutes_to[c, village]
        keys = (minutes, units.kind[c]) if self.by_type else (minutes,)
        head = c[np.lexsort(keys)[:HEAD]].tolist()          # stable: ties to the lower index
        self._heads[transport][village] = head
        return head

    def first_free(self, village: int, transport: bool, now: float, busy_view, busy: np.ndarray) -> int:
        """The unit to send to ``village`` at ``now`` (-1: none free).

        ``transport`` restricts the choice to units that can transport; ``busy``
        is the shared busy array and ``busy_view`` a memoryview of it."""
        if not self._constant:
            self._on_shift(now)
        head = self._heads[transport][village]
        if head is None:
            head = self._head(village, transport)
        ok = self._ok_bytes
        for u in head:
            if ok[u] and not busy_view[u]:
                return u
        c = self._candidates[transport]
        if len(c) <= HEAD:
            return -1
        free = c[self._ok[c] & ~busy[c]]
        if len(free) == 0:
            return -1
        if self.by_type:
            kind = self.units.kind[free]
            free = free[kind == kind.min()]
        return int(free[np.argmin(self.units.minutes_to[free, village])])
