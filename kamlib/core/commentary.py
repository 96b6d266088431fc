"""The consultant's own words: ``commentary.md`` in the engagement folder.

One Markdown section per place in the report, headed ``## summary`` (the first page),
``## <analysis key>`` (e.g. ``## industry_selection``) or ``## account <customer ID>`` (that
account's plan). It is shown as "顾问意见 / Consultant's view" before the computed findings. It is
data, never markup: raw HTML shows as text, links go only to http(s) or e-mail addresses, and no
image is loaded (its description shows instead). ``<!-- comments -->`` are never shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kamlib.core.config import INSIDE, outside
from kamlib.core.errors import KamError
from kamlib.core.i18n import register

FILE = "commentary.md"
MAX_BYTES = 1_000_000
SUMMARY = "summary"
ACCOUNT = "account "
ACCOUNT_SOURCE = "the ledger or the customer master (transactions, customers)"
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.I)
HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")
COMMENT = re.compile(r"<!--.*?-->", re.S)

register("commentary", {"consultant_view": {"zh": "顾问意见", "en": "Consultant's view"}})


def read_commentary(
    folder: Path, analyses: Iterable[str], accounts: Iterable[str] | None = None
) -> dict[str, str]:
    """The sections of ``folder/commentary.md`` (none without the file): ``summary``, analysis
    keys and ``account <ID>``, each its Markdown text; with ``accounts`` (the IDs the engagement
    knows), ``## account <ID>`` only for one of them.

    Raises
    ------
    KamError
        For a file that is too large or not UTF-8 text, text before the first section, an unknown
        or repeated section.
    """
    known_ids = None if accounts is None else set(accounts)
    path = folder / FILE
    if not path.is_file():
        return {}
    if (real := outside(folder.resolve(), path)) is not None:
        raise KamError(path, INSIDE, f"a link to {real}")
    if path.stat().st_size > MAX_BYTES:
        raise KamError(path, f"at most {MAX_BYTES:,} bytes", f"{path.stat().st_size:,} bytes")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KamError(path, "UTF-8 text", "bytes that are not UTF-8") from None
    # comments are the consultant's notes to self: never shown (line numbers stay)
    text = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    known = [SUMMARY, *analyses]
    expected = ", ".join(f"## {k}" for k in known) + " or ## account <customer ID>"
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else HEADING.match(line)
        if heading:
            name = heading.group(1)
            key = (
                ACCOUNT + name[len(ACCOUNT) :].strip()
                if name.lower().startswith(ACCOUNT)
                else name.lower()
            )
            if key not in known and not (key.startswith(ACCOUNT) and key[len(ACCOUNT) :]):
                raise KamError(path, f"a section heading {expected}", f'"## {name}"', line=number)
            account = key[len(ACCOUNT) :] if key.startswith(ACCOUNT) else None
            if account and known_ids is not None and account not in known_ids:
                raise KamError(
                    path,
                    f'"## {ACCOUNT}<customer ID>" with an account of {ACCOUNT_SOURCE}',
                    f'"## {name}"',
                    line=number,
                )
            if key in sections:
                raise KamError(path, "each section once", f'a second "## {name}"', line=number)
            current = sections[key] = []
        elif current is not None:
            current.append(line)
        elif line.strip() and not line.lstrip().startswith("# "):
            raise KamError(
                path, f"text under a section heading {expected}", "text before any", line=number
            )
    texts = {key: "\n".join(lines).strip() for key, lines in sections.items()}
    return {key: text for key, text in texts.items() if text}


def account_key(customer_id: str) -> str:
    return ACCOUNT + customer_id


def to_html(markdown: str) -> str:
    """Markdown as inert HTML: raw HTML escaped, only http(s) and mailto links, no images."""
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def link(self, text: str, url: str, title: str | None = None) -> str:
            if not SAFE_LINK.match(url):
                return text
            return f'<a href="{html.escape(url)}" rel="noopener noreferrer">{text}</a>'

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return f'<span class="kam-image-alt">{text}</span>'

    render = mistune.create_markdown(
        escape=True, renderer=Renderer(escape=True), plugins=["strikethrough", "table"]
    )
    return render(markdown)


@dataclass(frozen=True)
class Span:
    """A piece of a paragraph's text: bold or italic, or a link (http(s) or e-mail only)."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""


@dataclass(frozen=True)
class Block:
    """A paragraph of the commentary as plain text: a list item at ``depth`` (0: not in a list)
    with its ``marker`` (``•`` or ``1.``, empty for a list item's second paragraph), or a
    heading."""

    spans: tuple[Span, ...]
    depth: int = 0
    marker: str = ""
    heading: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def to_blocks(markdown: str) -> list[Block]:
    """Markdown as paragraphs of plain text (for slides): raw HTML and code as text, links only
    to http(s) and e-mail addresses, an image as its description, a table row as its cells."""
    import mistune

    tokens = mistune.create_markdown(renderer=None, plugins=["strikethrough", "table"])(markdown)
    blocks: list[Block] = []

    def spans(children: list, bold: bool = False, italic: bool = False, link: str = "") -> list:
        out = []
        for tok in children:
            kind = tok["type"]
            if "raw" in tok:  # text, code, inline HTML: shown as it is written
                out.append(Span(tok["raw"], bold, italic, link))
            elif kind in ("softbreak", "linebreak"):
                out.append(Span(" ", bold, italic, link))
            elif kind == "link":
                url = tok["attrs"]["url"]
                out += spans(tok["children"], bold, italic, url if SAFE_LINK.match(url) else link)
            else:  # strong, emphasis, strikethrough, image (its description)
                out += spans(
                    tok.get("children", []),
                    bold or kind == "strong",
                    italic or kind == "emphasis",
                    link,
                )
        return out

    def add(tok: dict, depth: int, marker: str) -> None:
        kind = tok["type"]
        if kind in ("paragraph", "block_text", "heading"):
            blocks.append(Block(tuple(spans(tok["children"])), depth, marker, kind == "heading"))
        elif kind in ("block_code", "block_html"):
            for line in tok["raw"].rstrip("\n").splitlines():
                blocks.append(Block((Span(line),), depth, marker))
                marker = ""
        elif kind == "list":
            start = tok["attrs"].get("start", 1)
            for number, item in enumerate(tok["children"], start):
                mark = f"{number}." if tok["attrs"]["ordered"] else "•"
                for child in item["children"]:
                    add(child, depth + 1, mark)
                    mark = ""
        elif kind == "table":
            for part in tok["children"]:
                rows = part["children"] if part["type"] == "table_body" else [part]
                for row in rows:
                    cells = ["".join(s.text for s in spans(c["children"])) for c in row["children"]]
                    head = part["type"] == "table_head"
                    blocks.append(Block((Span(" | ".join(cells)),), depth, marker, head))
        elif kind == "block_quote":
            for child in tok["children"]:
                add(child, depth, marker)
                marker = ""

    for tok in tokens:
        add(tok, 0, "")
    return [b for b in blocks if b.text.strip()]
