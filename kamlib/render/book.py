"""The PDF book: the whole report as one ``report.pdf`` (cover, contents with page numbers and
working links, every analysis with its appendix), and the account plans as ``accounts/plans.pdf``
(one plan a page), printed by headless Chromium from the report's own pages.

- Chapters start on a new page; nothing else forces a break.
- No table is clipped: before printing, every table wider than the page is measured in the
  browser and shrunk to fit (cells wrap first).
- The contents' page numbers come from the printed PDF itself: a first print, whose named
  destinations give the page of every chapter and section, then the final print with them.
- Text copies as the characters shown: Chromium writes each glyph's lowest code point into the
  PDF's text map, which turns 行 into the Kangxi radical ⾏ and a space into U+0001; the book's
  font is the report's CJK font without those code points in its character map.
- No path of the consultant's machine and no link to a file: links between pages become links
  inside the book, links to plan pages become plain text.
"""

from __future__ import annotations

import html
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from kamlib.core.config import Engagement
from kamlib.core.i18n import Words, register

register(
    "book",
    {
        "book_table_part": {
            "zh": "（续上表，第 {k}/{n} 部分）",
            "en": "(the table above, continued: part {k} of {n})",
        },
    },
)

CJK_FONTS = '"Kam Book CJK", "Noto Sans CJK SC", sans-serif'
LATIN_FONTS = '"Liberation Sans", Arial, "Helvetica Neue", "DejaVu Sans"'
"""The book's fonts: in English a Latin font first (quotes and parentheses half-width), the CJK
font after it for Chinese names; in Chinese the CJK font alone."""

MAIN = re.compile(r'<main class="kam-main">(.*)</main>', re.S)
ID = re.compile(r'\bid="([^"]*)"')
HREF = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)
UNMAPPED = ((0x00, 0x1F), (0x7F, 0x9F), (0x2E80, 0x2FDF), (0x31C0, 0x31EF))
"""Code points that share a glyph with the character meant and come before it: the control
characters (the space's glyph: a space would copy as U+0001), and the CJK Radicals Supplement,
Kangxi Radicals and CJK Strokes (行 would copy as ⾏)."""
CONTENT_WIDTH_PX = 703  # A4 less 12 mm margins each side, at 96 px an inch
MIN_ZOOM = 0.86
"""A printed table is shrunk at most to this: its 11 pt × 0.85 type stays at 8 pt or more."""
FIT_TABLES = """({width, minZoom, labels}) => {
  // Every table to the page's width. One that would need type below 8 pt is split into
  // column groups, each repeating the first column and the decisive ones (th.keep), in
  // order, each group after the one before; each part after the first says it continues.
  const lang = document.documentElement.lang.startsWith('zh') ? 'zh' : 'en';
  const fit = (t) => {
    t.style.zoom = '';
    const wide = t.scrollWidth;
    if (wide > width) t.style.zoom = String(Math.max(width / wide, minZoom));
    return wide > width;
  };
  // a heading and its text stay on the page of the chart they introduce: one block
  for (const md of [...document.querySelectorAll('.jp-MarkdownCell')]) {
    const next = md.nextElementSibling;
    const first = next && next.classList.contains('jp-CodeCell')
      ? next.querySelector('.jp-OutputArea-child') : null;
    if (!first || !first.querySelector('img')) continue;
    const block = document.createElement('div');
    block.className = 'kam-keep';
    block.style.breakInside = 'avoid';
    md.before(block);
    block.append(md, first);
  }
  let changed = 0;
  for (const t of [...document.querySelectorAll('table')]) {
    t.style.zoom = '';
    const wide = t.scrollWidth;
    if (wide <= width) continue;
    changed += 1;
    const head = t.tHead ? [...t.tHead.rows[0].cells] : [];
    if (wide * minZoom <= width || !t.classList.contains('kam-table') || head.length < 3) {
      fit(t);
      continue;
    }
    const widths = head.map((h) => h.getBoundingClientRect().width);
    const keep = head.map((h, i) => i === 0 || h.classList.contains('keep'));
    const room = width / minZoom - widths.reduce((sum, w, i) => sum + (keep[i] ? w : 0), 0);
    const rest = head.map((h, i) => i).filter((i) => !keep[i]);
    const total = rest.reduce((sum, i) => sum + widths[i], 0);
    // as few groups as fit, of about equal width: never a last group of one column
    const share = total / Math.max(1, Math.ceil(total / Math.max(room, 1)));
    const groups = [];
    let group = [], used = 0;
    for (const i of rest) {
      if (group.length && (used + widths[i] > room || used + widths[i] / 2 > share)) {
        groups.push(group);
        group = [];
        used = 0;
      }
      group.push(i);
      used += widths[i];
    }
    if (group.length) groups.push(group);
    const box = t.closest('.kam-scroll') || t;
    let after = box;
    groups.forEach((cols, k) => {
      const part = t.cloneNode(true);
      for (const row of part.rows) {
        [...row.cells].forEach((cell, i) => { if (!keep[i] && !cols.includes(i)) cell.remove(); });
      }
      const holder = document.createElement('div');
      holder.className = 'kam-scroll kam-part';
      if (k > 0) {
        const note = document.createElement('p');
        note.className = 'kam-caption';
        note.textContent = labels[lang].replace('{k}', k + 1).replace('{n}', groups.length);
        holder.appendChild(note);
      }
      holder.appendChild(part);
      after.after(holder);
      after = holder;
      fit(part);
    });
    box.remove();
  }
  return changed;
}"""


@dataclass
class Chapter:
    anchor: str
    title: str
    body: str
    sections: list[tuple[str, str]]
    heading: bool = True  # the summary brings its own


def _book_font(folder: Path) -> Path | None:
    """The report's CJK font without :data:`UNMAPPED` in its character map (the glyphs stay;
    only the table of code points changes, so this takes a second, not a re-encoding)."""
    from fontTools.ttLib import TTFont

    from kamlib.core.charts import _font_file

    source = _font_file()
    if source is None:
        return None
    font = TTFont(str(source), lazy=True)
    for table in font["cmap"].tables:
        for code in [c for c in table.cmap if any(lo <= c <= hi for lo, hi in UNMAPPED)]:
            del table.cmap[code]
    for tag in [t for t in font.tables if t not in ("cmap", "GlyphOrder")]:
        font.tables.pop(tag)  # written back as they were read
    target = folder / "kam-book.otf"
    font.save(str(target))
    return target


def _chapter(anchor: str, title: str, markup: str, links: dict[str, str]) -> Chapter:
    """A page's main content as a chapter: its ids made unique in the book, its links pointed
    at chapters, links to other files dropped (their text stays)."""
    found = MAIN.search(markup)
    body = found.group(1) if found else ""
    body = ID.sub(lambda m: f'id="{anchor}--{m.group(1)}"', body)

    def link(m: re.Match) -> str:
        before, href, after, text = m.groups()
        if href.startswith("#"):
            return f'<a{before}href="#{anchor}--{href[1:]}"{after}>{text}</a>'
        if href in links:
            return f'<a{before}href="#{links[href]}"{after}>{text}</a>'
        if href.startswith(("https://", "http://", "mailto:")):
            return m.group(0)
        return text

    body = HREF.sub(link, body)
    sections = [
        (target, re.sub(r"<[^>]+>", "", text).strip())
        for target, text in H2.findall(body)
        if unquote(target)
    ]
    return Chapter(anchor, title, body, sections)


NAV = re.compile(r'<li class="toc-2"><a href="([^"#]+\.html)">(.*?)</a></li>')


def chapters(folder: Path, w: Words) -> list[Chapter]:
    """The report's chapters in the order of its first page's contents: the summary, then each
    page it lists."""
    index = _read(folder / "index.html")
    listed = [(href, html.unescape(title)) for href, title in NAV.findall(index)]
    links = {"index.html": "summary"}
    links.update({href: _anchor(href) for href, _ in listed})
    found = [_chapter("summary", w("summary"), index, links)]
    found[0].heading = False
    for href, title in listed:
        found.append(_chapter(_anchor(href), title, _read(folder / href), links))
    return found


def _anchor(href: str) -> str:
    return "ch-" + re.sub(r"[^\w-]", "-", href.removesuffix(".html"))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _compose(
    eng: Engagement,
    w: Words,
    css: str,
    font: Path | None,
    parts: list[Chapter],
    numbers: dict[str, int],
    cover: bool,
    plan: bool,
    generated: str,
) -> str:
    from kamlib.render.pages import css_string, jinja, logo_uri

    face = (
        f'@font-face {{ font-family: "Kam Book CJK"; src: url("{font.as_uri()}"); }}'
        if font is not None
        else ""
    )
    return (
        jinja()
        .get_template("book.html.j2")
        .render(
            eng=eng,
            w=w,
            t=lambda key, **kw: w(key, **kw),
            css=css,
            face=face,
            fonts=f"{LATIN_FONTS}, {CJK_FONTS}" if w.latin_first else CJK_FONTS,
            client=css_string(eng.client),
            title=css_string(eng.title),
            footer=css_string(eng.branding.footer),
            logo=logo_uri(eng),
            chapters=parts,
            numbers=numbers,
            cover=cover,
            plan=plan,
            generated=generated,
        )
    )


def _print(chromium, source: Path, target: Path) -> None:
    page = chromium.new_page(viewport={"width": CONTENT_WIDTH_PX, "height": 1000})
    try:
        page.emulate_media(media="print")
        page.goto(source.as_uri(), wait_until="load")
        page.evaluate("() => document.fonts.ready")
        labels = {lang: Words(lang)("book_table_part", k="{k}", n="{n}") for lang in ("zh", "en")}
        page.evaluate(
            FIT_TABLES, {"width": CONTENT_WIDTH_PX, "minZoom": MIN_ZOOM, "labels": labels}
        )
        page.pdf(path=str(target), print_background=True, prefer_css_page_size=True)
    finally:
        page.close()


def _page_numbers(pdf: Path) -> dict[str, int]:
    """Every named destination of a printed book and its page number (1-based)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    return {
        name.lstrip("/"): reader.get_destination_page_number(dest) + 1
        for name, dest in reader.named_destinations.items()
    }


def write_books(
    folder: Path, eng: Engagement, w: Words, generated: str, chromium=None
) -> list[Path]:
    """``folder/report.pdf`` from the rendered report in ``folder``, and
    ``folder/accounts/plans.pdf`` when it has account plans."""
    if chromium is None:
        from kamlib.render.browser import browser

        with browser() as opened:
            return write_books(folder, eng, w, generated, opened)
    from kamlib.render.pages import report_css

    css = report_css(eng)
    written = []
    with tempfile.TemporaryDirectory(prefix="kam-book-") as work:
        work = Path(work)
        font = _book_font(work)
        parts = chapters(folder, w)
        source = work / "book.html"
        numbers: dict[str, int] = {}
        for _ in range(2):  # the second print knows the page numbers of the first
            source.write_text(
                _compose(eng, w, css, font, parts, numbers, True, False, generated),
                encoding="utf-8",
            )
            _print(chromium, source, folder / "report.pdf")
            numbers = _page_numbers(folder / "report.pdf")
        written.append(folder / "report.pdf")
        plans = _plan_files(folder / "accounts")
        if plans:
            parts = [
                _chapter(f"plan-{n}", _title(_read(p)), _read(p), {}) for n, p in enumerate(plans)
            ]
            source.write_text(
                _compose(eng, w, css, font, parts, {}, False, True, generated), encoding="utf-8"
            )
            _print(chromium, source, folder / "accounts" / "plans.pdf")
            written.append(folder / "accounts" / "plans.pdf")
    return written


def _plan_files(folder: Path) -> list[Path]:
    """The plan pages in the order of the annual target list (its links)."""
    if not (folder / "index.html").is_file():
        return []
    index = _read(folder / "index.html")
    listed = re.search(r'<ol class="kam-plan-links">(.*?)</ol>', index, re.S)
    names = re.findall(r'href="([^"#/]+\.html)"', listed.group(1)) if listed else []
    return [folder / unquote(name) for name in names if (folder / unquote(name)).is_file()]


def _title(markup: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", markup, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip() if found else ""


def print_pages(pages: list[tuple[Path, Path]], chromium=None) -> None:
    """Print each HTML page (``source``, ``target``) to PDF as it is, tables fitted to A4 and
    its text in the book's font (so that it copies as the characters shown)."""
    if chromium is None:
        from kamlib.render.browser import browser

        with browser() as opened:
            return print_pages(pages, opened)
    with tempfile.TemporaryDirectory(prefix="kam-print-") as work:
        work = Path(work)
        font = _book_font(work)
        face = (
            f'<style>@font-face {{ font-family: "Kam Book CJK"; src: url("{font.as_uri()}"); }}'
            ' body, body * { font-family: "Kam Book CJK", "Noto Sans CJK SC", sans-serif '
            "!important; }</style>"
            if font is not None
            else ""
        )
        for source, target in pages:
            page = work / "page.html"
            page.write_text(_read(source).replace("</head>", face + "</head>", 1), "utf-8")
            _print(chromium, page, target)
