"""The kam command as a user meets it: one line per mistake, exit codes, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from kamlib.core.io import NUMBERS
from tests.conftest import DEMO, seed_csv

ROOT = Path(__file__).resolve().parent.parent


def kam(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kamlib.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )


def test_new_then_validate_in_both_languages(tmp_path):
    for language in ("zh", "en"):
        folder = tmp_path / language
        made = kam("new", str(folder), "--language", language)
        assert made.returncode == 0, made.stderr
        assert sorted(p.name for p in folder.iterdir()) == [
            "commentary.md",
            "competitors.csv",
            "contacts.csv",
            "criteria.csv",
            "customers.csv",
            "engagement.yaml",
            "industries.csv",
            "interactions.csv",
            "needs.csv",
            "opportunities.csv",
            "relationships.csv",
            "targets.csv",
            "transactions.csv",
            "wallet.csv",
        ]
        checked = kam("validate", str(folder))
        assert checked.returncode == 0, checked.stderr
        assert (
            "valid; analyses: industry_selection, customer_segmentation, competitor_analysis, "
            "account_plans; "
            "warnings: 0" in checked.stdout
        )
        as_template = {
            "zh": "读取 industries.csv：表头在第 1 行；表头与模板一致",
            "en": ("read industries.csv: header in row 1; headers as in the template"),
        }[language]
        assert f"  {as_template}\n" in checked.stdout
    assert "language: en" in (tmp_path / "en" / "engagement.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "zh" / "industries.csv").read_text(encoding="utf-8").startswith("行业,")


def test_new_engagement_renders(tmp_path):
    assert kam("new", str(tmp_path / "fresh"), "--language", "en").returncode == 0
    result = kam(
        "render", str(tmp_path / "fresh"), "--out", str(tmp_path / "out"), "--accounts", "all"
    )
    assert result.returncode == 0, result.stderr
    # nothing of ours on stderr (a loaded machine may make Jupyter itself note a slow flush)
    assert "kam:" not in result.stderr and "Traceback" not in result.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["industry_selection"]["industries"] == [
        {
            "industry": "Government",
            "total": 13.0,
            "rank": 1,
            "selected": True,
            "provided_total": 13.0,
        }
    ]
    segmentation = results["customer_segmentation"]
    assert segmentation["period"] == {"start": "2024-06-21", "end": "2025-06-20"}
    assert (segmentation["customers"], segmentation["revenue"]) == (2, 245000.0)
    assert segmentation["warnings"] == []
    assert results["competitor_analysis"]["usp"] == ["industry_experience"]  # the data's name
    # the pages show the criteria's labels, never their names; without a scorecard there is no
    # scorecard section, in the page or its contents
    text = {
        p.stem: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text()
        for p in (tmp_path / "out").glob("*.html")
    }
    assert "Market size" in text["industry_selection"] and "market_size" not in str(text)
    assert "Industry experience (+1)" in text["competitor_analysis"]
    assert "industry_experience" not in str(text) and "local_service" not in str(text)
    assert "Key-account scorecard" not in text["customer_segmentation"]
    assert "scorecard" not in text["customer_segmentation"].lower()
    assert results["account_plans"] == [
        {
            "customer_id": "C001",
            "status": "planned",
            "go": True,
            "red_flags": [
                {"code": "rf_missing", "text": "no user identified", "role": "user"},
                {"code": "rf_missing", "text": "no coach identified", "role": "coach"},
            ],
            "relationship_stage": 3,
        }
    ]
    plan = (tmp_path / "out" / "accounts" / "C001.html").read_text(encoding="utf-8")
    # a table keeps full figures in English: expected sales and whitespace as revenue is
    assert "CNY 350,000" in plan and "CNY 600,000" in plan and "CNY 200,000" in plan
    assert " k<" not in plan and " m<" not in plan


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "x.txt").write_text("keep me", encoding="utf-8")
    result = kam("new", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.endswith(
        "expected a new or empty folder, found a folder with files in it\n"
    )
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "keep me"


def test_validate_demo():
    result = kam("validate", "data/demo")
    assert result.returncode == 0
    assert "valid; analyses: industry_selection" in result.stdout


BAD = [
    (
        "missing column",
        {"industries.csv": "名称,市场容量\n政府,9\n"},
        "",
        "industries.csv, row 1: expected a column industry (行业/行业名称/候选行业), found columns "
        '名称, 市场容量. If "名称" holds industry, add to engagement.yaml: '
        "columns: {industries: {名称: industry}}",
    ),
    (
        "text in a score column",
        {"industries.csv": "行业,市场容量,增长速度\n政府,9,7\n电信业,9,高\n"},
        "",
        "industries.csv, row 3, column 增长速度: expected " + NUMBERS + ', found "高"',
    ),
    (
        "duplicate industry",
        {"industries.csv": "行业,市场容量\n政府,9\n电信业,9\n政府,7\n"},
        "",
        'industries.csv, column industry: expected each industry once, found "政府" in rows 2, 4',
    ),
    (
        "unknown direction",
        {
            "industries.csv": "行业,市场容量\n政府,9\n",
            "criteria.csv": "指标,方向\n市场容量,越多越好\n",
        },
        "",
        'criteria.csv, row 2, column direction: expected one of benefit, cost, found "越多越好"',
    ),
    (
        "negative weight",
        {"industries.csv": "行业,市场容量\n政府,9\n", "criteria.csv": "指标,权重\n市场容量,-2\n"},
        "",
        'criteria.csv, row 2, column weight: expected a number ≥ 0, found "-2"',
    ),
    (
        "yaml syntax error",
        None,
        "title: [unclosed\nclient: x\n",
        "engagement.yaml, line 2: expected valid YAML, found ':' where ',' or ']' was expected",
    ),
    (
        "referenced file that does not exist",
        {"industries.csv": seed_csv()},
        "files:\n  industries: 行业评分.xlsx\n",
        "engagement.yaml, line 9, key files.industries: expected an existing file in the "
        'engagement folder, found "行业评分.xlsx"',
    ),
    (
        "no data file at all",
        {},
        "",
        "eng: expected at least one data file (competitors, contacts, industries, opportunities, "
        "relationships, transactions), found none",
    ),
]


@pytest.mark.parametrize(("case", "files", "extra", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_gives_one_line_and_exit_1(make_engagement, case, files, extra, message):
    if files is None:
        folder = make_engagement(yaml_text=extra)
    else:
        folder = make_engagement(files, extra=extra)
    for command in ("validate", "render"):
        result = kam(command, "eng", cwd=folder.parent)
        assert result.returncode == 1, result
        assert result.stdout == ""
        assert (
            result.stderr == f"kam: error: eng/{message}\n"
            if not message.startswith("eng:")
            else result.stderr == f"kam: error: {message}\n"
        )
        assert "Traceback" not in result.stderr
    assert not (ROOT / "reports" / "eng").exists()


def test_missing_folder_and_unknown_engine(tmp_path):
    result = kam("validate", "no-such-engagement", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1,
        "kam: error: no-such-engagement: expected an engagement folder, found no such folder\n",
    )
    result = kam("render", "data/demo", "--engine", "warp", "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert result.stderr.startswith("kam: error: --engine: expected one of ")
    assert result.stderr.endswith(', found "warp"\n')
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(
    shutil.which("chromium") is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make browser installs it)",
)
def test_render_with_pdf_writes_one_book_and_one_file_of_plans(tmp_path):
    assert kam("new", str(tmp_path / "fresh"), "--language", "zh").returncode == 0
    result = kam(
        "render",
        str(tmp_path / "fresh"),
        "--out",
        str(tmp_path / "out"),
        "--accounts",
        "all",
        "--pdf",
    )
    assert result.returncode == 0, result.stderr
    pdfs = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*.pdf"))
    assert pdfs == [Path("accounts/plans.pdf"), Path("report.pdf")]
    plans = [p for p in (tmp_path / "out" / "accounts").glob("*.html") if p.name != "index.html"]
    assert len(PdfReader(tmp_path / "out" / "accounts" / "plans.pdf").pages) == len(plans)


def test_validate_prints_every_warning_the_report_shows(demo):
    checked = kam("validate", str(DEMO))
    assert checked.returncode == 0, checked.stderr
    printed = [
        line.removeprefix("  warning: ")
        for line in checked.stdout.splitlines()
        if line.startswith("  warning: ")
    ]
    results = json.loads((demo / "results.json").read_text(encoding="utf-8"))
    shown = [
        note["text"]
        for entry in results.values()
        if isinstance(entry, dict)
        for note in entry.get("warnings", [])
    ]
    assert printed == shown
    assert any("电信业" in text and "46" in text and "44" in text for text in printed)
    assert f"warnings: {len(shown)}" in checked.stdout.splitlines()[0]


def test_a_missing_temporary_folder_is_named_before_anything_is_made(tmp_path, monkeypatch, capsys):
    """Issue 28: with TMPDIR pointing nowhere Python falls back to /tmp, Chromium does not, and
    its failure read as a memory limit; the PDF is asked for, so it is checked first."""
    from kamlib.cli import main
    from tests.test_matrix import BASE, YAML

    eng = tmp_path / "eng"
    eng.mkdir()
    (eng / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for name in ("industries.csv", "criteria.csv"):
        (eng / name).write_text(BASE[name], encoding="utf-8")
    assert not Path("/nonexistent-kam-tmp").exists()
    monkeypatch.setenv("TMPDIR", "/nonexistent-kam-tmp")
    out = tmp_path / "out"
    assert main(["render", str(eng), "--out", str(out), "--format", "pdf"]) == 1
    assert capsys.readouterr().err == (
        "kam: error: TMPDIR: expected a folder that exists, for Chromium's temporary files "
        '(create it, or unset TMPDIR), found "/nonexistent-kam-tmp"\n'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng"]


def test_two_renders_into_one_folder_at_once_both_end_well(tmp_path):
    """Issue 28's repro: two `kam render` into the same --out at the same time ended in
    "internal error: OSError: [Errno 39] Directory not empty". Now the second waits for the
    first's lock and then writes: both end with exit 0, the report is whole."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "kamlib.cli", "render", str(DEMO), "--out", str(out)]
    command += ["--format", "xlsx"]
    first, second = (
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    )
    results = [p.communicate(timeout=120) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], results
    assert not any("internal error" in err for _, err in results)
    stamp = json.loads((out / ".kam-stamp").read_text(encoding="utf-8"))
    assert "report.xlsx" in stamp["files"] and (out / "report.xlsx").stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) in (
        [],
        [".out.kam-lock"],
    )


def test_a_sigterm_that_lands_in_a_finalizer_still_stops_kam():
    """A SIGTERM raised inside a finalizer is dropped by Python ("Exception ignored in ..."),
    and a render carried on to exit 0. kam sends it again, to land where the render is."""
    code = (
        "import signal, sys, time\n"
        "from kamlib import cli\n"
        "signal.signal(signal.SIGTERM, cli._terminate)\n"
        "sys.unraisablehook = cli._unraisable(sys.unraisablehook)\n"
        "class Dropped:\n"
        "    def __del__(self):\n"
        "        raise cli.Terminated\n"
        "try:\n"
        "    Dropped()\n"
        "    time.sleep(5)\n"
        "    print('carried on')\n"
        "except cli.Terminated:\n"
        "    print('terminated')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (done.stdout, done.stderr) == ("terminated\n", "")
