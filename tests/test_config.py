"""Tests for kamlib.core.config: reading and checking an engagement folder's engagement.yaml.

Every test runs inside its own ``tmp_path`` (made the working directory), so messages show the
yaml as ``eng/engagement.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kamlib.core.config import Engagement, load_engagement
from kamlib.core.errors import KamError

# Line numbers matter: title is line 1 ... currency line 7, industry_selection lines 8-10.
GOOD = """\
title: 2026 行业选择
client: 某银行
company: 某咨询公司
consultant: 张三
date: 2026-11-20
language: zh
currency: CNY
industry_selection:
  top_n: 3
  method: ahp
"""

CONFIG = "eng/engagement.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write_engagement(folder: Path, text: str) -> Path:
    """Create ``folder`` with an engagement.yaml holding ``text``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "engagement.yaml").write_text(text, encoding="utf-8")
    return folder


def error_of(folder: Path) -> KamError:
    with pytest.raises(KamError) as excinfo:
        load_engagement(folder)
    return excinfo.value


def replaced(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def write_industries_csv(path: Path, rows: dict[str, int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["行业,市场容量"] + [f"{name},{score}" for name, score in rows.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- a valid engagement ----------------------------------------------------------------------


def test_valid_engagement_loads(tmp_path: Path) -> None:
    folder = write_engagement(tmp_path / "eng", GOOD)
    eng = load_engagement(folder)

    assert isinstance(eng, Engagement)
    assert eng.path == folder.resolve()
    assert eng.name == "eng"
    assert eng.config_file == folder.resolve() / "engagement.yaml"
    assert (eng.title, eng.client, eng.company, eng.consultant) == (
        "2026 行业选择",
        "某银行",
        "某咨询公司",
        "张三",
    )
    assert eng.date == "2026-11-20"  # a YAML date becomes ISO text
    assert (eng.language, eng.currency) == ("zh", "CNY")
    assert eng.sections["industry_selection"] == {"top_n": 3, "method": "ahp"}
    assert eng.settings("industry_selection") == {"top_n": 3, "method": "ahp"}
    assert eng.settings("other") == {}
    assert eng.files == {}
    assert eng.parameters() == {"engagement": str(folder.resolve())}


def test_lines_map_dotted_keys_to_line_numbers(tmp_path: Path) -> None:
    eng = load_engagement(write_engagement(tmp_path / "eng", GOOD))

    assert eng.lines == {
        "title": 1,
        "client": 2,
        "company": 3,
        "consultant": 4,
        "date": 5,
        "language": 6,
        "currency": 7,
        "industry_selection": 8,
        "industry_selection.top_n": 9,
        "industry_selection.method": 10,
    }


def test_quoted_date_and_english_language(tmp_path: Path) -> None:
    text = replaced("date: 2026-11-20", 'date: "2026-11-20"').replace(
        "language: zh", "language: en"
    )
    eng = load_engagement(write_engagement(tmp_path / "eng", text))

    assert (eng.date, eng.language) == ("2026-11-20", "en")


def test_section_is_optional(tmp_path: Path) -> None:
    text = GOOD.split("industry_selection:")[0]
    eng = load_engagement(write_engagement(tmp_path / "eng", text))

    assert eng.sections == {"industry_selection": {}, "segmentation": {}, "competitors": {}}


def test_engagement_error_points_at_key_line(tmp_path: Path) -> None:
    eng = load_engagement(write_engagement(tmp_path / "eng", GOOD))
    err = eng.error("industry_selection.top_n", "a whole number ≥ 1", 3.5)

    assert str(err) == (
        f'{CONFIG}, line 9, key industry_selection.top_n: expected a whole number ≥ 1, found "3.5"'
    )


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "problem"),
    [
        (
            "client: 某银行",
            "client: 某银行: 总行",
            2,
            'mapping values are not allowed here. A value that holds ": " must be in quotes, '
            'e.g. title: "Key accounts: 2025 plan"',
        ),
        (
            "currency: CNY",
            "currency: CNY\n\tnote: x",
            8,
            "character '\\t' that cannot start any token",  # not "found found character"
        ),
    ],
)
def test_yaml_syntax_error_names_its_line(
    tmp_path: Path, old: str, new: str, line: int, problem: str
) -> None:
    err = error_of(write_engagement(tmp_path / "eng", replaced(old, new)))

    assert str(err) == f"{CONFIG}, line {line}: expected valid YAML, found {problem}"
    assert err.line == line


def test_missing_folder(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nope")

    assert str(err) == "nope: expected an engagement folder, found no such folder"


def test_missing_engagement_yaml(tmp_path: Path) -> None:
    (tmp_path / "eng").mkdir()
    err = error_of(tmp_path / "eng")

    assert str(err) == (
        f"{CONFIG}: expected an engagement.yaml file, found no such file (kam new creates one)"
    )


@pytest.mark.parametrize(
    "key", ["title", "client", "company", "consultant", "date", "language", "currency"]
)
def test_missing_required_key(tmp_path: Path, key: str) -> None:
    text = "".join(line for line in GOOD.splitlines(True) if not line.startswith(f"{key}:"))
    err = error_of(write_engagement(tmp_path / "eng", text))

    assert str(err) == f"{CONFIG}, key {key}: expected a key {key}, found none"


ALLOWED = (
    "title, client, company, consultant, date, language, currency, files, columns, branding, "
    "industry_selection, "
    "segmentation, competitors"
)


@pytest.mark.parametrize(
    ("old", "new", "typo", "line"),
    [
        ("title:", "titel:", "titel", 1),
        ("industry_selection:", "industry_selecton:", "industry_selecton", 8),
    ],
)
def test_unknown_top_level_key(tmp_path: Path, old: str, new: str, typo: str, line: int) -> None:
    err = error_of(write_engagement(tmp_path / "eng", replaced(old, new)))

    assert str(err) == (
        f'{CONFIG}, line {line}, key {typo}: expected one of {ALLOWED}, found "{typo}"'
    )


def test_unsupported_language(tmp_path: Path) -> None:
    err = error_of(write_engagement(tmp_path / "eng", replaced("language: zh", "language: fr")))

    assert str(err) == f'{CONFIG}, line 6, key language: expected zh or en, found "fr"'


def test_date_not_iso(tmp_path: Path) -> None:
    text = replaced("date: 2026-11-20", "date: 20/11/2026")
    err = error_of(write_engagement(tmp_path / "eng", text))

    assert str(err) == (
        f'{CONFIG}, line 5, key date: expected a date written YYYY-MM-DD, found "20/11/2026"'
    )


@pytest.mark.parametrize("value", ["20261120", "2026-W47-5"])
def test_date_in_other_iso_forms_is_refused(tmp_path: Path, value: str) -> None:
    text = replaced("date: 2026-11-20", f"date: {value}")
    err = error_of(write_engagement(tmp_path / "eng", text))

    assert str(err) == (
        f'{CONFIG}, line 5, key date: expected a date written YYYY-MM-DD, found "{value}"'
    )


def test_files_entry_for_missing_file(tmp_path: Path) -> None:
    text = GOOD + "files:\n  industries: 行业评分.csv\n"
    err = error_of(write_engagement(tmp_path / "eng", text))

    assert str(err) == (
        f"{CONFIG}, line 12, key files.industries: "
        'expected an existing file in the engagement folder, found "行业评分.csv"'
    )


def test_files_entry_for_unknown_template(tmp_path: Path) -> None:
    folder = write_engagement(tmp_path / "eng", GOOD + "files:\n  rivals: rivals.csv\n")
    write_industries_csv(folder / "rivals.csv", {"政府": 9})
    err = error_of(folder)

    assert str(err) == (
        f"{CONFIG}, line 12, key files.rivals: expected one of industries, criteria, "
        "transactions, customers, account_scorecard, scorecard_criteria, competitors, needs, "
        'wallet, contacts, opportunities, relationships, interactions, targets, found "rivals"'
    )


def test_yaml_list_is_not_a_mapping(tmp_path: Path) -> None:
    err = error_of(write_engagement(tmp_path / "eng", "- title: x\n- client: y\n"))

    assert str(err) == f'{CONFIG}: expected a mapping of keys to values, found "list"'


# --- safety ----------------------------------------------------------------------------------


def test_python_tags_are_refused_and_not_executed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    text = replaced(
        "title: 2026 行业选择", 'title: !!python/object/apply:os.system ["echo hacked"]'
    )
    err = error_of(write_engagement(tmp_path / "eng", text))

    assert str(err) == (
        f"{CONFIG}, line 1: expected valid YAML, found could not determine a constructor for "
        "the tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )
    assert "hacked" not in capfd.readouterr().out


def test_python_tags_leave_no_trace(tmp_path: Path) -> None:
    marker = tmp_path / "hacked.txt"
    text = replaced("client: 某银行", f'client: !!python/object/apply:os.system ["touch {marker}"]')
    err = error_of(write_engagement(tmp_path / "eng", text))

    assert err.line == 2
    assert not marker.exists()


# --- data files ------------------------------------------------------------------------------


def test_read_returns_none_without_data_file(tmp_path: Path) -> None:
    eng = load_engagement(write_engagement(tmp_path / "eng", GOOD))

    assert eng.data_file("industries") is None
    assert eng.read("industries") is None
    assert eng.read("criteria") is None


def test_read_finds_industries_xlsx(tmp_path: Path) -> None:
    folder = write_engagement(tmp_path / "eng", GOOD)
    pd.DataFrame({"行业": ["政府", "电信业"], "市场容量": [9, 7]}).to_excel(
        folder / "industries.xlsx", index=False
    )
    eng = load_engagement(folder)
    loaded = eng.read("industries")

    assert loaded is not None
    assert loaded.file == folder.resolve() / "industries.xlsx"
    assert loaded.frame["industry"].tolist() == ["政府", "电信业"]
    assert loaded.frame["市场容量"].tolist() == [9.0, 7.0]
    assert eng.read("criteria") is None


def test_files_mapping_overrides_the_file_name(tmp_path: Path) -> None:
    folder = write_engagement(tmp_path / "eng", GOOD + "files:\n  industries: data/行业评分.csv\n")
    write_industries_csv(folder / "data" / "行业评分.csv", {"政府": 9, "电信业": 7})
    write_industries_csv(folder / "industries.csv", {"默认文件": 1})  # must not be read
    eng = load_engagement(folder)
    loaded = eng.read("industries")

    assert eng.files == {"industries": "data/行业评分.csv"}
    assert eng.lines["files.industries"] == 12
    assert loaded is not None
    assert loaded.file == folder.resolve() / "data" / "行业评分.csv"
    assert loaded.frame["industry"].tolist() == ["政府", "电信业"]
    assert loaded.frame["市场容量"].tolist() == [9.0, 7.0]


def test_read_refuses_two_candidate_files(tmp_path: Path) -> None:
    folder = write_engagement(tmp_path / "eng", GOOD)
    write_industries_csv(folder / "industries.csv", {"政府": 9})
    pd.DataFrame({"行业": ["政府"], "市场容量": [9]}).to_excel(
        folder / "industries.xlsx", index=False
    )
    with pytest.raises(KamError) as excinfo:
        load_engagement(folder).read("industries")

    assert str(excinfo.value) == (
        "eng/industries: expected one data file named industries "
        "(.csv, .xlsx, .xlsm, .xlsb, .xls, .ods, .parquet), "
        "found industries.csv and industries.xlsx"
    )
