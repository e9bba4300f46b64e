"""One self-contained HTML report from a results database (``fairflip report``).

The page has the claims table with its verdicts (filterable), interactive Vega-Lite charts
per data set (static pictures without JavaScript), the data sets' provenance, the label-flip
efficiency table and notes on the paper's hindsight choices. Nothing is fetched when it is
opened: scripts, styles and data are inline.

Layer: a reader above ``plotting``, ``experiments`` and ``analysis`` and below ``reproduce``;
it reads the database through ``experiments.ResultStore`` only.
"""

from ._build import ReportStats, build_report, write_report
from ._inputs import ReportInputs, load_inputs

__all__ = ["ReportInputs", "ReportStats", "build_report", "load_inputs", "write_report"]
