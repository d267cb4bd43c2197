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

import heapq
from collections import deque

import numpy as np
import simpy

from sim.config.services import EmergencyConfig
from sim.model.dispatch_order import DispatchOrder
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
    """Dispatcher, responder units and queue of one replication.

    SimPy carries only the moments where something can contend: a call's
    request for a unit, a patient's request for a transport and a unit's
    return to base (one timeout from dispatch to back at base: nothing can
    happen to a unit on a job in between).  The arrival at the bedside and the
    other times are computed, exactly as successive timeouts would add them.
    """

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
        self.busy = np.zeros(u, dtype=bool)        # on a call; planned work comes from ``planned``
        self._busy = memoryview(self.busy)         # the same memory, indexed at Python speed
        self._busy_minutes = [0.0] * u
        nan = float("nan")
        self._requested, self._assigned, self._arrived = [nan] * n, [nan] * n, [nan] * n
        self._released, self._travel, self._transport_wait = [nan] * n, [nan] * n, [nan] * n
        self._unit_of = [-1] * n
        # per-call durations as Python floats, converted once (the dispatcher reads them per call)
        self._village = calls["village"].tolist()
        self._noise = calls["travel_noise"].tolist()
        self._dispatch = calls["dispatch_min"].tolist()
        self._access = calls["access_min"].tolist()
        self._on_scene = (calls["on_scene_min"] / MIN_PER_DAY).tolist()
        self._escalate = calls["escalate"].tolist()
        self._handover = calls["handover_min"].tolist()
        self._hospital = np.asarray(hospital_minutes, dtype=float).tolist()
        self._to_hospital = responders.minutes_to_hospital.tolist()
        self._transports = responders.can_transport.tolist()
        self._minutes = responders.minutes_to
        self._order = DispatchOrder(responders, rules.dispatch_rule == "type_order")
        self._severity = _SEVERITY[calls["kind"]].tolist()
        self._by_severity = rules.queue_discipline == "severity"
        self._queue: deque[int] | list[tuple[int, int, int]] = [] if self._by_severity else deque()
        self._seq = 0
        self._transport_queue: deque[tuple[int, float]] = deque()
        self._wanted = env.event()
        self.planned = None        # helpers held to a plan: occupied, assigned, freed (`held_plans`)
        # requests in time order: each call's request is at its call time plus the platform's handling
        called = np.flatnonzero(calls["call_day"] < horizon_days)
        request = calls["call_day"][called] + calls["handling_min"][called] / MIN_PER_DAY
        order = np.argsort(request, kind="stable")
        self._next_call = called[order].tolist()
        self._next_time = request[order].tolist()
        self._k = 0
        if self._next_call:
            env.timeout(self._next_time[0] - env.now).callbacks.append(self._request)
        part_time = (responders.shift_start != responders.shift_end) | ~responders.workdays.all(axis=1)
        for hour in np.unique(responders.shift_start[part_time]):
            env.process(self._shift_starts(float(hour)))

    # ------------------------------------------------------------------ events
    def _shift_starts(self, hour: float):
        while True:
            day = np.floor(self.env.now)
            nxt = day + hour / 24.0
            if nxt <= self.env.now:
                nxt += 1.0
            yield self.env.timeout(nxt - self.env.now)
            self._assign(self.env.now)

    def _request(self, event: simpy.Event) -> None:
        """A call, handled by the platform, asks for the nearest available unit."""
        k = self._k
        i, now = self._next_call[k], self._next_time[k]
        self._k = k = k + 1
        if k < len(self._next_call):
            self.env.timeout(max(self._next_time[k] - self.env.now, 0.0)).callbacks.append(self._request)
        self._requested[i] = now
        unit = self._order.first_free(self._village[i], False, now, *self._views(now))
        if unit >= 0:
            self._start(i, unit, now)
            return
        if self._by_severity:
            heapq.heappush(self._queue, (self._severity[i], self._seq, i))
            self._seq += 1
        else:
            self._queue.append(i)
        if not self._wanted.triggered:
            self._wanted.succeed()              # helpers on visits: free up after this visit
            self._wanted = self.env.event()

    def _start(self, i: int, unit: int, now: float) -> None:
        """Send ``unit`` to call ``i`` at ``now``; it is busy until back at base."""
        self._take(unit)
        self._assigned[i] = now
        self._unit_of[i] = unit
        village = self._village[i]
        travel = self._minutes.item(unit, village) * self._noise[i]
        self._travel[i] = travel
        there = now + (self._dispatch[i] + travel + self._access[i]) / MIN_PER_DAY
        if there < self.horizon:
            self._arrived[i] = there
        done = there + self._on_scene[i]
        back = travel
        if self._escalate[i]:
            if self._transports[unit]:
                done = done + (self._hospital[village] + self._handover[i]) / MIN_PER_DAY
                back = self._to_hospital[unit]
            else:                                   # an ambulance is requested when the patient is stable
                self.env.timeout(done - self.env.now, (i, done)).callbacks.append(self._transport)
        end = done + back / MIN_PER_DAY
        self.env.timeout(end - self.env.now, (unit, i, now, end)).callbacks.append(self._release)

    def _transport(self, event: simpy.Event) -> None:
        """A stabilised patient asks for a unit that can transport."""
        i, asked = event.value
        unit = self._order.first_free(self._village[i], True, asked, *self._views(asked))
        if unit >= 0:
            self._start_transport(i, unit, asked, asked)
        else:
            self._transport_queue.append((i, asked))

    def _start_transport(self, i: int, unit: int, asked: float, now: float) -> None:
        """An ambulance fetches an escalated patient the first responder has stabilised."""
        self._take(unit)
        village = self._village[i]
        there = now + (self._minutes.item(unit, village) * self._noise[i] + self._dispatch[i]) / MIN_PER_DAY
        if there < self.horizon:
            self._transport_wait[i] = (there - asked) * MIN_PER_DAY
        end = there + (self._hospital[village] + self._handover[i] + self._to_hospital[unit]) / MIN_PER_DAY
        self.env.timeout(end - self.env.now, (unit, -1, now, end)).callbacks.append(self._release)

    def _release(self, event: simpy.Event) -> None:
        unit, i, started, now = event.value
        self._busy[unit] = False
        self._busy_minutes[unit] += (now - started) * MIN_PER_DAY
        if i >= 0:
            self._released[i] = now
        self._assign(now)
        if self.planned is not None and not self._busy[unit]:
            self.planned.freed(unit)                # back to its planned day

    def _take(self, unit: int) -> None:
        self._busy[unit] = True
        if self.planned is not None:
            self.planned.assigned(unit)             # its plan from now on is dropped

    def _views(self, now: float):
        """(memoryview, array) of the units not free now: on a call, or on planned work."""
        if self.planned is None:
            return self._busy, self.busy
        taken = self.busy | self.planned.occupied(now)
        return memoryview(taken), taken

    def attach(self, planned) -> None:
        """Read the availability of planned helpers from ``planned`` (see `sim.model.held_plans`)."""
        self.planned = planned

    # ------------------------------------------------------------------ the queues
    def wanted(self) -> simpy.Event:
        """An event that fires when the next call has to wait for a helper."""
        return self._wanted

    def assign_waiting(self) -> None:
        """A helper came free elsewhere (e.g. back from a visit): serve the queue."""
        self._assign(self.env.now)

    def _assign(self, now: float) -> None:
        """Give free units to waiting calls in queue order (FIFO, or by severity then FIFO), then
        free ambulances to waiting transports.  A call that waits for a first responder goes
        before a stabilised patient waiting for transport; any unit serves any waiting call, so
        the first call that finds no unit free ends the round (and likewise for transports)."""
        queue, transports = self._queue, self._transport_queue
        if not queue and not transports:
            return
        order = self._order
        busy_view, busy = self._views(now)
        while queue:
            i = queue[0][2] if self._by_severity else queue[0]
            unit = order.first_free(self._village[i], False, now, busy_view, busy)
            if unit < 0:
                break
            if self._by_severity:
                heapq.heappop(queue)
            else:
                queue.popleft()
            self._start(i, unit, now)
            busy[unit] = True                       # the combined view is a copy when plans are read
        while transports:
            i, asked = transports[0]
            unit = order.first_free(self._village[i], True, now, busy_view, busy)
            if unit < 0:
                break
            transports.popleft()
            self._start_transport(i, unit, asked, now)
            busy[unit] = True

    # ------------------------------------------------------------------ records
    @property
    def requested(self) -> np.ndarray:
        return np.array(self._requested)

    @property
    def assigned(self) -> np.ndarray:
        return np.array(self._assigned)

    @property
    def busy_minutes(self) -> np.ndarray:
        """Minutes each unit spent on emergencies (dispatch to back at base), up to the horizon."""
        return np.array(self._busy_minutes, dtype=float)

    def finish(self) -> None:
        """Record every emergency, answered or not, with its status at the horizon."""
        c = self.calls
        requested, assigned = self.requested, self.assigned
        arrived_day = np.array(self._arrived)
        unit_of = np.array(self._unit_of, dtype=np.int64)
        travel = np.array(self._travel)
        out = np.zeros(len(c), dtype=CALL_RECORD_DTYPE)
        for name in CALLS_DTYPE.names:
            out[name] = c[name]
        out["township"] = self.township[c["village"]]
        wait = (assigned - requested) * MIN_PER_DAY
        arrived = ~np.isnan(arrived_day)
        status = np.full(len(c), NOT_CALLED, dtype=np.int8)
        called = c["call_day"] < self.horizon
        status[called] = HANDLING
        status[~np.isnan(requested)] = WAITING
        status[~np.isnan(assigned)] = EN_ROUTE
        status[arrived] = np.where(wait[arrived] > 0, QUEUED, ANSWERED)
        out["status"] = status
        out["responder"] = unit_of
        kinds = self.units.kind if len(self.units) else np.zeros(1, dtype=np.int64)
        out["responder_type"] = np.where(unit_of >= 0, kinds[np.maximum(unit_of, 0)], -1)
        out["arrival_day"] = arrived_day
        out["released_day"] = np.array(self._released)
        out["wait_min"] = wait
        out["travel_min"] = travel
        response = np.where(arrived, c["handling_min"] + wait + c["dispatch_min"] + travel
                            + c["access_min"], np.nan)
        out["response_min"] = response
        out["help_min"] = c["detection_min"] + response
        out["transport_wait_min"] = np.array(self._transport_wait)
        self.records.extend(out)


__all__ = ["CALL_RECORD_DTYPE", "EmergencyService", "FALSE_ALARM", "ILLNESS", "STATUSES"]
