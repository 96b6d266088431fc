"""One render of the full demo against the stock tools, and a re-render after one weight changed.

Measured in one run, on a copy of the demo engagement (four analyses, the 45,000-row ledger,
default formats ``html,xlsx,pptx``, no account plans), each figure the median of ``--repeat``
runs of the command a user types (a new process every time, imports included):

- **stock**: the baseline. papermill's CLI executes a trivial notebook (it imports pandas and
  matplotlib, draws one chart and shows one table), then ``jupyter nbconvert --to html
  --no-input`` turns it into a page.
- **fresh**: ``kam render demo --fresh`` (nothing kept is reused). Target: at most ``stock``.
- **re-render**: ``kam render demo`` after one weight in ``criteria.csv`` changed (the weight
  alternates between two values, so every run has something to redo). Target: at most 0.25×
  ``fresh``; its ``results.json`` must equal a fresh render's of the same inputs (checked).
- **unchanged**: ``kam render demo`` again with nothing changed (for reference).
- **in preview**: the same weight change re-rendered in a process that has rendered before, as
  ``kam preview`` does (imports and warm-up paid once). Against ``fresh``: the 0.25× target as a
  consultant iterating live meets it.

Usage: ``python benchmarks/render.py [--repeat 3]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
BIN = Path(sys.executable).parent
KAM = [sys.executable, "-m", "kamlib.cli"]

TRIVIAL = [
    "import pandas as pd\nimport matplotlib.pyplot as plt",
    "df = pd.DataFrame({'industry': ['A', 'B', 'C'], 'score': [3.2, 2.7, 4.1]})\n"
    "fig, ax = plt.subplots()\nax.bar(df['industry'], df['score'])\nplt.show()",
    "df",
]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def stock(base: Path) -> float:
    """papermill's CLI, then nbconvert's, on the trivial notebook."""
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(code) for code in TRIVIAL],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    source, executed = base / "trivial.ipynb", base / "trivial.out.ipynb"
    nbformat.write(notebook, source)
    papermill = timed([str(BIN / "papermill"), "-k", "python3", str(source), str(executed)])
    nbconvert = timed(
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)]
    )
    return papermill + nbconvert


def set_weight(folder: Path, weight: str) -> None:
    """The first criterion's weight (``criteria.csv``: 指标,权重,方向,分组)."""
    path = folder / "criteria.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(",")
    cells[1] = weight
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


WARM = """
import sys, time
sys.path.insert(0, sys.argv[1])
from benchmarks.render import set_weight
from kamlib.render.pipeline import render
eng, out, repeat = sys.argv[2], sys.argv[3], int(sys.argv[4])
render(eng, out)
for n in range(repeat):
    set_weight(__import__("pathlib").Path(eng), "3" if n % 2 == 0 else "1")
    start = time.perf_counter()
    render(eng, out)
    print(time.perf_counter() - start)
"""


def in_preview(eng: Path, out: Path, repeat: int) -> list[float]:
    """Re-renders after one weight changed, in one process that rendered before."""
    command = [sys.executable, "-c", WARM, str(ROOT), str(eng), str(out), str(repeat)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the in-process re-render failed:\n{done.stderr}")
    return [float(line) for line in done.stdout.split()]


def results(folder: Path) -> dict:
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="kam-render-"))
    try:
        eng, out, check = base / "demo", base / "out", base / "check"
        shutil.copytree(DEMO, eng)
        render = [*KAM, "render", str(eng), "--out", str(out)]
        baseline = [stock(base) for _ in range(args.repeat)]
        fresh = [timed([*render, "--fresh"]) for _ in range(args.repeat)]
        again, same = [], []
        for n in range(args.repeat):
            set_weight(eng, "2" if n % 2 == 0 else "1")
            again.append(timed(render))
            timed([*KAM, "render", str(eng), "--out", str(check), "--fresh"])
            if results(out) != results(check):
                raise SystemExit("the re-render's results.json differs from a fresh render's")
            same.append(timed(render))
        warm = in_preview(eng, base / "preview", args.repeat)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    s, f, a, u, p = (statistics.median(x) for x in (baseline, fresh, again, same, warm))
    print(f"median of {args.repeat} runs each; a new process every run")
    print(f"stock papermill + nbconvert, trivial notebook : {s:6.2f} s")
    print(
        f"kam render demo --fresh                      : {f:6.2f} s  {f / s:.2f}x stock "
        f"(target <= 1.00x: {'met' if f <= s else 'missed'})"
    )
    print(
        f"kam render demo after one weight changed     : {a:6.2f} s  {a / f:.2f}x fresh "
        f"(target <= 0.25x: {'met' if a <= 0.25 * f else 'missed'}); results.json as fresh"
    )
    print(f"kam render demo, nothing changed             : {u:6.2f} s  {u / f:.2f}x fresh")
    print(
        f"the weight change in a running kam preview   : {p:6.2f} s  {p / f:.2f}x fresh "
        f"(target <= 0.25x: {'met' if p <= 0.25 * f else 'missed'})"
    )


if __name__ == "__main__":
    main()
