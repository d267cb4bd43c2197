"""Registration of the structured configs with Hydra's ConfigStore, and the way back.

OmegaConf marks every node typed by a *frozen* dataclass read-only, also the list elements
it creates while merging YAML; a command-line override of a list element
(``services.helpers.0.shift_start_hour=8``) then fails with "Cannot change read-only config
container".  So Hydra is given *mirrors*: the same fields, types, defaults and metadata in
unfrozen dataclasses.  `to_config` turns the composed tree back into the frozen dataclasses the
layers below receive, and names any key the schema does not know (``+run.foo=1``).
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any

from hydra.core.config_store import ConfigNode, ConfigStore
from omegaconf import DictConfig, OmegaConf

from sim.config.errors import ConfigError, Problem
from sim.config.schema import SimConfig

SCHEMA_NAME = "sim_schema"


def _mirror_type(tp: Any) -> Any:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if dataclasses.is_dataclass(tp):
        return mirror(tp)
    if origin in (list, typing.List):  # noqa: UP006
        return typing.List[_mirror_type(args[0])] if args else list  # noqa: UP006
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1 and len(args) == 2:
            return _mirror_type(inner[0]) | None
    return tp


def _to_mirror(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        m = mirror(type(value))
        return m(**{f.name: _to_mirror(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, (list, tuple)):
        return [_to_mirror(v) for v in value]
    return value


@functools.cache
def mirror(schema: type) -> type:
    """An unfrozen dataclass with ``schema``'s fields, types (mirrored), defaults and metadata."""
    hints = typing.get_type_hints(schema)
    specs = []
    for f in dataclasses.fields(schema):
        kw: dict[str, Any] = {"metadata": f.metadata}
        if f.default is not dataclasses.MISSING:
            kw["default"] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            kw["default_factory"] = functools.partial(lambda make: _to_mirror(make()), f.default_factory)
        specs.append((f.name, _mirror_type(hints[f.name]), dataclasses.field(**kw)))
    name = f"{schema.__name__}Node"
    made = dataclasses.make_dataclass(name, specs, frozen=False, namespace={"__module__": __name__})
    made.__qualname__ = name
    if globals().setdefault(name, made) is not made:   # importable by name: configs pickle (joblib)
        raise TypeError(f"two schema classes named {schema.__name__}")
    return made


def pro_rata(amount: float, start_hour: float, end_hour: float, reference_hours: float) -> float:
    """``amount`` scaled by the hours of a shift (``end_hour - start_hour``) over ``reference_hours``:
    a post's pay when its hours change, as ``${pro_rata:1750.0,${.shift_start_hour},${.shift_end_hour},12.0}``
    in a config (configs/experiment/sizing_hill.yaml: coordinators paid by their hours on duty)."""
    return float(amount) * (float(end_hour) - float(start_hour)) / float(reference_hours)


def digest(text: str) -> str:
    """12 hex digits naming ``text``: a sizing trial's folder from its overrides (a design's many
    overrides make a folder name too long for the file system), the same design the same folder."""
    import hashlib

    return hashlib.sha256(str(text).encode()).hexdigest()[:12]


# registered at import, so every process that reads a config (job processes too) has them
OmegaConf.register_new_resolver("pro_rata", pro_rata, replace=True)
OmegaConf.register_new_resolver("digest", digest, replace=True)


def register() -> None:
    """Register the top-level schema; group files merge into its typed nodes (idempotent: once a
    process, since building the node costs a third of a composition and Hydra copies it on load)."""
    store = ConfigStore.instance()
    key = f"{SCHEMA_NAME}.yaml"
    if key not in store.repo:
        store.store(name=SCHEMA_NAME, node=OmegaConf.structured(mirror(SimConfig)))
        store.repo[key] = _SharedNode(**vars(store.repo[key]))


class _SharedNode(ConfigNode):
    """The stored schema, shared by every copy of the ConfigStore instead of copied into it.

    Hydra deep-copies the whole ConfigStore each time it builds a config repository: once or
    twice a composition, and about a hundred times for ``--help`` (one per config group it lists).
    The schema is 95% of that copy (0.05 s of 0.053 s), which made ``python -m sim --help`` take
    9 s.  ``ConfigStore.load`` never changes a stored node in place: it copies the node it
    returns (``ret.node = copy.deepcopy(ret.node)``), so sharing the stored one is safe."""

    def __deepcopy__(self, memo: dict) -> _SharedNode:
        return self


def _build(tp: Any, value: Any, path: str, out: list[Problem]) -> Any:
    """``value`` (plain containers) as an instance of ``tp``; unknown keys go to ``out``."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        if value is None:
            return None
        tp = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        hints = typing.get_type_hints(tp)
        names = {f.name for f in dataclasses.fields(tp)}
        for key in value:
            if key not in names:
                out.append(Problem(f"{path}.{key}" if path else str(key), value[key],
                                   f"no such field in {path or 'the config'}; fields: "
                                   + ", ".join(sorted(names))))
        kwargs = {k: _build(hints[k], v, f"{path}.{k}" if path else k, out)
                  for k, v in value.items() if k in names}
        missing = sorted(names - set(kwargs))
        for name in missing:
            f = next(f for f in dataclasses.fields(tp) if f.name == name)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                out.append(Problem(f"{path}.{name}" if path else name, None, "required"))
        if any(p.allowed == "required" for p in out):
            return None
        return tp(**kwargs)
    if origin in (list, typing.List) and isinstance(value, list):  # noqa: UP006
        return [_build(args[0] if args else Any, v, f"{path}[{i}]", out) for i, v in enumerate(value)]
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if tp in _SCALARS and (not isinstance(value, tp) or tp is not bool and isinstance(value, bool)):
        out.append(Problem(path, value, f"must be {_SCALARS[tp]}"))    # a hand-edited config.yaml
    return value


_SCALARS = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}


def to_config(cfg: DictConfig | dict) -> SimConfig:
    """Turn a composed DictConfig (or plain mapping, such as a run's ``config.yaml``) into the
    frozen `SimConfig`; integers in number fields become floats.

    Raises `ConfigError` naming every key the schema does not know and every value of the wrong type.
    """
    data = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else dict(cfg)
    data.pop("hydra", None)
    out: list[Problem] = []
    obj = _build(SimConfig, data, "", out)
    if out:
        raise ConfigError(out)
    return obj  # type: ignore[return-value]


mirror(SimConfig)   # every mirror exists at import, so a pickled config unpickles in a worker
