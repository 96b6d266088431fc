"""Tests for the loader on spreadsheets as clients send them: every workbook format (fixtures
made once by ``tests/fixtures/make_workbooks.py``), sheet choice, a title row above the header,
ERP headers, the ``columns:`` mapping, numbers and dates as people type them.

Every test runs inside its own ``tmp_path`` (made the working directory) so that messages show
bare file names.
"""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from kamlib.cli import main
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.core.io import DATE_FORMS, NUMBERS, Reading, number_text, read_table
from kamlib.core.ledger import load_ledger
from kamlib.core.notes import Note

FIXTURES = Path(__file__).parent / "fixtures"
FORMATS = ["xlsx", "xlsm", "xls", "ods"]
BASICS = (
    "title: Key accounts\nclient: Client\ncompany: Us\nconsultant: A. Consultant\n"
    "date: 2025-04-30\nlanguage: en\ncurrency: CNY\n"
)
# the fixture's headers read under other names, in the order of its header row (row 3)
RENAMED = (
    ("Order ID", "order_id"),
    ("Order Date", "date"),
    ("Customer ID", "customer_id"),
    ("Product Name", "product"),
    ("Quantity", "quantity"),
    ("Sales", "amount"),
    ("Profit", "profit"),
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def fixture(name: str, target: Path) -> Path:
    shutil.copyfile(FIXTURES / name, target)
    return target


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


LEDGER = [
    ["客户编号", "日期", "金额"],
    ["C1", dt.date(2025, 1, 5), 100],
    ["C2", dt.date(2025, 2, 1), 50],
]


# --- every format -------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", FORMATS)
def test_erp_export_read_as_a_table_in_every_format(tmp_path: Path, ext: str) -> None:
    path = fixture(f"erp_ledger.{ext}", tmp_path / f"transactions.{ext}")
    loaded = read_table(path, "transactions")

    assert loaded.reading == Reading(
        path, "Orders", 3, renamed=RENAMED, other_sheets=("Notes", "Returns")
    )
    frame = loaded.frame
    assert frame["customer_id"].tolist() == ["1001", "1001", "C002", "1003", "C002"]
    assert frame["amount"].tolist() == [1200.5, 800.0, 99.5, 4800.0, 35.0]
    assert frame["profit"].tolist() == [300.0, 150.25, 20.0, 1100.0, 9.5]
    assert [d.date() for d in frame["date"]] == [
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 6),
        dt.date(2025, 2, 14),
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 20),
    ]
    assert loaded.rows == [4, 5, 6, 8, 9]  # row 7 is blank
    assert loaded.warnings == [
        Note.of("column_ignored", file=path.name, column=c)
        for c in ("Customer Name", "Region", "Segment")
    ]


@pytest.mark.parametrize("ext", FORMATS)
def test_erp_export_read_as_a_ledger_in_every_format(tmp_path: Path, ext: str) -> None:
    path = fixture(f"erp_ledger.{ext}", tmp_path / f"transactions.{ext}")
    ledger = load_ledger(path)

    rows = ledger.df(
        "SELECT customer_id, date, amount, profit, quantity FROM ledger "
        "WHERE customer_id IS NOT NULL ORDER BY rn"
    )
    assert rows["customer_id"].tolist() == ["1001", "1001", "C002", "1003", "C002"]
    assert rows["amount"].tolist() == [
        Decimal(v) for v in ("1200.50", "800", "99.50", "4800", "35")
    ]
    assert rows["profit"].tolist() == [Decimal(v) for v in ("300", "150.25", "20", "1100", "9.5")]
    assert rows["quantity"].tolist() == [10, 5, 2, 40, 1]
    assert (ledger.first, ledger.last) == (dt.date(2025, 1, 6), dt.date(2025, 3, 20))
    assert ledger.rows == 5  # the blank row 7 is left out, as the table reader leaves it out
    assert ledger.reading == Reading(
        path, "Orders", 3, renamed=RENAMED, other_sheets=("Notes", "Returns")
    )
    # the workbook's columns reach DuckDB typed: no cell was turned into text on the way
    assert ledger.con.execute("SELECT sum(amount) FROM ledger").fetchone()[0] == Decimal("6935.00")


@pytest.mark.parametrize("ext", FORMATS)
def test_bad_cell_names_sheet_and_excel_row_in_every_format(tmp_path: Path, ext: str) -> None:
    path = fixture(f"erp_ledger_bad.{ext}", tmp_path / f"transactions.{ext}")
    # the ledger names the file's header, the table reader the template's column
    expected = (
        f'transactions.{ext}, sheet Orders, row 9, column {{}}: expected {NUMBERS}, found "n/a"'
    )

    with pytest.raises(KamError) as table_error:
        read_table(path, "transactions")
    with pytest.raises(KamError) as ledger_error:
        load_ledger(path)
    assert str(table_error.value) == expected.format("amount")
    assert str(ledger_error.value) == expected.format("Sales")
    assert (ledger_error.value.sheet, ledger_error.value.row) == ("Orders", 9)


def test_legacy_xls_export_with_three_sheets_validates_with_the_basic_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "eng"
    folder.mkdir()
    (folder / "engagement.yaml").write_text(BASICS, encoding="utf-8")
    fixture("erp_ledger.xls", folder / "transactions.xls")

    assert main(["validate", "eng"]) == 0
    out = capsys.readouterr().out
    assert "analyses: customer_segmentation" in out
    assert (
        "  read sheet “Orders” of transactions.xls: header in row 3; Order ID → order_id, "
        "Order Date → date, Customer ID → customer_id, Product Name → product, "
        "Quantity → quantity, Sales → amount and Profit → profit\n"
        "    other sheets not read: Notes and Returns\n"
    ) in out


# --- sheet choice -------------------------------------------------------------------------------


def test_the_one_sheet_with_the_template_columns_is_read(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "t.xlsx",
        {
            "说明": [["本表为 2025 年台账"]],
            "退货": [["单号", "原因"], ["O1", "破损"]],
            "订单": LEDGER,
        },
    )
    ledger = load_ledger(path)

    assert ledger.reading.sheet == "订单"
    assert ledger.reading.other_sheets == ("说明", "退货")
    assert ledger.rows == 2


def test_two_sheets_with_the_template_columns_are_an_error_naming_them(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"2024": LEDGER, "说明": [["x"]], "2025": LEDGER})

    for read in (lambda: read_table(path, "transactions"), lambda: load_ledger(path)):
        with pytest.raises(KamError) as excinfo:
            read()
        assert str(excinfo.value) == (
            "t.xlsx: expected one sheet with the columns of transactions, or the sheet named in "
            "engagement.yaml (files: {transactions: {file: t.xlsx, sheet: ...}}), "
            'found sheets "2024", "2025" with them'
        )


def test_the_sheet_named_in_the_yaml_is_read(tmp_path: Path) -> None:
    later = [LEDGER[0], ["C9", dt.date(2025, 6, 1), 7]]
    write_xlsx(tmp_path / "台账.xlsx", {"2024": LEDGER, "2025": later})
    (tmp_path / "engagement.yaml").write_text(
        BASICS + "files:\n  transactions: {file: 台账.xlsx, sheet: 2025}\n", encoding="utf-8"
    )
    eng = load_engagement(tmp_path)

    assert eng.sheets == {"transactions": "2025"}
    loaded = eng.read("transactions")
    assert loaded.frame["customer_id"].tolist() == ["C9"]
    assert eng.readings["transactions"].sheet == "2025"
    ledger = load_ledger(tmp_path / "台账.xlsx", **eng.options("transactions"))
    assert ledger.rows == 1


def test_a_sheet_the_workbook_lacks_is_an_error_listing_its_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"2024": LEDGER, "说明": [["x"]]})

    with pytest.raises(KamError) as excinfo:
        load_ledger(path, sheet="订单")
    assert str(excinfo.value) == (
        't.xlsx: expected a sheet named "订单", found sheets "2024", "说明"'
    )


def test_a_sheet_for_a_csv_file_is_an_error_at_its_yaml_line(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("客户编号,日期,金额\nC1,2025-01-05,1\n", encoding="utf-8")
    (tmp_path / "engagement.yaml").write_text(
        BASICS + "files:\n  transactions:\n    file: t.csv\n    sheet: 订单\n", encoding="utf-8"
    )
    with pytest.raises(KamError) as excinfo:
        load_engagement(tmp_path)
    assert str(excinfo.value) == (
        "engagement.yaml, line 10, key files.transactions.file: expected a workbook "
        '(.xlsx, .xlsm, .xlsb, .xls, .ods) to take sheet 订单 from, found "t.csv"'
    )


# --- a title row above the header ---------------------------------------------------------------

TITLED = "2025 年销售台账,,\n,,\n客户编号,日期,金额\nC1,2025-01-05,10\nC2,2025-13-01,5\n"


def test_title_rows_above_the_header_are_skipped_and_rows_keep_their_numbers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "transactions.csv"
    path.write_text(TITLED, encoding="utf-8")
    message = f'transactions.csv, row 5, column {{}}: expected {DATE_FORMS}, found "2025-13-01"'

    with pytest.raises(KamError) as table_error:
        read_table(path, "transactions")
    with pytest.raises(KamError) as ledger_error:
        load_ledger(path)
    assert str(table_error.value) == message.format("date")
    assert str(ledger_error.value) == message.format("日期")
    path.write_text(TITLED.replace("2025-13-01", "2025-03-01"), encoding="utf-8")
    assert read_table(path, "transactions").reading.header_row == 3
    assert read_table(path, "transactions").rows == [4, 5]
    assert load_ledger(path).reading.header_row == 3


def test_title_row_in_a_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"台账": [["2025 年销售台账"], *LEDGER]})

    loaded = read_table(path, "transactions")
    assert (loaded.reading.header_row, loaded.rows) == (2, [3, 4])
    assert load_ledger(path).reading.header_row == 2


# --- headers: ERP aliases, which one wins, columns: ---------------------------------------------

BOTH = (
    "客户编码,单据日期,存货名称,无税金额,价税合计\n"
    "C1,2025-01-05,轴承,100,113\nC2,2025-01-06,油封,200,226\n"
)


def test_net_amount_wins_over_gross_and_validate_says_so(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(BOTH, encoding="utf-8")

    ledger = load_ledger(path)
    loaded = read_table(path, "transactions")
    amounts = ledger.df("SELECT amount FROM ledger ORDER BY rn")["amount"].tolist()
    assert amounts == [Decimal("100"), Decimal("200")]
    assert loaded.frame["amount"].tolist() == [100.0, 200.0]
    renamed = (
        ("客户编码", "customer_id"),
        ("单据日期", "date"),
        ("存货名称", "product"),
        ("无税金额", "amount"),
    )
    assert ledger.reading == Reading(path, renamed=renamed, ignored=("价税合计",))
    assert loaded.reading == ledger.reading


def test_columns_mapping_picks_the_gross_amount(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(BOTH, encoding="utf-8")

    ledger = load_ledger(path, columns={"价税合计": "amount"})
    assert ledger.df("SELECT amount FROM ledger ORDER BY rn")["amount"].tolist() == [
        Decimal("113"),
        Decimal("226"),
    ]
    assert ledger.reading.ignored == ("无税金额",)


def test_unknown_header_error_suggests_the_columns_line_and_the_line_fixes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "eng"
    folder.mkdir()
    (folder / "transactions.csv").write_text(
        "客户编码,开票日期,开票金额\nC1,2025-01-05,10\n", encoding="utf-8"
    )
    (folder / "engagement.yaml").write_text(BASICS, encoding="utf-8")

    assert main(["validate", "eng"]) == 1
    assert capsys.readouterr().err == (
        "kam: error: eng/transactions.csv, row 1: expected a column amount (无税金额/不含税金额/"
        "net amount/金额/销售金额/销售额/sales/收入/revenue/价税合计/含税金额), found columns "
        '客户编码, 开票日期, 开票金额. If "开票金额" holds amount, add to engagement.yaml: '
        "columns: {transactions: {开票金额: amount}}\n"
    )
    (folder / "engagement.yaml").write_text(
        BASICS + "columns: {transactions: {开票金额: amount}}\n", encoding="utf-8"
    )
    assert main(["validate", "eng"]) == 0
    assert (
        "  read transactions.csv: header in row 1; 客户编码 → customer_id, 开票日期 → date "
        "and 开票金额 → amount\n"
    ) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("columns", "key", "message"),
    [
        (
            "{transactions: {开票金额: revenue}}",
            "columns.transactions.开票金额",
            "expected one of customer_id, date, amount, profit, quantity, order_id, product, "
            'paid_date, found "revenue"',
        ),
        (
            "{ledger: {开票金额: amount}}",
            "columns.ledger",
            "expected one of industries, criteria, transactions, customers, account_scorecard, "
            "scorecard_criteria, competitors, needs, wallet, contacts, opportunities, "
            'relationships, interactions, targets, found "ledger"',
        ),
        (
            "{transactions: {开票金额: amount, 价税合计: amount}}",
            "columns.transactions.价税合计",
            'expected one header for amount, found "开票金额 and 价税合计"',
        ),
    ],
)
def test_bad_columns_mapping_names_its_key(
    tmp_path: Path, columns: str, key: str, message: str
) -> None:
    (tmp_path / "engagement.yaml").write_text(BASICS + f"columns: {columns}\n", encoding="utf-8")

    with pytest.raises(KamError) as excinfo:
        load_engagement(tmp_path)
    assert str(excinfo.value) == f"engagement.yaml, line 8, key {key}: {message}"


@pytest.mark.parametrize(
    "header",
    ["Customer ID", "customer id", "CUSTOMER_ID", "Customer-ID", "客户编码", "Customer No"],
)
def test_erp_spellings_of_the_customer_id(tmp_path: Path, header: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f"{header},Invoice Date,Net Amount\nC1,2025-01-05,10\n", encoding="utf-8")

    assert load_ledger(path).df("SELECT customer_id FROM ledger")["customer_id"].tolist() == ["C1"]
    assert read_table(path, "transactions").frame["customer_id"].tolist() == ["C1"]


def test_customer_master_erp_headers(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "Customer ID,Customer Name,Region,Segment\nC1,Hengli,East,Corporate\n", encoding="utf-8"
    )
    frame = read_table(path, "customers").frame

    assert frame[["customer_id", "name", "region", "size"]].values.tolist() == [
        ["C1", "Hengli", "East", "Corporate"]
    ]


# --- numbers and dates as people type them ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25%", 0.25),
        ("12.5%", 0.125),
        ("¥12,345.00", 12345.0),
        ("￥12,345.00", 12345.0),  # full width, as a Chinese input method types it
        ("-¥1,000", -1000.0),
        ("¥-1,000", -1000.0),
        ("12,345元", 12345.0),
        ("1.2万", 12000.0),
        ("3.5万元", 35000.0),
        ("2亿", 200_000_000.0),
        ("1.25亿元", 125_000_000.0),
        ("CNY 1,200", 1200.0),
        ("rmb 80", 80.0),
        ("1,234,567.89", 1234567.89),
        (".5", 0.5),
    ],
)
def test_numbers_as_typed(text: str, value: float) -> None:
    assert number_text(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "12,34",
        "1,2345",
        "1.234,56",
        "¥25%",
        "--5",
        "-¥-5",
        "约100",
        "100-200",
        "1万2千",
        "5 %%",
        "万",
    ],
)
def test_ambiguous_numbers_are_refused(text: str) -> None:
    assert number_text(text) is None


def test_typed_numbers_in_a_table_and_in_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "客户编号,日期,金额,毛利\n"
        'C1,2025-01-05,"¥12,345.00",25%\n'
        'C2,2025-01-06,"12,345元",10\n'
        "C3,2025-01-07,1.2万,0\n"
        "C4,2025-01-08,0.5亿,0\n",
        encoding="utf-8",
    )
    amounts = [Decimal("12345"), Decimal("12345"), Decimal("12000"), Decimal("50000000")]

    assert load_ledger(path).df("SELECT amount FROM ledger ORDER BY rn")["amount"].tolist() == (
        amounts
    )
    assert load_ledger(path).df("SELECT profit FROM ledger ORDER BY rn")["profit"].tolist()[
        0
    ] == Decimal("0.25")
    assert read_table(path, "transactions").frame["amount"].tolist() == [float(a) for a in amounts]


def test_weights_as_percentages(tmp_path: Path) -> None:
    path = tmp_path / "criteria.csv"
    path.write_text("指标,权重\n市场容量,25%\n增长,75%\n", encoding="utf-8")

    assert read_table(path, "criteria").frame["weight"].tolist() == [0.25, 0.75]


@pytest.mark.parametrize("amount", ["12,34", "¥25%"])
def test_ambiguous_amount_is_an_error_in_both_readers(tmp_path: Path, amount: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f'客户编号,日期,金额\nC1,2025-01-05,1\nC2,2025-01-06,"{amount}"\n', "utf-8")
    message = f't.csv, row 3, column {{}}: expected {NUMBERS}, found "{amount}"'

    with pytest.raises(KamError) as ledger_error:
        load_ledger(path)
    with pytest.raises(KamError) as table_error:
        read_table(path, "transactions")
    assert str(ledger_error.value) == message.format("金额")
    assert str(table_error.value) == message.format("amount")


def test_a_month_first_or_day_first_date_lists_the_forms_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("客户编号,日期,金额\nC1,03/04/2025,1\n", encoding="utf-8")

    with pytest.raises(KamError) as excinfo:
        load_ledger(path)
    assert str(excinfo.value) == (
        "t.csv, row 2, column 日期: expected a date such as 2025-03-04, 2025/3/4, 2025.3.4, "
        "20250304 or 2025年3月4日 (not 03/04/2025: day and month cannot be told apart), "
        'found "03/04/2025"'
    )


# --- yaml ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh", "en"])
def test_new_templates_quote_their_example_strings_and_their_examples_load(
    tmp_path: Path, language: str
) -> None:
    assert main(["new", "eng", "--language", language]) == 0
    config = tmp_path / "eng" / "engagement.yaml"
    text = config.read_text(encoding="utf-8")
    for key in ("title", "client", "company", "consultant"):
        line = next(line for line in text.splitlines() if line.startswith(f"{key}: "))
        assert line.split(": ", 1)[1].startswith('"'), line
    # a title holding ": " loads once quoted, as the template shows
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    config.write_text(text.replace(title, 'title: "Key accounts: 2025 plan"'), encoding="utf-8")
    assert load_engagement(tmp_path / "eng").title == "Key accounts: 2025 plan"
    # the commented files: and columns: examples are valid once uncommented
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# files:"))
    example = "\n".join(line[2:] for line in lines[start:] if line.startswith("# "))
    parsed = yaml.safe_load(example)
    assert set(parsed) == {"files", "columns"}
    assert set(parsed["files"]["transactions"]) == {"file", "sheet"}
    assert set(parsed["columns"]["transactions"].values()) == {"customer_id", "amount"}


def test_a_zip_directory_that_understates_a_sheet_is_refused_not_inflated(tmp_path: Path) -> None:
    """The unzipped-size limit trusts the zip directory; python-calamine stops at the size the
    directory gives, so a directory that lies cannot smuggle a bigger sheet past the limit."""
    path = write_xlsx(tmp_path / "industries.xlsx", {"行业": [["行业", "市场容量"]] * 20_000})
    data = bytearray(path.read_bytes())
    member = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, member.header_offset + 22, 100)  # the local header's size
    central = data.find(b"PK\x01\x02")
    while central != -1:  # the central directory's entry for the sheet
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, central + 24, 100)
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(data)

    with pytest.raises(KamError) as excinfo:
        read_table(path, "industries")
    assert str(excinfo.value) == (
        "industries.xlsx, sheet 行业: expected an Excel .xlsx workbook, found XmlError"
    )
