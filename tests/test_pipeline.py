"""The render pipeline: each chart drawn once and shared by page, deck and charts/; outputs made
in parallel by forked tasks; a re-render takes what did not change and writes the same bytes as
a fresh render."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kamlib.core.config import load_engagement
from kamlib.render import export, tasks
from kamlib.render.pipeline import render, reused_line
from kamlib.run import run_engagement

ROOT = Path(__file__).resolve().parent.parent
GENERATED = "2026-12-01 09:00 CST"


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pipeline") / "demo"
    shutil.copytree(ROOT / "data" / "demo", folder)
    return folder


def test_a_re_render_takes_what_did_not_change_and_writes_a_fresh_renders_bytes(demo, tmp_path):
    out = tmp_path / "out"
    first: dict = {}
    render(demo, out, generated=GENERATED, formats="html,xlsx,pptx,charts", reused=first)
    assert first["results"] == [] and first["charts"] == 0 and first["outputs"] == []
    criteria = demo / "criteria.csv"
    text = criteria.read_text(encoding="utf-8-sig")
    assert "增长速度,1," in text
    criteria.write_text(text.replace("增长速度,1,", "增长速度,2,"), encoding="utf-8")
    again: dict = {}
    render(demo, out, generated=GENERATED, formats="html,xlsx,pptx,charts", reused=again)
    # only the industry selection changed: its result, 3 charts, its page, workbook and deck
    # the workbook is written again, the sheets of the analyses that did not change taken
    run = run_engagement(load_engagement(demo))
    unchanged = ("customer_segmentation", "competitor_analysis")
    sheets = sum(a.key in unchanged for a, _ in export.tables(run))
    assert again == {
        "results": ["customer_segmentation", "competitor_analysis"],
        "charts": 10,
        "pages": 2,
        "outputs": [],
        "sheets": sheets,
    }
    assert sheets == 24 and "24 workbook sheets" in reused_line(again)
    fresh = tmp_path / "fresh"
    render(demo, fresh, generated=GENERATED, formats="html,xlsx,pptx,charts", fresh=True)
    made, expected = files(out), files(fresh)
    assert sorted(made) == sorted(expected)
    assert [name for name in made if made[name] != expected[name]] == []
    # nothing changed: everything is taken, and still the same bytes
    unchanged: dict = {}
    render(demo, out, generated=GENERATED, formats="html,xlsx,pptx,charts", reused=unchanged)
    assert unchanged["results"] == [
        "industry_selection",
        "customer_segmentation",
        "competitor_analysis",
    ]
    assert unchanged["outputs"] == ["workbook", "deck"] and unchanged["pages"] == 3
    assert files(out) == made


def test_each_chart_is_one_image_for_page_deck_and_charts_folder(tmp_path):
    import base64
    import re
    import zipfile

    out = tmp_path / "out"
    render(ROOT / "data" / "demo", out, generated=GENERATED, formats="html,pptx,charts")
    charts = {p.name: p.read_bytes() for p in (out / "charts").glob("*.png")}
    assert len(charts) == 13
    pages = "".join(
        (out / f"{k}.html").read_text(encoding="utf-8")
        for k in ("industry_selection", "customer_segmentation", "competitor_analysis")
    )
    shown = [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', pages)]
    with zipfile.ZipFile(out / "report.pptx") as deck:
        pictures = [deck.read(n) for n in deck.namelist() if n.startswith("ppt/media/")]
    assert sorted(shown) == sorted(charts.values())
    # the deck's pictures are those images; its native charts (tiers, robustness, wallet,
    # composition, gaps) are drawn by PowerPoint from their data instead
    native = {"customer_segmentation.tiers.png", "industry_selection.robustness.png"}
    native |= {"competitor_analysis.wallet.png", "customer_segmentation.composition.png"}
    native.add("competitor_analysis.gaps.png")
    pictured = {name: data for name, data in charts.items() if name not in native}
    assert sorted(set(pictures)) == sorted(set(pictured.values()))


def test_tasks_run_in_workers_after_what_they_need_and_the_first_failure_stops_them():
    order = []

    def make(name, value):
        def run(done):
            order.append(name)
            return value + sum(v for v in done.values() if isinstance(v, int))

        return run

    plan = {
        "a": tasks.Task(make("a", 1)),
        "b": tasks.Task(make("b", 10), ("a",)),
        "c": tasks.Task(make("c", 100), ("a", "b")),
    }
    assert tasks.run_tasks(plan, 2) == {"a": 1, "b": 11, "c": 112}
    assert tasks.run_tasks(plan, 1) == {"a": 1, "b": 11, "c": 112}

    def broken(done):
        raise KeyError("no such chart")

    with pytest.raises(KeyError, match="no such chart"):
        tasks.run_tasks({"a": tasks.Task(broken), "b": tasks.Task(make("b", 1), ("a",))}, 2)
    with pytest.raises(ValueError, match="unknown tasks"):
        tasks.run_tasks({"a": tasks.Task(broken, ("nope",))}, 2)


def test_plan_files_checked_once_still_check_the_commentarys_accounts(tmp_path):
    """A re-render without --accounts reads the plan files only when they (or the accounts
    they are checked against) changed; the commentary's account sections are checked all the
    same, against the accounts the earlier reading knew."""
    from kamlib.core.errors import KamError
    from tests.test_matrix import BASE, YAML

    eng, out = tmp_path / "eng", tmp_path / "out"
    eng.mkdir()
    (eng / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for name in ("transactions.csv", "customers.csv", "contacts.csv"):
        (eng / name).write_text(BASE[name], encoding="utf-8")
    render(eng, out, formats="xlsx")
    commentary = eng / "commentary.md"
    commentary.write_text("## account C2\n稳。\n", encoding="utf-8")
    reused: dict = {}
    render(eng, out, formats="xlsx", reused=reused)
    assert reused["results"] == ["customer_segmentation"]
    commentary.write_text("## account NOPE\n看好。\n", encoding="utf-8")
    with pytest.raises(KamError, match='found "## account NOPE"'):
        render(eng, out, formats="xlsx")
    # a contact of an account nobody knows is found as soon as the file changes
    commentary.unlink()
    (eng / "contacts.csv").write_text(
        BASE["contacts.csv"].replace("C1,张伟", "C9,张伟"), encoding="utf-8"
    )
    with pytest.raises(KamError, match="contacts.csv, row 2, column customer_id"):
        render(eng, out, formats="xlsx")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_warm_up_runs_once_in_the_runner_before_the_first_task_that_names_it(jobs):
    import os

    state = {"warm": False}
    calls = []

    def warm():
        calls.append(os.getpid())
        state["warm"] = True

    def warmed(done):
        return state["warm"]

    plan = {
        "a": tasks.Task(warmed),  # starts before the warm-up: it does not need it
        "b": tasks.Task(warmed, (), warm),
        "c": tasks.Task(warmed, ("b",), warm),
    }
    assert tasks.run_tasks(plan, jobs) == {"a": False, "b": True, "c": True}
    assert calls == [os.getpid()]


def test_workers_start_before_a_warm_up_and_a_warm_up_runs_while_they_work():
    """The runner forks what needs no warm-up first, and warms up for a task still waiting on
    another while that one runs: the warm-up costs the render no worker's time."""
    import time

    state: dict = {"warmed_at": None}

    def warm():
        state["warmed_at"] = time.monotonic()

    def slow(done):
        time.sleep(0.5)
        return time.monotonic()

    plan = {
        "drawn": tasks.Task(lambda done: state["warmed_at"], (), warm),
        "free": tasks.Task(lambda done: state["warmed_at"]),  # listed after, forked first
        "slow": tasks.Task(slow),
        "waits": tasks.Task(lambda done: state["warmed_at"], ("slow",), lambda: None),
    }
    done = tasks.run_tasks(plan, 2)
    assert done["free"] is None and done["drawn"] is not None
    plan = {"slow": tasks.Task(slow), "waits": tasks.Task(lambda done: 1, ("slow",), warm)}
    state["warmed_at"] = None
    done = tasks.run_tasks(plan, 2)
    assert state["warmed_at"] < done["slow"]  # warmed while "slow" ran, not after
