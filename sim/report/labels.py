"""Chinese and English names of KPIs, units, scenarios and responders, for charts and briefings.

One table per kind of name.  KPI names are the interface of DESIGN §8 plus every
column the runs table has today; an unknown KPI falls back to its raw name and a
unit read from its suffix (``_min``, ``_share``, ``_days``, ...), so a new KPI
still plots before it is given a label here.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sim.kernels.costs import LINES, PAYER_LABELS

LANGS = ("zh", "en")


class KpiLabel(NamedTuple):
    zh: str
    en: str
    unit_zh: str
    unit_en: str


_PEOPLE = ("人", "persons")
_CALLS = ("次", "calls")
_SHARE = ("比例", "share")
_MIN = ("分钟", "min")
_HOURS = ("小时", "hours")
_YUAN = ("元", "yuan")
_VISITS = ("人次", "visits")


def _k(zh: str, en: str, unit: tuple[str, str]) -> KpiLabel:
    return KpiLabel(zh, en, *unit)


KPI_LABELS: dict[str, KpiLabel] = {
    # population (DESIGN §3)
    "elders_start": _k("期初老年人数", "Elders at start", _PEOPLE),
    "elders_end": _k("期末老年人数", "Elders at end", _PEOPLE),
    "entered": _k("新满60岁人数", "Elders turning 60", _PEOPLE),
    "deaths": _k("死亡人数", "Deaths", _PEOPLE),
    "new_dependent": _k("新增失能（含半失能）人数", "Newly dependent (partly or fully)", _PEOPLE),
    "new_fully_dependent": _k("新增完全失能人数", "Newly fully dependent", _PEOPLE),
    "dementia_onsets": _k("新发失智人数", "Dementia onsets", _PEOPLE),
    "person_years": _k("生存人年", "Person-years lived", ("人年", "person-years")),
    "death_rate_per_1000": _k("死亡率", "Death rate", ("‰", "per 1,000 person-years")),
    "partial_share_end": _k("期末半失能比例", "Partly dependent at end", _SHARE),
    "full_share_end": _k("期末完全失能比例", "Fully dependent at end", _SHARE),
    # emergency response 应急响应 (DESIGN §4.1, §8)
    "emergency_calls": _k("紧急呼叫数", "Emergency calls", _CALLS),
    "emergency_within_target_share": _k("目标时限内响应率", "Reached within target", _SHARE),
    "emergency_response_p50_min": _k("响应时间中位数", "Response time, median", _MIN),
    "emergency_response_p90_min": _k("响应时间90分位", "Response time, 90th percentile", _MIN),
    "emergency_help_within_target_share": _k("发病后目标时限内获救率", "Helped within target of onset",
                                             _SHARE),
    "emergency_help_p50_min": _k("发病至获救时间中位数", "Onset to help, median", _MIN),
    "emergency_queued_share": _k("排队等待呼叫比例", "Calls that waited for a responder", _SHARE),
    "emergency_unreached_end": _k("期末未到达呼叫数", "Calls not reached by the end", _CALLS),
    "emergency_device_used_share": _k("一键呼叫使用率", "Calls made with the one-key device", _SHARE),
    "emergency_escalated": _k("转送医院数", "Taken to hospital", _CALLS),
    "emergency_false_alarms": _k("误报数", "False alarms", _CALLS),
    # meals 助餐
    "meals_demanded": _k("助餐需求", "Meals demanded", ("份", "meals")),
    "meals_served": _k("助餐供给", "Meals served", ("份", "meals")),
    "meals_unmet_share": _k("助餐未满足率", "Meals unmet", _SHARE),
    "meals_dine_in": _k("堂食份数", "Meals eaten at a canteen", ("份", "meals")),
    "meals_delivered": _k("送餐上门份数", "Meals delivered", ("份", "meals")),
    "meals_unmet_closed_share": _k("未满足：食堂休息", "Unmet: canteen closed", _SHARE),
    "meals_unmet_full_share": _k("未满足：座位或厨房已满", "Unmet: seats or kitchen full", _SHARE),
    "meals_unmet_no_service_share": _k("未满足：附近无助餐服务", "Unmet: no canteen in reach", _SHARE),
    "meals_unmet_late_share": _k("未满足：送餐超时", "Unmet: delivery too late", _SHARE),
    "meals_demanded_open_days": _k("营业日助餐需求", "Meals wished on open days", ("份", "meals")),
    "meals_unmet_open_days_share": _k("营业日未满足率（能力不足）", "Unmet on open days (capacity)", _SHARE),
    # visits 探访关爱
    "visit_rate_monthly": _k("月探访率", "Monthly visit rate", _SHARE),
    "visits_required": _k("应探访人次", "Visits required", _VISITS),
    "visits_on_time": _k("按时探访人次", "Visits made on time", _VISITS),
    "visits_late": _k("逾期探访人次", "Visits made late", _VISITS),
    "visits_missed": _k("未探访人次", "Visits missed", _VISITS),
    "visits_died_first": _k("探访前去世人次", "Died before the visit", _VISITS),
    "visits_open_end": _k("期末未完成探访人次", "Visits still open at the end", _VISITS),
    # home care 上门服务
    "homecare_hours_needed": _k("上门服务需求时数", "Home-care hours needed", _HOURS),
    "homecare_hours_delivered": _k("上门服务提供时数", "Home-care hours delivered", _HOURS),
    "homecare_unmet_share": _k("上门服务未满足率", "Home-care hours unmet", _SHARE),
    "homecare_unserved_elder_week_share": _k("当周未获上门服务比例", "Elder-weeks without home care",
                                             _SHARE),
    # nursing beds 敬老院床位
    "bed_applications": _k("入住申请数", "Bed applications", ("人次", "applications")),
    "bed_admissions": _k("入住人数", "Admissions", _PEOPLE),
    "bed_refused": _k("申请被拒数", "Applications refused", ("人次", "applications")),
    "bed_abandoned": _k("放弃轮候人数", "Gave up waiting", _PEOPLE),
    "bed_died_waiting": _k("轮候期间死亡人数", "Died while waiting", _PEOPLE),
    "bed_waitlist_end": _k("期末轮候人数", "Waiting list at end", _PEOPLE),
    "bed_waitlist_mean": _k("平均轮候人数", "Waiting list, mean", _PEOPLE),
    "bed_wait_days_mean": _k("平均等待天数", "Mean wait for a bed", ("天", "days")),
    "bed_waited_share": _k("需轮候入住比例", "Admissions that had to wait", _SHARE),
    "bed_occupancy": _k("床位入住率", "Bed occupancy", _SHARE),
    "nursing_bed_share": _k("护理型床位占比", "Nursing-type beds", _SHARE),
    "beds_open_end": _k("期末开放床位数", "Open beds at end", ("张", "beds")),
    "homes_open_end": _k("期末运营敬老院数", "Homes open at end", ("所", "homes")),
    # consolidation 敬老院撤并
    "residents_displaced": _k("撤并转移人数", "Residents moved", _PEOPLE),
    "displacement_km_mean": _k("平均转移距离", "Mean distance moved", ("公里", "km")),
    "family_travel_extra_min_mean": _k("家属探视平均增加路程", "Extra family travel, mean", _MIN),
    # time bank 时间银行
    "timebank_hours_deposited": _k("时间银行存入时数", "Time bank: hours deposited", _HOURS),
    "timebank_hours_withdrawn": _k("时间银行兑换时数", "Time bank: hours withdrawn", _HOURS),
    "timebank_liability_hours": _k("时间银行负债时数", "Time bank: hours owed", _HOURS),
    "timebank_withdrawals_honoured_share": _k("时间银行兑现率", "Time bank: withdrawals honoured",
                                              _SHARE),
    "timebank_honoured_by_members_share": _k("时间银行会员自兑现率", "Time bank: honoured by members",
                                             _SHARE),
    "timebank_members": _k("时间银行期末会员数", "Time bank: members at end", _PEOPLE),
    "timebank_members_joined": _k("时间银行累计注册人数", "Time bank: members registered", _PEOPLE),
    "timebank_hours_exchanged": _k("时间银行积分兑换物品时数", "Time bank: hours exchanged for goods",
                                   _HOURS),
    "timebank_hours_forfeited": _k("时间银行作废时数", "Time bank: hours forfeited", _HOURS),
    "timebank_hours_requested": _k("时间银行申请提取时数", "Time bank: hours asked for", _HOURS),
    "timebank_liability_yuan": _k("时间银行负债（按兜底价）", "Time bank: hours owed, at backstop price",
                                  _YUAN),
    "timebank_backstop_hours": _k("政府兜底服务时数", "Time bank: backstop hours", _HOURS),
    "timebank_backstop_cost_yuan": _k("政府兜底成本", "Time bank: backstop cost", _YUAN),
    "timebank_goods_cost_yuan": _k("积分兑换物品成本", "Time bank: goods exchanged", _YUAN),
    "timebank_visits": _k("志愿者探访人次", "Time bank: visits by volunteers", _VISITS),
    "timebank_homecare_hours": _k("志愿者上门服务时数", "Time bank: home care by volunteers", _HOURS),
    "timebank_care_hours": _k("会员互助照料时数", "Time bank: care given to withdrawing members", _HOURS),
    # cost 成本 (CALIBRATION §9)
    "home_fixed_cost_yuan": _k("敬老院固定成本", "Homes: fixed cost", _YUAN),
    "home_variable_cost_yuan": _k("敬老院床日成本", "Homes: bed-day cost", _YUAN),
    "home_capital_cost_yuan": _k("敬老院改扩建投资", "Homes: upgrade investment", _YUAN),
    "cost_per_occupied_bed_day_yuan": _k("每占用床日成本", "Cost per occupied bed-day",
                                         ("元/床日", "yuan per bed-day")),
    "meal_subsidy_cost_yuan": _k("助餐补贴", "Meal subsidies", _YUAN),
    "canteen_cost_yuan": _k("食堂运营补贴", "Canteen operating subsidies", _YUAN),
    "helper_wage_cost_yuan": _k("服务人员报酬", "Helpers' pay", _YUAN),
    "cost_total_yuan": _k("总成本", "Total cost", _YUAN),
    "cost_per_elder_yuan": _k("人均成本", "Cost per elder", _YUAN),
    # budget lines 预算科目 and payers (sim/kernels/costs.py)
    **{f"budget_{line.name}_yuan": _k(line.zh, line.en, _YUAN) for line in LINES},
    **{f"budget_payer_{p}_yuan": _k(f"{zh}支出", f"Paid by: {en}", _YUAN)
       for p, (zh, en) in PAYER_LABELS.items()},
    "budget_total_yuan": _k("预算合计", "Budget total", _YUAN),
    "cost_per_elder_served_yuan": _k("每服务老人成本", "Cost per elder served", _YUAN),
    "elders_served": _k("受服务老人数", "Elders served", _PEOPLE),
    "service_points_open_end": _k("期末运营日间照料中心数", "Service points open at end", ("个", "points")),
    "service_points_planned": _k("规划日间照料中心数", "Service points planned", ("个", "points")),
    "canteens_open_end": _k("期末运营助餐点数", "Canteens open at end", ("个", "canteens")),
    "canteens_planned": _k("规划助餐点数", "Canteens planned", ("个", "canteens")),
    "meals_eligible_elders": _k("助餐对象人数（月均）", "Elders eligible for lunch, monthly mean", _PEOPLE),
    "meals_eligible_per_canteen": _k("每助餐点服务对象", "Eligible elders per canteen", _PEOPLE),
    "visits_by_phone": _k("通讯探访人次", "Visits by phone", _VISITS),
    "adaptation_homes": _k("适老化改造户数", "Homes adapted", ("户", "homes")),
    "service_points_built_end": _k("期末建成日间照料中心数", "Service points built at end", ("个", "points")),
    "canteens_built_end": _k("期末建成助餐点数", "Canteens built at end", ("个", "canteens")),
    "service_point_operating_rate": _k("日间照料中心运营率", "Service points: operating rate", _SHARE),
}

RESPONDER_PREFIX = "responder_busy_share_"
HELPER_VISIT_PREFIX = "helper_visit_share_"
HELPER_USE_PREFIX = "helper_utilisation_"

RESPONDER_LABELS: dict[str, tuple[str, str]] = {
    "village_doctor": ("乡村医生", "Village doctor"),
    "township_team": ("卫生院急救", "Township health-centre team"),
    "ambulance": ("120急救车", "120 ambulance"),
    "coordinator": ("养老协理员", "Elderly-care coordinator"),
    "township_ambulance": ("乡镇急救车", "Township ambulance"),
    "ambulance_added": ("新增120急救车", "Added 120 ambulance"),
    "village_cadre": ("村干部", "Village cadre"),
    "homecare_worker": ("居家护理员", "Home-care worker"),
    "meal_courier": ("送餐员", "Meal courier"),
    "timebank_volunteer": ("时间银行志愿者", "Time-bank volunteer"),
}

POLICY_LABELS: dict[str, tuple[str, str]] = {
    "baseline": ("现状", "Baseline"),
    "emergency": ("15分钟应急响应", "15-minute emergency response"),
    "emergency_15min": ("15分钟应急响应", "15-minute emergency response"),
    "consolidation": ("敬老院撤并", "Nursing-home consolidation"),
    "time_bank": ("时间银行", "Time bank"),
    "canteens": ("助餐", "Meals and canteens"),
    "adaptation": ("适老化改造", "Home adaptation"),
    "operating": ("提高运营率", "Operating rate"),
}

COUNTY_LABELS: dict[str, tuple[str, str]] = {
    "plain": ("平原县", "Plain county"),
    "hill": ("丘陵县", "Hill county"),
    "qinshui": ("沁水县", "Qinshui county"),
    "fushun": ("抚顺（农村）", "Fushun (rural)"),
}

# Unit of a KPI without a label, from the suffix its name carries (STYLE §11).
SUFFIX_UNITS: dict[str, tuple[str, str]] = {
    "_min": _MIN, "_share": _SHARE, "_days": ("天", "days"), "_km": ("公里", "km"),
    "_hours": _HOURS, "_yuan": _YUAN, "_per_1000": ("‰", "per 1,000"),
}

# A KPI measured over part of the horizon: the base KPI's label with the period added.
PERIOD_SUFFIXES: dict[str, tuple[str, str]] = {
    "_first_year": ("（首年）", ", first year"),
    "_last_year": ("（末年）", ", last year"),
}
_YEAR_K = re.compile(r"^(?P<base>.+)_year_(?P<k>\d+)$")
_YEARLY_BASE = {"timebank_honoured_share": "timebank_withdrawals_honoured_share"}

_TOWNSHIP = re.compile(r"Township (\d+)")


def _check(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return LANGS.index(lang)


def kpi_label(kpi: str) -> KpiLabel | None:
    """The label row of ``kpi``, or None when it has none."""
    if kpi in KPI_LABELS:
        return KPI_LABELS[kpi]
    for suffix, (zh, en) in PERIOD_SUFFIXES.items():
        base = KPI_LABELS.get(kpi.removesuffix(suffix)) if kpi.endswith(suffix) else None
        if base is not None:
            return base._replace(zh=base.zh + zh, en=base.en + en)
    year = _YEAR_K.match(kpi)
    if year is not None:
        base = KPI_LABELS.get(_YEARLY_BASE.get(year["base"], year["base"]))
        if base is not None:
            k = int(year["k"])
            return base._replace(zh=f"{base.zh}（第{k}年）", en=f"{base.en}, year {k}")
    if kpi.startswith(RESPONDER_PREFIX):
        name = kpi[len(RESPONDER_PREFIX):]
        if name in RESPONDER_LABELS:
            zh, en = RESPONDER_LABELS[name]
            return KpiLabel(f"{zh}忙碌率", f"{en}: share of time busy", *_SHARE)
    if kpi.startswith(HELPER_VISIT_PREFIX):
        name = kpi[len(HELPER_VISIT_PREFIX):]
        if name in RESPONDER_LABELS:
            zh, en = RESPONDER_LABELS[name]
            return KpiLabel(f"{zh}探访时间占比", f"{en}: share of time visiting", *_SHARE)
    if kpi.startswith(HELPER_USE_PREFIX):
        name = kpi[len(HELPER_USE_PREFIX):]
        if name in RESPONDER_LABELS:
            zh, en = RESPONDER_LABELS[name]
            return KpiLabel(f"{zh}工作时间利用率", f"{en}: share of shift at work", *_SHARE)
    return None


def has_label(kpi: str) -> bool:
    return kpi_label(kpi) is not None


def label(kpi: str, lang: str = "zh") -> str:
    """Name of ``kpi`` in ``lang`` ('zh' or 'en'); the raw name when unknown."""
    i = _check(lang)
    row = kpi_label(kpi)
    return row[i] if row is not None else kpi


def unit(kpi: str, lang: str = "zh") -> str:
    """Unit of ``kpi`` in ``lang``; from the name's suffix when unknown, else ''."""
    i = _check(lang)
    row = kpi_label(kpi)
    if row is not None:
        return row[2 + i]
    for suffix, units in SUFFIX_UNITS.items():
        if kpi.endswith(suffix):
            return units[i]
    return ""


def is_share(kpi: str) -> bool:
    """True when the KPI is a share in [0, 1] (plotted as a percentage)."""
    return unit(kpi, "en") == "share"


def axis_label(kpi: str, lang: str = "zh") -> str:
    """'label (unit)', with full-width brackets in Chinese."""
    name, u = label(kpi, lang), unit(kpi, lang)
    if is_share(kpi):
        u = "%"
    if not u:
        return name
    return f"{name}（{u}）" if lang == "zh" else f"{name} ({u})"


def responder_label(name: str, lang: str = "zh") -> str:
    i = _check(lang)
    return RESPONDER_LABELS[name][i] if name in RESPONDER_LABELS else name


def policy_label(policy: str, lang: str = "zh") -> str:
    """Label of a policy or of a composition ``a+b`` (``PolicyConfig.label()``); raw when unknown."""
    i = _check(lang)
    parts = [POLICY_LABELS[p][i] if p in POLICY_LABELS else p for p in policy.split("+")]
    return " + ".join(parts)


def county_label(county: str, lang: str = "zh") -> str:
    i = _check(lang)
    return COUNTY_LABELS[county][i] if county in COUNTY_LABELS else county


def scenario_label(scenario: str, lang: str = "zh", county: bool = True) -> str:
    """Label of a scenario name ``county/policy`` (`sim.experiment.compare.scenario_name`) or of a
    bare policy name; ``county=False`` leaves the county out."""
    _check(lang)
    if "/" not in scenario:
        return policy_label(scenario, lang)
    c, p = scenario.split("/", 1)
    if not county:
        return policy_label(p, lang)
    return f"{county_label(c, lang)} · {policy_label(p, lang)}"


def scenario_labels(scenarios: list[str], lang: str = "zh") -> list[str]:
    """Labels for a set of scenarios shown together: the county only when they differ in it,
    and a counter appended to labels that would otherwise repeat."""
    counties = {s.split("/", 1)[0] for s in scenarios if "/" in s}
    labels = [scenario_label(s, lang, county=len(counties) > 1) for s in scenarios]
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if labels.count(lab) == 1 else f"{lab} ({seen[lab]})")
    return out


def township_label(name: str, lang: str = "zh") -> str:
    """Synthetic counties name townships 'Township N' (乡镇N); real names pass through."""
    _check(lang)
    m = _TOWNSHIP.fullmatch(name)
    return f"乡镇{m.group(1)}" if m and lang == "zh" else name


__all__ = ["COUNTY_LABELS", "HELPER_VISIT_PREFIX", "KPI_LABELS", "KpiLabel", "LANGS", "POLICY_LABELS",
           "RESPONDER_LABELS", "RESPONDER_PREFIX", "axis_label", "county_label", "has_label", "is_share",
           "kpi_label", "label", "policy_label", "responder_label", "scenario_label", "scenario_labels",
           "township_label", "unit"]
