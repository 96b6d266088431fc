"""Customer segmentation and key accounts (客户分级与大客户识别).

``read`` → :class:`~kamlib.analyses.segmentation.read.SegmentationInputs`, ``compute`` →
:class:`~kamlib.analyses.segmentation.compute.Segmentation`, ``view`` (tables, findings,
results.json) and ``charts``.
"""

from kamlib.analyses.registry import Analysis, register
from kamlib.analyses.segmentation import compute, messages, read, view  # noqa: F401 (messages)
from kamlib.analyses.segmentation.compute import Segmentation, segment_customers
from kamlib.analyses.segmentation.read import SegmentationInputs


def _tables(seg, w):
    return [
        view.tier_table(seg, w),
        view.abc_table(seg, w),
        view.ranking_table(seg, w, "revenue"),
        view.ranking_table(seg, w, "profit"),
        view.ranking_table(seg, w, "complaints"),
        view.ranking_table(seg, w, "praise"),
        view.indicators_table(seg, w, "transaction"),
        view.indicators_table(seg, w, "financial"),
        view.indicators_table(seg, w, "contact"),
        view.pyramid_table(seg, w),
        view.value_table(seg, w),
        view.rfm_table(seg, w),
        view.composition_table(seg, w),
        view.key_accounts_table(seg, w),
        view.excluded_table(seg, w),
        view.scorecard_table(seg, w),
        view.targets_table(seg, w),
        view.accounting_table(seg, w),
        view.customers_table(seg, w),
    ]


def _charts(seg):
    plots = ["plot_tiers", "plot_pareto", "plot_pyramid", "plot_value_matrix", "plot_rfm"]
    plots.append("plot_migration")
    return plots + (["plot_composition"] if seg.composition is not None else [])


ANALYSIS = register(
    Analysis(
        key="customer_segmentation",
        notebook="customer_segmentation.ipynb",
        requires=("transactions",),
        read=read.read_inputs,
        compute=compute.compute,
        results=view.results,
        order=20,
        method="method_segmentation",
        key_table="key_accounts",
        key_findings=("f_overview", "f_pareto", "f_top_tier", "f_one_tier", "f_keys", "f_at_risk"),
        native_charts=(("tiers", view.native_tiers), ("composition", view.native_composition)),
        chart_findings=(
            ("tiers", ("f_top_tier", "f_one_tier")),
            ("pareto", ("f_pareto",)),
            ("pyramid", ("f_overview",)),
            ("value_matrix", ("f_keys",)),
            ("rfm", ("f_at_risk",)),
            ("migration", ("f_migration",)),
            ("composition", ("f_concentration",)),
        ),
        table_titles=(
            ("tiers", "t_seg_tiers"),
            ("abc", "t_seg_abc"),
            ("ranking_revenue", "t_seg_ranking_revenue"),
            ("ranking_profit", "t_seg_ranking_profit"),
            ("ranking_complaints", "t_seg_ranking_complaints"),
            ("ranking_praise", "t_seg_ranking_praise"),
            ("indicators", "t_seg_indicators"),
            ("indicators_financial", "t_seg_indicators_financial"),
            ("indicators_contact", "t_seg_indicators_contact"),
            ("pyramid", "t_seg_pyramid"),
            ("value_matrix", "t_seg_value_matrix"),
            ("rfm", "t_seg_rfm"),
            ("composition", "t_seg_composition"),
            ("key_accounts", "t_seg_key_accounts"),
            ("excluded", "t_seg_excluded"),
            ("scorecard", "t_seg_scorecard"),
            ("targets", "t_seg_targets"),
            ("accounting", "t_seg_accounting"),
            ("customers", "t_seg_customers"),
        ),
        table_files=(("customers", "customers"),),
        findings=view.findings,
        tables=_tables,
        charts=_charts,
    )
)

__all__ = ["ANALYSIS", "Segmentation", "SegmentationInputs", "segment_customers"]
