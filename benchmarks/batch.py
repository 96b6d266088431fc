"""Batch rendering of the full demo: papermill's stock engine against kamfork, at the same
parallelism, in one run.

N engagements, each a copy of the whole demo engagement (industry selection, the 45,000-row
ledger with its customer master, competitors, needs, wallet, and the plan data) with its own
robustness seed, are rendered with ``kam batch --force`` (no account plans) twice: with ``--engine
nbclient`` and with ``--engine kamfork``. The baseline of the same run is the engagement run alone
(read and compute every analysis of every engagement in one process, no notebook at all), which
says how much of a report is notebooks and pages.
Target (issue 10): kamfork at least 3× faster than the stock engine at the same ``--jobs``.

Usage: ``python benchmarks/batch.py [--reports 12] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
KAM = [sys.executable, "-m", "kamlib.cli"]


def make_engagements(base: Path, n: int) -> list[str]:
    """``n`` copies of the demo, each with its own robustness seed."""
    folders = []
    for i in range(n):
        folder = base / f"eng{i:03d}"
        shutil.copytree(DEMO, folder)
        yaml = (folder / "engagement.yaml").read_text(encoding="utf-8")
        (folder / "engagement.yaml").write_text(
            yaml.replace("seed: 7", f"seed: {i}"), encoding="utf-8"
        )
        folders.append(str(folder))
    return folders


def batch(folders: list[str], out: Path, engine: str, jobs: int) -> float:
    start = time.perf_counter()
    command = [*KAM, "batch", *folders, "--out", str(out), "--jobs", str(jobs)]
    done = subprocess.run([*command, "--engine", engine, "--force"], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{engine} batch failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


RUN_ONLY = """
import sys, time
import kamlib
start = time.perf_counter()
for folder in sys.argv[1:]:
    kamlib.run_engagement(kamlib.load_engagement(folder))
print(time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="kam-batch-"))
    try:
        folders = make_engagements(base / "in", args.reports)
        stock = batch(folders, base / "stock", "nbclient", args.jobs)
        fast = batch(folders, base / "fast", "kamfork", args.jobs)
        run_only = float(
            subprocess.run(
                [sys.executable, "-c", RUN_ONLY, *folders],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    n = args.reports
    print(
        f"{n} full-demo reports (3 analysis pages each), {args.jobs} jobs, {os.cpu_count()} cores"
    )
    print(f"stock nbclient : {stock:7.1f} s  ({stock / n:5.2f} s a report)")
    print(
        f"kamfork        : {fast:7.1f} s  ({fast / n:5.2f} s a report)  "
        f"{stock / fast:.2f}x faster than stock (target >= 3x)"
    )
    print(f"engagement run : {run_only:7.1f} s  ({run_only / n:5.2f} s a report, one process)")


if __name__ == "__main__":
    main()
