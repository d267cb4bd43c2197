"""One replication's contention stage: a SimPy environment and its services.

Each service is built here from the environment, the world, its rules, its
demand arrays and the shared records; services added later plug in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy

from sim.config.services import ServicesConfig
from sim.model.adaptation import AdaptationProgramme
from sim.model.allowances import AllowanceDemand
from sim.model.bed_demand import death_days
from sim.model.beds import BedService, HomesAtStart
from sim.model.duty import Duty
from sim.model.emergency import EmergencyService
from sim.model.helpers import HelperService
from sim.model.homecare import HomeCareDemand, HomeCareRoutes
from sim.model.meals import MealDemand, MealService
from sim.model.mutual_aid import mutual_aid
from sim.model.population_clock import PopulationClock
from sim.model.records import Records
from sim.model.responders import RESPONDER_DTYPE, Responders, hospital_village
from sim.model.routes import Residents
from sim.model.timebank import TimeBankDemand, TimeBankService
from sim.model.visits import VisitRoutes
from sim.population.dynamics import Trajectory
from sim.streams import Streams
from sim.world.county import County


@dataclass(frozen=True, eq=False)
class Demand:
    """The demand arrays of one replication (from the NumPy stage)."""

    trajectory: Trajectory
    emergency_calls: np.ndarray
    bed_applications: np.ndarray
    homes: HomesAtStart
    visits_due: list[np.ndarray]
    meals: MealDemand
    homecare: HomeCareDemand
    timebank: TimeBankDemand
    replication: int = 0
    allowances: AllowanceDemand | None = None
    adaptation: AdaptationProgramme | None = None


FACILITY_STATUS_DTYPE = np.dtype([("facility", np.int32), ("kind", np.int8), ("village", np.int32),
                                  ("built_day", np.float64), ("open_day", np.float64),
                                  ("subsidised", np.bool_)])


def simulate_contention(demand: Demand, county: County, services: ServicesConfig,
                        responders: Responders, horizon_days: float, streams: Streams,
                        consolidation=None, timebank=None,
                        facility_open_day: np.ndarray | None = None, facility_built_day=None,
                        facility_subsidised=None) -> dict[str, np.ndarray]:
    """Run the SimPy stage over ``horizon_days`` and return its record arrays.  ``facility_open_day``
    (per facility; inf: opens on an event, e.g. a freed home) is copied: closures set it here."""
    env = simpy.Environment()
    records = Records()
    open_day = np.zeros(len(county.facilities)) if facility_open_day is None \
        else np.array(facility_open_day, dtype=float)
    PopulationClock(env, demand.trajectory.events, records)
    car = county.travel["car"]
    elders = demand.trajectory.elders
    death = death_days(demand.trajectory)
    emergency = EmergencyService(env, services.emergency, responders, car[:, hospital_village(county)],
                                 county.villages.township, demand.emergency_calls, records, horizon_days)
    beds = BedService(env, services.beds, demand.homes, car, county.travel.road_km,
                      demand.bed_applications, elders.village, records, horizon_days,
                      plan=consolidation, facility_open_day=open_day)
    in_home = lambda e: beds.home_of[e] >= 0  # noqa: E731
    duty = Duty(responders.facility, open_day)       # units at dated facilities work from their opening
    modes = [s.mode for s in services.helpers]
    minutes = [county.travel.minutes[modes[k]] for k in responders.kind]   # per unit: its mode's matrix
    volunteers = np.zeros(0, np.int64)
    if timebank is not None and timebank.enabled:
        volunteers = np.flatnonzero(responders.kind == responders.names.index(timebank.volunteer.name))
    tasks = timebank.tasks if timebank is not None else ()
    visits = VisitRoutes(env, services.visits, responders, minutes, demand.visits_due, elders.village,
                         death, streams("visits.durations"), records, horizon_days,
                         volunteers=volunteers if "visits" in tasks else None,
                         phone_rng=streams("visits.phone"), duty=duty, order_rng=streams("visits.order"))
    homecare = HomeCareRoutes(env, services.homecare, responders, minutes, demand.homecare, elders.village,
                              death, in_home, len(county.villages), records, horizon_days,
                              volunteers=volunteers if "homecare" in tasks else None, duty=duty)
    # the time bank's 助餐、助急 on call: the meals service hands it lunches nobody else brings
    aid = mutual_aid(timebank, len(county.villages), demand.emergency_calls,
                     np.diagonal(county.travel.minutes["walk"]).copy(), records, horizon_days) \
        if len(volunteers) else None
    meals = MealService(env, services.meals, county, responders, demand.meals, elders.village, death,
                        in_home, streams("meals.wishes"), streams("meals.handoff"), records, horizon_days,
                        facility_open_day=open_day, aid=aid)
    bank = None
    if len(volunteers):
        bank = TimeBankService(env, timebank, demand.timebank, volunteers, responders.base[volunteers],
                               elders.village, death, in_home, services.homecare.session_hours, records,
                               horizon_days, aid=aid)
    helpers = HelperService(env, services.tasks, responders, emergency, minutes,
                            {"visits": visits, "homecare": homecare}, meals, records, horizon_days,
                            Residents(death, beds.home_of, elders.village.astype(np.int64)),
                            timebank=bank, timebank_tasks=tasks)
    env.run(until=horizon_days)
    emergency.finish()
    beds.finish()
    visits.finish()
    homecare.finish()
    meals.finish()
    helpers.finish()
    if bank is not None:
        bank.finish()
    f = county.facilities
    sites = f.of_kind("service_point", "canteen")
    if (open_day[f.of_kind("regional_centre")] > 0).any():   # centres opened by a policy: their dates too
        sites = f.of_kind("service_point", "canteen", "regional_centre")
    built = np.zeros(len(f)) if facility_built_day is None else np.asarray(facility_built_day, dtype=float)
    built = np.where(np.isinf(built), open_day, built)          # a freed home's building: built as it opens
    subsidised = np.zeros(len(f), bool) if facility_subsidised is None else np.asarray(facility_subsidised)
    records.table("facility_status", FACILITY_STATUS_DTYPE).append(
        facility=sites, kind=f.kind[sites], village=f.village[sites], built_day=built[sites],
        open_day=open_day[sites], subsidised=subsidised[sites])
    used = helpers.minutes_used
    records.table("responders", RESPONDER_DTYPE).append(
        unit=np.arange(len(responders)), kind=responders.kind, base=responders.base,
        busy_minutes=emergency.busy_minutes, visit_minutes=used["visits"],
        homecare_minutes=used["homecare"] + used["timebank"], delivery_minutes=used["meals"],
        shift_minutes=responders.shift_minutes_until(horizon_days))
    return records.arrays()
