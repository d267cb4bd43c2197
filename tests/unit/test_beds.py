"""Admission rules, waiting list, closures and transfers of the bed service."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.config.policies import ClosureStage
from sim.config.services import BedsConfig
from sim.model.bed_demand import APPLICATION_DTYPE
from sim.model.beds import (
    ABANDONED,
    ADMITTED,
    CLOSED,
    DIED_WAITING,
    DISPLACED,
    REFUSED,
    TRANSFERRED,
    UPGRADED,
    WAITING,
    WAITING_END,
)
from sim.policy.consolidation import ConsolidationPlan
from tests.bed_setup import fifo_rules, homes, run_beds


def _apps(rows):
    """rows: (day, elder, village, hardship, nursing[, death_day])"""
    apps = np.zeros(len(rows), dtype=APPLICATION_DTYPE)
    for i, r in enumerate(rows):
        apps[i]["day"], apps[i]["elder"], apps[i]["village"] = r[0], r[1], r[2]
        apps[i]["hardship"], apps[i]["nursing"] = r[3], r[4]
        apps[i]["death_day"] = r[5] if len(r) > 5 else np.inf
        apps[i]["discharge_after_days"] = np.inf
    return apps


def _kind(rec, kind):
    ev = rec["beds"]
    return ev[ev["kind"] == kind]


def test_fully_dependent_only_in_nursing_beds_and_nearest_home():
    h = homes([10, 10], nursing=[0, 2], village=[0, 3])
    rec, _ = run_beds(h, _apps([(1, 0, 0, False, True), (2, 1, 0, False, False)]), 10, fifo_rules())
    adm = _kind(rec, ADMITTED)
    assert adm["home"][adm["elder"] == 0][0] == 1 and adm["nursing"][adm["elder"] == 0][0]
    assert adm["home"][adm["elder"] == 1][0] == 0 and not adm["nursing"][adm["elder"] == 1][0]


def test_separation_of_care_groups_switch():
    h = homes([2], nursing=[2])
    apps = _apps([(1, 0, 0, False, False)])
    sep, _ = run_beds(h, apps, 10, fifo_rules())
    mixed, _ = run_beds(h, apps, 10, fifo_rules(separate_care_groups=False))
    assert len(_kind(sep, WAITING)) == 1 and len(_kind(sep, ADMITTED)) == 0
    assert len(_kind(mixed, ADMITTED)) == 1 and _kind(mixed, ADMITTED)["nursing"][0]


def test_hardship_first_overtakes_earlier_ordinary_applicant():
    # one bed, occupied until day 5; two applicants wait: ordinary (day 1), special-hardship (day 2)
    h = homes([1], residents=[(9, 0, False, 5.0)])
    apps = _apps([(1, 0, 0, False, False), (2, 1, 0, True, False)])
    first, _ = run_beds(h, apps, 10, replace(BedsConfig(), waitlist="hardship_first"), n_elders=10)
    fifo, _ = run_beds(h, apps, 10, fifo_rules(), n_elders=10)
    assert _kind(first, ADMITTED)["elder"][0] == 1
    assert _kind(fifo, ADMITTED)["elder"][0] == 0


def test_out_of_range_is_refused_and_reserve_holds_beds():
    h = homes([20], village=[0])
    far = _apps([(1, 0, 5, False, False)])                     # 50 minutes away
    rec, _ = run_beds(h, far, 10, fifo_rules(max_travel_min=30.0))
    assert len(_kind(rec, REFUSED)) == 1
    many = _apps([(1 + i * 0.01, i, 0, False, False) for i in range(20)])
    rec, _ = run_beds(h, many, 10, fifo_rules(reserve_share=0.1))  # 2 of 20 beds held back
    assert len(_kind(rec, ADMITTED)) == 18 and len(_kind(rec, WAITING_END)) == 2


def test_died_waiting_and_abandoned_are_recorded():
    h = homes([1], residents=[(9, 0, False, 100.0)])
    apps = _apps([(1, 0, 0, False, False, 4.0), (2, 1, 0, False, False)])
    rec, _ = run_beds(h, apps, 50, fifo_rules(patience_days=10.0), n_elders=10)
    died = _kind(rec, DIED_WAITING)
    gone = _kind(rec, ABANDONED)
    assert died["elder"].tolist() == [0] and died["day"][0] == 4.0 and died["wait_days"][0] == 3.0
    assert gone["elder"].tolist() == [1] and gone["day"][0] == 12.0


def _plan(kept, stages, upgrades=(), reserve=0.0):
    return ConsolidationPlan(kept=np.asarray(kept), central=int(np.argmax(kept)), stages=tuple(stages),
                             upgrades=tuple(upgrades), reserve_share=reserve, staff_move=True,
                             freed_building="none")


def test_closure_rule_closes_below_threshold_only_and_moves_residents():
    # home 0 kept (30 beds, empty); home 1 with 5 residents; home 2 with 15 residents
    residents = [(i, 1, False, np.inf) for i in range(5)] + [(5 + i, 2, False, np.inf) for i in range(15)]
    h = homes([30, 10, 20], village=[0, 1, 2], staff=[3, 2, 4], residents=residents)
    plan = _plan([True, False, False], [ClosureStage(day=10.0, below_residents=10)])
    rec, service = run_beds(h, np.zeros(0, APPLICATION_DTYPE), 20, fifo_rules(), plan=plan,
                            elder_village=np.r_[np.full(5, 1), np.full(15, 2)])
    closed = _kind(rec, CLOSED)
    assert closed["home"].tolist() == [1] and closed["day"].tolist() == [10.0]
    moved = _kind(rec, TRANSFERRED)
    assert sorted(moved["elder"].tolist()) == list(range(5))
    assert np.all(moved["home"] == 0) and np.all(moved["from_home"] == 1)
    assert service.open.tolist() == [True, False, True]
    assert service.staff.tolist() == [5, 0, 4]                  # staff followed the residents
    assert rec["homes"]["occupied_end"].tolist() == [5, 0, 15]  # nobody lost or duplicated


def test_closure_without_space_puts_residents_first_in_line():
    # 5 residents of home 1 (closing on day 5), 3 beds in kept home 0; elder 0 leaves on day 10
    residents = [(0, 1, False, 10.0)] + [(i, 1, False, np.inf) for i in range(1, 5)]
    h = homes([3, 10], village=[0, 1], residents=residents)
    apps = _apps([(6, 10, 0, True, False)])                     # a special-hardship applicant after
    plan = _plan([True, False], [ClosureStage(day=5.0, all_not_kept=True)])
    rec, _ = run_beds(h, apps, 20, BedsConfig(), plan=plan, n_elders=11, elder_village=np.full(11, 1))
    moved, displaced = _kind(rec, TRANSFERRED), _kind(rec, DISPLACED)
    assert len(moved) == 3 and len(displaced) == 2
    readmitted = _kind(rec, ADMITTED)
    assert readmitted["day"].tolist() == [10.0]                 # the bed elder 0 frees ...
    assert readmitted["elder"][0] in displaced["elder"]          # ... goes to a displaced resident first
    waiting = set(_kind(rec, WAITING_END)["elder"].tolist())
    assert waiting == (set(displaced["elder"]) - {readmitted["elder"][0]}) | {10}
    assert rec["homes"]["occupied_end"].tolist() == [3, 0]


def test_upgrade_adds_beds_and_nursing_share():
    h = homes([80, 20], nursing=[10, 0], village=[0, 1])
    plan = _plan([True, False], [], upgrades=[(30.0, np.array([0]), 120, 0.5)])
    rec, service = run_beds(h, np.zeros(0, APPLICATION_DTYPE), 60, fifo_rules(), plan=plan, n_elders=1)
    up = _kind(rec, UPGRADED)
    assert up["beds_added"].tolist() == [40] and up["nursing_added"].tolist() == [50]
    assert service.beds.tolist() == [120, 20] and service.nursing.tolist() == [60, 0]
    # bed-days integrate the change: 80 beds for 30 days, then 120 for 30
    assert np.isclose(rec["homes"]["bed_days"][0], 80 * 30 + 120 * 30)
