"""``report.pptx``: the report as a 16:9 slide deck, built from the run's results (no notebook).

A title slide, the executive summary (each analysis' first findings and the consultant's
``summary``), then for each analysis a slide of its findings (with its commentary), one slide per
chart (a picture drawn by the analysis' ``charts`` in the house style, its aspect ratio kept) and
its key table (top rows, an editable table with the report's cell texts). Speaker notes hold a
method summary of each analysis, its data-quality notes and whatever a slide had to leave out.

Every text is editable text in its box: sizes are chosen, and text shortened, by measuring it
(conservatively, with DejaVu Sans for Latin and one em for East Asian characters) so that nothing
runs off a box or the slide. East Asian text carries its own typeface (``a:ea``), so Chinese shows
in PowerPoint and LibreOffice alike. The same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kamlib.analyses.registry import REGISTRY, Analysis
from kamlib.core.charts import CJK_FONT
from kamlib.core.commentary import SUMMARY, Span, to_blocks
from kamlib.core.config import Engagement
from kamlib.core.i18n import Words, register
from kamlib.core.table import NUMERIC, Table, cell_class, format_cell
from kamlib.run import EngagementRun

register(
    "deck",
    {
        "deck_lang": {"zh": "zh-CN", "en": "en-US"},
        "deck_findings": {"zh": "主要发现", "en": "key findings"},
        "deck_top_rows": {
            "zh": "显示前 {shown} 行（共 {total} 行）；全部行在工作簿中。",
            "en": "The first {shown} of {total} rows; every row is in the workbook.",
        },
        "deck_all_findings": {"zh": "全部发现", "en": "All findings"},
        "deck_continued": {"zh": "{title}（续）", "en": "{title} (continued)"},
        "deck_rows": {
            "zh": "第 {first}–{last} 行（共 {total} 行）。",
            "en": "Rows {first}–{last} of {total}.",
        },
    },
)

KEY_TABLES = {key: a.key_table for key, a in REGISTRY.items() if a.key_table}
"""The table a deck shows of each analysis, from the registry (``Analysis.key_table``); any
other analysis shows its first table."""

# geometry, in points (a 16:9 slide of 13.33 × 7.5 inches)
SLIDE_W, SLIDE_H = 960.0, 540.0
MARGIN = 36.0
CONTENT_TOP, CONTENT_BOTTOM = 104.0, 494.0
FOOTER_TOP = 508.0
LINE = 1.25
"""Line height as a multiple of the font size (set exactly on every paragraph)."""
SAFETY = 4.0
"""Points kept free at the end of every line and the bottom of every box."""
TOP_ROWS = 14
"""The rows a table slide shows at most (fewer when they do not fit at a legible size)."""
TABLE_SLIDES = 5
"""The slides a key table continues onto at most: the rest is in the workbook."""
CENTRED = frozenset({"star", "go", "rag", "rag_score"})
"""Table formats shown centred (marks and traffic lights); numbers right, the rest left."""
CELL_LINES = 3
"""At most this many lines in a table cell (longer text is shortened with …)."""
CELL_X, CELL_Y = 5.0, 2.5

INK, MUTED, SOFT, WHITE = "1F2933", "52606D", "F0F4F8", "FFFFFF"
RAG_COLOURS = {"rag-red": "9B1C1C", "rag-amber": "8A5A00", "rag-green": "1F6F43"}
ELLIPSIS = "…"
AUTOSPACE = 0.3
FIELD_IDS = uuid.UUID("6c1f7b45-4a0c-4e43-9c34-2b7c5e3a1d01")
"""Slide-number fields get ids derived from this and their slide's number: the same each run."""


@dataclass(frozen=True)
class Branding:
    """How the deck looks: the accent colour (``"1D4E89"`` or ``"#1d4e89"``), a logo (PNG or
    JPEG, on the title slide and in the corner of every other slide) and the typefaces (Latin,
    East Asian)."""

    colour: str = "1D4E89"
    logo: Path | None = None
    latin_font: str = "Arial"
    east_asian_font: str = CJK_FONT

    def __post_init__(self) -> None:
        if not re.fullmatch(r"#?[0-9A-Fa-f]{6}", self.colour):
            raise ValueError(f"branding colour {self.colour!r}: expected six hex digits")

    @property
    def accent(self) -> str:
        return self.colour.lstrip("#").upper()


# -- measuring text ---------------------------------------------------------------------------


@functools.cache
def _font(bold: bool):
    from matplotlib import font_manager
    from PIL import ImageFont

    weight = "bold" if bold else "normal"
    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight=weight))
    return ImageFont.truetype(path, 1000)


@functools.cache
def _advance(ch: str, bold: bool) -> float:
    """A character's width in ems: one em for East Asian (and ambiguous) characters, DejaVu Sans
    (wider than Arial and most Latin faces) for the rest."""
    if unicodedata.east_asian_width(ch) in "WFA":
        return 1.0
    return _font(bold).getlength(ch) / 1000


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def measure(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` in points at ``size``, with the space LibreOffice puts between East
    Asian and other characters (a quarter em; counted as 0.3)."""
    width = sum(_advance(ch, bold) for ch in text)
    kinds = [_wide(ch) for ch in text if not ch.isspace()]
    width += AUTOSPACE * sum(a != b for a, b in zip(kinds, kinds[1:]))
    return width * size


NO_LINE_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}%…")
_TOKEN = re.compile(
    r"\s+|[^\s\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]+|."
)


_AFTER = re.compile(r"(?<=[/-])(?=[^/-])")


def _tokens(text: str) -> list[str]:
    """Where a line may break: between words, around each East Asian character; closing
    punctuation stays with what it follows."""
    tokens: list[list[str]] = []  # parts joined once at the end: linear in the text
    for tok in (part for t in _TOKEN.findall(text) for part in _AFTER.split(t) if part):
        if tokens and (tok[0] in NO_LINE_START or tok.isspace()):
            tokens[-1].append(tok)
        else:
            tokens.append([tok])
    return ["".join(parts) for parts in tokens]


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (greedy, as PowerPoint does; a
    word longer than a line is broken anywhere). Each character is measured once or twice, so
    the time is linear in the text (measured as :func:`measure` does, a line's width kept as it
    grows)."""

    def grow(state: tuple[float, bool | None], piece: str) -> tuple[float, bool | None]:
        """(width in ems, kind of the last character that is not a space) of a line + piece."""
        ems, last = state
        for ch in piece:
            ems += _advance(ch, bold)
            if not ch.isspace():
                kind = _wide(ch)
                ems += AUTOSPACE if last is not None and kind != last else 0.0
                last = kind
        return ems, last

    empty: tuple[float, bool | None] = (0.0, None)
    lines: list[str] = []
    parts: list[str] = []  # the line being filled
    state = empty  # its width, trailing spaces included
    for tok in _tokens(text):
        core = tok.rstrip()
        if parts:
            trial = grow(state, core)
            if trial[0] * size <= width:
                parts.append(tok)
                state = grow(trial, tok[len(core) :])
                continue
            lines.append("".join(parts).rstrip())
            tok = tok.lstrip()
            core = tok.rstrip()
        start = 0  # tok[start:] is what is left of it: cut while it is wider than the line
        while len(tok) - start > 1:
            cut, fill = 1, grow(empty, tok[start])
            while start + cut < len(core):
                wider = grow(fill, tok[start + cut])
                if wider[0] * size > width:
                    break
                cut, fill = cut + 1, wider
            if start + cut >= len(core) and fill[0] * size <= width:
                break  # the rest fits
            lines.append(tok[start : start + cut])
            start += cut
        parts, state = [tok[start:]], grow(empty, tok[start:])
    line = "".join(parts)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def clip(text: str, width: float, size: float, max_lines: int, bold: bool = False) -> str:
    """``text`` unchanged when it fits in ``max_lines`` lines, else its longest start that fits
    with ``…`` (looked for among starts twice as long each time, then halving: the time is that
    of the start shown, not of the whole text)."""
    if len(wrap(text, width, size, bold)) <= max_lines:
        return text

    def fits(length: int) -> bool:
        return len(wrap(text[:length].rstrip() + ELLIPSIS, width, size, bold)) <= max_lines

    low, high = 0, 64
    while high < len(text) and fits(high):
        low, high = high, 2 * high
    high = len(text) if high >= len(text) else high - 1  # a short text: searched as a whole
    while low < high:  # the longest prefix that still fits
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    head = text[:low]
    space = head.rfind(" ")
    if _latin(text[low : low + 1]) and _latin(head[-1:]) and 0 < space > low - 20:
        head = head[:space]  # a Latin word is not cut in two
    return head.rstrip() + ELLIPSIS


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_CONTROL = re.compile(r"[\x00-\x1f\x7f\ufffe\uffff]")


def plain(text: Any) -> str:
    """Text for a slide: control characters and line breaks as spaces (XML has no place for
    them)."""
    return _CONTROL.sub(" ", str(text))


# -- paragraphs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run(Span):
    """A run of a paragraph: a span of text (bold, italic, a link) in a colour (default ink)."""

    colour: str = ""


@dataclass(frozen=True)
class Para:
    """A paragraph of a text box: its runs, its size relative to the box's, a bullet (``•`` or
    ``1.``) at ``depth``, space before it (in lines of its size) and at most ``max_lines`` lines
    (0: all)."""

    runs: tuple[Run, ...]
    scale: float = 1.0
    bullet: str = ""
    depth: int = 0
    gap: float = 0.0
    max_lines: int = 0

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def bold(self) -> bool:
        return any(r.bold for r in self.runs)

    def hanging(self, size: float) -> float:
        """The room of its bullet, in points."""
        return (2.0 if self.bullet.endswith(".") else 1.5) * size * self.scale

    def indent(self, size: float) -> float:
        """The left margin of its text, in points (a list item's second paragraph too)."""
        if not self.depth:
            return 0.0
        return self.hanging(size) + 1.2 * size * self.scale * (self.depth - 1)

    def lines(self, width: float, size: float) -> int:
        count = len(wrap(self.text, width - self.indent(size), size * self.scale, self.bold))
        return min(count, self.max_lines) if self.max_lines else count

    def height(self, width: float, size: float) -> float:
        own = size * self.scale
        return (self.gap + LINE * self.lines(width, size)) * own

    def clipped(self, width: float, size: float, max_lines: int) -> Para:
        """The paragraph shortened to ``max_lines`` lines (its runs cut, ``…`` at the end)."""
        own, text = size * self.scale, self.text
        if not max_lines:
            return self
        short = clip(text, width - self.indent(size), own, max_lines, self.bold)
        if short == text:
            return self
        keep, runs = len(short) - 1, []
        for run in self.runs:
            if keep <= 0:
                break
            runs.append(replace(run, text=run.text[:keep]))
            keep -= len(run.text)
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip() + ELLIPSIS)
        return replace(self, runs=tuple(runs), max_lines=0)


def para(text: str, **kwargs: Any) -> Para:
    """A paragraph of one run: ``bold``, ``italic``, ``colour`` go to the run."""
    run = {k: kwargs.pop(k) for k in ("bold", "italic", "colour") if k in kwargs}
    return Para((Run(plain(text), **run),), **kwargs)


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float
    inset: float = 0.0

    @property
    def inner(self) -> float:
        return self.width - 2 * self.inset - SAFETY

    def holds(self, paras: Sequence[Para], size: float) -> bool:
        used = sum(p.height(self.inner, size) for p in paras)
        return used <= self.height - 2 * self.inset - SAFETY


def fit(
    box: Box, candidates: Iterable[Sequence[Para]], sizes: Sequence[float]
) -> tuple[list[Para], float]:
    """The first candidate (the fullest first) that fits the box at the largest of ``sizes``;
    see :func:`fit_first`."""
    return fit_first(box, [(paras, sizes) for paras in candidates])


def fit_first(
    box: Box, attempts: Sequence[tuple[Sequence[Para], Sequence[float]]]
) -> tuple[list[Para], float]:
    """The first attempt ``(paragraphs, sizes)`` whose paragraphs fit the box at one of its
    sizes (the largest that does). When none does, the last attempt at its smallest size, the
    paragraphs that do not fit left out and the last one shortened: never more than the box."""
    for paras, sizes in attempts:
        for size in sizes:
            if box.holds(paras, size):
                return [p.clipped(box.inner, size, p.max_lines) for p in paras], size
    last, sizes = attempts[-1]
    size, room, kept = sizes[-1], box.height - 2 * box.inset - SAFETY, []
    for p in last:
        p = p.clipped(box.inner, size, p.max_lines)
        height = p.height(box.inner, size)
        if height <= room:
            kept.append(p)
            room -= height
            continue
        lines = int((room / (size * p.scale) - p.gap) / LINE)
        if lines >= 1:
            kept.append(p.clipped(box.inner, size, lines))
        elif kept:  # what is left out is marked on the last paragraph shown
            lines = kept[-1].lines(box.inner, size)
            kept[-1] = replace(kept[-1], runs=(*kept[-1].runs, Run(ELLIPSIS)))
            kept[-1] = kept[-1].clipped(box.inner, size, lines)
        break
    return kept, size


# -- the deck ---------------------------------------------------------------------------------


@dataclass
class Deck:
    """A presentation being built, with the words and branding of the report."""

    eng: Engagement
    words: Words
    branding: Branding = field(default_factory=Branding)

    def __post_init__(self) -> None:
        from pptx import Presentation
        from pptx.util import Pt

        self.prs = Presentation()
        ratio = Pt(SLIDE_W) / self.prs.slide_width
        self.prs.slide_width, self.prs.slide_height = Pt(SLIDE_W), Pt(SLIDE_H)
        master = self.prs.slide_master
        for holder in [master, *master.slide_layouts]:  # the 4:3 template's shapes made 16:9
            for shape in holder.shapes:
                if shape.left is not None:
                    shape.left, shape.width = int(shape.left * ratio), int(shape.width * ratio)
        self.layout = master.slide_layouts[5]  # title only
        self.theme_fonts()
        self.lang = self.words("deck_lang")
        parts = (self.eng.branding.footer, self.eng.client, self.eng.title)
        self.footer = plain(" · ".join(t for t in parts if t))

    def theme_fonts(self) -> None:
        """The theme's heading and body typefaces are the report's (Latin and East Asian), so
        that a text box the consultant adds is set like kam's, not in the template's Calibri."""
        from lxml import etree
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT

        theme = self.prs.slide_master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob)
        drawing = "http://schemas.openxmlformats.org/drawingml/2006/main"
        for kind in ("majorFont", "minorFont"):
            for face, typeface in (
                ("latin", self.branding.latin_font),
                ("ea", self.branding.east_asian_font),
            ):
                for element in root.iter(f"{{{drawing}}}{kind}"):
                    element.find(f"{{{drawing}}}{face}").set("typeface", typeface)
        theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # runs and paragraphs
    def style(self, run, size: float, bold=False, italic=False, colour: str = "") -> None:
        """A run's font: size, weight, colour, the Latin and the East Asian typeface."""
        from pptx.dml.color import RGBColor
        from pptx.oxml.ns import qn
        from pptx.util import Pt

        font = run.font
        font.size = Pt(size)
        font.bold, font.italic = bold, italic
        font.color.rgb = RGBColor.from_string(colour or INK)
        font.name = self.branding.latin_font
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", self.lang)
        rpr.set("altLang", "en-US")
        ea = rpr.makeelement(qn("a:ea"), {"typeface": self.branding.east_asian_font})
        ea.set("pitchFamily", "34")
        ea.set("charset", "-122")  # GB2312: a missing face is replaced by a Chinese one
        rpr.find(qn("a:latin")).addnext(ea)

    def write(self, frame, paras: Sequence[Para], size: float, align=None) -> None:
        """Paragraphs into a text frame (its first paragraph reused)."""
        from pptx.oxml.ns import qn
        from pptx.util import Pt

        for i, p in enumerate(paras):
            out = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            own = size * p.scale
            out.line_spacing = Pt(LINE * own)
            out.space_before = Pt(p.gap * own)
            if align is not None:
                out.alignment = align
            ppr = out._p.get_or_add_pPr()
            if p.depth:
                ppr.set("marL", str(int(Pt(p.indent(size)))))
            if p.bullet:
                ppr.set("indent", str(-int(Pt(p.hanging(size)))))
                font = ppr.makeelement(qn("a:buFont"), {"typeface": self.branding.latin_font})
                ppr.append(font)
                if p.bullet.endswith("."):
                    start = p.bullet.rstrip(".")
                    attrs = {"type": "arabicPeriod", "startAt": start}
                    ppr.append(ppr.makeelement(qn("a:buAutoNum"), attrs))
                else:
                    ppr.append(ppr.makeelement(qn("a:buChar"), {"char": p.bullet}))
            for r in p.runs:
                run = out.add_run()
                run.text = r.text
                self.style(run, own, r.bold, r.italic, r.colour)
                if r.link:
                    run.hyperlink.address = r.link
            end = out._p.get_or_add_endParaRPr()  # an empty paragraph's height
            end.set("lang", self.lang)
            end.set("sz", str(round(own * 100)))

    def text_box(
        self, slide, box: Box, paras: Sequence[Para], size: float, fill: str = "", align=None
    ):
        from pptx.dml.color import RGBColor
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE
        from pptx.util import Pt

        shape = slide.shapes.add_textbox(Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height))
        frame = shape.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        for side in ("left", "right", "top", "bottom"):
            setattr(frame, f"margin_{side}", Pt(box.inset))
        if fill:
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor.from_string(fill)
        self.write(frame, paras, size, align)
        return shape

    # slides
    def slide(self, title: str, kicker: str = "", notes: Sequence[str] = ()):
        """A slide with its title (the layout's title placeholder, fitted), an accent rule, the
        kicker (the analysis) above the title, the footer and the slide number."""
        slide = self.prs.slides.add_slide(self.layout)
        self.watermark(slide)
        logo = 110.0 if self.branding.logo else 0.0
        box = Box(MARGIN, 34, SLIDE_W - 2 * MARGIN - logo, 56)
        heading = para(title, bold=True, colour=self.branding.accent)
        candidates = [[heading], [replace(heading, max_lines=2)]]
        sizes = (28, 26, 24, 22, 20, 18)
        if not box.holds([heading], sizes[-1]):  # a long action title: three lines, smaller
            box = Box(MARGIN, 32, box.width, 62)  # below the kicker, above the rule
            candidates = [[heading], [replace(heading, max_lines=3)]]
            sizes = (17, 16, 15)
        self.title(slide, box, *fit(box, candidates, sizes))
        self.rule(slide, MARGIN, 96, SLIDE_W - MARGIN, 1.5)
        if kicker:
            self.label(slide, Box(MARGIN, 14, box.width, 18), kicker, 11, bold=True)
        self.label(slide, Box(MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN - 60, 18), self.footer, 9)
        self._slide_number(slide)
        if self.branding.logo:
            self.picture(slide, self.branding.logo, Box(SLIDE_W - MARGIN - 96, 30, 96, 56))
        self.notes(slide, notes)
        return slide

    def watermark(self, slide) -> None:
        """The engagement's watermark (草稿 / DRAFT) across the slide, behind everything else."""
        from pptx.enum.text import PP_ALIGN

        text = self.eng.branding.watermark
        if not text:
            return
        box = Box(MARGIN, SLIDE_H / 2 - 60, SLIDE_W - 2 * MARGIN, 120)
        line = para(text, bold=True, colour="E3E7EC", max_lines=1)
        paras, size = fit(box, [[line]], (88, 72, 60, 48, 36))
        shape = self.text_box(slide, box, paras, size, align=PP_ALIGN.CENTER)
        shape.rotation = -24
        tree = slide.shapes._spTree
        tree.remove(shape._element)
        tree.insert(2, shape._element)  # after the group's own properties: drawn first

    def label(self, slide, box: Box, text: str, size: float, bold: bool = False) -> None:
        """One line of muted text (shortened with … to fit)."""
        line = para(text, bold=bold, colour=MUTED, max_lines=1)
        self.text_box(slide, box, *fit(box, [[line]], (size,)))

    def title(self, slide, box: Box, paras: Sequence[Para], size: float) -> None:
        """The slide's title placeholder moved to ``box``, holding ``paras`` at ``size``, left
        aligned, at the bottom of its box."""
        from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
        from pptx.util import Pt

        holder = slide.shapes.title
        holder.left, holder.top = Pt(box.left), Pt(box.top)
        holder.width, holder.height = Pt(box.width), Pt(box.height)
        frame = holder.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE  # the template's title would shrink its text
        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        for side in ("left", "right", "top", "bottom"):
            setattr(frame, f"margin_{side}", 0)
        self.write(frame, paras, size, PP_ALIGN.LEFT)

    def rule(self, slide, left: float, y: float, right: float, weight: float) -> None:
        """A horizontal line in the accent colour."""
        from pptx.enum.shapes import MSO_CONNECTOR
        from pptx.util import Pt

        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(left), Pt(y), Pt(right), Pt(y))
        line.line.color.rgb = _rgb(self.branding.accent)
        line.line.width = Pt(weight)

    def _slide_number(self, slide) -> None:
        from pptx.enum.text import PP_ALIGN
        from pptx.oxml.ns import qn

        box = Box(SLIDE_W - MARGIN - 50, FOOTER_TOP, 50, 18)
        shape = self.text_box(slide, box, [para("")], 9, align=PP_ALIGN.RIGHT)
        p = shape.text_frame.paragraphs[0]._p
        number = len(self.prs.slides)
        guid = "{" + str(uuid.uuid5(FIELD_IDS, str(number))).upper() + "}"
        field = p.makeelement(qn("a:fld"), {"id": guid, "type": "slidenum"})
        rpr = field.makeelement(qn("a:rPr"), {"lang": self.lang, "sz": "900"})
        colour = rpr.makeelement(qn("a:solidFill"), {})
        colour.append(colour.makeelement(qn("a:srgbClr"), {"val": MUTED}))
        rpr.append(colour)
        field.append(rpr)
        shown = field.makeelement(qn("a:t"), {})
        shown.text = str(number)
        field.append(shown)
        for run in p.findall(qn("a:r")):
            p.remove(run)
        p.insert(1, field)

    def notes(self, slide, texts: Sequence[str]) -> None:
        """Speaker notes: each text a paragraph (each of its lines one)."""
        lines = [line for text in texts for line in str(text).splitlines() if line.strip()]
        if lines:
            frame = slide.notes_slide.notes_text_frame
            self.write(frame, [para(t, gap=0.5 if i else 0) for i, t in enumerate(lines)], 12)

    def picture(self, slide, image, box: Box, description: str = ""):
        """A picture as large as ``box`` allows with its aspect ratio kept, centred in it."""
        from PIL import Image
        from pptx.util import Pt

        source = io.BytesIO(image if isinstance(image, bytes) else Path(image).read_bytes())
        with Image.open(source) as img:
            width, height = img.size
        scale = min(box.width / width, box.height / height)
        w, h = width * scale, height * scale
        left, top = box.left + (box.width - w) / 2, box.top + (box.height - h) / 2
        source.seek(0)
        pic = slide.shapes.add_picture(source, Pt(left), Pt(top), Pt(w), Pt(h))
        if description:
            pic._element.nvPicPr.cNvPr.set("descr", plain(description))
        return pic

    def native_chart(self, slide, box: Box, spec) -> None:
        """An editable PowerPoint bar chart of ``spec`` (a :class:`~kamlib.core.native.NativeChart`)
        filling ``box``: its data in the chart (PowerPoint's "Edit data" opens them), categories
        top to bottom, the series in their colours, values labelled, the report's typefaces."""
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import (
            XL_CHART_TYPE,
            XL_LABEL_POSITION,
            XL_LEGEND_POSITION,
            XL_TICK_LABEL_POSITION,
        )
        from pptx.oxml.ns import qn
        from pptx.util import Pt

        # a bar chart draws its first category at the bottom: given bottom to top, the report's
        # first is at the top (reversing the axis instead moves the value axis to the top)
        data = _chart_data(_date(self.eng.date))(number_format=spec.number_format)
        data.categories = [plain(c) for c in reversed(spec.categories)]
        for series in spec.series:
            data.add_series(plain(series.name), tuple(reversed(series.values)))
        kind = XL_CHART_TYPE.BAR_STACKED if spec.stacked else XL_CHART_TYPE.BAR_CLUSTERED
        frame = slide.shapes.add_chart(
            kind, Pt(box.left), Pt(box.top), Pt(box.width), Pt(box.height), data
        )
        frame.name = plain(spec.title)
        chart = frame.chart
        chart.font.size = Pt(11)
        chart.font.name = self.branding.latin_font
        rpr = chart._chartSpace.get_or_add_txPr().find(".//" + qn("a:defRPr"))
        rpr.set("lang", self.lang)
        ea = rpr.makeelement(qn("a:ea"), {"typeface": self.branding.east_asian_font})
        ea.set("pitchFamily", "34")
        ea.set("charset", "-122")
        rpr.find(qn("a:latin")).addnext(ea)
        chart.has_title = True
        title = chart.chart_title.text_frame
        title.text = plain(spec.title)
        title.paragraphs[0].runs[0].font.size = Pt(13)
        title.paragraphs[0].runs[0].font.bold = True
        chart.has_legend = len(spec.series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.TOP
            chart.legend.include_in_layout = False
        chart.category_axis.has_major_gridlines = False
        # the names at the plot's left edge, not on the zero line a negative bar runs over
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        values = chart.value_axis
        shares = "%" in spec.number_format
        values.tick_labels.number_format = "0%" if shares else spec.number_format
        values.tick_labels.number_format_is_linked = False
        if min(min(s.values) for s in spec.series) >= 0:
            values.minimum_scale = 0  # amounts and shares start at zero; a gap may be negative
        if shares and 0.5 <= max(max(s.values) for s in spec.series) <= 1:
            values.maximum_scale = 1  # large shares of a whole: the axis ends at 100%
        values.major_gridlines.format.line.color.rgb = RGBColor.from_string("D9E2EC")
        if spec.axis_title:
            values.has_title = True
            values.axis_title.text_frame.text = plain(spec.axis_title)
        plot = chart.plots[0]
        plot.gap_width = 60
        plot.overlap = 100 if spec.stacked else -10
        for shown, series in zip(plot.series, spec.series):
            shown.format.fill.solid()
            shown.format.fill.fore_color.rgb = RGBColor.from_string(series.colour)
            for point, colour in enumerate(reversed(series.point_colours)):  # as categories
                fill = shown.points[point].format.fill
                fill.solid()
                fill.fore_color.rgb = RGBColor.from_string(colour)
        if spec.labels:
            plot.has_data_labels = True
            labels = plot.data_labels
            labels.number_format = spec.number_format
            labels.number_format_is_linked = False
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            labels.font.size = Pt(10)

    def table(self, slide, box: Box, lay: TableLayout, tab: Table) -> None:
        """An editable table at the top left of ``box`` as laid out: the heading row in the
        accent colour, rows banded, numbers right, marks and traffic lights centred (and
        coloured)."""
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Pt

        rows, columns = len(lay.cells), len(tab.columns)
        frame = slide.shapes.add_table(
            rows, columns, Pt(box.left), Pt(box.top), Pt(sum(lay.widths)), Pt(sum(lay.heights))
        )
        table = frame.table
        table.first_row, table.horz_banding = True, False
        for j, width in enumerate(lay.widths):
            table.columns[j].width = Pt(width)
        for r, height in enumerate(lay.heights):
            table.rows[r].height = Pt(height)
            fill = self.branding.accent if r == 0 else SOFT if r % 2 == 0 else WHITE
            for j, column in enumerate(tab.columns):
                cell = table.cell(r, j)
                cell.margin_left = cell.margin_right = Pt(CELL_X)
                cell.margin_top = cell.margin_bottom = Pt(CELL_Y)
                cell.vertical_anchor = MSO_ANCHOR.MIDDLE
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(fill)
                css = "" if r == 0 else cell_class(tab.frame[column.key].iloc[r - 1], column.format)
                colour = WHITE if r == 0 else RAG_COLOURS.get(css, "")
                text = para(lay.cells[r][j], bold=r == 0 or css in RAG_COLOURS, colour=colour)
                align = (
                    PP_ALIGN.RIGHT
                    if column.format in NUMERIC
                    else PP_ALIGN.CENTER
                    if column.format in CENTRED
                    else None
                )
                self.write(cell.text_frame, [text], lay.size, align)

    def save(self, path: Path) -> Path:
        """The deck, deterministic: core properties from the engagement (no clock), every zip
        entry with the same timestamp."""
        props = self.prs.core_properties
        props.title = _property(self.eng.title)
        props.subject = _property(self.eng.client)
        props.author = props.last_modified_by = _property(self.eng.consultant)
        props.language = self.lang
        props.revision = 1
        props.created = props.modified = _date(self.eng.date)
        buffer = io.BytesIO()
        self.prs.save(buffer)
        with (
            zipfile.ZipFile(buffer) as source,
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
        ):
            for item in source.infolist():
                entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(entry, source.read(item.filename))
        return path


@functools.cache
def _chart_data(day: dt.datetime) -> type:
    """python-pptx's chart data, its embedded workbook (what "Edit data" opens) written as kam
    writes one: a name that starts like a formula stays text, and it is dated by the engagement,
    not the clock, so the same inputs give the same deck."""
    from contextlib import contextmanager

    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class Writer(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):
            options = {"strings_to_formulas": False, "strings_to_urls": False}
            workbook = Workbook(xlsx_file, {"in_memory": True, **options})
            workbook.set_properties({"created": day})
            yield workbook, workbook.add_worksheet()
            workbook.close()

    class Data(CategoryChartData):
        @property
        def _workbook_writer(self):
            return self.__dict__.setdefault("_kam_writer", Writer(self))

    return Data


def _property(text: Any) -> str:
    """A document property holds at most 255 characters."""
    text = plain(text)
    return text if len(text) <= 255 else text[:254] + ELLIPSIS


def _date(text: Any) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        day = dt.date(1980, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour)


# -- what the slides say ----------------------------------------------------------------------


def commentary_paras(markdown: str) -> list[Para]:
    """The consultant's Markdown as paragraphs: list items with bullets, headings bold."""
    paras = []
    for i, block in enumerate(to_blocks(markdown)):
        runs = tuple(
            Run(plain(s.text), bold=s.bold or block.heading, italic=s.italic, link=s.link)
            for s in block.spans
        )
        gap = 0.0 if i == 0 else 0.2 if block.depth else 0.5
        paras.append(Para(runs, bullet=block.marker, depth=block.depth, gap=gap))
    return paras


def key_table(analysis: Analysis, run: EngagementRun) -> Table | None:
    """The table a deck shows of an analysis: its key table, else its first with rows."""
    tables = [t for t in run.tables(analysis) if len(t)]
    wanted = analysis.key_table
    chosen = [t for t in tables if t.name == wanted] or tables
    return chosen[0] if chosen else None


@dataclass(frozen=True)
class TableLayout:
    size: float
    widths: list[float]
    heights: list[float]
    cells: list[list[str]]  # header first, each text as shown (shortened where it had to be)


TABLE_SIZES = (14, 13, 12, 11)
"""A table's font sizes, largest first; below them, rows are left out (at 10 pt, then 9 pt)."""


def layout_table(cells: list[list[str]], numeric: list[bool], box: Box) -> TableLayout:
    """Font size, column widths and row heights for a table (header first) that fit ``box``.

    Tried in turn: at each size from the largest, every cell on one line, then headings on two
    balanced lines; then at each size text (never a number) wrapping too; then the same with
    fewer rows (9, 7, 6); last, 10 pt, then 9 pt with every column its share of the room and rows
    left out at the end until the table fits.
    """
    pad = 2 * CELL_X + SAFETY
    attempts = [
        (rows, mode, size)
        for rows in (len(cells), 10, 8, 7)
        if rows <= len(cells)
        for modes in (("natural", "headings"), ("text",))
        for size in TABLE_SIZES
        for mode in modes
    ]
    for rows, mode, size in [*attempts, (len(cells), "text", 10), (len(cells), "squeeze", 9)]:
        widths = _column_widths(cells[:rows], numeric, size, box.width, pad, mode)
        if widths is None:
            continue
        shown = _shorten_cells(cells[:rows], widths, size, pad)
        heights = _row_heights(shown, widths, size, pad)
        if mode == "squeeze":
            while len(heights) > 2 and sum(heights) > box.height:
                shown, heights = shown[:-1], heights[:-1]
        if sum(heights) <= box.height or mode == "squeeze":
            return TableLayout(size, widths, heights, shown)
    raise AssertionError("the last attempt always returns")


def _column_widths(cells, numeric, size, room, pad, mode) -> list[float] | None:
    """Column widths (with ``pad``) in ``room``, or ``None`` when ``mode`` does not fit:
    ``natural`` every cell on one line; ``headings`` the headings wider than their column's
    values on two balanced lines (the widest first, until the table fits); ``text`` text
    columns wrapping too, the shortest keeping their width; ``squeeze`` every column its share
    of the room."""
    heads = [measure(h, size, True) + 1 for h in cells[0]]
    bodies = [
        max((measure(r[j], size) + 1 for r in cells[1:]), default=1.0) for j in range(len(heads))
    ]
    natural = [max(h, b) for h, b in zip(heads, bodies)]
    two = [max(b, _heading_width(h, size)) for h, b in zip(cells[0], bodies)]
    room -= pad * len(heads)
    if mode == "natural":
        widths = natural
    elif mode == "headings":
        widths = list(natural)
        for j in sorted(range(len(widths)), key=lambda j: two[j] - natural[j]):
            if sum(widths) <= room:
                break
            widths[j] = two[j]
    elif mode == "text":
        widths = [two[j] if numeric[j] else 0.0 for j in range(len(heads))]
        text = [j for j in range(len(heads)) if not numeric[j]]
        least = {j: min(natural[j], max(4 * size, _heading_width(cells[0][j], size))) for j in text}
        share = _level(room - sum(widths), [natural[j] for j in text], [least[j] for j in text])
        if share is None:
            return None
        for j, width in zip(text, share):
            widths[j] = width
    else:
        return [room * n / sum(natural) + pad for n in natural]
    if sum(widths) > room + 0.01:
        return None
    grow = min((room - sum(widths)) / len(widths), 1.5 * size)  # a little air, not a stretch
    return [w + pad + (grow if w >= natural[j] else 0) for j, w in enumerate(widths)]


def _level(room: float, natural: list[float], least: list[float]) -> list[float] | None:
    """Widths for wrapping columns in ``room``: each its natural width up to a common level,
    never below its least (the shortest columns keep their width, the longest share the rest);
    ``None`` when even the least widths do not fit."""
    if sum(least) > room:
        return None
    if sum(natural) <= room:
        return list(natural)
    low, high = 0.0, max(natural)
    for _ in range(40):
        level = (low + high) / 2
        if sum(max(m, min(n, level)) for n, m in zip(natural, least)) <= room:
            low = level
        else:
            high = level
    return [max(m, min(n, low)) for n, m in zip(natural, least)]


def _heading_width(text: str, size: float) -> float:
    """A heading's width on two balanced lines, never breaking a word, and on one line when it
    is three characters or so."""
    full = measure(text, size, True) + 1
    if full <= 3.5 * size:
        return full
    word = max(measure(t.strip(), size, True) for t in _tokens(text)) + 1
    return min(full, max(_least_width(text, size, 2) + 1, word))


def _least_width(text: str, size: float, lines: int) -> float:
    """The least width at which ``text`` (bold) takes at most ``lines`` lines."""
    low, high = 0.0, measure(text, size, True)
    while high - low > 1:
        mid = (low + high) / 2
        if len(wrap(text, mid, size, True)) <= lines:
            high = mid
        else:
            low = mid
    return high


def _shorten_cells(cells, widths, size, pad) -> list[list[str]]:
    return [
        [clip(text, w - pad, size, CELL_LINES, r == 0) for text, w in zip(row, widths)]
        for r, row in enumerate(cells)
    ]


def _row_heights(cells, widths, size, pad) -> list[float]:
    return [
        max(len(wrap(text, w - pad, size, r == 0)) for text, w in zip(row, widths)) * LINE * size
        + 2 * CELL_Y
        + 2
        for r, row in enumerate(cells)
    ]


def cell_texts(tab: Table, rows: int) -> list[list[str]]:
    """The headings and the first ``rows`` rows of a table as the report shows them (the texts
    of :meth:`Table.formatted`, column by column)."""
    texts = [
        [format_cell(v, c.format, tab.words) for v in tab.frame[c.key].head(rows)]
        for c in tab.columns
    ]
    return [[plain(c.label) for c in tab.columns]] + [
        [plain(column[i]) for column in texts] for i in range(min(rows, len(tab)))
    ]


CONTENT = Box(MARGIN, CONTENT_TOP, SLIDE_W - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP)
MAIN = replace(CONTENT, width=CONTENT.width * 0.58)
"""The text beside the consultant's view."""
SIDE = Box(MARGIN + CONTENT.width * 0.62, CONTENT_TOP, CONTENT.width * 0.38, CONTENT.height, 12)
"""The consultant's view beside the findings."""


class DeckWriter:
    """Writes the slides of one run into a :class:`Deck`."""

    def __init__(
        self,
        deck: Deck,
        run: EngagementRun,
        commentary: dict[str, str],
        charts: dict[str, list[dict]],
    ) -> None:
        self.deck, self.run, self.commentary, self.charts = deck, run, commentary, charts
        self.words = run.words

    def analyses(self) -> list[tuple[Analysis, Any]]:
        results = self.run.results
        return [(a, results[a.key]) for a in self.run.analyses if a.key in results]

    def build(self) -> None:
        self.title_slide()
        self.summary_slide()
        for analysis, result in self.analyses():
            self.findings_slide(analysis, result)
            self.chart_slides(analysis, result)
            self.table_slide(analysis)
            self.own_slides(analysis, result)

    def method(self, analysis: Analysis) -> list[str]:
        key = analysis.method
        return [self.words(key)] if key else []

    def title_slide(self) -> None:
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Pt

        deck, w, eng = self.deck, self.words, self.deck.eng
        slide = deck.prs.slides.add_slide(deck.layout)
        deck.watermark(slide)
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Pt(18), Pt(SLIDE_H))
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(deck.branding.accent)
        band.line.fill.background()
        box = Box(72, 120, SLIDE_W - 144, 170)
        title = para(eng.title, bold=True, colour=deck.branding.accent)
        deck.title(
            slide, box, *fit(box, [[title], [replace(title, max_lines=3)]], (40, 36, 32, 28, 24))
        )
        deck.rule(slide, 72, 306, SLIDE_W - 72, 2)
        rows = [
            (w("prepared_for"), eng.client),
            (w("company"), eng.company),
            (w("prepared_by"), eng.consultant),
            (w("date"), eng.date),
        ]
        lines = [
            Para(
                (Run(plain(w.colon(label, "")), bold=True, colour=MUTED), Run(plain(value))),
                gap=0.3 if i else 0,
                max_lines=1,
            )
            for i, (label, value) in enumerate(r for r in rows if str(r[1]).strip())
        ]
        info = Box(72, 322, SLIDE_W - 144, 150)
        deck.text_box(slide, info, *fit(info, [lines], (18, 16, 14)))
        if deck.branding.logo:
            deck.picture(slide, deck.branding.logo, Box(SLIDE_W - 72 - 160, 36, 160, 64))

    def summary_slide(self) -> None:
        """Every analysis' key findings (:meth:`Analysis.summary`), each analysis whole on one
        slide, on as many slides as they need at a legible size (all findings in the notes of
        the first), and the consultant's ``summary`` beside them on the first."""
        w, deck = self.words, self.deck
        summary = self.commentary.get(SUMMARY, "")
        every = [(w(a.key), a.findings(r, w)) for a, r in self.analyses()]
        items = [(w(a.key), a.summary(f)) for (a, _), (_, f) in zip(self.analyses(), every)]
        accent = deck.branding.accent

        def shown(part, max_lines: int = 0) -> list[Para]:
            paras = []
            for i, (name, findings) in enumerate(part):
                paras.append(para(name, bold=True, colour=accent, gap=0.9 if i else 0, max_lines=2))
                paras += [
                    para(f, bullet="•", depth=1, gap=0.25, max_lines=max_lines) for f in findings
                ]
            return paras

        sizes = (18, 17, 16, 15, 14)
        pages: list[list] = [[]]
        for item in items:  # an analysis joins the slide when all of it still fits there
            box = MAIN if summary and len(pages) == 1 else CONTENT
            if pages[-1] and not box.holds(shown([*pages[-1], item]), sizes[-1]):
                pages.append([])
            pages[-1].append(item)
        notes = [w.colon(name, f) for name, findings in every for f in findings]
        for n, part in enumerate(pages):
            title = w("summary") if n == 0 else w("deck_continued", title=w("summary"))
            shown_here = [w.colon(name, f) for name, findings in part for f in findings]
            said = notes + self.view_notes(summary) if n == 0 else shown_here
            slide = deck.slide(title, notes=said)
            box = MAIN if summary and n == 0 else CONTENT
            attempts = [(shown(part), sizes), (shown(part, 2), sizes[-2:]), (shown(part, 1), (14,))]
            deck.text_box(slide, box, *fit_first(box, attempts))
            if n == 0:
                self.view(slide, summary)

    def view_notes(self, markdown: str) -> list[str]:
        return [self.words.colon(self.words("consultant_view"), ""), markdown] if markdown else []

    def view(self, slide, markdown: str) -> None:
        """The consultant's view beside the findings (all of it in the notes)."""
        if not markdown:
            return
        heading = para(
            self.words("consultant_view"), bold=True, colour=self.deck.branding.accent, max_lines=1
        )
        paras, size = fit(SIDE, [[heading, *commentary_paras(markdown)]], (16, 15, 14, 13, 12, 11))
        self.deck.text_box(slide, SIDE, paras, size, fill=SOFT)

    def findings_slide(self, analysis: Analysis, result: Any) -> None:
        """Every finding of the analysis that fits (all of them, its method and its data-quality
        notes in the notes) and the consultant's view of it."""
        w, deck = self.words, self.deck
        findings = analysis.findings(result, w)
        comment = self.commentary.get(analysis.key, "")
        notes = self.method(analysis)
        if findings:
            notes += [w.colon(w("deck_all_findings"), ""), *findings]
        warnings = [n.text(w) for n in result.warnings]
        if warnings:
            notes += [w.colon(w("warnings"), ""), *warnings]
        name = w(analysis.key)
        slide = deck.slide(
            w.colon(name, w("deck_findings")), name, notes + self.view_notes(comment)
        )
        bullets = [
            para(f, bullet="•", depth=1, gap=0.5 if i else 0) for i, f in enumerate(findings)
        ]
        candidates = [bullets[:n] for n in range(len(bullets), 0, -1)] or [[]]
        box = MAIN if comment else CONTENT
        deck.text_box(slide, box, *fit(box, candidates, (20, 18, 17, 16, 15, 14)))
        self.view(slide, comment)

    def chart_slides(self, analysis: Analysis, result: Any) -> None:
        """One slide per chart, headed by the finding it shows (an action title; the chart's
        own title, in the picture, names it), else by the chart's title: the image the render
        drew for the page, placed whole in the content area."""
        w, deck = self.words, self.deck
        findings = analysis.findings(result, w)
        for chart in self.charts.get(analysis.key, []):
            title = chart["title"] or w(analysis.key)
            headline = analysis.headline(chart["name"], findings) or title
            slide = deck.slide(headline, w(analysis.key), self.method(analysis))
            native = analysis.native(chart["name"], result, w)
            if native is not None:  # an editable chart with its data
                deck.native_chart(slide, CONTENT, native)
            else:  # what PowerPoint cannot draw: the page's picture
                deck.picture(slide, Path(chart["path"]), CONTENT, title)

    def own_slides(self, analysis: Analysis, result: Any) -> None:
        """An analysis' slides of its own (an account plan each): its title, its lines as
        bullets, as many as fit (every line in the notes)."""
        if analysis.slides is None:
            return
        w, deck = self.words, self.deck
        for title, lines in analysis.slides(result, w):
            slide = deck.slide(title, w(analysis.key), lines)
            bullets = [
                para(line, bullet="•", depth=1, gap=0.4 if i else 0) for i, line in enumerate(lines)
            ]
            clipped = [replace(p, max_lines=2) for p in bullets]
            deck.text_box(
                slide,
                CONTENT,
                *fit_first(CONTENT, [(bullets, (18, 17, 16, 15, 14)), (clipped, (14,))]),
            )

    @staticmethod
    def table_box(tab: Table) -> Box:
        """Where a table slide's table goes: the content area, less its caption and note."""
        box = replace(CONTENT, height=CONTENT.height - 22)
        return replace(box, top=box.top + 26, height=box.height - 26) if tab.caption else box

    def table_slide(self, analysis: Analysis) -> None:
        """The analysis' key table as editable tables, every row, continued onto further slides
        (at most :data:`TABLE_SLIDES`; how many rows each shows, and of how many, said)."""
        w, deck = self.words, self.deck
        tab = key_table(analysis, self.run)
        if tab is None:
            return
        title = analysis.table_title(tab.name, w)
        numeric = [c.format in NUMERIC for c in tab.columns]
        fits = len(layout_table(cell_texts(tab, TOP_ROWS), numeric, self.table_box(tab)).cells) - 1
        slides = -(-len(tab) // max(fits, 1))
        rows = (
            -(-len(tab) // slides) if slides <= TABLE_SLIDES else fits
        )  # evenly: no last slide of 2
        start, page = 0, 1
        while start < len(tab) and page <= TABLE_SLIDES:
            part = replace(tab, frame=tab.frame.iloc[start:].reset_index(drop=True))
            heading = title if page == 1 else w("deck_continued", title=title)
            slide = deck.slide(heading, w(analysis.key), self.method(analysis))
            box = self.table_box(tab)
            if tab.caption:
                deck.label(slide, replace(CONTENT, height=24), tab.caption, 13)
            lay = layout_table(cell_texts(part, rows), numeric, box)
            deck.table(slide, box, lay, part)
            shown = len(lay.cells) - 1
            end, start, page = start + shown, start + shown, page + 1
            if end < len(tab) and page > TABLE_SLIDES:
                said = w("deck_top_rows", shown=end, total=len(tab))
            elif end < len(tab) or page > 2:  # one of several slides
                said = w("deck_rows", first=end - shown + 1, last=end, total=len(tab))
            else:
                continue
            note = replace(box, top=box.top + sum(lay.heights) + 6, height=18)
            deck.label(slide, note, said, 11)


def warm() -> None:
    """What every deck needs imported (python-pptx, a quarter of a second), before a render
    forks the worker that writes it."""
    import pptx.dml.color
    import pptx.enum.shapes
    import pptx.enum.text
    import pptx.oxml.ns
    import pptx.util  # noqa: F401


def write_deck(
    eng: Engagement,
    run: EngagementRun,
    path: Path,
    commentary: dict[str, str] | None = None,
    branding: Branding | None = None,
    charts: dict[str, list[dict]] | None = None,
) -> Path:
    """``report.pptx`` of a run: ``commentary`` holds the consultant's Markdown sections
    (``summary`` and analysis keys, as :func:`~kamlib.core.commentary.read_commentary` reads
    them); ``branding`` the colour, logo and typefaces; ``charts`` the charts drawn for the run
    by analysis (entries of :func:`kamlib.render.figures.draw` with their ``path``), drawn here
    when not given."""
    if branding is None:
        brand = eng.branding
        branding = Branding(colour=brand.colour or Branding.colour, logo=brand.logo)
    deck = Deck(eng, run.words, branding)
    if charts is None:
        import tempfile

        from kamlib.render.figures import draw_all

        with tempfile.TemporaryDirectory(prefix="kam-deck-") as folder:
            charts = draw_all(run, Path(folder))
            DeckWriter(deck, run, commentary or {}, charts).build()
    else:
        DeckWriter(deck, run, commentary or {}, charts).build()
    return deck.save(path)
