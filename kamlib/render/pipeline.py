"""The render pipeline: one engagement run, then every output as a task of its own, in parallel.

    run ─┬─ chart:<analysis>:<n> (each chart drawn once) ─┬─ page:<analysis> (notebook → HTML)
         │                                                 ├─ plans:<analysis>:<n> (account plans)
         │                                                 └─ deck (report.pptx)
         └─ workbook (report.xlsx, tables/*.csv)
    then, in the render's process: results.json, the index page, charts/, the PDF book.

The engagement run reads and computes every analysis once (an input mistake stops here, before
any output); the tasks run in forked workers that start with the run's results in memory
(:mod:`kamlib.render.tasks`), at most ``jobs`` at once. Each chart is drawn once, and the page,
the PDF printed from it, the deck and ``charts/`` use that image. The pipeline knows no analysis
by name: it walks the registry (:mod:`kamlib.analyses.registry`).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kamlib.analyses.registry import REGISTRY, Analysis
from kamlib.core.commentary import SUMMARY, read_commentary
from kamlib.core.commentary import to_html as to_markup
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError
from kamlib.render import figures, output
from kamlib.render.execute import DEFAULT_ENGINE, RenderError, execute
from kamlib.render.pages import Page, analysis_page, plan_page, plans_index, render_index
from kamlib.render.tasks import Task, run_tasks
from kamlib.run import CHARTS, EngagementRun, run_engagement, words

RESULTS_FOLDER = ".results"


def validate_engagement(folder: str | Path) -> tuple[Engagement, EngagementRun]:
    """Read and compute every applicable analysis, rendering nothing.

    Raises
    ------
    KamError
        The first mistake found.
    """
    eng = load_engagement(folder)
    run = run_engagement(eng)
    read_commentary(eng.path, REGISTRY)
    return eng, run


def default_out(eng: Engagement) -> Path:
    return Path.cwd() / "reports" / eng.name


ACCOUNT_LIMIT = 200  # account plans one render makes without asking (about 2 s each)


def render(
    folder: str | Path,
    out: str | Path | None = None,
    engine: str | None = None,
    generated: str | None = None,
    accounts: str | None = None,
    pdf: bool = False,
    force: bool = False,
    confirm: Callable[[int], bool] | None = None,
    stamp: dict | None = None,
    formats: str | None = None,
    course: bool = False,
    jobs: int | None = None,
) -> tuple[Path, list[Page]]:
    """Render an engagement into ``out`` (default ``reports/<folder name>/``), and with
    ``accounts`` (``key``, ``all`` or IDs) one account plan per account into ``accounts/``.

    ``formats`` (see :func:`parse_formats`; default ``html,xlsx,pptx``): ``html`` the pages,
    ``xlsx`` the workbook and every table as CSV in ``tables/``, ``pptx`` the slide deck
    ``report.pptx``, ``charts`` every chart as PNG and SVG in ``charts/``, ``pdf`` (or
    ``pdf=True``) the PDF book ``report.pdf`` (and ``accounts/plans.pdf``), printed by headless
    Chromium. ``results.json`` is always written. With ``course`` (teaching mode) the pages keep
    the notebooks' ``course`` cells. ``jobs``: how many outputs are made at once (default: the
    machine's cores; 1 makes them one after the other in this process).

    The output folder is checked first (see :mod:`kamlib.render.output`: kam writes only into a
    new or empty folder or a report of its own, unless ``force``); then the engagement run reads
    and computes everything (an input mistake stops here, before any notebook). The report is
    built in a scratch folder and swapped in for the previous one in one step when every page
    succeeded; a failure keeps the partial output in ``<out>.failed``. More than
    ``ACCOUNT_LIMIT`` account plans are made only when ``confirm(count)`` says yes. ``stamp``
    adds fields to the report's ``.kam-stamp``.
    """
    chosen = parse_formats(formats, pdf)
    eng = load_engagement(folder)
    if "pdf" in chosen:
        from kamlib.render.browser import find_chromium

        find_chromium()  # before hours of rendering, not after
    target = Path(out).resolve() if out else default_out(eng)
    made = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    scratch = output.prepare(target, force)
    started = False
    try:
        run = run_engagement(eng)
        sections = read_commentary(eng.path, REGISTRY)
        commentary = {key: to_markup(text) for key, text in sections.items()}
        _choose_accounts(run, accounts, confirm)
        generated = generated or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        started = True
        build = Build(eng, run, scratch, engine, generated, chosen, commentary, sections, course)
        pages = build.make(jobs or os.cpu_count() or 1)
        output.install(scratch, target, force, **(stamp or {}))
    except Exception as exc:
        if not started or isinstance(exc, KamError):
            output.discard(scratch, made)
            raise
        failed = output.keep_failed(scratch, target)
        stale = _mark_stale(eng, target, failed)
        if isinstance(exc, RenderError):
            raise exc.kept_in(failed, stale) from None
        raise
    except BaseException:  # Ctrl-C, SIGTERM: nothing half-made stays behind
        output.discard(scratch, made)
        raise
    output.remove_failed(target)
    return target, pages


def _mark_stale(eng: Engagement, target: Path, failed: Path) -> Path | None:
    """The previous report in ``target``, marked out of date after a failed render (None when
    there was none)."""
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    text = words(eng)("stale_report", time=when, failed=failed.name)
    banner = (
        f'<div class="{output.STALE_CLASS}" role="alert" style="background:#fdecea;'
        "color:#611a15;border:2px solid #b71c1c;padding:12px 16px;margin:0 0 16px;"
        f'font-weight:bold">{html.escape(text)}</div>'
    )
    return target if output.mark_stale(target, text + "\n", banner) else None


def _choose_accounts(
    run: EngagementRun, accounts: str | None, confirm: Callable[[int], bool] | None
) -> None:
    """Keep only the chosen accounts of a per-account result (none without ``accounts``)."""
    for analysis in run.analyses:
        if not analysis.per_account:
            continue
        result = run.results.pop(analysis.key)
        if not accounts:
            continue
        chosen = result.select(accounts)
        if len(chosen) > ACCOUNT_LIMIT and not (confirm and confirm(len(chosen))):
            raise KamError(
                "--accounts",
                f"at most {ACCOUNT_LIMIT} account plans without confirmation (add --yes to "
                f"render all of them, or name the accounts)",
                f'"{accounts}": {len(chosen)} accounts',
            )
        run.results[analysis.key] = result.subset(chosen)


FORMATS = ("html", "pdf", "xlsx", "pptx", "charts")
DEFAULT_FORMATS = "html,xlsx,pptx"


def parse_formats(formats: str | None, pdf: bool = False) -> set[str]:
    """``html,pdf,xlsx,pptx,charts`` or ``all``, comma-separated (default ``html,xlsx,pptx``);
    ``pdf`` adds pdf, and a PDF needs the pages.

    Raises
    ------
    KamError
        For a format kam does not write.
    """
    names = [f.strip().lower() for f in (formats or DEFAULT_FORMATS).split(",") if f.strip()]
    chosen = set(FORMATS) if "all" in names else set(names)
    unknown = sorted(chosen - set(FORMATS))
    if unknown or not chosen:
        found = f'"{formats}"'
        raise KamError("--format", f"a comma-separated list of {', '.join(FORMATS)} or all", found)
    if pdf:
        chosen.add("pdf")
    if "pdf" in chosen:
        chosen.add("html")
    return chosen


class Build:
    """The outputs of one render into ``scratch``, as tasks (see the module's picture)."""

    def __init__(
        self,
        eng: Engagement,
        run: EngagementRun,
        scratch: Path,
        engine: str | None,
        generated: str,
        formats: set[str],
        commentary: dict[str, str],
        sections: dict[str, str],
        course: bool = False,
    ) -> None:
        self.eng, self.run, self.scratch, self.engine = eng, run, scratch, engine or DEFAULT_ENGINE
        self.generated, self.formats, self.course = generated, formats, course
        self.commentary, self.sections = commentary, sections
        self.shown = [a for a in run.analyses if a.key in run.results]
        self.saved = scratch / RESULTS_FOLDER
        self.drawn = self.saved / CHARTS
        self.params = {**eng.parameters(), "results": str(self.saved)}

    def charts(self, analysis: Analysis) -> list[str]:
        """The names of the tasks that draw the analysis' charts."""
        if not self.formats & {"html", "pptx", "charts"}:
            return []
        return [f"chart:{analysis.key}:{i}" for i in range(figures.count(self.run, analysis))]

    def tasks(self, jobs: int) -> dict[str, Task]:
        tasks: dict[str, Task] = {}
        for analysis in self.shown:  # the longest first: the segmentation's charts
            for i, name in enumerate(self.charts(analysis)):
                tasks[name] = Task(lambda done, a=analysis, i=i: self.draw(a, i))
        if "xlsx" in self.formats:
            tasks["workbook"] = Task(lambda done: self.workbook())
        if "html" in self.formats:
            for analysis in self.shown:
                needs = tuple(self.charts(analysis))
                if not analysis.per_account:
                    tasks[f"page:{analysis.key}"] = Task(
                        lambda done, a=analysis: self.page(a, done), needs
                    )
                    continue
                stems = output.file_stems(list(self.run.results[analysis.key].ids))
                items = list(stems.items())
                for n in range(min(jobs, len(items))):
                    tasks[f"plans:{analysis.key}:{n}"] = Task(
                        lambda done, a=analysis, part=items[n::jobs]: self.plans(a, part, done),
                        needs,
                    )
        if "pptx" in self.formats:
            needs = tuple(n for a in self.shown for n in self.charts(a))
            tasks["deck"] = Task(self.deck, needs)
        return tasks

    def located(self, analysis: Analysis, done: dict[str, Any]) -> list[dict]:
        return figures.located(self.drawn, [done[n] for n in self.charts(analysis)])

    def draw(self, analysis: Analysis, index: int) -> dict | None:
        """A chart that cannot be drawn fails the render, naming it."""
        try:
            return figures.draw(self.run, analysis, index, self.drawn, "charts" in self.formats)
        except Exception as exc:
            plot = analysis.charts(self.run.results[analysis.key])[index]
            name = f"the chart {analysis.key}.{plot.__name__.removeprefix('plot_')}"
            raise RenderError(f"{type(exc).__name__}: {exc}", name) from None

    def workbook(self) -> None:
        from kamlib.render import export

        items = export.exports(self.run)  # every table and its values, made once for both
        export.write_workbook(self.eng, self.run, self.scratch / "report.xlsx", items)
        export.write_tables(items, self.scratch / "tables")

    def deck(self, done: dict[str, Any]) -> None:
        from kamlib.render import deck

        charts = {a.key: self.located(a, done) for a in self.shown}
        path = self.scratch / "report.pptx"
        deck.write_deck(self.eng, self.run, path, self.sections, charts=charts)

    def _executed(self, analysis: Analysis, done: dict[str, Any], params: dict, path: Path):
        figures.write_manifest(self.drawn, analysis.key, self.located(analysis, done))
        return execute(analysis.notebook, params, path, self.engine)

    def page(self, analysis: Analysis, done: dict[str, Any]) -> None:
        from kamlib.render.pages import page_of

        page = page_of(analysis, self.run.results[analysis.key], self.run.words)
        nb = self._executed(analysis, done, self.params, self.scratch / analysis.notebook)
        markup = analysis_page(page, nb, self.eng, self.generated, self.commentary, self.course)
        (self.scratch / page.html_name).write_text(markup, encoding="utf-8")

    def plans(
        self, analysis: Analysis, part: list[tuple[str, str]], done: dict[str, Any]
    ) -> dict[str, str]:
        """Pages of the accounts in ``part`` (ID, file stem) into ``accounts/``."""
        folder = self.scratch / "accounts"
        folder.mkdir(exist_ok=True)
        result = self.run.results[analysis.key]
        for customer_id, name in part:
            params = {**self.params, "customer_id": customer_id}
            nb = self._executed(analysis, done, params, folder / f"{name}.ipynb")
            markup = plan_page(
                analysis,
                result,
                customer_id,
                nb,
                self.eng,
                self.generated,
                self.commentary,
                self.course,
                name,
            )
            (folder / f"{name}.html").write_text(markup, encoding="utf-8")
        return {customer_id: f"{name}.html" for customer_id, name in part}

    def make(self, jobs: int) -> list[Page]:
        """Every output into ``scratch``; the pages as the index lists them."""
        from kamlib.render.pages import page_of

        w = self.run.words
        if "html" in self.formats:
            self.run.save(self.saved)
            from kamlib.render import pages

            pages.warm()
            if self.engine == "kamfork":
                from kamlib.render import engine

                engine.warm()
        if self.formats & {"html", "pptx", "charts"}:
            self.drawn.mkdir(parents=True, exist_ok=True)
        tasks = self.tasks(jobs)
        done = run_tasks(tasks, jobs)
        results: dict = {}
        shown: list[Page] = []
        for analysis in self.shown:
            result = self.run.results[analysis.key]
            entry = analysis.results(result, w)  # a per-account analysis' entry is keyed already
            results.update(entry if analysis.per_account else {analysis.key: entry})
            if "html" not in self.formats:
                continue
            shown.append(page_of(analysis, result, w))
            if analysis.per_account:
                links: dict[str, str] = {}
                for name in sorted(n for n in done if n.startswith(f"plans:{analysis.key}:")):
                    links.update(done[name])
                order = list(result.ids)
                links = {i: links[i] for i in order if i in links}
                markup = plans_index(analysis, result, links, self.eng, self.generated)
                (self.scratch / "accounts" / "index.html").write_text(markup, encoding="utf-8")
        if "charts" in self.formats:
            (self.scratch / "charts").mkdir()
            for analysis in self.shown:
                for chart in self.located(analysis, done):
                    for suffix in (".png", ".svg"):
                        source = chart["path"].with_suffix(suffix)
                        os.replace(source, self.scratch / "charts" / source.name)
        if "html" in self.formats:
            index = render_index(self.eng, shown, self.generated, self.commentary.get(SUMMARY, ""))
            (self.scratch / "index.html").write_text(index, encoding="utf-8")
        shutil.rmtree(self.saved, ignore_errors=True)
        (self.scratch / "results.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if "pdf" in self.formats:
            from kamlib.render import book

            book.write_books(self.scratch, self.eng, w, self.generated)
        return shown
