"""kamlib: key account management (大客户管理) analyses for parameterised Jupyter notebooks.

The public API, by concern:

- engagement and data: :func:`load_engagement`, :func:`read_table`, :class:`KamError`
- weighted scoring: :func:`score_alternatives`, :func:`ahp_weights`, :func:`pairwise_matrix`,
  :func:`assess_robustness`, :func:`parse_threshold`
- industry selection: :func:`select_industries`, :func:`select_from_engagement`,
  :func:`describe_findings`, :func:`ranking_table`, :func:`ahp_table`, :func:`ahp_summary`,
  :func:`criteria_table`,
  :func:`robustness_table`, :func:`sensitivity_table`
- customer segmentation: :func:`load_ledger`, :func:`segment_from_engagement`,
  :func:`segment_customers`; report tables and findings in :mod:`kamlib.segmentation_view`
- charts: :func:`plot_score_heatmap`, :func:`plot_contributions`, :func:`plot_robustness`,
  :func:`plot_pareto`, :func:`plot_tiers`, :func:`plot_pyramid`, :func:`plot_value_matrix`,
  :func:`plot_rfm`, :func:`plot_migration`, :func:`plot_composition`,
  :func:`plot_positioning_map`, :func:`plot_gaps`, :func:`plot_wallet`
- competitor analysis: :mod:`kamlib.competitors`
- notebook display: :func:`setup_notebook`, :func:`show_findings`, :func:`show_table`,
  :func:`show_warnings`, :func:`emit_results`
- rendering: :func:`render`, :func:`validate_engagement`
"""

from kamlib.charts import (
    plot_composition,
    plot_contributions,
    plot_gaps,
    plot_migration,
    plot_pareto,
    plot_positioning_map,
    plot_pyramid,
    plot_rfm,
    plot_robustness,
    plot_score_heatmap,
    plot_tiers,
    plot_value_matrix,
    plot_wallet,
)
from kamlib.config import Engagement, load_engagement
from kamlib.errors import KamError
from kamlib.i18n import t
from kamlib.industry import (
    IndustrySelection,
    ahp_summary,
    ahp_table,
    criteria_table,
    describe_findings,
    ranking_table,
    robustness_table,
    select_from_engagement,
    select_industries,
    sensitivity_table,
)
from kamlib.io import read_table
from kamlib.keyaccounts import Segmentation, segment_customers, segment_from_engagement
from kamlib.ledger import load_ledger
from kamlib.report import (
    emit_results,
    render,
    report_frame,
    setup_notebook,
    show_findings,
    show_table,
    show_warnings,
    validate_engagement,
)
from kamlib.scoring import (
    ahp_weights,
    assess_robustness,
    pairwise_matrix,
    parse_threshold,
    score_alternatives,
)

__all__ = [
    "report_frame",
    "plot_gaps",
    "plot_positioning_map",
    "plot_wallet",
    "Segmentation",
    "load_ledger",
    "plot_composition",
    "plot_migration",
    "plot_pareto",
    "plot_pyramid",
    "plot_rfm",
    "plot_tiers",
    "plot_value_matrix",
    "segment_customers",
    "segment_from_engagement",
    "t",
    "ahp_summary",
    "ahp_table",
    "Engagement",
    "IndustrySelection",
    "KamError",
    "ahp_weights",
    "assess_robustness",
    "criteria_table",
    "describe_findings",
    "emit_results",
    "load_engagement",
    "pairwise_matrix",
    "parse_threshold",
    "plot_contributions",
    "plot_robustness",
    "plot_score_heatmap",
    "ranking_table",
    "read_table",
    "render",
    "robustness_table",
    "score_alternatives",
    "select_from_engagement",
    "select_industries",
    "sensitivity_table",
    "setup_notebook",
    "show_findings",
    "show_table",
    "show_warnings",
    "validate_engagement",
]
