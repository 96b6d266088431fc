"""The analysis contract and the registry of analyses.

Every analysis is an :class:`Analysis`: ``read`` (every file read and checked; the only step that
touches files), ``compute`` (pure: inputs and upstream results in, a result out; no engagement,
no language, no I/O), and its view (``results`` for results.json, ``findings`` for the summary;
tables and charts in its ``view`` module, called by its notebook). The engagement run, ``kam
validate``, the renderer, ``kam batch`` and the index page all walk this registry.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kamlib.core.config import Engagement
from kamlib.core.i18n import Words


@dataclass(frozen=True)
class Analysis:
    """One analysis of the suite.

    Attributes
    ----------
    key
        Its name: the key in results.json, the page's file name, the title's message key.
    notebook
        The notebook in ``notebooks/`` (shipped as ``kamlib.notebooks``) that shows it.
    requires
        The data files whose presence makes it run (any one of them).
    read
        ``read(engagement, upstream_inputs) -> inputs``: every file read and checked.
    compute
        ``compute(inputs, upstream_results) -> result``: pure; every result has ``warnings``, its
        data-quality notes.
    results
        ``results(result, words) -> dict``: its entry in results.json.
    findings
        ``findings(result, words) -> list[str]``: the summary sentences.
    order
        Its place in the report (smaller first); dependencies still run first.
    depends_on
        Analyses whose results it uses when they run (read and computed first).
    per_account
        One page per account (the renderer's ``--accounts``) instead of one page; its result
        has ``ids``, the accounts it holds, in order.
    select
        ``select(result, choice) -> ids``: a per-account analysis' accounts that ``--accounts``
        names (``key``, ``all`` or IDs); raises ``KamError`` for an account it does not know.
    subset
        ``subset(result, ids) -> result``: a per-account result holding ``ids`` only, in that
        order.
    known
        ``known(result) -> set of IDs``: every account a per-account page could be made for
        (the commentary's account sections are checked against it).
    index
        ``index(result, words) -> Table``: a per-account analysis' index page table.
    page_title
        ``page_title(result, id, words) -> str``: a per-account page's title.
    tables
        ``tables(result, words) -> list[Table]``: every table it exports (the workbook and
        ``tables/``), each with a unique ``name``.
    charts
        ``charts(result) -> list[str]``: the names of every chart it exports (``charts/``),
        each a ``plot_x(result, words) -> Figure`` of its package's ``charts`` module. The
        names alone say how many charts there are and what they are called: the module (and
        matplotlib) is imported only to draw one, by :meth:`plot`.
    method
        The message key of its method in a paragraph (the workbook's Contents sheet, the slides'
        notes); ``""`` for none.
    key_table
        The ``name`` of the table the deck shows of it; ``None``: its first table with rows.
    table_titles
        ``(name, message key)`` pairs: the title of each table for people (the workbook's sheet
        names, the slides' headings), in the report's language.
    chart_findings
        ``(chart, finding keys)`` pairs: the findings (their message keys, see
        :meth:`~kamlib.core.i18n.Words.said`) a chart shows, the first found its slide's
        headline; a chart without one is headed by its own title.
    key_findings
        The message keys of the findings the executive summary carries, in their order in the
        findings; none: the first three.
    slides
        ``slides(result, words) -> [(title, lines)]``: slides of its own for the deck, after its
        key table (a per-account analysis: one per key account).
    native_charts
        ``(chart, spec)`` pairs: ``spec(result, words)`` gives the
        :class:`~kamlib.core.native.NativeChart` the deck draws as an editable PowerPoint chart
        instead of the chart's picture (``None``: the picture).
    table_files
        ``(name, stem)`` pairs: a table exported as ``tables/<stem>.csv`` instead of
        ``<key>.<name>.csv``.
    """

    key: str
    notebook: str
    requires: tuple[str, ...]
    read: Callable[[Engagement, Mapping[str, Any]], Any]
    compute: Callable[[Any, Mapping[str, Any]], Any]
    results: Callable[[Any, Words], dict]
    findings: Callable[[Any, Words], list[str]]
    order: int
    depends_on: tuple[str, ...] = ()
    per_account: bool = False
    select: Callable[[Any, str], list[str]] | None = None
    subset: Callable[[Any, list[str]], Any] | None = None
    known: Callable[[Any], set[str]] | None = None
    index: Callable[[Any, Words], Any] | None = None
    page_title: Callable[[Any, str, Words], str] | None = None
    tables: Callable[[Any, Words], list] | None = None
    charts: Callable[[Any], list[str]] | None = None
    method: str = ""
    key_table: str | None = None
    table_titles: tuple[tuple[str, str], ...] = ()
    chart_findings: tuple[tuple[str, tuple[str, ...]], ...] = ()
    key_findings: tuple[str, ...] = ()
    slides: Callable[[Any, Words], list[tuple[str, list[str]]]] | None = None
    native_charts: tuple[tuple[str, Callable[[Any, Words], Any]], ...] = ()
    table_files: tuple[tuple[str, str], ...] = ()

    def table_title(self, name: str, words: Words) -> str:
        """The title of its table ``name`` for people; the name itself when it has none."""
        key = dict(self.table_titles).get(name)
        return words(key) if key else name

    def headline(self, chart: str, findings: list[str]) -> str | None:
        """The finding that heads the slide of ``chart`` (its name without ``plot_``): the
        first of ``findings`` with one of the keys the chart shows; ``None`` for none."""
        keys = dict(self.chart_findings).get(chart, ())
        return next((f for f in findings if getattr(f, "key", None) in keys), None)

    def summary(self, findings: list[str]) -> list[str]:
        """The findings the executive summary carries (see :attr:`key_findings`)."""
        if not self.key_findings:
            return findings[:3]
        return [f for f in findings if getattr(f, "key", None) in self.key_findings]

    def native(self, chart: str, result: Any, words: Words) -> Any:
        """The :class:`~kamlib.core.native.NativeChart` of ``chart``, or ``None``."""
        spec = dict(self.native_charts).get(chart)
        return spec(result, words) if spec is not None else None

    def plot(self, name: str) -> Callable:
        """The chart function ``name`` of :attr:`charts`, its module imported on first use."""
        package = self.read.__module__.rpartition(".")[0]
        return getattr(importlib.import_module(f"{package}.charts"), name)

    def applies(self, eng: Engagement) -> bool:
        """Whether the engagement holds a data file this analysis needs."""
        return any(eng.data_file(name) is not None for name in self.requires)


REGISTRY: dict[str, Analysis] = {}


def register(analysis: Analysis) -> Analysis:
    """Add an analysis to the registry."""
    if analysis.key in REGISTRY:
        raise ValueError(f"analysis {analysis.key!r} is registered twice")
    REGISTRY[analysis.key] = analysis
    return analysis


def ordered() -> list[Analysis]:
    """Every registered analysis in report order, each after those it depends on."""
    done: dict[str, Analysis] = {}

    def visit(key: str, path: tuple[str, ...]) -> None:
        if key in done:
            return
        if key in path:
            raise ValueError(f"analyses depend on each other: {' → '.join((*path, key))}")
        if key not in REGISTRY:
            raise ValueError(f"{path[-1]} depends on {key}, which is not registered")
        for dep in REGISTRY[key].depends_on:
            visit(dep, (*path, key))
        done[key] = REGISTRY[key]

    for key in sorted(REGISTRY, key=lambda k: REGISTRY[k].order):
        visit(key, ())
    return list(done.values())


def get(key: str) -> Analysis:
    return REGISTRY[key]


def applicable(eng: Engagement) -> list[Analysis]:
    """The analyses whose data is present, in dependency order."""
    return [a for a in ordered() if a.applies(eng)]


def closure(keys: list[str], eng: Engagement) -> list[Analysis]:
    """``keys`` and the applicable analyses they depend on, in dependency order."""
    wanted: set[str] = set()

    def add(key: str) -> None:
        if key in wanted:
            return
        wanted.add(key)
        for dep in REGISTRY[key].depends_on:
            if REGISTRY[dep].applies(eng):
                add(dep)

    for key in keys:
        add(key)
    return [a for a in ordered() if a.key in wanted]
