"""kam batch: workers, failure isolation, resume, atomic reports, and a Dask cluster."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kamlib.core.errors import KamError
from kamlib.render import output
from kamlib.render.batch import Job, make_jobs, run_batch, run_job, summary
from kamlib.render.cli import main
from tests.conftest import DEMO
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


def test_a_dask_cluster_runs_the_same_batch(tmp_path):
    from distributed import LocalCluster

    folders = engagements(tmp_path, 3, broken=(2,))
    jobs = make_jobs(folders, str(tmp_path / "out"))
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        outcomes = run_batch(jobs, scheduler=cluster.scheduler_address)
    assert [o.status for o in outcomes] == ["done", "done", "failed"]
    assert summary(outcomes).splitlines()[0] == "done 2, skipped 0, failed 1"
    assert (tmp_path / "out" / "eng1" / "results.json").is_file()


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
