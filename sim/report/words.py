"""The report's table of words (词表): every label and phrase of charts, pages and the terminal,
in Chinese and English, in one place.

* `KPI_LABELS`: each KPI once — name and unit in both languages; `TOTAL_KPIS` names those
  that are sums over the whole horizon (their labels say so: "3年合计", "3-year total").
* `RESPONDER_LABELS`, `POLICY_LABELS`, `COUNTY_LABELS`: names of helpers, policies, counties.
* `PHRASES`: every sentence, caption, title and axis text, keyed ``"<module>.<key>"``, as
  ``(zh, en)`` format strings; `sim.report.labels.phrase` fills them in.

Nothing here is code but data; `sim.report.labels` holds the functions that read it.
"""

from __future__ import annotations

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
SHARE_UNIT = ("比例", "share")
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
    "partial_share_end": _k("期末半失能比例", "Partly dependent at end", SHARE_UNIT),
    "full_share_end": _k("期末完全失能比例", "Fully dependent at end", SHARE_UNIT),
    # emergency response 应急响应 (DESIGN §4.1, §8)
    "emergency_calls": _k("紧急呼叫数", "Emergency calls", _CALLS),
    "emergency_within_target_share": _k("目标时限内响应率", "Reached within target", SHARE_UNIT),
    "emergency_response_p50_min": _k("响应时间中位数", "Response time, median", _MIN),
    "emergency_response_p90_min": _k("响应时间90分位", "Response time, 90th percentile", _MIN),
    "emergency_help_within_target_share": _k("发病后目标时限内获救率", "Helped within target of onset",
                                             SHARE_UNIT),
    "emergency_help_p50_min": _k("发病至获救时间中位数", "Onset to help, median", _MIN),
    "emergency_queued_share": _k("排队等待呼叫比例", "Calls that waited for a responder", SHARE_UNIT),
    "emergency_unreached_end": _k("期末未到达呼叫数", "Calls not reached by the end", _CALLS),
    "emergency_device_used_share": _k("一键呼叫使用率", "Calls made with the one-key device", SHARE_UNIT),
    "emergency_escalated": _k("转送医院数", "Taken to hospital", _CALLS),
    "emergency_false_alarms": _k("误报数", "False alarms", _CALLS),
    # meals 助餐
    "meals_demanded": _k("助餐需求", "Meals demanded", ("份", "meals")),
    "meals_served": _k("助餐供给", "Meals served", ("份", "meals")),
    "meals_unmet_share": _k("助餐未满足率", "Meals unmet", SHARE_UNIT),
    "meals_dine_in": _k("堂食份数", "Meals eaten at a canteen", ("份", "meals")),
    "meals_delivered": _k("送餐上门份数", "Meals delivered", ("份", "meals")),
    "meals_unmet_closed_share": _k("未满足：食堂休息", "Unmet: canteen closed", SHARE_UNIT),
    "meals_unmet_full_share": _k("未满足：座位或厨房已满", "Unmet: seats or kitchen full", SHARE_UNIT),
    "meals_unmet_no_service_share": _k("未满足：附近无助餐服务", "Unmet: no canteen in reach", SHARE_UNIT),
    "meals_unmet_late_share": _k("未满足：送餐超时", "Unmet: delivery too late", SHARE_UNIT),
    "meals_demanded_open_days": _k("营业日助餐需求", "Meals wished on open days", ("份", "meals")),
    "meals_unmet_open_days_share": _k("营业日未满足率（能力不足）", "Unmet on open days (capacity)",
                                      SHARE_UNIT),
    # visits 探访关爱
    "visit_rate_monthly": _k("月探访率", "Monthly visit rate", SHARE_UNIT),
    "visits_required": _k("应探访人次", "Visits required", _VISITS),
    "visits_on_time": _k("按时探访人次", "Visits made on time", _VISITS),
    "visits_late": _k("逾期探访人次", "Visits made late", _VISITS),
    "visits_missed": _k("未探访人次", "Visits missed", _VISITS),
    "visits_died_first": _k("探访前去世人次", "Died before the visit", _VISITS),
    "visits_open_end": _k("期末未完成探访人次", "Visits still open at the end", _VISITS),
    # home care 上门服务
    "homecare_hours_needed": _k("上门服务需求时数", "Home-care hours needed", _HOURS),
    "homecare_hours_delivered": _k("上门服务提供时数", "Home-care hours delivered", _HOURS),
    "homecare_unmet_share": _k("上门服务未满足率", "Home-care hours unmet", SHARE_UNIT),
    "homecare_unserved_elder_week_share": _k("当周未获上门服务比例", "Elder-weeks without home care",
                                             SHARE_UNIT),
    # nursing beds 敬老院床位
    "bed_applications": _k("入住申请数", "Bed applications", ("人次", "applications")),
    "bed_admissions": _k("入住人数", "Admissions", _PEOPLE),
    "bed_refused": _k("申请被拒数", "Applications refused", ("人次", "applications")),
    "bed_abandoned": _k("放弃轮候人数", "Gave up waiting", _PEOPLE),
    "bed_died_waiting": _k("轮候期间死亡人数", "Died while waiting", _PEOPLE),
    "bed_waitlist_end": _k("期末轮候人数", "Waiting list at end", _PEOPLE),
    "bed_waitlist_mean": _k("平均轮候人数", "Waiting list, mean", _PEOPLE),
    "bed_wait_days_mean": _k("平均等待天数", "Mean wait for a bed", ("天", "days")),
    "bed_waited_share": _k("需轮候入住比例", "Admissions that had to wait", SHARE_UNIT),
    "bed_occupancy": _k("床位入住率", "Bed occupancy", SHARE_UNIT),
    # warm-up 预热期 (MSER-5, sim/kernels/warmup.py): months until the series levels off; settled: the
    # share of replications in which it levelled off in the first half of the run
    "bed_occupancy_warmup_months": _k("入住率预热期", "Bed occupancy: warm-up", ("月", "months")),
    "bed_occupancy_settled": _k("入住率达到稳态的比例", "Bed occupancy: runs that settled", SHARE_UNIT),
    "bed_waitlist": _k("轮候人数", "Waiting list", _PEOPLE),
    "bed_waitlist_warmup_months": _k("轮候人数预热期", "Waiting list: warm-up", ("月", "months")),
    "bed_waitlist_settled": _k("轮候人数达到稳态的比例", "Waiting list: runs that settled", SHARE_UNIT),
    "timebank_balance_hours": _k("时间银行余额", "Time bank: balance", _HOURS),
    "timebank_balance_hours_warmup_months": _k("时间银行余额预热期", "Time bank balance: warm-up",
                                               ("月", "months")),
    "timebank_balance_hours_settled": _k("时间银行余额达到稳态的比例", "Time bank balance: runs that settled",
                                         SHARE_UNIT),
    "nursing_bed_share": _k("护理型床位占比", "Nursing-type beds", SHARE_UNIT),
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
                                              SHARE_UNIT),
    "timebank_honoured_by_members_share": _k("时间银行会员自兑现率", "Time bank: honoured by members",
                                             SHARE_UNIT),
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
    # facilities that operate 运营 (policy-docs/001 (三)3) and the programmes of issue 15
    "service_points_open_end": _k("期末运营日间照料中心数", "Service points open at end", ("个", "points")),
    "service_points_planned": _k("规划日间照料中心数", "Service points planned", ("个", "points")),
    "service_points_built_end": _k("期末建成日间照料中心数", "Service points built at end", ("个", "points")),
    "service_point_operating_rate": _k("日间照料中心运营率", "Service points: operating rate", SHARE_UNIT),
    "canteens_open_end": _k("期末运营助餐点数", "Canteens open at end", ("个", "canteens")),
    "canteens_planned": _k("规划助餐点数", "Canteens planned", ("个", "canteens")),
    "canteens_built_end": _k("期末建成助餐点数", "Canteens built at end", ("个", "canteens")),
    "meals_eligible_elders": _k("助餐对象人数（月均）", "Elders eligible for lunch, monthly mean", _PEOPLE),
    "meals_eligible_per_canteen": _k("每助餐点服务对象", "Eligible elders per canteen", _PEOPLE),
    "visits_by_phone": _k("通讯探访人次", "Visits by phone", _VISITS),
    "adaptation_homes": _k("适老化改造户数", "Homes adapted", ("户", "homes")),
    # time-bank 助餐、助急 on call (policy-docs/001 (二)4)
    "timebank_aid_lunches": _k("志愿者助餐份数", "Time bank: lunches carried by members", ("份", "meals")),
    "timebank_aid_lunch_hours": _k("志愿者助餐时数", "Time bank: hours of lunch help", _HOURS),
    "timebank_first_contacts": _k("志愿者助急次数", "Time bank: first contacts in emergencies",
                                  ("次", "calls")),
    "timebank_first_contact_hours": _k("志愿者助急时数", "Time bank: hours of emergency help", _HOURS),
    "emergency_first_contact_within_target_share": _k("目标时限内有人到场率（含邻里助急）",
                                                      "Someone there within target (incl. neighbours)",
                                                      SHARE_UNIT),
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
    "centre_homecare_team": ("区域中心上门服务队", "Regional centre home-care team"),
    "freed_point_coordinator": ("服务点协理员", "Coordinator at a freed service point"),
    "post_ambulance": ("急救站点救护车", "Ambulance at a sited post"),
}

POLICY_LABELS: dict[str, tuple[str, str]] = {
    "baseline": ("现状", "Baseline"),
    "emergency": ("15分钟应急响应", "15-minute emergency response"),
    "emergency_15min": ("15分钟应急响应", "15-minute emergency response"),
    "consolidation": ("敬老院撤并", "Nursing-home consolidation"),
    "bed_upgrades": ("护理型床位改造", "Nursing-type bed upgrades"),
    "time_bank": ("时间银行", "Time bank"),
    "canteens": ("助餐", "Meals and canteens"),
    "canteens_xianyang": ("助餐（咸阳口径）", "Canteens, Xianyang groups"),
    "consolidation_fushun": ("敬老院撤并（抚顺偏远小）", "Consolidation, Fushun rule"),
    "emergency_15min_plan": ("15分钟应急响应（协理员不出急）",
                             "15-minute response, coordinators do not respond"),
    "time_bank_points": ("时间银行（积分兑换）", "Time bank, points exchange"),
    "time_bank_mutual_aid": ("时间银行（助餐助急）", "Time bank with meals and emergency aid"),
    "adaptation": ("适老化改造", "Home adaptation"),
    "operating": ("提高运营率", "Operating rate"),
    "regional_centres": ("镇区域养老服务中心", "Township regional centres"),
    "village_points": ("村级养老服务点位", "New village points"),
    "stations": ("选址方案（急救站点、食堂）", "Sited posts and canteens"),
    "ankang_package": ("安康农村养老方案（组合）", "Ankang rural plan, all measures"),
    "nursing_upgrade_yulin": ("护理型床位改造（榆林）", "Nursing-type bed conversions, Yulin"),
    "nursing_beds_yulin": ("新增护理型床位（榆林）", "New nursing-type beds, Yulin"),
}

COUNTY_LABELS: dict[str, tuple[str, str]] = {
    "plain": ("平原县", "Plain county"),
    "hill": ("丘陵县", "Hill county"),
    "qinshui": ("沁水县", "Qinshui county"),
    "fushun": ("抚顺（农村）", "Fushun (rural)"),
    "ankang": ("安康山区县", "Ankang mountain county"),
}

# Unit of a KPI without a label, from the suffix its name carries (STYLE §11).
SUFFIX_UNITS: dict[str, tuple[str, str]] = {
    "_min": _MIN, "_share": SHARE_UNIT, "_days": ("天", "days"), "_km": ("公里", "km"),
    "_hours": _HOURS, "_yuan": _YUAN, "_per_1000": ("‰", "per 1,000"),
}

# A KPI measured over part of the horizon: the base KPI's label with the period added.
PERIOD_SUFFIXES: dict[str, tuple[str, str]] = {
    "_first_year": ("（首年）", ", first year"),
    "_last_year": ("（末年）", ", last year"),
    "_transient": ("（预热期内）", ", during warm-up"),   # MSER-5 (sim/kernels/warmup.py)
    "_steady": ("（稳态）", ", steady state"),        # after it
}

# An outcome within a group of villages or elders (issue 16, `sim.kernels.equity`): the base KPI's
# label with the group added; a gap is signed so that a positive value means the remote (or
# mountain) villages fare worse.
EQUITY_SUFFIXES: dict[str, tuple[str, str]] = {
    **{f"_remoteness_q{k}": (f"（偏远度五分位第{k}档" + ("，最近" if k == 1 else "，最偏远" if k == 5 else "")
                             + "）",
                             f", remoteness quintile {k}" + (" (nearest)" if k == 1 else
                                                             " (most remote)" if k == 5 else ""))
       for k in range(1, 6)},
    "_terrain_plain": ("（平原村）", ", plain villages"),
    "_terrain_hill": ("（丘陵村）", ", hill villages"),
    "_terrain_mountain": ("（山区村）", ", mountain villages"),
    "_gap_remoteness": ("：偏远差距（正=偏远村更差）", ": remoteness gap (+ = remote worse off)"),
    "_gap_terrain": ("：山区差距（正=山区村更差）", ": terrain gap (+ = mountain worse off)"),
    "_group_solitary": ("（独居老人）", ", solitary elders"),
    "_group_empty_nest": ("（空巢老人）", ", empty-nest elders"),
    "_group_left_behind": ("（留守老人）", ", left-behind elders"),
    "_group_dependent": ("（失能半失能老人）", ", dependent elders"),
    "_group_special_hardship": ("（特困老人）", ", special-hardship elders"),
    "_group_minimum_living": ("（低保老人）", ", minimum-living elders"),
    "_age_60_69": ("（60-69岁）", ", aged 60-69"),
    "_age_70_79": ("（70-79岁）", ", aged 70-79"),
    "_age_80_plus": ("（80岁及以上）", ", aged 80+"),
}

# KPIs that sum over the whole horizon: their labels carry it ("3年合计", "3-year total").
TOTAL_KPIS = frozenset({
    "entered", "deaths", "new_dependent", "new_fully_dependent", "dementia_onsets", "person_years",
    "emergency_calls", "emergency_escalated", "emergency_false_alarms",
    "meals_demanded", "meals_served", "meals_dine_in", "meals_delivered",
    "visits_required", "visits_on_time", "visits_late", "visits_missed", "visits_died_first",
    "homecare_hours_needed", "homecare_hours_delivered",
    "bed_applications", "bed_admissions", "bed_refused", "bed_abandoned", "bed_died_waiting",
    "residents_displaced",
    "timebank_members_joined", "timebank_hours_deposited", "timebank_hours_withdrawn",
    "timebank_hours_exchanged", "timebank_hours_forfeited", "timebank_hours_requested",
    "timebank_backstop_hours", "timebank_backstop_cost_yuan", "timebank_goods_cost_yuan",
    "timebank_visits", "timebank_homecare_hours", "timebank_care_hours",
    "timebank_aid_lunches", "timebank_aid_lunch_hours", "timebank_first_contacts",
    "timebank_first_contact_hours",
    "home_fixed_cost_yuan", "home_variable_cost_yuan", "home_capital_cost_yuan",
    "meal_subsidy_cost_yuan", "canteen_cost_yuan", "helper_wage_cost_yuan", "cost_total_yuan",
})

PHRASES: dict[str, tuple[str, str]] = {
    # --- labels: names built from a helper's name, the horizon ---
    "labels.busy": ("{name}忙碌率", "{name}: share of time busy"),
    "labels.visiting": ("{name}探访时间占比", "{name}: share of time visiting"),
    "labels.at_work": ("{name}工作时间利用率", "{name}: share of shift at work"),
    "labels.total": ("{label}（{horizon}合计）", "{label}, {horizon} total"),
    "labels.years": ("{n:g}年", "{n:g}-year"),
    "labels.months": ("{n:g}个月", "{n:g}-month"),
    "labels.one_year": ("1年", "1 year"),
    "labels.horizon_years": ("{n:g}年", "{n:g} years"),
    "labels.horizon_months": ("{n:g}个月", "{n:g} months"),
    "labels.pp": ("个百分点", "percentage points"),
    # --- sections: headings and captions ---
    "sections.emergency_heading": ("应急响应", "Emergencies"),
    "sections.beds_heading": ("敬老院床位", "Nursing-home beds"),
    "sections.meals_heading": ("助餐", "Meals"),
    "sections.visits_heading": ("探访关爱", "Visits"),
    "sections.homecare_heading": ("上门服务", "Home care"),
    "sections.timebank_heading": ("时间银行", "Time bank"),
    "sections.costs_heading": ("成本", "Costs"),
    "sections.equity_heading": ("公平性：谁被落下", "Equity: who is left out"),
    "sections.equity_remoteness": (
        "各项服务按行政村偏远度（到乡镇驻地车程）五等分后的结果，{n}次重复运行的均值与{level:.0%}置信区间；"
        "差距指标为最近档与最偏远档之差（正值为偏远村更差）",
        "Each service by remoteness quintile of the villages (car minutes to the township seat), mean of "
        "{n} runs with {level:.0%} intervals; the gap KPIs compare the nearest and the most remote "
        "quintile (positive: remote villages worse off)"),
    "sections.equity_map": (
        "{service}：各行政村在{ref}与{scenario}下的均值（{n}次重复运行），黑圈为被落下的村，"
        "标出{ref}下最差的5个村",
        "{service}: each village's mean over {n} runs under {ref} and {scenario}; left-out villages "
        "ringed, the five worst off under {ref} named"),
    "sections.villages_name": ("行政村结果", "Village results"),
    "sections.response": (
        "真实紧急事件的响应时间累计分布（{n}次重复运行合并，不含误报，模拟{horizon}），"
        "虚线为{target:g}分钟目标；图例给出各方案{target:g}分钟内到达的比例。",
        "Cumulative distribution of response times to true emergencies ({n} replications "
        "pooled, false alarms excluded, {horizon} simulated); the dashed line is the "
        "{target:g}-minute target, the legend gives each scenario's share reached in time.",
    ),
    "sections.township": (
        "{scenario}：各乡镇目标时限内到达率与{level:.0%}置信区间；虚线为{target:.0%}目标"
        "（假设值，政策文件未规定比例），点线为全县水平。",
        "{scenario}: share reached within the target by township with {level:.0%} "
        "intervals; dashed line: {target:.0%} target (an assumption: the plan names no "
        "share), dotted line: county level.",
    ),
    "sections.beds": (
        "{scenario}：各敬老院床位入住率（{n}次重复运行均值）与全县轮候人数；红色虚线为关闭日期，"
        "绿色点线为扩建。",
        "{scenario}: occupancy of each nursing home (mean of {n} replications) and the county "
        "waiting list; red dashed lines mark closures, green dotted lines added beds.",
    ),
    "sections.map": (
        "敬老院布局：左为{ref}期初，右为{scenario}第1次重复运行期末；圆面积与床位数成正比，"
        "灰色空心圆为已关闭的敬老院。",
        "Nursing homes: left {ref} at the start, right {scenario} at the end of replication 1; "
        "circle area is proportional to beds, hollow grey circles are closed homes.",
    ),
    "sections.bed_kpis": (
        "床位指标：各方案均值，误差线为{level:.0%}置信区间（{n}次重复运行，模拟{horizon}）；"
        "没有方案关闭敬老院。",
        "Bed indicators: mean per scenario, error bars are {level:.0%} intervals ({n} "
        "replications, {horizon}); no scenario closed a home.",
    ),
    "sections.meals": (
        "符合条件老人（80岁以上、失能、独居、特困）的午餐需求在模拟{horizon}内的去向："
        "堂食、送餐上门，或因食堂休息、座位或厨房已满、附近无助餐服务、送餐超时而未满足（{n}次重复运行均值）。",
        "Where the lunch wishes of eligible elders (80+, dependent, solitary, special hardship) "
        "went over {horizon}: eaten at a canteen, delivered, or unmet because the canteen was "
        "closed, full, out of reach or the delivery late (mean of {n} replications).",
    ),
    "sections.visits": (
        "目标人群每月应探访一次：模拟{horizon}内应探访人次的结果（{n}次重复运行均值）。",
        "Every elder of the target groups needs a visit a month: outcome of the visits "
        "required over {horizon} (mean of {n} replications).",
    ),
    "sections.homecare": (
        "失能、半失能居家老人的上门服务需求时数在模拟{horizon}内已提供与未满足的比例（{n}次重复运行均值）。",
        "Home-care hours needed by dependent elders at home over {horizon}: the share "
        "delivered and unmet (mean of {n} replications).",
    ),
    "sections.timebank": (
        "时间银行：左为各年末尚欠会员的服务时数（右轴按兜底价{price:g}元/小时折算），"
        "右为当年提取申请的兑现率；阴影为{level:.0%}置信区间，虚线为90%参考线（假设值）。",
        "Time bank: left, hours owed to members at each year's end (right axis valued at "
        "the backstop price, {price:g} yuan an hour); right, the share of withdrawals "
        "honoured that year; bands are {level:.0%} intervals, the dashed line a 90% "
        "reference (an assumption).",
    ),
    "sections.cost_items": (
        "{horizon}总成本按项目构成（{n}次重复运行均值）；不含卫生系统人员（乡村医生、120急救）的成本。",
        "Total cost over {horizon} by item (mean of {n} replications); the health "
        "system's staff (village doctors, 120) are not included.",
    ),
    "sections.cost": (
        "{horizon}总成本与目标时限内响应率：每点为一个方案的均值，误差线为{level:.0%}置信区间。",
        "Total cost over {horizon} against the share reached within target: one point per "
        "scenario (mean), error bars are {level:.0%} intervals.",
    ),
    "sections.skip_events": (
        "{chart}：{scenario}没有 {table} 事件表（需 run.save_events=summary）",
        "{chart}: {scenario} has no {table} event table (needs run.save_events=summary)",
    ),
    "sections.skip_same": (
        "{chart}：{scenario}与{other}完全相同，不再重复绘制",
        "{chart}: {scenario} is identical to {other}, not drawn again",
    ),
    "sections.skip_world": (
        "敬老院布局图：{scenario}没有县域地图表",
        "Facility map: {scenario} has no county tables",
    ),
    "sections.response_name": ("响应时间分布", "Response-time distribution"),
    "sections.township_name": ("乡镇到达率", "Township shares"),
    "sections.beds_name": ("床位入住率", "Bed occupancy"),
    # --- terminal ---
    "terminal.head": (
        "县域 {county}（期初老年人 {elders} 人），{n} 次重复运行，模拟 {horizon}，随机种子 {seed}",
        "County {county} ({elders} elders at the start), {n} replications over {horizon}, seed {seed}",
    ),
    "terminal.block": ("== {scenario} 与 {ref}（对照）相比 ==", "== {scenario} beside {ref} (reference) =="),
    "terminal.alone": ("== {scenario} ==", "== {scenario} =="),
    "terminal.indicator": ("指标", "Indicator"),
    "terminal.unit": ("单位", "unit"),
    "terminal.diff": ("差值 [{level:.0%}区间]", "difference [{level:.0%} interval]"),
    "terminal.interval": ("[{level:.0%}区间]", "[{level:.0%} interval]"),
    "terminal.same": ("相同", "same"),
    "terminal.unclear": ("  无明确差异", "  no clear difference"),
    "terminal.scenario": (
        "方案 {k}/{total}：{label}（{policy}），{n} 次重复运行 × {horizon} ……",
        "scenario {k}/{total}: {label} ({policy}), {n} replications x {horizon} ...",
    ),
    "terminal.scenario_done": (
        "方案 {label} 完成，用时 {seconds:.1f} 秒：{path}",
        "scenario {label} done in {seconds:.1f} s: {path}",
    ),
    "terminal.briefing": ("简报：{step}", "briefing: {step}"),
    "terminal.briefing_done": ("简报已写出：{path}", "briefing written: {path}"),
    "terminal.briefing_pdf": ("PDF 版：{path}", "PDF: {path}"),
    "terminal.reference": (
        "对照方案为现状（baseline，今天的服务网络），在同一随机种子上运行。",
        "The reference is baseline (today's network), run on the same seeds.",
    ),
    # --- composition charts ---
    "composition.meals_title": (
        "午餐需求的去向（{horizon}合计，各方案均值）",
        "Where lunch wishes went ({horizon} total, mean per scenario)",
    ),
    "composition.visits_title": (
        "应探访人次的结果（{horizon}合计）",
        "Outcome of required visits ({horizon} total)",
    ),
    "composition.homecare_title": (
        "上门服务需求时数：已提供与未满足（{horizon}合计）",
        "Home-care hours needed: delivered and unmet ({horizon} total)",
    ),
    "composition.cost_title": ("总成本构成（{horizon}合计）", "Total cost by item ({horizon} total)"),
    "composition.share_x": ("占需求的比例（%）", "Share of demand (%)"),
    "composition.cost_x": ("金额（{unit}）", "Amount ({unit})"),
    # --- headline ---
    "headline.interval": ("{level:.0%}区间 {low} 至 {high}", "{level:.0%} interval {low} to {high}"),
    "headline.change": (
        "{kpi}由 {ref} 变为 {value}（{diff}，{interval}）",
        "{kpi} from {ref} to {value} ({diff}; {interval})",
    ),
    "headline.join": ("；", "; "),
    "headline.no_change": ("各项服务指标没有明确变化", "no service indicator changes clearly"),
    "headline.cost_more": (
        "；{horizon}总成本增加 {amount}（{interval}）",
        "; over {horizon} it costs {amount} more ({interval})",
    ),
    "headline.cost_less": (
        "；{horizon}总成本减少 {amount}（{interval}）",
        "; over {horizon} it costs {amount} less ({interval})",
    ),
    "headline.cost_same": ("；{horizon}总成本不变", "; over {horizon} the cost is the same"),
    "headline.policy": (
        "{scenario}（与{ref}相比）：{what}{cost}。",
        "{scenario} against {ref}: {what}{cost}.",
    ),
    "headline.alone": (
        "只有一个方案（{ref}），没有可比较的方案。",
        "One scenario only ({ref}): nothing to compare with.",
    ),
    "headline.left_out": ("仍被落下的人：{items}。", "Still left out: {items}."),
    "headline.join_items": ("；", "; "),
    "headline.left_emergency_within_target_share": (
        "{share}的紧急呼叫未在目标时限内到达（{interval}{scenario}）",
        "{share} of emergency calls not reached within the target ({interval}{scenario})",
    ),
    "headline.left_meals_unmet_share": (
        "{share}的午餐需求未得到满足（{interval}{scenario}）",
        "{share} of lunch wishes unmet ({interval}{scenario})",
    ),
    "headline.left_visit_rate_monthly": (
        "{share}的应探访人次当月未探访（{interval}{scenario}）",
        "{share} of monthly visits not made ({interval}{scenario})",
    ),
    "headline.left_homecare_unmet_share": (
        "{share}的上门服务需求时数未提供（{interval}{scenario}）",
        "{share} of home-care hours unmet ({interval}{scenario})",
    ),
    "headline.every_run": ("每次运行相同", "the same in every run"),
    "headline.best": ("最好的方案：{scenario}", "best: {scenario}"),
    "headline.all_alike": ("各方案相同", "alike in every scenario"),
    "headline.interval_level": ("区间 {low}%–{high}%；", "interval {low}%–{high}%; "),
    # --- charts ---
    "charts.kpi_bars": (
        "各方案关键指标（均值与{level:.0%}置信区间）",
        "Key indicators by scenario (mean and {level:.0%} interval)",
    ),
    "charts.response_title": ("紧急事件响应时间分布", "Response time to emergencies"),
    "charts.response_note": (
        "真实紧急事件中已到达者（不含误报），各次重复运行合并",
        "True emergencies reached (false alarms excluded), all replications pooled",
    ),
    "charts.all_zero": ("各方案均为 0", "0 in every scenario"),
    "charts.coincide": ("{names}（曲线重合）", "{names} (the lines coincide)"),
    "charts.equals": (" = ", " = "),
    "charts.response_x": ("响应时间（分钟）", "Response time (min)"),
    "charts.response_y": ("累计比例（%）", "Share reached within (%)"),
    "charts.response_target": ("目标 {target:g} 分钟", "target {target:g} min"),
    "charts.response_legend": (
        "{name}：{share:.0%} ≤ {target:g} 分钟",
        "{name}: {share:.0%} ≤ {target:g} min",
    ),
    "charts.township_title": (
        "各乡镇 {target:g} 分钟内到达率（均值与{level:.0%}置信区间）",
        "Emergencies reached within {target:g} min, by township (mean and {level:.0%} interval)",
    ),
    "charts.township_x": ("目标时限内到达率（%）", "Reached within target (%)"),
    "charts.township_target": ("目标 {share:.0%}", "target {share:.0%}"),
    "charts.township_county": ("全县 {share:.0%}", "county {share:.0%}"),
    "charts.township_below": ("低于目标", "below target"),
    "charts.township_ok": ("达到目标", "meets target"),
    "charts.cost_title": (
        "成本与成效（均值与{level:.0%}置信区间）",
        "Cost and outcome (mean and {level:.0%} interval)",
    ),
    "charts.tb_title": (
        "时间银行：负债与兑现（均值与{level:.0%}置信区间）",
        "Time bank: liability and withdrawals honoured (mean and {level:.0%} interval)",
    ),
    "charts.tb_year": ("年份", "Year"),
    "charts.tb_liability": ("年末负债（小时）", "Hours owed at year end"),
    "charts.tb_yuan": ("按兜底价折算（{unit}）", "Valued at the backstop price ({unit})"),
    "charts.tb_honoured": ("当年兑现率（%）", "Withdrawals honoured in the year (%)"),
    "charts.tb_target": ("{share:.0%} 参考线", "{share:.0%} reference"),
    # --- briefing ---
    "briefing.title": (
        "{county}农村养老服务方案比较：{scenarios}",
        "{county}: rural elderly-care scenarios compared — {scenarios}",
    ),
    "briefing.kpis_heading": (
        "关键指标（均值、{level:.0%}置信区间与差值）",
        "Key indicators (mean, {level:.0%} interval, difference)",
    ),
    "briefing.notes_heading": ("说明与假设", "Notes and assumptions"),
    "briefing.indicator": ("指标", "Indicator"),
    # --- page ---
    "page.headline": ("要点", "In brief"),
    "page.reference": (
        "对照方案：{ref}（今天的服务网络）。各方案在同一县域、同一随机种子下各运行{n}次，"
        "模拟{horizon}（{days:g}天）。",
        "Reference: {ref} (today's network). Every scenario ran {n} replications on the same "
        "county and seeds, over {horizon} ({days:g} days).",
    ),
    "page.reference_other": (
        "对照方案：{ref}。各方案在同一县域、同一随机种子下各运行{n}次，模拟{horizon}（{days:g}天）。",
        "Reference: {ref}. Every scenario ran {n} replications on the same county and "
        "seeds, over {horizon} ({days:g} days).",
    ),
    "page.kpis_note": (
        "均值，其下为{level:.0%}置信区间；其他方案另列与“{ref}”的配对差值（Δ）及其区间。",
        "Mean, below it the {level:.0%} interval; other scenarios also show the paired "
        "difference to {ref} (Δ) and its interval.",
    ),
    "page.indicator": ("指标", "Indicator"),
    "page.overview": ("各项服务的关键数字", "Each service's leading figures"),
    "page.same": ("Δ 0（相同）", "Δ 0 (same)"),
    "page.figure": ("图{n}", "Figure {n}"),
    "page.notes": ("说明与假设", "Notes and assumptions"),
    "page.download": (
        "下载全部指标的比较表（comparison.csv，内嵌于本页）",
        "Download the comparison of every indicator (comparison.csv, embedded in this page)",
    ),
    "page.generated": ("生成于 {when}，代码版本 {commit}", "Generated {when}, code revision {commit}"),
    "page.dirty": ("（含未提交修改）", " (with uncommitted changes)"),
    "page.contents": ("目录", "Contents"),
    "page.assumptions": (
        "配置文件中标注 [A] 的参数是假设值（assumption），尚无直接出处；结论对这些参数敏感时"
        "应谨慎解读。[S] 为有出处的数值，[D] 为推导值，[M] 为经验值（见 CALIBRATION.md）。",
        "Parameters tagged [A] in the configs are assumptions without a direct source; "
        "read conclusions that depend on them with care. [S] marks stated figures, [D] "
        "derived and [M] remembered ones (see CALIBRATION.md).",
    ),
    "page.runs": (
        "每个方案{n}次重复运行，随机种子 {seed}，模拟时长 {days:g} 天（约 {years:.1f} 年）。",
        "{n} replications per scenario, seed {seed}, horizon {days:g} days (about {years:.1f} years).",
    ),
    "page.county": (
        "县域：{county}，{townships}个乡镇、{villages}个行政村，期初老年人{elders}人；县域为{kind}。",
        "County: {county}, {townships} townships, {villages} villages, {elders} elders at the start; {kind}.",
    ),
    "page.synthetic": ("合成数据", "synthetic"),
    "page.loaded": ("由数据表载入", "loaded from tables"),
    "page.crn": (
        "各方案在同一重复运行中使用共同随机数：差值为同一重复运行之间的配对差值的均值，区间为 t 分布"
        "{level:.0%}置信区间。重复运行次数少时区间很宽，区间含0表示无明确差异。",
        "Scenarios share random numbers replication by replication (common random numbers): a "
        "difference is the mean of paired differences and its interval a {level:.0%} t-interval. "
        "With few replications intervals are wide; an interval that includes zero means no clear "
        "difference.",
    ),
    "page.target": (
        "应急响应目标时限：{targets}。乡镇到达率图中的90%目标为假设值。",
        "Emergency response target: {targets}. The 90% target in the township charts is an assumption.",
    ),
    "page.intervals": (
        "水平值的置信区间不越界：人数、天数、时数和金额在对数尺度上计算，比例在 logit 尺度上计算"
        "（delta 方法），再换算回原尺度，因此不会低于0或高于100%；差值用配对 t 区间。",
        "Intervals of levels respect their bounds: counts, days, hours and money are computed "
        "on the log scale, shares on the logit scale (delta method), then mapped back, so none "
        "goes below 0 or above 100%; differences use paired t-intervals.",
    ),
    "page.horizon": (
        "标有“合计”的指标为整个模拟期（{horizon}）的总和。",
        "Indicators marked as totals sum over the whole horizon ({horizon}).",
    ),
    "page.cost": (
        "总成本含敬老院的固定、床日和改扩建成本，助餐补贴，食堂运营补贴和服务人员报酬；"
        "不含卫生系统人员（乡村医生、急救）的成本。",
        "Total cost covers the nursing homes' fixed, bed-day and upgrade costs, meal subsidies, canteen "
        "operating subsidies and helpers' pay; not the health system's staff (village doctors, 120).",
    ),
    "page.scenario": (
        "方案“{label}”：{path}；参数覆盖 {overrides}",
        "Scenario {label}: {path}; overrides {overrides}",
    ),
    "page.in_memory": ("（未保存）", "(not saved)"),
    "page.skipped": ("未生成的图表：{items}。", "Charts not drawn: {items}."),
    "page.minutes": ("{label} {minutes:g} 分钟", "{label} {minutes:g} min"),
    # --- summary ---
    "summary.intro": (
        "以下为各方案与“{ref}”之差：{n}次重复运行在共同随机数下的配对差值均值，括号内为{level:.0%}置信区间。",
        "Differences to {ref}: mean of the paired differences over {n} replications under "
        "common random numbers, with {level:.0%} intervals in brackets.",
    ),
    "summary.alone": (
        "只有一个方案（{ref}，{n}次重复运行），没有可比较的方案。",
        "One scenario only ({ref}, {n} replications): nothing to compare with.",
    ),
    "summary.heading": ("{scenario}（与{ref}相比）", "{scenario}, compared with {ref}"),
    "summary.line": (
        "{kpi} {diff}（{level:.0%}置信区间 {low} 至 {high}），由 {ref} 变为 {value}",
        "{kpi} {diff} ({level:.0%} CI {low} to {high}), from {ref} to {value}",
    ),
    "summary.line_no_ci": (
        "{kpi} {diff}（无区间：重复运行不足），由 {ref} 变为 {value}",
        "{kpi} {diff} (no interval: too few replications), from {ref} to {value}",
    ),
    "summary.no_clear": ("——区间含0，无明确差异", "; the interval includes zero: no clear difference"),
    "summary.unchanged": ("无变化：{kpis}", "Unchanged: {kpis}"),
    "summary.no_data": ("无数据：{kpis}", "No data: {kpis}"),
    "summary.pp": ("个百分点", "percentage points"),
    # --- occupancy ---
    "occupancy.title": (
        "{scenario}：敬老院床位入住率与轮候人数",
        "{scenario}: nursing-home occupancy and waiting list",
    ),
    "occupancy.occupancy": ("入住率（{n}次重复运行均值）", "Occupancy (mean of {n} replications)"),
    "occupancy.closed": ("撤并关闭", "closed"),
    "occupancy.closed_at": ("第{day:g}天关闭", "closed day {day:g}"),
    "occupancy.closed_some": ("第{day:g}天关闭（{k}/{n}次运行）", "closed day {day:g} ({k} of {n} runs)"),
    "occupancy.waitlist_title": (
        "全县轮候人数（均值与{level:.0%}置信区间，{n}次重复运行）",
        "County waiting list (mean and {level:.0%} interval, {n} replications)",
    ),
    "occupancy.waitlist_y": ("轮候人数（人）", "Waiting (persons)"),
    "occupancy.waitlist_mean": ("轮候人数均值", "Waiting list, mean"),
    "occupancy.band": ("{level:.0%}置信区间", "{level:.0%} interval"),
    "occupancy.x": ("模拟开始后年数", "Years from start"),
    "occupancy.closed_list": ("第{day:g}天关闭：{homes}", "Closed on day {day:g}: {homes}"),
    "occupancy.closure_marks": ("关闭日期（虚线）", "Closure (dashed line)"),
    "occupancy.upgrade_marks": ("扩建日期（点线）", "Beds added (dotted line)"),
    "occupancy.upgraded_at": ("第{day:g}天扩建 +{beds:g}床", "day {day:g}: +{beds:g} beds"),
    # --- maps ---
    "maps.title": ("敬老院布局与床位：{policy}前后", "Nursing homes and beds before and after: {policy}"),
    "maps.before": ("之前：{ref}（期初）", "Before: {ref}, at the start"),
    "maps.after": ("之后：{policy}（期末，第1次重复运行）", "After: {policy}, at the end (replication 1)"),
    "maps.village": ("行政村", "Village"),
    "maps.open": ("运营中的敬老院", "Home open"),
    "maps.closed": ("已撤并关闭", "Home closed"),
    # --- siting (promised by coverage models vs simulated) ---
    "siting.title": ("{county}：覆盖模型的承诺与仿真结果",
                     "{county}: what coverage models promise, what the simulation finds"),
    "siting.emergency": ("急救站点：{minutes:g}分钟内可达的呼叫份额",
                         "Ambulance posts: share of calls reached within {minutes:g} min"),
    "siting.meals": ("老年食堂：步行{minutes:g}分钟内的老人份额与午餐满足率",
                     "Canteens: elders within {minutes:g} min walk, lunch wishes served"),
    "siting.promised": ("模型承诺（行车{minutes:g}分钟内）",
                        "Promised by the model (within {minutes:g} min drive)"),
    "siting.promised_net": ("模型承诺（扣除接警派车等{overhead:.0f}分钟）",
                            "Promised, less {overhead:.0f} min of triage, dispatch and access"),
    "siting.promised_meals": ("模型承诺（步行可达的老人份额）",
                              "Promised by the model (elders within walking reach)"),
    "siting.simulated": ("仿真：目标时限内到达（95%区间）",
                         "Simulated: reached within target (95% interval)"),
    "siting.simulated_meals": ("仿真：开放日午餐需求满足率（95%区间）",
                               "Simulated: lunch wishes served on open days (95% interval)"),
    "siting.today": ("现状", "Today"),
    "siting.mclp": ("MCLP +{k}处", "MCLP +{k}"),
    "siting.lscp": ("LSCP +{k}处", "LSCP +{k}"),
    # --- sensitivity (tornado) ---
    "sensitivity.heading": ("敏感性分析", "Sensitivity to assumptions"),
    "sensitivity.title": ("{kpi}：各项假设逐一取区间两端", "{kpi}: each assumption alone at its bounds"),
    "sensitivity.x": ("{kpi}（基准 {base}）", "{kpi} (base {base})"),
    "sensitivity.low": ("取下限", "at low bound"),
    "sensitivity.high": ("取上限", "at high bound"),
    "sensitivity.caption": (
        "龙卷风图：每次只把一项假设取到其区间的下限或上限，其余为默认值，{n}次重复运行（共同随机数）的均值；"
        "按影响从大到小排列前{top}项。区间见 uncertainty 配置组。",
        "Tornado: each assumption moved alone to the low or high end of its range, the others at their "
        "defaults; means of {n} replications on common random numbers; the {top} largest swings. "
        "Ranges: the uncertainty config group.",
    ),
    "sensitivity.sobol_caption": ("{kpi}：Sobol'方差分解指数（SALib）",
                                  "{kpi}: Sobol' variance-based indices (SALib)"),
    "sensitivity.sobol_parameter": ("假设", "Assumption"),
    "sensitivity.sobol_first": ("一阶指数 S1 [95%区间]", "First-order S1 [95% interval]"),
    "sensitivity.sobol_total": ("总效应指数 ST [95%区间]", "Total ST [95% interval]"),
    "sensitivity.sobol_note": (
        "{k}项假设按各自分布同时变动（Saltelli/Sobol'设计，{evaluations}个情景，每个{replications}次重复运行）；"
        "S1：该假设单独解释的方差份额，ST：含交互作用的份额；区间为自助法95%区间。",
        "{k} assumptions varied together over their distributions (Saltelli/Sobol' design, {evaluations} "
        "scenarios of {replications} replication(s) each); S1: the share of the variance the assumption "
        "explains alone, ST: with its interactions; bootstrap 95% intervals.",
    ),
    "sensitivity.scale": ("×{low:g}–×{high:g}", "x{low:g}-x{high:g}"),
    "sensitivity.range": ("{low:g}–{high:g}", "{low:g}-{high:g}"),
    "maps.beds": ("{beds}张床位", "{beds} beds"),
    "maps.x": ("东西（公里）", "West–east (km)"),
    "maps.y": ("南北（公里）", "South–north (km)"),
    "maps.closed_tag": ("关闭", "closed"),
    # --- the village map (issue 16) ---
    "maps.village_title": ("各行政村{service}：{policy}前后",
                           "{service} by village, before and after: {policy}"),
    "maps.village_before": ("之前：{ref}", "Before: {ref}"),
    "maps.village_after": ("之后：{policy}", "After: {policy}"),
    "maps.village_left_out": ("黑圈：被落下的村（至少{persistence:.0%}的重复运行低于{threshold:.0%}）",
                              "Ringed: left out (under {threshold:.0%} in at least {persistence:.0%} "
                              "of runs)"),
    "maps.village_no_demand": ("空心灰圈：无需求", "Hollow grey: no demand"),
    # --- equity: outcomes by remoteness, who is left out (issue 16) ---
    "equity.quintile_tick": ("第{k}档", "Q{k}"),
    "equity.quintile_x": ("到乡镇驻地车程五分位（第1档最近）",
                          "Car minutes to the township seat, quintile (Q1 nearest)"),
    "equity.title": ("按行政村偏远度分组的服务结果（均值与{level:.0%}置信区间）",
                     "Outcomes by the village's remoteness (mean and {level:.0%} interval)"),
    "equity.service_emergency": ("{target:g}分钟内到达率", "Calls reached within {target:g} min"),
    "equity.service_visits": ("月探访率", "Monthly visit rate"),
    "equity.service_meals": ("营业日助餐满足率", "Lunch wishes served on open days"),
    "equity.village": ("行政村", "Village"),
    "equity.township": ("乡镇", "Township"),
    "equity.share_under": ("{scenario}", "{scenario}"),
    "equity.runs_under": ("低于阈值的运行占比（{ref}）", "Runs under the threshold ({ref})"),
    "equity.left_out_caption": (
        "{service}：{ref}下有{n}个行政村（共{villages}个）在至少{persistence:.0%}的重复运行中低于{threshold:.0%}"
        "（最差者在前）；各情景下该村的均值与{level:.0%}区间",
        "{service}: under {ref}, {n} of {villages} villages stay under {threshold:.0%} in at least "
        "{persistence:.0%} of the runs (worst first); each village's mean and {level:.0%} interval in "
        "every scenario"),
    "equity.left_out_more": ("另有{n}个村，完整名单见left_out.csv。",
                             "{n} more villages: the full list is in left_out.csv."),
}


# Uncertain parameters (configs/uncertainty/default.yaml), by config path: (zh, en) for the tornado chart.
PARAMETER_LABELS: dict[str, tuple[str, str]] = {
    "services.emergency.fall_rate": ("伤害性跌倒率", "Injurious fall rate"),
    "services.emergency.illness_rate": ("其他急症呼叫率", "Urgent illness rate"),
    "services.emergency.false_alarm_rate": ("误报率", "False alarm rate"),
    "services.emergency.age_mult": ("急症年龄倍数（缩放）", "Emergency age multipliers (scale)"),
    "services.emergency.adl_mult[1]": ("半失能急症倍数", "Emergency multiplier, partly dependent"),
    "services.emergency.adl_mult[2]": ("失能急症倍数", "Emergency multiplier, fully dependent"),
    "services.emergency.living_mult[0]": ("独居急症倍数", "Emergency multiplier, living alone"),
    "services.emergency.adaptation_fall_mult": ("适老化改造后跌倒倍数", "Falls after home adaptation"),
    "services.emergency.device_use_illness": ("急症时使用呼叫器比例", "Device use in illness"),
    "services.emergency.dementia_device_mult": ("失智者呼叫器使用倍数", "Device use with dementia"),
    "services.emergency.detection_solitary.mean": ("独居者被发现时间", "Time to discovery, living alone"),
    "services.emergency.detection_empty_nest.mean": ("空巢者被发现时间", "Time to discovery, empty nest"),
    "services.emergency.detection_left_behind.mean": ("留守者被发现时间", "Time to discovery, left behind"),
    "services.emergency.detection_with_family.mean": ("与家人同住者被发现时间",
                                                      "Time to discovery, with family"),
    "services.emergency.handling.mean": ("接警分诊时间", "Call handling time"),
    "services.emergency.dispatch.mean": ("调度时间", "Dispatch time"),
    "services.emergency.travel_noise.sd": ("路途时间波动", "Travel-time noise"),
    "services.emergency.access.mean": ("入户到床旁时间", "Door-to-bedside time"),
    "services.emergency.on_scene.mean": ("现场处置时间", "Time on scene"),
    "services.emergency.escalate_fall": ("跌倒送医比例", "Falls taken to hospital"),
    "services.emergency.escalate_illness": ("急症送医比例", "Illnesses taken to hospital"),
    "services.emergency.handover.mean": ("医院交接时间", "Hospital handover time"),
    "services.beds.apply_full_ordinary": ("普通失能老人申请入住比例", "Bed applications, ordinary disabled"),
    "services.beds.apply_full_hardship": ("特困失能老人申请入住比例", "Bed applications, disabled hardship"),
    "services.beds.hardship_apply_per_year": ("特困老人集中供养申请率", "Hardship elders opting for a home"),
    "services.beds.initial_occupancy": ("期初入住率", "Initial occupancy"),
    "services.beds.discharge_per_year": ("在院老人离院率", "Discharge rate"),
    "services.beds.costs.fixed_yuan_per_year": ("敬老院年固定成本", "Home fixed cost a year"),
    "services.beds.costs.bed_day_yuan": ("每床日费用", "Cost per bed-day"),
    "services.visits.duration.mean": ("探访时长", "Visit length"),
    "services.visits.phone_duration.mean": ("电话探访时长", "Phone visit length"),
    "services.homecare.hours_per_week": ("上门服务需求时数（缩放）", "Home-care hours needed (scale)"),
    "services.homecare.session_hours": ("每次上门服务时长", "Home-care session length"),
    "services.meals.daily_probability": ("每日用餐意愿", "Daily lunch wish"),
    "services.meals.walk_threshold_min": ("步行就餐距离上限", "Walking limit to a canteen"),
    "services.meals.sittings": ("就餐批次", "Lunch sittings"),
    "services.meals.kitchen_meals_per_day": ("厨房日供餐能力", "Kitchen lunches a day"),
    "services.meals.delivery_radius_min": ("送餐半径", "Delivery radius"),
    "services.meals.handoff.mean": ("送餐交接时间", "Hand-over at the door"),
    "services.meals.costs.meal_cost_yuan": ("每餐成本", "Cost of a lunch"),
    "services.budget.device_yuan": ("呼叫器单价", "Device price"),
    "services.budget.device_service_yuan_per_month": ("呼叫器月服务费", "Device service a month"),
    "population.mortality_scale": ("死亡率倍数", "Mortality scale"),
    "population.mortality_mult_partial": ("半失能死亡倍数", "Mortality multiplier, partly dependent"),
    "population.mortality_mult_full": ("失能死亡倍数", "Mortality multiplier, fully dependent"),
    "population.adl_i_to_p": ("自理转半失能率（缩放）", "Independent to partly dependent (scale)"),
    "population.adl_i_to_f": ("自理转失能率（缩放）", "Independent to fully dependent (scale)"),
    "population.dementia_i_to_p_mult": ("失智致失能倍数", "Dementia effect on dependence"),
    "population.dementia_onset": ("失智发病率（缩放）", "Dementia onset (scale)"),
    "population.entry_partial": ("新满60岁半失能比例", "Entrants partly dependent"),
    "population.entry_full": ("新满60岁失能比例", "Entrants fully dependent"),
    "population.entry_dementia": ("新满60岁失智比例", "Entrants with dementia"),
    "population.male_share": ("男性比例", "Male share"),
    "population.living_solitary": ("独居比例", "Living alone"),
    "population.living_empty_nest": ("空巢比例", "Empty nest"),
    "population.living_left_behind": ("留守比例", "Left behind"),
    "population.special_hardship": ("特困比例", "Special hardship"),
    "population.minimum_living": ("低保比例", "Minimum living allowance"),
    "population.device_share": ("一键呼叫器持有率", "One-key device share"),
    "population.home_adaptation_share": ("已适老化改造比例", "Homes already adapted"),
    "county.travel.walk_kmh": ("步行速度", "Walking speed"),
    "county.travel.ebike_kmh": ("电动车速度", "E-bike speed"),
    "county.travel.car_kmh_plain": ("平原车速", "Car speed, plain"),
    "county.travel.car_kmh_hill": ("丘陵车速", "Car speed, hill"),
    "county.travel.car_kmh_mountain": ("山区车速", "Car speed, mountain"),
    "county.travel.circuity_plain": ("平原道路迂回系数", "Road circuity, plain"),
    "county.travel.intra_village_km": ("村内行程", "Trip inside a village"),
    "policy.time_bank.join_share": ("时间银行注册比例", "Time-bank registration"),
    "policy.time_bank.join_per_year": ("时间银行年新增注册", "Time-bank joiners a year"),
    "policy.time_bank.younger_per_village": ("每村年轻成员数", "Younger members a village"),
    "policy.time_bank.transfer_to_parent": ("为父母存时比例", "Hours banked for a parent"),
    "policy.time_bank.active_share": ("每月活跃比例", "Members active in a month"),
    "policy.time_bank.hours_per_active_month": ("活跃成员月服务时数", "Hours a month when active"),
    "policy.time_bank.dropout_per_year": ("年退出率", "Dropout a year"),
    "policy.time_bank.lapse_per_year": ("项目年终止概率", "Scheme lapse a year"),
    "policy.time_bank.withdraw_hours_per_month": ("兑换服务时数（缩放）", "Hours withdrawn (scale)"),
    "policy.canteens.kitchen_meals_per_day": ("新食堂日供餐能力", "New kitchens' lunches a day"),
    "policy.consolidation.nursing_conversion_yuan": ("护理型床位改造费", "Nursing-bed conversion cost"),
}
