"""Vectorised outcome kernels: KPIs from record arrays, statistics across runs."""

from sim.kernels.population import population_kpis
from sim.kernels.stats import t_interval

__all__ = ["population_kpis", "t_interval"]
