"""Parameter uncertainty: every assumption [A] has a range or a reason, draws stay in their ranges,
each bound is a valid config, and draws follow the named-stream rules (common random numbers)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sim.config import ConfigError, SimConfig, validate
from sim.config.sources import config_comments
from sim.config.uncertainty import UncertainParameter, value_at, with_value, with_values
from sim.experiment.uncertainty import draw, inert, parameter_table, replication_config
from sim.report.words import PARAMETER_LABELS


def assumption_paths() -> list[tuple[str, str]]:
    """(file, config path) of every YAML key whose comment says [A]."""
    return [(Path(c.file).name, c.path) for c in config_comments()
            if c.assumption and not c.file.startswith(("uncertainty/", "run/"))]


def _covered(path: str, cfg: SimConfig) -> bool:
    def under(child: str, parent: str) -> bool:
        return child == parent or child.startswith(parent + ".") or child.startswith(parent + "[")

    return (any(under(p.path, path) for p in cfg.uncertainty.parameters)
            or any(under(path, f.path) for f in cfg.uncertainty.fixed))


def test_every_assumption_has_a_range_or_a_stated_reason():
    cfg = SimConfig()
    paths = assumption_paths()
    assert len(paths) > 100   # the parser sees the configs' assumptions
    assert ("default.yaml", "services.emergency.fall_rate") in paths
    assert ("hill.yaml", "county.travel.car_kmh_hill") in paths
    missing = sorted({p for _, p in paths if not _covered(p, cfg)})
    assert not missing, f"give these [A] defaults a range or a reason in configs/uncertainty: {missing}"
    assert all(f.reason for f in cfg.uncertainty.fixed)
    assert all(p.source for p in cfg.uncertainty.parameters)


def test_every_range_holds_its_default_and_both_bounds_are_valid_configs():
    cfg = SimConfig()
    params = cfg.uncertainty.parameters
    for p in params:
        default = value_at(cfg, p.path)
        if p.apply == "set":
            assert p.low <= default <= p.high or inert(cfg, p.path) or p.path.startswith("policy."), p.path
        else:
            assert p.low <= 1.0 <= p.high, p.path
        for bound in (p.low, p.high):
            validate(with_values(cfg, {p.path: bound}, params))   # ConfigError if outside its field's range


def test_every_uncertain_parameter_has_a_chart_label_in_both_languages():
    paths = [p.path for p in SimConfig().uncertainty.parameters]
    assert [p for p in paths if p not in PARAMETER_LABELS] == []
    assert all(zh and en and zh != en for zh, en in PARAMETER_LABELS.values())


@pytest.mark.parametrize("p", [
    UncertainParameter(path="x", dist="uniform", low=2.0, high=5.0),
    UncertainParameter(path="x", dist="triangular", low=2.0, mode=3.0, high=5.0),
    UncertainParameter(path="x", dist="lognormal", low=10.0, high=40.0),
])
def test_quantiles_stay_in_range_and_rise(p):
    u = np.linspace(0.0, 1.0, 1001)
    x = np.array([p.quantile(float(v)) for v in u])
    assert x.min() >= p.low and x.max() <= p.high
    assert np.all(np.diff(x) >= 0)
    assert x[0] == pytest.approx(p.low) and x[-1] == pytest.approx(p.high)
    if p.dist == "triangular":   # P(X <= mode) = (mode - low) / (high - low)
        assert p.quantile(1 / 3) == pytest.approx(3.0)
    if p.dist == "lognormal":    # the median is the geometric mean of the 2.5% and 97.5% quantiles
        assert p.quantile(0.5) == pytest.approx(20.0)


def test_draws_lie_in_their_ranges_and_spread_over_them():
    cfg = SimConfig()
    table = parameter_table(cfg, list(range(200)))
    for p in cfg.uncertainty.parameters:
        x = table[p.path].to_numpy()
        assert x.min() >= p.low and x.max() <= p.high, p.path
        if p.high > p.low:
            assert x.std() > 0.1 * (p.high - p.low), p.path


def test_a_replication_draws_the_same_set_in_every_scenario_and_another_replication_another():
    base = SimConfig()
    other = replace(base, policy=replace(base.policy, emergency=replace(base.policy.emergency, enabled=True)))
    params = base.uncertainty.parameters
    assert draw(params, base.run.seed, 3) == draw(other.uncertainty.parameters, other.run.seed, 3)
    assert draw(params, base.run.seed, 3) != draw(params, base.run.seed, 4)
    assert draw(params, base.run.seed, 3) != draw(params, base.run.seed + 1, 3)
    # named streams: dropping parameters shifts none of the others
    assert draw(params[5:], base.run.seed, 3) == {k: v for k, v in draw(params, base.run.seed, 3).items()
                                                  if k in {p.path for p in params[5:]}}


def test_replication_config_applies_the_draw_only_when_asked():
    cfg = SimConfig()
    assert replication_config(cfg, 2) is cfg
    on = replace(cfg, run=replace(cfg.run, uncertainty=True))
    drawn = replication_config(on, 2)
    values = draw(on.uncertainty.parameters, on.run.seed, 2)
    assert value_at(drawn, "services.emergency.fall_rate") == values["services.emergency.fall_rate"]
    scale = values["services.emergency.age_mult"]
    assert value_at(drawn, "services.emergency.age_mult") == pytest.approx([x * scale for x in
                                                                            cfg.services.emergency.age_mult])
    assert value_at(drawn, "services.meals.sittings") in (1, 2, 3)   # an integer field stays whole
    assert isinstance(value_at(drawn, "services.meals.sittings"), int)


def test_paths_reach_list_elements_and_nested_fields_without_touching_the_rest():
    cfg = SimConfig()
    new = with_value(cfg, "services.emergency.adl_mult[2]", 9.0)
    assert new.services.emergency.adl_mult == [1.0, 1.8, 9.0]
    assert cfg.services.emergency.adl_mult == [1.0, 1.8, 2.5]
    assert with_value(cfg, "services.emergency.on_scene.mean", 44.0).services.emergency.on_scene.mean == 44.0
    for bad in ("services.emergency.no_such", "services.emergency.adl_mult[7]",
                "services.emergency.dispatch_rule", "services.emergency.adl_mult"):
        with pytest.raises(KeyError):
            with_value(cfg, bad, 1.0)


def test_a_bad_uncertainty_entry_is_one_clear_config_error():
    cfg = SimConfig()
    bad = [UncertainParameter(path="services.emergency.fall_ratee", low=0.0, high=1.0, source="x"),
           UncertainParameter(path="services.emergency.fall_rate", dist="triangular", low=0.02, high=0.01,
                              source="x")]
    with pytest.raises(ConfigError) as err:
        validate(replace(cfg, uncertainty=replace(cfg.uncertainty, parameters=bad)))
    fields = [p.where for p in err.value.problems]
    assert "uncertainty.parameters[0].path" in fields
    assert "uncertainty.parameters[1].high" in fields and "uncertainty.parameters[1].mode" in fields


def test_parameters_of_a_policy_that_is_off_are_inert():
    cfg = SimConfig()
    assert inert(cfg, "policy.time_bank.join_share")
    assert not inert(cfg, "services.emergency.fall_rate")
    on = replace(cfg, policy=replace(cfg.policy, time_bank=replace(cfg.policy.time_bank, enabled=True)))
    assert not inert(on, "policy.time_bank.join_share")
