"""Travel times between villages by mode, computed once per county with NumPy.

Road distance is the straight-line distance times a terrain circuity factor,
unless a road-distance table is supplied.  Minutes per road km depend on the
mode and, for cars, on the terrain of both ends (CALIBRATION §4: village road
25-30 km/h, county road 40-50, mountain 15-20 [A]).  A trip between two
villages costs the mean of the two ends' minutes per km; a trip inside a
village covers ``intra_village_km``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.schema import TravelConfig

MODES = ("walk", "ebike", "car")


@dataclass(frozen=True, eq=False)
class Travel:
    """Minutes between villages, one (n, n) matrix per mode, and the road km behind them."""

    road_km: np.ndarray
    minutes: dict[str, np.ndarray]

    def __getitem__(self, mode: str) -> np.ndarray:
        return self.minutes[mode]


def straight_km(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pairwise Euclidean distances (km) between points."""
    return np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])


def travel_times(x_km: np.ndarray, y_km: np.ndarray, terrain: np.ndarray, cfg: TravelConfig,
                 road_km: np.ndarray | None = None) -> Travel:
    """Build the travel matrices; ``terrain`` holds indices into (plain, hill, mountain)."""
    circuity = np.array([cfg.circuity_plain, cfg.circuity_hill, cfg.circuity_mountain])[terrain]
    if road_km is None:
        road_km = straight_km(x_km, y_km) * (circuity[:, None] + circuity[None, :]) / 2
    road_km = np.array(road_km, dtype=float)
    np.fill_diagonal(road_km, cfg.intra_village_km)
    car_kmh = np.array([cfg.car_kmh_plain, cfg.car_kmh_hill, cfg.car_kmh_mountain])[terrain]
    car_min_per_km = 60.0 / car_kmh
    minutes = {
        "walk": road_km * (60.0 / cfg.walk_kmh),
        "ebike": road_km * (60.0 / cfg.ebike_kmh),
        "car": road_km * (car_min_per_km[:, None] + car_min_per_km[None, :]) / 2,
    }
    for m in minutes.values():
        m.setflags(write=False)
    road_km.setflags(write=False)
    return Travel(road_km=road_km, minutes=minutes)
