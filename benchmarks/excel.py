"""Excel ledgers at scale: a whole ``kam render`` (segmentation only) of an ``.xlsx`` ledger
against a bare python-calamine read plus a pandas group-by of the same file, in one run.

For each size a synthetic ledger (customer_id, date, amount, profit: 1 customer per 100 rows,
long-tailed amounts, three years, Excel dates) is written once with xlsxwriter, then each
measurement runs as a whole process of its own, timed and measured as in
``benchmarks/segmentation.py``:

- baseline: python-calamine reads the sheet, pandas sums amount by customer (nothing else);
- kam: ``kam render`` of an engagement folder holding only that ledger (so segmentation alone
  runs): the workbook read by python-calamine, its columns handed to DuckDB as typed Arrow
  arrays, every check, every indicator, the notebook executed and the report written.

It prints both times, their ratio (target ≤ 3) and peak RSS.

Usage: ``python benchmarks/excel.py [--rows 300000 1000000] [--dir DIR]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from segmentation import ENGAGEMENT, measure, render_command  # noqa: E402

BASELINE = """
import sys
import pandas as pd
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
frame = pd.DataFrame(rows[1:], columns=rows[0])
sums = frame.groupby("Customer ID")["Sales"].sum()
print(len(sums))
"""


def write_ledger(path: Path, rows: int, seed: int = 0) -> None:
    """A synthetic ledger as one .xlsx sheet (xlsxwriter in constant memory)."""
    import xlsxwriter

    rng = np.random.default_rng(seed)
    customers = max(1, rows // 100)
    weights = rng.pareto(1.2, customers) + 1
    weights /= weights.sum()
    who = rng.choice(customers, size=rows, p=weights)
    days = rng.integers(0, 3 * 365, rows)
    amount = np.round(rng.lognormal(9, 1.2, rows), 2)
    amount[rng.random(rows) < 0.01] *= -0.5
    profit = np.round(amount * rng.uniform(0.1, 0.4, rows), 2)
    serial = (np.datetime64("2024-01-01") - np.datetime64("1899-12-30")).astype(int) + days
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Orders")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["Customer ID", "Order Date", "Sales", "Profit"])
    ids = [f"C{c}" for c in who]
    for i in range(rows):
        sheet.write_string(i + 1, 0, ids[i])
        sheet.write_number(i + 1, 1, int(serial[i]), date)
        sheet.write_number(i + 1, 2, float(amount[i]))
        sheet.write_number(i + 1, 3, float(profit[i]))
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[300_000, 1_000_000])
    parser.add_argument("--dir", type=Path, help="where to write the ledgers (default: a temp dir)")
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="kam-bench-excel-"))
    print(
        f"{'rows':>10} {'MB':>5} {'baseline s':>11} {'kam s':>8} {'ratio':>6} "
        f"{'baseline MB':>12} {'kam MB':>8}"
    )
    for rows in args.rows:
        folder = base / f"xlsx-{rows}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "engagement.yaml").write_text(ENGAGEMENT, encoding="utf-8")
        ledger = folder / "transactions.xlsx"
        if not ledger.exists():
            t0 = time.perf_counter()
            write_ledger(ledger, rows)
            print(f"# wrote {ledger} in {time.perf_counter() - t0:.1f} s", flush=True)
        baseline = measure([sys.executable, "-c", BASELINE, str(ledger)])
        kam = measure(render_command(folder, base / f"report-{rows}", "--force"))
        ratio = kam["seconds"] / baseline["seconds"]
        verdict = "target met" if ratio <= 3 else "TARGET MISSED (≤ 3)"
        print(
            f"{rows:>10,} {ledger.stat().st_size / 1e6:>5.0f} {baseline['seconds']:>11.2f} "
            f"{kam['seconds']:>8.2f} {ratio:>6.2f} {baseline['rss_mb']:>12,.0f} "
            f"{kam['rss_mb']:>8,.0f}  {verdict}",
            flush=True,
        )


if __name__ == "__main__":
    main()
