"""The report's HTML pages: nbconvert turns an executed notebook into a self-contained page in the
house template (no code, a contents list, the findings, the consultant's view); the index page
(cover, contents, executive summary) and the account-plan pages come from the same templates.
"""

from __future__ import annotations

import base64
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from markupsafe import Markup

from kamlib.analyses.registry import Analysis
from kamlib.core.commentary import account_key
from kamlib.core.config import Engagement
from kamlib.core.i18n import Words
from kamlib.core.notes import Note
from kamlib.core.table import to_html
from kamlib.render.execute import strip
from kamlib.run import words

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass
class Page:
    """One page of a report: its analysis, title, file and summary."""

    analysis: Analysis
    title: str
    html_name: str
    findings: list[str]
    warnings: list[Note] = field(default_factory=list)


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


@functools.cache
def _exporter():
    """nbconvert's exporter with kam's template, made once per process (a render makes it
    before it forks its workers)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="kam",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        anchor_link_text="",
    )


def warm() -> None:
    """Build what every page needs, before a render forks its workers."""
    exporter = _exporter()
    exporter.environment  # noqa: B018 - the template environment, loaded on first use


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
    resources = {
        "kam": {
            **_context(eng, generated),
            "title": title,
            "findings": findings,
            "plan": plan,
            "commentary": commentary,
        }
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    toc = "".join(
        f'<li class="toc-{level}"><a href="#{anchor}">{text}</a></li>'
        for level, anchor, text in _toc(body)
    )
    return body.replace("<!--KAM-TOC-->", toc, 1)


def jinja() -> jinja2.Environment:
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
        jinja()
        .get_template("overview.html.j2")
        .render(
            **context,
            pages=pages,
            commentary=Markup(commentary),
            summary_title=summary or context["t"]("summary"),
        )
    )


def page_of(analysis: Analysis, result: Any, w: Words) -> Page:
    """The page of an analysis, as the index page lists it."""
    name = "accounts/index.html" if analysis.per_account else f"{analysis.key}.html"
    warnings = [] if analysis.per_account else list(result.warnings)
    return Page(analysis, w(analysis.key), name, analysis.findings(result, w), warnings)


def analysis_page(
    page: Page,
    nb: nbformat.NotebookNode,
    eng: Engagement,
    generated: str,
    commentary: dict[str, str],
    course: bool = False,
) -> str:
    """An analysis' executed notebook as its page."""
    strip(nb, eng.language, page.analysis.notebook, course)
    return export_page(
        nb,
        eng,
        page.title,
        page.findings,
        generated,
        commentary=commentary.get(page.analysis.key, ""),
    )


def plan_page(
    analysis: Analysis,
    result: Any,
    customer_id: str,
    nb: nbformat.NotebookNode,
    eng: Engagement,
    generated: str,
    commentary: dict[str, str],
    course: bool = False,
    name: str = "",
) -> str:
    """One account's executed notebook as its page (``accounts/<name>.html``)."""
    strip(nb, eng.language, f"accounts/{name}.ipynb", course)
    title = analysis.page_title(result, customer_id, words(eng))
    return export_page(
        nb,
        eng,
        title,
        [],
        generated,
        plan=True,
        commentary=commentary.get(account_key(customer_id), ""),
    )


def plans_index(
    analysis: Analysis, result: Any, links: dict[str, str], eng: Engagement, generated: str
) -> str:
    """The index of a per-account analysis' pages, ranking them (for account plans, the
    annual target list); ``links``: each account's page."""
    w = words(eng)
    targets = analysis.index(result, w)
    return (
        jinja()
        .get_template("plans.html.j2")
        .render(
            **_context(eng, generated),
            findings=analysis.findings(result, w),
            table=to_html(targets) if len(targets) else "",
            targets=targets.frame.to_dict("records"),
            links=links,
            title=w(analysis.key),
        )
    )
