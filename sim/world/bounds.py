"""Plausibility bounds of the ledger tables' numbers, each with its reason.

A number outside its bound is a typo or a wrong unit (metres for km, a county
total in a village's row), not a county the model should simulate: ``elders_60_69
= 1e9`` must be one message naming the cell, not a 7 GiB allocation.  Every bound
names where it comes from (a ``CALIBRATION.md`` row, or an assumption [A] with
the arithmetic that makes it generous), and the message shows it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bound:
    """A closed range ``[low, high]`` and why a value outside it is refused."""

    low: float
    high: float
    why: str

    def allowed(self) -> str:
        return f"must lie in [{self.low:g}, {self.high:g}] ({self.why})"


# CALIBRATION §1: residents per administrative village ~1,000 (300-3,000) [D].  20,000 elders
# of one age band would be a village of ~80,000 residents at the rural 60+ share of 23.81%.
ELDERS = Bound(0, 20_000, "elders of one age band in one village; plausibility limit [A]: "
               "a village has 300-3,000 residents, CALIBRATION §1")
# CALIBRATION §1: a generic county has 400k residents and real counties vary fivefold [A].
COUNTY_ELDERS = Bound(1, 2_000_000, "elders in the whole county; plausibility limit [A]: "
                      "400k residents x 5, CALIBRATION §1")
# CALIBRATION §1: ~250 villages in a generic county [A]; 20x leaves room for the largest.
VILLAGES = Bound(1, 5_000, "villages in one county; plausibility limit [A]: 20x the 250 "
                 "villages of a generic county, CALIBRATION §1")
# CALIBRATION §5: ~105 beds per rural home [D]; 5,000 is ~50x that.
BEDS = Bound(0, 5_000, "beds of one facility; plausibility limit [A]: ~50x the mean rural "
             "home of ~105 beds, CALIBRATION §5")
# CALIBRATION §5 staffing 1:3 for dependent residents [M]: 5,000 beds need ~1,700 staff.
STAFF = Bound(0, 2_000, "staff of one facility; plausibility limit [A]: the 1:3 staffing "
              "rule of CALIBRATION §5 at the 5,000-bed limit")
# CALIBRATION §6: a 100-seat canteen [S], model defaults 30-50 seats [A].
SEATS = Bound(0, 2_000, "seats of one canteen; plausibility limit [A]: 20x the 100-seat "
              "canteen of CALIBRATION §6")
# CALIBRATION §1: a county of ~2,000 km2, real ones vary fivefold: ~100 km across; 10x that.
SPAN_KM = 1_000.0
KM = Bound(0, SPAN_KM, "road km between two villages; plausibility limit [A]: 10x the ~100 km "
           "across a large county, CALIBRATION §1")
# Projected coordinates may carry a false easting/northing (UTM: up to ~10,000 km), so the
# values themselves are bounded loosely and their span tightly (COORD_SPAN).
COORD_KM = Bound(-20_000, 20_000, "projected km; half the Earth's circumference")
COORD_SPAN = (f"villages must lie within {SPAN_KM:g} km of each other (plausibility limit [A]: "
              "10x the ~100 km across a large county, CALIBRATION §1; are these metres?)")
# China's mainland and islands: lon 73-136 E, lat 3-54 N.  A county's lon/lat outside them
# is almost always lon and lat swapped or a sign lost.
LON = Bound(73, 136, "degrees east: the model's counties are in China; lon and lat swapped?")
LAT = Bound(3, 54, "degrees north: the model's counties are in China; lon and lat swapped?")
DEGREE_SPAN = 10.0
DEGREE_SPAN_TEXT = (f"villages must lie within {DEGREE_SPAN:g} degrees of each other "
                    "(plausibility limit [A]: ~1,000 km, see the km span)")

# Default staff of a nursing home with a blank or missing ``staff``: the staffing rule of
# CALIBRATION §5 [M], >= 1 care worker per 10 self-care and per 3 dependent residents,
# applied to the beds (a home staffed for a full house), rounded up.
BEDS_PER_STAFF_SELF_CARE = 10
BEDS_PER_STAFF_NURSING = 3
