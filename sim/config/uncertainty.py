"""Parameter uncertainty 参数不确定性: a plausible range for every assumption [A] of the configs.

``configs/uncertainty/default.yaml`` lists each uncertain parameter by its config path
(``services.emergency.fall_rate``, ``population.living_solitary``, ``county.travel.car_kmh_hill``,
``services.emergency.adl_mult[2]``, ``services.emergency.on_scene.mean``), a distribution and its
bounds, and where the range comes from (a CALIBRATION.md row, or a stated reason).  Assumptions that
are not given a range are listed under ``fixed`` with the reason (a decision the planner makes, a
reading of a policy document, the description of a county).  With ``run.uncertainty=true`` each
replication draws one parameter set (`sim.experiment.uncertainty`); the sensitivity analysis moves
one parameter at a time to its bounds (`sim.experiment.sensitivity`).

Distributions (``u`` a uniform draw in [0, 1]):

- ``uniform``: between ``low`` and ``high``;
- ``triangular``: ``low``, ``mode``, ``high``;
- ``lognormal``: ``low`` and ``high`` are its 2.5% and 97.5% quantiles; draws are truncated to them.

``apply: set`` puts the drawn value at the path; ``apply: scale`` multiplies the value there (a
number or every element of a list) by it.  Integer fields take the drawn value rounded.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any

from sim.config.defaults import YAML, from_yaml
from sim.config.errors import Problem
from sim.config.fields import YUAN_MAX, choice, ranged

DISTRIBUTIONS = ("uniform", "triangular", "lognormal")
APPLY_RULES = ("set", "scale")
LOGNORMAL_TAIL = 0.025   # low and high of a lognormal are its 2.5% and 97.5% quantiles
_SEGMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$")


@dataclass(frozen=True)
class UncertainParameter:
    """One uncertain parameter: where it is, how it is distributed, why this range."""

    path: str = ""
    dist: str = choice("uniform", DISTRIBUTIONS)
    low: float = ranged(0.0, -YUAN_MAX, YUAN_MAX)
    high: float = ranged(0.0, -YUAN_MAX, YUAN_MAX)
    mode: float | None = field(default=None, metadata={"range": (-YUAN_MAX, YUAN_MAX),
                                                       "doc": "triangular: the most likely value"})
    apply: str = choice("set", APPLY_RULES, doc="set: the value; scale: a factor on the value(s)")
    source: str = ""

    def quantile(self, u: float) -> float:
        """The value at probability ``u`` in [0, 1] (the inverse of the distribution function)."""
        lo, hi = self.low, self.high
        if hi <= lo:
            return lo
        if self.dist == "uniform":
            return lo + u * (hi - lo)
        if self.dist == "triangular":
            c = lo if self.mode is None else self.mode
            split = (c - lo) / (hi - lo)
            if u < split:
                return lo + math.sqrt(u * (hi - lo) * (c - lo))
            return hi - math.sqrt((1.0 - u) * (hi - lo) * (hi - c))
        # lognormal between its 2.5% and 97.5% quantiles: u is mapped into that band first
        from scipy.special import ndtri

        z = float(ndtri(LOGNORMAL_TAIL + u * (1.0 - 2.0 * LOGNORMAL_TAIL)))
        mu, half = (math.log(lo) + math.log(hi)) / 2.0, (math.log(hi) - math.log(lo)) / 2.0
        return min(max(math.exp(mu + z * half / float(ndtri(1.0 - LOGNORMAL_TAIL))), lo), hi)


@dataclass(frozen=True)
class FixedAssumption:
    """An assumption [A] deliberately given no range, and why (a path prefix covers its children)."""

    path: str = ""
    reason: str = ""


@dataclass(frozen=True)
@from_yaml("uncertainty/default.yaml")
class UncertaintyConfig:
    """Ranges of the assumptions (``configs/uncertainty/default.yaml``); used when
    ``run.uncertainty`` is true and by the sensitivity analysis."""

    parameters: list[UncertainParameter] = YAML
    fixed: list[FixedAssumption] = YAML


# ---------------------------------------------------------------------------- config paths
def _segments(path: str) -> list[tuple[str, int | None]]:
    out = []
    for part in path.split("."):
        m = _SEGMENT.match(part)
        if m is None:
            raise KeyError(f"{path}: '{part}' is not a field name (optionally with [index])")
        out.append((m.group(1), None if m.group(2) is None else int(m.group(2))))
    return out


def _child(node: Any, name: str, index: int | None, path: str) -> Any:
    if not dataclasses.is_dataclass(node) or name not in {f.name for f in dataclasses.fields(node)}:
        raise KeyError(f"{path}: no field '{name}'")
    value = getattr(node, name)
    if index is not None:
        if not isinstance(value, (list, tuple)) or index >= len(value):
            raise KeyError(f"{path}: '{name}' has no element {index}")
        value = value[index]
    return value


def value_at(cfg: Any, path: str) -> Any:
    """The value at a config path such as ``services.emergency.adl_mult[2]``."""
    node = cfg
    for name, index in _segments(path):
        node = _child(node, name, index, path)
    return node


def _like(old: Any, new: float) -> Any:
    if isinstance(old, bool):
        raise KeyError("a true/false field cannot be uncertain")
    if isinstance(old, int):
        return int(round(new))
    return float(new)


def _put(node: Any, segments: list[tuple[str, int | None]], value: float, scale: bool, path: str) -> Any:
    (name, index), rest = segments[0], segments[1:]
    current = _child(node, name, None, path)
    if index is not None:
        items = list(current)
        item = _child(node, name, index, path)
        items[index] = _put(item, rest, value, scale, path) if rest else _leaf(item, value, scale, path)
        return dataclasses.replace(node, **{name: items})
    new = _put(current, rest, value, scale, path) if rest else _leaf(current, value, scale, path)
    return dataclasses.replace(node, **{name: new})


def _leaf(old: Any, value: float, scale: bool, path: str) -> Any:
    if isinstance(old, (list, tuple)):
        if not scale:
            raise KeyError(f"{path}: a list takes apply: scale, or an [index]")
        return [_like(x, x * value) for x in old]
    if old is None or isinstance(old, str) or not isinstance(old, (int, float)):
        raise KeyError(f"{path}: not a number ({old!r})")
    return _like(old, old * value if scale else value)


def with_value(cfg: Any, path: str, value: float, scale: bool = False) -> Any:
    """A copy of the frozen config ``cfg`` with ``value`` put (or multiplied in) at ``path``."""
    return _put(cfg, _segments(path), value, scale, path)


def with_values(cfg: Any, values: dict[str, float], parameters: list[UncertainParameter]) -> Any:
    """``cfg`` with each parameter's value applied (its ``apply`` rule)."""
    rules = {p.path: p.apply == "scale" for p in parameters}
    for path, value in values.items():
        cfg = with_value(cfg, path, value, rules.get(path, False))
    return cfg


def check_uncertainty(cfg: Any) -> list[Problem]:
    """Problems of the ``uncertainty`` group: unknown paths, non-numbers, bounds out of order."""
    out: list[Problem] = []
    seen: set[str] = set()
    for i, p in enumerate(cfg.uncertainty.parameters):
        where = f"uncertainty.parameters[{i}]"
        if p.path in seen:
            out.append(Problem(f"{where}.path", p.path, "each path once"))
        seen.add(p.path)
        try:
            with_value(cfg, p.path, p.low, p.apply == "scale")
        except KeyError as exc:
            out.append(Problem(f"{where}.path", p.path, f"a numeric config field ({exc.args[0]})"))
        if not p.low <= p.high:
            out.append(Problem(f"{where}.high", p.high, f"at least low ({p.low})"))
        if p.dist == "triangular" and (p.mode is None or not p.low <= p.mode <= p.high):
            out.append(Problem(f"{where}.mode", p.mode, f"triangular: a mode in [{p.low}, {p.high}]"))
        if p.dist == "lognormal" and p.low <= 0:
            out.append(Problem(f"{where}.low", p.low, "lognormal: above 0"))
    return out
