"""Costs by budget line and payer (预算科目), for all replications at once: pure functions of arrays.

A civil-affairs bureau (民政局) defends its budget line by line, each with its
payer: the county's finance (县级财政), the city and province (省市财政), the
welfare lottery fund (福彩公益金), or the users' own fees (使用者付费).  Every
cost the model knows is one of the lines below; ``cost_total_yuan`` is their
sum, so nothing is counted twice or left out.  Each line is reported over the
horizon (``budget_<line>_yuan``) and by year of the run
(``budget_<line>_yuan_year_<k>``), with totals by payer and per elder served.

Sources are in ``LINES`` (document and section; CALIBRATION rows); payers
marked [A] are this model's reading where the documents do not say.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

YEAR_DAYS = 365.25
PAYERS = ("county", "city_province", "welfare_lottery", "users")
PAYER_LABELS = {"county": ("县级财政", "County finance"),
                "city_province": ("省市财政", "City and province"),
                "welfare_lottery": ("福彩公益金", "Welfare lottery fund"),
                "users": ("使用者付费", "Users' fees")}


class Line(NamedTuple):
    name: str
    zh: str
    en: str
    payer: str
    source: str


LINES: tuple[Line, ...] = (
    Line("home_staff", "敬老院工作人员工资", "Homes: staff pay", "county",
         "staff x 3,500 yuan/month (CALIBRATION §9 [S]); county pays (002 四(二), 001 三(二)) [A]"),
    Line("home_running", "敬老院运行费用", "Homes: running costs", "county",
         "120,000 yuan a home a year [A]"),
    Line("home_care", "集中供养床日费用", "Homes: care per occupied bed-day", "county",
         "40 yuan per occupied bed-day [A]"),
    Line("bed_construction", "床位建设补贴", "New beds (construction subsidy)", "city_province",
         "policy.consolidation.new_bed_yuan per bed added (CALIBRATION §9: 2,500-10,000; "
         "Yulin 20,000, 004 [S]); 省、市财政 (002 四(二)) [S]"),
    Line("nursing_conversion", "护理型床位改造", "Nursing-type conversions", "city_province",
         "policy.consolidation.nursing_conversion_yuan per bed [A]"),
    Line("home_operating_subsidy", "机构运营补贴", "Homes: operating subsidy per resident-month",
         "city_province", "Yulin 200 per resident-month (004 [S]); 0 by default [A]"),
    Line("centre_construction", "区域养老服务中心建设补贴", "Regional centres: construction subsidy",
         "city_province", "one-off 150,000 a centre (CALIBRATION §9, Shangcai [S]) + 20,000 a bed "
         "(Yulin, 004 [S]) in its opening year; 001 三: 一次性建设补贴, 牵头 市财政局 (payer [A])"),
    Line("centre_operating_subsidy", "区域养老服务中心运营补助", "Regional centres: operating subsidy",
         "county", "200 yuan per resident-month (Yulin, 004 [S]); 001 三: 正常运营的…给予运营补助; "
         "市、县两级财政 (001 农村 三(二)) — county [A]"),
    Line("village_point_construction", "村级养老服务点位建设补贴", "Village points: construction subsidy",
         "city_province", "one-off 120,000 a point (village centre, CALIBRATION §9, Shangcai [S]) in the "
         "year it is built; 001 三: 一次性建设补贴, 牵头 市财政局 (payer [A], as the regional centres)"),
    Line("village_point_operating_subsidy", "村级养老服务点位运营补助", "Village points: operating subsidy",
         "county", "20,000 a point a year from its opening day (000 二: 2-4万 [S]); "
         "县级财政落实运营补贴 (002 四(二) [S])"),
    Line("allowance_age80", "高龄补贴", "Allowance: poor elders 80+", "county",
         "50 yuan a month (002 三(五) [S]); payer [A]"),
    Line("allowance_disabled", "失能补贴", "Allowance: poor disabled elders", "county",
         "100 yuan a month (002 三(五) [S]); payer [A]"),
    Line("daycare_rewards", "日间照料中心以奖代补", "Day-care centres: rewards (以奖代补)", "welfare_lottery",
         "3 points x (1万 province + 1万 city) a year; chains >= 5万 + 1万 per extra centre (002 三(一)1, 4; "
         "四(三) 福利金 [S])"),
    Line("point_operating_subsidies", "养老服务点运营补贴", "Service points: operating subsidies", "county",
         "20,000 a point a year brought into operation (000 二: 2-4万 [S]); "
         "县级财政落实运营补贴 (002 四(二) [S])"),
    Line("canteen_subsidies", "助餐点运营补助", "Canteens: operating subsidy", "city_province",
         "520 yuan a canteen a year = 70.5万 / 1,356 rural mutual-aid homes, 省市补助资金 (000 二 [D])"),
    Line("meal_subsidies", "助餐补贴（预算科目）", "Meals: subsidy (cost - price)", "county",
         "(12.5 - 7) yuan a meal served (CALIBRATION §6) ; payer [A]"),
    Line("meal_fees", "老人自付餐费", "Meals: elders' fees", "users", "7 yuan a meal (CALIBRATION §6 [S])"),
    Line("devices", "一键呼叫设备及服务费", "One-key devices and service", "county",
         "400 a device handed out + 10 a device-month while the platform runs (CALIBRATION §9 [A])"),
    Line("platform", "智慧养老平台", "Smart platform", "city_province",
         "389万 / 7 (Fushun, 003 §7 [S]/[M]); 市级统建 (001 (三)6 [S])"),
    Line("home_adaptation", "适老化改造", "Home adaptation", "city_province",
         "2,029 yuan a home = 140万 / 690 (000 下一步二 [D]); payer [A]"),
    Line("pay_coordinators", "养老协理员报酬", "Coordinators' pay", "county",
         "1,750 yuan a month [A]; 县(市、区)政府通过购买服务 (001 (二)3 [S])"),
    Line("pay_homecare_workers", "居家护理员工资", "Home-care workers' pay", "county",
         "3,500 yuan a month (CALIBRATION §9 [S]); payer [A]"),
    Line("pay_couriers", "送餐员补贴", "Meal couriers' stipends", "county", "800 yuan a month [A]"),
    Line("pay_other_helpers", "其他服务人员报酬", "Other helpers' pay", "county", "their wage [A]"),
    Line("timebank_goods", "时间银行积分兑换", "Time bank: points exchanged for goods", "county",
         "12 yuan an hour (Nanjing, CALIBRATION §7 [S]); payer [A]"),
    Line("timebank_backstop", "时间银行政府兜底", "Time bank: government backstop", "county",
         "20 yuan an hour (CALIBRATION §9 [D]); payer [A]"),
)
LINE_NAMES = tuple(line.name for line in LINES)
PAY_LINES = {"coordinator": "pay_coordinators", "homecare_worker": "pay_homecare_workers",
             "meal_courier": "pay_couriers", "freed_point_coordinator": "pay_coordinators",
             "centre_homecare_team": "pay_homecare_workers"}


def years_of(horizon_days: float) -> int:
    """Years of the run (the last may be partial)."""
    return max(1, int(np.ceil(horizon_days / YEAR_DAYS - 1e-9)))


def by_year(rep: np.ndarray, year: np.ndarray, values: np.ndarray, n: int, years: int) -> np.ndarray:
    """(n, years) sums of ``values`` per replication and year (later years fold into the last)."""
    y = np.minimum(np.asarray(year, dtype=np.int64), years - 1)
    out = np.bincount(rep.astype(np.int64) * years + y, weights=np.asarray(values, dtype=float),
                      minlength=n * years)
    return out.reshape(n, years)


def month_years(months: int, years: int) -> np.ndarray:
    """(years,) months of the run falling in each year."""
    return np.bincount(np.minimum(np.arange(months) // 12, years - 1), minlength=years).astype(float)


def budget_lines(n: int, months: int, horizon_days: float, *, homes_yearly, meals, allowances,
                 timebank_monthly, unit_wage: np.ndarray, unit_type: np.ndarray, type_names,
                 canteen_days: np.ndarray, n_service_points: int, home_costs, meal_costs, budget,
                 new_bed_yuan: float, nursing_conversion_yuan: float, platform: bool,
                 goods_yuan: float, backstop_yuan: float, adaptations=None,
                 adaptation_yuan: float = 0.0, subsidised_point_days: np.ndarray | None = None,
                 point_subsidy_yuan: float = 0.0, unit_months: np.ndarray | None = None,
                 centre_build: np.ndarray | None = None, centre_homes: np.ndarray | None = None,
                 centre_operating_yuan: float = 0.0, point_build: np.ndarray | None = None,
                 point_days: np.ndarray | None = None,
                 point_operating_yuan: float = 0.0) -> dict[str, np.ndarray]:
    """(n, years) yuan per budget line.

    Each input is a ``(rep, records)`` pair: ``homes_yearly`` (sim.model.beds.HOME_YEAR_DTYPE),
    ``meals`` (per village-day), ``allowances`` (sim.model.allowances), ``timebank_monthly`` (or None);
    ``canteen_days`` (n, years) canteen-days open (sim.kernels.facilities);
    helpers are paid ``unit_wage`` yuan a month (``unit_type`` an index into ``type_names``) over the
    run, or for ``unit_months`` (n, units, years) months when some start on a date;
    ``centre_build`` (years,) the regional centres' construction subsidies by opening year and
    ``centre_homes`` their indices among the homes (operating subsidy per resident-month);
    ``point_build`` (years,) the new village points' construction subsidies by year built and
    ``point_days`` (n, years) their point-days operating (subsidy ``point_operating_yuan`` a year).
    """
    years = years_of(horizon_days)
    per_month = month_years(months, years)                      # months in each year
    zeros = np.zeros((n, years))
    out = {name: zeros.copy() for name in LINE_NAMES}
    hrep, h = homes_yearly
    out["home_staff"] = by_year(hrep, h["year"], h["staff_days"], n, years) / YEAR_DAYS * 12 \
        * home_costs.staff_wage_yuan_per_month
    out["home_running"] = by_year(hrep, h["year"], h["open_days"], n, years) / YEAR_DAYS \
        * home_costs.fixed_yuan_per_year
    occupied = by_year(hrep, h["year"], h["occupied_bed_days"], n, years)
    out["home_care"] = occupied * home_costs.bed_day_yuan
    out["bed_construction"] = by_year(hrep, h["year"], h["beds_added"], n, years) * new_bed_yuan
    converted = by_year(hrep, h["year"], h["nursing_added"], n, years)
    out["nursing_conversion"] = converted * nursing_conversion_yuan
    out["home_operating_subsidy"] = occupied / (YEAR_DAYS / 12) \
        * budget.home_operating_subsidy_yuan_per_resident_month
    arep, a = allowances
    ayear = a["month"] // 12
    out["allowance_age80"] = by_year(arep, ayear, a["age80_poor"], n, years) \
        * budget.allowance_age80_yuan_per_month
    out["allowance_disabled"] = by_year(arep, ayear, a["disabled_poor"], n, years) \
        * budget.allowance_disabled_yuan_per_month
    points = min(budget.daycare_reward_points_per_year, n_service_points)
    chain = budget.daycare_chains * (budget.daycare_chain_yuan + budget.daycare_chain_extra_yuan
                                     * max(0, budget.daycare_chain_centres - 5))
    out["daycare_rewards"] = np.broadcast_to((points * budget.daycare_reward_yuan + chain) * per_month / 12,
                                             (n, years)).copy()
    out["canteen_subsidies"] = canteen_days / YEAR_DAYS * meal_costs.canteen_subsidy_yuan_per_year
    mrep, m = meals
    served = by_year(mrep, np.floor(m["day"] / YEAR_DAYS), m["dine_in"] + m["delivered"], n, years)
    out["meal_subsidies"] = served * (meal_costs.meal_cost_yuan - meal_costs.price_yuan)
    out["meal_fees"] = served * meal_costs.price_yuan
    out["devices"] = by_year(arep, ayear, a["devices_handed_out"], n, years) * budget.device_yuan
    if platform:
        out["devices"] += by_year(arep, ayear, a["devices"], n, years) * budget.device_service_yuan_per_month
        out["platform"][:, 0] = budget.platform_yuan
    if subsidised_point_days is not None:
        out["point_operating_subsidies"] = subsidised_point_days / YEAR_DAYS * point_subsidy_yuan
    if adaptations is not None:
        drep, d = adaptations
        out["home_adaptation"] = by_year(drep, d["month"] // 12, d["homes"], n, years) * adaptation_yuan
    if centre_build is not None:
        out["centre_construction"] = np.broadcast_to(centre_build, (n, years)).copy()
    if centre_homes is not None and len(centre_homes):
        at = np.isin(h["home"], centre_homes)
        resident_days = by_year(hrep[at], h["year"][at], h["occupied_bed_days"][at], n, years)
        resident_months = resident_days / (YEAR_DAYS / 12)
        out["centre_operating_subsidy"] = resident_months * centre_operating_yuan
    if point_build is not None:
        out["village_point_construction"] = np.broadcast_to(point_build, (n, years)).copy()
    if point_days is not None:
        out["village_point_operating_subsidy"] = point_days / YEAR_DAYS * point_operating_yuan
    if unit_months is None:
        wage = np.bincount(unit_type, weights=unit_wage, minlength=len(type_names))   # yuan a month per type
        for k, name in enumerate(type_names):
            line = PAY_LINES.get(name, "pay_other_helpers")
            out[line] = out[line] + wage[k] * per_month[None, :]
    else:
        for k, name in enumerate(type_names):
            line = PAY_LINES.get(name, "pay_other_helpers")
            mine = unit_type == k
            out[line] = out[line] + np.einsum("u,nuy->ny", unit_wage[mine], unit_months[:, mine, :])
    if timebank_monthly is not None:
        trep, t = timebank_monthly
        tyear = t["month"] // 12
        out["timebank_goods"] = by_year(trep, tyear, t["exchanged"], n, years) * goods_yuan
        out["timebank_backstop"] = by_year(trep, tyear, t["backstop"], n, years) * backstop_yuan
    return out


def budget_kpis(lines: dict[str, np.ndarray], elders_served: np.ndarray) -> dict[str, np.ndarray]:
    """KPIs from the (n, years) lines: each line's total and yearly yuan, totals by payer, the total
    cost (the sum of the lines) and the cost per elder served."""
    out: dict[str, np.ndarray] = {}
    years = next(iter(lines.values())).shape[1]
    for line in LINES:
        out[f"budget_{line.name}_yuan"] = lines[line.name].sum(axis=1)
    for line in LINES:
        for k in range(years):
            out[f"budget_{line.name}_yuan_year_{k + 1}"] = lines[line.name][:, k]
    for payer in PAYERS:
        mine = [lines[line.name] for line in LINES if line.payer == payer]
        out[f"budget_payer_{payer}_yuan"] = np.sum(mine, axis=0).sum(axis=1)
    total_year = np.sum([lines[name] for name in LINE_NAMES], axis=0)
    for k in range(years):
        out[f"budget_total_yuan_year_{k + 1}"] = total_year[:, k]
    total = np.sum([out[f"budget_{name}_yuan"] for name in LINE_NAMES], axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cost_per_elder_served_yuan"] = total / elders_served
    out["elders_served"] = elders_served.astype(float)
    out["cost_total_yuan"] = total
    return out


def elders_served(n: int, *pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """(n,) distinct elders per replication among ``(rep, elder)`` pairs (elder -1: none)."""
    rep = np.concatenate([p[0] for p in pairs]).astype(np.int64)
    elder = np.concatenate([p[1] for p in pairs]).astype(np.int64)
    ok = elder >= 0
    key = np.unique(rep[ok] * (int(elder.max(initial=0)) + 1) + elder[ok])
    return np.bincount(key // (int(elder.max(initial=0)) + 1), minlength=n).astype(np.int64)
