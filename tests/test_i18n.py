"""The message catalogue and the number formats: every message in both languages, every key the
code names exists, no code outside kamlib/core/i18n.py compares a language or builds a key."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import kamlib  # noqa: F401  (registers every analysis' messages)
import kamlib.course  # noqa: F401  (the course pack's messages)
import kamlib.render.deck  # noqa: F401  (the messages of the deck)
import kamlib.render.export  # noqa: F401  (the messages of the workbook)
from kamlib.core.i18n import GROUPS, LANGUAGES, SPECS, TEXT, Words, register
from kamlib.core.notes import Note
from kamlib.core.table import format_cell

PACKAGE = Path(kamlib.__file__).resolve().parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
NOTEBOOKS = sorted((PACKAGE / "notebooks").glob("*.ipynb"))
TEMPLATES = sorted(p for p in (PACKAGE / "templates").rglob("*.j2"))
# calls whose first argument is a message key
KEYED_CALLS = {"w", "words", "t", "of", "said"}


def code_units() -> list[tuple[str, ast.AST]]:
    units = [
        (str(p.relative_to(PACKAGE)), ast.parse(p.read_text(encoding="utf-8"))) for p in SOURCES
    ]
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(c for c in cells if c["cell_type"] == "code"):
            units.append((f"{path.name} cell {i}", ast.parse("".join(cell["source"]))))
    return units


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


FULL_WIDTH = re.compile("[\u3000-\u303f\uff01-\uff65]")
"""CJK punctuation and full-width forms: never in English text."""


def test_every_message_has_both_languages_and_every_group_is_registered():
    assert set(GROUPS) >= {"frame", "industry", "segmentation", "competitors", "accounts"}
    for key, texts in TEXT.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        # the same placeholders in both languages, but for a count that only chooses an English
        # word ({n:word:is:are}): Chinese has one form
        names = [set(re.findall(r"\{(\w+)(?::[^}]*)?\}", texts[lang])) for lang in LANGUAGES]
        words_only = set(re.findall(r"\{(\w+):word:", texts["en"])) - set(
            re.findall(r"\{(\w+)(?::(?!word:)[^}]*)?\}", texts["en"])
        )
        assert names[0] == names[1] - words_only, key


def test_every_placeholder_format_is_known():
    for key, texts in TEXT.items():
        for lang in LANGUAGES:
            for spec in re.findall(r"\{\w+:(\w+)\}", texts[lang]):
                assert spec in SPECS, f"{key} ({lang}): unknown format {spec}"


def test_a_key_is_defined_once():
    with pytest.raises(ValueError, match="already defined"):
        register("again", {"contents": {"zh": "目录", "en": "Contents"}})
    with pytest.raises(ValueError, match="needs exactly"):
        register("half", {"only_zh_key": {"zh": "中文"}})


def test_every_literal_key_used_exists():
    missing = []
    for name, tree in code_units():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and called_name(node) in KEYED_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                key = node.args[0].value
                if key not in TEXT:
                    missing.append(f"{name}: {key}")
            # explicit maps of codes to message keys: FOO_WORDS = {...}
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                target = node.targets[0]
                if isinstance(target, ast.Name) and target.id.endswith("_WORDS"):
                    for value in ast.walk(node.value):
                        if isinstance(value, ast.Constant) and isinstance(value.value, str):
                            if value in node.value.keys:
                                continue
                            if value.value not in TEXT:
                                missing.append(f"{name}: {target.id} → {value.value}")
    for path in TEMPLATES:
        for key in re.findall(r"""\bt\(['"](\w+)['"]""", path.read_text(encoding="utf-8")):
            if key not in TEXT:
                missing.append(f"{path.name}: {key}")
    assert missing == []


def test_no_key_is_built_at_run_time():
    built = []
    for name, tree in code_units():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and called_name(node) in KEYED_CALLS
                and node.args
                and isinstance(node.args[0], ast.JoinedStr | ast.BinOp)
            ):
                built.append(f"{name}: line {node.lineno}")
    assert built == []


def test_no_code_outside_i18n_compares_a_language():
    compared = []
    for name, tree in code_units():
        if name == "core/i18n.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Constant) and s.value in LANGUAGES for s in sides):
                    compared.append(f"{name}: line {node.lineno}")
    for path in TEMPLATES:
        if re.search(r"lang\s*==", path.read_text(encoding="utf-8")):
            compared.append(path.name)
    assert compared == []


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", ["甲", "甲和乙", "甲、乙和丙", "无"]),
        ("en", ["A", "A and B", "A, B and C", "none"]),
    ],
)
def test_lists(lang, expected):
    w = Words(lang)
    names = {"zh": ["甲", "乙", "丙"], "en": ["A", "B", "C"]}[lang]
    assert [w.list(names[:1]), w.list(names[:2]), w.list(names), w.list([])] == expected


def test_typed_placeholders_and_helpers():
    zh, en = Words("zh"), Words("en", "USD")
    assert zh.money(12_345) == "1.2 万元" and zh.money(2.5e8) == "2.50 亿元"
    assert en.money(12_345) == "USD 12.3 k" and en.money_cell(12_345) == "USD 12,345"
    assert zh.money_axis() == (1e4, "万元") and en.money_axis() == (1e6, "USD million")
    assert zh.named("甲公司", "C1") == "甲公司（C1）" and en.named("Acme", "C1") == "Acme (C1)"
    assert zh.named("", "C1") == "C1"
    assert zh.clauses(["a", "b"]) == "a；b" and en.clauses(["a", "b"]) == "a; b"
    assert zh.percent(0.998) == "99.8%" and zh.percent(float("nan")) == "—"
    assert zh.signed(-5.5) == "−5.5" and zh.number(1234.0) == "1,234"
    assert zh.html_lang == "zh-CN" and en.html_lang == "en"
    note = Note.of(
        "total_mismatch", industry="电信业", provided=46.0, computed=44.0, difference=2.0
    )
    assert (
        note.text(en) == "电信业: the supplied total is 46, but the scores give 44 (difference 2)."
    )
    assert note.to_json(zh) == {
        "code": "total_mismatch",
        "text": "电信业：数据中的总分为 46，但按评分计算为 44（差 2）。",
        "industry": "电信业",
        "provided": 46.0,
        "computed": 44.0,
        "difference": 2.0,
    }
    with pytest.raises(ValueError):
        Words("fr")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (104_648_363, "CNY 104.6 m"),  # the issue's example
        (12_500, "CNY 12.5 k"),
        (999, "CNY 999"),
        (1_000, "CNY 1.0 k"),
        (999_960, "CNY 1.0 m"),  # the unit is chosen after rounding: never "1,000.0 k"
        (999_949, "CNY 999.9 k"),
        (3_210_000_000, "CNY 3.2 bn"),
        (2_500_000_000_000, "CNY 2,500.0 bn"),
        (-2_450_000, "CNY -2.5 m"),
        (0, "CNY 0"),
    ],
)
def test_money_in_english_running_text_is_compact(amount, text):
    assert Words("en").money(amount) == text


def test_money_in_tables_keeps_the_full_figure():
    en, zh = Words("en"), Words("zh")
    assert en.money_cell(104_648_363) == "CNY 104,648,363"
    assert format_cell(104_648_363, "money", en) == "CNY 104,648,363"
    assert en("f_overview", start="2025-01-01", end="2025-12-31", customers=3, revenue=1.25e6) == (
        "From 2025-01-01 to 2025-12-31, 3 customers brought CNY 1.3 m."
    )  # 1.25 rounds half up, as a spreadsheet shows it
    # Chinese running text and tables: 万元 / 亿元, as before
    assert zh.money(104_648_363) == "1.05 亿元" and zh.money_cell(104_648_363) == "1.05 亿元"
    assert Words("en", "USD").money_cell(float("nan")) == "—"


@pytest.mark.parametrize(
    ("values", "text"),
    [
        (
            {"up": 1, "down": 0, "new": 1, "lost": 2},
            "Against the previous period, 1 customer moved up a tier, 0 slipped, 1 is new and 2 "
            "brought no revenue this period.",
        ),
        (
            {"up": 2, "down": 1, "new": 3, "lost": 0},
            "Against the previous period, 2 customers moved up a tier, 1 slipped, 3 are new and 0 "
            "brought no revenue this period.",
        ),
    ],
)
def test_plurals_follow_the_count(values, text):
    assert Words("en")("f_migration", **values) == text


def test_one_plural_mechanism_for_every_counted_word():
    en, zh = Words("en"), Words("zh")
    assert en("stage_next", name="mid", count=1) == " Reaching “mid” needs 1 more indicator."
    assert en("stage_next", name="mid", count=3) == " Reaching “mid” needs 3 more indicators."
    assert en("f_selected", k=1, n=1, threshold="x", names=["A"]) == (
        "1 of 1 candidate industry reaches the threshold (x) and is selected: A."
    )
    assert en("f_selected", k=2, n=5, threshold="x", names=["A", "B"]) == (
        "2 of 5 candidate industries reach the threshold (x) and are selected: A and B."
    )
    assert en("f_owners_missing", count=1) == (
        "1 account has no owner for development or maintenance yet."
    )
    assert en("f_plans", n=1, go=1, flagged=0) == (
        "1 account plan: the main opportunity is a go at 1 account, and 0 accounts have red flags."
    )
    assert zh("f_owners_missing", count=1) == "1 个客户尚未指定开发或维护负责人。"
    assert [en.plural(n, "account", "accounts") for n in (0, 1, 2, 1.5)] == [
        "accounts",
        "account",
        "accounts",
        "accounts",
    ]
    assert zh.plural(1, "account", "accounts") == "accounts"  # one form: the "other" one


def test_english_messages_have_no_chinese_punctuation_and_one_percent_style():
    for key, texts in TEXT.items():
        en = texts["en"]
        assert not FULL_WIDTH.findall(en), f"{key}: {FULL_WIDTH.findall(en)}"
        assert not re.search(r"\d %", en), f"{key}: a percent sign after a space"


def test_ranks_are_ordinals_in_english():
    en = Words("en")
    assert [en.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "111th",
    ]
    assert Words("zh").ordinal(2) == "2"  # the message writes 第 2
    text = en("f_we_rank", us="Us", rank=2, n=9, score=7.3, leader="Them", gap=0.03)
    assert text == "Us ranks 2nd of 9 with a competitive score of 7.30, 0.03 behind Them."


def test_a_finding_knows_its_message_key_and_survives_a_worker():
    import pickle

    said = Words("en").said(
        "f_overview", start="2025-01-01", end="2025-12-31", customers=3, revenue=1e6
    )
    assert said == "From 2025-01-01 to 2025-12-31, 3 customers brought CNY 1.0 m."
    back = pickle.loads(pickle.dumps(said))
    assert back == said and back.key == "f_overview" and isinstance(back, str)
