"""Customer segmentation and key accounts (客户分级与大客户识别).

``read`` → :class:`~kamlib.analyses.segmentation.read.SegmentationInputs`, ``compute`` →
:class:`~kamlib.analyses.segmentation.compute.Segmentation`, ``view`` (tables, findings,
results.json) and ``charts``.
"""

from kamlib.analyses.registry import Analysis, register
from kamlib.analyses.segmentation import compute, messages, read, view  # noqa: F401 (messages)
from kamlib.analyses.segmentation.compute import Segmentation, segment_customers
from kamlib.analyses.segmentation.read import SegmentationInputs

ANALYSIS = register(
    Analysis(
        key="customer_segmentation",
        notebook="customer_segmentation.ipynb",
        requires=("transactions",),
        read=read.read_inputs,
        compute=compute.compute,
        results=view.results,
        order=20,
        findings=view.findings,
    )
)

__all__ = ["ANALYSIS", "Segmentation", "SegmentationInputs", "segment_customers"]
