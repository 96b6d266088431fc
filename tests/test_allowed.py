"""Tests for kamlib.core.allowed: README and the ``kam new`` templates list every allowed value of
every choice column, in both languages, exactly as the loader's dictionaries accept them."""

from __future__ import annotations

import re

import pytest
import yaml

from kamlib.cli import main
from kamlib.core import allowed
from kamlib.core.io import TABLES

CHOICE_COLUMNS = [
    (table.name, column.name, column.choices)
    for table in TABLES.values()
    for column in table.columns
    if column.choices
]


def accepted(choices: dict[str, str]) -> dict[str, str]:
    """Every spelling the loader reads, each value included as a spelling of itself."""
    return {**choices, **{value: value for value in choices.values()}}


def test_every_choice_column_is_listed() -> None:
    listed = {key for group in allowed.choice_columns() for key, _ in group.columns}
    assert listed == {f"{t}.{c}" for t, c, _ in CHOICE_COLUMNS}
    assert {"contacts.role", "opportunities.objection", "relationships.stage"} <= listed


def test_the_files_are_up_to_date() -> None:
    for path, text in allowed.generated().items():
        assert path.read_text(encoding="utf-8") == text, f"run `make docs`: {path} is stale"


def readme_rows() -> dict[str, dict[str, str]]:
    """README's table as ``file.column`` → spelling → value (the column cell carried down)."""
    text = allowed.README.read_text(encoding="utf-8")
    block = text.split(allowed.MD_BEGIN)[1].split(allowed.MD_END)[0]
    result: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    for line in block.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 5, line
        if cells[0]:
            columns = re.findall(r"`([\w.]+)`", cells[0])
        value = cells[1].strip("`")
        spellings = [s.strip().strip("`") for cell in cells[2:] for s in cell.split(",")]
        for column in columns:
            mapping = result.setdefault(column, {})
            for spelling in [value, *filter(None, spellings)]:
                assert mapping.get(spelling, value) == value, f"{column}: {spelling} twice"
                mapping[spelling] = value
    return result


@pytest.mark.parametrize(("table", "column", "choices"), CHOICE_COLUMNS)
def test_readme_lists_every_value(table: str, column: str, choices: dict[str, str]) -> None:
    assert readme_rows()[f"{table}.{column}"] == accepted(choices)


def test_readme_has_both_languages_for_every_value() -> None:
    for group in allowed.choice_columns():
        for choice in group.choices:
            assert choice.english and choice.chinese, choice


def template_lists(text: str) -> dict[str, dict[str, str]]:
    """The comment block of an engagement.yaml as ``file.column`` → spelling → value."""
    block = text.split(allowed.YAML_BEGIN)[1].split(allowed.YAML_END)[0]
    result: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    for line in block.strip().splitlines():
        heading = re.fullmatch(r"#   (\S.*):", line)
        if heading:
            columns = re.findall(r"([a-z_]+\.[a-z_]+)", heading[1])
            continue
        value, _, rest = re.fullmatch(r"#     (.+)", line)[1].partition(": ")
        for column in columns:
            mapping = result.setdefault(column, {})
            mapping.update({s: value for s in [value, *rest.split(", ")] if s})
    return result


@pytest.mark.parametrize("language", ["zh", "en"])
def test_kam_new_writes_the_values_into_engagement_yaml(tmp_path, capsys, language) -> None:
    folder = tmp_path / "acme"
    assert main(["new", str(folder), "--language", language]) == 0
    text = (folder / "engagement.yaml").read_text(encoding="utf-8")
    lists = template_lists(text)
    for table, column, choices in CHOICE_COLUMNS:
        assert lists[f"{table}.{column}"] == accepted(choices)
    # comments only: the settings are those of the template without the block
    bare = re.sub(
        rf"{re.escape(allowed.YAML_BEGIN)}.*?{re.escape(allowed.YAML_END)}", "", text, flags=re.S
    )
    assert yaml.safe_load(text) == yaml.safe_load(bare)


def test_replace_between_needs_both_markers() -> None:
    text = "a\n<!-- b -->\nold\n<!-- e -->\nz\n"
    assert allowed.replace_between(text, "<!-- b -->", "<!-- e -->", "new") == (
        "a\n<!-- b -->\nnew\n<!-- e -->\nz\n"
    )
    with pytest.raises(ValueError, match="no lines"):
        allowed.replace_between("a\n<!-- b -->\n", "<!-- b -->", "<!-- e -->", "new")
