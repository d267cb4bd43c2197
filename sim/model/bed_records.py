"""The bed service's record schemas: bed events, homes at the end and by year, facility changes,
weekly occupancy (columns and units; `sim.model.beds` writes them)."""

from __future__ import annotations

import numpy as np

EVENT_KINDS = ("resident_at_start", "applied", "admitted", "waiting", "refused", "transferred",
               "displaced_to_waitlist", "died_in_bed", "discharged", "abandoned", "died_waiting",
               "waiting_at_end", "home_closed", "home_upgraded")
(START, APPLIED, ADMITTED, WAITING, REFUSED, TRANSFERRED, DISPLACED, DIED, DISCHARGED, ABANDONED,
 DIED_WAITING, WAITING_END, CLOSED, UPGRADED) = range(len(EVENT_KINDS))

BED_EVENT_DTYPE = np.dtype([
    ("day", np.float64), ("kind", np.int8), ("elder", np.int32), ("home", np.int32),
    ("from_home", np.int32), ("nursing", np.bool_), ("hardship", np.bool_), ("wait_days", np.float64),
    ("km", np.float64), ("extra_min", np.float64), ("beds_added", np.int32),
    ("nursing_added", np.int32),
])

HOME_DTYPE = np.dtype([
    ("home", np.int32), ("open_end", np.bool_), ("closed_day", np.float64), ("beds_end", np.int32),
    ("nursing_beds_end", np.int32), ("staff_end", np.int32), ("occupied_end", np.int32),
    ("open_days", np.float64),
    ("bed_days", np.float64), ("occupied_bed_days", np.float64), ("staff_days", np.float64),
    ("beds_added", np.int32), ("nursing_added", np.int32),
])

FREED_USES = ("none", "service_point", "canteen")
FACILITY_CHANGE_DTYPE = np.dtype([("day", np.float64), ("home", np.int32), ("village", np.int32),
                                  ("becomes", np.int8)])

HOME_YEAR_DTYPE = np.dtype([
    ("year", np.int32), ("home", np.int32), ("open_days", np.float64), ("bed_days", np.float64),
    ("occupied_bed_days", np.float64), ("staff_days", np.float64), ("beds_added", np.int32),
    ("nursing_added", np.int32),
])
YEAR_DAYS = 365.25

OCCUPANCY_DTYPE = np.dtype([
    ("day", np.float64), ("home", np.int32), ("open", np.bool_), ("beds", np.int32),
    ("occupied", np.int32), ("nursing_beds", np.int32), ("nursing_occupied", np.int32),
    ("waitlist", np.int32),
])
