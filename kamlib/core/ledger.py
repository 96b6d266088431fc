"""The transaction ledger in DuckDB: from a CSV / Excel / Parquet file of any size to per-customer
frames. Rows never reach pandas one by one; only aggregates do.

The ledger is read once into a typed DuckDB table ``ledger_rows`` with the canonical columns of
:data:`kamlib.core.io.TABLES` ``["transactions"]`` (``order_id`` as a 64-bit hash, ``product`` left
out); the view ``ledger`` adds ``rn`` (the data row's position, 1 = first) at no cost. Amounts
and profits are decimals to the cent (:data:`NUMBER_TYPES`), so sums of money are exact.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from kamlib.core.errors import KamError, quote
from kamlib.core.io import (
    CUSTOMER_ID,
    DATE_FORMATS,
    DATES,
    FIRST_DATE,
    LAST_DATE,
    NAME_CHARS,
    TABLES,
    canonical_headers,
    check_file,
    read_raw,
)
from kamlib.core.notes import Note

CHUNK = 1 << 24
# full-width digits and signs (what a Chinese input method types), the minus sign, and their
# ASCII equivalents: NFKC for the characters a number or a date can hold
WIDE = "０１２３４５６７８９．－＋，／：−"
NARROW = "0123456789.-+,/:-"
NUMBER_TYPES = {"amount": (17, 2), "profit": (17, 2), "quantity": (18, 4)}
"""Each number column's DECIMAL(precision, scale): money to the cent, summed exactly; a value that
does not fit (10^15 or more in size, or NaN, or infinite) is a mistake in the file."""
NUMERIC_TYPES = (
    "DOUBLE",
    "FLOAT",
    "BIGINT",
    "INTEGER",
    "SMALLINT",
    "TINYINT",
    "HUGEINT",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
)


@dataclass
class Ledger:
    """A loaded ledger: the DuckDB connection holding table ``ledger`` and what loading found
    (``warnings``: notes on usable data, as every loader's)."""

    con: duckdb.DuckDBPyConnection
    file: Path
    columns: list[str]
    rows: int
    first: dt.date
    last: dt.date
    lines_without_order: int = 0
    warnings: list[Note] = field(default_factory=list)

    def has(self, column: str) -> bool:
        return column in self.columns

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a query and return its (aggregated) result as a pandas frame."""
        return self.con.execute(sql, params or []).df()


def _utf8_copy(path: Path) -> Path | None:
    """``None`` if the CSV is UTF-8; otherwise a temporary UTF-8 copy decoded from GB18030."""
    with path.open("rb") as handle:
        head = handle.read(4096)
        if b"\x00" in head:
            raise KamError(path, "a CSV text file", "binary content")
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return None
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")()
        fd, name = tempfile.mkstemp(suffix=".csv", prefix="kam-ledger-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                while chunk := handle.read(CHUNK):
                    out.write(decoder.decode(chunk))
                out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            os.unlink(name)
            raise KamError(
                path, "text in UTF-8 or GB18030/GBK", "bytes in neither encoding"
            ) from None
        return Path(name)


CSV_OPTIONS = "header = true, delim = ',', quote = '\"', escape = '\"', null_padding = true"
TEXT_COLUMNS = (CUSTOMER_ID, "order_id", "product")
UNUSED = ("product",)  # read and checked, but no analysis uses it yet: not copied


def _csv_view(con: duckdb.DuckDBPyConnection, target: Path, options: str) -> None:
    name = str(target).replace("'", "''")
    con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM read_csv('{name}', {options})")


def _source(
    con: duckdb.DuckDBPyConnection, path: Path, fast: bool
) -> tuple[str, Path | None, list[int] | None]:
    """Create view ``src`` over the file; returns its kind, a temporary file to delete and, for
    Excel, the spreadsheet row of each data row.

    A CSV is first read with DuckDB's type detection (``fast``), text columns forced to text so
    customer IDs keep their leading zeros; the careful path reads every cell as text from a UTF-8
    copy and parses it here, which is what finds and locates a bad cell.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise KamError(path, "an existing file", "no such file")
    if suffix == ".csv":
        if path.stat().st_size == 0:
            raise KamError(path, "a header row", "an empty file")
        with path.open("rb") as handle:
            if b"\x00" in handle.read(4096):
                raise KamError(path, "a CSV text file", "binary content")
        if fast:
            _csv_view(con, path, CSV_OPTIONS)
            detected = {row[0]: row[1] for row in con.execute("DESCRIBE src").fetchall()}
            mapping = canonical_headers(path, list(detected), TABLES["transactions"])
            # text columns as text; numbers straight from the text into their DECIMAL (a cell
            # that is not one, NaN say, fails the read and sends the file the careful path)
            forced = {raw: "VARCHAR" for raw, canon in mapping.items() if canon in TEXT_COLUMNS}
            forced |= {
                raw: "DECIMAL({}, {})".format(*NUMBER_TYPES[canon])
                for raw, canon in mapping.items()
                if canon in NUMBER_TYPES and _is_number(detected[raw])
            }
            types = ", ".join(
                f"'{k.replace(chr(39), chr(39) * 2)}': '{v}'" for k, v in forced.items()
            )
            _csv_view(con, path, CSV_OPTIONS + (f", types = {{{types}}}" if types else ""))
            return "csv", None, None
        copy = _utf8_copy(path)
        try:
            _csv_view(con, copy or path, CSV_OPTIONS + ", all_varchar = true")
            con.execute("SELECT * FROM src LIMIT 1").fetchall()
        except duckdb.Error as exc:
            if copy:
                copy.unlink(missing_ok=True)
            raise _unreadable(path, exc, sniffing=True) from None
        return "csv", copy, None
    if suffix == ".parquet":
        target = str(path).replace("'", "''")
        try:
            con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM read_parquet('{target}')")
        except duckdb.Error:
            raise KamError(path, "a Parquet file", "a file Parquet cannot read") from None
        return "parquet", None, None
    if suffix == ".xlsx":
        frame, _ = read_raw(path, TABLES["transactions"])
        rows = [int(r) for r in frame.index]
        frame = frame.astype(object).where(frame.notna(), None)
        frame = frame.map(lambda v: None if v is None else str(v))
        con.register("src_frame", frame)
        con.execute("CREATE OR REPLACE VIEW src AS SELECT * FROM src_frame")
        return "xlsx", None, rows
    raise KamError(path, "a .csv, .xlsx or .parquet file", f"a {suffix or 'suffix-less'} file")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _is_date(kind: str) -> bool:
    return kind.startswith(("DATE", "TIMESTAMP"))


def _is_number(kind: str) -> bool:
    return kind in NUMERIC_TYPES or kind.startswith("DECIMAL")


def _date_expr(column: str, kind: str) -> str:
    c = _ident(column)
    if _is_date(kind):
        return f"CAST({c} AS DATE)"
    text = f"NULLIF(translate(trim(CAST({c} AS VARCHAR)), '{WIDE}', '{NARROW}'), '')"
    formats = ", ".join("'" + f + "'" for f in DATE_FORMATS)
    return f"CAST(try_strptime({text}, [{formats}]) AS DATE)"


def _number_expr(column: str, kind: str, name: str) -> str:
    """The cell as the DECIMAL of :data:`NUMBER_TYPES` ``[name]``; NULL when it is not a number
    or does not fit (NaN and infinity never do)."""
    c = _ident(column)
    target = "DECIMAL({}, {})".format(*NUMBER_TYPES[name])
    if _is_number(kind):
        return f"TRY_CAST({c} AS {target})"
    text = f"replace(translate(trim(CAST({c} AS VARCHAR)), '{WIDE}', '{NARROW}'), ',', '')"
    return f"TRY_CAST(NULLIF({text}, '') AS {target})"


def _expected_number(name: str, value: str | None) -> str:
    """What a bad number cell should have held: a number, or one that fits when it was one."""
    try:
        float(str(value).translate(str.maketrans(WIDE, NARROW)).replace(",", ""))
    except ValueError:
        return "a number"
    precision, scale = NUMBER_TYPES[name]
    limit = f"{10 ** (precision - scale):,}"
    return f"a finite number between −{limit} and {limit}"


def _present(column: str, kind: str) -> str:
    """SQL true when the cell holds something; typed cells are not turned into text for it."""
    if kind == "VARCHAR":
        return f"{_text_expr(column)} IS NOT NULL"
    return f"{_ident(column)} IS NOT NULL"


def _text_expr(column: str) -> str:
    return f"NULLIF(trim(CAST({_ident(column)} AS VARCHAR)), '')"


def _spreadsheet_row(path: Path, kind: str, rn: int, rows: list[int] | None) -> int:
    """The row Excel shows for data row ``rn`` (1 = first data row): blank lines count."""
    if rows is not None:
        return rows[rn - 1] if rn <= len(rows) else rn + 1
    if kind != "csv":
        return rn + 1
    copy = _utf8_copy(path)
    try:
        with open(copy or path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            seen = 0
            for record in reader:
                if not record:  # an empty line, which DuckDB skips too
                    continue
                seen += 1
                if seen == rn:
                    return reader.line_num
    finally:
        if copy:
            copy.unlink(missing_ok=True)
    return rn + 1


def load_ledger(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> Ledger:
    """Read and check a transaction ledger into DuckDB table ``ledger``.

    Raises
    ------
    KamError
        A missing required column, or the first value that is not a date or a number (with its
        row), or a ledger without a single usable row.
    """
    path = Path(path)
    if path.is_file():
        check_file(path, "transactions")
    con = con or duckdb.connect()
    if path.suffix.lower() == ".csv":
        try:
            return _load(con, path, fast=True)
        except duckdb.Error:  # types that detection got wrong, or not UTF-8: the careful path
            pass
    try:
        return _load(con, path, fast=False)
    except duckdb.InvalidInputException as exc:  # a CSV even the careful path cannot read
        if "CSV Error" not in str(exc):
            raise
        raise _unreadable(path, exc) from None


def _plausible(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    sheet_rows: list[int] | None,
    by_name: dict[str, str],
    dates: tuple[dt.date, dt.date],
) -> None:
    """The first row whose customer ID is longer than a name may be
    (:data:`~kamlib.core.io.NAME_CHARS`) or whose date or date paid lies outside
    :data:`~kamlib.core.io.FIRST_DATE` to :data:`~kamlib.core.io.LAST_DATE` is an error. One
    aggregate finds whether there is one (``dates``, the first and last date, are known); only
    then is the row looked for."""
    limit = int(NAME_CHARS.value())
    paid = "paid_date" in by_name
    longest, *paid_dates = con.execute(
        "SELECT max(length(customer_id)), "
        + ("min(paid_date), max(paid_date)" if paid else "NULL, NULL")
        + " FROM ledger_rows"
    ).fetchone()
    outside = "NOT {} BETWEEN $first AND $last"
    checks = [
        (column, sql)
        for column, sql, wrong in (
            (CUSTOMER_ID, "length(customer_id) > $chars", (longest or 0) > limit),
            ("date", outside.format("date"), _outside(*dates)),
            ("paid_date", outside.format("paid_date"), _outside(*paid_dates)),
        )
        if wrong
    ]
    if not checks:
        return
    sql = ", ".join(f"min(rowid + 1) FILTER (WHERE {sql})" for _, sql in checks)
    params = {"chars": limit, "first": FIRST_DATE, "last": LAST_DATE}
    used = {name: value for name, value in params.items() if f"${name}" in sql}
    found = con.execute(f"SELECT {sql} FROM ledger_rows", used).fetchone()
    rn, column = min((rn, column) for rn, (column, _) in zip(found, checks) if rn is not None)
    raw = by_name[column]
    sql = f"SELECT {_text_expr(raw)} FROM src LIMIT 1 OFFSET ?"
    (value,) = con.execute(sql, [rn - 1]).fetchone()
    if column == CUSTOMER_ID:
        expected = NAME_CHARS.expected("a customer ID")
        shown = f"{quote(value)} ({len(value):,} characters)"
    else:
        expected, shown = DATES, quote(value)
    row = _spreadsheet_row(path, kind, rn, sheet_rows)
    raise KamError(path, expected, shown, row=row, column=raw)


def _outside(first: dt.date | None, last: dt.date | None) -> bool:
    return (first is not None and first < FIRST_DATE) or (last is not None and last > LAST_DATE)


def _unreadable(path: Path, exc: duckdb.Error, sniffing: bool = False) -> KamError:
    """DuckDB's error on a ledger it cannot read, as one line with the line it stopped at (not
    while it sniffs the file's dialect: it then names line 1 whichever line it was)."""
    text = str(exc)
    line = None if sniffing else re.search(r"CSV Error on Line: (\d+)", text)
    size = re.search(r"Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+)", text)
    row = int(line.group(1)) if line else None
    if size:
        return KamError(
            path,
            f"lines of at most {int(size.group(1)):,} bytes (DuckDB's limit)",
            f"a line of {int(size.group(2)):,} bytes",
            row=row,
        )
    detail = text.strip().splitlines()[0][:160]
    return KamError(path, "comma-separated rows of equal length", detail, row=row)


def _load(con: duckdb.DuckDBPyConnection, path: Path, fast: bool) -> Ledger:
    kind, copy, sheet_rows = _source(con, path, fast)
    try:
        described = con.execute("DESCRIBE src").fetchall()
        types = {row[0]: row[1] for row in described}
        table = TABLES["transactions"]
        mapping = canonical_headers(path, list(types), table)
        by_name = {canon: raw for raw, canon in mapping.items()}
        for col in table.columns:
            if col.required and col.name not in by_name:
                aliases = "/".join(col.aliases)
                raise KamError(
                    path, f"a column {col.name} ({aliases})", f"columns {', '.join(types)}", row=1
                )
        present = [c for c in table.columns if c.name in by_name]
        kept = [c.name for c in present if c.name not in UNUSED]
        # a row with every cell empty (Excel exports ",,") is no mistake: it has no customer ID
        # and is left out and counted like any such row
        filled = " OR ".join(_present(by_name[c.name], types[by_name[c.name]]) for c in present)
        select, flags = [], []
        for col in present:
            raw = by_name[col.name]
            if col.kind == "date":
                expr, typed = _date_expr(raw, types[raw]), _is_date(types[raw])
            elif col.kind == "number":  # checked cell by cell, typed or not: NaN is a float
                expr, typed = _number_expr(raw, types[raw], col.name), False
            elif col.name == "order_id":
                # only ever used to group lines into orders: a 64-bit hash groups faster
                text = _text_expr(raw)
                select.append(
                    f"CASE WHEN {text} IS NULL THEN NULL ELSE hash({text}) END AS order_id"
                )
                continue
            elif col.name in UNUSED:
                continue
            else:
                select.append(f"{_text_expr(raw)} AS {col.name}")
                continue
            select.append(f"{expr} AS {col.name}")
            # text that does not parse is found while copying; a typed column cannot hold text,
            # so only a missing required value is a mistake, found on the copy
            if typed and col.required:
                filled_copy = " OR ".join(f"{name} IS NOT NULL" for name in kept)
                flags.append((col, f"{col.name} IS NULL AND ({filled_copy})"))
            elif not typed:
                missing = f"({filled})" if col.required else _present(raw, types[raw])
                flags.append((col, None))
                select.append(f"({expr} IS NULL AND {missing}) AS __bad{len(flags) - 1}")
        names = [f"__bad{i}" for i, (_, sql) in enumerate(flags) if sql is None]
        conditions = [sql or f"__bad{i}" for i, (_, sql) in enumerate(flags)]
        con.execute(f"CREATE OR REPLACE TABLE ledger_rows AS SELECT {', '.join(select)} FROM src")
        exclude = f" EXCLUDE ({', '.join(names)})" if names else ""
        con.execute(
            f"CREATE OR REPLACE VIEW ledger AS SELECT rowid + 1 AS rn, *{exclude} FROM ledger_rows"
        )
        position = "rowid + 1"
        no_order = "count(*) FILTER (WHERE order_id IS NULL)" if "order_id" in by_name else "0"
        stats = con.execute(
            f"SELECT count(*), min(date), max(date), {no_order}"
            + "".join(f", min({position}) FILTER (WHERE {c})" for c in conditions)
            + " FROM ledger_rows"
        ).fetchone()
        rows, first, last, lines_without_order = stats[:4]
        firsts = stats[4:]
        bad = [(rn, col) for rn, (col, _) in zip(firsts, flags) if rn is not None]
        if bad:
            rn, col = min(bad, key=lambda item: item[0])
            value = con.execute(
                f"SELECT {_text_expr(by_name[col.name])} FROM src LIMIT 1 OFFSET ?", [rn - 1]
            ).fetchone()[0]
            expected = (
                "a date (YYYY-MM-DD)" if col.kind == "date" else _expected_number(col.name, value)
            )
            found = "an empty cell" if value is None else quote(value)
            raise KamError(
                path,
                expected,
                found,
                row=_spreadsheet_row(path, kind, rn, sheet_rows),
                column=by_name[col.name],
            )
        if not rows:
            raise KamError(path, "at least one data row", "only a header")
        _plausible(con, path, kind, sheet_rows, by_name, (first, last))
    finally:
        if copy:
            copy.unlink(missing_ok=True)
        con.execute("DROP VIEW IF EXISTS src")
    return Ledger(con, path, kept, rows, first, last, lines_without_order)
