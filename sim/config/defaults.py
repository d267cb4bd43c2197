"""One source for every default: the YAML files of ``sim/configs`` hold the values, each with its
CALIBRATION.md citation; a schema class decorated with `from_yaml` takes its defaults from them.

A field whose default is `YAML` gets the value of the same key in the file (or in the mapping at
``key``, a dotted path such as ``beds.costs``); the file must hold every such key and no key the
class lacks (checked at import).  So ``PopulationConfig()``, ``ServicesConfig()``,
``CanteenPolicy(enabled=True)`` and ``python -m sim`` see the same figures, written once, beside
their sources.  Adding a field takes a `YAML` default in the class and a key in the file.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import types
import typing
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"


class _FromYaml:
    def __repr__(self) -> str:
        return "YAML"


YAML: Any = _FromYaml()   # a field default meaning "the value in the group's YAML file"


@functools.cache
def yaml_loader() -> type:
    """PyYAML's C loader with OmegaConf's reading of scalars (1e9 a number, as Hydra reads it; no
    timestamps) and its refusal of duplicate keys: the same values as ``OmegaConf.load`` at a
    twentieth of the time (every process reads these files when it imports the schema)."""
    import yaml
    from omegaconf._utils import get_yaml_loader

    reference = get_yaml_loader()

    class Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
        yaml_implicit_resolvers = reference.yaml_implicit_resolvers
        yaml_constructors = reference.yaml_constructors

        def construct_mapping(self, node, deep=False):
            keys = set()
            for key, _ in node.value:
                if key.tag == yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG:
                    if key.value in keys:
                        raise yaml.constructor.ConstructorError(
                            "while constructing a mapping", node.start_mark,
                            f"found duplicate key {key.value}", key.start_mark)
                    keys.add(key.value)
            return yaml.constructor.SafeConstructor.construct_mapping(self, node, deep=deep)

    return Loader


@functools.cache
def _load(relpath: str) -> dict:
    import yaml

    with open(CONFIG_DIR / relpath, encoding="utf-8") as f:
        return yaml.load(f, Loader=yaml_loader()) or {}  # noqa: S506 (a safe loader)


def _section(relpath: str, key: str | None) -> dict:
    data = _load(relpath)
    for part in key.split(".") if key else []:
        data = data[part]
    return data


def _value(tp: Any, value: Any) -> Any:
    """A YAML value as the field's type: mappings become the (nested) dataclass."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        tp = args[0]
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        hints = typing.get_type_hints(tp)
        return tp(**{k: _value(hints[k], v) for k, v in value.items()})
    if typing.get_origin(tp) is list and isinstance(value, list):
        inner = typing.get_args(tp)[0] if typing.get_args(tp) else Any
        return [_value(inner, v) for v in value]
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def from_yaml(relpath: str, key: str | None = None):
    """Decorator (below ``@dataclass``): fill the `YAML` defaults of a schema class from ``relpath``."""

    def fill(cls: type) -> type:
        data = _section(relpath, key)
        hints = typing.get_type_hints(cls)
        names = list(cls.__annotations__)
        extra = sorted(set(data) - set(names))
        if extra:
            raise TypeError(f"{relpath}: keys {extra} are not fields of {cls.__name__}")
        for name in names:
            attr = cls.__dict__.get(name, dataclasses.MISSING)
            is_field = isinstance(attr, dataclasses.Field)
            if (attr.default if is_field else attr) is not YAML:
                continue
            if name not in data:
                raise TypeError(f"{cls.__name__}.{name}: its default should be in {relpath}, which lacks it")
            value = _value(hints[name], data[name])
            f = attr if is_field else dataclasses.field()
            if isinstance(value, (list, dict)) or dataclasses.is_dataclass(value):
                f.default = dataclasses.MISSING
                f.default_factory = functools.partial(copy.deepcopy, value)
            else:
                f.default = value
            f.metadata = types.MappingProxyType({**f.metadata, "from_yaml": relpath})
            setattr(cls, name, f)
        return cls

    return fill


def written_twice(cls: type, relpath: str, key: str | None = None) -> list[str]:
    """Fields of ``cls`` whose default is written in the code although ``relpath`` holds one."""
    data = _section(relpath, key)
    return [f.name for f in dataclasses.fields(cls)
            if f.name in data and not f.metadata.get("from_yaml")]
