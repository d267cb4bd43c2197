"""Reports: charts and labels in Chinese or English, from finished results only (DESIGN §6, §7).

This layer reads `Results` objects and comparison tables; it never runs a simulation.
`build_briefing` puts every applicable chart, the comparison and a summary into one directory
with an HTML page and a PDF; ``python -m sim.report DIR ...`` does the same from saved runs.
"""

import importlib

# Loaded on first use (PEP 562): ``import sim.report.labels`` must not pull in matplotlib, SciPy and
# the fonts, which the main job needs only for the briefing, after its replications (issue 13).
_WHERE = {"build_briefing": "briefing", "cost_vs_outcome": "charts", "kpi_bars": "charts",
          "response_distribution": "charts", "save": "charts", "township_shares": "charts",
          "check_glyphs": "fonts", "cjk_font_path": "fonts", "register_cjk_font": "fonts",
          "axis_label": "labels", "label": "labels", "scenario_label": "labels", "unit": "labels",
          "facility_map": "maps", "bed_occupancy_over_time": "occupancy"}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"sim.report.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'sim.report' has no attribute {name!r}")


__all__ = ["axis_label", "bed_occupancy_over_time", "build_briefing", "check_glyphs", "cjk_font_path",
           "cost_vs_outcome", "facility_map", "kpi_bars", "label", "register_cjk_font",
           "response_distribution", "save", "scenario_label", "township_shares", "unit"]
