"""python -m sim.report --stress DIR: a STRESS-DES description of the run as it was made."""

from __future__ import annotations

import pytest

from sim.experiment.execute import execute
from sim.report.__main__ import main
from tests.conftest import small_config


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("stress") / "run"
    execute(small_config(horizon_days=30, replications=2, save_events="none", uncertainty=True), output_dir=d)
    return d


def test_the_description_has_the_six_parts_and_the_run_s_own_figures(run_dir, capsys):
    assert main(["--stress", str(run_dir)]) == 0
    text = (run_dir / "stress.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out.strip() == str(run_dir / "stress.md")
    for heading in ("## 1. Objectives", "## 2. Logic", "## 3. Data", "## 4. Experimentation",
                    "## 5. Implementation", "## 6. Code access", "### 2.5 Components",
                    "### 4.1 Initialisation"):
        assert heading in text
    # each parameter with its value in this run and the comment beside it in configs/
    assert "| services.emergency.fall_rate | 0.025 | injurious falls 2-3% of 60+ per year [A]" in text
    assert "| county.villages | 12 |" in text          # the run's county, not the preset's 84
    assert "Seed 20261126" in text and "2 replications (fixed)" in text
    assert "each replication drew its own set of" in text   # run.uncertainty=true is said
    assert "| village_doctor 乡村医生 | clinic |" in text
    assert "Injurious fall rate | services.emergency.fall_rate | uniform | 0.02-0.03 |" in text


def test_out_chooses_the_file_and_a_missing_directory_is_exit_2(run_dir, tmp_path, capsys):
    assert main(["--stress", str(run_dir), "--out", str(tmp_path / "model.md")]) == 0
    assert (tmp_path / "model.md").read_text(encoding="utf-8").startswith("# STRESS-DES")
    assert main(["--stress", str(tmp_path / "nowhere")]) == 2
    assert "error:" in capsys.readouterr().err
