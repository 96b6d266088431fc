"""kam batch: workers, failure isolation, resume, atomic reports, and a Dask cluster."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kamlib.cli import main
from kamlib.core.errors import KamError
from kamlib.render import output
from kamlib.render.batch import Job, make_jobs, run_batch, run_job, summary
from tests.conftest import DEMO, ROOT
from tests.test_matrix import BASE, YAML

FILES = ("engagement.yaml", "industries.csv", "criteria.csv", "competitors.csv", "needs.csv")


def engagements(tmp_path, n: int, broken: tuple[int, ...] = ()) -> list[str]:
    folders = []
    for i in range(n):
        folder = tmp_path / "in" / f"eng{i}"
        folder.mkdir(parents=True)
        for name in FILES:
            shutil.copy(DEMO / name, folder / name)
        if i in broken:
            (folder / "industries.csv").write_text("行业,市场容量\n政府,高\n", encoding="utf-8")
        folders.append(str(folder))
    return folders


def test_one_failure_never_stops_the_others(tmp_path, capsys):
    folders = engagements(tmp_path, 3, broken=(1,))
    code = main(["batch", *folders, "--out", str(tmp_path / "out"), "--jobs", "2"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == "done 2, skipped 0, failed 1"
    assert out[1] == (
        f"failed eng1: {folders[1]}/industries.csv, row 2, column 市场容量: "
        'expected a number (e.g. 12,345.6, ¥12,345, 1.2万 or 25%), found "高"'
    )
    assert (tmp_path / "out" / "eng0" / "index.html").is_file()
    assert (tmp_path / "out" / "eng2" / "competitor_analysis.html").is_file()
    assert not (tmp_path / "out" / "eng1").exists()


def test_a_batch_run_again_skips_what_has_not_changed(tmp_path, capsys):
    folders = engagements(tmp_path, 2)
    root = str(tmp_path / "out")
    assert main(["batch", *folders, "--out", root, "--jobs", "1"]) == 0
    first = (tmp_path / "out" / "eng0" / "industry_selection.html").stat().st_mtime_ns
    assert main(["batch", *folders, "--out", root]) == 0
    assert (tmp_path / "out" / "eng0" / "industry_selection.html").stat().st_mtime_ns == first
    needs = tmp_path / "in" / "eng1" / "needs.csv"
    text = needs.read_text(encoding="utf-8-sig")
    needs.write_text(text.replace("软件开发,9", "软件开发,6"), encoding="utf-8")
    assert main(["batch", *folders, "--out", root]) == 0
    assert main(["batch", folders[0], "--out", root, "--force"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("done")]
    assert lines == [
        "done 2, skipped 0, failed 0",
        "done 0, skipped 2, failed 0",
        "done 1, skipped 1, failed 0",
        "done 1, skipped 0, failed 0",
    ]


def test_a_failed_render_keeps_the_previous_report_whole_and_marked(tmp_path):
    (folder,) = engagements(tmp_path, 1)
    out = tmp_path / "out" / "eng0"
    assert run_job(Job(folder, str(out))).status == "done"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    outcome = run_job(Job(folder, str(out), engine="no-such-engine", force=True))
    assert outcome.status == "failed" and "No engine named 'no-such-engine'" in outcome.cause
    assert f"the previous report in {out} is marked out of date" in outcome.cause
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    banner = re.compile(rb'<div class="kam-stale"[^>]*>[^<]*</div>')
    unmarked = {
        Path(str(name).replace("OUT-OF-DATE-", "")): banner.sub(b"", data)
        for name, data in after.items()
        if name.name not in ("OUT-OF-DATE.txt", ".kam-stamp")
    }
    assert unmarked == {k: v for k, v in before.items() if k.name != ".kam-stamp"}
    assert Path("OUT-OF-DATE-report.xlsx") in after and Path("OUT-OF-DATE.txt") in after


def test_two_engagements_with_the_same_name_are_refused(tmp_path):
    with pytest.raises(KamError, match='found a second "eng"'):
        make_jobs([str(tmp_path / "a" / "eng"), str(tmp_path / "b" / "eng")], str(tmp_path))


def test_a_dask_cluster_runs_the_same_batch_with_relative_paths(tmp_path, monkeypatch):
    """The README's form (``kam batch clients/* --out reports --scheduler ...``): paths relative
    to where kam runs, workers started elsewhere (their own working folder)."""
    from distributed import LocalCluster

    engagements(tmp_path, 2, broken=(1,))
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        monkeypatch.chdir(tmp_path / "in")
        jobs = [Job(f"eng{i}", f"../out/eng{i}") for i in range(2)]
        outcomes = run_batch(jobs, scheduler=cluster.scheduler_address)
    assert [o.status for o in outcomes] == ["done", "failed"], outcomes
    # the worker's working folder is elsewhere: the path it names is absolute
    assert outcomes[1].cause.startswith(f"{tmp_path}/in/eng1/industries.csv, row 2, column 市场")
    assert summary(outcomes).splitlines()[0] == "done 1, skipped 0, failed 1"
    assert (tmp_path / "out" / "eng0" / "results.json").is_file()


def _opened(monkeypatch) -> list[str]:
    """The files opened from now on (by name, as given to open)."""
    import builtins

    names: list[str] = []
    real = builtins.open

    def spy(file, *args, **kwargs):
        names.append(str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    return names


def test_the_digest_reads_only_the_files_the_engagement_uses(tmp_path, monkeypatch):
    from kamlib.render.batch import fingerprint

    (folder,) = engagements(tmp_path, 1)
    (Path(folder) / "commentary.md").write_text("## summary\n好。\n", encoding="utf-8")
    job = Job(folder, str(tmp_path / "out"))
    before = fingerprint(job)
    secret = tmp_path / "secret.txt"
    secret.write_text("机密\n", encoding="utf-8")
    (Path(folder) / "notes.txt").symlink_to(secret)
    with open(Path(folder) / "backup.bin", "wb") as big:  # 64 MB, sparse
        big.truncate(64 * 2**20)
    opened = _opened(monkeypatch)
    assert fingerprint(job) == before
    names = {Path(f).name for f in opened if f.startswith(folder)}
    assert names == {"engagement.yaml", "commentary.md", *FILES[1:]}, names
    assert not any("backup.bin" in f or "secret" in f or "notes.txt" in f for f in opened)
    (Path(folder) / "commentary.md").write_text("## summary\n不好。\n", encoding="utf-8")
    assert fingerprint(job) != before


def test_the_digest_never_follows_a_data_file_out_of_the_folder(tmp_path, monkeypatch):
    (folder,) = engagements(tmp_path, 1)
    secret = tmp_path / "secret.csv"
    shutil.move(Path(folder) / "needs.csv", secret)
    (Path(folder) / "needs.csv").symlink_to(secret)
    opened = _opened(monkeypatch)
    outcome = run_job(Job(folder, str(tmp_path / "out")))
    assert outcome.status == "failed"
    assert outcome.cause == (
        f"{folder}/needs.csv: expected a file inside the engagement folder (no absolute path, "
        f"no .., no link leading out of it), found a link to {secret}"
    )
    assert str(secret) not in opened and f"{folder}/needs.csv" not in opened


def _descendants(pid: int) -> dict[int, int]:
    """Every process below ``pid``, with its parent (Linux /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
    found: dict[int, int] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child in (c for c, p in parents.items() if p == parent):
            found[child] = parent
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's parent-death signal")
def test_workers_die_with_the_batch_killed_by_sigkill(tmp_path):
    """``kill -9`` of the batch: its workers and their notebook processes end within seconds."""
    folders = engagements(tmp_path, 2)
    command = [sys.executable, "-m", "kamlib.cli", "batch", *folders]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    batch = subprocess.Popen(
        [*command, "--out", str(tmp_path / "out"), "--jobs", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        below: dict[int, int] = {}
        while time.monotonic() < deadline and batch.poll() is None:
            below = _descendants(batch.pid)
            if set(below.values()) - {batch.pid}:  # a worker's notebook process is running
                break
            time.sleep(0.2)
        workers = [p for p, parent in below.items() if parent == batch.pid]
        assert batch.poll() is None and len(workers) == 2 and len(below) > 2, below
    finally:
        batch.kill()
        batch.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(map(_alive, below)):
        time.sleep(0.1)
    assert not [p for p in below if _alive(p)]


def small(tmp_path) -> str:
    folder = tmp_path / "eng"
    folder.mkdir()
    (folder / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for name in ("industries.csv", "criteria.csv"):
        (folder / name).write_text(BASE[name], encoding="utf-8")
    return str(folder)


def test_only_a_whole_current_report_is_skipped(tmp_path):
    """Issue 29: an out-of-date report, one missing a format or one whose last render failed is
    rendered again."""
    folder, out = small(tmp_path), tmp_path / "out" / "eng"
    job = Job(folder, str(out))
    assert run_job(job).status == "done"
    assert run_job(job).status == "skipped"
    failed = run_job(Job(folder, str(out), engine="no-such-engine", force=True))
    assert failed.status == "failed" and (out / "OUT-OF-DATE-report.xlsx").is_file()
    shutil.rmtree(tmp_path / "out" / "eng.failed")  # the mark alone keeps it from being skipped
    assert run_job(job).status == "done"
    assert not [p for p in out.iterdir() if "OUT-OF-DATE" in p.name]
    assert "stale" not in output.read_stamp(out) and (out / "report.xlsx").is_file()
    stamp = output.read_stamp(out)  # marked out of date, every file still there
    output.write_stamp(out, stamp.pop("kam"), **stamp, stale=True)
    assert run_job(job).status == "done" and "stale" not in output.read_stamp(out)
    # a format the job wants is missing (and not listed): rendered again
    stamp = output.read_stamp(out)
    (out / "report.xlsx").unlink()
    files = [f for f in stamp.pop("files") if f != "report.xlsx"]
    output.write_stamp(out, stamp.pop("kam"), files=files, **stamp)
    assert run_job(job).status == "done" and (out / "report.xlsx").is_file()
    # a failed render's partial output beside it (kam's: a folder of the user's is no failure)
    (tmp_path / "out" / "eng.failed").mkdir()
    assert run_job(job).status == "skipped"
    (tmp_path / "out" / "eng.failed").rmdir()
    scratch = output.prepare(out)
    output.release(out)
    output.keep_failed(scratch, out)
    assert run_job(job).status == "done" and not (tmp_path / "out" / "eng.failed").exists()
    assert run_job(job).status == "skipped"
