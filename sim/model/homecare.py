"""Home care (上门服务) for dependent elders living at home: weekly needs and routes.

What is modelled: at the start of every week, each partially or fully
dependent elder who is alive and not in a nursing home needs
``hours_per_week[adl]`` hours of care (ADL state at the start of the month),
given as sessions of about ``session_hours``.  Elders are assigned to the
home-care helper serving their village (based in it, else the nearest; shared
in proportion to hours).  Each helper's week is a route: everyone's first
session, then everyone's second, ... (so scarce hours reach as many elders as
possible), villages in nearest-neighbour order from the base; helpers walk it
within ``homecare_hours_per_week`` (`sim.model.helpers`).

At the week's end every session is settled: delivered, lapsed (the elder died
or entered a nursing home first) or unmet.  Needed hours = delivered + unmet
(+ lapsed, reported apart).  Only weeks that end within the horizon are
planned.  Clock in days.
"""

from __future__ import annotations

import numpy as np

from sim.config.services import HomeCareConfig
from sim.model.duty import DutyHelpers
from sim.model.records import Records
from sim.model.responders import Responders, share_elders, village_helpers
from sim.model.routes import Routes, SourceArrays, TaskSource, between, first_n, lex_order, travel_modes
from sim.population.demography import MONTH_DAYS
from sim.population.elders import Elders

HOMECARE_DTYPE = np.dtype([
    ("week", np.int32), ("village", np.int32), ("elders", np.int32), ("elders_unserved", np.int32),
    ("hours_needed", np.float64), ("hours_delivered", np.float64), ("hours_unmet", np.float64),
    ("hours_lapsed", np.float64),
])


class HomeCareDemand:
    """A monthly hook recording the dependent elders and their ADL state (NumPy)."""

    def __init__(self, rules: HomeCareConfig):
        self.rules = rules
        self.dependent: list[np.ndarray] = []
        self.adl: list[np.ndarray] = []

    def __call__(self, month: int, alive: np.ndarray, exposure_days: np.ndarray, elders: Elders) -> None:
        hours = np.asarray(self.rules.hours_per_week)[elders.adl[alive]]
        need = alive[hours > 0]
        self.dependent.append(need.astype(np.int64))
        self.adl.append(elders.adl[need].astype(np.int8))


class HomeCareRoutes(TaskSource):
    """The weekly home-care needs and routes of one replication (a task source)."""

    def __init__(self, env, rules: HomeCareConfig, units: Responders, minutes: list[np.ndarray],
                 demand: HomeCareDemand, elder_village: np.ndarray, death_day: np.ndarray,
                 in_home, n_villages: int, records: Records, horizon_days: float,
                 volunteers: np.ndarray | None = None, duty=None):
        self.env, self.rules, self.units = env, rules, units
        self.demand, self.village, self.death, self.in_home = demand, elder_village, death_day, in_home
        self.horizon, self.n_villages = horizon_days, n_villages
        self.workers = np.flatnonzero(units.homecare_hours > 0)
        # time-bank volunteers: they take, from the end, the sessions of their village nobody has taken
        self.volunteers = np.zeros(0, np.int64) if volunteers is None else np.asarray(volunteers, np.int64)
        self.volunteer_of = np.full(n_villages, -1, dtype=np.int64)
        self.volunteer_of[units.base[self.volunteers]] = self.volunteers
        self._on_duty = DutyHelpers(units, self.workers, duty, village_helpers)   # a team starts on a date
        self.helper_of = self._on_duty.table
        self.records = records.table("homecare", HOMECARE_DTYPE)
        self._mats, self._mode = travel_modes(minutes)
        self._base = units.base.astype(np.int64)
        self.routes = Routes(len(units))             # each helper's session indices this week
        self.week = -1
        self._session_elder = np.zeros(0, np.int64)
        self._session_min = np.zeros(0)
        self._delivered = np.zeros(0, dtype=bool)
        self._claimed = np.zeros(0, dtype=bool)
        if len(demand.dependent):
            env.process(self._weeks())

    def _weeks(self):
        week = 0
        while (week + 1) * 7 <= self.horizon + 1e-9:
            if week * 7 > self.env.now:
                yield self.env.timeout(week * 7 - self.env.now)
            self._settle()
            self._plan(week)
            week += 1
        if week * 7 > self.env.now and week * 7 <= self.horizon:
            yield self.env.timeout(week * 7 - self.env.now)
        self._settle()

    def _plan(self, week: int) -> None:
        from sim.model.tour_kernel import tour_ranks  # numba: loaded by the processes that simulate

        now = self.env.now
        month = min(int(now // MONTH_DAYS), len(self.demand.dependent) - 1)
        elders, adl = self.demand.dependent[month], self.demand.adl[month]
        here = (self.death[elders] > now) & ~self.in_home(elders)
        elders, adl = elders[here], adl[here]
        hours = np.asarray(self.rules.hours_per_week)[adl]
        sessions = np.maximum(np.ceil(hours / self.rules.session_hours - 1e-9), 1).astype(np.int64)
        idx = np.repeat(np.arange(len(elders)), sessions)
        first = np.cumsum(sessions) - sessions
        rnd = np.arange(len(idx)) - np.repeat(first, sessions)          # 0 for a first session
        self.week = week
        self._session_elder = elders[idx]
        self._session_min = np.repeat(hours * 60.0 / sessions, sessions)
        self._session_round = rnd
        self._delivered = np.zeros(len(idx), dtype=bool)
        self._claimed = np.zeros(len(idx), dtype=bool)
        self.helper_of = self._on_duty.at(now)
        pick = share_elders(self.helper_of, self.village[elders], elders, self.units.homecare_hours)[idx]
        # each helper's week: first sessions first, villages on its nearest-neighbour tour, elders in order
        paid = np.flatnonzero(pick >= 0)
        rank = np.zeros(len(pick), np.int64)
        rank[paid] = tour_ranks(self._mats, self._mode, self._base, pick[paid],
                                self.village[self._session_elder[paid]], len(self._mats[0]))
        unit, entry = [pick[paid]], [paid]
        keys = [(self._session_elder[paid], rank[paid], rnd[paid])]
        if len(self.volunteers):     # volunteers: their village's sessions, first ones first, from the end
            vol = self.volunteer_of[self.village[self._session_elder]]
            mine = np.flatnonzero(vol >= 0)
            unit.append(vol[mine])
            entry.append(mine)
            keys.append((-self._session_elder[mine], np.zeros(len(mine), np.int64), rnd[mine]))
        unit, entry = np.concatenate(unit), np.concatenate(entry)
        k3, k2, k1 = (np.concatenate(k) for k in zip(*keys))
        order = lex_order((k3, k2, k1, unit))
        self.routes.assign_sorted(unit[order], entry[order], week)
        e = self.routes.entries
        self.routes.set_floor(self._mats, self._mode, self._base, self.village[self._session_elder[e]],
                              self._session_min[e])

    def _settle(self) -> None:
        if self.week < 0 or not len(self._session_elder):
            self.week = -1
            return
        e = self._session_elder
        end = self.env.now
        lapsed = ~self._delivered & ((self.death[e] <= end) | self.in_home(e))
        unmet = ~self._delivered & ~lapsed
        v = self.village[e]
        hours = self._session_min / 60.0
        count = lambda w: np.bincount(v, weights=w, minlength=self.n_villages)  # noqa: E731
        first = self._session_round == 0
        got = np.bincount(e[self._delivered], minlength=int(e.max()) + 1)[e] > 0
        rows = np.flatnonzero(np.bincount(v, minlength=self.n_villages))
        self.records.append(
            week=self.week, village=rows, elders=count(first.astype(float))[rows].astype(np.int32),
            elders_unserved=count((first & ~got & ~lapsed).astype(float))[rows].astype(np.int32),
            hours_needed=count(hours * ~lapsed)[rows], hours_delivered=count(hours * self._delivered)[rows],
            hours_unmet=count(hours * unmet)[rows], hours_lapsed=count(hours * lapsed)[rows])
        self.week = -1
        self.routes.clear()
        self._session_elder = np.zeros(0, np.int64)

    def finish(self) -> None:
        self._settle()

    # ------------------------------------------------------------------ the task-source interface
    def arrays(self) -> SourceArrays:
        """Entries are this week's sessions; delivered ones are done; elders in a home are skipped."""
        return SourceArrays(self.routes, self._session_elder, self._delivered, self._claimed,
                            self._session_min, True, True)

    def commit_many(self, units, token, n, starts, ends, travel, work) -> None:
        week, positions, sessions = token
        did = first_n(n, sessions.shape[1]) & (week == self.week)[:, None]
        self._claimed[sessions[did]] = False
        self._delivered[sessions[did]] = True

    def rewind_many(self, units, token, n, keep) -> None:
        week, positions, sessions = token
        now = week == self.week
        self._claimed[sessions[between(keep, n, sessions.shape[1]) & now[:, None]]] = False
        self.routes.rewind(units[now], positions[now], n[now], keep[now])
