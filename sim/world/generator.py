"""Seeded synthetic counties shaped like the regions in ``policy-docs/``.

Geography: a square county of ``area_km2``; township seats scattered with a
best-candidate rule (so they spread out), the county seat near the centre,
villages uniform and assigned to the nearest township seat, terrain rising with
distance from the county seat (plain near it, mountain far away).  Residents per
village are lognormal around ``residents_per_village`` (CALIBRATION §1 ~1,000,
300-3,000 [D]); elders are ``elder_share`` of them (23.81% rural 60+ [S]) split
by the national age mix (55.83/30.61/13.56% [S]).

Facilities: the nursing homes listed in the config at their township seats,
one health centre per township seat, the county 120 station at the county seat,
village clinics in ``clinic_share`` of villages, and service points in the
villages with most elders, the first ``canteens`` of which host a canteen.
Everything is a pure function of the county config and its seed.
"""

from __future__ import annotations

import numpy as np

from sim.config.schema import CountyConfig
from sim.world.county import FACILITY_KINDS, County, Facilities, Villages
from sim.world.travel import travel_times


def _spread_points(rng: np.random.Generator, n: int, side: float, candidates: int = 12) -> np.ndarray:
    """Best-candidate sampling: each new point is the candidate farthest from those placed."""
    pts = np.empty((n, 2))
    pts[0] = side / 2 + rng.uniform(-0.05, 0.05, 2) * side  # county seat near the centre
    for i in range(1, n):
        cand = rng.uniform(0, side, (candidates, 2))
        d = np.hypot(cand[:, None, 0] - pts[None, :i, 0], cand[:, None, 1] - pts[None, :i, 1])
        pts[i] = cand[np.argmax(d.min(axis=1))]
    return pts


def generate_county(cfg: CountyConfig) -> County:
    """Build a synthetic county from its config (same config and seed, same county)."""
    rng = np.random.default_rng(np.random.SeedSequence(cfg.seed))
    side = float(np.sqrt(cfg.area_km2))
    n_t, n_v = cfg.townships, cfg.villages

    seats = _spread_points(rng, n_t, side)
    others = rng.uniform(0, side, (n_v - n_t, 2))
    xy = np.vstack([seats, others])
    nearest_seat = np.argmin(np.hypot(others[:, None, 0] - seats[None, :, 0],
                                      others[:, None, 1] - seats[None, :, 1]), axis=1)
    township = np.concatenate([np.arange(n_t), nearest_seat])

    # terrain by the township's rank in distance from the county seat
    seat_dist = np.hypot(*(seats - seats[0]).T)
    rank = np.empty(n_t, dtype=int)
    rank[np.argsort(seat_dist, kind="stable")] = np.arange(n_t)
    cuts = np.cumsum([cfg.terrain_plain, cfg.terrain_hill]) * n_t
    t_terrain = np.searchsorted(cuts, rank + 0.5)
    terrain = np.minimum(t_terrain[township], 2)

    residents = np.exp(np.log(cfg.residents_per_village) + cfg.residents_sigma * rng.standard_normal(n_v))
    elders = rng.multinomial(np.rint(residents * cfg.elder_share).astype(np.int64), cfg.age_mix)

    digits = len(str(n_v))
    village_id = np.array([f"V{i + 1:0{digits}d}" for i in range(n_v)], dtype=object)
    villages = Villages(
        village_id=village_id,
        name=np.array([f"Village {i + 1}" for i in range(n_v)], dtype=object),
        township=township.astype(np.int64),
        x_km=xy[:, 0], y_km=xy[:, 1],
        terrain=terrain.astype(np.int64),
        elders=elders.astype(np.int64),
    )
    townships = np.array([f"Township {t + 1}" for t in range(n_t)], dtype=object)
    facilities = _facilities(cfg, rng, villages)
    travel = travel_times(villages.x_km, villages.y_km, villages.terrain, cfg.travel)
    return County(name=cfg.name, name_zh=cfg.name_zh, townships=townships, villages=villages,
                  facilities=facilities, travel=travel)


def _facilities(cfg: CountyConfig, rng: np.random.Generator, v: Villages) -> Facilities:
    rows: list[tuple[str, str, int, int, int, int, int]] = []  # name, kind, village, beds, nb, staff, seats
    for h in cfg.nursing_homes:
        seat = 0 if h.township < 0 else h.township  # township t's seat is village t
        rows.append((h.name, h.kind, seat, h.beds, h.nursing_beds, h.staff, 0))
    rows.append(("County 120 station", "ems_station", 0, 0, 0, 0, 0))
    rows += [(f"Health centre {t + 1}", "health_centre", t, 0, 0, 0, 0)
             for t in range(len(np.unique(v.township)))]
    clinics = np.flatnonzero(rng.random(len(v)) < cfg.clinic_share)
    rows += [(f"Clinic {v.village_id[i]}", "clinic", int(i), 0, 0, 0, 0) for i in clinics]
    by_elders = np.argsort(-v.elders.sum(axis=1), kind="stable")[: cfg.service_points]
    rows += [(f"Service point {v.village_id[i]}", "service_point", int(i), 0, 0, 0, 0)
             for i in by_elders]
    rows += [(f"Canteen {v.village_id[i]}", "canteen", int(i), 0, 0, 0, cfg.canteen_seats)
             for i in by_elders[: cfg.canteens]]
    n = len(rows)
    col = list(zip(*rows)) if rows else [()] * 7
    return Facilities(
        facility_id=np.array([f"F{i + 1:04d}" for i in range(n)], dtype=object),
        name=np.array(col[0], dtype=object),
        kind=np.array([FACILITY_KINDS.index(k) for k in col[1]], dtype=np.int64),
        village=np.array(col[2], dtype=np.int64),
        beds=np.array(col[3], dtype=np.int64),
        nursing_beds=np.array(col[4], dtype=np.int64),
        staff=np.array(col[5], dtype=np.int64),
        seats=np.array(col[6], dtype=np.int64),
    )
