"""15-minute emergency response (15分钟应急响应), policy-docs/001 §(三)6.

Ankang's rural plan gives empty-nest and solitary elders (空巢、独居) a
one-key-call device (一键呼叫) and sets up a 15-minute emergency response; the
plan's targets also put one elderly-care coordinator (养老协理员) in every
village (CALIBRATION §8).  As data this is: device coverage by target group,
extra responders (coordinators at every village, ambulances stationed at
township health centres or added at the 120 station), the response target and
the dispatch rule.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.config.policies import EmergencyPolicy
from sim.config.services import HelperSpec, ServicesConfig
from sim.policy.groups import all_of
from sim.population.elders import Elders

SOLITARY, EMPTY_NEST, LEFT_BEHIND = 0, 1, 2


def apply_rules(policy: EmergencyPolicy, services: ServicesConfig) -> ServicesConfig:
    """The service rules under the policy: responders added, target and dispatch rule set."""
    if not policy.enabled:
        return services
    e = services.emergency
    responders = list(services.helpers)
    if policy.coordinator_per_village:
        # 001 (二)4 names the coordinator's duties as advice and needs matching (政策咨询、需求对接),
        # given on visits; answering emergencies is this policy's option
        answers = policy.coordinator.emergency and policy.coordinator_answers_emergencies
        responders.append(replace(policy.coordinator, emergency=answers))
    ambulance = next((r for r in services.helpers if r.can_transport),
                     HelperSpec("ambulance", "120急救车", "ems_station", 0, "car", 0.0, 24.0,
                                can_transport=True))
    if policy.township_ambulances:
        responders.append(replace(ambulance, name="township_ambulance", name_zh="乡镇急救车",
                                  base="health_centre", per_base=policy.township_ambulances,
                                  wage_yuan_per_month=policy.added_ambulance_yuan_per_month))
    if policy.extra_ambulances:
        responders.append(replace(ambulance, name="ambulance_added", name_zh="新增120急救车",
                                  base="ems_station", per_base=policy.extra_ambulances,
                                  wage_yuan_per_month=policy.added_ambulance_yuan_per_month))
    return replace(services, helpers=responders,
                   emergency=replace(e, target_minutes=policy.target_minutes,
                                     dispatch_rule=policy.dispatch_rule))


def handout_devices(elders: Elders, policy: EmergencyPolicy, rng: np.random.Generator) -> int:
    """Give devices to the target groups; return how many were handed out.

    An elder of a target group without a device gets one with probability equal
    to the group's coverage (the largest, if the elder is in several groups),
    so a coverage of 1 reaches everyone in the group.  ``device_groups`` add groups
    defined by an AND of conditions (Qinshui: left-behind *and* dependent).
    """
    if not policy.enabled:
        return 0
    living = elders.living
    target = np.zeros(len(elders))
    for group, share in ((SOLITARY, policy.device_solitary), (EMPTY_NEST, policy.device_empty_nest),
                         (LEFT_BEHIND, policy.device_left_behind)):
        target = np.where(living == group, np.maximum(target, share), target)
    target = np.where(elders.adl > 0, np.maximum(target, policy.device_dependent), target)
    everyone = np.arange(len(elders))
    for group in policy.device_groups:      # AND within a group, OR (the largest share) across groups
        target = np.where(all_of(elders, everyone, group.all_of), np.maximum(target, group.share), target)
    gets = elders.alive & ~elders.device & (rng.random(len(elders)) < target)
    elders.device[gets] = True
    return int(gets.sum())
