"""Words and number formats of the report in its two languages, ``zh`` and ``en``.

One catalogue of messages, each ``{"zh": ..., "en": ...}``: the report frame's words live here,
each analysis registers its own group (``kamlib/analyses/<name>/messages.py``). A message's
placeholders may carry a format: ``{total:num}``, ``{share:pct}``, ``{revenue:money}``,
``{names:list}`` (see :data:`SPECS`), so callers pass raw values and the format is applied here.
Counted words take the language's plural rule (Babel's CLDR rules): ``{n:plural:account:accounts}``
is "1 account" / "3 accounts", ``{n:word:is:are}`` the word alone; Chinese has one form.
:class:`Words` binds a language and a currency once; nothing outside this module compares a
language.
"""

from __future__ import annotations

import decimal
import math
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from babel import Locale

LANGUAGES = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}
MISSING = "—"

TEXT: dict[str, dict[str, str]] = {}
GROUPS: dict[str, tuple[str, ...]] = {}


FRAME: dict[str, dict[str, str]] = {
    # report frame
    "contents": {"zh": "目录", "en": "Contents"},
    "summary": {"zh": "执行摘要", "en": "Executive summary"},
    "prepared_for": {"zh": "呈送", "en": "Prepared for"},
    "prepared_by": {"zh": "顾问", "en": "Consultant"},
    "company": {"zh": "分析对象", "en": "Company analysed"},
    "date": {"zh": "日期", "en": "Date"},
    "analyses": {"zh": "分析报告", "en": "Analyses"},
    "appendix": {"zh": "附录：方法说明与数据质量", "en": "Appendix: method notes and data quality"},
    "no_warnings": {"zh": "未发现数据质量问题。", "en": "No data-quality issues were found."},
    "warnings": {"zh": "数据质量提示", "en": "Data-quality warnings"},
    "generated": {"zh": "生成时间", "en": "Generated"},
    "go": {"zh": "推进", "en": "go"},
    "no_go": {"zh": "暂缓", "en": "no-go"},
    "no_plan_data": {"zh": "尚无计划数据", "en": "no plan data yet"},
    "rag_red": {"zh": "红", "en": "red"},
    "rag_amber": {"zh": "黄", "en": "amber"},
    "rag_green": {"zh": "绿", "en": "green"},
    "none": {"zh": "无", "en": "none"},
    # notes of the loader
    "read_file": {
        "zh": "读取 {file}：表头在第 {row} 行；{columns:list}",
        "en": "read {file}: header in row {row}; {columns:list}",
    },
    "read_sheet": {
        "zh": "读取 {file} 的工作表“{sheet}”：表头在第 {row} 行；{columns:list}",
        "en": "read sheet “{sheet}” of {file}: header in row {row}; {columns:list}",
    },
    "read_as_template": {"zh": "表头与模板一致", "en": "headers as in the template"},
    "read_other_sheets": {
        "zh": "其余工作表未读取：{others:list}",
        "en": "other sheets not read: {others:list}",
    },
    "read_ignored": {
        "zh": "“{header}”未读取（同一列已从另一表头读取）",
        "en": "“{header}” not read (its column is read from another header)",
    },
    "column_ignored": {
        "zh": "{file}：列“{column}”未被使用，已忽略。",
        "en": "{file}: column “{column}” is not used and was ignored.",
    },
    "ids_folded": {
        "zh": "{file}：{count} 种客户编号写法按统一规则（全角转半角、组合字符合并、去除不可见字符与"
        "首尾空格）读作 {ids} 个客户编号，相同编号视为同一客户：{examples:list}。",
        "en": "{file}: {count:plural:form:forms} of customer IDs read as {ids:plural:ID:IDs} by "
        "the one ID rule (full-width characters, decomposed accents, invisible characters and "
        "spaces folded), and an ID equal by it is one customer: {examples:list}.",
    },
    "back": {"zh": "返回首页", "en": "Back to the overview"},
    "stale_report": {
        "zh": "此报告已过期：{time} 重新生成失败，未完成的输出在 {failed}。"
        "请修正问题并重新生成后再发送。",
        "en": "This report is out of date: rendering it again at {time} failed, and the partial "
        "output is in {failed}. Fix the problem and render again before sending it.",
    },
    "logo": {"zh": "标志", "en": "Logo"},
    "chart": {"zh": "图表", "en": "Chart"},
}


def register(group: str, messages: Mapping[str, Mapping[str, str]]) -> None:
    """Add a group of messages to the catalogue; a key may be defined once only, and every message
    needs both languages."""
    for key, texts in messages.items():
        if key in TEXT:
            raise ValueError(f"message {key!r} of {group} is already defined")
        if set(texts) != set(LANGUAGES):
            raise ValueError(f"message {key!r} of {group} needs exactly {LANGUAGES}")
        TEXT[key] = dict(texts)
    GROUPS[group] = tuple(messages)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fixed(value: float, digits: int, separators: bool = True) -> str:
    """``value`` with ``digits`` decimals, rounded half up as a spreadsheet shows it: the number
    as written (4.35, whose binary float is 4.3499…) rounds to 4.4, -4.35 to -4.4. Every figure
    a report shows is rounded here, so that a table, a chart, a sentence and the workbook's
    display agree."""
    exact = decimal.Decimal(repr(float(value)))
    rounded = exact.quantize(decimal.Decimal(1).scaleb(-digits), rounding=decimal.ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0.0"
    return f"{rounded:,.{digits}f}" if separators else f"{rounded:.{digits}f}"


def fmt_number(value: float | None, digits: int = 1) -> str:
    """A number with thousands separators; whole numbers without decimals; ``—`` for none."""
    if _missing(value):
        return MISSING
    value = float(value)  # type: ignore[arg-type]
    if value.is_integer():
        return f"{int(value):,}"
    return fixed(value, digits)


def fmt_exact(value: float | None, digits: int = 2) -> str:
    """A figure as exactly as a note about it needs, at most ``digits`` decimals and no
    trailing zeros: 46, 4.3, 4.35 (a table shows 4.4)."""
    text = fmt_number(value, digits)
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt_signed(value: float, digits: int = 1) -> str:
    """A number with its sign, using the true minus sign."""
    if _missing(value):
        return MISSING
    text = fmt_number(abs(value), digits)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


ORDINAL_SUFFIXES = {"en": {"one": "st", "two": "nd", "few": "rd", "other": "th"}, "zh": {}}
"""The ending of an ordinal by its CLDR category; Chinese puts 第 before the number instead."""

COMPACT_UNITS = ((1e3, "k"), (1e6, "m"), (1e9, "bn"))
"""English running text's units of large amounts."""


def fmt_compact(value: float) -> str:
    """A large amount in running English: 104,648,363 → ``104.6 m``, 12,500 → ``12.5 k``,
    3,200,000,000 → ``3.2 bn``; below 1,000 the whole number (``950``). A figure that would
    round to 1,000 of a unit takes the next one: 999,960 is ``1.0 m``, never ``1,000.0 k``."""
    chosen: tuple[float, str] | None = None
    for size, unit in COMPACT_UNITS:
        if abs(value) >= size or (chosen and round(abs(value) / chosen[0], 1) >= 1000):
            chosen = (size, unit)
    if chosen is None:
        return fixed(value, 0)
    return f"{fixed(value / chosen[0], 1)} {chosen[1]}"


def fmt_percent(share: float, digits: int = 0) -> str:
    """A fraction as a percentage: 0.634 → ``63%``. A share that is not exactly 0 or 1 never
    shows as ``0%`` or ``100%``: it gets a decimal more (0.998 → ``99.8%``)."""
    if _missing(share):
        return MISSING
    text = f"{fixed(share * 100, digits, False)}%"
    while 0 < share < 1 and text in (f"{0:.{digits}f}%", f"{100:.{digits}f}%") and digits < 3:
        digits += 1
        text = f"{fixed(share * 100, digits, False)}%"
    return text


class Said(str):
    """A sentence of the report with the message key it was made from."""

    key: str

    def __new__(cls, text: str, key: str) -> Said:
        sentence = super().__new__(cls, text)
        sentence.key = key
        return sentence

    def __reduce__(self):  # a worker sends it back whole
        return (Said, (str(self), self.key))


class Words:
    """A report's language and currency, resolved once: its messages and its number formats.

    ``words("f_selected", n=4, names=["甲", "乙"])`` fills a message; the other methods format
    single values the way the report shows them.
    """

    def __init__(self, language: str, currency: str = "CNY") -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r}: expected one of {LANGUAGES}")
        self.language = language
        self.currency = currency
        self._locale = Locale.parse(language)
        self._formatter = _Formatter(self)

    def __repr__(self) -> str:
        return f"Words({self.language!r}, {self.currency!r})"

    @property
    def latin_first(self) -> bool:
        """Whether text is set in a Latin font first, with the CJK font after it for Chinese
        names: in English, so that quotes, parentheses and digits are not full-width."""
        return self.language == "en"

    @property
    def html_lang(self) -> str:
        """The language as an HTML ``lang`` attribute."""
        return HTML_LANG[self.language]

    def __call__(self, key: str, **values: Any) -> str:
        return self._formatter.vformat(TEXT[key][self.language], (), values)

    def said(self, key: str, **values: Any) -> Said:
        """A finding: the message ``key`` filled, as a :class:`Said` that knows its key (a
        slide's headline is the finding its chart shows)."""
        return Said(self(key, **values), key)

    def plural(self, count: float, one: str, other: str) -> str:
        """The form of a counted word: ``one`` for 1 in English, ``other`` otherwise (and always
        in Chinese), by the language's CLDR plural rule."""
        return one if self._locale.plural_form(abs(count)) == "one" else other

    def ordinal(self, n: int) -> str:
        """A rank as an ordinal: ``2nd`` in English (CLDR's ordinal rule), ``2`` in Chinese,
        whose messages write 第 themselves."""
        return f"{n:,}{ORDINAL_SUFFIXES[self.language].get(self._locale.ordinal_form(n), '')}"

    # -- single values
    number = staticmethod(fmt_number)
    signed = staticmethod(fmt_signed)
    percent = staticmethod(fmt_percent)

    @property
    def _chinese_money(self) -> bool:
        return self.language == "zh" and self.currency.upper() in ("CNY", "RMB", "人民币", "元")

    def money(self, value: float | None) -> str:
        """An amount in running text: 万元 / 亿元 in Chinese reports, ``CNY 104.6 m`` (k, m, bn)
        in English ones; see :meth:`money_cell` for tables."""
        if _missing(value):
            return MISSING
        if self._chinese_money:
            if abs(value) >= 1e8:
                return f"{fixed(value / 1e8, 2)} 亿元"
            if abs(value) >= 1e4:
                return f"{fixed(value / 1e4, 1)} 万元"
            return f"{fixed(value, 0)} 元"
        if self.language == "en":
            return f"{self.currency} {fmt_compact(value)}"
        return self.money_cell(value)

    def money_cell(self, value: float | None) -> str:
        """An amount in a table: the full figure with thousands separators and the currency
        (``CNY 104,648,363``); 万元 / 亿元 as in running text in Chinese reports in yuan."""
        if _missing(value):
            return MISSING
        if self._chinese_money:
            return self.money(value)
        return f"{self.currency} {fixed(value, 0)}"

    @property
    def money_unit(self) -> str:
        """The unit of a raw amount: 元 in Chinese reports in yuan, else the currency code."""
        return "元" if self._chinese_money else self.currency

    def money_axis(self) -> tuple[float, str]:
        """The unit and the axis label for a chart of amounts: (1e4, "万元") or (1e6, "CNY million")."""
        if self._chinese_money:
            return 1e4, "万元"
        return 1e6, f"{self.currency} million"

    def list(self, names: Iterable[object]) -> str:
        """A list as prose: ``甲、乙和丙`` / ``A, B and C``; ``无`` / ``none`` when empty."""
        names = [str(n) for n in names]
        if not names:
            return self("none")
        if len(names) == 1:
            return names[0]
        if self.language == "zh":
            return "、".join(names[:-1]) + "和" + names[-1]
        return ", ".join(names[:-1]) + " and " + names[-1]

    def paren(self, text: object, inner: object) -> str:
        """``text（inner）`` in Chinese, ``text (inner)`` in English."""
        if self.language == "zh":
            return f"{text}（{inner}）"
        return f"{text} ({inner})"

    def named(self, name: object, ident: object) -> str:
        """A customer as ``name (id)``, or the ID alone when there is no name."""
        if _missing(name) or not str(name):
            return str(ident)
        return self.paren(name, ident)

    def clauses(self, parts: Iterable[str]) -> str:
        """Clauses of one sentence: ``甲；乙`` / ``a; b``."""
        return ("；" if self.language == "zh" else "; ").join(parts)

    def colon(self, label: object, text: object) -> str:
        """``label：text`` / ``label: text``."""
        return f"{label}：{text}" if self.language == "zh" else f"{label}: {text}"


SPECS: dict[str, Callable[[Words, Any], str]] = {
    "num": lambda w, v: fmt_number(v, 1),
    "num0": lambda w, v: fmt_number(round(v) if not _missing(v) else v, 0),
    "num1": lambda w, v: fmt_number(v, 1),
    "num2": lambda w, v: fmt_number(v, 2),
    "exact": lambda w, v: fmt_exact(v),
    "num3": lambda w, v: fmt_number(v, 3),
    "int": lambda w, v: MISSING if _missing(v) else f"{int(v):,}",
    "signed": lambda w, v: fmt_signed(v, 1),
    "ord": lambda w, v: w.ordinal(int(v)),
    "pct": lambda w, v: fmt_percent(v, 0),
    "pct1": lambda w, v: fmt_percent(v, 1),
    "money": lambda w, v: w.money(v),
    "list": lambda w, v: w.list(v),
    "amounts": lambda w, v: w.list(w.paren(name, w.money(amount)) for name, amount in v),
    "fix2": lambda w, v: fixed(v, 2, False),
    "fix3": lambda w, v: fixed(v, 3, False),
}
"""Placeholder formats: ``{value:SPEC}`` in a message."""


def register_format(name: str, word_keys: Mapping[Any, str]) -> None:
    """A placeholder format that shows a code as its word: ``{role:role}`` with
    ``{"decision_maker": "role_decision_maker", ...}`` (an explicit map, no key building)."""
    if name in SPECS:
        raise ValueError(f"format {name!r} is already defined")
    keys = dict(word_keys)
    SPECS[name] = lambda w, v: w(keys[v])


class _Formatter(string.Formatter):
    def __init__(self, words: Words) -> None:
        self.words = words

    def format_field(self, value: Any, format_spec: str) -> str:
        kind, _, forms = format_spec.partition(":")
        if kind in ("plural", "word"):
            one, other = forms.split(":")
            word = self.words.plural(value, one, other)
            return word if kind == "word" else f"{fmt_number(value)} {word}"
        if format_spec in SPECS:
            return SPECS[format_spec](self.words, value)
        return super().format_field(value, format_spec)


register("frame", FRAME)
