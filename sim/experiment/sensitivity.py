"""Sensitivity of the headline KPIs to the assumptions 敏感性分析: one at a time, and Sobol'.

One at a time (the tornado 龙卷风图): the scenario is run at each uncertain parameter's low and
high bound (``configs/uncertainty/``), the others at their defaults, with the same replications
0..n-1 (common random numbers: the same seed, so a difference is the parameter's, not noise's).
A parameter of a policy that is off cannot change a number and is skipped.  ``oat`` holds one
row per (parameter, side, replication) with every KPI; `tornado` turns it into the swing of one
KPI per parameter, with a paired interval of high minus low.

Sobol' (variance-based, through SALib): all parameters vary together over their distributions
(a Saltelli/Sobol' design on the unit cube, each coordinate put through the parameter's quantile
function); first-order and total indices say what share of the KPI's variance each explains.
It costs ``N (k + 2)`` scenario evaluations for ``k`` parameters, so it is meant for a few
parameters (the tornado's top ones) or a fast engine.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

from sim.config.schema import SimConfig
from sim.config.uncertainty import UncertainParameter, with_values
from sim.experiment.kpis import concat_rows
from sim.experiment.runner import Output, _stop_pool, effective_workers, run_task
from sim.experiment.scenario import Scenario, build_scenario
from sim.experiment.uncertainty import inert
from sim.kernels.stats import t_interval

BASE = "base"


def uncertain(cfg: SimConfig, only: list[str] | None = None,
              paths: list[str] | None = None) -> list[UncertainParameter]:
    """The parameters that can move this scenario (``only``: those whose path starts with one of
    these prefixes; ``paths``: those with exactly these paths)."""
    return [p for p in cfg.uncertainty.parameters
            if not inert(cfg, p.path) and (not only or any(p.path.startswith(o) for o in only))
            and (paths is None or p.path in paths)]


def _fixed(cfg: SimConfig) -> SimConfig:
    """The scenario with uncertainty off: every variant differs in its one parameter only."""
    return replace(cfg, run=replace(cfg.run, uncertainty=False))


def _kpis(index: int, scenario: Scenario, replication: int) -> tuple[int, int, dict]:
    _, row, _ = run_task(scenario, replication, Output(None, "none", ""))
    return index, replication, row


def evaluate(scenarios: list[Scenario], replications: int, workers: int = 1) -> list[dict[str, np.ndarray]]:
    """The KPI columns of replications 0..n-1 of every scenario (one process pool for all)."""
    tasks = [(i, s, r) for i, s in enumerate(scenarios) for r in range(replications)]
    n_jobs = effective_workers(workers, len(tasks))
    if n_jobs == 1:
        done = [_kpis(*t) for t in tasks]
    else:
        done = list(Parallel(n_jobs=n_jobs, backend="loky", batch_size=1)(delayed(_kpis)(*t) for t in tasks))
        _stop_pool()   # no idle workers holding memory afterwards
    rows: dict[int, dict[int, dict]] = {}
    for i, r, row in done:
        rows.setdefault(i, {})[r] = row
    return [concat_rows([rows[i][r] for r in range(replications)]) for i in range(len(scenarios))]


def one_at_a_time(cfg: SimConfig, replications: int, workers: int = 1,
                  only: list[str] | None = None, paths: list[str] | None = None) -> pd.DataFrame:
    """Rows (path, side, value, replication, KPIs...) for the base and each parameter's bounds."""
    cfg = _fixed(cfg)
    params = uncertain(cfg, only, paths)
    variants: list[tuple[str, str, float]] = [(BASE, BASE, np.nan)]
    configs = [cfg]
    for p in params:
        for side, value in (("low", p.low), ("high", p.high)):
            variants.append((p.path, side, value))
            configs.append(with_values(cfg, {p.path: value}, params))
    columns = evaluate([build_scenario(c) for c in configs], replications, workers)
    frames = [pd.DataFrame({"path": path, "side": side, "value": value,
                            "replication": np.arange(replications), **cols})
              for (path, side, value), cols in zip(variants, columns, strict=True)]
    return pd.concat(frames, ignore_index=True)


def tornado(oat: pd.DataFrame, kpi: str, parameters: list[UncertainParameter] | None = None,
            confidence: float = 0.95) -> pd.DataFrame:
    """Per parameter: the KPI's mean at base, low and high, the swing |high - low| and a paired
    t-interval of (high - low) over the common replications; largest swing first."""
    if kpi not in oat.columns:
        raise KeyError(f"no KPI {kpi!r} in the one-at-a-time table")
    base = oat[oat["side"] == BASE].set_index("replication")[kpi].astype(float)
    rows = []
    meta = {p.path: p for p in parameters or []}
    for path, group in oat[oat["side"] != BASE].groupby("path", sort=False):
        low = group[group["side"] == "low"].set_index("replication")[kpi].astype(float)
        high = group[group["side"] == "high"].set_index("replication")[kpi].astype(float)
        diff = (high - low.reindex(high.index)).to_numpy()
        ci = t_interval(diff, confidence)
        p = meta.get(path)
        value = group.groupby("side")["value"].first()
        rows.append({"path": path, "kpi": kpi, "low_value": float(value["low"]),
                     "high_value": float(value["high"]),
                     "apply": p.apply if p else "set", "source": p.source if p else "",
                     "base": float(base.mean()), "low": float(low.mean()), "high": float(high.mean()),
                     "swing": float(abs(high.mean() - low.mean())),
                     "diff_ci_low": float(ci["ci_low"][0]), "diff_ci_high": float(ci["ci_high"][0]),
                     "replications": len(diff)})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def sobol(cfg: SimConfig, kpis: list[str], base_samples: int, replications: int = 1, workers: int = 1,
          only: list[str] | None = None, paths: list[str] | None = None) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol' indices of ``kpis`` with their 95% intervals, from
    ``base_samples * (k + 2)`` scenarios each run for replications 0..n-1 (their mean is the
    output).  ``base_samples`` must be a power of 2 (Sobol' sequence)."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    cfg = _fixed(cfg)
    params = uncertain(cfg, only, paths)
    problem = {"num_vars": len(params), "names": [p.path for p in params],
               "bounds": [[0.0, 1.0]] * len(params)}
    design = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=cfg.run.seed % 2**32)
    configs = [with_values(cfg, {p.path: p.quantile(float(u)) for p, u in zip(params, row, strict=True)},
                           params) for row in design]
    columns = evaluate([build_scenario(c) for c in configs], replications, workers)
    rows = []
    for kpi in kpis:
        y = np.array([np.nanmean(np.asarray(c[kpi], dtype=float)) for c in columns])
        with np.errstate(divide="ignore", invalid="ignore"):   # a KPI these parameters cannot move
            s = sobol_analyze.analyze(problem, y, calc_second_order=False, print_to_console=False,
                                      seed=cfg.run.seed % 2**32)
        for j, p in enumerate(params):
            rows.append({"kpi": kpi, "path": p.path, "S1": s["S1"][j], "S1_conf": s["S1_conf"][j],
                         "ST": s["ST"][j], "ST_conf": s["ST_conf"][j],
                         "evaluations": len(design), "replications": replications})
    return pd.DataFrame(rows).sort_values(["kpi", "ST"], ascending=[True, False], kind="stable")


__all__ = ["one_at_a_time", "sobol", "tornado", "uncertain"]
