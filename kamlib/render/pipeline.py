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
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kamlib.analyses.registry import REGISTRY, Analysis
from kamlib.core.commentary import SUMMARY, account_key, read_commentary
from kamlib.core.commentary import to_html as to_markup
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError
from kamlib.render import cache, figures, output
from kamlib.render.cache import Cache
from kamlib.render.execute import DEFAULT_ENGINE, RenderError, execute
from kamlib.render.pages import Page, analysis_page, plan_page, plans_index, render_index
from kamlib.render.tasks import Task, _timed, run_tasks
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
    read_commentary(eng.path, REGISTRY, run.accounts)
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
    fresh: bool = False,
    reused: dict | None = None,
) -> tuple[Path, list[Page]]:
    """Render an engagement into ``out`` (default ``reports/<folder name>/``), and with
    ``accounts`` (``key``, ``all`` or IDs) one account plan per account into ``accounts/``.

    ``formats`` (see :func:`parse_formats`; default ``html,xlsx,pptx``): ``html`` the pages,
    ``xlsx`` the workbook and every table as CSV in ``tables/``, ``pptx`` the slide deck
    ``report.pptx``, ``charts`` every chart as PNG and SVG in ``charts/``, ``pdf`` (or
    ``pdf=True``) the PDF book ``report.pdf`` (and ``accounts/plans.pdf``), printed by headless
    Chromium. ``results.json`` is always written. With ``course`` (teaching mode) the pages keep
    the notebooks' ``course`` cells. ``jobs``: how many outputs are made at once (default: the
    machine's cores; 1 makes them one after the other in this process). What the previous
    report in ``out`` holds under an unchanged key is taken, not made again (see
    :mod:`kamlib.render.cache`), unless ``fresh``; ``reused`` (a dict) is filled with what was.

    The output folder is checked first (see :mod:`kamlib.render.output`: kam writes only into a
    new or empty folder or a report of its own, unless ``force``); then the engagement run reads
    and computes everything (an input mistake stops here, before any notebook). The report is
    built in a scratch folder and moved in over the previous one (one writer at a time) when every
    page succeeded; a failure keeps the partial output in ``<out>.failed``. More than
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
        begun = time.perf_counter()
        previous = _previous(target)
        kept = Cache(eng, scratch / cache.FOLDER, previous, fresh)
        skip = () if accounts else [a.key for a in REGISTRY.values() if a.per_account]
        run = run_engagement(eng, skip=skip, cache=kept)
        _timed("run", begun)
        sections = read_commentary(eng.path, REGISTRY, run.accounts)
        commentary = {key: to_markup(text) for key, text in sections.items()}
        _choose_accounts(run, accounts, confirm)
        generated = generated or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        started = True
        unchanged = (
            None
            if previous is None or (output.read_stamp(previous) or {}).get("stale")
            else previous
        )
        build = Build(
            eng,
            run,
            scratch,
            engine,
            generated,
            chosen,
            commentary,
            sections,
            course,
            kept,
            unchanged,
        )
        pages = build.make(jobs or os.cpu_count() or 1)
        if reused is not None:
            reused.update(build.reused())
        output.install(scratch, target, force, **(stamp or {}))
    except Exception as exc:
        fault = output.machine_fault(exc, target)
        if not started or isinstance(exc, KamError) or fault:
            # a full disk keeps nothing half-made: the previous report stays as it was
            output.discard(scratch, made)
            if fault:
                raise fault from None
            raise
        try:
            failed = output.keep_failed(scratch, target)
        except OSError as kept:  # no room even to keep it: nothing half-made stays
            output.discard(scratch, made)
            raise output.machine_fault(kept, target) or kept from None
        stale = _mark_stale(eng, target, failed)
        if isinstance(exc, RenderError):
            raise exc.kept_in(failed, stale) from None
        raise
    except BaseException:  # Ctrl-C, SIGTERM: nothing half-made stays behind
        output.discard(scratch, made)
        raise
    finally:
        output.release(target)
    return target, pages


def _previous(target: Path) -> Path | None:
    """The report kam wrote in ``target`` before, whose kept files a render may take."""
    stamp = output.read_stamp(target) if target.is_dir() and not target.is_symlink() else None
    return target if stamp and stamp["kam"] == output.REPORT else None


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
        result = run.results.pop(analysis.key, None)
        if not accounts or result is None:
            continue
        chosen = analysis.select(result, accounts)
        if len(chosen) > ACCOUNT_LIMIT and not (confirm and confirm(len(chosen))):
            raise KamError(
                "--accounts",
                f"at most {ACCOUNT_LIMIT} account plans without confirmation (add --yes to "
                f"render all of them, or name the accounts)",
                f'"{accounts}": {len(chosen)} accounts',
            )
        run.results[analysis.key] = analysis.subset(result, chosen)
        if analysis.key in run.keys:  # the chosen accounts' result: a key of its own
            run.keys[analysis.key] = cache.digest(run.keys[analysis.key], sorted(chosen))


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
    """The outputs of one render into ``scratch``, as tasks (see the module's picture), each
    taken from the previous report instead when its key is unchanged (:mod:`.cache`)."""

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
        course: bool,
        kept: Cache,
        previous: Path | None,
    ) -> None:
        self.eng, self.run, self.scratch, self.engine = eng, run, scratch, engine or DEFAULT_ENGINE
        self.generated, self.formats, self.course = generated, formats, course
        self.commentary, self.sections = commentary, sections
        self.kept, self.previous = kept, previous
        self.shown = [a for a in run.analyses if a.key in run.results]
        self.saved = scratch / RESULTS_FOLDER
        self.look = cache.look(eng)
        self.done: dict[str, Any] = {}  # what the previous report had already: no task
        self.counts = {"charts": 0, "pages": 0, "sheets": 0, "outputs": []}

    def reused(self) -> dict:
        """What this render took from the previous report instead of making it."""
        return {
            "results": list(self.run.reused),
            "charts": sum(len(self.charts(a)) for a in self.shown) - self.counts["charts"],
            "pages": sum(not a.per_account for a in self.shown) - self.counts["pages"],
            "outputs": list(self.counts["outputs"]),
            "sheets": self.counts["sheets"],
        }

    # -- keys ------------------------------------------------------------------------------

    def chart_keys(self, analysis: Analysis) -> list[str]:
        if not self.formats & {"html", "pptx", "charts"}:
            return []
        key = self.run.keys[analysis.key]
        n = figures.count(self.run, analysis)
        return [
            cache.digest("chart", key, i, self.eng.language, self.eng.currency) for i in range(n)
        ]

    def charts(self, analysis: Analysis) -> list[str]:
        """The names of the tasks that draw the analysis' charts."""
        return [f"chart:{analysis.key}:{i}" for i in range(len(self.chart_keys(analysis)))]

    def page_key(self, analysis: Analysis, account: str = "") -> str:
        words = self.commentary.get(account_key(account) if account else analysis.key, "")
        return cache.digest(
            "page",
            self.run.keys[analysis.key],
            self.chart_keys(analysis),
            self.look,
            words,
            self.course,
            account,
        )

    # -- tasks -----------------------------------------------------------------------------

    def tasks(self, jobs: int) -> dict[str, Task]:
        tasks: dict[str, Task] = {}
        svg = (".svg",) if "charts" in self.formats else ()
        for analysis in self.shown:  # the longest first: the segmentation's charts
            for i, (name, key) in enumerate(zip(self.charts(analysis), self.chart_keys(analysis))):
                if self.kept.take(key, (".png", ".json", *svg)):
                    self.done[name] = json.loads(self.kept.path(key, ".json").read_text("utf-8"))
                    continue
                tasks[name] = Task(
                    lambda done, a=analysis, i=i, k=key: self.draw(a, i, k), (), self.warm_charts
                )
        if "xlsx" in self.formats and not self.reuse_workbook():
            tasks["workbook"] = Task(lambda done: self.workbook())
        # the deck before the pages: it waits for every chart and is the longest task then
        if "pptx" in self.formats and not self.reuse_deck():
            needs = tuple(n for a in self.shown for n in self.charts(a) if n not in self.done)
            tasks["deck"] = Task(self.deck, needs, self.warm_deck)
        if "html" in self.formats:
            for analysis in self.shown:
                needs = tuple(n for n in self.charts(analysis) if n not in self.done)
                if not analysis.per_account:  # a kept page needs no exporter: no warm-up
                    kept = self.kept.take(self.page_key(analysis), (".page", ".ipynb"))
                    tasks[f"page:{analysis.key}"] = Task(
                        lambda done, a=analysis: self.page(a, done),
                        needs,
                        None if kept else self.warm_pages,
                    )
                    continue
                stems = output.file_stems(list(self.run.results[analysis.key].ids))
                items = list(stems.items())
                for n in range(min(jobs, len(items))):
                    tasks[f"plans:{analysis.key}:{n}"] = Task(
                        lambda done, a=analysis, part=items[n::jobs]: self.plans(a, part, done),
                        needs,
                        self.warm_pages,
                    )
        return tasks

    def warm_charts(self) -> None:
        figures.warm(self.run)

    def warm_deck(self) -> None:
        from kamlib.render import deck

        deck.warm()

    def warm_pages(self) -> None:
        """What every notebook and page needs: nbconvert's exporter, and kamfork's imports."""
        from kamlib.render import pages

        pages.warm()
        if self.engine == "kamfork":
            from kamlib.render import engine

            engine.warm()

    def located(self, analysis: Analysis, done: dict[str, Any]) -> list[dict]:
        entries = [done.get(n, self.done.get(n)) for n in self.charts(analysis)]
        return figures.located(self.kept.folder, entries)

    def draw(self, analysis: Analysis, index: int, key: str) -> dict | None:
        """A chart that cannot be drawn fails the render, naming it."""
        svg = "charts" in self.formats
        try:
            entry = figures.draw(self.run, analysis, index, self.kept.folder, svg, stem=key)
        except Exception as exc:
            if output.is_fault(exc):
                raise  # the disk, not the chart
            plot = analysis.charts(self.run.results[analysis.key])[index]
            name = f"the chart {analysis.key}.{plot.removeprefix('plot_')}"
            raise RenderError(f"{type(exc).__name__}: {exc}", name) from None
        if entry is not None:  # a chart with nothing to show is drawn again: it costs nothing
            text = json.dumps(entry, ensure_ascii=False)
            self.kept.path(key, ".json").write_text(text, encoding="utf-8")
        return entry

    def reuse_workbook(self) -> bool:
        files, sheets = ["report.xlsx"], []
        if self.previous is not None:
            stamp = output.read_stamp(self.previous) or {}
            files += [f for f in stamp.get("files", []) if f.startswith("tables/")]
            sheets = [f for f in stamp.get("files", []) if f.endswith(".sheet")]
        keys = [self.run.keys[a.key] for a in self.shown]
        if not self.kept.output(
            "workbook", cache.digest("workbook", keys, self.look), self.previous, files
        ):
            return False
        for name in files:
            cache.link(self.previous / name, self.scratch / name)
        for name in sheets:  # the workbook's sheets stay kept for the next change
            self.kept.take(Path(name).stem, (".sheet",))
        self.counts["outputs"].append("workbook")
        return True

    def reuse_deck(self) -> bool:
        keys = [(self.run.keys[a.key], self.chart_keys(a)) for a in self.shown]
        key = cache.digest("deck", keys, self.look, self.sections)
        if not self.kept.output("deck", key, self.previous, ["report.pptx"]):
            return False
        cache.link(self.previous / "report.pptx", self.scratch / "report.pptx")
        self.counts["outputs"].append("deck")
        return True

    def workbook(self) -> int:
        """The workbook and the CSV tables; how many sheets were the previous report's."""
        from kamlib.render import export

        items = export.exports(self.run)  # every table and its values, made once for both
        path = self.scratch / "report.xlsx"
        taken = export.write_workbook(self.eng, self.run, path, items, self.kept)
        export.write_tables(items, self.scratch / "tables")
        return taken

    def deck(self, done: dict[str, Any]) -> None:
        from kamlib.render import deck

        charts = {a.key: self.located(a, done) for a in self.shown}
        path = self.scratch / "report.pptx"
        deck.write_deck(self.eng, self.run, path, self.sections, charts=charts)

    def _page(self, key: str, notebook: Path, make: Callable[[], str]) -> str:
        """A page's markup, kept under ``key`` with its executed notebook (``notebook``), from
        the previous report or made now by ``make`` (which executes it into ``notebook``)."""
        if self.kept.take(key, (".page", ".ipynb")):
            cache.link(self.kept.path(key, ".ipynb"), notebook)
        else:
            markup = make()
            cache.link(notebook, self.kept.path(key, ".ipynb"))
            self.kept.path(key, ".page").write_text(markup, encoding="utf-8")
        markup = self.kept.path(key, ".page").read_text(encoding="utf-8")
        return markup.replace(cache.GENERATED, self.generated)

    def _execute(self, analysis: Analysis, done: dict[str, Any], params: dict, path: Path):
        folder = self.saved / CHARTS
        up = os.path.relpath(self.kept.folder, folder)
        entries = [{**e, "file": f"{up}/{e['file']}"} for e in self.located(analysis, done)]
        figures.write_manifest(folder, analysis.key, entries)
        return execute(analysis.notebook, params, path, self.engine)

    def page(self, analysis: Analysis, done: dict[str, Any]) -> bool:
        """The analysis' page; whether it was made now."""
        from kamlib.render.pages import page_of

        page = page_of(analysis, self.run.results[analysis.key], self.run.words)
        made = []
        params = {**self.eng.parameters(), "results": RESULTS_FOLDER}

        def make():
            nb = self._execute(analysis, done, params, self.scratch / analysis.notebook)
            made.append(True)
            return analysis_page(page, nb, self.eng, cache.GENERATED, self.commentary, self.course)

        markup = self._page(self.page_key(analysis), self.scratch / analysis.notebook, make)
        (self.scratch / page.html_name).write_text(markup, encoding="utf-8")
        return bool(made)

    def plans(
        self, analysis: Analysis, part: list[tuple[str, str]], done: dict[str, Any]
    ) -> dict[str, str]:
        """Pages of the accounts in ``part`` (ID, file stem) into ``accounts/``."""
        folder = self.scratch / "accounts"
        folder.mkdir(exist_ok=True)
        result = self.run.results[analysis.key]
        for customer_id, name in part:
            params = {
                **self.eng.parameters(),
                "results": f"../{RESULTS_FOLDER}",
                "customer_id": customer_id,
            }

            def make(customer_id=customer_id, name=name, params=params):
                nb = self._execute(analysis, done, params, folder / f"{name}.ipynb")
                return plan_page(
                    analysis,
                    result,
                    customer_id,
                    nb,
                    self.eng,
                    cache.GENERATED,
                    self.commentary,
                    self.course,
                    name,
                )

            key = self.page_key(analysis, customer_id)
            markup = self._page(key, folder / f"{name}.ipynb", make)
            (folder / f"{name}.html").write_text(markup, encoding="utf-8")
        return {customer_id: f"{name}.html" for customer_id, name in part}

    def _results(self) -> None:
        """Each result where its notebook reads it: ``.results/<analysis>``, the kept result
        (saved now when it was computed now), and the drawn charts in ``.results/charts``."""
        self.saved.mkdir()
        for analysis in self.shown:
            key = self.run.keys[analysis.key]
            kept = self.kept.save_result(key, self.run.results[analysis.key])
            os.symlink(os.path.relpath(kept, self.saved), self.saved / analysis.key)
        (self.saved / CHARTS).mkdir()

    def make(self, jobs: int) -> list[Page]:
        """Every output into ``scratch``; the pages as the index lists them."""
        from kamlib.render.pages import page_of

        w = self.run.words
        self._results()
        tasks = self.tasks(jobs)
        done = run_tasks(tasks, jobs, dict(self.done))
        self.counts["charts"] = sum(n.startswith("chart:") for n in tasks)
        self.counts["sheets"] = done.get("workbook") or 0
        self.counts["pages"] = sum(bool(done.get(n)) for n in tasks if n.startswith("page:"))
        if "html" not in self.formats:
            self.counts["pages"] = sum(not a.per_account for a in self.shown)
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
                links = {i: links[i] for i in result.ids if i in links}
                markup = plans_index(analysis, result, links, self.eng, self.generated)
                (self.scratch / "accounts" / "index.html").write_text(markup, encoding="utf-8")
        if "charts" in self.formats:
            (self.scratch / "charts").mkdir()
            for analysis in self.shown:
                for chart in self.located(analysis, done):
                    stem = f"{analysis.key}.{chart['name']}"
                    for suffix in (".png", ".svg"):
                        source = chart["path"].with_suffix(suffix)
                        cache.link(source, self.scratch / "charts" / f"{stem}{suffix}")
        if "html" in self.formats:
            index = render_index(self.eng, shown, self.generated, self.commentary.get(SUMMARY, ""))
            (self.scratch / "index.html").write_text(index, encoding="utf-8")
        shutil.rmtree(self.saved, ignore_errors=True)
        (self.scratch / "results.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.kept.save()
        if "pdf" in self.formats:
            from kamlib.render import book

            book.write_books(self.scratch, self.eng, w, self.generated)
        return shown


def reused_line(reused: dict) -> str:
    """What a render took from the previous report: "the results of industry_selection, 10
    charts, 2 pages, the workbook"."""
    parts = []
    if reused.get("results"):
        parts.append("the results of " + ", ".join(reused["results"]))
    kinds = {"charts": "chart", "pages": "page", "sheets": "workbook sheet"}
    parts += [_count(reused[k], one, f"{one}s") for k, one in kinds.items() if reused.get(k)]
    parts += [f"the {name}" for name in reused.get("outputs", [])]
    return ", ".join(parts)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def written(target: Path) -> str:
    """What a render wrote, counted from the report's stamp: "4 pages, 12 account plans, …"
    (every page of the report's folder, the index included)."""
    files = (output.read_stamp(target) or {}).get("files", [])
    plans = [f for f in files if f.startswith("accounts/") and f.endswith(".html")]
    counts = [
        (sum("/" not in f and f.endswith(".html") for f in files), "page", "pages"),
        (len([p for p in plans if p != "accounts/index.html"]), "account plan", "account plans"),
        (sum(f.endswith(".pdf") for f in files), "PDF", "PDFs"),
        (sum(f.endswith(".xlsx") for f in files), "workbook", "workbooks"),
        (sum(f.endswith(".pptx") for f in files), "slide deck", "slide decks"),
        (sum(f.startswith("tables/") for f in files), "CSV table", "CSV tables"),
        (sum(f.startswith("charts/") and f.endswith(".png") for f in files), "chart", "charts"),
    ]
    parts = [_count(*c) for c in counts]
    shown = [parts[0], *(p for p in parts[1:] if not p.startswith("0 "))]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]
