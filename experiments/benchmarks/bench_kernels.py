"""Outcome kernels against a pandas groupby doing the same, side by side.

1,000 runs x 10,000 events (10 M rows): per run the count of calls, the share
within a 15-minute target and the 50th and 90th percentiles of response time,
once with `sim.kernels` (bincount and one lexsort) and once with
``DataFrame.groupby``.  Both results are checked equal before timing is shown.

    python experiments/benchmarks/bench_kernels.py [--runs 1000] [--events 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from sim.kernels.grouped import grouped_quantiles, grouped_share


def kernels(rep: np.ndarray, response: np.ndarray, n: int) -> dict[str, np.ndarray]:
    p50, p90 = grouped_quantiles(rep, response, (0.5, 0.9), n)
    return {"calls": np.bincount(rep, minlength=n),
            "within": grouped_share(rep, response <= 15.0, n), "p50": p50, "p90": p90}


def pandas_groupby(rep: np.ndarray, response: np.ndarray, n: int) -> dict[str, np.ndarray]:
    df = pd.DataFrame({"rep": rep, "response": response})
    g = df.groupby("rep")["response"]
    return {"calls": g.size().to_numpy(), "within": g.apply(lambda s: (s <= 15.0).mean()).to_numpy(),
            "p50": g.quantile(0.5).to_numpy(), "p90": g.quantile(0.9).to_numpy()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    n = args.runs
    rep = np.repeat(np.arange(n), args.events)
    response = rng.lognormal(np.log(12.0), 0.6, n * args.events)
    a, b = kernels(rep, response, n), pandas_groupby(rep, response, n)
    for k in a:
        assert np.allclose(a[k], b[k]), k
    times: dict[str, list[float]] = {"kernels": [], "pandas": []}
    for i in range(args.repeats):  # alternate the order so drift hits both alike
        order = (("kernels", kernels), ("pandas", pandas_groupby))
        for name, fn in (order if i % 2 == 0 else order[::-1]):
            t0 = time.perf_counter()
            fn(rep, response, n)
            times[name].append(time.perf_counter() - t0)
    med = {k: float(np.median(v)) for k, v in times.items()}
    ratios = np.array(times["pandas"]) / np.array(times["kernels"])
    print(f"bench_kernels: {n:,} runs x {args.events:,} events = {n * args.events:,} rows, "
          f"{args.repeats} repeats (median [min-max])")
    for k, v in times.items():
        print(f"  {k:<8} {med[k]:8.3f} s  [{min(v):.3f}-{max(v):.3f}]")
    print(f"  pandas / kernels: {np.median(ratios):.2f}x (median of per-repeat ratios)")
    print("  results equal: yes (checked before timing)")


if __name__ == "__main__":
    main()
