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
import kamlib.render.deck  # noqa: F401  (the messages of the exports and the deck)
from kamlib.core.i18n import GROUPS, LANGUAGES, SPECS, TEXT, Words, register
from kamlib.core.notes import Note

PACKAGE = Path(kamlib.__file__).resolve().parent
SOURCES = sorted(PACKAGE.rglob("*.py"))
NOTEBOOKS = sorted((PACKAGE / "notebooks").glob("*.ipynb"))
TEMPLATES = sorted(p for p in (PACKAGE / "templates").rglob("*.j2"))
# calls whose first argument is a message key
KEYED_CALLS = {"w", "words", "t", "of"}


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


def test_every_message_has_both_languages_and_every_group_is_registered():
    assert set(GROUPS) >= {"frame", "industry", "segmentation", "competitors", "accounts"}
    for key, texts in TEXT.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        # the same placeholders in both languages
        names = [sorted(set(re.findall(r"\{(\w+)(?::\w+)?\}", texts[lang]))) for lang in LANGUAGES]
        assert names[0] == names[1], key


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
    assert en.money(12_345) == "USD 12,345"
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
