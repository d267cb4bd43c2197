"""Emergency response (15分钟应急响应): dispatching responders to calls, in SimPy.

What is modelled: each call (from `sim.model.emergency_calls`) is handled by
the platform (``handling``), then the dispatcher sends the nearest *available*
unit by travel time from its base (``nearest_available``), or the nearest of
the first responder type that has one free (``type_order``); a busy or
off-shift unit is skipped.  If none is free the call waits in a queue (FIFO,
or by severity: illness, fall, false alarm) until a unit comes free or comes on
shift.  The unit then sets off (``dispatch``), drives or rides (travel minutes
x ``travel_noise``), reaches the bedside (``access``), stays ``on_scene``; an
escalated patient is taken to the county hospital by the unit if it can
transport, otherwise an ambulance is requested (a second dispatch restricted
to transport units).  A unit is busy until it is back at its base.

Assumed: units wait at base between jobs; shifts repeat daily; a unit on a job
when its shift ends finishes the job.  The simulation clock is in days; every
duration is recorded in minutes.

Response time ``response_min`` runs from the call to the responder at the
bedside: handling + wait + dispatch + travel + access; ``help_min`` adds the
detection delay before the call.
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.config.services import EmergencyConfig
from sim.model.emergency_calls import CALLS_DTYPE, FALSE_ALARM, ILLNESS
from sim.model.records import Records
from sim.model.responders import Responders

MIN_PER_DAY = 1440.0
STATUSES = ("answered", "answered_after_queue", "en_route_at_end", "waiting_at_end",
            "handling_at_end", "not_called_by_end")
ANSWERED, QUEUED, EN_ROUTE, WAITING, HANDLING, NOT_CALLED = range(6)

CALL_RECORD_DTYPE = np.dtype(CALLS_DTYPE.descr + [
    ("township", np.int32), ("status", np.int8), ("responder", np.int32), ("responder_type", np.int8),
    ("arrival_day", np.float64), ("released_day", np.float64),
    ("wait_min", np.float64), ("travel_min", np.float64), ("response_min", np.float64),
    ("help_min", np.float64), ("transport_wait_min", np.float64),
])

_SEVERITY = np.array([1, 0, 2])  # queue rank by kind: illness first, then falls, then false alarms


class EmergencyService:
    """Dispatcher, responder units and queue of one replication."""

    table = "emergency"

    def __init__(self, env: simpy.Environment, rules: EmergencyConfig, responders: Responders,
                 hospital_minutes: np.ndarray, township: np.ndarray, calls: np.ndarray,
                 records: Records, horizon_days: float):
        self.env, self.rules, self.units, self.calls = env, rules, responders, calls
        self.hospital_minutes = hospital_minutes   # (villages,) by car to the county hospital
        self.township = township
        self.records = records.table(self.table, CALL_RECORD_DTYPE)
        self.horizon = horizon_days
        n, u = len(calls), len(responders)
        self.busy = np.zeros(u, dtype=bool)
        self.busy_minutes = np.zeros(u)
        self.requested = np.full(n, np.nan)
        self.assigned = np.full(n, np.nan)
        self.arrived = np.full(n, np.nan)
        self.released = np.full(n, np.nan)
        self.unit_of = np.full(n, -1, dtype=np.int64)
        self.travel = np.full(n, np.nan)
        self.transport_wait = np.full(n, np.nan)
        self.queue: list[tuple[int, bool, simpy.Event]] = []      # calls waiting for a first responder
        self.transport_queue: list[tuple[int, bool, simpy.Event]] = []  # patients waiting for a 120 transport
        self._wanted = env.event()
        self.planned = None        # helpers held to a plan (`sim.model.routine`): occupied, assigned, freed
        env.process(self._arrivals())
        part_time = (responders.shift_start != responders.shift_end) | ~responders.workdays.all(axis=1)
        for hour in np.unique(responders.shift_start[part_time]):
            env.process(self._shift_starts(float(hour)))

    # ------------------------------------------------------------------ processes
    def _arrivals(self):
        for i, t in enumerate(self.calls["call_day"]):
            if t >= self.horizon:
                break
            yield self.env.timeout(t - self.env.now)
            self.env.process(self._call(i))

    def _shift_starts(self, hour: float):
        while True:
            day = np.floor(self.env.now)
            nxt = day + hour / 24.0
            if nxt <= self.env.now:
                nxt += 1.0
            yield self.env.timeout(nxt - self.env.now)
            self._assign()

    def _call(self, i: int):
        c = self.calls[i]
        yield self.env.timeout(c["handling_min"] / MIN_PER_DAY)
        self.requested[i] = self.env.now
        unit = yield from self._obtain(i, transport_only=False)
        self.assigned[i] = self.env.now
        self.unit_of[i] = unit
        village = c["village"]
        self.travel[i] = self.units.minutes_to[unit, village] * c["travel_noise"]
        yield self.env.timeout((c["dispatch_min"] + self.travel[i] + c["access_min"]) / MIN_PER_DAY)
        self.arrived[i] = self.env.now
        yield self.env.timeout(c["on_scene_min"] / MIN_PER_DAY)
        back = self.units.minutes_to[unit, village] * c["travel_noise"]
        if c["escalate"]:
            if self.units.can_transport[unit]:
                yield self.env.timeout((self.hospital_minutes[village] + c["handover_min"]) / MIN_PER_DAY)
                back = self.units.minutes_to_hospital[unit]
            else:
                self.env.process(self._transport(i))
        yield self.env.timeout(back / MIN_PER_DAY)
        self._release(unit, started=self.assigned[i])
        self.released[i] = self.env.now

    def _transport(self, i: int):
        """An ambulance fetches an escalated patient the first responder has stabilised."""
        c = self.calls[i]
        asked = self.env.now
        unit = yield from self._obtain(i, transport_only=True)
        start = self.env.now
        there = self.units.minutes_to[unit, c["village"]] * c["travel_noise"] + c["dispatch_min"]
        yield self.env.timeout(there / MIN_PER_DAY)
        self.transport_wait[i] = (self.env.now - asked) * MIN_PER_DAY
        yield self.env.timeout((self.hospital_minutes[c["village"]] + c["handover_min"]
                                + self.units.minutes_to_hospital[unit]) / MIN_PER_DAY)
        self._release(unit, started=start)

    # ------------------------------------------------------------------ dispatching
    def _obtain(self, i: int, transport_only: bool):
        unit = self._choose(i, transport_only)
        if unit < 0:
            event = self.env.event()
            (self.transport_queue if transport_only else self.queue).append((i, transport_only, event))
            if not transport_only and not self._wanted.triggered:
                self._wanted.succeed()              # helpers on visits: free up after this visit
                self._wanted = self.env.event()
            unit = yield event
        else:
            self._take(unit)
        return unit

    def _choose(self, i: int, transport_only: bool, free: np.ndarray | None = None) -> int:
        if free is None:
            free = self._free()
        if transport_only:
            free = free & self.units.can_transport   # a new array: the caller's mask stays whole
        candidates = np.flatnonzero(free)
        if len(candidates) == 0:
            return -1
        if self.rules.dispatch_rule == "type_order":
            first = self.units.kind[candidates].min()
            candidates = candidates[self.units.kind[candidates] == first]
        eta = self.units.minutes_to[candidates, self.calls["village"][i]]
        return int(candidates[np.argmin(eta)])

    def _free(self) -> np.ndarray:
        """Units free now: on shift, not on a call, not on planned work."""
        free = ~self.busy & self.units.emergency & self.units.on_shift(self.env.now)
        if self.planned is not None:
            free &= ~self.planned.occupied(self.env.now)
        return free

    def _take(self, unit: int) -> None:
        self.busy[unit] = True
        if self.planned is not None:
            self.planned.assigned(unit)

    def attach(self, planned) -> None:
        """Read the availability of planned helpers from ``planned`` (see `sim.model.routine`)."""
        self.planned = planned

    def _release(self, unit: int, started: float) -> None:
        self.busy[unit] = False
        self.busy_minutes[unit] += (self.env.now - started) * MIN_PER_DAY
        self._assign()
        if self.planned is not None and not self.busy[unit]:
            self.planned.freed(unit)

    def wanted(self) -> simpy.Event:
        """An event that fires when the next call has to wait for a helper."""
        return self._wanted

    def assign_waiting(self) -> None:
        """A helper came free elsewhere (e.g. back from a visit): serve the queue."""
        self._assign()

    def _assign(self) -> None:
        """Give free units to waiting calls in queue order (FIFO, or by severity then FIFO), then
        free ambulances to waiting transports.  A call that waits for a first responder goes
        before a stabilised patient waiting for transport."""
        if not self.queue and not self.transport_queue:
            return
        free = self._free()
        if self.queue and free.any():
            if self.rules.queue_discipline == "severity":
                kinds = self.calls["kind"]
                self.queue.sort(key=lambda q: (_SEVERITY[kinds[q[0]]], self.requested[q[0]]))
            self.queue = self._serve(self.queue, free)
        if self.transport_queue and (free & self.units.can_transport).any():
            self.transport_queue = self._serve(self.transport_queue, free)

    def _serve(self, queue: list, free: np.ndarray) -> list:
        """Assign free units along ``queue``; return who still waits (``free`` is updated)."""
        for k, (i, transport_only, event) in enumerate(queue):
            usable = free & self.units.can_transport if transport_only else free
            if not usable.any():             # nothing left to give: the rest keep their places
                return queue[k:]
            unit = self._choose(i, transport_only, free)
            self._take(unit)
            free[unit] = False
            event.succeed(unit)
        return []

    # ------------------------------------------------------------------ records
    def finish(self) -> None:
        """Record every emergency, answered or not, with its status at the horizon."""
        c = self.calls
        out = np.zeros(len(c), dtype=CALL_RECORD_DTYPE)
        for name in CALLS_DTYPE.names:
            out[name] = c[name]
        out["township"] = self.township[c["village"]]
        wait = (self.assigned - self.requested) * MIN_PER_DAY
        arrived = ~np.isnan(self.arrived)
        status = np.full(len(c), NOT_CALLED, dtype=np.int8)
        called = c["call_day"] < self.horizon
        status[called] = HANDLING
        status[~np.isnan(self.requested)] = WAITING
        status[~np.isnan(self.assigned)] = EN_ROUTE
        status[arrived] = np.where(wait[arrived] > 0, QUEUED, ANSWERED)
        out["status"] = status
        out["responder"] = self.unit_of
        kinds = self.units.kind if len(self.units) else np.zeros(1, dtype=np.int64)
        out["responder_type"] = np.where(self.unit_of >= 0, kinds[np.maximum(self.unit_of, 0)], -1)
        out["arrival_day"] = self.arrived
        out["released_day"] = self.released
        out["wait_min"] = wait
        out["travel_min"] = self.travel
        response = np.where(arrived, c["handling_min"] + wait + c["dispatch_min"] + self.travel
                            + c["access_min"], np.nan)
        out["response_min"] = response
        out["help_min"] = c["detection_min"] + response
        out["transport_wait_min"] = self.transport_wait
        self.records.extend(out)


__all__ = ["CALL_RECORD_DTYPE", "EmergencyService", "FALSE_ALARM", "ILLNESS", "STATUSES"]
