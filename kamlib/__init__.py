"""kamlib: key account management (大客户管理) analyses for parameterised Jupyter notebooks.

The public API, by concern:

- an engagement: :func:`load_engagement`, :class:`Engagement`, :func:`read_table`,
  :class:`KamError`
- the engagement run: :func:`run_engagement` (read and compute every analysis once),
  :func:`result` (one analysis' result, saved by a render or computed), :func:`words`
- the analyses, one package each under :mod:`kamlib.analyses` (``read``, ``compute``, ``view``,
  ``charts``), listed in :data:`kamlib.analyses.REGISTRY`
- weighted scoring: :func:`score_alternatives`, :func:`ahp_weights`, :func:`pairwise_matrix`,
  :func:`assess_robustness`, :func:`parse_threshold`
- results as data: :class:`Note`, :class:`Table`, :class:`Words`
- notebook display: :func:`setup_notebook`, :func:`show_findings`, :func:`show_table`,
  :func:`show_notes`
- rendering: :func:`render_report`, :func:`validate_engagement` (the package
  :mod:`kamlib.render` holds the renderer, the engine, batch, the browser and the CLI)
"""

from kamlib import analyses
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.io import read_table
from kamlib.core.notes import Note
from kamlib.core.scoring import (
    ahp_weights,
    assess_robustness,
    pairwise_matrix,
    parse_threshold,
    score_alternatives,
)
from kamlib.core.table import Table
from kamlib.render.display import setup_notebook, show_findings, show_notes, show_table
from kamlib.run import EngagementRun, result, run_engagement, words


def __getattr__(name: str):
    """The renderer on first use: a notebook's kernel that only computes and shows never loads
    nbformat and nbconvert."""
    if name in ("render_report", "validate_engagement"):
        from kamlib.render import pipeline

        return pipeline.render if name == "render_report" else pipeline.validate_engagement
    raise AttributeError(f"module 'kamlib' has no attribute {name!r}")


__all__ = [
    "Engagement",
    "EngagementRun",
    "KamError",
    "Note",
    "Table",
    "Words",
    "ahp_weights",
    "analyses",
    "assess_robustness",
    "load_engagement",
    "pairwise_matrix",
    "parse_threshold",
    "read_table",
    "render_report",
    "result",
    "run_engagement",
    "score_alternatives",
    "setup_notebook",
    "show_findings",
    "show_notes",
    "show_table",
    "validate_engagement",
    "words",
]
