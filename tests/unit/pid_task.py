"""A stand-in for `sim.experiment.runner.run_task` that needs nothing of the package (a pool worker
imports only this module to run it): the replication and the process that ran it."""

from __future__ import annotations

import os

import numpy as np


def pid_task(scenario, r, output):
    return r, {"pid": np.array([os.getpid()])}, []
