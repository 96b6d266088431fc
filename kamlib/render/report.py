"""The one renderer: an engagement run computes every analysis once; papermill executes each
analysis' notebook, which reads the saved results; nbconvert turns it into a self-contained
client-ready HTML page; an index page and ``results.json`` tie the report together.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from markupsafe import Markup

from kamlib.analyses.registry import REGISTRY, Analysis
from kamlib.core.commentary import SUMMARY, account_key, read_commentary
from kamlib.core.commentary import to_html as to_markup
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.notes import Note
from kamlib.core.table import to_html
from kamlib.render import output
from kamlib.run import EngagementRun, run_engagement, words

PACKAGE = Path(__file__).resolve().parent.parent
NOTEBOOKS = PACKAGE / "notebooks"
TEMPLATES = PACKAGE / "templates"
LANG_TAGS = ("zh", "en")
# kamfork renders byte-identical pages (tests/test_engine.py) several times faster; it forks
DEFAULT_ENGINE = "kamfork" if os.name == "posix" else "nbclient"
COURSE_TAG = "course"
RESULTS_FOLDER = ".results"


class RenderError(Exception):
    """A notebook failed (a bug in kam: the engagement run found the input valid).

    Attributes
    ----------
    cause
        What failed, one line.
    notebook
        The notebook's file name.
    cell
        The execution count of the failing cell, when known.
    partial
        Where the partial output is kept, once it is.
    """

    def __init__(
        self,
        cause: str,
        notebook: str = "",
        cell: int | None = None,
        partial: Path | None = None,
        stale: Path | None = None,
    ) -> None:
        self.cause = cause
        self.notebook = notebook
        self.cell = cell
        self.partial = partial
        self.stale = stale
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.notebook} failed in cell {self.cell}: " if self.notebook else ""
        kept = f" (partial output kept in {self.partial})" if self.partial else ""
        stale = (
            f"; the previous report in {self.stale} is marked out of date (OUT-OF-DATE.txt)"
            if self.stale
            else ""
        )
        return f"{where}{self.cause}{kept}{stale}"

    def kept_in(self, partial: Path, stale: Path | None = None) -> RenderError:
        return RenderError(self.cause, self.notebook, self.cell, partial, stale)


@dataclass
class Page:
    """One page of a report: its analysis, title, file and summary."""

    analysis: Analysis
    title: str
    html_name: str
    findings: list[str]
    warnings: list[Note] = field(default_factory=list)


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


def _kernel_name() -> str:
    """The project's kernel when installed (``make setup`` installs it), else the native one."""
    from jupyter_client.kernelspec import KernelSpecManager

    return "kam" if "kam" in KernelSpecManager().find_kernel_specs() else "python3"


def _kernel_options() -> dict:
    """Kernels talk over local sockets (IPC) where the OS has them: no TCP ports to race for, and
    no unencrypted-TCP warning from ipykernel on the user's terminal."""
    if os.name != "posix":
        return {}
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            # a socket path of its own: kernels started at once must not pick the same one
            kwargs.setdefault(
                "ip", os.path.join(tempfile.gettempdir(), f"kam-{uuid.uuid4().hex}-ipc")
            )
            super().__init__(**kwargs)

    return {"kernel_manager_class": IPCKernelManager}


def execute(notebook: str, parameters: dict, output: Path, engine: str | None) -> None:
    """Execute one notebook of ``kamlib/notebooks/`` with papermill into ``output``."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        pm.execute_notebook(
            str(NOTEBOOKS / notebook),
            str(output),
            parameters=parameters,
            engine_name=engine or DEFAULT_ENGINE,
            kernel_name=_kernel_name(),
            cwd=str(output.parent),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            **_kernel_options(),
        )
    except PapermillExecutionError as exc:
        raise RenderError(f"{exc.ename}: {exc.evalue}", notebook, exc.exec_count) from None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _swallowed(cell: nbformat.NotebookNode) -> str | None:
    """The last line of a traceback that a cell printed but did not raise (IPython shows an
    exception in a display formatter on stderr and goes on), or None."""
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
        text = "".join(out.get("text", "")) if kind == "stream" else ""
        if "Traceback (most recent call last)" in text:
            lines = _ANSI.sub("", text).strip().splitlines()
            return lines[-1].strip()
    return None


def _strip(
    nb: nbformat.NotebookNode, language: str, notebook: str = "", course: bool = False
) -> None:
    """Drop cells of the other language, course-only cells (kept in teaching mode, ``course``),
    and stderr.

    Raises
    ------
    RenderError
        A cell shows an error it did not raise: the page would show it, or hide it.
    """
    other = {tag for tag in LANG_TAGS if tag != language} | (set() if course else {COURSE_TAG})
    cells = []
    for cell in nb.cells:
        if other & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            swallowed = _swallowed(cell)
            if swallowed:
                raise RenderError(swallowed, notebook, cell.get("execution_count"))
            cell.outputs = [
                out
                for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
        cells.append(cell)
    cells = _leave_out_sections(cells)
    for number, cell in enumerate(cells):  # stable ids: the same inputs give the same page
        cell["id"] = f"cell-{number}"
    nb.cells = cells


def _leave_out_sections(cells: list) -> list:
    """Cells without the sections whose only output stands for data that were not given (a
    table that ``leave_out``): a section runs from a Markdown cell that starts with a heading to
    the next one, so it leaves the page and the contents."""
    from kamlib.render.display import LEAVE_OUT

    sections: list[list] = [[]]
    for cell in cells:
        if cell.cell_type == "markdown" and "".join(cell.source).lstrip().startswith("#"):
            sections.append([])
        sections[-1].append(cell)

    def gone(section: list) -> bool:
        outputs = [out for c in section if c.cell_type == "code" for out in c.get("outputs", [])]
        return bool(outputs) and all(
            out.get("metadata", {}).get(LEAVE_OUT) is True for out in outputs
        )

    return [cell for section in sections if not gone(section) for cell in section]


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def _toc(body: str) -> list[tuple[int, str, str]]:
    return [
        (int(level), anchor, re.sub(r"<[^>]+>", "", text).strip())
        for level, anchor, text in _HEADING.findall(body)
    ]


def _context(eng: Engagement, generated: str) -> dict:
    w = words(eng)
    return {
        "eng": eng,
        "t": lambda key, **kw: w(key, **kw),
        "w": w,
        "css": report_css(eng),
        "logo": logo_uri(eng),
        "generated": generated,
    }


def css_string(text: str) -> str:
    """Text as a CSS string literal that can close neither the string nor the style element."""
    escaped = "".join(
        ch if ch.isalnum() or ch in " .,:;()-_·" or ord(ch) > 127 else f"\\{ord(ch):x} "
        for ch in " ".join(str(text).split())
    )
    return f'"{escaped}"'


@functools.cache
def _house_css() -> str:
    return (TEMPLATES / "kam.css").read_text(encoding="utf-8")


def report_css(eng: Engagement) -> str:
    """The house stylesheet with the engagement's branding: its accent colour, its watermark
    (on every screen and printed page)."""
    css = _house_css()
    brand = eng.branding
    if brand.colour:
        css += f"\n:root {{ --accent: {brand.colour}; }}\n"
    if brand.watermark:
        css += f"\nbody.kam-page::after {{ content: {css_string(brand.watermark)}; }}\n"
    return css


def logo_uri(eng: Engagement) -> str:
    """The engagement's logo as a data URI (a report has no outside files), or ``""``."""
    return "" if eng.branding.logo is None else _data_uri(eng.branding.logo)


@functools.lru_cache(maxsize=4)
def _data_uri(image: Path) -> str:
    """Read and encoded once per render, not once per page (hundreds with account plans)."""
    kind = "png" if image.suffix.lower() == ".png" else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(image.read_bytes()).decode("ascii")


def export_page(
    nb: nbformat.NotebookNode,
    eng: Engagement,
    title: str,
    findings: list[str],
    generated: str,
    plan: bool = False,
    commentary: str = "",
) -> str:
    """nbconvert's HTML of an executed notebook in the house template: no code, no prompts;
    ``commentary`` (the consultant's view, as inert HTML) before everything computed."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="kam",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        anchor_link_text="",
    )
    resources = {
        "kam": {
            **_context(eng, generated),
            "title": title,
            "findings": findings,
            "plan": plan,
            "commentary": commentary,
        }
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    toc = "".join(
        f'<li class="toc-{level}"><a href="#{anchor}">{text}</a></li>'
        for level, anchor, text in _toc(body)
    )
    return body.replace("<!--KAM-TOC-->", toc, 1)


def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
    )


def render_index(
    eng: Engagement, pages: list[Page], generated: str, commentary: str = "", summary: str = ""
) -> str:
    """The report's first page: cover, contents, the consultant's view and the executive
    summary (``summary``: another title for that section, e.g. a course's list of
    assignments)."""
    context = _context(eng, generated)
    return (
        _jinja()
        .get_template("overview.html.j2")
        .render(
            **context,
            pages=pages,
            commentary=Markup(commentary),
            summary_title=summary or context["t"]("summary"),
        )
    )


def _page(
    analysis: Analysis,
    result: Any,
    w: Words,
    notebook: Path,
    eng: Engagement,
    generated: str,
    commentary: dict[str, str],
    course: bool = False,
) -> tuple[Page, str]:
    """Export an executed notebook as the analysis' page."""
    nb = nbformat.read(notebook, as_version=4)
    _strip(nb, eng.language, notebook.name, course)
    title = w(analysis.key)
    page = Page(
        analysis,
        title,
        f"{analysis.key}.html",
        analysis.findings(result, w),
        list(result.warnings),
    )
    markup = export_page(
        nb, eng, title, page.findings, generated, commentary=commentary.get(analysis.key, "")
    )
    return page, markup


def render_accounts(
    analysis: Analysis,
    result: Any,
    params: dict,
    scratch: Path,
    eng: Engagement,
    engine: str | None,
    generated: str,
    commentary: dict[str, str],
    course: bool = False,
) -> Page:
    """One page per account of a per-account result into ``scratch/accounts/``, with the index
    page that ranks them (for account plans, the annual target list)."""
    w = words(eng)
    folder = scratch / "accounts"
    folder.mkdir()
    links = {}
    for customer_id, name in output.file_stems(list(result.ids)).items():
        executed = folder / f"{name}.ipynb"
        execute(analysis.notebook, {**params, "customer_id": customer_id}, executed, engine)
        nb = nbformat.read(executed, as_version=4)
        _strip(nb, eng.language, f"accounts/{executed.name}", course)
        title = analysis.page_title(result, customer_id, w)
        (folder / f"{name}.html").write_text(
            export_page(
                nb,
                eng,
                title,
                [],
                generated,
                plan=True,
                commentary=commentary.get(account_key(customer_id), ""),
            ),
            encoding="utf-8",
        )
        links[customer_id] = f"{name}.html"
    targets = analysis.index(result, w)
    findings = analysis.findings(result, w)
    markup = (
        _jinja()
        .get_template("plans.html.j2")
        .render(
            **_context(eng, generated),
            findings=findings,
            table=to_html(targets) if len(targets) else "",
            targets=targets.frame.to_dict("records"),
            links=links,
            title=w(analysis.key),
        )
    )
    (folder / "index.html").write_text(markup, encoding="utf-8")
    return Page(analysis, w(analysis.key), "accounts/index.html", findings)


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
) -> tuple[Path, list[Page]]:
    """Render an engagement into ``out`` (default ``reports/<folder name>/``), and with
    ``accounts`` (``key``, ``all`` or IDs) one account plan per account into ``accounts/``.

    ``formats`` (see :func:`parse_formats`; default ``html,xlsx,pptx``): ``html`` the pages,
    ``xlsx`` the workbook and every table as CSV in ``tables/``, ``pptx`` the slide deck
    ``report.pptx``, ``charts`` every chart as PNG and SVG in ``charts/``, ``pdf`` (or
    ``pdf=True``) the PDF book ``report.pdf`` (and ``accounts/plans.pdf``), printed by headless
    Chromium. ``results.json`` is always written. With ``course`` (teaching mode) the pages keep
    the notebooks' ``course`` cells.

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
        run = run_engagement(eng)
        sections = read_commentary(eng.path, REGISTRY)
        commentary = {key: to_markup(text) for key, text in sections.items()}
        _choose_accounts(run, accounts, confirm)
        generated = generated or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
        started = True
        pages = _render_pages(eng, run, scratch, engine, generated, chosen, commentary, course)
        _write_exports(chosen, eng, run, scratch, sections, generated)
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
    finally:
        output.release(target)
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


def _write_exports(
    chosen: set[str],
    eng: Engagement,
    run: EngagementRun,
    scratch: Path,
    commentary: dict[str, str],
    generated: str,
) -> None:
    """What the report holds beside its pages: the workbook and tables, the charts, the deck,
    the PDF book (printed from the pages in ``scratch``)."""
    from kamlib.render import book, deck, export

    if "xlsx" in chosen:
        items = export.exports(run)  # every table and its values, made once for both
        export.write_workbook(eng, run, scratch / "report.xlsx", items)
        export.write_tables(items, scratch / "tables")
    if "charts" in chosen:
        export.write_charts(run, scratch / "charts")
    if "pptx" in chosen:
        deck.write_deck(eng, run, scratch / "report.pptx", commentary)
    if "pdf" in chosen:
        book.write_books(scratch, eng, run.words, generated)


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


def _render_pages(
    eng: Engagement,
    run: EngagementRun,
    scratch: Path,
    engine: str | None,
    generated: str,
    formats: set[str],
    commentary: dict[str, str],
    course: bool = False,
) -> list[Page]:
    """Every page and the index (with ``html``) and results.json into ``scratch``."""
    w = run.words
    pages: list[Page] = []
    results: dict = {}
    saved = run.save(scratch / RESULTS_FOLDER) if "html" in formats else None
    params = {**eng.parameters(), "results": str(saved)}
    for analysis in run.analyses:
        if analysis.key not in run.results:
            continue
        result = run.results[analysis.key]
        entry = analysis.results(result, w)  # a per-account analysis' entry is keyed already
        results.update(entry if analysis.per_account else {analysis.key: entry})
        if saved is None:
            continue
        if analysis.per_account:
            pages.append(
                render_accounts(
                    analysis, result, params, scratch, eng, engine, generated, commentary, course
                )
            )
            continue
        executed = scratch / analysis.notebook
        execute(analysis.notebook, params, executed, engine)
        page, markup = _page(analysis, result, w, executed, eng, generated, commentary, course)
        (scratch / page.html_name).write_text(markup, encoding="utf-8")
        pages.append(page)
    if saved is not None:
        shutil.rmtree(saved)
        index = render_index(eng, pages, generated, commentary.get(SUMMARY, ""))
        (scratch / "index.html").write_text(index, encoding="utf-8")
    (scratch / "results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return pages
