"""The report folder: kam writes only what it made, replaces a report in one step, refuses a folder
it did not write, gives look-alike account IDs their own pages, and leaves nothing behind when it is
stopped."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_matrix import BASE, YAML

from kamlib.cli import main
from kamlib.core.errors import KamError
from kamlib.render import output, pipeline
from kamlib.render.engine import run_forked

KAM = Path(sys.executable).parent / "kam"


def built(tmp_path: Path, files: dict[str, str], target: Path | None = None) -> Path:
    """A finished report in a scratch folder, as render leaves it before the swap."""
    target = target or tmp_path / "out"
    scratch = output.prepare(target)
    output.release(target)  # these tests are the only writer
    for rel, text in files.items():
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        (scratch / rel).write_text(text, encoding="utf-8")
    return scratch


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != output.STAMP
    }


def test_a_new_report_is_moved_in_whole_with_its_manifest(tmp_path):
    scratch = built(tmp_path, {"index.html": "new", "accounts/C1.html": "plan"})
    target = tmp_path / "out"
    output.install(scratch, target, digest="abc")
    assert tree(target) == {"index.html": "new", "accounts/C1.html": "plan"}
    stamp = output.read_stamp(target)
    assert stamp == {"kam": "report", "files": ["accounts/C1.html", "index.html"], "digest": "abc"}
    assert not scratch.exists()
    assert oct(target.stat().st_mode & 0o777) != oct(0o700)  # not mkdtemp's private mode


def test_a_rerender_removes_the_old_reports_files_and_keeps_the_users(tmp_path):
    target = tmp_path / "out"
    first = {"index.html": "v1", "competitor_analysis.html": "v1", "accounts/C1.html": "v1"}
    output.install(built(tmp_path, first), target)
    (target / "accounts" / "letter.docx").write_text("mine", encoding="utf-8")
    (target / "notes.txt").write_text("mine too", encoding="utf-8")
    (target / "drafts").mkdir()
    output.install(built(tmp_path, {"index.html": "v2"}), target)
    assert tree(target) == {
        "index.html": "v2",
        "accounts/letter.docx": "mine",
        "notes.txt": "mine too",
    }
    assert (target / "drafts").is_dir()
    assert output.read_stamp(target)["files"] == ["index.html"]  # the user's files stay theirs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no scratch, no old folder


def test_a_folder_kam_did_not_write_is_refused_untouched(tmp_path):
    target = tmp_path / "client"
    (target / "accounts").mkdir(parents=True)
    (target / "accounts" / "letter.docx").write_text("mine", encoding="utf-8")
    (target / "index.html").write_text("their own page", encoding="utf-8")
    with pytest.raises(KamError) as error:
        output.prepare(target)
    assert str(error.value) == (
        f"{target}: expected an empty folder or a report kam wrote (it holds a .kam-stamp); "
        "choose another --out, or add --force to write into it (kam replaces only files of the "
        "same name), found a folder with 2 file(s) kam did not write: accounts/letter.docx, "
        "index.html"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client"]
    scratch = output.prepare(target, force=True)  # with --force: kam's index replaces theirs
    (scratch / "index.html").write_text("kam", encoding="utf-8")
    output.install(scratch, target, force=True)
    output.release(target)
    assert tree(target) == {"accounts/letter.docx": "mine", "index.html": "kam"}


def test_a_users_file_under_a_report_name_is_not_replaced_without_force(tmp_path):
    target = tmp_path / "out"
    output.install(built(tmp_path, {"index.html": "v1"}), target)
    (target / "results.json").write_text("mine", encoding="utf-8")
    scratch = built(tmp_path, {"index.html": "v2", "results.json": "{}"})
    with pytest.raises(KamError, match="results.json: expected no file of your own"):
        output.install(scratch, target)
    assert tree(target) == {"index.html": "v1", "results.json": "mine"}


def test_an_out_that_cannot_be_a_report_folder_is_refused_first(tmp_path):
    blocker = tmp_path / "report.html"
    blocker.write_text("x")
    with pytest.raises(KamError) as error:
        output.prepare(blocker)
    assert (error.value.expected, error.value.found) == (
        "a folder for the report (--out)",
        "a file of that name",
    )
    with pytest.raises(KamError) as error:
        output.prepare(blocker / "out")
    assert (error.value.expected, error.value.found) == (
        "a folder kam can write to",
        f"File exists at {blocker}",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_failed_output_replaces_only_kams_own_partial_output(tmp_path):
    target = tmp_path / "out"
    first = output.keep_failed(built(tmp_path, {"index.html": "a"}), target)
    assert first == tmp_path / "out.failed"
    second = output.keep_failed(built(tmp_path, {"index.html": "b"}), target)
    assert second == first and tree(first) == {"index.html": "b"}
    output.remove_failed(target)
    assert not first.exists()
    mine = tmp_path / "out.failed"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")
    kept = output.keep_failed(built(tmp_path, {"index.html": "c"}), target)
    assert kept != mine and tree(kept) == {"index.html": "c"}
    output.remove_failed(target)
    assert tree(mine) == {"keep.txt": "mine"}


def test_a_users_file_in_the_failed_output_is_never_removed(tmp_path):
    target = tmp_path / "out"
    failed = output.keep_failed(built(tmp_path, {"index.html": "a", "tables/t.csv": "t"}), target)
    (failed / "tables" / "letter.docx").write_text("mine", encoding="utf-8")
    output.remove_failed(target)  # after the next good render
    assert tree(failed) == {"tables/letter.docx": "mine"} and not (failed / output.STAMP).exists()
    assert output.keep_failed(built(tmp_path, {"index.html": "b"}), target) != failed


def test_the_next_writer_removes_only_scratch_folders_kam_left(tmp_path):
    target = tmp_path / "out"
    dead = output.prepare(target)  # a run that was killed: its lock went with it
    output.release(target)
    empty = tmp_path / ".out-kam-abcd1234"  # killed before its stamp
    empty.mkdir()
    lookalike = tmp_path / ".out-kam-mine"
    lookalike.mkdir()
    (lookalike / "keep.txt").write_text("x")
    scratch = output.prepare(target)
    assert not dead.exists() and not empty.exists() and scratch.exists()
    assert (lookalike / "keep.txt").read_text() == "x"
    output.release(target)


def test_look_alike_account_ids_get_their_own_file_names():
    ids = ["C001", "AB/1", "AB_1", "ab_1", "客户甲", "..", "x" * 200]
    stems = output.file_stems(ids)
    assert stems["C001"] == "C001" and stems["客户甲"] == "客户甲"
    assert stems["AB/1"].startswith("AB_1-") and stems["AB_1"].startswith("AB_1-")
    assert len({s.casefold() for s in stems.values()}) == len(ids)
    assert stems[".."] not in ("..", ".", "") and len(stems["x" * 200]) == 60 + 9
    assert output.file_stems(["AB/1"]) == {"AB/1": stems["AB/1"]}  # stable across renders


def small_engagement(tmp_path: Path, names=("industries.csv", "criteria.csv")) -> Path:
    folder = tmp_path / "eng"
    folder.mkdir()
    (folder / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for name in names:
        (folder / name).write_text(BASE[name], encoding="utf-8")
    return folder


def test_render_refuses_a_foreign_folder_and_replaces_its_own_report(tmp_path, capsys):
    eng = small_engagement(tmp_path, ("industries.csv", "criteria.csv", "competitors.csv"))
    (eng / "needs.csv").write_text(BASE["needs.csv"], encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "letter.docx").write_text("mine", encoding="utf-8")
    assert main(["render", str(eng), "--out", str(out)]) == 1
    assert "found a folder with 1 file(s) kam did not write: letter.docx" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng", "out"]
    assert main(["render", str(eng), "--out", str(out), "--force"]) == 0
    assert (out / "competitor_analysis.html").is_file()
    (eng / "competitors.csv").unlink()
    assert main(["render", str(eng), "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".kam-cache",
        ".kam-stamp",
        "index.html",
        "industry_selection.html",
        "industry_selection.ipynb",
        "letter.docx",
        "report.pptx",
        "report.xlsx",
        "results.json",
        "tables",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng", "out"]


def test_render_checks_out_before_reading_the_engagement(tmp_path, capsys):
    eng = small_engagement(tmp_path)
    (eng / "industries.csv").write_text("行业,市场容量\n政府,高\n", encoding="utf-8")
    out = tmp_path / "report.html"
    out.write_text("x")
    assert main(["render", str(eng), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"kam: error: {out}: expected a folder for the report (--out), found a file of that name\n"
    )


def test_look_alike_ids_render_two_plans_and_many_plans_need_yes(tmp_path, capsys, monkeypatch):
    files = {
        name: text.replace("C1", "AB/1").replace("C2", "AB_1")
        for name, text in BASE.items()
        if name not in ("industries.csv", "criteria.csv")
    }
    files["contacts.csv"] += "AB_1,李娜,决策者,-2,8,2026-09-01\n"
    eng = tmp_path / "eng"
    eng.mkdir()
    (eng / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for name, text in files.items():
        (eng / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(pipeline, "ACCOUNT_LIMIT", 1)
    out = tmp_path / "out"
    assert main(["render", str(eng), "--out", str(out), "--accounts", "all"]) == 1
    assert capsys.readouterr().err == (
        "kam: error: --accounts: expected at most 1 account plans without confirmation (add "
        '--yes to render all of them, or name the accounts), found "all": 2 accounts\n'
    )
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["eng"]
    assert main(["render", str(eng), "--out", str(out), "--accounts", "all", "--yes"]) == 0
    stems = output.file_stems(["AB/1", "AB_1"])
    pages = sorted(p.name for p in (out / "accounts").glob("*.html"))
    assert pages == sorted([f"{stems['AB/1']}.html", f"{stems['AB_1']}.html", "index.html"])
    assert "张伟" in (out / "accounts" / f"{stems['AB/1']}.html").read_text(encoding="utf-8")
    other = (out / "accounts" / f"{stems['AB_1']}.html").read_text(encoding="utf-8")
    assert "李娜" in other and "张伟" not in other
    index = (out / "accounts" / "index.html").read_text(encoding="utf-8")
    assert f'href="{stems["AB/1"]}.html"' in index and f'href="{stems["AB_1"]}.html"' in index


def test_sigterm_leaves_no_scratch_folder_behind(tmp_path):
    eng = small_engagement(tmp_path)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [str(KAM), "render", str(eng), "--out", str(out), "--engine", "nbclient"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out-kam-*/.results")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the run is done and the notebooks are starting
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (128 + signal.SIGTERM, "kam: terminated\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng"]


def test_a_forked_notebook_ends_with_its_parent(tmp_path):
    """The kamfork child of an interrupted render is stopped with it and never runs the parent's
    code (no second message, no moved folders)."""
    script = tmp_path / "parent.py"
    marker = tmp_path / "started"
    cell = f"open({str(marker)!r}, 'w').close()\nimport time\ntime.sleep(60)"
    script.write_text(
        "import signal\n"
        "from kamlib.render.engine import run_forked\n"
        "def stop(*a):\n    raise KeyboardInterrupt\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "try:\n"
        f"    run_forked([{{'source': {cell!r}}}])\n"
        "except KeyboardInterrupt:\n    print('parent stopped')\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True
    ).stdout.split()
    assert len(children) == 1
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    assert out == "parent stopped\n"
    with pytest.raises(ProcessLookupError):
        os.kill(int(children[0]), 0)


def test_a_forked_notebook_that_fails_reports_once():
    results = run_forked([{"source": "x = 1"}, {"source": "raise ValueError('boom')"}])
    assert [r["failed"] for r in results] == [False, True]
    assert json.dumps(results[1]["outputs"][-1]["evalue"]) == '"boom"'


def test_a_failed_rerender_marks_the_previous_report_out_of_date(tmp_path, capsys):
    eng = small_engagement(tmp_path, ("industries.csv", "criteria.csv", "competitors.csv"))
    out = tmp_path / "out"
    assert main(["render", str(eng), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"rendered 3 pages, 1 workbook, 1 slide deck and 7 CSV tables into {out}" in said
    (out / "letter.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match="No engine named 'nope' found"):
        pipeline.render(eng, out, engine="nope", fresh=True)
    names = sorted(p.name for p in out.iterdir())
    assert "OUT-OF-DATE-report.xlsx" in names and "OUT-OF-DATE-report.pptx" in names
    assert "report.xlsx" not in names and "letter.docx" in names
    note = (out / "OUT-OF-DATE.txt").read_text(encoding="utf-8")
    assert "out.failed" in note and "重新生成失败" in note
    for page in ("index.html", "industry_selection.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert html.count('class="kam-stale"') == 1, page
        assert html.index('class="kam-stale"') > html.index("<body")
    stamp = output.read_stamp(out)
    assert stamp["stale"] is True and "OUT-OF-DATE.txt" in stamp["files"]
    assert (tmp_path / "out.failed").is_dir()
    # marking twice marks once; the next good render replaces it all and keeps the user's file
    assert output.mark_stale(out, "again", '<div class="kam-stale">x</div>')
    assert (out / "index.html").read_text(encoding="utf-8").count("kam-stale") == 1
    assert main(["render", str(eng), "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert not [n for n in names if "OUT-OF-DATE" in n] and "letter.docx" in names
    assert "kam-stale" not in (out / "index.html").read_text(encoding="utf-8")
    assert "stale" not in output.read_stamp(out)
    assert not (tmp_path / "out.failed").exists()


def test_only_a_report_of_kams_is_marked_out_of_date(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "index.html").write_text("<body>mine</body>", encoding="utf-8")
    assert not output.mark_stale(folder, "note", '<div class="kam-stale">x</div>')
    assert tree(folder) == {"index.html": "<body>mine</body>"}


# issue 29: a swap that cannot lose a file, one writer per folder

OLD = {"index.html": "v1", "competitor_analysis.html": "v1", "accounts/C1.html": "v1"}
NEW = {"index.html": "v2", "accounts/C2.html": "v2", "tables/t.csv": "v2"}
MINE = {"accounts/letter.docx": "mine", "notes.txt": "mine too"}
WRITER = """
import sys
from pathlib import Path
from kamlib.render import output
target, step, files = Path(sys.argv[1]), sys.argv[2], eval(sys.argv[3])
def pause(name):
    if name == step:
        print("paused", flush=True)
        sys.stdin.readline()
        output.on_step = None
output.on_step = pause
scratch = output.prepare(target)
for rel, text in files.items():
    (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
    (scratch / rel).write_text(text, encoding="utf-8")
output.install(scratch, target)
output.release(target)
print("done", flush=True)
"""


def everything(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, hidden ones too, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def old_report_with_my_files(tmp_path: Path) -> Path:
    target = tmp_path / "out"
    output.install(built(tmp_path, OLD), target)
    for rel, text in MINE.items():
        (target / rel).write_text(text, encoding="utf-8")
    return target


def paused_writer(target: Path, step: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target), step, repr(NEW)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert process.stdout.readline() == "paused\n"
    return process


def assert_new_report_and_my_files(tmp_path: Path, target: Path) -> None:
    assert tree(target) == {**NEW, **MINE}
    assert output.read_stamp(target) == {"kam": "report", "files": sorted(NEW)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no scratch, lock or old folder


@pytest.mark.parametrize("step", ["journal", "stamp", "move", "done"])
def test_a_writer_killed_at_any_step_is_completed_by_the_next(tmp_path, step):
    target = old_report_with_my_files(tmp_path)
    writer = paused_writer(target, step)
    assert tree(target).items() >= MINE.items()  # the user's files never leave the folder
    writer.kill()
    writer.wait()
    with output.writing(target):  # what every render, course and batch job does first
        pass
    assert_new_report_and_my_files(tmp_path, target)


def test_an_install_stopped_by_ctrl_c_is_completed_by_the_next_writer(tmp_path, monkeypatch):
    target = old_report_with_my_files(tmp_path)

    def stop(step):
        if step == "move":
            raise KeyboardInterrupt

    monkeypatch.setattr(output, "on_step", stop)
    scratch = output.prepare(target)
    for rel, text in NEW.items():
        (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
        (scratch / rel).write_text(text, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        try:  # as render and course do
            output.install(scratch, target)
        except BaseException:
            output.discard(scratch)
            raise
        finally:
            output.release(target)
    assert output.read_stamp(target)["stale"] is True  # half moved in: out of date
    monkeypatch.setattr(output, "on_step", None)
    with output.writing(target):
        pass
    assert_new_report_and_my_files(tmp_path, target)


@pytest.mark.parametrize("step", ["journal", "stamp", "move", "done"])
def test_a_second_writer_waits_then_stops_and_changes_nothing(tmp_path, monkeypatch, step):
    target = old_report_with_my_files(tmp_path)
    writer = paused_writer(target, step)
    monkeypatch.setattr(output, "LOCK_WAIT", 0.3)
    before = everything(tmp_path)
    started = time.monotonic()
    with pytest.raises(KamError) as error:
        output.prepare(target)
    assert 0.3 <= time.monotonic() - started < 3
    assert str(error.value) == (
        f"{target}: expected a report folder no other kam is writing (let it finish, or choose "
        f"another --out), found it is being written by process {writer.pid} (waited 0.3 s)"
    )
    assert everything(tmp_path) == before
    out, _ = writer.communicate("\n", timeout=30)
    assert (writer.returncode, out) == (0, "done\n")
    assert_new_report_and_my_files(tmp_path, target)
    output.install(built(tmp_path, OLD), target)  # and the next writer goes ahead
    assert tree(target) == {**OLD, **MINE}


def test_what_an_earlier_kams_interrupted_swap_left_is_put_back(tmp_path):
    """Killed between its two renames, kam 0.x left no ``k1``: the new report with the user's
    file in ``.k1-kam-*``, the old one in ``.k1-old-*``."""
    target = tmp_path / "k1"
    new, old = tmp_path / ".k1-kam-ab12cd34", tmp_path / ".k1-old-0123abcd"
    for folder, files in ((new, {**NEW, **MINE}), (old, {**OLD, "forced.txt": "mine 2"})):
        for rel, text in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
    output.write_stamp(new, output.REPORT, files=sorted(NEW))
    output.write_stamp(old, output.REPORT, files=sorted(OLD))
    with output.writing(target):
        pass
    assert tree(target) == {**NEW, **MINE, "forced.txt": "mine 2"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1"]
    # a name taken since: the user's file stays, in a folder the user sees
    old.mkdir()
    (old / "notes.txt").write_text("older notes", encoding="utf-8")
    output.write_stamp(old, output.REPORT, files=[])
    with output.writing(target):
        pass
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine too"
    kept = tmp_path / "k1.recovered-0123abcd"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k1", kept.name]
    assert tree(kept) == {"notes.txt": "older notes"}


def _refuse_renames(monkeypatch, target: Path, scratch_parent: Path) -> list[str]:
    """os.replace as on a mount point: the folder itself cannot be renamed (EBUSY), and a file
    cannot be renamed into it from the scratch folder (EXDEV)."""
    real, refused = os.replace, []

    def replace(source, dest, *args, **kwargs):
        source, dest = Path(source), Path(dest)
        if target in (source, dest):
            refused.append("EBUSY")
            raise OSError(errno.EBUSY, "Device or resource busy", str(source))
        if dest.is_relative_to(target) and not source.is_relative_to(target):
            refused.append("EXDEV")
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(source))
        return real(source, dest, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return refused


def test_a_folder_that_cannot_be_renamed_is_written_in_place(tmp_path, monkeypatch):
    target = old_report_with_my_files(tmp_path)
    refused = _refuse_renames(monkeypatch, target, tmp_path)
    output.install(built(tmp_path, NEW), target)
    assert set(refused) == {"EXDEV"}  # copied in, and the folder itself never renamed
    assert_new_report_and_my_files(tmp_path, target)
    assert not [p for p in target.rglob("*kam-tmp*")]


def test_render_into_a_folder_that_cannot_be_renamed(tmp_path, monkeypatch, capsys):
    eng = small_engagement(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    refused = _refuse_renames(monkeypatch, out, tmp_path)
    assert main(["render", str(eng), "--out", str(out)]) == 0
    (out / "letter.docx").write_text("mine", encoding="utf-8")
    assert main(["render", str(eng), "--out", str(out)]) == 0
    assert "EBUSY" not in refused and "EXDEV" in refused
    assert (out / "letter.docx").read_text(encoding="utf-8") == "mine"
    assert "industry_selection.html" in output.read_stamp(out)["files"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng", "out"]


def test_a_real_mount_point_is_written_in_place(tmp_path):
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        output.install(built(tmp_path, OLD, target=mount), mount)
        (mount / "letter.docx").write_text("mine", encoding="utf-8")
        output.install(built(tmp_path, NEW, target=mount), mount)
        assert tree(mount) == {**NEW, "letter.docx": "mine"}
        assert os.path.ismount(mount)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["mnt"]
        assert sorted(p.name for p in mount.iterdir()) == [
            ".kam-stamp",
            "accounts",
            "index.html",
            "letter.docx",
            "tables",
        ]
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_render_and_batch_stop_while_another_process_writes_the_folder(
    tmp_path, monkeypatch, capsys
):
    from kamlib.render.batch import Job, run_job

    eng = small_engagement(tmp_path)
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom kamlib.render import output\nwith output.writing(sys.argv[1]):\n"
            "    print('held', flush=True)\n    sys.stdin.readline()\n",
            str(out),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert holder.stdout.readline() == "held\n"
    monkeypatch.setattr(output, "LOCK_WAIT", 0.2)
    busy = (
        f"{out}: expected a report folder no other kam is writing (let it finish, or choose "
        f"another --out), found it is being written by process {holder.pid} (waited 0.2 s)"
    )
    assert main(["render", str(eng), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"kam: error: {busy}\n"
    outcome = run_job(Job(str(eng), str(out)))
    assert (outcome.status, outcome.cause) == ("failed", busy)
    holder.communicate("\n", timeout=30)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eng"]


def _tmpfs(folder: Path, size: str) -> Path:
    """``folder`` as a tmpfs of ``size`` (root only; the test is skipped where mounting is not
    allowed)."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    return folder


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB disk."""
    yield _tmpfs(tmp_path / "disk", "4m")
    subprocess.run(["umount", str(tmp_path / "disk")], check=True)


def test_a_full_temporary_folder_is_named_as_such(tmp_path, monkeypatch, capsys):
    """Issue 28: a full TMPDIR (xlsxwriter's and DuckDB's scratch files, Chromium's PDF) was an
    internal error; on another disk than the report, with less room, it is the one named."""
    import tempfile

    temporary = _tmpfs(tmp_path / "tmp", "256k")
    try:
        monkeypatch.setenv("TMPDIR", str(temporary))
        monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() asks again
        demo = Path(__file__).resolve().parent.parent / "data" / "demo"
        out = tmp_path / "out"
        assert main(["render", str(demo), "--out", str(out), "--format", "xlsx"]) == 1
        assert capsys.readouterr().err == (
            f"kam: error: {temporary}: expected room in the temporary folder (free some space, "
            "or set TMPDIR to a folder with room), found the disk is full\n"
        )
        assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
    finally:
        subprocess.run(["umount", str(temporary)], check=True)


def test_a_full_disk_is_one_line_and_keeps_the_previous_report_as_it_was(small_disk, capsys):
    """Issue 28: a full disk ended in 'internal error: OSError: [Errno 28]' and left the
    scratch folder behind."""
    small = small_engagement(small_disk.parent)
    out = small_disk / "demo"
    assert main(["render", str(small), "--out", str(out)]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    # the whole demo does not fit into what is left of 4 MB
    demo = Path(__file__).resolve().parent.parent / "data" / "demo"
    assert main(["render", str(demo), "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        f"kam: error: {out}: expected room on its disk for the report (free some space or "
        "choose another --out), found the disk is full\n"
    )
    assert sorted(p.name for p in small_disk.iterdir()) == ["demo"]
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
