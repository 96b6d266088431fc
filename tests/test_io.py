"""Tests for kamlib.core.io: the one loader of CSV / Excel / Parquet data tables.

Rows in error messages follow spreadsheet numbering: the header is row 1, the first data row is
row 2. Every test runs inside its own ``tmp_path`` (made the working directory) so messages show
bare file names.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.core.io import KINDS, NUMBERS, find_file, read_table
from kamlib.core.notes import Note

# The small industries table every format variant encodes.
INDUSTRIES_CSV = "行业,市场容量,竞争程度,总分\n政府,9,-3,6\n电信业,9,-5,4\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def industries_frame() -> pd.DataFrame:
    """The small industries table with its Chinese headers, as a user would type it."""
    return pd.DataFrame(
        {
            "行业": ["政府", "电信业"],
            "市场容量": [9, 9],
            "竞争程度": [-3, -5],
            "总分": [6, 4],
        }
    )


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def write_variant(folder: Path, variant: str) -> Path:
    """Write the industries table in one file format / encoding and return its path."""
    if variant == "utf-8":
        return write_text(folder / "industries.csv", INDUSTRIES_CSV, "utf-8")
    if variant == "utf-8-bom":
        return write_text(folder / "industries.csv", INDUSTRIES_CSV, "utf-8-sig")
    if variant == "gbk":
        return write_text(folder / "industries.csv", INDUSTRIES_CSV, "gbk")
    if variant == "xlsx":
        path = folder / "industries.xlsx"
        industries_frame().to_excel(path, index=False)
        return path
    if variant == "parquet":
        path = folder / "industries.parquet"
        industries_frame().to_parquet(path, index=False)
        return path
    raise ValueError(variant)


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Sheet1") -> Path:
    """An .xlsx with one sheet holding ``rows`` exactly as given (``None`` is an empty cell)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def error_of(path: Path, table: str = "industries") -> KamError:
    with pytest.raises(KamError) as excinfo:
        read_table(path, table)
    return excinfo.value


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- industries: one table, five file variants ----------------------------------------------

VARIANTS = ["utf-8", "utf-8-bom", "gbk", "xlsx", "parquet"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_industries_variants_load_to_the_same_frame(tmp_path: Path, variant: str) -> None:
    path = write_variant(tmp_path, variant)
    loaded = read_table(path, "industries")

    assert loaded.file == path
    assert loaded.extra == ["市场容量", "竞争程度"]
    assert loaded.warnings == []
    frame = loaded.frame
    assert list(frame.columns) == ["industry", "市场容量", "竞争程度", "total", "note"]
    assert frame["industry"].tolist() == ["政府", "电信业"]
    assert frame["note"].tolist() == ["", ""]
    for column in ("市场容量", "竞争程度", "total"):
        assert frame[column].dtype == "float64", column
    expected = pd.DataFrame({"市场容量": [9.0, 9.0], "竞争程度": [-3.0, -5.0], "total": [6.0, 4.0]})
    pd.testing.assert_frame_equal(frame[["市场容量", "竞争程度", "total"]], expected)


def test_gbk_bytes_really_are_not_utf8(tmp_path: Path) -> None:
    """Guards the GBK variant above: its bytes must need the GB18030 fallback."""
    raw = write_variant(tmp_path, "gbk").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_english_canonical_headers(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "industries.csv",
        "industry,Market size,total,note\n政府,9,6,重点\n电信业,7,4,\n",
    )
    loaded = read_table(path, "industries")

    assert list(loaded.frame.columns) == ["industry", "Market size", "total", "note"]
    assert loaded.extra == ["Market size"]
    assert loaded.frame["industry"].tolist() == ["政府", "电信业"]
    assert loaded.frame["Market size"].tolist() == [9.0, 7.0]
    assert loaded.frame["total"].tolist() == [6.0, 4.0]
    assert loaded.frame["note"].tolist() == ["重点", ""]


@pytest.mark.parametrize(
    ("industry_header", "total_header"),
    [
        ("Industry", "TOTAL"),
        ("  industry ", " Total  "),
        ("INDUSTRY", "总分 "),
        ("ｉｎｄｕｓｔｒｙ", "ＴＯＴＡＬ"),  # full-width letters
        (" 行业名称", "合计"),
        ("候选行业", "得分"),
    ],
)
def test_header_aliases_ignore_case_and_whitespace(
    tmp_path: Path, industry_header: str, total_header: str
) -> None:
    path = write_text(
        tmp_path / "industries.csv",
        f"{industry_header},{total_header}, 市场容量 \n政府,6,9\n",
    )
    loaded = read_table(path, "industries")

    assert list(loaded.frame.columns) == ["industry", "total", "市场容量", "note"]
    assert loaded.extra == ["市场容量"]
    assert loaded.frame["industry"].tolist() == ["政府"]
    assert loaded.frame["total"].tolist() == [6.0]
    assert loaded.frame["市场容量"].tolist() == [9.0]


def test_fullwidth_digits_thousands_separator_and_unicode_minus(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "industries.csv",
        '行业,市场容量,竞争程度,总分\n政府,"1,234",\u22123,１２\n电信业,９,－５,"２,０００"\n',
    )
    loaded = read_table(path, "industries")

    assert loaded.frame["市场容量"].tolist() == [1234.0, 9.0]
    assert loaded.frame["竞争程度"].tolist() == [-3.0, -5.0]
    assert loaded.frame["total"].tolist() == [12.0, 2000.0]


def test_invisible_characters_in_a_number_are_not_there(tmp_path: Path) -> None:
    """Issue 28: a stray BOM where two exports were pasted together was 'found "\ufeff9"'."""
    path = write_text(
        tmp_path / "industries.csv",
        "行业,市场容量,竞争程度\n政府,\ufeff9,-3\n电信业,9\u200b,\u2060-5\n",
    )
    loaded = read_table(path, "industries")
    assert loaded.frame["市场容量"].tolist() == [9.0, 9.0]
    assert loaded.frame["竞争程度"].tolist() == [-3.0, -5.0]


def test_an_unclosed_quote_is_named_at_its_row(tmp_path: Path) -> None:
    """Issue 28: the quote swallowed every row after it into one cell, and the message was
    about an empty number cell."""
    path = write_text(tmp_path / "industries.csv", '行业,市场容量\n政府,9\n"电信,9\n教育,5\n')
    assert str(error_of(path)) == (
        'industries.csv, row 3: expected every quoted cell closed (a cell that starts with " '
        'ends with "), found a quote that opens in this row and is never closed'
    )


# --- criteria --------------------------------------------------------------------------------


def test_criteria_defaults_when_columns_absent(tmp_path: Path) -> None:
    path = write_text(tmp_path / "criteria.csv", "指标\n市场容量\n竞争程度\n")
    loaded = read_table(path, "criteria")

    frame = loaded.frame
    assert list(frame.columns) == ["criterion", "weight", "direction", "group", "label"]
    assert frame["criterion"].tolist() == ["市场容量", "竞争程度"]
    assert frame["weight"].tolist() == [1.0, 1.0]
    assert frame["weight"].dtype == "float64"
    assert frame["direction"].tolist() == ["benefit", "benefit"]
    assert frame["group"].tolist() == ["", ""]
    assert loaded.extra == []
    assert loaded.warnings == []


def test_criteria_defaults_for_empty_cells(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "criteria.csv",
        "指标,权重,方向,分组\n市场容量,,,\n竞争程度,2,成本,外部\n增长率,0.5,效益,\n",
    )
    frame = read_table(path, "criteria").frame

    assert frame["criterion"].tolist() == ["市场容量", "竞争程度", "增长率"]
    assert frame["weight"].tolist() == [1.0, 2.0, 0.5]
    assert frame["direction"].tolist() == ["benefit", "cost", "benefit"]
    assert frame["group"].tolist() == ["", "外部", ""]


@pytest.mark.parametrize(
    ("spelling", "direction"),
    [
        ("成本", "cost"),
        ("效益", "benefit"),
        ("成本型", "cost"),
        ("效益型", "benefit"),
        ("越小越好", "cost"),
        ("越大越好", "benefit"),
        (" Cost ", "cost"),
        ("BENEFIT", "benefit"),
        ("-", "cost"),
        ("+", "benefit"),
    ],
)
def test_criteria_direction_aliases(tmp_path: Path, spelling: str, direction: str) -> None:
    path = write_text(
        tmp_path / "criteria.csv", f"criterion,weight,direction\n市场容量,3,{spelling}\n"
    )
    frame = read_table(path, "criteria").frame

    assert frame["direction"].tolist() == [direction]
    assert frame["weight"].tolist() == [3.0]


def test_criteria_unused_column_is_dropped_with_a_warning(tmp_path: Path) -> None:
    path = write_text(tmp_path / "criteria.csv", "指标,备注\n市场容量,说明文字\n")
    loaded = read_table(path, "criteria")

    assert "备注" not in loaded.frame.columns
    assert loaded.warnings == [Note.of("column_ignored", file="criteria.csv", column="备注")]
    assert loaded.warnings[0].text(Words("en")) == (
        "criteria.csv: column “备注” is not used and was ignored."
    )


# --- bad inputs ------------------------------------------------------------------------------


def test_missing_industry_column(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "名称,市场容量\n政府,9\n")
    err = error_of(path)

    assert str(err) == (
        "industries.csv, row 1: expected a column industry (行业/行业名称/候选行业), "
        'found columns 名称, 市场容量. If "名称" holds industry, add to engagement.yaml: '
        "columns: {industries: {名称: industry}}"
    )


def test_text_in_score_column_names_row_and_column(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "industries.csv", "行业,市场容量,竞争程度\n政府,9,-3\n电信业,-5,高\n"
    )
    err = error_of(path)

    assert str(err) == (
        "industries.csv, row 3, column 竞争程度: "
        'expected a number (e.g. 12,345.6, ¥12,345, 1.2万 or 25%), found "高"'
    )
    assert (err.row, err.column, err.found) == (3, "竞争程度", '"高"')


def test_text_in_score_column_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "industries.xlsx",
        [["行业", "市场容量"], ["政府", 9], ["电信业", 8], ["金融业", "高"]],
    )
    err = error_of(path)

    assert (
        str(err) == "industries.xlsx, row 4, column 市场容量: expected " + NUMBERS + ', found "高"'
    )


def test_row_numbers_count_blank_csv_lines(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,市场容量\n政府,9\n\n电信业,高\n")
    err = error_of(path)

    assert (
        str(err) == "industries.csv, row 4, column 市场容量: expected " + NUMBERS + ', found "高"'
    )


def test_rows_longer_than_header_are_refused(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,市场容量\n政府,9,3\n电信业,8,5\n")
    err = error_of(path)

    assert "industries.csv" in str(err)
    assert "row 2" in str(err)


def test_duplicate_industry_lists_both_rows(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,市场容量\n政府,9\n电信业,8\n政府,7\n")
    err = error_of(path)

    assert str(err) == (
        'industries.csv, column industry: expected each industry once, found "政府" in rows 2, 4'
    )


def test_duplicate_industry_after_normalising_whitespace(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,市场容量\n政府,9\n 政府 ,7\n")
    err = error_of(path)

    assert str(err) == (
        'industries.csv, column industry: expected each industry once, found "政府" in rows 2, 3'
    )


def test_unknown_direction(tmp_path: Path) -> None:
    path = write_text(tmp_path / "criteria.csv", "指标,方向\n市场容量,效益\n竞争程度,up\n")
    err = error_of(path, "criteria")

    assert str(err) == (
        'criteria.csv, row 3, column direction: expected one of benefit, cost, found "up"'
    )


def test_negative_weight(tmp_path: Path) -> None:
    path = write_text(tmp_path / "criteria.csv", "指标,权重\n市场容量,1\n竞争程度,-0.5\n")
    err = error_of(path, "criteria")

    assert str(err) == 'criteria.csv, row 3, column weight: expected a number ≥ 0, found "-0.5"'


def test_zero_weight_is_accepted(tmp_path: Path) -> None:
    path = write_text(tmp_path / "criteria.csv", "指标,权重\n市场容量,0\n")

    assert read_table(path, "criteria").frame["weight"].tolist() == [0.0]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "industries.csv"
    path.write_bytes(b"")
    err = error_of(path)

    assert str(err) == "industries.csv: expected a header row, found an empty file"


@pytest.mark.parametrize("table", ["industries", "criteria"])
def test_header_only_file(tmp_path: Path, table: str) -> None:
    header = "行业,市场容量\n" if table == "industries" else "指标,权重,方向\n"
    path = write_text(tmp_path / f"{table}.csv", header)
    err = error_of(path, table)

    assert str(err) == f"{table}.csv: expected at least one data row, found only a header"


def test_header_only_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "industries.xlsx", [["行业", "市场容量"]])
    err = error_of(path)

    assert str(err) == "industries.xlsx: expected at least one data row, found only a header"


def test_binary_file_saved_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "industries.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    err = error_of(path)

    assert str(err) == "industries.csv: expected a CSV text file, found binary content"


def test_empty_cell_in_score_column(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,市场容量\n政府,9\n电信业,\n")
    err = error_of(path)

    assert (
        str(err)
        == "industries.csv, row 3, column 市场容量: expected " + NUMBERS + ", found an empty cell"
    )


def test_empty_cell_in_score_column_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "industries.xlsx", [["行业", "市场容量"], ["政府", None]])
    err = error_of(path)

    assert str(err) == (
        "industries.xlsx, row 2, column 市场容量: expected " + NUMBERS + ", found an empty cell"
    )


def test_empty_industry_cell(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,市场容量\n政府,9\n,8\n")
    err = error_of(path)

    assert str(err) == (
        "industries.csv, row 3, column industry: expected a value for industry, found an empty cell"
    )


@pytest.mark.parametrize(("cell", "column"), [("inf", "市场容量"), ("-inf", "total")])
def test_infinite_score(tmp_path: Path, cell: str, column: str) -> None:
    header = "行业,市场容量" if column == "市场容量" else "行业,总分"
    path = write_text(tmp_path / "industries.csv", f"{header}\n政府,9\n电信业,{cell}\n")
    err = error_of(path)

    assert str(err) == (
        f'industries.csv, row 3, column {column}: expected a finite number, found "{cell}"'
    )


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.txt", INDUSTRIES_CSV)
    err = error_of(path)

    assert str(err) == "industries.txt: expected " + KINDS + ", found a .txt file"


def test_missing_file(tmp_path: Path) -> None:
    err = error_of(tmp_path / "industries.csv")

    assert str(err) == "industries.csv: expected an existing file, found no such file"


def test_two_columns_for_one_canonical_name(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,industry,市场容量\n政府,政府,9\n")
    err = error_of(path)

    assert str(err) == (
        "industries.csv, row 1: expected one column for industry, "
        'found both "行业" and "industry". '
        "Name the one to read in engagement.yaml: columns: {industries: {行业: industry}}"
    )


def test_empty_header_cell_csv(tmp_path: Path) -> None:
    path = write_text(tmp_path / "industries.csv", "行业,,竞争程度\n政府,9,-3\n")
    err = error_of(path)

    assert str(err) == (
        "industries.csv, row 1, column 2: expected a header in every column, found an empty header"
    )


def test_empty_header_cell_xlsx(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "industries.xlsx", [["行业", "市场容量", None], ["政府", 9, -3]])
    err = error_of(path)

    assert str(err) == (
        "industries.xlsx, row 1, column 3: expected a header in every column, found an empty header"
    )


# --- finding files and sheets ----------------------------------------------------------------


def test_find_file_refuses_two_candidates(tmp_path: Path) -> None:
    write_variant(tmp_path, "utf-8")
    write_variant(tmp_path, "xlsx")
    with pytest.raises(KamError) as excinfo:
        find_file(tmp_path, "industries")

    assert str(excinfo.value) == (
        "industries: expected one data file named industries "
        "(.csv, .xlsx, .xlsm, .xlsb, .xls, .ods, .parquet), "
        "found industries.csv and industries.xlsx"
    )


def test_find_file_returns_the_only_candidate_or_none(tmp_path: Path) -> None:
    assert find_file(tmp_path, "industries") is None
    path = write_variant(tmp_path, "parquet")

    assert find_file(tmp_path, "industries") == path
    assert find_file(tmp_path, "criteria") is None


@pytest.mark.parametrize("sheet", ["industries", "行业", "Industries"])
def test_xlsx_sheet_named_like_the_table_is_chosen(tmp_path: Path, sheet: str) -> None:
    path = tmp_path / "industries.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"说明": ["请填写第二张表"]}).to_excel(writer, sheet_name="说明", index=False)
        industries_frame().to_excel(writer, sheet_name=sheet, index=False)
    loaded = read_table(path, "industries")

    assert loaded.warnings == []
    assert (loaded.reading.sheet, loaded.reading.other_sheets) == (sheet, ("说明",))
    assert loaded.reading.header_row == 1
    assert loaded.frame["industry"].tolist() == ["政府", "电信业"]
    assert loaded.extra == ["市场容量", "竞争程度"]


# --- no side effects -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_read_table_does_not_modify_the_disk(tmp_path: Path, variant: str) -> None:
    path = write_variant(tmp_path, variant)
    write_text(tmp_path / "criteria.csv", "指标,权重\n市场容量,2\n竞争程度,1\n")
    before = snapshot(tmp_path)

    read_table(path, "industries")
    read_table(tmp_path / "criteria.csv", "criteria")
    with pytest.raises(KamError):
        read_table(path, "criteria")  # a failed read leaves nothing behind either

    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("header", ["label", "显示名称", "Display name"])
def test_criteria_and_needs_read_an_optional_label(tmp_path: Path, header: str) -> None:
    path = write_text(
        tmp_path / "criteria.csv",
        f"criterion,weight,{header}\nmarket_size,2,Market size\ngrowth,1,\n",
    )
    frame = read_table(path, "criteria").frame
    assert frame["label"].tolist() == ["Market size", ""]  # empty: the report shows the name
    needs = write_text(tmp_path / "needs.csv", f"指标,重要性,{header}\nsoftware,9,Software\n")
    assert read_table(needs, "needs").frame["label"].tolist() == ["Software"]
    card = write_text(tmp_path / "scorecard_criteria.csv", "指标,显示名称\nbrand,Brand value\n")
    assert read_table(card, "scorecard_criteria").frame["label"].tolist() == ["Brand value"]


def test_one_gbk_row_in_a_utf8_file_is_an_error_at_its_row(tmp_path: Path) -> None:
    """One encoding per file: the rows after a UTF-8 one are not decoded as GB18030."""
    lines = ["行业,市场容量", "政府,9", "电信业,7", "金融业,5"]
    data = b"".join(
        (line + "\n").encode("gbk" if i == 3 else "utf-8") for i, line in enumerate(lines)
    )
    (tmp_path / "industries.csv").write_bytes(data)
    assert str(error_of(tmp_path / "industries.csv")) == (
        "industries.csv, row 4: expected text in one encoding (UTF-8 or GB18030), found "
        '"金融业,5" in GB18030, in a file read as UTF-8'
    )


def test_customer_ids_follow_one_rule_with_a_note(tmp_path: Path) -> None:
    """NFKC, invisible characters (zero-width, BOM) removed, spaces trimmed: in every file
    with IDs, here the wallet."""
    text = (
        "customer_id,total_spend\n"
        "Ｃ００１,10\n"
        "\ufeffC002,20\n"
        "Cafe\u0301,30\n"
        " C004 ,40\n"  # trimmed only: no other form
        "C\u200b005,50\n"
    )
    loaded = read_table(write_text(tmp_path / "wallet.csv", text), "wallet")
    assert loaded.frame["customer_id"].tolist() == ["C001", "C002", "Café", "C004", "C005"]
    assert loaded.warnings == [
        Note.of(
            "ids_folded",
            file="wallet.csv",
            count=4,
            ids=4,
            examples=['"Cafe\\u0301" → Café', '"C\\u200b005" → C005', '"\\ufeffC002" → C002'],
        )
    ]
    zh = loaded.warnings[0].text(Words("zh"))
    assert zh.startswith("wallet.csv：4 种客户编号写法按统一规则")


def test_ids_equal_by_the_rule_are_one_key_of_the_master(tmp_path: Path) -> None:
    text = "客户编号,客户名称\nC001,甲\nＣ００１,乙\n"
    error = error_of(write_text(tmp_path / "customers.csv", text), "customers")
    assert str(error) == (
        "customers.csv, column customer_id: expected each customer_id once, "
        'found "C001" in rows 2, 3'
    )


def test_an_id_of_invisible_characters_is_an_empty_cell(tmp_path: Path) -> None:
    text = "customer_id,indicator,target\n\u200b\ufeff,revenue,5\n"
    error = error_of(write_text(tmp_path / "targets.csv", text), "targets")
    assert str(error) == (
        "targets.csv, row 2, column customer_id: expected a value for customer_id, found an "
        "empty cell"
    )


def test_parquet_of_one_row_groups_reads_every_row_in_order(tmp_path: Path) -> None:
    """Read batch by batch, one row group after another: the same frame as one group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = [f"C{i:04d}" for i in range(3000)]
    table = pa.table({"customer_id": ids, "total_spend": [float(i) for i in range(3000)]})
    pq.write_table(table, tmp_path / "wallet.parquet", row_group_size=1)
    loaded = read_table(tmp_path / "wallet.parquet", "wallet")
    assert loaded.frame["customer_id"].tolist() == ids
    assert loaded.frame["total_spend"].sum() == 3000 * 2999 / 2
    assert loaded.row(2999) == 3001


@pytest.mark.parametrize("separator", ["\t", ","])
def test_a_utf16_template_is_read_as_its_utf8_twin(tmp_path: Path, separator: str) -> None:
    """Issue 28: Excel's "Unicode Text" (UTF-16, tab-separated) and UTF-16 with commas."""
    rows = [["行业", "市场容量", "竞争程度"], ["政府", "9", "-3"], ["电信, 媒体", "9", "-5"]]
    twin = tmp_path / "twin.csv"
    twin.write_text(
        "\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in rows) + "\n",
        encoding="utf-8",
    )
    path = tmp_path / "industries.csv"
    if separator == "\t":
        text = "\n".join("\t".join(r) for r in rows) + "\n"
    else:
        text = twin.read_text(encoding="utf-8")
    path.write_bytes(text.encode("utf-16"))
    read, expected = read_table(path, "industries"), read_table(twin, "industries")
    assert read.frame.equals(expected.frame)
    assert read.frame["industry"].tolist() == ["政府", "电信, 媒体"]
