"""``python -m sim.siting [OVERRIDES] [--out DIR] [--posts K] [--canteens K]``: stations proposed by
coverage models (MCLP and LSCP through spopt), then run by the simulator against today's network.

The scenario is composed from Hydra-style OVERRIDES (as ``python -m sim``; e.g.
``+experiment=siting_hill`` or ``county=qinshui run.replications=5``).  For ambulance posts
(急救站点, the 15-minute response of policy-docs/001 §(三)6) and canteens (老年食堂, 001 §(二)4)
the MCLP adds ``--posts`` / ``--canteens`` sites and the LSCP the fewest that cover every village,
the sites standing today kept (`sim.experiment.siting`); each proposal is run as
``policy.stations`` overrides on the same seeds.  Written to ``DIR/siting/``: ``proposals.csv``
(sites, promised coverage, the overrides that run it), ``siting.csv`` (promised vs simulated with
95% intervals and paired differences from today), ``siting.md``, ``siting_<lang>.png``/``.pdf``,
``siting.json`` and ``networks/<name>/`` (each network's run).  Bad input: one ``error:`` line,
exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sim.config.errors import UserInputError
from sim.experiment.app import compose
from sim.experiment.siting import (
    Proposal,
    county_of,
    emergency_radius,
    overhead_minutes,
    propose,
    simulate,
    siting_table,
)
from sim.experiment.store import code_revision
from sim.report.charts import save
from sim.report.labels import LANGS
from sim.report.siting import siting_chart
from sim.report.words import COUNTY_LABELS


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sim.siting", description=__doc__.split("\n\n")[0])
    p.add_argument("overrides", nargs="*", help="config overrides, e.g. +experiment=siting_hill")
    p.add_argument("--out", default="results/siting", help="output directory (default %(default)s)")
    p.add_argument("--posts", type=int, default=3, help="ambulance posts the MCLP adds (default 3; 0: none)")
    p.add_argument("--canteens", type=int, default=5, help="canteens the MCLP adds (default 5; 0: none)")
    p.add_argument("--propose-only", action="store_true", help="print the proposals, run nothing")
    p.add_argument("--lang", choices=LANGS, action="append", help="chart language(s) (default zh and en)")
    return p


def county_label(county, lang: str) -> str:
    """The county's name in ``lang``: the preset's label, else its own (Chinese) name."""
    names = COUNTY_LABELS.get(county.name)
    if names is not None:
        return names[LANGS.index(lang)]
    return county.name_zh if lang == "zh" and county.name_zh else county.name


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def describe(proposals: list[Proposal]) -> str:
    lines = []
    for p in proposals:
        where = ", ".join(f"{i} ({n})" for i, n in zip(p.villages, p.village_names))
        lines.append(f"{p.name:<16} +{len(p.villages):<3} promised: emergency "
                     f"{_pct(p.promised['emergency'])} "
                     f"(net of call-to-wheels {_pct(p.promised_net['emergency'])}), meals "
                     f"{_pct(p.promised['meals'])}" + (f"\n    sites: {where}" if where else ""))
    return "\n".join(lines)


def markdown(table, proposals: list[Proposal], note: dict) -> str:
    lines = [f"# Siting: {note['county']} (policy {note['policy']})", "",
             f"Radius: {note['radius']['emergency']:g} car minutes for ambulance posts (mean triage + "
             f"dispatch + access {note['overhead_min']:.1f} min), {note['radius']['meals']:g} walking "
             f"minutes for canteens; {note['replications']} replications x {note['horizon_days']} days on "
             "common random numbers.", "", "## Proposals", "",
             "| network | sites added | villages | sites in all |", "|---|---|---|---|"]
    for p in proposals[1:]:
        lines.append(f"| {p.name} | {len(p.villages)} | {', '.join(p.villages)} | {p.sites_total} |")
    lines += ["", "## Promised vs simulated", "",
              "| network | service | promised | promised less call-to-wheels | simulated (95% interval) "
              "| vs today (95% interval) |", "|---|---|---|---|---|---|"]
    for r in table[table["headline"]].itertuples():
        net = _pct(r.promised_share_net) if r.service == "emergency" else "-"
        lines.append(f"| {r.network} | {r.kpi} | {_pct(r.promised_share)} | {net} | {_pct(r.mean)} "
                     f"[{_pct(r.ci_low)}, {_pct(r.ci_high)}] | {100 * r.diff_vs_today:+.1f} pp "
                     f"[{100 * r.diff_ci_low:+.1f}, {100 * r.diff_ci_high:+.1f}] |")
    lines += ["", "## Other simulated figures", "", "| network | KPI | mean | 95% interval |",
              "|---|---|---|---|"]
    for r in table[~table["headline"]].itertuples():
        lines.append(f"| {r.network} | {r.kpi} | {r.mean:.4g} | [{r.ci_low:.4g}, {r.ci_high:.4g}] |")
    lines += ["", f"Wall time: {note['wall_seconds']:.0f} s."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.posts < 0 or args.canteens < 0:
        print("error: --posts and --canteens must be >= 0", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        cfg = compose(args.overrides)
        county = county_of(cfg, args.overrides)
        proposals = propose(cfg, county, args.posts, args.canteens)
        print(describe(proposals), flush=True)
        if args.propose_only:
            return 0
        out = Path(args.out) / "siting"
        results = simulate(args.overrides, proposals, out, progress=lambda m: print(m, flush=True))
    except (UserInputError, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    table = siting_table(proposals, results)
    table.to_csv(out / "siting.csv", index=False)
    import pandas as pd

    pd.DataFrame([{"network": p.name, "service": p.service, "model": p.model,
                   "villages_added": " ".join(p.villages), "names_added": "; ".join(p.village_names),
                   "sites_added": len(p.villages), "sites_total": p.sites_total,
                   "promised_emergency_share": p.promised["emergency"],
                   "promised_emergency_share_net": p.promised_net["emergency"],
                   "promised_meals_share": p.promised["meals"], "uncoverable_villages": p.uncoverable,
                   "command": " ".join(["python -m sim", *args.overrides, *(f"'{o}'" for o in p.overrides)])}
                  for p in proposals]).to_csv(out / "proposals.csv", index=False)
    radius = {"emergency": emergency_radius(cfg), "meals": float(cfg.services.meals.walk_threshold_min)}
    for lang in args.lang or list(LANGS):
        save(siting_chart(table, county_label(county, lang), radius, overhead_minutes(cfg), lang),
             out / f"siting_{lang}")
    note = {"county": county.name, "policy": cfg.policy.label(), "overrides": args.overrides,
            "posts": args.posts, "canteens": args.canteens, "radius": radius,
            "overhead_min": overhead_minutes(cfg), "replications": cfg.run.replications,
            "horizon_days": cfg.run.horizon_days, "seed": cfg.run.seed, "code": code_revision(),
            "wall_seconds": round(time.perf_counter() - t0, 1)}
    (out / "siting.json").write_text(json.dumps(note, indent=2, default=str), encoding="utf-8")
    text = markdown(table, proposals, note)
    (out / "siting.md").write_text(text, encoding="utf-8")
    print(text, flush=True)
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
