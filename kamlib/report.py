"""The one renderer: papermill executes each applicable notebook with the engagement's parameters,
nbconvert turns it into a self-contained client-ready HTML page, and an index page and
``results.json`` tie the report together. Also the display helpers the notebooks call.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import nbformat
import pandas as pd

from kamlib.config import Engagement, load_engagement
from kamlib.errors import KamError
from kamlib.i18n import t

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TEMPLATES = Path(__file__).resolve().parent / "templates"
RESULTS_MIME = "application/vnd.kam.results+json"
LANG_TAGS = ("zh", "en")
# kamfork renders byte-identical pages (tests/test_engine.py) several times faster; it forks
DEFAULT_ENGINE = "kamfork" if os.name == "posix" else "nbclient"
COURSE_TAG = "course"


@dataclass(frozen=True)
class Analysis:
    """An analysis of the suite: its key in results.json, its notebook and the data it needs."""

    key: str
    notebook: str
    requires: str


ANALYSES = (
    Analysis("industry_selection", "industry_selection.ipynb", "industries"),
    Analysis("customer_segmentation", "customer_segmentation.ipynb", "transactions"),
    Analysis("competitor_analysis", "competitor_analysis.ipynb", "competitors"),
)


# ---------------------------------------------------------------- display helpers for notebooks


def _display(data: dict) -> None:
    from IPython.display import display

    display(data, raw=True)


def show_html(markup: str) -> None:
    """Display trusted markup built by kamlib (every user value already escaped)."""
    _display({"text/html": markup, "text/plain": re.sub(r"<[^>]+>", "", markup)})


def show_findings(findings: list[str]) -> None:
    """Display findings as a list; the text is escaped, never interpreted."""
    items = "".join(f"<li>{html.escape(f)}</li>" for f in findings)
    show_html(f'<ul class="kam-findings">{items}</ul>')


# cells that open with a traffic-light word are coloured
RAG_CLASSES = {
    "红": "rag-red",
    "red": "rag-red",
    "暂缓": "rag-red",
    "no-go": "rag-red",
    "黄": "rag-amber",
    "amber": "rag-amber",
    "绿": "rag-green",
    "green": "rag-green",
    "推进": "rag-green",
    "go": "rag-green",
}
_NUMERIC = re.compile(r"^[−+\-]?[\d,.]+%?$|^—$")


def table_html(frame: pd.DataFrame) -> str:
    """A frame as an HTML table without its index; cells escaped, numeric columns right-aligned."""
    numeric = [
        bool(len(frame)) and frame[c].astype(str).str.match(_NUMERIC).all() for c in frame.columns
    ]
    long = [bool(len(frame)) and frame[c].astype(str).str.len().max() > 24 for c in frame.columns]

    def cls(i: int, value: object = None) -> str:
        rag = RAG_CLASSES.get(str(value).split(" ")[0]) if value is not None else None
        if rag:
            return f' class="{rag}"'
        return ' class="num"' if numeric[i] else ' class="wrap"' if long[i] else ""

    head = "".join(f"<th{cls(i)}>{html.escape(str(c))}</th>" for i, c in enumerate(frame.columns))
    rows = "".join(
        "<tr>"
        + "".join(f"<td{cls(i, v)}>{html.escape(str(v))}</td>" for i, v in enumerate(row))
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f'<table class="kam-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def show_table(frame: pd.DataFrame, caption: str | None = None, empty: str = "") -> None:
    """Display a table without its index; cells are escaped. An empty frame shows ``empty``."""
    if frame.empty:
        show_html(f'<p class="kam-note">{html.escape(empty)}</p>')
        return
    markup = table_html(frame)
    if caption:
        markup = f'<p class="kam-caption">{html.escape(caption)}</p>' + markup
    show_html(markup)


def report_frame(columns: dict[str, list]) -> pd.DataFrame:
    """A one-or-more-column table from lists (e.g. a list of actions under its heading)."""
    return pd.DataFrame(columns)


def show_warnings(warnings: list[str] | tuple[str, ...], language: str) -> None:
    """Display the data-quality warnings of an analysis (or that there are none)."""
    if not warnings:
        show_html(f'<p class="kam-ok">{html.escape(t("no_warnings", language))}</p>')
        return
    items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
    show_html(f'<ul class="kam-warnings">{items}</ul>')


def emit_results(key: str, results: dict, findings: list[str]) -> None:
    """Hand an analysis' key figures and findings to the renderer (invisible in the page)."""
    _display({RESULTS_MIME: {"key": key, "results": results, "findings": findings}})


def setup_notebook() -> None:
    """Chart style and crisp inline images; call once at the top of a notebook."""
    from kamlib.charts import use_style

    use_style()
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")
    except ImportError:  # outside IPython nothing is displayed inline
        pass


# ---------------------------------------------------------------- rendering


@dataclass
class Page:
    analysis: Analysis
    title: str
    html_name: str
    findings: list[str]
    results: dict
    warnings: list[str] = field(default_factory=list)


def applicable(eng: Engagement) -> list[Analysis]:
    """The analyses whose data file is present in the engagement."""
    return [a for a in ANALYSES if eng.data_file(a.requires) is not None]


def validate_engagement(folder: str | Path) -> tuple[Engagement, list[Analysis], list[str]]:
    """Check the yaml and every data file without rendering; returns the warnings found.

    Raises
    ------
    KamError
        The first mistake found.
    """
    from kamlib.competitors import read_inputs as competitor_inputs
    from kamlib.industry import read_inputs as industry_inputs
    from kamlib.segmentation import read_inputs as segmentation_inputs

    eng = load_engagement(folder)
    analyses = applicable(eng)
    if not analyses:
        names = ", ".join(sorted({a.requires for a in ANALYSES}))
        raise KamError(eng.path, f"at least one data file ({names})", "none")
    warnings: list[str] = []
    checks = {
        "industry_selection": industry_inputs,
        "customer_segmentation": segmentation_inputs,
        "competitor_analysis": competitor_inputs,
    }
    read = {}
    for analysis in analyses:
        read[analysis.key] = checks[analysis.key](eng)
        warnings += read[analysis.key].warnings
    if any(eng.data_file(name) for name in ("contacts", "opportunities", "relationships")):
        from kamlib.accounts import known_accounts
        from kamlib.accounts import read_inputs as account_inputs

        known = known_accounts(eng, read.get("customer_segmentation"))  # the ledger read once
        warnings += account_inputs(eng, known).warnings
    return eng, analyses, warnings


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


class RenderError(Exception):
    """An analysis notebook failed; the message says which, why and where its partial copy is."""


def execute(notebook: str, parameters: dict, output: Path, engine: str | None) -> None:
    """Execute one notebook of ``notebooks/`` with papermill into ``output``."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    engine = engine or DEFAULT_ENGINE
    try:
        pm.execute_notebook(
            str(NOTEBOOKS / notebook),
            str(output),
            parameters=parameters,
            engine_name=engine,
            kernel_name=_kernel_name(),
            cwd=str(NOTEBOOKS),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            **_kernel_options(),
        )
    except PapermillExecutionError as exc:
        if exc.ename == "KamError":
            raise RenderError(exc.evalue) from None
        raise RenderError(
            f"{notebook} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
        ) from None


def _strip(nb: nbformat.NotebookNode, language: str) -> dict:
    """Drop cells of the other language and course-only cells, stderr and the results payload;
    return the payload."""
    payload: dict = {}
    other = {tag for tag in LANG_TAGS if tag != language} | {COURSE_TAG}
    cells = []
    for cell in nb.cells:
        if other & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            kept = []
            for out in cell.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    continue
                data = out.get("data", {})
                if RESULTS_MIME in data:
                    payload = dict(data[RESULTS_MIME])
                    continue
                kept.append(out)
            cell.outputs = kept
        cells.append(cell)
    for number, cell in enumerate(cells):  # stable ids: the same inputs give the same page
        cell["id"] = f"cell-{number}"
    nb.cells = cells
    return payload


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def _toc(body: str) -> list[tuple[int, str, str]]:
    return [
        (int(level), anchor, re.sub(r"<[^>]+>", "", text).strip())
        for level, anchor, text in _HEADING.findall(body)
    ]


def _css() -> str:
    return (TEMPLATES / "kam.css").read_text(encoding="utf-8")


def _context(eng: Engagement, generated: str) -> dict:
    return {
        "eng": eng,
        "lang": eng.language,
        "t": lambda key, **kw: t(key, eng.language, **kw),
        "css": _css(),
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


def render_index(eng: Engagement, pages: list[Page], generated: str) -> str:
    """The report's first page: cover, contents and the executive summary."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env.get_template("overview.html.j2").render(**_context(eng, generated), pages=pages)


def _file_name(customer_id: str) -> str:
    return re.sub(r"[^\w.-]", "_", customer_id) or "_"


def render_plans(
    eng: Engagement, choice: str, scratch: Path, engine: str | None, generated: str
) -> tuple[Page, list[dict]]:
    """One account plan per selected account into ``scratch/accounts/``, with the index page
    that ranks them (the annual target list)."""
    from kamlib.accounts import account_context, select_accounts, target_list, targets_view
    from kamlib.accounts import read_inputs as account_inputs

    context = account_context(eng)
    inputs = account_inputs(eng, context.known)
    ids = select_accounts(choice, context, inputs)
    folder = scratch / "accounts"
    folder.mkdir()
    # computed once here, read by every plan: segmenting the ledger once, not once a plan
    saved = scratch / ".account-context.json"
    context.save(saved)
    lang = eng.language
    rows, plans, links = [], [], {}
    for customer_id in ids:
        name = _file_name(customer_id)
        executed = folder / f"{name}.ipynb"
        execute(
            "account_plan.ipynb",
            {**eng.parameters(), "customer_id": customer_id, "context_file": str(saved)},
            executed,
            engine,
        )
        nb = nbformat.read(executed, as_version=4)
        payload = _strip(nb, lang)
        row = payload["results"]["target"]
        title = (
            f"{t('account_plan', lang)}：{row['name']}"
            if lang == "zh"
            else f"{t('account_plan', lang)}: {row['name']}"
        )
        (folder / f"{name}.html").write_text(
            export_page(nb, eng, title, [], generated, plan=True), encoding="utf-8"
        )
        rows.append(row)
        plans.append(payload["results"]["plan"])
        links[customer_id] = f"{name}.html"
    targets = target_list(rows)
    table = targets_view(targets, lang)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    markup = env.get_template("plans.html.j2").render(
        **_context(eng, generated),
        table=table_html(table) if len(table) else "",
        targets=targets.to_dict("records") if len(targets) else [],
        links=links,
        title=t("account_plans", lang),
    )
    (folder / "index.html").write_text(markup, encoding="utf-8")
    saved.unlink()
    go = sum(1 for p in plans if p["go"])
    flagged = sum(1 for p in plans if p["red_flags"])
    finding = t("f_plans", lang, n=len(plans), go=go, flagged=flagged)
    page = Page(
        Analysis("account_plans", "account_plan.ipynb", "contacts"),
        t("account_plans", lang),
        "accounts/index.html",
        [finding],
        {"account_plans": plans},
    )
    return page, plans


def default_out(eng: Engagement) -> Path:
    return ROOT / "reports" / eng.name


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

    Everything is written into a scratch folder first and moved into place only when every
    analysis succeeded, so a failure never leaves a half-written report under its final name.
    """
    eng, analyses, _ = validate_engagement(folder)
    if pdf:
        from kamlib.browser import find_chromium

        find_chromium()  # before hours of rendering, not after
    target = Path(out).resolve() if out else default_out(eng)
    target.parent.mkdir(parents=True, exist_ok=True)
    generated = generated or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    pages: list[Page] = []
    results: dict = {}
    try:
        for analysis in analyses:
            executed = scratch / analysis.notebook
            execute(analysis.notebook, eng.parameters(), executed, engine)
            nb = nbformat.read(executed, as_version=4)
            payload = _strip(nb, eng.language)
            if payload.get("key") != analysis.key:
                raise RenderError(f"the {analysis.key} notebook produced no results")
            title = t(analysis.key, eng.language)
            page = Page(
                analysis,
                title,
                f"{analysis.key}.html",
                payload["findings"],
                payload["results"],
                payload["results"].get("warnings", []),
            )
            (scratch / page.html_name).write_text(
                export_page(nb, eng, title, page.findings, generated), encoding="utf-8"
            )
            results[analysis.key] = page.results
            pages.append(page)
        if accounts:
            page, plans = render_plans(eng, accounts, scratch, engine, generated)
            results["account_plans"] = plans
            pages.append(page)
        (scratch / "index.html").write_text(render_index(eng, pages, generated), encoding="utf-8")
        (scratch / "results.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if pdf:
            from kamlib.browser import print_pdfs

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
            raise RenderError(f"{exc} (partial output kept in {failed})") from None
        raise
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(target.parent / f"{target.name}.failed", ignore_errors=True)
    return target, pages
