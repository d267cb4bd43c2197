"""Phone visits 通讯探访 (policy-docs/001 (二)3: 上门探视、通讯探访): a share of visits by a call."""

from __future__ import annotations

import numpy as np

import sim
from sim.model.routes import PHONE


def test_phone_visits_take_no_travel_and_raise_the_visiting_rate():
    over = ["county=plain", "policy=[emergency_15min]", "run.horizon_days=61", "report=none",
            "run.save_events=all"]   # the job log (helper_jobs) is written at level all
    base = sim.run(over, replications=1, seed=4, workers=1)
    calls = sim.run([*over, "services.visits.phone_share=0.5"], replications=1, seed=4, workers=1)
    assert base.runs["visits_by_phone"].iloc[0] == 0
    n = calls.runs["visits_by_phone"].iloc[0]
    jobs = calls.events("helper_jobs")
    phone = jobs[(jobs["village"] == PHONE) & (jobs["task"] == "visits")]
    assert n == len(phone) > 0
    assert (phone["travel_min"] == 0).all() and (phone["work_min"] > 0).all()
    v = calls.events("visits")
    assert (v["elder"].isin(phone["elder"])).any()
    assert calls.runs["visit_rate_monthly"].iloc[0] > base.runs["visit_rate_monthly"].iloc[0]
    r = calls.runs.iloc[0]
    counted = r["visits_on_time"] + r["visits_late"] + r["visits_missed"] + r["visits_died_first"]
    assert np.isclose(counted, r["visits_required"])
