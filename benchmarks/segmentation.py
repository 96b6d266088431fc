"""Segmentation at scale: a whole ``kam render`` of a ledger-only engagement against a bare pandas
baseline, in one run.

For each ledger size and format, a synthetic ledger (customer_id, date, amount, profit, order_id,
paid_date; 1 customer per 100 rows, long-tailed amounts, three years) is written once, then each
measurement runs as a whole process of its own (interpreter start and imports included, peak
memory of the process and everything it starts):

- baseline: pandas reads the ledger and sums amount by customer (nothing else);
- kam: ``kam render`` of an engagement folder holding that ledger: loading and checking in DuckDB,
  every indicator, tiers, Pareto, pyramid, value matrix, RFM, migration, the key-account list, the
  account plans' inputs, the results saved, the notebook executed and the page written.

It prints both times, their ratio and peak RSS. Targets (issue 10): at 10 M Parquet rows a ratio
≤ 3 and peak memory ≤ 2 GB; a 100 M-row Parquet ledger completing in ≤ 6 GB (``--rows 100000000
--formats parquet --no-baseline``).

Usage: ``python benchmarks/segmentation.py [--rows 1000000 10000000] [--formats parquet csv]
[--dir DIR] [--no-baseline]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 2_000_000

ENGAGEMENT = """\
title: benchmark
client: benchmark
company: benchmark
consultant: benchmark
date: 2026-12-31
language: en
currency: CNY
segmentation:
  tiers: {A: 5000000, B: 1000000, C: 200000}
"""


def write_ledger(path: Path, rows: int, fmt: str, seed: int = 0) -> None:
    """A synthetic ledger written in chunks, so generating 100 M rows needs little memory."""
    rng = np.random.default_rng(seed)
    customers = max(1, rows // 100)
    weights = rng.pareto(1.2, customers) + 1
    weights /= weights.sum()
    start = np.datetime64("2024-01-01")
    writer = None
    first = True
    for offset in range(0, rows, CHUNK):
        n = min(CHUNK, rows - offset)
        who = rng.choice(customers, size=n, p=weights)
        days = rng.integers(0, 3 * 365, n)
        date = start + days.astype("timedelta64[D]")
        amount = np.round(rng.lognormal(9, 1.2, n), 2)
        amount[rng.random(n) < 0.01] *= -0.5
        table = pa.table(
            {
                "customer_id": pa.array(np.char.add("C", who.astype("U8"))),
                "date": pa.array(date.astype("datetime64[D]")),
                "amount": amount,
                "profit": np.round(amount * rng.uniform(0.1, 0.4, n), 2),
                "order_id": pa.array(np.char.add("O", (offset + np.arange(n)).astype("U10"))),
                "paid_date": pa.array(
                    (date + rng.integers(10, 120, n).astype("timedelta64[D]")).astype(
                        "datetime64[D]"
                    )
                ),
            }
        )
        if fmt == "parquet":
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
        else:
            import pyarrow.csv as pacsv

            with open(path, "ab") as handle:
                pacsv.write_csv(
                    table, handle, pacsv.WriteOptions(include_header=first, quoting_style="none")
                )
        first = False
    if writer:
        writer.close()


BASELINE = """
import sys
import pandas as pd
path = sys.argv[1]
frame = pd.read_parquet(path, columns=["customer_id", "amount"]) if path.endswith(".parquet") \\
    else pd.read_csv(path, usecols=["customer_id", "amount"])
sums = frame.groupby("customer_id")["amount"].sum()
print(len(sums))
"""


def render_command(folder: Path, out: Path, *options: str) -> list[str]:
    """The whole ``kam render`` of an engagement, as a user runs it."""
    return [
        sys.executable,
        "-m",
        "kamlib.cli",
        "render",
        str(folder),
        "--out",
        str(out),
        *options,
    ]


def measure(command: list[str]) -> dict:
    """Wall time and peak RSS of ``command`` run as a child of a fresh process."""
    probe = textwrap.dedent(
        """
        import json, resource, subprocess, sys, time
        t0 = time.perf_counter()
        subprocess.run(sys.argv[1:], check=True, capture_output=True)
        seconds = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"seconds": seconds, "rss_mb": rss}))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--formats", nargs="+", default=["parquet", "csv"], choices=["parquet", "csv"]
    )
    parser.add_argument("--dir", type=Path, help="where to write the ledgers (default: a temp dir)")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="kam-bench-"))
    print(
        f"{'rows':>12} {'format':>8} {'baseline s':>11} {'kam s':>8} {'ratio':>6} "
        f"{'baseline MB':>12} {'kam MB':>8}"
    )
    for rows in args.rows:
        for fmt in args.formats:
            folder = base / f"{fmt}-{rows}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "engagement.yaml").write_text(ENGAGEMENT, encoding="utf-8")
            ledger = folder / f"transactions.{fmt}"
            if not ledger.exists():
                t0 = time.perf_counter()
                write_ledger(ledger, rows, fmt)
                print(
                    f"# wrote {ledger} ({ledger.stat().st_size / 1e6:,.0f} MB) in "
                    f"{time.perf_counter() - t0:.1f} s",
                    flush=True,
                )
            baseline = (
                None if args.no_baseline else measure([sys.executable, "-c", BASELINE, str(ledger)])
            )
            kam = measure(render_command(folder, base / f"report-{fmt}-{rows}"))
            ratio = f"{kam['seconds'] / baseline['seconds']:.2f}" if baseline else "—"
            b_s = f"{baseline['seconds']:.2f}" if baseline else "—"
            b_mb = f"{baseline['rss_mb']:,.0f}" if baseline else "—"
            print(
                f"{rows:>12,} {fmt:>8} {b_s:>11} {kam['seconds']:>8.2f} {ratio:>6} "
                f"{b_mb:>12} {kam['rss_mb']:>8,.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
