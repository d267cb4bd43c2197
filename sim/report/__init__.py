"""Reports: charts and labels in Chinese or English, from finished results only (DESIGN §6, §7).

This layer reads `Results` objects and comparison tables; it never runs a simulation.
`build_briefing` puts every applicable chart, the comparison and a summary into one directory
with an HTML page and a PDF; ``python -m sim.report DIR ...`` does the same from saved runs.
"""

from sim.report.briefing import build_briefing
from sim.report.charts import cost_vs_outcome, kpi_bars, response_distribution, save, township_shares
from sim.report.fonts import check_glyphs, cjk_font_path, register_cjk_font
from sim.report.labels import axis_label, label, scenario_label, unit
from sim.report.maps import facility_map
from sim.report.occupancy import bed_occupancy_over_time

__all__ = ["axis_label", "bed_occupancy_over_time", "build_briefing", "check_glyphs", "cjk_font_path",
           "cost_vs_outcome", "facility_map", "kpi_bars", "label", "register_cjk_font",
           "response_distribution", "save", "scenario_label", "township_shares", "unit"]
