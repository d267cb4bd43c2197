"""Chinese and English names of KPIs, units, scenarios and responders, for charts and briefings.

One table per kind of name.  KPI names are the interface of DESIGN §8 plus every
column the runs table has today; an unknown KPI falls back to its raw name and a
unit read from its suffix (``_min``, ``_share``, ``_days``, ...), so a new KPI
still plots before it is given a label here.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from sim.report.words import (  # noqa: F401 - the table of words, re-exported
    COUNTY_LABELS,
    EQUITY_SUFFIXES,
    HELPER_USE_PREFIX,
    HELPER_VISIT_PREFIX,
    KPI_LABELS,
    LANGS,
    PERIOD_SUFFIXES,
    PHRASES,
    POLICY_LABELS,
    RESPONDER_LABELS,
    RESPONDER_PREFIX,
    SHARE_UNIT,
    SUFFIX_UNITS,
    TOTAL_KPIS,
    KpiLabel,
)

_YEAR_K = re.compile(r"^(?P<base>.+)_year_(?P<k>\d+)$")
_YEARLY_BASE = {"timebank_honoured_share": "timebank_withdrawals_honoured_share"}

_TOWNSHIP = re.compile(r"Township (\d+)")
_VILLAGE = re.compile(r"Village (\d+)")


def _check(lang: str) -> int:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return LANGS.index(lang)


def phrase(key: str, lang: str, **fmt) -> str:
    """The phrase ``key`` of the table of words (`sim.report.words.PHRASES`) in ``lang``, filled in."""
    return PHRASES[key][_check(lang)].format(**fmt)


YEAR_DAYS = 365.25


def horizon_years(days: float) -> float:
    """The horizon in years, to a tenth (1095 days -> 3.0)."""
    return round(float(days) / YEAR_DAYS, 1)


def horizon_text(days: float, lang: str, adjective: bool = False) -> str:
    """'3年' / '3 years' (``adjective``: '3-year'); months below a year."""
    years = horizon_years(days)
    if years == 1 and not adjective:
        return phrase("labels.one_year", lang)
    if years >= 1:
        return phrase("labels.years" if adjective else "labels.horizon_years", lang, n=years)
    months = round(float(days) / (YEAR_DAYS / 12))
    return phrase("labels.months" if adjective else "labels.horizon_months", lang, n=months)


def is_total(kpi: str) -> bool:
    """True when ``kpi`` sums over the whole horizon (a total, not a rate or a state)."""
    return kpi in TOTAL_KPIS


def kpi_label(kpi: str) -> KpiLabel | None:
    """The label row of ``kpi``, or None when it has none."""
    if kpi in KPI_LABELS:
        return KPI_LABELS[kpi]
    for suffix, (zh, en) in (PERIOD_SUFFIXES | EQUITY_SUFFIXES).items():
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
            return KpiLabel(
                phrase("labels.busy", "zh", name=zh), phrase("labels.busy", "en", name=en), *SHARE_UNIT
            )
    if kpi.startswith(HELPER_VISIT_PREFIX):
        name = kpi[len(HELPER_VISIT_PREFIX):]
        if name in RESPONDER_LABELS:
            zh, en = RESPONDER_LABELS[name]
            return KpiLabel(
                phrase("labels.visiting", "zh", name=zh),
                phrase("labels.visiting", "en", name=en),
                *SHARE_UNIT,
            )
    if kpi.startswith(HELPER_USE_PREFIX):
        name = kpi[len(HELPER_USE_PREFIX):]
        if name in RESPONDER_LABELS:
            zh, en = RESPONDER_LABELS[name]
            return KpiLabel(
                phrase("labels.at_work", "zh", name=zh), phrase("labels.at_work", "en", name=en), *SHARE_UNIT
            )
    return None


def has_label(kpi: str) -> bool:
    return kpi_label(kpi) is not None


def label(kpi: str, lang: str = "zh", horizon_days: float | None = None) -> str:
    """Name of ``kpi`` in ``lang`` ('zh' or 'en'); the raw name when unknown.  With
    ``horizon_days``, a total over the horizon says so ('总成本（3年合计）')."""
    i = _check(lang)
    row = kpi_label(kpi)
    name = row[i] if row is not None else kpi
    if horizon_days is not None and is_total(kpi):
        name = phrase("labels.total", lang, label=name, horizon=horizon_text(horizon_days, lang, True))
    return name


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


SIGNED_SUFFIXES = ("_gap_remoteness", "_gap_terrain")


def is_signed(kpi: str) -> bool:
    """True for a KPI that is itself a difference and may be negative (the equity gaps): a share's
    unit, no bound."""
    return kpi.endswith(SIGNED_SUFFIXES)


def axis_label(kpi: str, lang: str = "zh", horizon_days: float | None = None) -> str:
    """'label (unit)', with full-width brackets in Chinese."""
    name, u = label(kpi, lang, horizon_days), unit(kpi, lang)
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


def county_name(res, lang: str) -> str:
    """The county's display name; a county loaded from tables is named after its folder unless
    its config names it."""
    county = res.config.county
    if county.source and county.name in ("hill", "plain", "qinshui"):
        return Path(str(county.source)).name
    if lang == "zh" and county.name_zh:
        return county.name_zh
    return county_label(county.name, lang)


MONEY_SCALES = {"zh": (1e4, "万元", 1e5), "en": (1e6, "million yuan", 1e6)}


def money_unit(kpi: str, values: np.ndarray, lang: str) -> tuple[float, str]:
    """(divisor, unit) for a yuan KPI whose values reach the language's scale, else (1, unit)."""
    u = unit(kpi, lang)
    if unit(kpi, "en") != "yuan":
        return 1.0, u
    divisor, scaled, threshold = MONEY_SCALES[lang]
    top = float(np.nanmax(np.abs(values), initial=0.0)) if np.size(values) else 0.0
    return (divisor, scaled) if top >= threshold else (1.0, u)


def scenario_label(scenario: str, lang: str = "zh", county: bool = True) -> str:
    """Label of a scenario name ``county/policy`` (`sim.experiment.compare.scenario_name`) or of a
    bare policy name; ``county=False`` leaves the county out.  A name that carries the overrides
    setting it apart (``hill/bed_upgrades [policy=[nursing_beds_yulin]]``) is labelled by the
    policy file it names, when that has a label, and keeps its other overrides in brackets."""
    _check(lang)
    scenario, named, extra = _split_overrides(scenario)
    if "/" not in scenario:
        c, p = None, scenario
    else:
        c, p = scenario.split("/", 1)
    text = policy_label(named or p, lang)
    if c is not None and county:
        text = f"{county_label(c, lang)} · {text}"
    return f"{text} [{' '.join(extra)}]" if extra else text


_APART = re.compile(r"(?P<name>[^\[]+?) \[(?P<extra>.+)\]")


def _split_overrides(scenario: str) -> tuple[str, str | None, list[str]]:
    """``name [o1 o2]`` -> the name, the policy file one override names (if labelled), the others."""
    m = _APART.fullmatch(scenario)
    if m is None:
        return scenario, None, []
    named, extra = None, []
    for override in m["extra"].split(" "):
        key, _, value = override.partition("=")
        files = value.strip("[]").split(",")
        if key.lstrip("+") == "policy" and len(files) == 1 and files[0] in POLICY_LABELS and named is None:
            named = files[0]
        else:
            extra.append(override)
    return m["name"], named, extra


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


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (0 < n < 100), else the digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else _DIGITS[tens]) + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def township_label(name: str, lang: str = "zh") -> str:
    """Synthetic counties name townships 'Township N': 一乡, 二乡 ... in Chinese, as their homes
    are named (一乡敬老院); real names pass through."""
    _check(lang)
    m = _TOWNSHIP.fullmatch(name)
    return f"{chinese_number(int(m.group(1)))}乡" if m and lang == "zh" else name


def village_label(name: str, lang: str = "zh") -> str:
    """Synthetic counties name villages 'Village N': 十七村 ... in Chinese; real names pass through."""
    _check(lang)
    m = _VILLAGE.fullmatch(name)
    return f"{chinese_number(int(m.group(1)))}村" if m and lang == "zh" else name


__all__ = ["COUNTY_LABELS", "HELPER_VISIT_PREFIX", "KPI_LABELS", "KpiLabel", "LANGS", "POLICY_LABELS",
           "RESPONDER_LABELS", "RESPONDER_PREFIX", "axis_label", "county_label", "has_label", "is_share",
           "is_signed", "kpi_label", "label", "policy_label", "responder_label", "scenario_label",
           "scenario_labels",
           "township_label", "village_label", "unit", "phrase", "horizon_text", "horizon_years", "is_total",
           "chinese_number"]
