"""kam preview: served on this machine only, rendered again on save, errors on the page, the
last good report kept, Ctrl-C leaving nothing behind."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from kamlib.cli import main
from tests.conftest import ROOT
from tests.test_matrix import BASE, YAML

SCRIPT = "/* kam preview */"


def engagement(tmp_path: Path) -> Path:
    folder = tmp_path / "eng"
    folder.mkdir()
    (folder / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for name in ("industries.csv", "criteria.csv"):
        (folder / name).write_text(BASE[name], encoding="utf-8")
    return folder


def get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(condition, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_preview_renders_on_save_shows_errors_and_stops_cleanly(tmp_path):
    eng, out = engagement(tmp_path), tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    preview = subprocess.Popen(
        [sys.executable, "-m", "kamlib.cli", "preview", str(eng), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        while not any("open http://" in line for line in lines):
            line = preview.stdout.readline()
            assert line, (lines, preview.stderr.read())
            lines.append(line)
        url = re.search(r"http://127\.0\.0\.1:\d+/", lines[-1]).group(0)
        assert "rendered 2 pages, 1 workbook" in "".join(lines)  # the index and one analysis

        def state() -> dict:
            return json.loads(get(url + "__kam__/state")[1])

        # the page as served reloads itself; the file on disk is the report as it is
        status, page = get(url)
        assert status == 200 and SCRIPT in page and "矩阵测试" in page
        assert SCRIPT not in (out / "index.html").read_text(encoding="utf-8")
        assert get(url + "industry_selection.html")[0] == 200
        assert get(url, host="attacker.example")[0] == 403
        assert state() == {"version": 1, "error": None}
        first = json.loads((out / "results.json").read_text(encoding="utf-8"))

        # a saved change is rendered again, incrementally
        (eng / "criteria.csv").write_text(
            BASE["criteria.csv"].replace(",1,效益\n竞", ",3,效益\n竞"), encoding="utf-8"
        )
        wait_for(lambda: state()["version"] == 2)
        second = json.loads((out / "results.json").read_text(encoding="utf-8"))
        assert second != first and state()["error"] is None

        # a mistake shows as kam's one line on every page; the last good report stays
        (eng / "criteria.csv").write_text(
            BASE["criteria.csv"].replace(",1,效益\n竞", ",abc,效益\n竞"), encoding="utf-8"
        )
        error = wait_for(lambda: state()["error"])
        assert error.startswith("kam: error: ") and "criteria.csv, row 2, column" in error
        assert 'found "abc"' in error
        page = get(url + "industry_selection.html")[1]
        assert 'class="kam-preview-error"' in page and "found &quot;abc&quot;" in page
        assert json.loads((out / "results.json").read_text(encoding="utf-8")) == second
    finally:
        preview.send_signal(signal.SIGINT)
        rest, err = preview.communicate(timeout=30)
    assert preview.returncode == 0, err
    assert rest.rstrip().endswith("kam preview: stopped"), rest
    assert "criteria.csv" in rest and "Traceback" not in err
    # nothing behind: no lock, no scratch folder, no partial output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng", "out"]


def test_preview_serves_this_machine_only(tmp_path, capsys):
    eng = engagement(tmp_path)
    assert main(["preview", str(eng), "--address", "0.0.0.0"]) == 1
    err = capsys.readouterr().err
    assert err == (
        "kam: error: --address: expected an address of this machine only (127.0.0.1, localhost "
        "or ::1): a preview shows the client's data to nobody else; to share a report, send its "
        'files, found "0.0.0.0"\n'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng"]
