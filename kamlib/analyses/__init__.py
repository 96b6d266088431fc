"""The analyses of the suite, each a package with the same shape (see :mod:`.registry`):
``read`` (its files, checked), ``compute`` (pure), ``view`` (tables, findings, results.json),
``charts`` and ``messages``. Importing this package registers them; each has its place in
the report (``order``).
"""

from kamlib.analyses import accounts, competitors, industry, segmentation  # noqa: F401
from kamlib.analyses.registry import REGISTRY, Analysis, applicable, get, register

__all__ = ["REGISTRY", "Analysis", "applicable", "get", "register"]
