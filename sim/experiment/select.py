"""Pick with confidence 择优: Kim-Nelson ranking and selection among a sizing study's best designs.

``python -m sim.experiment.select SWEEP_DIR`` takes the best ``--top`` feasible designs of a sizing sweep
(``sizing.csv``, `sim.experiment.sizing`), runs them again on a fresh seed (the search's own replications
chose them, so they are biased in their favour), one replication of every design still in contention
at a time, all designs on the same streams (common random numbers), and applies the fully sequential
procedure KN (Kim and Nelson 2001; `sim.kernels.selection`): designs are eliminated as soon as their
mean is worse than another's by more than the continuation region allows.  When one design is left,
it is the best with probability at least 1 - alpha whenever the best is better than the others by at
least ``--delta``; designs whose true means lie within delta of the best are equally acceptable.
The measure is each replication's penalised objective (the study's cost plus its penalty for the
targets that replication misses), minimised; ``--measure objective`` uses the cost alone (feasibility
then rests on the sizing table and the confirmation run).  If the budget (``--max-replications``)
runs out with several designs left, they cannot be told apart at that budget: the verdict says so.

Writes ``SWEEP_DIR/select/select_<measure>.csv`` (one row per design: replications, mean and 95%
interval of the measure, stage eliminated, the selected one) and ``select_<measure>.json`` (the
verdict); replications are kept under ``select/dNN/`` and read back when the command is run again.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from sim.kernels.selection import kn_constants, kn_last_stage, kn_screen, kn_variances, penalised
from sim.kernels.stats import t_interval

Draw = Callable[[list[int], list[int]], np.ndarray]


@dataclass
class Selection:
    """What KN decided: ``selected`` (a design index, or None when several could not be told apart
    within the budget), the designs still in contention, each design's observations and the stage
    (replications) at which it was eliminated (0: never)."""

    selected: int | None
    alive: np.ndarray
    observations: list[list[float]]
    eliminated_at: np.ndarray
    stages: int
    last_stage: int
    alpha: float
    delta: float

    @property
    def means(self) -> np.ndarray:
        return np.array([np.mean(o) for o in self.observations])


def kn(draw: Draw, k: int, n0: int = 5, alpha: float = 0.05, delta: float = 1.0,
       max_replications: int = 100) -> Selection:
    """Procedure KN (maximisation) over ``k`` designs.

    ``draw(designs, replications)`` returns a (len(replications), len(designs)) array of observations,
    replication j of every design on the same random numbers.  The first stage takes ``n0`` each; then one
    more for every design in contention per stage, screening after each, until one is left, the stage
    ``max_i,l floor(h^2 S^2_il / delta^2) + 1`` is reached (then the best mean among those left is taken:
    within delta of the best with probability 1 - alpha), or ``max_replications`` is (no selection).
    """
    if k == 1:
        first = draw([0], list(range(n0)))
        return Selection(0, np.ones(1, bool), [list(first[:, 0])], np.zeros(1, int), n0, n0, alpha, delta)
    _, h2 = kn_constants(k, n0, alpha)
    first = np.asarray(draw(list(range(k)), list(range(n0))), dtype=float)
    obs = [list(first[:, i]) for i in range(k)]
    s2 = kn_variances(first)
    last = kn_last_stage(s2, h2, delta)
    alive = np.ones(k, dtype=bool)
    out = np.zeros(k, dtype=int)
    r = n0
    while True:
        sums = np.array([np.sum(o[:r]) for o in obs])
        if r >= last:    # the procedure's own end: the best mean of those left
            best = int(np.flatnonzero(alive)[np.argmax(sums[alive])])
            return Selection(best, alive, obs, out, r, last, alpha, delta)
        now = kn_screen(sums / r, s2, r, delta, h2, alive)
        out[alive & ~now] = r
        alive = now
        if alive.sum() == 1:
            return Selection(int(np.flatnonzero(alive)[0]), alive, obs, out, r, last, alpha, delta)
        if r >= max_replications:
            return Selection(None, alive, obs, out, r, last, alpha, delta)
        designs = [int(i) for i in np.flatnonzero(alive)]
        more = np.asarray(draw(designs, [r]), dtype=float)[0]
        for i, x in zip(designs, more):
            obs[i].append(float(x))
        r += 1


def _design_runner(configs: list, out_dir: Path, workers: int, measure_name: str = "penalised"):
    """A `Draw` over sizing designs: replication r of design i, its penalised objective (``penalised``)
    or the objective KPI alone (``objective``), negated (KN maximises); run on a process pool and kept in
    a replication store per design."""
    from joblib import Parallel, delayed

    from sim.experiment.fingerprint import fingerprint
    from sim.experiment.runner import ReplicationStore, effective_workers, run_task
    from sim.experiment.scenario import build_scenario
    from sim.experiment.sizing import targets_arrays

    scenarios = [build_scenario(c) for c in configs]
    stores = [ReplicationStore(out_dir / f"d{i:02d}", fingerprint(s), "none")
              for i, s in enumerate(scenarios)]

    def measure(i: int, kpis: dict) -> float:
        sizing = configs[i].sizing
        names, values, at_least = targets_arrays(sizing)
        x = np.array([[float(np.asarray(kpis[n])[0]) for n in names]])
        penalty = sizing.penalty_yuan if measure_name == "penalised" else 0.0
        value, _ = penalised(np.asarray(kpis[sizing.objective], dtype=float)[:1], x, values, at_least,
                             penalty)
        return -float(value[0])

    def draw(designs: list[int], reps: list[int]) -> np.ndarray:
        todo, got = [], {}
        for i in designs:
            for r in reps:
                row = stores[i].load(r) if r in stores[i].done() else None
                if row is None:
                    todo.append((i, r))
                else:
                    got[i, r] = row
        if todo:
            n_jobs = effective_workers(workers, len(todo))
            tasks = (delayed(run_task)(scenarios[i], r, stores[i].output) for i, r in todo)
            for (i, _), (r, kpis, tables) in zip(todo, Parallel(n_jobs=n_jobs, backend="loky")(tasks)):
                stores[i].save(r, kpis, tables)
                got[i, r] = kpis
        return np.array([[measure(i, got[i, r]) for i in designs] for r in reps])

    return draw


def select(sweep_dir: str | Path, top: int = 5, n0: int = 5, alpha: float = 0.05, delta: float = 1e5,
           max_replications: int = 40, seed: int | None = None, workers: int = 0,
           measure: str = "penalised", echo: bool = True) -> Path:
    """Run KN on the best ``top`` feasible designs of a sizing sweep; write ``select/select.csv`` and
    ``select.json``; return the CSV's path."""
    import pandas as pd

    from sim.experiment.store import read_config

    d = Path(sweep_dir)
    table = d / "sizing.csv"
    if not table.exists():
        raise FileNotFoundError(f"{table}: no sizing table (python -m sim.experiment.sizing {d} writes it)")
    best = pd.read_csv(table, keep_default_na=False)
    best = best[best["feasible"].astype(str) == "True"].head(top)
    if best.empty:
        raise ValueError(f"{table}: no feasible design to select from")
    configs = []
    for job in best["job"]:
        cfg = read_config(d / job / "config.yaml")
        run = replace(cfg.run, seed=cfg.run.seed + 1 if seed is None else seed, workers=1)
        configs.append(replace(cfg, run=run))
    out = d / "select"
    out.mkdir(exist_ok=True)
    result = kn(_design_runner(configs, out, workers, measure), len(configs), n0, alpha, delta,
                max_replications)
    rows = []
    for i, job in enumerate(best["job"]):
        x = -np.asarray(result.observations[i])
        ci = t_interval(x)
        rows.append({"design": f"d{i:02d}", "job": job, "sizing_rank": int(best["rank"].iloc[i]),
                     "replications": len(x), "objective": x.mean(), "ci_low": float(ci["ci_low"][0]),
                     "ci_high": float(ci["ci_high"][0]), "in_contention": bool(result.alive[i]),
                     "eliminated_at": int(result.eliminated_at[i]), "selected": result.selected == i})
    frame = pd.DataFrame(rows)
    frame.to_csv(out / f"select_{measure}.csv", index=False)
    verdict = {"procedure": "KN (Kim and Nelson 2001), common random numbers", "measure": measure,
               "alpha": alpha,
               "delta_yuan": delta, "n0": n0, "seed": configs[0].run.seed, "designs": len(configs),
               "stages": result.stages, "last_stage": result.last_stage,
               "selected": None if result.selected is None else rows[result.selected]["job"],
               "cannot_tell_apart": [] if result.selected is not None
               else [r["job"] for r in rows if r["in_contention"]]}
    (out / f"select_{measure}.json").write_text(json.dumps(verdict, indent=2), encoding="utf-8")
    if echo:
        print(describe(verdict, frame), flush=True)
    return out / f"select_{measure}.csv"


def describe(verdict: dict, frame) -> str:
    lines = [f"KN on the {verdict['measure']} measure over {verdict['designs']} designs "
             f"(seed {verdict['seed']}, n0 {verdict['n0']}, "
             f"{verdict['stages']} replications at most per design):"]
    for r in frame.itertuples():
        state = "selected" if r.selected else ("in contention" if r.in_contention
                                              else f"eliminated after {r.eliminated_at}")
        lines.append(f"  {r.job}: {r.objective:,.0f} [{r.ci_low:,.0f}, {r.ci_high:,.0f}] over "
                     f"{r.replications} replications, {state}")
    if verdict["selected"] is not None:
        lines.append(f"best: {verdict['selected']}, with probability >= {1 - verdict['alpha']:.0%} "
                     f"if it is better than the others by >= {verdict['delta_yuan']:,.0f} yuan")
    else:
        lines.append("cannot be told apart within the budget: " + ", ".join(verdict["cannot_tell_apart"]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``python -m sim.experiment.select SWEEP_DIR [--top 5] [--delta 100000] [--alpha 0.05] ...``."""
    p = argparse.ArgumentParser(prog="python -m sim.experiment.select",
                                description="Kim-Nelson selection among the best designs of a sizing sweep.")
    p.add_argument("sweep_dir")
    p.add_argument("--top", type=int, default=5, help="designs compared (the best feasible; default 5)")
    p.add_argument("--n0", type=int, default=5, help="first-stage replications (default 5)")
    p.add_argument("--alpha", type=float, default=0.05, help="1 - probability of correct selection (0.05)")
    p.add_argument("--delta", type=float, default=1e5, help="indifference zone in yuan (default 100,000)")
    p.add_argument("--max-replications", type=int, default=40, help="budget per design (default 40)")
    p.add_argument("--seed", type=int, default=None, help="default: the study's seed + 1")
    p.add_argument("--workers", type=int, default=0, help="processes (0: all cores)")
    p.add_argument("--measure", choices=("penalised", "objective"), default="penalised",
                   help="each replication's penalised objective (default) or the objective KPI alone")
    a = p.parse_args(argv)
    if a.top < 1 or a.n0 < 2 or not 0 < a.alpha < 1 or a.delta <= 0 or a.max_replications < a.n0:
        print("error: need --top >= 1, --n0 >= 2, 0 < --alpha < 1, --delta > 0, --max-replications >= --n0",
              file=sys.stderr)
        raise SystemExit(2)
    try:
        select(a.sweep_dir, a.top, a.n0, a.alpha, a.delta, a.max_replications, a.seed, a.workers,
               a.measure)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()

__all__ = ["Selection", "kn", "select"]
