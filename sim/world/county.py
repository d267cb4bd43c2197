"""The county as validated tables: villages, facilities and travel times.

A county (县) holds townships (乡镇) and administrative villages (行政村); every
facility stands at a village.  Tables are NumPy column arrays indexed by
position; ids are kept as strings so that a bureau's own ledger codes survive a
round trip.  Both the synthetic generator and the table loader build this.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.world.travel import Travel

TERRAINS = ("plain", "hill", "mountain")
AGE_BANDS = ("60_69", "70_79", "80_plus")
FACILITY_KINDS = (
    "township_home",    # 乡镇敬老院
    "regional_centre",  # 区域养老服务中心
    "county_home",      # 县级特困供养服务机构 (100% nursing-type beds)
    "service_point",    # 日间照料中心 / 互助幸福院
    "canteen",          # 老年食堂 / 助餐点
    "clinic",           # 村卫生室
    "health_centre",    # 乡镇卫生院
    "ems_station",      # 县120急救站
    "ems_post",         # 急救站点: an ambulance post away from the county seat (policy=[stations])
)
HOME_KINDS = FACILITY_KINDS[:3]

VILLAGE_COLUMNS = ("village_id", "name", "township", "x_km", "y_km", "terrain",
                   "elders_60_69", "elders_70_79", "elders_80_plus")
FACILITY_COLUMNS = ("facility_id", "name", "kind", "village_id", "beds", "nursing_beds",
                    "staff", "seats")


@dataclass(frozen=True, eq=False)
class Villages:
    """Administrative villages as column arrays (one row per village)."""

    village_id: np.ndarray   # str
    name: np.ndarray         # str
    township: np.ndarray     # int index into County.townships
    x_km: np.ndarray
    y_km: np.ndarray
    terrain: np.ndarray      # int index into TERRAINS
    elders: np.ndarray       # (n, 3) elders by age band AGE_BANDS

    def __len__(self) -> int:
        return len(self.village_id)


@dataclass(frozen=True, eq=False)
class Facilities:
    """Facilities as column arrays; ``village`` is the index of the hosting village."""

    facility_id: np.ndarray  # str
    name: np.ndarray         # str
    kind: np.ndarray         # int index into FACILITY_KINDS
    village: np.ndarray      # int index into Villages
    beds: np.ndarray
    nursing_beds: np.ndarray
    staff: np.ndarray
    seats: np.ndarray

    def __len__(self) -> int:
        return len(self.facility_id)

    def of_kind(self, *kinds: str) -> np.ndarray:
        """Indices of the facilities of the given kinds."""
        codes = [FACILITY_KINDS.index(k) for k in kinds]
        return np.flatnonzero(np.isin(self.kind, codes))


@dataclass(frozen=True, eq=False)
class County:
    """A county's static world: villages, facilities, travel times."""

    name: str
    townships: np.ndarray    # str names, indexed by Villages.township
    villages: Villages
    facilities: Facilities
    travel: Travel
    name_zh: str = ""        # Chinese name (县名), shown by Chinese briefings

    @property
    def elders_total(self) -> int:
        return int(self.villages.elders.sum())

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:  # noqa: F821 - pandas imported when used
        """The two ledger tables (villages, facilities) as DataFrames."""
        import pandas as pd  # only here: a worker running replications never loads pandas

        v = self.villages
        villages = pd.DataFrame({
            "village_id": v.village_id.astype(str),
            "name": v.name.astype(str),
            "township": self.townships[v.township].astype(str),
            "x_km": v.x_km,
            "y_km": v.y_km,
            "terrain": np.asarray(TERRAINS)[v.terrain],
            **{f"elders_{b}": v.elders[:, i] for i, b in enumerate(AGE_BANDS)},
        })
        f = self.facilities
        facilities = pd.DataFrame({
            "facility_id": f.facility_id.astype(str),
            "name": f.name.astype(str),
            "kind": np.asarray(FACILITY_KINDS)[f.kind],
            "village_id": v.village_id[f.village].astype(str),
            "beds": f.beds,
            "nursing_beds": f.nursing_beds,
            "staff": f.staff,
            "seats": f.seats,
        })
        return villages, facilities

    def summary(self) -> dict[str, int]:
        """Counts a planner checks first."""
        f = self.facilities
        homes = f.of_kind(*HOME_KINDS)
        return {
            "townships": len(self.townships),
            "villages": len(self.villages),
            "elders": self.elders_total,
            "nursing_homes": len(homes),
            "beds": int(f.beds[homes].sum()),
            "nursing_beds": int(f.nursing_beds[homes].sum()),
            "service_points": len(f.of_kind("service_point")),
            "canteens": len(f.of_kind("canteen")),
            "clinics": len(f.of_kind("clinic")),
        }
