"""Structured configs (frozen dataclasses registered with Hydra) and their validation."""

from sim.config.errors import ConfigError, DataError, Problem, UserInputError
from sim.config.schema import (
    CountyConfig,
    NursingHomeSpec,
    PolicyConfig,
    PopulationConfig,
    RunConfig,
    SimConfig,
    TravelConfig,
)
from sim.config.validate import validate

__all__ = [
    "ConfigError", "DataError", "Problem", "UserInputError", "CountyConfig", "NursingHomeSpec",
    "PolicyConfig", "PopulationConfig", "RunConfig", "SimConfig", "TravelConfig", "validate",
]
