"""The dispatcher: nearest available unit, busy and off-shift units skipped, queue order."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.config import CountyConfig
from sim.config.services import Dist, HelperSpec
from sim.model.emergency import ANSWERED, QUEUED
from sim.model.emergency_calls import CALLS_DTYPE, FALL, ILLNESS
from sim.world import generate_county
from tests.emergency_setup import run_service, theory_rules


def _county():
    return generate_county(CountyConfig(townships=2, villages=6, area_km2=400.0, service_points=0,
                                        canteens=0))


def _calls(days, villages, kinds=None):
    calls = np.zeros(len(days), dtype=CALLS_DTYPE)
    calls["call_day"] = days
    calls["onset_day"] = days
    calls["village"] = villages
    calls["kind"] = FALL if kinds is None else kinds
    calls["travel_noise"] = 1.0
    calls["on_scene_min"] = 60.0
    return calls


def _rules(**kw):
    return replace(theory_rules(60.0), on_scene=Dist("deterministic", 60.0), **kw)


def test_nearest_available_then_next_nearest_when_busy():
    county = _county()
    specs = [HelperSpec("u", "", "every_village", 1, "car", 0.0, 24.0, can_transport=False)]
    rec, service = run_service(county, _rules(), specs, _calls([0.5, 0.5001], [3, 3]), 2.0)
    minutes = county.travel["car"][:, 3]                  # unit u is based in village u
    order = np.argsort(minutes)
    assert rec["responder"][0] == order[0]                # the nearest unit
    assert rec["responder"][1] == order[1]                # the next nearest, since the first is busy
    assert np.all(rec["status"] == ANSWERED)


def test_off_shift_units_are_skipped():
    county = _county()
    specs = [HelperSpec("day", "", "every_village", 1, "car", 8.0, 18.0, can_transport=False),
             HelperSpec("night", "", "health_centre", 1, "car", 0.0, 24.0, can_transport=False)]
    night = 2 / 24                                         # 02:00: day units are off shift
    rec, service = run_service(county, _rules(), specs, _calls([night, 0.5], [4, 4]), 2.0)
    types = service.units.kind[rec["responder"]]
    assert types[0] == 1                                   # at night only the 24 h team
    assert types[1] == 0                                   # at noon the village's own unit


def test_queue_waits_for_shift_start():
    county = _county()
    specs = [HelperSpec("day", "", "every_village", 1, "car", 8.0, 18.0, can_transport=False)]
    rec, _ = run_service(county, _rules(), specs, _calls([2 / 24], [1]), 2.0)
    assert rec["status"][0] == QUEUED
    assert np.isclose(rec["wait_min"][0], (8 - 2) * 60)     # waits from 02:00 until 08:00


def test_type_order_prefers_first_type_even_if_farther():
    county = _county()
    specs = [HelperSpec("coordinator", "", "health_centre", 1, "ebike", 0.0, 24.0, can_transport=False),
             HelperSpec("doctor", "", "every_village", 1, "car", 0.0, 24.0, can_transport=False)]
    far = 5
    calls = _calls([0.5], [far])
    nearest, _ = run_service(county, _rules(), specs, calls, 2.0)
    ordered, service = run_service(county, _rules(dispatch_rule="type_order"), specs, calls, 2.0)
    assert service.units.kind[ordered["responder"][0]] == 0
    assert service.units.kind[nearest["responder"][0]] == 1   # village 5 is no township seat


def test_severity_queue_serves_illness_first():
    county = _county()
    specs = [HelperSpec("u", "", "ems_station", 1, "car", 0.0, 24.0, can_transport=False)]
    calls = _calls([0.5, 0.501, 0.502], [2, 2, 2], kinds=[FALL, FALL, ILLNESS])
    fifo, _ = run_service(county, _rules(), specs, calls, 3.0)
    sev, _ = run_service(county, _rules(queue_discipline="severity"), specs, calls, 3.0)
    assert fifo["arrival_day"][1] < fifo["arrival_day"][2]
    assert sev["arrival_day"][2] < sev["arrival_day"][1]


def test_waiting_transport_request_does_not_block_calls_behind_it():
    """A queued ambulance request must not hide the free first-responders from later calls."""
    from sim.config import TravelConfig

    county = generate_county(CountyConfig(townships=1, villages=1, service_points=0, canteens=0,
                                          travel=TravelConfig(intra_village_km=0.0)))
    specs = [HelperSpec("first", "", "every_village", 2, "car", 0.0, 24.0, can_transport=False),
             HelperSpec("amb", "", "every_village", 1, "car", 0.0, 24.0, can_transport=True)]
    # (call minute, on-scene minutes, escalate): A escalates while the ambulance is busy
    spec = [(0, 10, True), (1, 100, False), (2, 100, False), (11, 100, False), (20, 10, False),
            (105, 10, False)]
    calls = _calls([s[0] / 1440 for s in spec], [0] * len(spec))
    calls["on_scene_min"] = [s[1] for s in spec]
    calls["escalate"] = [s[2] for s in spec]
    calls["handover_min"][0] = 30.0
    rec, service = run_service(county, _rules(), specs, calls, 1.0)
    assert np.isclose(rec["wait_min"][4], 81.0)       # C gets the first unit free, at minute 101
    assert np.isclose(service.assigned[5] * 1440, 111.0)  # F, called later, waits its turn


def test_nearest_free_beyond_the_walked_head_of_the_order():
    """More simultaneous calls than the Python-walked head (``HEAD`` units): the later calls get
    the next nearest units from the NumPy fallback, in the same order, then they queue."""
    from sim.model.dispatch_order import HEAD

    county = generate_county(CountyConfig(townships=2, villages=HEAD + 4, area_km2=400.0,
                                          service_points=0, canteens=0))
    specs = [HelperSpec("u", "", "every_village", 1, "car", 0.0, 24.0, can_transport=False)]
    n = HEAD + 6
    rec, _ = run_service(county, _rules(), specs, _calls(0.5 + np.arange(n) * 1e-5, [2] * n), 2.0)
    order = np.argsort(county.travel["car"][:, 2], kind="stable")
    units = HEAD + 4
    assert rec["responder"][:units].tolist() == order.tolist()
    assert np.all(rec["status"][:units] == ANSWERED)
    assert np.all(rec["status"][units:] == QUEUED)            # every unit taken: the rest wait
    assert rec["responder"][units] == order[0]                 # the first back takes the next call


def test_type_order_beyond_the_walked_head_keeps_the_type_first():
    from sim.model.dispatch_order import HEAD

    county = generate_county(CountyConfig(townships=2, villages=HEAD + 4, area_km2=400.0,
                                          service_points=0, canteens=0))
    specs = [HelperSpec("first", "", "every_village", 1, "ebike", 0.0, 24.0, can_transport=False),
             HelperSpec("second", "", "every_village", 1, "car", 0.0, 24.0, can_transport=False)]
    n = HEAD + 6
    rules = _rules(dispatch_rule="type_order")
    rec, service = run_service(county, rules, specs, _calls(0.5 + np.arange(n) * 1e-5, [1] * n), 2.0)
    kinds = service.units.kind[rec["responder"]]
    firsts = HEAD + 4                                          # units of the first type
    assert np.all(kinds[:firsts] == 0) and np.all(kinds[firsts:] == 1)
    second = np.flatnonzero(service.units.kind == 1)
    nearest_second = second[np.argsort(service.units.minutes_to[second, 1], kind="stable")]
    assert rec["responder"][firsts:].tolist() == nearest_second[: n - firsts].tolist()


def test_shift_mask_follows_the_clock_across_days_and_boundaries():
    """The dispatcher's cached on-shift masks agree with ``Responders.on_shift`` at any time."""
    from sim.model.dispatch_order import DispatchOrder
    from sim.model.responders import build_responders

    county = _county()
    specs = [HelperSpec("day", "", "every_village", 1, "car", 8.0, 18.0, can_transport=False,
                        workdays=(0, 1, 2, 3, 4)),
             HelperSpec("night", "", "health_centre", 1, "car", 20.0, 6.0, can_transport=True)]
    units = build_responders(county, specs)
    order = DispatchOrder(units, by_type=False)
    busy = np.zeros(len(units), dtype=bool)
    rng = np.random.default_rng(0)
    times = np.sort(np.concatenate([rng.uniform(0, 14, 300), np.arange(14) + 8 / 24, np.arange(14) + 0.75]))
    for t in times:
        unit = order.first_free(3, False, float(t), memoryview(busy), busy)
        on = units.on_shift(float(t)) & units.emergency
        if not on.any():
            assert unit == -1
        else:
            cands = np.flatnonzero(on)
            assert unit == cands[np.argmin(units.minutes_to[cands, 3])], t
