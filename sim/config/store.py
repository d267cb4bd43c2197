"""Registration of the structured configs with Hydra's ConfigStore.

The frozen dataclasses are stored as thawed OmegaConf nodes: Hydra must be able
to merge YAML and overrides into them, and `OmegaConf.to_object` later builds
the frozen instances that the layers below receive.
"""

from __future__ import annotations

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, ListConfig, OmegaConf

from sim.config.schema import SimConfig

SCHEMA_NAME = "sim_schema"


def _thaw(node: DictConfig | ListConfig) -> DictConfig | ListConfig:
    node._set_flag("readonly", None)
    children = node.keys() if isinstance(node, DictConfig) else range(len(node))
    for key in children:
        child = node._get_node(key)
        if isinstance(child, (DictConfig, ListConfig)):
            _thaw(child)
    return node


def structured(schema: type) -> DictConfig:
    """An editable structured node typed by ``schema``."""
    return _thaw(OmegaConf.structured(schema))  # type: ignore[return-value]


def register() -> None:
    """Register the top-level schema; group files merge into its typed nodes (idempotent)."""
    ConfigStore.instance().store(name=SCHEMA_NAME, node=structured(SimConfig))


def to_config(cfg: DictConfig) -> SimConfig:
    """Turn a composed DictConfig into the frozen `SimConfig` (types already checked by Hydra)."""
    obj = OmegaConf.to_object(cfg)
    if not isinstance(obj, SimConfig):  # composed without the schema: build it
        merged = OmegaConf.merge(structured(SimConfig), cfg)
        obj = OmegaConf.to_object(merged)
    return obj  # type: ignore[return-value]
