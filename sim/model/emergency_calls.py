"""Emergency demand (NumPy): when and where emergencies happen, and when they are called.

Rates (CALIBRATION §4 [A], consistent with its rows): injurious falls
``fall_rate`` and other urgent events ``illness_rate`` per elder-year, times
multipliers by age band, ADL state and living arrangement; home adaptation
(适老化改造) lowers falls.  Device holders also press by mistake
(``false_alarm_rate`` per device-year).  Counts are Poisson per elder and month
over the days the elder is alive (a per-group Poisson draw, vectorised), times
uniform within that exposure.

Detection: an elder with a one-key-call device uses it with probability
``device_use_*`` (most fallers do not: ~80% did not use their alarm, CALIBRATION
§4 [S]), lowered for dementia; otherwise the delay until someone notices is
drawn by living arrangement (solitary elders wait longest [A]).  Durations the
service needs later are drawn here too, each from its own stream.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.config.services import EmergencyConfig
from sim.model.distributions import sample
from sim.population.demography import MONTH_DAYS
from sim.population.elders import Elders

CALL_KINDS = ("fall", "illness", "false_alarm")
FALL, ILLNESS, FALSE_ALARM = range(3)
YEAR_DAYS = 365.25

DEMAND_DTYPE = np.dtype([
    ("elder", np.int32), ("village", np.int32), ("kind", np.int8), ("living", np.int8),
    ("adl", np.int8), ("dementia", np.bool_), ("device", np.bool_), ("onset_day", np.float64),
])

CALLS_DTYPE = np.dtype(DEMAND_DTYPE.descr + [
    ("device_used", np.bool_), ("detection_min", np.float64), ("call_day", np.float64),
    ("handling_min", np.float64), ("dispatch_min", np.float64), ("travel_noise", np.float64),
    ("access_min", np.float64), ("on_scene_min", np.float64), ("escalate", np.bool_),
    ("handover_min", np.float64),
])


class EmergencyDemand:
    """A monthly hook of the population dynamics that draws emergencies.

    True emergencies and false alarms come from separate streams, and so do
    their durations: a policy that hands out devices adds false alarms without
    shifting the random numbers of any true emergency (common random numbers).
    """

    def __init__(self, rules: EmergencyConfig, streams: Callable[[str], np.random.Generator]):
        self.rules = rules
        self.streams = streams
        self._chunks: list[np.ndarray] = []

    def rates_per_year(self, elders: Elders, idx: np.ndarray) -> np.ndarray:
        """(3, n) yearly rates of falls, illnesses and false alarms of elders ``idx``."""
        r = self.rules
        band = np.digitize(elders.age_months[idx] / 12.0, [70.0, 80.0])
        mult = (np.asarray(r.age_mult)[band] * np.asarray(r.adl_mult)[elders.adl[idx]]
                * np.asarray(r.living_mult)[elders.living[idx]])
        fall = r.fall_rate * mult * np.where(elders.adapted[idx], r.adaptation_fall_mult, 1.0)
        return np.stack([fall, r.illness_rate * mult, r.false_alarm_rate * elders.device[idx]])

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        lam = self.rates_per_year(elders, alive) * (exposure_days / YEAR_DAYS)
        for kinds, stream in (((FALL, ILLNESS), "emergency.arrivals"),
                              ((FALSE_ALARM,), "emergency.false_alarms")):
            rng = self.streams(stream)
            counts = rng.poisson(lam[list(kinds)])
            kind = np.repeat(np.repeat(np.asarray(kinds), len(alive)), counts.ravel())
            who = np.repeat(np.tile(np.arange(len(alive)), len(kinds)), counts.ravel())
            idx = alive[who]
            rows = np.empty(len(idx), dtype=DEMAND_DTYPE)
            rows["elder"], rows["village"], rows["kind"] = idx, elders.village[idx], kind
            rows["living"], rows["adl"] = elders.living[idx], elders.adl[idx]
            rows["dementia"], rows["device"] = elders.dementia[idx], elders.device[idx]
            rows["onset_day"] = month * MONTH_DAYS + rng.random(len(idx)) * exposure_days[who]
            self._chunks.append(rows)

    def calls(self) -> np.ndarray:
        """All emergencies with detection and service durations, sorted by call time."""
        demand = np.concatenate(self._chunks) if self._chunks else np.zeros(0, DEMAND_DTYPE)
        demand = demand[np.argsort(demand["onset_day"], kind="stable")]
        false = demand["kind"] == FALSE_ALARM
        out = np.concatenate([self._complete(demand[~false], "emergency"),
                              self._complete(demand[false], "emergency.false_alarm")])
        return out[np.argsort(out["call_day"], kind="stable")]

    def _complete(self, demand: np.ndarray, prefix: str) -> np.ndarray:
        r = self.rules
        detect, durations = self.streams(f"{prefix}.detection"), self.streams(f"{prefix}.durations")
        n = len(demand)
        out = np.zeros(n, dtype=CALLS_DTYPE)
        for name in DEMAND_DTYPE.names:
            out[name] = demand[name]
        kind = demand["kind"]
        use = np.array([r.device_use_fall, r.device_use_illness, 1.0])[kind]
        use = use * np.where(demand["dementia"] & (kind != FALSE_ALARM), r.dementia_device_mult, 1.0)
        out["device_used"] = demand["device"] & (detect.random(n) < use)
        detection = np.zeros(n)
        for g, d in enumerate((r.detection_solitary, r.detection_empty_nest, r.detection_left_behind,
                               r.detection_with_family)):
            mine = np.flatnonzero(demand["living"] == g)
            detection[mine] = sample(d, detect, len(mine))
        out["detection_min"] = np.where(out["device_used"], 0.0, detection)
        out["call_day"] = demand["onset_day"] + out["detection_min"] / 1440.0
        for name, d in (("handling_min", r.handling), ("dispatch_min", r.dispatch),
                        ("travel_noise", r.travel_noise), ("access_min", r.access),
                        ("on_scene_min", r.on_scene), ("handover_min", r.handover)):
            out[name] = sample(d, durations, n)
        p_escalate = np.array([r.escalate_fall, r.escalate_illness, 0.0])[kind]
        out["escalate"] = durations.random(n) < p_escalate
        return out
