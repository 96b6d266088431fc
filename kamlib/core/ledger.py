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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from kamlib.core.errors import KamError, quote
from kamlib.core.io import (
    CUSTOMER_ID,
    DATE_FORMATS,
    DATE_FORMS,
    DATES,
    EXCEL,
    FIRST_DATE,
    INVISIBLE,
    KINDS,
    LAST_DATE,
    MB,
    NAME_CHARS,
    NUMBER_PATTERN,
    NUMBERS,
    TABLES,
    UNITS,
    Limit,
    Reading,
    _cell,
    canonical_headers,
    cell_text,
    check_file,
    check_text,
    csv_encoding,
    customer_key,
    described,
    encoding_error,
    encoding_head,
    find_header,
    fmt_count,
    folded_ids,
    is_utf16,
    missing_column,
    number_text,
    plain_columns,
    read_workbook,
    unclosed_quote,
    utf16_to_csv,
)
from kamlib.core.notes import Note

CHUNK = 1 << 24
# full-width digits and signs (what a Chinese input method types), the minus sign, and their
# ASCII equivalents: NFKC for the characters a number or a date can hold
WIDE = "０１２３４５６７８９．－＋，／：−￥％"
NARROW = "0123456789.-+,/:-¥%"
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


def _physical_mb() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / MB
    except (ValueError, OSError, AttributeError):
        return 8_000.0


MEMORY_MB = Limit("KAM_LEDGER_MEMORY_MB", round(min(3_000.0, _physical_mb() / 4)), "MB")
"""The memory DuckDB may use for the ledger (its ``memory_limit``): a quarter of the machine's
memory, at most 3,000 MB. Beyond it DuckDB writes to its scratch folder (:func:`scratch`)."""


def scratch() -> Path:
    """DuckDB's scratch folder (its ``temp_directory``), one per process in the system's
    temporary folder (``TMPDIR``); DuckDB removes what it wrote there when it closes."""
    return Path(tempfile.gettempdir()) / f"kam-duckdb-{os.getpid()}"


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for a ledger: :data:`MEMORY_MB` of memory, :func:`scratch` to spill
    to, no progress bar (a command prints one line, not DuckDB's bar)."""
    con = duckdb.connect(
        config={
            "memory_limit": f"{int(MEMORY_MB.value())}MB",
            "temp_directory": str(scratch()),
        }
    )
    con.execute("SET enable_progress_bar = false")
    return con


@contextmanager
def memory_bound(path: Path) -> Iterator[None]:
    """DuckDB running out of :data:`MEMORY_MB` (or of room in :func:`scratch`) while it works on
    the ledger ``path`` ends in kam's own error, naming the file's size and the limit."""
    try:
        yield
    except duckdb.OutOfMemoryException:
        raise _too_big(path, "memory") from None
    except duckdb.IOException as exc:
        if "No space left" not in str(exc):
            raise
        raise _too_big(path, "scratch") from None


def _too_big(path: Path, what: str) -> KamError:
    size = path.stat().st_size / MB
    limit = fmt_count(MEMORY_MB.value())
    if what == "memory":
        expected = (
            f"a ledger that fits in {limit} MB of memory and the scratch folder (the limit "
            f"{MEMORY_MB.variable}: set it higher to allow more)"
        )
    else:
        expected = (
            f"a ledger whose overflow beyond {limit} MB of memory fits in the scratch folder "
            f"{scratch().parent} (TMPDIR: point it at a disk with more room)"
        )
    return KamError(path, expected, f"a file of {fmt_count(size)} MB that needs more")


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
    reading: Reading | None = None

    def has(self, column: str) -> bool:
        return column in self.columns

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a query and return its (aggregated) result as a pandas frame."""
        return self.con.execute(sql, params or []).df()


def _utf8_copy(path: Path) -> Path | None:
    """``None`` if the CSV is UTF-8; otherwise a temporary UTF-8 copy decoded from GB18030. The
    file is in one encoding (:func:`~kamlib.core.io.csv_encoding`): a row that is not is an
    error naming it, never read in another encoding."""
    with path.open("rb") as handle:
        check_text(path, handle.read(4096))
        handle.seek(0)
        encoding = csv_encoding(encoding_head(handle))
        handle.seek(0)
        utf8 = encoding == "utf-8-sig"
        # checked as plain UTF-8 (a BOM is a character of it), so that offsets are the file's
        decoder = codecs.getincrementaldecoder("utf-8" if utf8 else encoding)()
        name = None
        out = None
        offset = 0
        try:
            if not utf8:
                fd, name = tempfile.mkstemp(suffix=".csv", prefix="kam-ledger-")
                out = os.fdopen(fd, "w", encoding="utf-8")
            while True:
                chunk = handle.read(CHUNK)
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    bad = offset - pending + exc.start
                    raise encoding_error(path, handle, bad, encoding) from None
                if out is not None:
                    out.write(text)
                if not chunk:
                    break
                offset += len(chunk)
        except BaseException:
            if out is not None:
                out.close()
            if name is not None:
                os.unlink(name)
            raise
        if out is not None:
            out.close()
        return Path(name) if name else None


def _lf_copy(path: Path) -> Path:
    """A temporary UTF-8 copy of the CSV with every line ending ``\n`` (Excel and people mix
    ``\r\n``, ``\n`` and ``\r`` when files are pasted together); rows keep their numbers."""
    with path.open("rb") as handle:
        encoding = csv_encoding(encoding_head(handle))
    fd, name = tempfile.mkstemp(suffix=".csv", prefix="kam-ledger-")
    try:
        with (
            path.open(encoding=encoding, errors="strict", newline=None) as source,
            os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out,
        ):
            while chunk := source.read(CHUNK):
                out.write(chunk)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


CSV_OPTIONS = (
    "header = true, delim = ',', quote = '\"', escape = '\"', null_padding = true, "
    # only ISO dates are typed by DuckDB's detection: 03/04/2025 stays text, and is refused
    "dateformat = '%Y-%m-%d', timestampformat = '%Y-%m-%d %H:%M:%S'"
)
TEXT_COLUMNS = (CUSTOMER_ID, "order_id", "product")
UNUSED = ("product",)  # read and checked, but no analysis uses it yet: not copied


def _csv_view(con: duckdb.DuckDBPyConnection, target: Path, options: str) -> None:
    name = str(target).replace("'", "''")
    con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM read_csv('{name}', {options})")


def _csv_top(path: Path, columns: dict[str, str] | None) -> int:
    """The index of a CSV's header line (:func:`~kamlib.core.io.find_header` on its first lines,
    so that title lines above the header are skipped)."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
        more = bool(handle.read(1))
    text = head.decode(csv_encoding(head), errors="replace")
    lines = text.splitlines()[: -1 if more else None]
    try:
        records = list(csv.reader(lines))
    except csv.Error:  # DuckDB's reader says what is wrong
        return 0
    return find_header(records, TABLES["transactions"], columns)[0]


def _arrow_column(values: np.ndarray) -> pa.Array:
    """One column of workbook cells (an object array, changed in place) as an Arrow array, typed
    when its cells are of one type (numbers, dates, times of day), else as text; an empty cell is
    a null."""
    values[values == ""] = None
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed: text and numbers, dates and text
        return pa.array([None if v is None else str(_cell(v)) for v in values], pa.string())


def _workbook_source(
    con: duckdb.DuckDBPyConnection, path: Path, sheet: str | None, columns: dict[str, str] | None
) -> Reading:
    """View ``src`` over a workbook's ledger sheet, as typed Arrow columns (no cell is turned
    into text unless its column mixes types)."""
    rows, reading = read_workbook(path, TABLES["transactions"], sheet, columns)
    top = reading.header_row - 1
    if top >= len(rows):
        raise KamError(path, "a header row", "an empty sheet", sheet=reading.sheet)
    header = [str(_cell(v)) for v in rows[top]]
    header = [h if h.strip() else f"Unnamed: {i}" for i, h in enumerate(header)]
    cells = np.empty((len(rows) - top - 1, len(header)), dtype=object)
    if len(cells):
        cells[:] = rows[top + 1 :]
    del rows
    # blank rows are left out, as the table reader does, and the others keep their Excel rows
    filled = ~(cells == "").all(axis=1) if len(header) else np.ones(len(cells), bool)
    if not filled.all():
        numbers = tuple(int(n) for n in np.flatnonzero(filled) + top + 2)
        reading = replace(reading, rows=numbers)
        cells = cells[filled]
    arrays = [_arrow_column(cells[:, i]) for i in range(len(header))]
    del cells
    table = pa.Table.from_arrays(arrays, names=header)
    con.register("src_frame", table)
    con.execute("CREATE OR REPLACE VIEW src AS SELECT * FROM src_frame")
    return reading


def _source(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fast: bool,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
) -> tuple[str, Path | None, Reading]:
    """Create view ``src`` over the file; returns its kind, a temporary file to delete and how it
    was read (the sheet, the header's row).

    A CSV is first read with DuckDB's type detection (``fast``), text columns forced to text so
    customer IDs keep their leading zeros; the careful path reads every cell as text from a UTF-8
    copy and parses it here, which is what finds and locates a bad cell.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise KamError(path, "an existing file", "no such file")
    if sheet is not None and suffix not in EXCEL:
        raise KamError(
            path,
            "a workbook (.xlsx, .xlsm, .xlsb, .xls or .ods) to take a sheet from",
            f"a {suffix} file",
        )
    if suffix == ".csv":
        if path.stat().st_size == 0:
            raise KamError(path, "a header row", "an empty file")
        with path.open("rb") as handle:
            check_text(path, handle.read(4096))
        top = _csv_top(path, columns)
        reading = Reading(path, header_row=top + 1)
        options = CSV_OPTIONS + (f", skip = {top}" if top else "")
        if fast:
            _csv_view(con, path, options)
            detected = {row[0]: row[1] for row in con.execute("DESCRIBE src").fetchall()}
            mapping = canonical_headers(
                path, list(detected), TABLES["transactions"], columns, top + 1
            )
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
            _csv_view(con, path, options + (f", types = {{{types}}}" if types else ""))
            return "csv", None, reading
        copy = _utf8_copy(path)
        try:
            _csv_view(con, copy or path, options + ", all_varchar = true")
            con.execute("SELECT * FROM src LIMIT 1").fetchall()
        except (duckdb.OutOfMemoryException, duckdb.IOException):
            if copy:
                copy.unlink(missing_ok=True)
            raise
        except duckdb.Error as exc:
            if copy:
                copy.unlink(missing_ok=True)
            # DuckDB's sniffer wants one kind of line ending: a copy with \n only, tried once
            copy = _lf_copy(path)
            try:
                _csv_view(con, copy, options + ", all_varchar = true")
                con.execute("SELECT * FROM src LIMIT 1").fetchall()
            except duckdb.Error:
                copy.unlink(missing_ok=True)
                raise _unreadable(path, exc, sniffing=True) from None
        return "csv", copy, reading
    if suffix == ".parquet":
        if _streamed(path):
            _parquet_stream(con, path)
            return "stream", None, Reading(path)
        target = str(path).replace("'", "''")
        try:
            con.execute(f"CREATE OR REPLACE VIEW src AS SELECT * FROM read_parquet('{target}')")
        except duckdb.Error:
            raise KamError(path, "a Parquet file", "a file Parquet cannot read") from None
        return "parquet", None, Reading(path)
    if suffix in EXCEL:
        return "excel", None, _workbook_source(con, path, sheet, columns)
    raise KamError(path, KINDS, f"a {suffix or 'suffix-less'} file")


SMALL_GROUPS = 10_000
"""A Parquet file whose row groups hold fewer rows than this on average (and that has more
than :data:`MANY_GROUPS` of them) is read as one stream of batches: DuckDB's parallel reader
keeps a buffer for every row group in flight, which grows with their number (60,000 groups of
one row: 2.9 GB)."""
MANY_GROUPS = 64
BATCH_ROWS = 1 << 16


def _streamed(path: Path) -> bool:
    """Whether the Parquet ledger is read as a stream of batches (many small row groups)."""
    import pyarrow.parquet as pq

    try:
        meta = pq.read_metadata(path)
    except Exception:  # pyarrow raises many types for a damaged file: DuckDB's reader says so
        return False
    groups = meta.num_row_groups
    return groups > MANY_GROUPS and meta.num_rows < SMALL_GROUPS * groups


def _parquet_stream(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """View ``src`` over the Parquet file read in batches of :data:`BATCH_ROWS` rows, one row
    group after another: memory holds the file's metadata and a batch, whatever its row groups.
    A stream is read once: a query that reads ``src`` again calls this first."""
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
        reader = pa.RecordBatchReader.from_batches(
            handle.schema_arrow, handle.iter_batches(batch_size=BATCH_ROWS)
        )
    except Exception:  # pyarrow raises many types for a damaged file
        raise KamError(path, "a Parquet file", "a file Parquet cannot read") from None
    con.register("src_frame", reader)
    con.execute("CREATE OR REPLACE VIEW src AS SELECT * FROM src_frame")


def _source_row(
    con: duckdb.DuckDBPyConnection, path: Path, kind: str, expr: str, rn: int
) -> object:
    """``expr`` of data row ``rn`` (1 = first) of view ``src``. (DuckDB registers a stream
    only on a connection without a result left to fetch: every query before this one is
    fetched with ``fetchall``.)"""
    if kind == "stream":
        _parquet_stream(con, path)
    # fetched to the end: a stream's result left open would hold the connection
    return con.execute(f"SELECT {expr} FROM src LIMIT 1 OFFSET ?", [rn - 1]).fetchall()[0][0]


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
    text = f"NULLIF(trim(translate(CAST({c} AS VARCHAR), '{WIDE}{INVISIBLE}', '{NARROW}')), '')"
    formats = ", ".join("'" + f + "'" for f in DATE_FORMATS)
    return f"CAST(try_strptime({text}, [{formats}]) AS DATE)"


def _number_expr(column: str, kind: str, name: str) -> str:
    """The cell as the DECIMAL of :data:`NUMBER_TYPES` ``[name]``; NULL when it is not a number
    or does not fit (NaN and infinity never do)."""
    c = _ident(column)
    target = "DECIMAL({}, {})".format(*NUMBER_TYPES[name])
    if _is_number(kind):
        return f"TRY_CAST({c} AS {target})"
    text = f"upper(trim(translate(CAST({c} AS VARCHAR), '{WIDE}{INVISIBLE}', '{NARROW}')))"
    # plain numbers directly; the others (12,345 / ¥12,345.00 / 1.2万 / 25%) by the pattern
    # that kamlib.core.io.number_text reads too, only for the cells still empty
    parts = f"regexp_extract({text}, '{NUMBER_PATTERN}', ['s1', 'cur', 's2', 'num', 'unit'])"
    scale = " ".join(f"WHEN '{unit}' THEN {factor}" for unit, factor in UNITS.items() if unit)
    typed = (
        f"CASE WHEN {parts}.num = '' OR ({parts}.s1 <> '' AND {parts}.s2 <> '') "
        f"OR ({parts}.cur <> '' AND {parts}.unit = '%') THEN NULL "
        f"ELSE TRY_CAST(TRY_CAST(replace({parts}.num, ',', '') AS DOUBLE) "
        f"* CASE {parts}.unit {scale} ELSE 1 END "
        f"* CASE WHEN {parts}.s1 = '-' OR {parts}.s2 = '-' THEN -1 ELSE 1 END AS {target}) END"
    )
    return f"coalesce(TRY_CAST(NULLIF({text}, '') AS {target}), {typed})"


def _expected_number(name: str, value: str | None) -> str:
    """What a bad number cell should have held: a number, or one that fits when it was one."""
    text = cell_text(str(value).translate(str.maketrans(WIDE, NARROW)))
    try:
        float(text)
    except ValueError:
        if number_text(text) is None:
            return NUMBERS
    precision, scale = NUMBER_TYPES[name]
    limit = f"{10 ** (precision - scale):,}"
    return f"a finite number between −{limit} and {limit}"


def _present(column: str, kind: str) -> str:
    """SQL true when the cell holds something; typed cells are not turned into text for it."""
    if kind == "VARCHAR":
        return f"{_text_expr(column)} IS NOT NULL"
    return f"{_ident(column)} IS NOT NULL"


def _text_expr(column: str, kind: str = "VARCHAR") -> str:
    """The cell as trimmed text (NULL when empty); a whole number of a workbook's floating-point
    column without ``.0`` (customer 1001, not 1001.0)."""
    c = _ident(column)
    if kind in ("DOUBLE", "FLOAT"):
        whole = f"{c} = trunc({c}) AND abs({c}) < 9e15"
        whole_text = f"CAST(CAST({c} AS BIGINT) AS VARCHAR)"
        return f"CASE WHEN {whole} THEN {whole_text} ELSE CAST({c} AS VARCHAR) END"
    return f"NULLIF(trim(CAST({c} AS VARCHAR)), '')"


def _no_extra_fields(
    con: duckdb.DuckDBPyConnection, path: Path, names: list[str], reading: Reading
) -> None:
    """A row with more non-empty fields than the header is an error (DuckDB gives it columns
    of its own, which no template column would read), as in every other CSV file."""
    try:
        with open(path, encoding="latin-1", newline="") as handle:  # commas and quotes: ASCII
            reader = csv.reader(handle)
            header = [next(reader, []) for _ in range(reading.header_row)][-1]
    except csv.Error:  # a line above the header the csv module cannot take: DuckDB took it
        return
    extra = [_ident(name) for name in names[len(header) :]]
    if not extra:
        return
    filled = [f"coalesce(trim(CAST({c} AS VARCHAR)), '') <> ''" for c in extra]
    found = con.execute(
        f"SELECT n, [{', '.join(filled)}] FROM (SELECT row_number() OVER () AS n, * FROM src) "
        f"WHERE {' OR '.join(filled)} ORDER BY n LIMIT 1"
    ).fetchone()
    if found:
        rn, cells = found
        fields = len(header) + max(i for i, full in enumerate(cells) if full) + 1
        row = _spreadsheet_row(path, "csv", rn, reading)
        raise KamError(path, f"{len(header)} fields as in the header", f"{fields} fields", row=row)


def _spreadsheet_row(path: Path, kind: str, rn: int, reading: Reading) -> int:
    """The row Excel shows for data row ``rn`` (1 = first data row) read as ``reading`` says:
    blank lines count."""
    header_row = reading.header_row
    if reading.rows is not None:
        return reading.rows[rn - 1]
    if kind != "csv":
        return header_row + rn
    copy = _utf8_copy(path)
    try:
        with open(copy or path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            for _ in range(header_row):
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
    return rn + header_row


def load_ledger(
    path: Path,
    con: duckdb.DuckDBPyConnection | None = None,
    sheet: str | None = None,
    columns: dict[str, str] | None = None,
) -> Ledger:
    """Read and check a transaction ledger into DuckDB table ``ledger``: a CSV or Parquet file,
    or worksheet ``sheet`` of a workbook (by default the one whose header fits the template),
    headers mapped by ``columns`` (the engagement's ``columns:``) as well as by the aliases.

    Raises
    ------
    KamError
        A missing required column, or the first value that is not a date or a number (with its
        row), or a ledger without a single usable row.
    """
    path = Path(path)
    if path.is_file():
        check_file(path, "transactions")
    con = con or connect()
    with memory_bound(path):
        return _load_any(con, path, sheet, columns)


def _load_any(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    sheet: str | None,
    columns: dict[str, str] | None,
) -> Ledger:
    if path.suffix.lower() == ".csv" and path.is_file():
        with path.open("rb") as handle:
            utf16 = is_utf16(handle.read(2))
        if utf16:  # read from a UTF-8 copy of the same name; said of the file itself
            with tempfile.TemporaryDirectory(prefix="kam-utf16-") as folder:
                copy = Path(folder) / path.name
                utf16_to_csv(path, copy)
                try:
                    ledger = _load_any(con, copy, sheet, columns)
                except KamError as exc:
                    raise exc.in_file(path) from None
                reading = replace(ledger.reading, file=path) if ledger.reading else None
                return replace(ledger, file=path, reading=reading)
    if path.suffix.lower() == ".csv":
        try:
            return _load(con, path, True, sheet, columns)
        except (duckdb.OutOfMemoryException, duckdb.IOException):
            raise
        except duckdb.Error:  # types that detection got wrong, or not UTF-8: the careful path
            pass
    try:
        return _load(con, path, False, sheet, columns)
    except duckdb.InvalidInputException as exc:  # a CSV even the careful path cannot read
        if "CSV Error" not in str(exc):
            raise
        raise _unreadable(path, exc) from None


def _plausible(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    reading: Reading,
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
    ).fetchall()[0]
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
    found = con.execute(f"SELECT {sql} FROM ledger_rows", used).fetchall()[0]
    rn, column = min((rn, column) for rn, (column, _) in zip(found, checks) if rn is not None)
    raw = by_name[column]
    value = _source_row(con, path, kind, _text_expr(raw), rn)
    if column == CUSTOMER_ID:
        expected = NAME_CHARS.expected("a customer ID")
        shown = f"{quote(value)} ({len(value):,} characters)"
    else:
        expected, shown = DATES, quote(value)
    row = _spreadsheet_row(path, kind, rn, reading)
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
    if path.suffix.lower() == ".csv":  # a quote never closed: kam's message at its row
        with path.open("rb") as handle:
            encoding = csv_encoding(encoding_head(handle))
        with path.open(encoding=encoding, errors="replace", newline="") as lines:
            problem = unclosed_quote(path, lines)
        if problem is not None:
            return problem
        with path.open(encoding=encoding, errors="replace", newline="") as lines:
            problem = _uneven_row(path, lines, _csv_top(path, None))
        if problem is not None:
            return problem
    # never DuckDB's own text (it names the file by its absolute path): what kam knows of it
    return KamError(
        path,
        "comma-separated rows of equal length",
        "a row no CSV reader can split into the header's columns",
        row=row,
    )


def _uneven_row(path: Path, lines, top: int) -> KamError | None:
    """The first row with another number of fields than the header (record ``top``; blank lines
    aside)."""
    try:
        records = csv.reader(lines)
        for _ in range(top):
            next(records, None)
        header = next(records, [])
        for row, record in enumerate(records, start=top + 2):
            if record and len(record) != len(header):
                return KamError(
                    path,
                    f"{len(header)} fields as in the header",
                    f"{len(record)} fields",
                    row=row,
                )
    except csv.Error:
        return None
    return None


def _load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fast: bool,
    sheet: str | None,
    columns: dict[str, str] | None,
) -> Ledger:
    reading = Reading(path)
    try:
        kind, copy, reading = _source(con, path, fast, sheet, columns)
        return _typed(con, path, kind, copy, reading, columns)
    except KamError as exc:
        raise exc.in_sheet(reading.sheet if reading.other_sheets else None) from None


def _typed(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    copy: Path | None,
    reading: Reading,
    columns: dict[str, str] | None,
) -> Ledger:
    """Copy view ``src`` into the typed table ``ledger_rows``; the first bad cell is an error."""
    header_row = reading.header_row
    try:
        types = {row[0]: row[1] for row in con.execute("DESCRIBE src").fetchall()}
        if kind == "csv":
            _no_extra_fields(con, path, list(types), reading)
        if kind == "parquet":
            plain_columns(path, types, TABLES["transactions"], columns)
        table = TABLES["transactions"]
        mapping = canonical_headers(path, list(types), table, columns, header_row)
        reading = described(reading, mapping, table, columns)
        by_name = {canon: raw for raw, canon in mapping.items()}
        for col in table.columns:
            if col.required and col.name not in by_name:
                raise missing_column(path, table, col, mapping, header_row)
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
                text = _text_expr(raw, types[raw])
                select.append(
                    f"CASE WHEN {text} IS NULL THEN NULL ELSE hash({text}) END AS order_id"
                )
                continue
            elif col.name in UNUSED:
                continue
            else:
                select.append(f"{_text_expr(raw, types[raw])} AS {col.name}")
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
        notes = _fold_ids(con, path)
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
        ).fetchall()[0]
        rows, first, last, lines_without_order = stats[:4]
        firsts = stats[4:]
        bad = [(rn, col) for rn, (col, _) in zip(firsts, flags) if rn is not None]
        if bad:
            rn, col = min(bad, key=lambda item: item[0])
            value = _source_row(con, path, kind, _text_expr(by_name[col.name]), rn)
            expected = DATE_FORMS if col.kind == "date" else _expected_number(col.name, value)
            found = "an empty cell" if value is None else quote(value)
            raise KamError(
                path,
                expected,
                found,
                row=_spreadsheet_row(path, kind, rn, reading),
                column=by_name[col.name],
            )
        if not rows:
            raise KamError(path, "at least one data row", "only a header")
        _plausible(con, path, kind, reading, by_name, (first, last))
    finally:
        if copy:
            copy.unlink(missing_ok=True)
        con.execute("DROP VIEW IF EXISTS src")
        if kind in ("excel", "stream"):
            con.unregister("src_frame")
    return Ledger(
        con, path, kept, rows, first, last, lines_without_order, warnings=notes, reading=reading
    )


def _fold_ids(con: duckdb.DuckDBPyConnection, path: Path) -> list[Note]:
    """Customer IDs by the one rule (:func:`~kamlib.core.io.customer_key`), as every other file's
    are: the distinct IDs that are not plain printable ASCII (which the rule leaves as they are)
    are folded here and the rows of those that change are rewritten; the note says which forms
    were read as another ID. An ID of invisible characters alone is none."""
    sql = (
        "SELECT customer_id FROM (SELECT DISTINCT customer_id FROM ledger_rows) "
        "WHERE NOT regexp_full_match(customer_id, '[ -~]*')"
    )
    forms = {raw: customer_key(raw) for (raw,) in con.execute(sql).fetchall()}
    changed = {raw: key for raw, key in forms.items() if raw != key}
    if changed:
        mapping = pa.table({"raw": list(changed), "id": [k or None for k in changed.values()]})
        con.register("id_forms", mapping)
        try:
            con.execute(
                "UPDATE ledger_rows SET customer_id = id_forms.id FROM id_forms "
                "WHERE ledger_rows.customer_id = id_forms.raw"
            )
        finally:
            con.unregister("id_forms")
    return folded_ids(path.name, forms)
