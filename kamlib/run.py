"""An engagement run: every applicable analysis read, then computed once, in dependency order.

``kam validate`` is a run without notebooks; ``kam render`` saves the run's results into its
scratch folder and each notebook reads them back (:func:`result`). A notebook opened in JupyterLab
with only ``engagement`` set computes what it needs itself, through the same run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kamlib.analyses import registry
from kamlib.analyses.registry import Analysis
from kamlib.core import store
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words


@dataclass
class EngagementRun:
    """What one run read and computed, by analysis key."""

    engagement: Engagement
    analyses: list[Analysis]
    inputs: dict[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    _tables: dict[str, list] = field(default_factory=dict, repr=False, compare=False)

    @property
    def words(self) -> Words:
        return words(self.engagement)

    @property
    def accounts(self) -> set[str]:
        """The accounts a plan can be made for (none without account plans)."""
        plans = self.results.get("account_plans")
        return plans.known if plans is not None else set()

    def tables(self, analysis: Analysis) -> list:
        """The analysis' tables of its result in the run's language, made once for every
        output that shows them (the workbook, the CSV files, the deck); empty when it has none."""
        if analysis.key not in self._tables:
            made = analysis.tables is not None and analysis.key in self.results
            self._tables[analysis.key] = (
                list(analysis.tables(self.results[analysis.key], self.words)) if made else []
            )
        return self._tables[analysis.key]

    def notes(self) -> list:
        """Every analysis' data-quality notes, in order."""
        return [n for r in self.results.values() for n in r.warnings]

    def save(self, folder: str | Path) -> Path:
        """Each result into ``folder/<key>/`` (JSON and Parquet), for the notebooks to read."""
        folder = Path(folder)
        for key, result in self.results.items():
            store.save(result, folder / key)
        return folder


def words(eng: Engagement) -> Words:
    """The engagement's language and currency."""
    return Words(eng.language, eng.currency)


def run_engagement(eng: Engagement, keys: Iterable[str] | None = None) -> EngagementRun:
    """Read and compute the applicable analyses (or ``keys`` and what they depend on).

    Raises
    ------
    KamError
        The first input mistake found; nothing is computed past it.
    """
    if keys is None:
        analyses = registry.applicable(eng)
        if not analyses:
            names = ", ".join(sorted({n for a in registry.REGISTRY.values() for n in a.requires}))
            raise KamError(eng.path, f"at least one data file ({names})", "none")
    else:
        analyses = registry.closure(list(keys), eng)
    run = EngagementRun(eng, analyses)
    for analysis in analyses:
        upstream = {k: run.inputs[k] for k in analysis.depends_on if k in run.inputs}
        run.inputs[analysis.key] = analysis.read(eng, upstream)
    for analysis in analyses:
        upstream = {k: run.results[k] for k in analysis.depends_on if k in run.results}
        run.results[analysis.key] = analysis.compute(run.inputs[analysis.key], upstream)
    return run


def result(eng: Engagement | str | Path, key: str, saved: str | Path = "") -> Any:
    """The result of analysis ``key``: read from ``saved`` (the folder a render's run was saved
    into) when given, else computed here with what it depends on."""
    if not isinstance(eng, Engagement):
        eng = load_engagement(eng)
    if saved:
        return store.load(Path(saved) / key)
    return run_engagement(eng, [key]).results[key]
