"""The battery of malformed configs (issue 14): each is one user mistake on the command line.

Each case is ``(id, overrides, fragment)``: ``python -m sim *BASE *overrides`` must exit 2 with
one message on standard error that contains ``fragment``, and no traceback.  The tests run them
in-process (`sim.__main__.main`); a few run as subprocesses to prove the real exit code.

``python -m tests.unit.config_cases [--pythonpath DIR]`` runs every case as a subprocess against
the ``sim`` found on DIR (e.g. another checkout) and counts those giving one message and exit 2:
the before/after figure of the issue.
"""

from __future__ import annotations

BASE = ["county=plain", "run=quick", "report=none", "run.replications=1", "run.horizon_days=30"]

CASES: list[tuple[str, list[str], str]] = [
    # -- Hydra's own grammar, groups and keys
    ("type_int", ["run.replications=abc"], "run.replications"),
    ("missing_county", ["county=nowhere"], "nowhere"),
    ("missing_policy", ["policy=[nosuch]"], "nosuch"),
    ("missing_run", ["run=nosuch"], "nosuch"),
    ("missing_services", ["services=nosuch"], "nosuch"),
    ("missing_experiment", ["+experiment=nosuch"], "nosuch"),
    ("missing_launcher", ["hydra/launcher=nosuch"], "nosuch"),
    ("append_unknown_key", ["+run.foo=1"], "run.foo"),
    ("unknown_key", ["run.foo=1"], "run.foo"),
    ("typo_key", ["services.emergency.fall_rat=0.1"], "fall_rat"),
    ("empty_value", ["run.seed="], "run.seed"),
    ("unclosed_list", ["run.replications=[1,2"], "run.replications=[1,2"),
    ("no_key", ["=5"], "=5"),
    ("sweep_without_m", ["run.seed=1,2"], "--multirun"),
    ("list_expected", ["county.nursing_homes=5"], "county.nursing_homes"),
    ("delete_required", ["~run.seed"], "run.seed"),
    ("list_index_past_end", ["services.helpers.9.name=x"], "services.helpers"),
    ("multirun_bad_value", ["-m", "run.seed=1,x"], "run.seed"),
    # -- values out of range, also in list elements
    ("helper_shift_hour", ["services.helpers.0.shift_start_hour=25"], "services.helpers[0].shift_start_hour"),
    ("helper_base", ["services.helpers.0.base=moon"], "services.helpers[0].base"),
    ("home_beds_negative", ["county=qinshui", "county.nursing_homes.1.beds=-5"],
     "county.nursing_homes[1].beds"),
    ("home_township", ["county=qinshui", "county.nursing_homes.0.township=99"],
     "county.nursing_homes[0].township"),
    ("stage_day_negative", ["policy=consolidation", "policy.consolidation.stages.0.day=-1"],
     "policy.consolidation.stages[0].day"),
    ("stage_day_huge", ["policy=consolidation", "policy.consolidation.stages.0.day=1e12"],
     "policy.consolidation.stages[0].day"),
    ("priority_element", ["services.tasks.priority.0=sleep"], "services.tasks.priority"),
    ("illness_rate_inf", ["services.emergency.illness_rate=inf"], "services.emergency.illness_rate"),
    ("fall_rate_negative", ["services.emergency.fall_rate=-1"], "services.emergency.fall_rate"),
    ("fall_rate_huge", ["services.emergency.fall_rate=500"], "services.emergency.fall_rate"),
    ("mortality_mult_inf", ["population.mortality_mult_full=inf"], "population.mortality_mult_full"),
    ("on_scene_inf", ["services.emergency.on_scene.mean=inf"], "services.emergency.on_scene.mean"),
    ("male_share", ["population.male_share=1.5"], "population.male_share"),
    ("mortality_scale", ["population.mortality_scale=20"], "population.mortality_scale"),
    ("horizon_short", ["run.horizon_days=5"], "run.horizon_days"),
    ("replications_zero", ["run.replications=0"], "run.replications"),
    ("workers_negative", ["run.workers=-1"], "run.workers"),
    ("seed_negative", ["run.seed=-5"], "run.seed"),
    ("backend", ["run.backend=mpi"], "run.backend"),
    ("villages_zero", ["county.villages=0"], "county.villages"),
    ("townships_zero", ["county.townships=0"], "county.townships"),
    ("elder_share", ["county.elder_share=1.2"], "county.elder_share"),
    ("residents_huge", ["county.residents_per_village=1e9"], "county.residents_per_village"),
    ("area_zero", ["county.area_km2=0"], "county.area_km2"),
    ("walk_zero", ["county.travel.walk_kmh=0"], "county.travel.walk_kmh"),
    ("car_speed_huge", ["county.travel.car_kmh_plain=1000"], "county.travel.car_kmh_plain"),
    ("age_mix", ["county.age_mix=[0.5,0.5,0.5]"], "county.age_mix"),
    ("dist_family", ["services.emergency.handling.family=weibull"], "services.emergency.handling.family"),
    ("dist_sd_negative", ["services.emergency.handling.sd=-1"], "services.emergency.handling.sd"),
    ("occupancy", ["services.beds.initial_occupancy=2"], "services.beds.initial_occupancy"),
    ("discharge_nan", ["services.beds.discharge_per_year=nan"], "services.beds.discharge_per_year"),
    ("meal_probability", ["services.meals.daily_probability=1.1"], "services.meals.daily_probability"),
    ("deadline_before_start", ["services.meals.delivery_deadline_hour=10"],
     "services.meals.delivery_deadline_hour"),
    ("session_zero", ["services.homecare.session_hours=0"], "services.homecare.session_hours"),
    ("age_mult_length", ["services.emergency.age_mult=[1,2]"], "services.emergency.age_mult"),
    ("priority_incomplete", ["services.tasks.priority=[emergency,meals]"], "services.tasks.priority"),
    ("join_age", ["policy=time_bank", "policy.time_bank.join_age_max=50"], "policy.time_bank.join_age_max"),
    ("eligible_group", ["policy=canteens", "policy.canteens.eligible=[kids]"], "policy.canteens.eligible"),
    ("lang", ["report.lang=fr"], "report.lang"),
    ("target_minutes_zero", ["services.emergency.target_minutes=0"], "services.emergency.target_minutes"),
    # -- contradictions
    ("delivery_without_couriers", ["services.meals.delivery=true"], "services.meals.delivery"),
    ("canteen_couriers_zero", ["policy=canteens", "policy.canteens.courier.per_base=0"],
     "policy.canteens.courier.per_base"),
    ("bed_reserve_all", ["services.beds.reserve_share=1.0"], "services.beds.reserve_share"),
    ("consolidation_reserve_all", ["policy=consolidation", "policy.consolidation.reserve_share=1.0"],
     "policy.consolidation.reserve_share"),
    ("canteen_seats_zero", ["county.canteen_seats=0"], "county.canteen_seats"),
    ("policy_seats_zero", ["policy=canteens", "policy.canteens.seats=0"], "policy.canteens.seats"),
    ("kitchen_zero", ["policy=canteens", "policy.canteens.kitchen_meals_per_day=0"],
     "policy.canteens.kitchen_meals_per_day"),
    ("sittings_zero", ["services.meals.sittings=0"], "services.meals.sittings"),
    # -- references, checked before anything runs
    ("compare_unknown", ["report.compare=[nosuchpolicy]"], "nosuchpolicy"),
    ("target_unknown_kpi", ["report.targets=[{kpi: no_such_kpi, at_least: true, value: 0.5}]"],
     "no_such_kpi"),
    ("auto_kpi_unknown", ["run.replications=auto", "run.auto_kpi=no_such_kpi"], "no_such_kpi"),
    ("source_missing", ["county.source=/nonexistent/county"], "/nonexistent/county"),
    ("keep_unknown_home", ["policy=consolidation", "policy.consolidation.keep=[Nowhere home]"],
     "policy.consolidation.keep[0]"),
    ("consolidation_without_homes", ["policy=consolidation", "county.nursing_homes=[]"],
     "no nursing homes to consolidate"),
]


def _run(args: list[str], pythonpath: str, cwd: str):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": pythonpath}
    try:
        return subprocess.run([sys.executable, "-m", "sim", *BASE, *args, f"hydra.run.dir={cwd}/run"],
                              cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None


def one_message(proc) -> bool:
    """Exit 2, no traceback, and the error on standard error."""
    return (proc is not None and proc.returncode == 2 and "Traceback" not in proc.stderr + proc.stdout
            and "error" in proc.stderr.lower())


def main() -> None:
    import argparse
    import tempfile

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pythonpath", default=".")
    p.add_argument("--only", nargs="*", help="run only these cases")
    args = p.parse_args()
    good = 0
    cases = [c for c in CASES if not args.only or c[0] in args.only]
    for name, overrides, _ in cases:
        with tempfile.TemporaryDirectory() as tmp:
            proc = _run(overrides, args.pythonpath, tmp)
        ok = one_message(proc)
        good += ok
        kind = "timeout" if proc is None else f"exit {proc.returncode}"
        tail = "" if proc is None else (proc.stderr.strip().splitlines() or [""])[-1][:110]
        print(f"{'OK ' if ok else 'BAD'} {name:28s} {kind:8s} {tail}", flush=True)
    print(f"{good} of {len(cases)} gave one message and exit 2")


if __name__ == "__main__":
    main()
