"""The population's events on the simulation clock (contention stage, part 1).

The demand stage has already decided when elders enter, die and change state.
Here one SimPy process replays those events in time order, one timeout per day
that has events, publishes each day's batch to the services that subscribed to
a kind (a bed frees at a death, a dependent elder applies for care) and records
what it replayed.  Services plug in by `PopulationClock.subscribe`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
import simpy

from sim.model.records import Records
from sim.population.dynamics import EVENT_DTYPE, EVENT_KINDS

Subscriber = Callable[[np.ndarray], None]


class PopulationClock:
    """Replays a trajectory's events (EVENT_DTYPE rows) on a SimPy environment."""

    table = "population"

    def __init__(self, env: simpy.Environment, events: np.ndarray, records: Records):
        self.env = env
        self.events = events
        self.record = records.table(self.table, EVENT_DTYPE)
        self._subscribers: dict[int, list[Subscriber]] = defaultdict(list)
        self.process = env.process(self.run())

    def subscribe(self, kind: str, callback: Subscriber) -> None:
        """Call ``callback(rows)`` with each day's events of ``kind`` as they happen."""
        self._subscribers[EVENT_KINDS.index(kind)].append(callback)

    def run(self):
        days = self.events["day"]
        if len(days) == 0:
            return
        bounds = np.flatnonzero(np.diff(days)) + 1
        for batch in np.split(self.events, bounds):
            yield self.env.timeout(batch["day"][0] - self.env.now)
            for kind, callbacks in self._subscribers.items():
                if callbacks:
                    rows = batch[batch["kind"] == kind]
                    if len(rows):
                        for cb in callbacks:
                            cb(rows)
            self.record.extend(batch)
