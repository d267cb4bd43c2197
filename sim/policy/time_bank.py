"""Time bank mutual aid (时间银行): policy-docs/001 §(二)4, CALIBRATION §7.

Ankang's rural plan organises party members, left-behind women and healthy
younger elders into volunteer teams with a time bank and points exchange
(积分兑换).  As data this is: one volunteer helper per village (its hours each
month are its active members' hours, `sim.model.timebank`), and the scheme's
rules (who joins, how many hours, exchanges, withdrawals, backstop, closures).
"""

from __future__ import annotations

from dataclasses import replace

from sim.config.policies import TimeBankPolicy
from sim.config.services import ServicesConfig


def apply_rules(policy: TimeBankPolicy, services: ServicesConfig) -> ServicesConfig:
    """The helpers under the policy: one volunteer per village, whose hours come from the members."""
    if not policy.enabled:
        return services
    volunteer = replace(policy.volunteer, base="every_village", per_base=1, emergency=False,
                        can_transport=False, delivers_meals=False, visit_hours_per_week=0.0,
                        homecare_hours_per_week=0.0, wage_yuan_per_month=0.0)
    return replace(services, helpers=[*services.helpers, volunteer])
