"""``county.yaml`` beside the ledger tables: the county's name and its other settings.

A county loaded from tables is named by its tables, not by the preset it was
loaded under: ``county.yaml`` in the tables' directory gives ``name``,
``name_zh`` and, optionally, any other county field (``canteen_seats``, the
default seats of a canteen; ``encoding``; ``travel``: speeds and circuity).
Without the file, the directory's name is the county's name (and its Chinese
name too when it is written in Chinese).  A county field given as an override
(``county.name_zh=...`` on the command line or to `sim.run`) wins over the file.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from sim.config.errors import DataError, Problem
from sim.config.schema import CountyConfig
from sim.config.validate import check_fields

COUNTY_FILE = "county.yaml"
_NOT_IN_FILE = ("source",)  # the file sits in the source directory


def explicit_fields(overrides: Iterable[str] | None) -> set[str]:
    """County fields set by Hydra-style overrides: ``county.name_zh=X`` gives ``name_zh``,
    ``county.travel.walk_kmh=3`` gives ``travel.walk_kmh``."""
    out = set()
    for o in overrides or ():
        key = o.split("=", 1)[0].lstrip("+~").strip()
        if key.startswith("county."):
            out.add(key[len("county."):])
    return out


def read_county_file(directory: Path, encoding: str = "auto") -> dict[str, Any]:
    """The mapping in ``directory/county.yaml`` ({} when there is none)."""
    path = directory / COUNTY_FILE
    if not path.is_file():
        return {}
    from sim.world.tables import decode  # here: a worker process never needs pandas (issue 13)

    text = decode(path, path.read_bytes(), encoding)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{COUNTY_FILE} line {mark.line + 1}" if mark is not None else COUNTY_FILE
        raise DataError([Problem(where, None, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) \
            from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataError([Problem(COUNTY_FILE, data, "must be a mapping of county fields, e.g. "
                                 "name: shimen / name_zh: 石门县")])
    return data


def _drop(values: dict[str, Any], path: str) -> None:
    head, _, rest = path.partition(".")
    if head not in values:
        return
    if rest and isinstance(values[head], dict):
        _drop(values[head], rest)
    else:
        del values[head]


def _value(tp: Any, value: Any, where: str, problems: list[Problem], base: Any = None) -> Any:
    """``value`` as a field of type ``tp`` (over ``base``): mappings become dataclasses, ints
    become floats; types and ranges are checked afterwards."""
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        return _replace(base if base is not None else tp(), value, where + ".", problems)
    if typing.get_origin(tp) is list and isinstance(value, list):
        (item,) = typing.get_args(tp)
        return [_value(item, v, f"{where}[{i}]", problems) for i, v in enumerate(value)]
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _replace(obj: Any, values: dict[str, Any], prefix: str, problems: list[Problem],
             exclude: tuple[str, ...] = ()) -> Any:
    """``obj`` (a config dataclass) with ``values``; unknown keys are problems."""
    hints = typing.get_type_hints(type(obj))
    names = [f.name for f in dataclasses.fields(obj) if f.name not in exclude]
    changes = {}
    for key, value in values.items():
        if key not in names:
            problems.append(Problem(f"{COUNTY_FILE}, key {prefix}{key}", value,
                                    "unknown key: must be one of " + ", ".join(names)))
            continue
        changes[key] = _value(hints[key], value, prefix + key, problems, getattr(obj, key))
    return dataclasses.replace(obj, **changes)


def county_config(cfg: CountyConfig, keep: Iterable[str] = ()) -> CountyConfig:
    """``cfg`` with the name and settings of its tables (`county.yaml`, else the directory's
    name) when ``cfg.source`` is set; the fields in ``keep`` (set by overrides) stay as they are."""
    if not isinstance(cfg.source, str) or not Path(cfg.source).is_dir():
        return cfg  # generated, or validation / the loader reports the source
    directory = Path(cfg.source)
    values = read_county_file(directory)  # detected: county.encoding is for the tables
    folder = directory.resolve().name
    values.setdefault("name", folder)
    values.setdefault("name_zh", folder if not folder.isascii() else "")
    for path in keep:
        _drop(values, path)
    problems: list[Problem] = []
    out = _replace(cfg, values, "", problems, exclude=_NOT_IN_FILE)
    if problems:
        raise DataError(problems)
    problems = [Problem(f"{COUNTY_FILE}, key {p.where.removeprefix('county.')}", p.value, p.allowed)
                for p in check_fields(out, "county")
                if p.where.removeprefix("county.").split(".")[0].split("[")[0] in values]
    if problems:
        raise DataError(problems)
    return out
