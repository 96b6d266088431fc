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

CHARTS = "charts"
"""The folder, beside the saved results, of the charts a render drew once."""


@dataclass
class EngagementRun:
    """What one run read and computed, by analysis key."""

    engagement: Engagement
    analyses: list[Analysis]
    inputs: dict[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    """Each result's reuse key, when the run had a cache (see :mod:`kamlib.render.cache`)."""
    reused: list[str] = field(default_factory=list)
    """The analyses whose results were not computed but kept from an earlier render."""
    read_accounts: dict[str, Any] = field(default_factory=dict)
    """Per per-account analysis, the accounts its read knew (``None``: it does not say), from
    this run's reading or from an earlier render's reading of the same bytes."""
    _tables: dict[str, list] = field(default_factory=dict, repr=False, compare=False)

    @property
    def words(self) -> Words:
        return words(self.engagement)

    @property
    def accounts(self) -> set[str] | None:
        """The accounts a per-account page can be made for (none without such an analysis;
        ``None`` when the run did not compute them and its inputs do not say)."""
        for analysis in self.analyses:
            if not analysis.per_account:
                continue
            if analysis.key in self.results and analysis.known is not None:
                return analysis.known(self.results[analysis.key])
            known = self.read_accounts.get(analysis.key)
            return set(known) if known is not None else None
        return set()

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


def run_engagement(
    eng: Engagement,
    keys: Iterable[str] | None = None,
    skip: Iterable[str] = (),
    cache: Any = None,
) -> EngagementRun:
    """Read and compute the applicable analyses (or ``keys`` and what they depend on); those in
    ``skip`` are read (their files checked) but not computed. With ``cache`` (a
    :class:`kamlib.render.cache.Cache`), an analysis whose key is unchanged is neither read nor
    computed: its kept result is used (for one in ``skip``, what its read knew of the accounts).

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
    planned = {a.key: a for a in analyses}

    def read(analysis: Analysis) -> list:
        """Read ``analysis`` (and what it reads from); what its own read asked for."""
        for dep in analysis.depends_on:
            if dep in planned and dep not in run.inputs:
                read(planned[dep])
        upstream = {k: run.inputs[k] for k in analysis.depends_on if k in run.inputs}
        start = len(eng.asked)
        run.inputs[analysis.key] = analysis.read(eng, upstream)
        if analysis.per_account:
            run.read_accounts[analysis.key] = getattr(run.inputs[analysis.key], "known", None)
        return eng.asked[start:]

    skipped = set(skip)
    for analysis in analyses:
        upstream_keys = {k: run.keys[k] for k in analysis.depends_on if k in run.keys}
        kept = cache.reuse(analysis, upstream_keys) if cache is not None else None
        if kept is not None:
            run.keys[analysis.key], run.results[analysis.key] = kept
            run.reused.append(analysis.key)
            continue
        checked = (
            cache.checked(analysis, upstream_keys) if cache and analysis.key in skipped else None
        )
        if checked is not None:
            run.keys[analysis.key], run.read_accounts[analysis.key] = checked
            continue
        asked = read(analysis)
        if cache is not None:
            known = run.read_accounts.get(analysis.key)
            run.keys[analysis.key] = cache.keep(analysis, asked, upstream_keys, known)
    for analysis in analyses:
        if analysis.key in run.results or analysis.key in skipped:
            continue
        upstream = {k: run.results[k] for k in analysis.depends_on if k in run.results}
        run.results[analysis.key] = analysis.compute(run.inputs[analysis.key], upstream)
    return run


def result(eng: Engagement | str | Path, key: str, saved: str | Path = "") -> Any:
    """The result of analysis ``key``: read from ``saved`` (the folder a render's run was saved
    into) when given, with the charts the render drew for it, else computed here with what it
    depends on."""
    if not isinstance(eng, Engagement):
        eng = load_engagement(eng)
    if saved:
        loaded = store.load(Path(saved) / key)
        if (Path(saved) / CHARTS).is_dir():
            from kamlib.core.charts import use_drawn

            use_drawn(loaded, Path(saved) / CHARTS, key)
        return loaded
    return run_engagement(eng, [key]).results[key]
