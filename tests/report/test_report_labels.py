"""The label table covers every KPI the runs have, in Chinese and English."""

from __future__ import annotations

import pytest

from sim.report import labels

DESIGN_KPIS = [
    "emergency_calls", "emergency_within_target_share", "emergency_response_p50_min",
    "emergency_response_p90_min", "meals_demanded", "meals_served", "meals_unmet_share",
    "visit_rate_monthly", "homecare_hours_needed", "homecare_hours_delivered", "bed_occupancy",
    "bed_wait_days_mean", "bed_waitlist_end", "residents_displaced", "displacement_km_mean",
    "timebank_hours_deposited", "timebank_hours_withdrawn", "timebank_liability_hours",
    "timebank_withdrawals_honoured_share", "cost_total_yuan", "cost_per_elder_yuan",
]


def _kpi_columns(*results) -> list[str]:
    cols = {c for r in results for c in r.runs.columns if c not in ("replication", "seed")}
    return sorted(cols)


def test_every_runs_column_has_a_label(baseline, emergency):
    missing = [c for c in _kpi_columns(baseline, emergency) if not labels.has_label(c)]
    assert not missing, f"add these KPIs to sim/report/labels.py KPI_LABELS: {missing}"
    for kpi in _kpi_columns(baseline, emergency):
        for lang in labels.LANGS:
            assert labels.label(kpi, lang) != kpi
            assert labels.unit(kpi, lang)


@pytest.mark.parametrize("kpi", DESIGN_KPIS)
def test_design_kpis_have_labels(kpi):
    assert labels.has_label(kpi)


def test_design_chinese_names():
    assert labels.label("emergency_calls", "zh") == "紧急呼叫数"
    assert labels.label("emergency_within_target_share", "zh") == "目标时限内响应率"
    assert labels.label("visit_rate_monthly", "zh") == "月探访率"
    assert labels.label("emergency_within_target_share", "en") == "Reached within target"


@pytest.mark.parametrize("name, zh", [
    ("village_doctor", "乡村医生"), ("township_team", "卫生院急救"), ("ambulance", "120急救车"),
    ("coordinator", "养老协理员"), ("township_ambulance", "乡镇急救车"),
    ("ambulance_added", "新增120急救车"),
])
def test_responder_busy_shares_are_labelled_from_the_type(name, zh):
    kpi = f"responder_busy_share_{name}"
    assert labels.label(kpi, "zh").startswith(zh)
    assert labels.is_share(kpi)
    assert labels.label(kpi, "en") != kpi


def test_unknown_kpi_falls_back_to_raw_name_and_suffix_unit():
    assert labels.label("walks_per_week", "zh") == "walks_per_week"
    assert not labels.has_label("responder_busy_share_drone")
    assert labels.unit("drone_flight_min", "zh") == "分钟"
    assert labels.unit("drone_flight_min", "en") == "min"
    assert labels.unit("something", "en") == ""
    assert labels.axis_label("drone_cost_yuan", "zh") == "drone_cost_yuan（元）"


def test_axis_labels():
    assert labels.axis_label("emergency_response_p50_min", "zh") == "响应时间中位数（分钟）"
    assert labels.axis_label("emergency_response_p50_min", "en") == "Response time, median (min)"
    assert labels.axis_label("emergency_within_target_share", "en") == "Reached within target (%)"


def test_scenario_and_policy_labels():
    assert labels.scenario_label("baseline", "zh") == "现状"
    assert labels.scenario_label("plain/emergency", "en") == "Plain county · 15-minute emergency response"
    assert labels.policy_label("consolidation+time_bank", "zh") == "敬老院撤并 + 时间银行"
    assert labels.policy_label("canteens", "en") == "Meals and canteens"
    assert labels.scenario_labels(["plain/baseline", "plain/emergency"], "zh") == ["现状", "15分钟应急响应"]
    assert labels.scenario_labels(["plain/baseline", "hill/baseline"], "zh") == ["平原县 · 现状",
                                                                                 "丘陵县 · 现状"]
    assert labels.scenario_labels(["plain/baseline", "plain/baseline"], "en") == ["Baseline (1)",
                                                                                  "Baseline (2)"]
    assert labels.scenario_label("plain/new_policy", "zh", county=False) == "new_policy"


def test_scenarios_set_apart_by_overrides_are_named_by_their_policy_file():
    """Two Yulin programmes are both a consolidation section that closes no home (bed_upgrades):
    the one set apart by its override is named by the policy file; other overrides stay shown."""
    from sim.config.schema import PolicyConfig
    from sim.experiment.app import compose

    assert compose(["policy=nursing_beds_yulin"]).policy.label() == "bed_upgrades"
    assert compose(["policy=consolidation"]).policy.label() == "consolidation"
    assert PolicyConfig().label() == "baseline"
    names = ["hill/baseline", "hill/bed_upgrades", "hill/bed_upgrades [policy=[nursing_beds_yulin]]"]
    assert labels.scenario_labels(names, "zh") == ["现状", "护理型床位改造", "新增护理型床位（榆林）"]
    assert labels.scenario_labels(names, "en")[2] == "New nursing-type beds, Yulin"
    assert labels.scenario_label("plain/emergency [run.seed=3 +policy=emergency_15min_plan]", "en") == \
        "Plain county · 15-minute response, coordinators do not respond [run.seed=3]"
    alone = labels.scenario_label("plain/emergency [run.seed=3]", "zh", county=False)
    assert alone == "15分钟应急响应 [run.seed=3]"


def test_township_labels():
    assert labels.township_label("Township 3", "zh") == "三乡"
    assert labels.township_label("Township 3", "en") == "Township 3"
    assert labels.township_label("嘉峰镇", "en") == "嘉峰镇"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang"):
        labels.label("deaths", "fr")


def test_period_kpis_take_the_base_label():
    assert labels.label("bed_occupancy_first_year", "zh") == "床位入住率（首年）"
    assert labels.label("bed_waitlist_mean_last_year", "en") == "Waiting list, mean, last year"
    assert labels.is_share("bed_occupancy_last_year")
    assert not labels.has_label("no_such_kpi_first_year")


def test_time_bank_and_daily_service_kpis_have_labels():
    from sim.report.labels import label
    for kpi in ("timebank_liability_hours_year_7", "timebank_honoured_share_year_10", "timebank_members",
                "helper_utilisation_meal_courier", "meals_unmet_full_share", "homecare_unmet_share",
                "helper_wage_cost_yuan", "visits_late"):
        assert labels.has_label(kpi), kpi
    assert label("timebank_liability_hours_year_7", "zh").endswith("（第7年）")
    assert label("timebank_honoured_share_year_10", "en") == "Time bank: withdrawals honoured, year 10"
