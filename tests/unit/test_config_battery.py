"""Every malformed config of the battery is one message on standard error and exit 2, no traceback.

The cases run in-process through the CLI's own entry point (`sim.__main__.main`): each is
rejected before Hydra starts a job, so nothing is simulated.  Each case still costs one Hydra
composition (~0.5-1 s on 2 shared cores), so the default suite runs one case of each kind and
``-m slow`` runs the whole battery.
"""

from __future__ import annotations

import pytest

from sim.__main__ import main
from tests.unit.config_cases import BASE, CASES

FAST = {"type_int", "missing_county", "append_unknown_key", "typo_key", "unclosed_list", "sweep_without_m",
        "list_index_past_end", "multirun_bad_value", "home_beds_negative", "illness_rate_inf",
        "mortality_mult_inf", "on_scene_inf", "delivery_without_couriers", "canteen_couriers_zero",
        "bed_reserve_all", "canteen_seats_zero", "compare_unknown", "target_unknown_kpi"}
BATTERY = [pytest.param(args, fragment, id=name, marks=() if name in FAST else pytest.mark.slow)
           for name, args, fragment in CASES]


def run_main(args: list[str], capsys, tmp_path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main([*BASE, *args, f"hydra.run.dir={tmp_path}/run"])
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_the_battery_has_at_least_60_cases():
    assert len(CASES) >= 60
    assert len({name for name, _, _ in CASES}) == len(CASES)
    assert FAST <= {name for name, _, _ in CASES}


@pytest.mark.parametrize("args,fragment", BATTERY)
def test_malformed_config_is_one_message_and_exit_2(args, fragment, capsys, tmp_path):
    code, out, err = run_main(args, capsys, tmp_path)
    assert code == 2, err
    assert fragment in err
    assert "Traceback" not in out + err
    assert err.count("error") == 1 or err.startswith("usage:"), err   # one message
    assert not (tmp_path / "run").exists()                             # nothing ran
