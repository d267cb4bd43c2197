"""Elders as arrays and their vectorised monthly dynamics."""

from sim.population.cohort import Cohort, cohort
from sim.population.demography import (
    ADL_STATES,
    MONTH_DAYS,
    Demography,
    annual_adl_matrix,
    build_demography,
)
from sim.population.dynamics import EVENT_DTYPE, EVENT_KINDS, MONTHLY_DTYPE, Trajectory, simulate
from sim.population.elders import ECONOMIC, LIVING, Elders
from sim.population.init import initial_elders

__all__ = ["ADL_STATES", "ECONOMIC", "EVENT_DTYPE", "EVENT_KINDS", "LIVING", "MONTHLY_DTYPE",
           "MONTH_DAYS", "Cohort", "Demography", "Elders", "Trajectory", "annual_adl_matrix",
           "build_demography", "cohort", "initial_elders", "simulate"]
