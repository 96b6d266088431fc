"""The transaction ledger in DuckDB: from a CSV / Excel / Parquet file of any size to per-customer
frames. Rows never reach pandas one by one; only aggregates do.

The ledger is read once into a typed DuckDB table ``ledger`` with the canonical columns of
:data:`kamlib.io.TABLES` ``["transactions"]`` plus ``rn`` (the data row's position, 1 = first).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from kamlib.errors import KamError, quote
from kamlib.io import TABLES, canonical_headers, read_raw

DATE_FORMATS = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
    "%Y年%m月%d日",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
]
CHUNK = 1 << 24


@dataclass
class Ledger:
    """A loaded ledger: the DuckDB connection holding table ``ledger`` and what loading found."""

    con: duckdb.DuckDBPyConnection
    file: Path
    columns: list[str]
    rows: int
    first: dt.date
    last: dt.date
    warnings: list[str] = field(default_factory=list)

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


def _source(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[str, Path | None]:
    """Create view ``src`` over the file; returns its kind and a temporary file to delete."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise KamError(path, "an existing file", "no such file")
    if suffix == ".csv":
        if path.stat().st_size == 0:
            raise KamError(path, "a header row", "an empty file")
        copy = _utf8_copy(path)
        target = str(copy or path).replace("'", "''")
        try:
            con.execute(
                f"CREATE VIEW src AS SELECT * FROM read_csv('{target}', all_varchar = true, "
                "header = true, delim = ',', quote = '\"', escape = '\"', null_padding = true)"
            )
            con.execute("SELECT * FROM src LIMIT 1").fetchall()
        except duckdb.Error as exc:
            detail = str(exc).strip().splitlines()[0][:160]
            raise KamError(path, "comma-separated rows of equal length", detail) from None
        return "csv", copy
    if suffix == ".parquet":
        target = str(path).replace("'", "''")
        try:
            con.execute(f"CREATE VIEW src AS SELECT * FROM read_parquet('{target}')")
        except duckdb.Error:
            raise KamError(path, "a Parquet file", "a file Parquet cannot read") from None
        return "parquet", None
    if suffix == ".xlsx":
        frame, _ = read_raw(path, TABLES["transactions"])
        frame = frame.astype(object).where(frame.notna(), None)
        frame = frame.map(lambda v: None if v is None else str(v))
        con.register("src_frame", frame)
        con.execute("CREATE VIEW src AS SELECT * FROM src_frame")
        return "xlsx", None
    raise KamError(path, "a .csv, .xlsx or .parquet file", f"a {suffix or 'suffix-less'} file")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _date_expr(column: str, kind: str) -> str:
    c = _ident(column)
    if kind.startswith(("DATE", "TIMESTAMP")):
        return f"CAST({c} AS DATE)"
    text = f"NULLIF(trim(CAST({c} AS VARCHAR)), '')"
    formats = ", ".join("'" + f + "'" for f in DATE_FORMATS)
    return f"CAST(try_strptime({text}, [{formats}]) AS DATE)"


def _number_expr(column: str, kind: str) -> str:
    c = _ident(column)
    if kind in (
        "DOUBLE",
        "FLOAT",
        "BIGINT",
        "INTEGER",
        "SMALLINT",
        "TINYINT",
        "HUGEINT",
        "UBIGINT",
        "UINTEGER",
    ) or kind.startswith("DECIMAL"):
        return f"CAST({c} AS DOUBLE)"
    text = f"replace(replace(replace(trim(CAST({c} AS VARCHAR)), ',', ''), '−', '-'), '，', '')"
    return f"TRY_CAST(NULLIF({text}, '') AS DOUBLE)"


def _text_expr(column: str) -> str:
    return f"NULLIF(trim(CAST({_ident(column)} AS VARCHAR)), '')"


def _spreadsheet_row(path: Path, kind: str, rn: int) -> int:
    """The row Excel shows for data row ``rn`` (1 = first data row): blank lines count in CSV."""
    if kind != "csv":
        return rn + 1
    copy = _utf8_copy(path)
    try:
        with open(copy or path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            seen = 0
            for record in reader:
                if not any(cell.strip() for cell in record):
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
    con = con or duckdb.connect()
    kind, copy = _source(con, path)
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
        select = ["row_number() OVER () AS rn"]
        flags = []
        for col in present:
            raw = by_name[col.name]
            if col.kind == "date":
                expr = _date_expr(raw, types[raw])
            elif col.kind == "number":
                expr = _number_expr(raw, types[raw])
            else:
                select.append(f"{_text_expr(raw)} AS {col.name}")
                continue
            select.append(f"{expr} AS {col.name}")
            missing = "false" if not col.required else f"{_text_expr(raw)} IS NULL"
            flag = f"__bad_{col.name}"
            select.append(
                f"({expr} IS NULL AND ({_text_expr(raw)} IS NOT NULL OR {missing})) AS {flag}"
            )
            flags.append((col, flag))
        con.execute(f"CREATE OR REPLACE TABLE ledger AS SELECT {', '.join(select)} FROM src")
        firsts = (
            con.execute(
                "SELECT "
                + ", ".join(f"min(rn) FILTER (WHERE {flag})" for _, flag in flags)
                + " FROM ledger"
            ).fetchone()
            if flags
            else ()
        )
        bad = [(rn, col) for rn, (col, _) in zip(firsts, flags) if rn is not None]
        if bad:
            rn, col = min(bad, key=lambda item: item[0])
            value = con.execute(
                f"SELECT {_text_expr(by_name[col.name])} FROM "
                f"(SELECT row_number() OVER () AS rn, * FROM src) WHERE rn = ?",
                [rn],
            ).fetchone()[0]
            expected = "a date (YYYY-MM-DD)" if col.kind == "date" else "a number"
            found = "an empty cell" if value is None else quote(value)
            raise KamError(
                path,
                expected,
                found,
                row=_spreadsheet_row(path, kind, rn),
                column=by_name[col.name],
            )
        for _, flag in flags:
            con.execute(f"ALTER TABLE ledger DROP COLUMN {flag}")
        rows, first, last = con.execute(
            "SELECT count(*), min(date), max(date) FROM ledger"
        ).fetchone()
        if not rows:
            raise KamError(path, "at least one data row", "only a header")
    finally:
        if copy:
            copy.unlink(missing_ok=True)
        con.execute("DROP VIEW IF EXISTS src")
    return Ledger(con, path, [c.name for c in present], rows, first, last)
