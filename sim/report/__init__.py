"""Reports: charts and labels in Chinese or English, from finished results only (DESIGN §6, §7).

This layer reads `Results` objects and comparison tables; it never runs a simulation.
"""

from sim.report.charts import cost_vs_outcome, kpi_bars, response_distribution, save, township_shares
from sim.report.fonts import check_glyphs, cjk_font_path, register_cjk_font
from sim.report.labels import axis_label, label, scenario_label, unit

__all__ = ["axis_label", "check_glyphs", "cjk_font_path", "cost_vs_outcome", "kpi_bars", "label",
           "register_cjk_font", "response_distribution", "save", "scenario_label", "township_shares",
           "unit"]
