"""The plans of helpers who also answer calls: what the dispatcher sees, and its cuts.

A helper who answers emergencies is *held* to its planned day (`sim.model.routine`), not
bound by it.  Its stretches stay claimed on their routes until they are done (``hold``,
``commit_due``), and the dispatcher reads the helper as busy while one is under way
(``occupied``).  When a call has to wait, each such helper on an interruptible task is cut
at the end of the job under way (at once with ``preempt``) and is free from then
(``listen``); the jobs it will not do go back on their routes, never counted.  When the
dispatcher takes a helper, the rest of its plan is dropped (``assigned``), and its day is
planned again, in NumPy, from the moment it is back (``freed``).  Clock in days.
"""

from __future__ import annotations

import numpy as np

from sim.model.routes import MIN_PER_DAY, Stretch, take


class HeldPlans:
    """The held stretches of the helpers of one `RoutineDays` planner (``days``) who answer calls."""

    def __init__(self, days):
        self.d = days
        n = len(days.u)
        self.away = np.zeros(n, dtype=bool)            # taken by the dispatcher
        self.busy_from = np.zeros(n)
        self.busy_to = np.zeros(n)
        self.pending: list[Stretch] = []
        self._rows = np.flatnonzero(days.contend)      # the rows (and units) who answer calls
        self._units = days.u[self._rows]

    def hold(self, st: Stretch, h: np.ndarray) -> None:
        """Rows ``h`` of ``st`` are held (the kernel claimed their jobs on their routes): busy for the
        dispatcher."""
        rows = st.rows
        t0 = st.t0[h]
        fresh = self.busy_to[rows[h]] < t0
        self.busy_from[rows[h[fresh]]] = t0[fresh]
        self.busy_to[rows[h]] = st.back[h]
        self.pending.append(st)

    def commit_due(self, now: float) -> None:
        """The held stretches done by ``now`` are handed over with the planner's others (``done_later``)."""
        keep = []
        for st in self.pending:
            due = np.flatnonzero(st.open & (st.back <= now))
            if len(due):
                st.open[due] = False
                self.d.done_later(st, due)
            if st.open.any():
                keep.append(st)
        self.pending = keep

    def occupied(self, now: float) -> np.ndarray:
        """Units on planned work at ``now`` (a stretch starting exactly now has not begun)."""
        out = np.zeros(len(self.d.row_of), dtype=bool)
        c = self._rows
        out[self._units] = (self.busy_from[c] < now) & (now < self.busy_to[c])
        return out

    def _held(self, h: int):
        """(stretch, row) of helper row ``h``'s held stretches, in the order they were planned."""
        for st in self.pending:
            r = np.flatnonzero(st.open & (st.rows == h))
            if len(r):
                yield st, int(r[0])

    def _drop(self, held: list, keep_first: int = 0) -> None:
        """Release held stretches (latest first); the first of them keeps ``keep_first`` jobs."""
        for k, (st, r) in reversed(list(enumerate(held))):
            keep = keep_first if k == 0 else 0
            rr = np.array([r])
            self.d.source(st.task).rewind_many(self.d.u[st.rows[rr]], take(st.token, rr), st.n[rr],
                                                np.array([keep]))
            h = int(st.rows[r])
            if st.j >= 0:
                self.d.used[h, st.j] = st.used_before[r]
            if k > 0 or keep_first == 0:
                st.open[r] = False
                st.n[r] = 0

    def assigned(self, unit: int) -> None:
        """The dispatcher took ``unit`` (free now): drop what it had planned from now on."""
        h = int(self.d.row_of[unit])
        if h < 0 or not self.d.contend[h]:
            return
        now = self.d.s.env.now
        later = [(st, r) for st, r in self._held(h) if st.t0[r] >= now]
        if later:
            self._drop(later)
        self.away[h] = True
        self.busy_from[h] = self.busy_to[h] = min(self.busy_to[h], now)

    def freed(self, unit: int) -> None:
        """``unit`` is back from a call: plan the rest of its day from now."""
        h = int(self.d.row_of[unit])
        if h < 0 or not self.d.contend[h]:
            return
        self.away[h] = False
        self.d.now[h] = max(self.d.now[h], self.d.s.env.now)
        self.d.idle[h] = False                             # its day is planned again
        one = np.zeros(len(self.d.u), dtype=bool)
        one[h] = True
        self.d._plan_rows(self.d.until_of(h), one)

    def listen(self):
        """When a call has to wait, helpers on interruptible tasks stop after the job under way."""
        env = self.d.s.env
        while True:
            yield self.d.s.wanted()
            now = env.now
            busy = self.d.contend & ~self.away & (self.busy_from < now) & (now < self.busy_to)
            for h in np.flatnonzero(busy):                 # a loop over the helpers a waiting call stops
                held = list(self._held(int(h)))
                at = [k for k, (st, r) in enumerate(held) if st.t0[r] <= now < st.back[r]]
                if not at or not self.d.s.interruptible.get(held[at[0]][0].task, False):
                    continue
                st, r = held[at[0]]
                ends = st.ends[r, :st.n[r]]
                if self.d.s.preempt:                       # stop now; the job under way is not done
                    keep, free = int(np.searchsorted(ends, now, side="right")), now
                else:                                    # finish the job under way
                    keep = min(int(np.searchsorted(ends, now, side="left")) + 1, int(st.n[r]))
                    free = max(float(ends[keep - 1]), now)
                self._drop(held[at[0]:], keep_first=keep)
                st.n[r], st.back[r], st.cut[r] = keep, free, True
                st.open[r] = True
                if st.j >= 0:
                    self.d.used[h, st.j] = st.used_before[r] + (free - st.t0[r]) * MIN_PER_DAY
                self.d.now[h] = self.busy_to[h] = free
                env.process(self._back(int(h), free))

    def _back(self, h: int, at: float):
        env = self.d.s.env
        if at > env.now:
            yield env.timeout(at - env.now)
        self.commit_due(env.now)
        self.d.s.on_release()                              # a waiting call may take this helper
        if not self.away[h]:
            self.d.idle[h] = False                         # the rest of its day is planned again
            one = np.zeros(len(self.d.u), dtype=bool)
            one[h] = True
            self.d._plan_rows(self.d.until_of(h), one)
