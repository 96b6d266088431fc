"""The engagement folder: ``engagement.yaml`` plus data files beside it."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kamlib.core.errors import KamError, quote
from kamlib.core.io import (
    AMOUNT,
    DATES,
    EXCEL,
    FIRST_DATE,
    LAST_DATE,
    MB,
    NAME_CHARS,
    TABLES,
    YAML_MB,
    Loaded,
    Reading,
    find_file,
    fmt_bound,
    fmt_count,
    read_table,
)

CONFIG = "engagement.yaml"
LANGUAGES = ("zh", "en")
REQUIRED = ("title", "client", "company", "consultant", "date", "language", "currency")
SECTIONS = ("industry_selection", "segmentation", "competitors")
OPTIONAL = ("files", "columns", "branding", *SECTIONS)
MAX_DEPTH = 20
"""How deeply the yaml's mappings and lists may nest (the settings need four levels)."""


def _is_date(text: str) -> bool:
    try:
        y, m, d = map(int, text.split("-"))
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


INSIDE = "a file inside the engagement folder (no absolute path, no .., no link leading out of it)"


def outside(folder: Path, file: Path) -> str | None:
    """Where ``file`` really leads when that is outside ``folder`` (a resolved folder), else
    ``None``: an absolute path, a ``..`` or a symbolic link (of the file or of a folder on its
    way) may not take a read out of the engagement."""
    try:
        real = file.resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a NUL in the name
        return str(file)
    return None if real.is_relative_to(folder) else str(real)


def _plain_yaml(config: Path, text: str) -> None:
    """Refuse anchors and aliases (``&a`` / ``*a``: a few hundred bytes of nested aliases expand
    to gigabytes) and nesting deeper than :data:`MAX_DEPTH`, before anything is composed."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            kind = "an alias" if sign == "*" else "an anchor"
            raise KamError(
                config,
                "YAML without anchors and aliases (& and *)",
                f"{kind} {quote(sign + anchor)}",
                line=line,
            )
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise KamError(
                    config, f"settings nested at most {MAX_DEPTH} levels deep", "deeper", line=line
                )
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|infinity|nan)", re.I)


def _implausible(value: object, path: str = "") -> tuple[str, str, object] | None:
    """The first number or date of the yaml that kam cannot take, as (key, expected, found): a
    number that is not finite or beyond :data:`~kamlib.core.io.AMOUNT` (a string that settings
    read as a number too: "1e308", "inf"), a date outside :data:`~kamlib.core.io.FIRST_DATE` to
    :data:`~kamlib.core.io.LAST_DATE`."""
    bound = fmt_bound(AMOUNT)
    huge = (path[:-1], f"a finite number from -{bound} to {bound}", value)
    if isinstance(value, dict):
        for key, item in value.items():
            found = _implausible(key, path) or _implausible(item, f"{path}{key}.")
            if found:
                return found
    elif isinstance(value, list):
        return next(filter(None, (_implausible(item, path) for item in value)), None)
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int):
        return huge if abs(value) > AMOUNT else None
    elif isinstance(value, float) or isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value)
        return huge if not math.isfinite(number) or abs(number) > AMOUNT else None
    else:
        date = value if isinstance(value, dt.date) else None
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                date = dt.date.fromisoformat(value.strip())
            except ValueError:  # not a calendar date: the setting that reads it says so
                pass
        if date is not None and not FIRST_DATE <= _day(date) <= LAST_DATE:
            return path[:-1], DATES, value
    return None


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _found(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem worded as what was found: "found unexpected end of stream" (in quotes) → "a
    quote without its closing one", "expected ',' or ']', but got ':'" → "':' where ',' or
    ']' was expected"."""
    problem = exc.problem or exc.context or "a syntax error"
    if "end of stream" in problem:  # the mark is where the quote opens
        quoted = "quoted" in str(exc.context)
        return "a quote without its closing one" if quoted else "the end of the file"
    problem = problem.replace("'<stream end>'", "the end of the file")
    problem = problem.replace("the node content", "a value")
    match = re.fullmatch(r"expected (.+), but (?:found|got) (.+)", problem, re.S)
    if match:
        return f"{match[2]} where {match[1]} was expected"
    return problem.removeprefix("found ")


def _key_lines(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Map each dotted key path of a composed yaml mapping to its 1-based line."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}{key.value}"
            lines[path] = key.start_mark.line + 1
            lines.update(_key_lines(value, path + "."))
    return lines


LOGO_TYPES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}
LOGO_MB = 5
WATERMARK_CHARS = 40


@dataclass(frozen=True)
class Branding:
    """How the report looks: the accent ``colour`` (``#1f4e79``), a ``logo`` (a PNG or JPEG in the
    engagement folder), a ``footer`` line (e.g. the confidentiality notice) and a ``watermark``
    (e.g. 草稿 / DRAFT). Every field is optional; none means the house style."""

    colour: str | None = None
    logo: Path | None = None
    footer: str = ""
    watermark: str = ""


@dataclass
class Engagement:
    """An engagement as read from its folder.

    Attributes hold the yaml's top-level fields; ``sections`` holds each analysis' settings.
    """

    path: Path
    title: str
    client: str
    company: str
    consultant: str
    date: str
    language: str
    currency: str
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    branding: Branding = field(default_factory=Branding)
    sheets: dict[str, str] = field(default_factory=dict)
    """The worksheet named for a data template (``files: {name: {file: ..., sheet: ...}}``)."""
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per data template, header → column for headers that are no alias (``columns:``)."""
    readings: dict[str, Reading] = field(default_factory=dict)
    """How each data file read so far was read (its sheet, header row, mapping): ``kam validate``
    shows them."""
    asked: list[tuple[str, str]] = field(default_factory=list, compare=False, repr=False)
    """Every data template (``("file", name)``) and yaml section (``("section", name)``) asked
    for so far, in order: what an analysis' read depended on (the render's reuse keys)."""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def config_file(self) -> Path:
        return self.path / CONFIG

    def error(self, key: str, expected: str, found: object) -> KamError:
        """A :class:`KamError` pointing at ``key`` (dotted path) of ``engagement.yaml``."""
        line = self.lines.get(key)
        return KamError(self.config_file, expected, quote(found), line=line, key=key)

    def settings(self, section: str, known: set[str] | None = None) -> dict[str, Any]:
        """The ``section`` of the yaml; a key outside ``known`` is an error at its line."""
        self.asked.append(("section", section))
        raw = self.sections.get(section) or {}
        for key in raw if known is not None else ():
            if key not in known:
                raise self.error(f"{section}.{key}", f"one of {', '.join(sorted(known))}", key)
        return raw

    def data_file(self, name: str) -> Path | None:
        """The file holding data template ``name``, or ``None`` when the engagement has none.

        Raises
        ------
        KamError
            When the file leads out of the engagement folder (a symbolic link).
        """
        self.asked.append(("file", name))
        path = self.path / self.files[name] if name in self.files else find_file(self.path, name)
        if path is not None and (real := outside(self.path, path)) is not None:
            raise KamError(path, INSIDE, f"a link to {real}")
        return path

    def options(self, name: str) -> dict[str, Any]:
        """How to read data template ``name``: its ``sheet`` and ``columns`` mapping."""
        return {"sheet": self.sheets.get(name), "columns": self.columns.get(name)}

    def read(self, name: str) -> Loaded | None:
        """Read and validate data template ``name``; ``None`` when absent."""
        path = self.data_file(name)
        if path is None:
            return None
        loaded = read_table(path, TABLES[name], **self.options(name))
        self.readings[name] = loaded.reading
        return loaded

    def parameters(self) -> dict[str, str]:
        """What papermill injects: the engagement folder as a plain string literal."""
        return {"engagement": str(self.path)}


def load_engagement(folder: str | Path) -> Engagement:
    """Read and check ``folder/engagement.yaml``.

    Raises
    ------
    KamError
        For a missing folder or file, a yaml syntax error (with its line), a missing or unknown key,
        or a value of the wrong kind.
    """
    path = Path(folder).expanduser().resolve()
    config = path / CONFIG
    if not path.is_dir():
        raise KamError(path, "an engagement folder", "no such folder")
    if not config.is_file():
        raise KamError(config, "an engagement.yaml file", "no such file (kam new creates one)")
    if (real := outside(path, config)) is not None:
        raise KamError(config, INSIDE, f"a link to {real}")
    size = config.stat().st_size
    if size > YAML_MB.value() * MB:
        raise KamError(config, YAML_MB.expected("a file"), f"{fmt_count(size / MB)} MB")
    try:
        text = config.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KamError(config, "UTF-8 text", "bytes that are not UTF-8") from None
    try:
        _plain_yaml(config, text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        open_quote = "end of stream" in str(exc.problem) and "quoted" in str(exc.context)
        mark = (exc.context_mark if open_quote else None) or exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = _found(exc)
        hint = None
        if "mapping values are not allowed" in problem:
            hint = (
                'a value that holds ": " must be in quotes, e.g. title: "Key accounts: 2025 plan"'
            )
        raise KamError(config, "valid YAML", problem, line=line, hint=hint) from None
    except yaml.YAMLError as exc:
        raise KamError(config, "valid YAML", str(exc).splitlines()[0]) from None
    except ValueError as exc:  # a date YAML recognises but the calendar does not: 2025-02-30
        bad = [
            (n, word)
            for n, content in enumerate(text.splitlines(), start=1)
            for word in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", content)
            if not _is_date(word)
        ]
        if not bad:  # an integer of more digits than Python converts (4,300)
            raise KamError(config, "valid YAML", quote(exc)) from None
        line, found = bad[0]
        raise KamError(config, "a real calendar date", quote(found), line=line) from None
    if not isinstance(data, dict):
        raise KamError(config, "a mapping of keys to values", quote(type(data).__name__))
    lines = _key_lines(node)

    def fail(key: str, expected: str, found: object) -> KamError:
        return KamError(config, expected, quote(found), line=lines.get(key), key=key)

    for key in data:
        if key not in REQUIRED and key not in OPTIONAL:
            raise fail(str(key), f"one of {', '.join(REQUIRED + OPTIONAL)}", key)
    implausible = _implausible(data)
    if implausible is not None:
        raise fail(*implausible)
    values: dict[str, str] = {}
    for key in REQUIRED:
        if key not in data:
            raise KamError(config, f"a key {key}", "none", line=None, key=key)
        value = data[key]
        if isinstance(value, dt.date):
            value = value.isoformat()
        if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value):
            raise fail(key, "a text value", value)
        values[key] = str(value).strip()
        if len(values[key]) > NAME_CHARS.value():
            found = f"{quote(values[key])} ({len(values[key]):,} characters)"
            raise KamError(
                config, NAME_CHARS.expected("a text"), found, line=lines.get(key), key=key
            )
    if values["language"] not in LANGUAGES:
        raise fail("language", "zh or en", values["language"])
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["date"]):
            raise ValueError
        dt.date.fromisoformat(values["date"])
    except ValueError:
        raise fail("date", "a date written YYYY-MM-DD", values["date"]) from None
    sections: dict[str, dict[str, Any]] = {}
    for key in SECTIONS:
        section = data.get(key)
        if section is not None and not isinstance(section, dict):
            raise fail(key, "a mapping of settings", section)
        sections[key] = section or {}
    files, sheets = _files(path, data.get("files"), fail)
    branding = _branding(path, data.get("branding"), fail)
    return Engagement(
        path=path,
        sections=sections,
        files=files,
        lines=lines,
        branding=branding,
        sheets=sheets,
        columns=_columns(data.get("columns"), fail),
        **values,
    )


def _files(path: Path, raw: object, fail) -> tuple[dict[str, str], dict[str, str]]:
    """The ``files`` mapping, checked: each data template's file (inside the folder) and, for a
    workbook, the sheet to read (``{file: 台账.xls, sheet: 订单}``)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise fail("files", "a mapping of data template name to file", raw)
    files, sheets = {}, {}
    for name, entry in raw.items():
        if name not in TABLES:
            raise fail(f"files.{name}", f"one of {', '.join(TABLES)}", name)
        key, file = f"files.{name}", entry
        if isinstance(entry, dict):
            for inner in entry:
                if inner not in ("file", "sheet"):
                    raise fail(f"files.{name}.{inner}", "file or sheet", inner)
            key, file = f"files.{name}.file", entry.get("file")
            sheet = entry.get("sheet")
            if isinstance(sheet, int) and not isinstance(sheet, bool):
                sheet = str(sheet)  # a sheet named 2025
            if sheet is not None and not (isinstance(sheet, str) and sheet.strip()):
                raise fail(f"files.{name}.sheet", "the name of a worksheet", sheet)
            if sheet is not None:
                if not isinstance(file, str) or Path(file).suffix.lower() not in EXCEL:
                    expected = f"a workbook ({', '.join(EXCEL)}) to take sheet {sheet} from"
                    raise fail(key, expected, file)
                sheets[name] = sheet
        if isinstance(file, str) and file and outside(path, path / file) is not None:
            raise fail(key, INSIDE, file)
        if not isinstance(file, str) or not (path / file).is_file():
            raise fail(key, "an existing file in the engagement folder", file)
        files[name] = file
    return files, sheets


def _columns(raw: object, fail) -> dict[str, dict[str, str]]:
    """The ``columns`` mapping, checked: per data template, a header of its file → one of the
    template's columns (``columns: {transactions: {客户编码: customer_id, 开票金额: amount}}``)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise fail("columns", "a mapping of data template name to {header: column}", raw)
    columns: dict[str, dict[str, str]] = {}
    for name, mapping in raw.items():
        if name not in TABLES:
            raise fail(f"columns.{name}", f"one of {', '.join(TABLES)}", name)
        if not isinstance(mapping, dict) or not mapping:
            raise fail(f"columns.{name}", "a mapping of the file's header to a column", mapping)
        known = [c.name for c in TABLES[name].columns]
        targets: dict[str, str] = {}
        for header, target in mapping.items():
            key = f"columns.{name}.{header}"
            if not str(header).strip() or isinstance(header, bool):
                raise fail(key, "a header of the file", header)
            if not isinstance(target, str) or target.strip() not in known:
                raise fail(key, f"one of {', '.join(known)}", target)
            if target.strip() in targets:
                both = f"{targets[target.strip()]} and {header}"
                raise fail(key, f"one header for {target.strip()}", both)
            targets[target.strip()] = str(header)
        columns[name] = {str(h).strip(): t.strip() for h, t in mapping.items()}
    return columns


def _branding(path: Path, raw: object, fail) -> Branding:
    """The ``branding`` mapping, checked: a colour of six hex digits, a logo that is a PNG or
    JPEG image inside the folder, a footer and a watermark of plain text."""
    if raw is None:
        return Branding()
    if not isinstance(raw, dict):
        raise fail("branding", "a mapping of colour, logo, footer and watermark", raw)
    for key in raw:
        if key not in ("colour", "color", "logo", "footer", "watermark"):
            raise fail(f"branding.{key}", "one of colour, logo, footer, watermark", key)
    colour = raw.get("colour", raw.get("color"))
    key = "branding.colour" if "colour" in raw else "branding.color"
    if colour is not None and not (
        isinstance(colour, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", colour.strip())
    ):
        raise fail(key, 'a colour written "#rrggbb" (in quotes), e.g. "#1f4e79"', colour)
    texts = {}
    for name, limit in (("footer", NAME_CHARS.value()), ("watermark", WATERMARK_CHARS)):
        value = raw.get(name, "")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise fail(f"branding.{name}", "a text", value)
        texts[name] = " ".join(str(value).split())
        if len(texts[name]) > limit:
            raise fail(f"branding.{name}", f"a text of at most {limit} characters", value)
    logo = raw.get("logo")
    if logo is not None:
        logo = _logo(path, logo, fail)
    return Branding(
        colour=colour.strip().lower() if colour else None,
        logo=logo,
        footer=texts["footer"],
        watermark=texts["watermark"],
    )


def _logo(path: Path, logo: object, fail) -> Path:
    if not isinstance(logo, str) or not logo.strip():
        raise fail("branding.logo", "the name of an image file in the engagement folder", logo)
    file = path / logo.strip()
    if outside(path, file) is not None:
        raise fail("branding.logo", INSIDE, logo)
    if not file.is_file():
        raise fail("branding.logo", "an existing image file in the engagement folder", logo)
    kind = LOGO_TYPES.get(file.suffix.lower())
    if kind is None:
        raise fail("branding.logo", "a .png, .jpg or .jpeg image", logo)
    if file.stat().st_size > LOGO_MB * 1_000_000:
        raise fail("branding.logo", f"an image of at most {LOGO_MB} MB", logo)
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            ok = image.format == kind and image.width * image.height <= 25_000_000
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        ok = False
    if not ok:
        raise fail("branding.logo", f"a {kind} image of at most 25 megapixels", logo)
    return file
