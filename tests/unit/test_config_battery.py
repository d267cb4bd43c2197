"""Every malformed config of the battery is one message on standard error and exit 2, no traceback.

The cases run in-process through the CLI's own entry point (`sim.__main__.main`): each is
rejected before Hydra starts a job, so nothing is simulated.
"""

from __future__ import annotations

import pytest

from sim.__main__ import main
from tests.unit.config_cases import BASE, CASES


def run_main(args: list[str], capsys, tmp_path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main([*BASE, *args, f"hydra.run.dir={tmp_path}/run"])
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_the_battery_has_at_least_60_cases():
    assert len(CASES) >= 60
    assert len({name for name, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize("args,fragment", [(a, f) for _, a, f in CASES], ids=[n for n, _, _ in CASES])
def test_malformed_config_is_one_message_and_exit_2(args, fragment, capsys, tmp_path):
    code, out, err = run_main(args, capsys, tmp_path)
    assert code == 2, err
    assert fragment in err
    assert "Traceback" not in out + err
    assert err.count("error") == 1 or err.startswith("usage:"), err   # one message
    assert not (tmp_path / "run").exists()                             # nothing ran
