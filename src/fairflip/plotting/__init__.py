"""The paper's figures drawn from results rows; matplotlib is imported only when drawing.

Each function takes a DataFrame of the ``results`` table (plus the folder to write to),
saves the figure as PNG and SVG, and returns the written paths.

Layer: a reader above ``experiments`` and ``analysis`` and below ``report``; it reads results
rows through ``analysis`` (selection, aggregation) and never opens a database itself.
"""

from ._advice import advice_figure, knowledge_advice_figure, write_advice_figure
from ._all import plot_all
from ._audits import plot_audited, plot_detection
from ._collective import plot_collective_size, plot_flips, plot_knowledge
from ._common import save_figure
from ._figure1 import plot_figure1
from ._groups import plot_groups
from ._pareto import plot_pareto
from ._toy import plot_toy

__all__ = [
    "advice_figure",
    "knowledge_advice_figure",
    "plot_groups",
    "write_advice_figure",
    "plot_all",
    "plot_audited",
    "plot_collective_size",
    "plot_detection",
    "plot_figure1",
    "plot_flips",
    "plot_knowledge",
    "plot_pareto",
    "plot_toy",
    "save_figure",
]
