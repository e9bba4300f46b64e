"""The paper's protocol and the studies beyond it: run the sweeps, draw, decide, report.

Layer: the top of the library below ``cli``; it may import everything beneath it (``report``,
``plotting``, ``experiments``, ``analysis``, ``simulation``, both sides, ``learning``,
``data``, ``metrics``).
"""

from ._advice_knowledge import (
    KNOWLEDGE_LEVELS,
    knowledge_advice_records,
    run_knowledge_advice_study,
)
from ._advice_study import advice_section, plot_advisor_figures
from ._grid import DEFAULT_GRID, Grid, grid_from_dict, load_grid
from ._reproduce import (
    STUDY_MODULES,
    Study,
    paper_datasets,
    register_study,
    reproduce,
    reproduce_configs,
)

__all__ = [
    "DEFAULT_GRID",
    "Grid",
    "KNOWLEDGE_LEVELS",
    "STUDY_MODULES",
    "knowledge_advice_records",
    "run_knowledge_advice_study",
    "advice_section",
    "grid_from_dict",
    "load_grid",
    "Study",
    "paper_datasets",
    "plot_advisor_figures",
    "register_study",
    "reproduce",
    "reproduce_configs",
]
