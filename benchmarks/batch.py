"""Batch rendering: papermill's stock engine against kamfork, at the same parallelism, in one run.

N engagements (copies of the demo's industry-selection and competitor data, each with its own
robustness seed and threshold) are rendered with ``kam batch --force`` twice: with ``--engine
nbclient`` and with ``--engine kamfork``. The bare compute time is the same notebooks' code, each
run in a forked child of one warm process, with no papermill, nbconvert or kernel at all.
Targets (issue 6): kamfork at least 3× faster than the stock engine, and within 1.5× of the bare
compute time per report.

Usage: ``python benchmarks/batch.py [--reports 20] [--jobs 2]``
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
FILES = ("engagement.yaml", "industries.csv", "criteria.csv", "competitors.csv", "needs.csv")
KAM = [sys.executable, "-m", "kamlib.render.cli"]


def make_engagements(base: Path, n: int) -> list[str]:
    folders = []
    for i in range(n):
        folder = base / f"eng{i:03d}"
        folder.mkdir(parents=True)
        for name in FILES:
            shutil.copy(DEMO / name, folder / name)
        yaml = (folder / "engagement.yaml").read_text(encoding="utf-8")
        yaml = yaml.replace("seed: 7", f"seed: {i}").replace(
            "threshold: mean", "threshold: mean" if i % 2 else f"threshold: top {3 + i % 4}"
        )
        (folder / "engagement.yaml").write_text(yaml, encoding="utf-8")
        folders.append(str(folder))
    return folders


def batch(folders: list[str], out: Path, engine: str, jobs: int) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [
            *KAM,
            "batch",
            *folders,
            "--out",
            str(out),
            "--jobs",
            str(jobs),
            "--engine",
            engine,
            "--force",
        ],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{engine} batch failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


BARE = """
import sys, time, json, nbformat
from kamlib.render.engine import warm, run_forked
from kamlib.render.report import NOTEBOOKS
warm()
notebooks = [nbformat.read(NOTEBOOKS / n, 4) for n in ("industry_selection.ipynb",
                                                       "competitor_analysis.ipynb")]
start = time.perf_counter()
for folder in sys.argv[1:]:
    for nb in notebooks:
        cells = [{"source": f"engagement = {folder!r}"}]
        cells += [{"source": c.source} for c in nb.cells
                  if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]
        results = run_forked(cells)
        assert not any(r["failed"] for r in results), results
print(time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="kam-batch-"))
    folders = make_engagements(base / "in", args.reports)
    stock = batch(folders, base / "stock", "nbclient", args.jobs)
    fast = batch(folders, base / "fast", "kamfork", args.jobs)
    bare = float(
        subprocess.run(
            [sys.executable, "-c", BARE, *folders],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT / "notebooks",
        ).stdout.strip()
    )
    n = args.reports
    print(f"{n} reports, {args.jobs} jobs, {os.cpu_count()} cores")
    print(f"stock nbclient : {stock:7.1f} s  ({stock / n:5.2f} s a report)")
    print(
        f"kamfork        : {fast:7.1f} s  ({fast / n:5.2f} s a report)  "
        f"{stock / fast:.2f}x faster than stock"
    )
    print(f"bare compute   : {bare:7.1f} s  ({bare / n:5.2f} s a report, one process)")
    print(
        f"kamfork per report at {args.jobs} jobs vs bare compute on one process: "
        f"{fast * args.jobs / bare:.2f}x"
    )
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
