"""Rural elderly-care service capacity simulator (农村养老服务能力仿真).

``sim.run(overrides)`` composes the Hydra configs in ``configs/`` and runs a
scenario; ``sim.load(directory)`` reads a finished run back.
"""

from sim.api import Results, load, run

__version__ = "0.1.0"
__all__ = ["Results", "__version__", "load", "run"]
