"""The one renderer: an engagement run computes every analysis once; papermill executes each
analysis' notebook, which reads the saved results; nbconvert turns it into a self-contained
client-ready HTML page; an index page and ``results.json`` tie the report together.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat

from kamlib.analyses.registry import Analysis
from kamlib.core.config import Engagement, load_engagement
from kamlib.core.i18n import Words
from kamlib.core.notes import Note
from kamlib.core.table import to_html
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
        self, cause: str, notebook: str = "", cell: int | None = None, partial: Path | None = None
    ) -> None:
        self.cause = cause
        self.notebook = notebook
        self.cell = cell
        self.partial = partial
        super().__init__(self._message())

    def _message(self) -> str:
        where = f"{self.notebook} failed in cell {self.cell}: " if self.notebook else ""
        kept = f" (partial output kept in {self.partial})" if self.partial else ""
        return f"{where}{self.cause}{kept}"

    def kept_in(self, partial: Path) -> RenderError:
        return RenderError(self.cause, self.notebook, self.cell, partial)


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
    return eng, run_engagement(eng)


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


def _strip(nb: nbformat.NotebookNode, language: str) -> None:
    """Drop cells of the other language and course-only cells, and stderr."""
    other = {tag for tag in LANG_TAGS if tag != language} | {COURSE_TAG}
    cells = []
    for cell in nb.cells:
        if other & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            cell.outputs = [
                out
                for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
        cells.append(cell)
    for number, cell in enumerate(cells):  # stable ids: the same inputs give the same page
        cell["id"] = f"cell-{number}"
    nb.cells = cells


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
        "css": (TEMPLATES / "kam.css").read_text(encoding="utf-8"),
        "generated": generated,
    }


def export_page(
    nb: nbformat.NotebookNode,
    eng: Engagement,
    title: str,
    findings: list[str],
    generated: str,
    plan: bool = False,
) -> str:
    """nbconvert's HTML of an executed notebook in the house template: no code, no prompts."""
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
        "kam": {**_context(eng, generated), "title": title, "findings": findings, "plan": plan}
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


def render_index(eng: Engagement, pages: list[Page], generated: str) -> str:
    """The report's first page: cover, contents and the executive summary."""
    return _jinja().get_template("overview.html.j2").render(**_context(eng, generated), pages=pages)


def _file_name(customer_id: str) -> str:
    return re.sub(r"[^\w.-]", "_", customer_id) or "_"


def _page(
    analysis: Analysis, result: Any, w: Words, notebook: Path, eng: Engagement, generated: str
) -> tuple[Page, str]:
    """Export an executed notebook as the analysis' page."""
    nb = nbformat.read(notebook, as_version=4)
    _strip(nb, eng.language)
    title = w(analysis.key)
    page = Page(
        analysis,
        title,
        f"{analysis.key}.html",
        analysis.findings(result, w),
        list(result.warnings),
    )
    return page, export_page(nb, eng, title, page.findings, generated)


def render_accounts(
    analysis: Analysis,
    result: Any,
    params: dict,
    scratch: Path,
    eng: Engagement,
    engine: str | None,
    generated: str,
) -> Page:
    """One page per account of a per-account result into ``scratch/accounts/``, with the index
    page that ranks them (for account plans, the annual target list)."""
    w = words(eng)
    folder = scratch / "accounts"
    folder.mkdir()
    links = {}
    for customer_id in result.ids:
        name = _file_name(customer_id)
        executed = folder / f"{name}.ipynb"
        execute(analysis.notebook, {**params, "customer_id": customer_id}, executed, engine)
        nb = nbformat.read(executed, as_version=4)
        _strip(nb, eng.language)
        title = analysis.page_title(result, customer_id, w)
        (folder / f"{name}.html").write_text(
            export_page(nb, eng, title, [], generated, plan=True), encoding="utf-8"
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


def render(
    folder: str | Path,
    out: str | Path | None = None,
    engine: str | None = None,
    generated: str | None = None,
    accounts: str | None = None,
    pdf: bool = False,
) -> tuple[Path, list[Page]]:
    """Render an engagement into ``out`` (default ``reports/<folder name>/``), and with
    ``accounts`` (``key``, ``all`` or IDs) one account plan per account into ``accounts/``, and
    with ``pdf`` a PDF beside every page, printed by headless Chromium.

    The engagement run reads and computes everything first (an input mistake stops here, before
    any notebook); everything is written into a scratch folder and moved into place only when
    every page succeeded, so a failure never leaves a half-written report under its final name.
    """
    eng, run = validate_engagement(folder)
    if pdf:
        from kamlib.render.browser import find_chromium

        find_chromium()  # before hours of rendering, not after
    target = Path(out).resolve() if out else default_out(eng)
    target.parent.mkdir(parents=True, exist_ok=True)
    generated = generated or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    w = run.words
    pages: list[Page] = []
    results: dict = {}
    try:
        for analysis in run.analyses:  # a per-account result keeps the chosen accounts only
            if analysis.per_account:
                result = run.results.pop(analysis.key)
                if accounts:
                    run.results[analysis.key] = result.subset(result.select(accounts))
        saved = run.save(scratch / RESULTS_FOLDER)
        params = {**eng.parameters(), "results": str(saved)}
        for analysis in run.analyses:
            if analysis.key not in run.results:
                continue
            result = run.results[analysis.key]
            if analysis.per_account:
                page = render_accounts(analysis, result, params, scratch, eng, engine, generated)
                results.update(analysis.results(result, w))
                pages.append(page)
                continue
            executed = scratch / analysis.notebook
            execute(analysis.notebook, params, executed, engine)
            page, markup = _page(analysis, result, w, executed, eng, generated)
            (scratch / page.html_name).write_text(markup, encoding="utf-8")
            results[analysis.key] = analysis.results(result, w)
            pages.append(page)
        shutil.rmtree(saved)
        (scratch / "index.html").write_text(render_index(eng, pages, generated), encoding="utf-8")
        (scratch / "results.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if pdf:
            from kamlib.render.browser import print_pdfs

            print_pdfs(sorted(scratch.rglob("*.html")), eng.client, eng.title)
        target.mkdir(parents=True, exist_ok=True)
        for item in sorted(scratch.iterdir()):
            if item.is_dir() and (target / item.name).is_dir():
                shutil.rmtree(target / item.name)
            os.replace(item, target / item.name)
    except BaseException as exc:
        failed = target.parent / f"{target.name}.failed"
        shutil.rmtree(failed, ignore_errors=True)
        os.replace(scratch, failed)
        if isinstance(exc, RenderError):
            raise exc.kept_in(failed) from None
        raise
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(target.parent / f"{target.name}.failed", ignore_errors=True)
    return target, pages
