"""Tests for kamlib.core.ledger: a transaction ledger read into the DuckDB table ``ledger``.

Every test runs inside its own ``tmp_path`` (made the working directory) so error messages show
bare file names. Rows in messages follow spreadsheet numbering: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kamlib.core.errors import KamError
from kamlib.core.io import CUSTOMER_ID_ALIASES, CUSTOMER_WORDS, DATE_FORMS, KINDS, NUMBERS, TABLES
from kamlib.core.ledger import load_ledger

ZH_HEADER = "客户编号,日期,金额,毛利,订单号,回款日期"
EN_HEADER = "customer_id,date,amount,profit,order_id,paid_date"
ROWS = [
    "C001,2024-01-05,1200,300,O-1,2024-02-01",
    "C002,2024-01-06,-30.5,,O-2,",
    "C001,2024-02-10,45000,9000,O-3,2024-03-15",
]
CANONICAL = ["customer_id", "date", "amount", "profit", "order_id", "paid_date"]
# What the three rows above hold, as plain Python values.
EXPECTED = pd.DataFrame(
    {
        "customer_id": pd.Series(["C001", "C002", "C001"], dtype=object),
        "date": [dt.date(2024, 1, 5), dt.date(2024, 1, 6), dt.date(2024, 2, 10)],
        "amount": [1200.0, -30.5, 45000.0],
    }
)
QUERY = "SELECT customer_id, date, amount FROM ledger ORDER BY rn"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A ledger query result with dates as ``datetime.date`` and text as Python objects."""
    out = pd.DataFrame(
        {
            "customer_id": pd.Series(frame["customer_id"].tolist(), dtype=object),
            "date": [d.date() if isinstance(d, pd.Timestamp) else d for d in frame["date"]],
            "amount": frame["amount"].astype(float).tolist(),
        }
    )
    return out


def error_of(path: Path) -> str:
    with pytest.raises(KamError) as excinfo:
        load_ledger(path)
    return str(excinfo.value)


def write_variant(folder: Path, variant: str) -> Path:
    """The three rows above in one file format / encoding, under Chinese headers."""
    text = "\n".join([ZH_HEADER, *ROWS]) + "\n"
    if variant == "utf-8":
        return write(folder / "transactions.csv", text)
    if variant == "utf-8-bom":
        return write(folder / "transactions.csv", text, "utf-8-sig")
    if variant == "gbk":
        return write(folder / "transactions.csv", text, "gbk")
    frame = pd.DataFrame(
        {
            "客户编号": ["C001", "C002", "C001"],
            "日期": pd.to_datetime(["2024-01-05", "2024-01-06", "2024-02-10"]),
            "金额": [1200.0, -30.5, 45000.0],
            "毛利": [300.0, None, 9000.0],
            "订单号": ["O-1", "O-2", "O-3"],
            "回款日期": pd.to_datetime(["2024-02-01", None, "2024-03-15"]),
        }
    )
    if variant == "xlsx":
        path = folder / "transactions.xlsx"
        frame.to_excel(path, index=False)
        return path
    if variant == "parquet":
        # Real DATE and DOUBLE columns, not text.
        frame["日期"] = frame["日期"].dt.date
        frame["回款日期"] = [dt.date(2024, 2, 1), None, dt.date(2024, 3, 15)]
        path = folder / "transactions.parquet"
        frame.to_parquet(path, index=False)
        return path
    raise ValueError(variant)


# --- headers, encodings and formats ---------------------------------------------------------


@pytest.mark.parametrize("variant", ["utf-8", "utf-8-bom", "gbk", "xlsx", "parquet"])
def test_every_format_gives_the_same_ledger(tmp_path: Path, variant: str) -> None:
    path = write_variant(tmp_path, variant)
    ledger = load_ledger(path)

    assert ledger.columns == CANONICAL
    assert ledger.rows == 3
    assert ledger.first == dt.date(2024, 1, 5)
    assert ledger.last == dt.date(2024, 2, 10)
    assert ledger.warnings == []
    pd.testing.assert_frame_equal(plain(ledger.df(QUERY)), EXPECTED)
    extra = ledger.df("SELECT profit, order_id, paid_date FROM ledger ORDER BY rn")
    assert extra["profit"].tolist()[0::2] == [300.0, 9000.0]
    assert pd.isna(extra["profit"].iloc[1])
    assert extra["order_id"].notna().all() and extra["order_id"].nunique() == 3
    assert pd.Timestamp(extra["paid_date"].iloc[2]).date() == dt.date(2024, 3, 15)
    assert pd.isna(extra["paid_date"].iloc[1])


def test_raw_query_results_are_identical_across_formats(tmp_path: Path) -> None:
    frames = {}
    for variant in ("utf-8", "utf-8-bom", "gbk", "xlsx", "parquet"):
        folder = tmp_path / variant
        folder.mkdir()
        frames[variant] = load_ledger(write_variant(folder, variant)).df(QUERY)
    for variant, frame in frames.items():
        pd.testing.assert_frame_equal(frame, frames["utf-8"], obj=variant)


def test_parquet_variant_really_has_typed_columns(tmp_path: Path) -> None:
    """Guards the parquet variant above: dates are DATE and amounts DOUBLE in the file."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(write_variant(tmp_path, "parquet"))
    assert str(schema.field("日期").type) == "date32[day]"
    assert str(schema.field("金额").type) == "double"


def test_gbk_variant_really_is_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(UnicodeDecodeError):
        write_variant(tmp_path, "gbk").read_bytes().decode("utf-8")


def test_english_and_chinese_headers_load_alike(tmp_path: Path) -> None:
    zh = load_ledger(write(tmp_path / "zh.csv", "\n".join([ZH_HEADER, *ROWS]) + "\n"))
    en = load_ledger(write(tmp_path / "en.csv", "\n".join([EN_HEADER, *ROWS]) + "\n"))

    assert zh.columns == en.columns == CANONICAL
    full = "SELECT * FROM ledger ORDER BY rn"
    pd.testing.assert_frame_equal(zh.df(full), en.df(full))
    assert en.df("SELECT rn FROM ledger ORDER BY rn")["rn"].tolist() == [1, 2, 3]


def test_required_columns_only(tmp_path: Path) -> None:
    ledger = load_ledger(write(tmp_path / "t.csv", "客户,销售日期,销售额\nC9,2024-03-01,7\n"))

    assert ledger.columns == ["customer_id", "date", "amount"]
    assert ledger.has("amount") and not ledger.has("paid_date")
    assert plain(ledger.df(QUERY)).iloc[0].tolist() == ["C9", dt.date(2024, 3, 1), 7.0]


@pytest.mark.parametrize("header", CUSTOMER_ID_ALIASES)
def test_every_customer_id_header_is_read(tmp_path: Path, header: str) -> None:
    ledger = load_ledger(write(tmp_path / "t.csv", f"{header},日期,金额\nC1,2024-01-05,1\n"))

    assert ledger.columns == ["customer_id", "date", "amount"]
    assert ledger.df(QUERY)["customer_id"].tolist() == ["C1"]


def test_one_customer_id_definition_for_the_ledger_and_every_data_file() -> None:
    holders = {name for name, t in TABLES.items() if "customer_id" in {c.name for c in t.columns}}
    assert holders == {
        "transactions",
        "customers",
        "account_scorecard",
        "wallet",
        "contacts",
        "opportunities",
        "relationships",
        "interactions",
        "targets",
    }
    for name in holders:
        aliases = TABLES[name].column("customer_id").aliases
        # in the customer master, 客户 (customer) heads the customer's name
        expected = tuple(
            a for a in CUSTOMER_ID_ALIASES if name != "customers" or a not in CUSTOMER_WORDS
        )
        assert aliases == expected, name
    assert "客户" in TABLES["customers"].column("name").aliases


def test_text_columns_keep_leading_zeros(tmp_path: Path) -> None:
    text = "客户编号,日期,金额,订单号\n00123,2024-01-05,10,0007\n00124,2024-01-06,20,0008\n"
    ledger = load_ledger(write(tmp_path / "t.csv", text))

    frame = ledger.df("SELECT customer_id FROM ledger ORDER BY rn")
    assert frame["customer_id"].tolist() == ["00123", "00124"]


# --- dates and amounts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2024-01-05", "2024/1/5", "2024/01/05", "2024年1月5日", "20240105"]
)
def test_date_formats(tmp_path: Path, text: str) -> None:
    ledger = load_ledger(write(tmp_path / "t.csv", f"customer_id,date,amount\nC1,{text},1\n"))

    assert ledger.first == ledger.last == dt.date(2024, 1, 5)
    assert plain(ledger.df(QUERY))["date"].tolist() == [dt.date(2024, 1, 5)]


def test_amount_spellings(tmp_path: Path) -> None:
    text = (
        'customer_id,date,amount\nC1,2024-01-05,"1,200"\nC2,2024-01-05,−30\nC3,2024-01-05, 7.25 \n'
    )
    ledger = load_ledger(write(tmp_path / "t.csv", text))

    assert ledger.df(QUERY)["amount"].tolist() == [1200.0, -30.0, 7.25]


def test_full_width_digits_parse(tmp_path: Path) -> None:
    text = "customer_id,date,amount\nC1,2024-01-05,１２００\nC2,2024-01-05,１，２００．５\n"
    ledger = load_ledger(write(tmp_path / "t.csv", text))

    assert ledger.df(QUERY)["amount"].tolist() == [1200.0, 1200.5]


# --- errors -----------------------------------------------------------------------------------


def test_missing_amount_column_lists_found_columns(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "客户编号,日期,毛利\nC1,2024-01-05,10\n")

    assert error_of(path) == (
        "t.csv, row 1: expected a column amount (无税金额/不含税金额/net amount/金额/销售金额/"
        "销售额/sales/收入/revenue/价税合计/含税金额), found columns 客户编号, 日期, 毛利. "
        "If a column under another header holds amount, add to engagement.yaml: "
        "columns: {transactions: {THAT HEADER: amount}}"
    )


def test_bad_date_names_its_row(tmp_path: Path) -> None:
    text = "customer_id,date,amount\nC1,2024-01-05,10\nC2,2024-13-45,5\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        "t.csv, row 3, column date: expected " + DATE_FORMS + ', found "2024-13-45"'
    )


def test_bad_date_row_counts_a_blank_line(tmp_path: Path) -> None:
    text = "客户编号,日期,金额\nC1,2024-01-05,10\n\nC2,2024-13-45,5\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        "t.csv, row 4, column 日期: expected " + DATE_FORMS + ', found "2024-13-45"'
    )


def test_bad_date_row_counts_blank_lines_with_crlf(tmp_path: Path) -> None:
    text = "customer_id,date,amount\r\nC1,2024-01-05,10\r\n\r\n\r\nC2,2024-13-45,5\r\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        "t.csv, row 5, column date: expected " + DATE_FORMS + ', found "2024-13-45"'
    )


def test_bad_date_row_counts_an_empty_row_of_commas(tmp_path: Path) -> None:
    text = "customer_id,date,amount\nC1,2024-01-05,10\n,,\nC2,2024-13-45,5\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        "t.csv, row 4, column date: expected " + DATE_FORMS + ', found "2024-13-45"'
    )


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx whose one sheet holds ``rows`` exactly (``None`` is an empty cell)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_bad_date_row_in_xlsx(tmp_path: Path) -> None:
    rows = [["客户编号", "日期", "金额"], ["C1", "2024-01-05", 10], ["C2", "2024-13-45", 5]]

    assert error_of(write_xlsx(tmp_path / "t.xlsx", rows)) == (
        "t.xlsx, row 3, column 日期: expected " + DATE_FORMS + ', found "2024-13-45"'
    )


def test_bad_date_row_in_xlsx_counts_an_empty_row(tmp_path: Path) -> None:
    rows = [
        ["客户编号", "日期", "金额"],
        ["C1", "2024-01-05", 10],
        [None, None, None],
        ["C2", "2024-13-45", 5],
    ]

    assert error_of(write_xlsx(tmp_path / "t.xlsx", rows)) == (
        "t.xlsx, row 4, column 日期: expected " + DATE_FORMS + ', found "2024-13-45"'
    )


def test_text_in_amount(tmp_path: Path) -> None:
    text = "customer_id,date,amount\nC1,2024-01-05,10\nC2,2024-01-06,abc\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        "t.csv, row 3, column amount: expected " + NUMBERS + ', found "abc"'
    )


FITS = "a finite number between −1,000,000,000,000,000 and 1,000,000,000,000,000"


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity", "1e20", "1000000000000000"])
def test_non_finite_or_absurd_amount_is_a_mistake(tmp_path: Path, value: str) -> None:
    # DuckDB reads nan and inf as floats: they must not reach the sums (NaN broke the integer
    # counts, inf was shown as "收入 inf 亿元")
    text = f"customer_id,date,amount\nC1,2024-01-05,10\nC2,2024-01-06,{value}\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        f't.csv, row 3, column amount: expected {FITS}, found "{value}"'
    )


def test_non_finite_profit_in_parquet_is_a_mistake(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "客户编号": ["C1", "C2", "C3"],
            "日期": [dt.date(2024, 1, 5)] * 3,
            "金额": [10.0, 20.0, 30.0],
            "毛利": [1.0, None, float("inf")],
        }
    )
    frame.to_parquet(tmp_path / "t.parquet", index=False)

    assert error_of(tmp_path / "t.parquet") == (
        f't.parquet, row 4, column 毛利: expected {FITS}, found "inf"'
    )


def test_amounts_are_summed_to_the_cent_exactly(tmp_path: Path) -> None:
    # as binary floats these four add up to 999,999.9999999999
    amounts = ["29960.24", "34152.86", "871806.07", "64080.83"]
    assert sum(float(a) for a in amounts) < 1_000_000
    rows = "".join(f"C1,2024-01-0{i + 1},{a}\n" for i, a in enumerate(amounts))
    ledger = load_ledger(write(tmp_path / "t.csv", "customer_id,date,amount\n" + rows))

    assert ledger.df("SELECT sum(amount) AS s FROM ledger")["s"][0] == 1_000_000.0
    # a third decimal is rounded to the cent
    third = "customer_id,date,amount\nC1,2024-01-05,1.005\n"
    ledger = load_ledger(write(tmp_path / "u.csv", third))
    assert ledger.df(QUERY)["amount"].tolist() == [1.01]


def test_empty_amount_cell(tmp_path: Path) -> None:
    text = "客户编号,日期,金额\nC1,2024-01-05,10\nC2,2024-01-06,\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        "t.csv, row 3, column 金额: expected " + NUMBERS + ", found an empty cell"
    )


def test_first_bad_row_wins_across_columns(tmp_path: Path) -> None:
    text = "customer_id,date,amount\nC1,2024-01-05,10\nC2,2024-01-06,x\nC3,yesterday,5\n"

    assert error_of(write(tmp_path / "t.csv", text)) == (
        "t.csv, row 3, column amount: expected " + NUMBERS + ', found "x"'
    )


def test_bad_optional_date_is_an_error_but_empty_is_not(tmp_path: Path) -> None:
    ok = "customer_id,date,amount,paid_date\nC1,2024-01-05,10,\n"
    assert load_ledger(write(tmp_path / "ok.csv", ok)).rows == 1
    bad = "customer_id,date,amount,paid_date\nC1,2024-01-05,10,\nC2,2024-01-05,10,soon\n"

    assert error_of(write(tmp_path / "bad.csv", bad)) == (
        "bad.csv, row 3, column paid_date: expected " + DATE_FORMS + ', found "soon"'
    )


def test_empty_file(tmp_path: Path) -> None:
    assert error_of(write(tmp_path / "t.csv", "")) == (
        "t.csv: expected a header row, found an empty file"
    )


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00\x08\x00binary")

    assert error_of(path) == "t.csv: expected a CSV text file, found binary content"


def test_header_only(tmp_path: Path) -> None:
    assert error_of(write(tmp_path / "t.csv", "客户编号,日期,金额\n")) == (
        "t.csv: expected at least one data row, found only a header"
    )


def test_unknown_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "t.txt", "customer_id,date,amount\nC1,2024-01-05,1\n")

    assert error_of(path) == "t.txt: expected " + KINDS + ", found a .txt file"


def test_missing_file(tmp_path: Path) -> None:
    assert (
        error_of(tmp_path / "nope.csv") == "nope.csv: expected an existing file, found no such file"
    )


# --- rows without a customer ------------------------------------------------------------------


def test_empty_customer_id_is_kept_as_null(tmp_path: Path) -> None:
    text = "customer_id,date,amount\n,2024-01-05,10\nC1,2024-01-06,5\n  ,2024-01-07,2\n"
    ledger = load_ledger(write(tmp_path / "t.csv", text))

    assert ledger.rows == 3
    frame = ledger.df(QUERY)
    assert frame["customer_id"].isna().tolist() == [True, False, True]
    assert frame["amount"].tolist() == [10.0, 5.0, 2.0]
    assert ledger.df("SELECT count(*) AS n FROM ledger WHERE customer_id IS NULL")["n"][0] == 2


# ---------------------------------------------------------------- one encoding per file


def _mixed_ledger(path: Path, bad: int, encoding: str = "gbk", rows: int = 60) -> Path:
    """A UTF-8 ledger of Chinese IDs whose data row ``bad`` (0 = first) alone is in
    ``encoding``."""
    body = [f"客户{i:03d},2024-03-{1 + i % 28:02d},{100 + i}" for i in range(rows)]
    lines = ["客户编号,日期,金额", *body]
    data = b"".join(
        (line + "\n").encode(encoding if i == bad + 1 else "utf-8") for i, line in enumerate(lines)
    )
    path.write_bytes(data)
    return path


def test_one_gbk_row_in_a_utf8_ledger_is_an_error_at_its_row(tmp_path: Path) -> None:
    """Before: the whole file was decoded as GB18030 and every other ID became mojibake
    (客户029 → 瀹㈡埛029) with no error."""
    message = error_of(_mixed_ledger(tmp_path / "t.csv", bad=29))
    assert message == (
        "t.csv, row 31: expected text in one encoding (UTF-8 or GB18030), found "
        '"客户029,2024-03-02,129" in GB18030, in a file read as UTF-8'
    )


def test_gbk_row_found_beyond_the_first_chunk(tmp_path: Path, monkeypatch) -> None:
    """The row is counted across the chunks the file is checked in, and a quoted cell over two
    lines is one row."""
    import kamlib.core.ledger as ledger_module

    monkeypatch.setattr(ledger_module, "CHUNK", 64)
    path = _mixed_ledger(tmp_path / "t.csv", bad=45)
    text = path.read_bytes().replace(b"\xe5\xae\xa2\xe6\x88\xb7003,", '"客户\n003",'.encode())
    path.write_bytes(text)
    message = error_of(path)
    assert message.startswith("t.csv, row 47: expected text in one encoding")
    assert '"客户045,2024-03-18,145" in GB18030' in message


def test_a_gbk_ledger_is_still_read_whole(tmp_path: Path) -> None:
    lines = ["客户编号,日期,金额", "客户一,2024-03-01,5", "客户二,2024-03-02,7"]
    path = write(tmp_path / "t.csv", "\n".join(lines) + "\n", "gbk")
    ledger = load_ledger(path)
    assert ledger.df("SELECT customer_id FROM ledger ORDER BY rn")["customer_id"].tolist() == [
        "客户一",
        "客户二",
    ]


def test_bytes_in_neither_encoding_are_shown(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    head = "客户编号,日期,金额\n客户一,2024-03-01,5\n".encode()
    path.write_bytes(head + b"C\xff\xfe,2024-03-02,7\n")
    assert error_of(path) == (
        "t.csv, row 3: expected text in one encoding (UTF-8 or GB18030), found bytes "
        "ff fe 2c 32 30 32 34 2d that are neither UTF-8 nor GB18030"
    )


# ---------------------------------------------------------------- Parquet in bounded memory

PARQUET_PEAK_MB = 450
"""The most a process may hold to load the ledger below (20,000 one-row groups): the
interpreter, pandas, pyarrow and DuckDB take about 200 MB, the file's metadata and one batch
about 50 MB more (measured 230 MB). DuckDB's parallel reader held about 900 MB for it, 2.9 GB
for 60,000 groups."""

PROBE = """
import sys
from kamlib.core.ledger import load_ledger
ledger = load_ledger(sys.argv[1])
total = ledger.df("SELECT sum(amount) AS s FROM ledger")["s"].iloc[0]
# this process' own peak: ru_maxrss would carry over the peak of the pytest process it was
# forked from (Linux keeps it across exec), which grows with the tests that ran before
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(ledger.rows, float(total), int(peak) // 1024)
"""


def test_parquet_of_many_tiny_row_groups_loads_in_bounded_memory(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 20_000
    table = pa.table(
        {
            "customer_id": [f"C{i % 50}" for i in range(n)],
            "date": pa.array(np.full(n, np.datetime64("2024-03-01", "D"))),
            "amount": np.arange(n, dtype=float),
        }
    )
    path = tmp_path / "transactions.parquet"
    pq.write_table(table, path, row_group_size=1)
    assert pq.read_metadata(path).num_row_groups == n
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    rows, total, peak = out.stdout.split()
    assert (int(rows), float(total)) == (n, n * (n - 1) / 2)
    assert int(peak) < PARQUET_PEAK_MB, f"peak {peak} MB"


def test_ledger_ids_follow_the_one_rule(tmp_path: Path) -> None:
    """The ledger folds IDs as every other file does (before: spaces only), in DuckDB: the
    distinct IDs folded in Python, the changed rows rewritten."""
    text = (
        "customer_id,date,amount\n"
        "C001,2024-01-01,5\n"
        "Ｃ００１,2024-01-02,6\n"
        "\ufeffC002,2024-01-03,1\n"
        "Café,2024-01-04,2\n"
        "Cafe\u0301,2024-01-05,3\n"
        "\u200b,2024-01-06,4\n"  # nothing but an invisible character: no customer
    )
    ledger = load_ledger(write(tmp_path / "t.csv", text))
    sums = ledger.df("SELECT customer_id, sum(amount)::DOUBLE AS s FROM ledger GROUP BY ALL")
    assert dict(zip(sums["customer_id"].fillna("-"), sums["s"])) == {
        "C001": 11.0,
        "C002": 1.0,
        "Café": 5.0,
        "-": 4.0,
    }
    assert [(n.code, n.params["count"], n.params["examples"]) for n in ledger.warnings] == [
        ("ids_folded", 3, ['"Cafe\\u0301" → Café', '"\\ufeffC002" → C002', '"Ｃ００１" → C001'])
    ]


def test_ascii_ledger_ids_raise_no_note(tmp_path: Path) -> None:
    ledger = load_ledger(write(tmp_path / "t.csv", "customer_id,date,amount\n C1 ,2024-01-01,5\n"))
    assert ledger.warnings == []
    assert ledger.df("SELECT customer_id FROM ledger")["customer_id"].tolist() == ["C1"]


def test_a_ledger_beyond_the_memory_limit_gets_kams_message(tmp_path, monkeypatch) -> None:
    """DuckDB's own error (with its advice and URL) becomes one line naming the file's size and
    the limit."""
    monkeypatch.setenv("KAM_LEDGER_MEMORY_MB", "1")
    rows = "".join(f"C{i % 997},2024-01-{1 + i % 28:02d},{i}.5\n" for i in range(60_000))
    path = write(tmp_path / "t.csv", "customer_id,date,amount\n" + rows)
    size = path.stat().st_size / 1e6
    message = error_of(path)
    assert message == (
        "t.csv: expected a ledger that fits in 1 MB of memory and the scratch folder (the limit "
        f"KAM_LEDGER_MEMORY_MB: set it higher to allow more), found a file of {size:.3g} MB that "
        "needs more"
    )
    assert "http" not in message and "SET " not in message


def test_a_streamed_parquet_ledger_names_its_bad_cell(tmp_path: Path) -> None:
    """A Parquet file of many small row groups is read as a stream, once: the bad cell's value
    is looked up by reading it again."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    import kamlib.core.ledger as ledger_module

    amount = np.arange(100, dtype=float)
    amount[56] = np.nan
    table = pa.table(
        {
            "customer_id": [f"C{i}" for i in range(100)],
            "date": pa.array(np.full(100, np.datetime64("2024-03-01", "D"))),
            "amount": amount,
        }
    )
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=1)
    assert ledger_module._streamed(path)
    assert error_of(path) == (
        "t.parquet, row 58, column amount: expected a finite number between −1,000,000,000,000,000"
        ' and 1,000,000,000,000,000, found "nan"'
    )
    dates = table.set_column(1, "date", pa.array(np.full(100, np.datetime64("1850-01-01", "D"))))
    pq.write_table(dates.set_column(2, "amount", pa.array(np.ones(100))), path, row_group_size=1)
    assert error_of(path) == (
        "t.parquet, row 2, column date: expected a date from 1900-01-01 to 2100-12-31, found "
        '"1850-01-01"'
    )


def test_invisible_characters_in_numbers_and_dates_are_not_there(tmp_path: Path) -> None:
    """Issue 28: a stray BOM (two exports pasted together) or a zero-width space in an amount or
    a date was refused as 'found "\\ufeff100"'; the ID rule's invisible characters are dropped
    from every cell before it is read."""
    path = write(
        tmp_path / "t.csv",
        "customer_id,date,amount\n"
        "C1,2024-01-05,\ufeff1000\n"
        "C2,\u200b2024-02-01,500\n"
        "C1,2024-03-05,3\u00ad000\n",
    )
    ledger = load_ledger(path)
    rows = plain(ledger.df("SELECT customer_id, date, amount FROM ledger ORDER BY date"))
    assert rows.to_dict("records") == [
        {"customer_id": "C1", "date": dt.date(2024, 1, 5), "amount": 1000.0},
        {"customer_id": "C2", "date": dt.date(2024, 2, 1), "amount": 500.0},
        {"customer_id": "C1", "date": dt.date(2024, 3, 5), "amount": 3000.0},
    ]


def test_mixed_line_endings_are_read_and_an_unclosed_quote_is_named(tmp_path: Path) -> None:
    """Issue 28: files pasted together mix \\r\\n, \\n and \\r, and DuckDB's sniffer refused
    them with its own text and the file's absolute path; an unclosed quote likewise."""
    path = tmp_path / "t.csv"
    path.write_bytes(
        b"customer_id,date,amount\r\nC1,2024-01-05,1000\nC2,2024-02-01,500\r\n"
        b"C3,2024-03-01,7\rC4,2024-03-02,8\r\n"
    )
    ledger = load_ledger(path)
    rows = plain(ledger.df("SELECT customer_id, date, amount FROM ledger ORDER BY date"))
    assert rows["customer_id"].tolist() == ["C1", "C2", "C3", "C4"]
    assert rows["amount"].tolist() == [1000.0, 500.0, 7.0, 8.0]
    path.write_bytes(
        b'customer_id,date,amount\r\nC1,2024-01-05,1000\nC2,"2024-02-01,500\r\nC3,2024-03-01,7\n'
    )
    assert error_of(path) == (
        't.csv, row 3: expected every quoted cell closed (a cell that starts with " ends '
        'with "), found a quote that opens in this row and is never closed'
    )


@pytest.mark.parametrize("separator", ["\t", ","])
def test_a_utf16_ledger_is_read_as_the_same_rows(
    tmp_path: Path, separator: str, monkeypatch
) -> None:
    """Issue 28: what Excel saves as "Unicode Text" (UTF-16 with a BOM, tab-separated), and a
    UTF-16 comma-separated file, are read as their UTF-8 twin is; the ledger names the file,
    and kam's UTF-8 copy of it is gone once it is read."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    lines = ["客户编号,日期,金额,备注", "C1,2024-01-05,1000,", 'C2,2024-02-01,500,"含,逗号"', ""]
    lines += ["C3,2024-03-01,7,"]
    text = "\n".join(lines) + "\n"
    twin = tmp_path / "twin.csv"
    twin.write_text(text, encoding="utf-8")
    path = tmp_path / "台账.csv"
    if separator == "\t":
        text = (
            "\n".join("\t".join(cell.strip('"') for cell in line.split(",", 3)) for line in lines)
            + "\n"
        )
    path.write_bytes(text.encode("utf-16"))
    query = "SELECT customer_id, date, amount FROM ledger ORDER BY date"
    ledger = load_ledger(path)
    assert plain(ledger.df(query)).equals(plain(load_ledger(twin).df(query)))
    assert ledger.file == path and ledger.rows == 3
    assert list(scratch.iterdir()) == []  # kam's copy is gone


def test_a_ledger_duckdb_cannot_read_is_said_in_kams_words(tmp_path: Path) -> None:
    """Issue 28: no DuckDB text or absolute path in any message. Where DuckDB gives up, kam
    names the first row of another length, or says what it knows without DuckDB's words."""
    import duckdb

    from kamlib.core.ledger import _unreadable

    error = duckdb.InvalidInputException(
        f'Invalid Input Error: Error when sniffing file "{tmp_path}/t.csv".\nIt was not possible'
    )
    path = tmp_path / "t.csv"
    path.write_text("报表\ncustomer_id,date,amount\nC1,2024-01-05,1000\nC2,2024-02-01\n", "utf-8")
    said = str(_unreadable(path, error, sniffing=True))
    assert said.endswith("t.csv, row 4: expected 3 fields as in the header, found 2 fields")
    path.write_text("customer_id,date,amount\nC1,2024-01-05,1000\n", encoding="utf-8")
    said = str(_unreadable(path, error, sniffing=True))
    assert said.endswith(
        "t.csv: expected comma-separated rows of equal length, found a row no CSV reader can "
        "split into the header's columns"
    )
    assert "sniffing" not in said and str(tmp_path) not in said.split(":")[1]
