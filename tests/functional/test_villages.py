"""Village-level results and the equity lens (issue 16): the village table adds up to the county,
the remoteness gap vanishes where villages are alike, and who is left out does not depend on
how many workers ran the replications."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiment.villages import LEFT_OUT_COLUMNS, SERVICE_SHARES
from sim.kernels.equity import VILLAGE_OUTCOMES
from sim.world import generate_county
from sim.world.seats import quintiles, remoteness_minutes, township_seats

ALL_SERVICES = ["county=plain", "policy=[canteens,emergency_15min]", "run.horizon_days=180"]


@pytest.fixture(scope="module")
def plain_all():
    return sim.run(ALL_SERVICES, replications=2, seed=3, workers=1)


def test_village_tables_add_up_to_the_county_in_every_replication(plain_all):
    rows = plain_all.events("villages")
    sums = rows.groupby("replication").sum(numeric_only=True)
    runs = plain_all.runs.set_index("replication")
    pairs = {"calls": "emergency_calls", "visits_required": "visits_required",
             "visits_on_time": "visits_on_time", "meals_demanded": "meals_demanded",
             "meals_served": "meals_served", "homecare_hours_needed": "homecare_hours_needed",
             "homecare_hours_delivered": "homecare_hours_delivered"}
    for village_col, kpi in pairs.items():
        np.testing.assert_allclose(sums[village_col].to_numpy(float), runs[kpi].to_numpy(float),
                                   rtol=1e-12, err_msg=kpi)
    assert (runs["meals_served"] > 0).all() and (runs["emergency_calls"] > 0).all()
    # the within-target counts give the county share, and every village appears once per replication
    share = sums["calls_within_target"] / sums["calls"]
    np.testing.assert_allclose(share.to_numpy(), runs["emergency_within_target_share"].to_numpy(), rtol=1e-12)
    assert (rows.groupby("replication")["village"].nunique() == 48).all()


def test_villages_accessor_gives_intervals_and_positions(plain_all):
    v = plain_all.villages()
    assert len(v) == 48 and v["village_id"].is_unique
    assert {"x_km", "y_km", "remoteness_min", "remoteness_quintile", "within_target_share_ci_low",
            "bed_car_min"} <= set(v.columns)
    ok = v["within_target_share"].notna()
    assert (v.loc[ok, "within_target_share_ci_low"] <= v.loc[ok, "within_target_share"] + 1e-12).all()
    assert set(v["remoteness_quintile"]) <= {1, 2, 3, 4, 5}
    # the nearest villages are the township seats, 0 minutes from themselves
    assert (v.loc[v["remoteness_min"] == 0, "remoteness_quintile"] == 1).all()
    assert (v["bed_car_min"] >= 0).all()


def test_equity_kpis_are_in_the_runs_with_labels(plain_all):
    from sim.report.labels import has_label

    runs = plain_all.runs
    for kpi in VILLAGE_OUTCOMES:
        assert f"{kpi}_gap_remoteness" in runs and f"{kpi}_remoteness_q1" in runs
    assert "emergency_within_target_share_group_solitary" in runs
    assert "visit_rate_monthly_age_80_plus" in runs
    marks = ("_remoteness_", "_gap_", "_group_", "_age_", "_terrain_")
    equity = [c for c in runs if any(t in c for t in marks)]
    assert equity and all(has_label(c) for c in equity)


def test_township_seats_of_a_generated_county_are_its_first_villages():
    from sim.experiment.app import compose

    county = generate_county(compose(["county=hill"]).county)
    seats = township_seats(county)
    np.testing.assert_array_equal(seats, np.arange(len(county.townships)))
    minutes = remoteness_minutes(county)
    assert (minutes[seats] == 0).all() and (np.delete(minutes, seats) > 0).all()
    q = quintiles(minutes)
    assert q.min() == 0 and q.max() == 4
    np.testing.assert_array_equal(quintiles(np.full(7, 3.0)), np.zeros(7))


def _alike_county(d):
    """Ten villages alike in every way: one township, one place, one terrain, equal elders."""
    n = 10
    pd.DataFrame({"village_id": [f"A{i}" for i in range(n)], "township": "T1", "x_km": 5.0, "y_km": 5.0,
                  "terrain": "hill", "elders_60_69": 120, "elders_70_79": 60, "elders_80_plus": 30}
                 ).to_csv(d / "villages.csv", index=False)
    pd.DataFrame({"facility_id": ["H", "C", "E", "S", "M", *[f"K{i}" for i in range(n)]],
                  "kind": ["township_home", "health_centre", "ems_station", "service_point", "canteen",
                           *["clinic"] * n],
                  "village_id": ["A0", "A0", "A0", "A0", "A0", *[f"A{i}" for i in range(n)]],
                  "beds": [40, 0, 0, 0, 0, *[0] * n], "nursing_beds": [10, 0, 0, 0, 0, *[0] * n],
                  "seats": [0, 0, 0, 0, 40, *[0] * n]}
                 ).to_csv(d / "facilities.csv", index=False)


def test_remoteness_gap_is_zero_where_villages_are_alike(tmp_path):
    _alike_county(tmp_path)
    res = sim.run([f"county.source={tmp_path}", "run.horizon_days=120"], replications=2, seed=5, workers=1)
    runs = res.runs
    assert (res.villages()["remoteness_quintile"] == 1).all()
    assert (runs["emergency_calls"] > 0).all() and (runs["meals_served"] > 0).all()
    for kpi in VILLAGE_OUTCOMES:
        gap = runs[f"{kpi}_gap_remoteness"].to_numpy(float)
        defined = ~np.isnan(gap)
        assert defined.any() or runs[kpi].isna().all(), kpi
        np.testing.assert_array_equal(gap[defined], 0.0, err_msg=kpi)
        # one quintile: it is the county
        np.testing.assert_allclose(runs[f"{kpi}_remoteness_q1"].to_numpy(float), runs[kpi].to_numpy(float),
                                   rtol=1e-12, equal_nan=True)


def test_left_out_list_is_the_same_with_one_or_two_workers(tmp_path):
    overrides = ["county=plain", "run.horizon_days=120", "report.left_out.visits=0.5"]
    one = sim.run(overrides, replications=3, seed=2, workers=1, output_dir=tmp_path / "w1")
    two = sim.run(overrides, replications=3, seed=2, workers=2, output_dir=tmp_path / "w2")
    a, b = one.left_out(), two.left_out()
    assert list(a.columns) == list(LEFT_OUT_COLUMNS)
    assert set(a["service"]) <= set(SERVICE_SHARES) and len(a) > 0
    pd.testing.assert_frame_equal(a, b)
    on_disk = pd.read_csv(tmp_path / "w2" / "left_out.csv", encoding="utf-8-sig")
    assert list(on_disk["village_id"]) == list(b["village_id"])
    assert (a["replications_under_share"] >= 0.8).all() and (a["share"] < 1).all()
    assert (tmp_path / "w1" / "villages.csv").exists()


def test_left_out_follows_the_threshold(plain_all):
    from dataclasses import replace

    rules = plain_all.config.report.left_out
    none = plain_all.left_out(replace(rules, emergency=0.0, visits=0.0, meals=0.0))
    every = plain_all.left_out(replace(rules, emergency=1.01, visits=1.01, meals=1.01, persistence=0.0))
    assert none.empty
    assert set(every["service"]) == set(SERVICE_SHARES)
