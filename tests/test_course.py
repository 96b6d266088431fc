"""The course pack (``kam course``), checked with nbgrader itself: every assignment generates a
release with no solution in it, the instructor's solutions autograde to full marks and the blank
release scores less; the handouts pass the browser checks of the report pages; teaching mode
(``kam render --course``) keeps the course cells."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from kamlib.cli import main, parser
from kamlib.core.i18n import Words
from kamlib.course import build_course
from kamlib.course.assignments import ASSIGNMENTS
from kamlib.render.execute import strip as _strip
from tests.conftest import GENERATED, ROOT
from tests.test_browser import check_page

NAMES = [make(Words("zh")).name for make in ASSIGNMENTS]
CHROMIUM = shutil.which("chromium") is not None


def _env() -> dict:
    """nbgrader's commands (and alembic, which it runs) from this Python's environment, and this
    kamlib in the kernels."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = f"{ROOT}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return env


def _nbgrader(course: Path, *args: str) -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args, "--force"],
        cwd=course,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return build_course(
        tmp_path_factory.mktemp("course") / "kam-course", "zh", pdf=None, generated=GENERATED
    )


def test_the_course_folder(course):
    assert (course / "nbgrader_config.py").is_file()
    assert sorted(p.name for p in (course / "source").iterdir()) == sorted(NAMES)
    assert len(NAMES) >= 5
    config = (course / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "# 在这里写出你的代码\\nraise NotImplementedError()" in config
    assert (course / ".kam-stamp").is_file()
    industry = course / "source" / "industry_selection"
    assert (industry / "industries.csv").read_text(encoding="utf-8").splitlines()[2] == (
        "电信业,9,7,9,-5,-1,9,9,7,46"
    )
    nb = nbformat.read(industry / "industry_selection.ipynb", as_version=4)
    nbformat.validate(nb)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert [c.metadata.nbgrader.points for c in graded] == [2, 2, 2]
    assert all("### BEGIN SOLUTION" in c.source for c in nb.cells if _solution(c))
    assert sum("### BEGIN HIDDEN TESTS" in c.source for c in graded) == 3
    # after each exercise, the same figure computed by kamlib
    assert 'kam.result(eng, "industry_selection")' in nb.cells[-1].source
    assert all("course" in c.metadata.tags for c in nb.cells if c.cell_type == "markdown")


def _solution(cell) -> bool:
    return cell.metadata.get("nbgrader", {}).get("solution", False)


def test_nbgrader_releases_grade_the_solutions_full_and_the_blank_less(course, tmp_path):
    from nbgrader.api import Gradebook

    work = tmp_path / "course"
    shutil.copytree(course, work)
    for name in NAMES:
        _nbgrader(work, "generate_assignment", name)
        released = work / "release" / name / f"{name}.ipynb"
        text = released.read_text(encoding="utf-8")
        source = nbformat.read(work / "source" / name / f"{name}.ipynb", as_version=4)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "讲评" not in text  # the trainer's debriefs stay in the solutions
        for cell in source.cells:
            if _solution(cell):
                body = cell.source.split("### BEGIN SOLUTION\n")[1].split("\n### END")[0]
                assert body.splitlines()[0] not in text, body
        assert text.count("# 在这里写出你的代码") == sum(map(_solution, source.cells))
        for file in (work / "source" / name).iterdir():
            assert (work / "release" / name / file.name).is_file()
        shutil.copytree(work / "source" / name, work / "submitted" / "instructor" / name)
        shutil.copytree(work / "release" / name, work / "submitted" / "blank" / name)
        _nbgrader(work, "autograde", name)
    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gradebook:
        for name in NAMES:
            full = gradebook.find_submission(name, "instructor")
            blank = gradebook.find_submission(name, "blank")
            assert full.max_score >= 6
            assert full.score == full.max_score, name
            assert blank.score < full.score, name
            assert blank.score == 0, name
    for name in NAMES:  # every cell of the solutions ran, kamlib's too, and showed its figure
        graded = nbformat.read(
            work / "autograded" / "instructor" / name / f"{name}.ipynb", as_version=4
        )
        outputs = [o for c in graded.cells if c.cell_type == "code" for o in c.outputs]
        assert [o for o in outputs if o.output_type == "error"] == [], name
        assert "kam-table" in str(graded.cells[-1].outputs) or name == "key_account_scorecard"


@pytest.mark.parametrize("name", NAMES)
def test_handouts_have_no_solution_and_no_code(course, name):
    from bs4 import BeautifulSoup

    markup = (course / "handouts" / f"{name}.html").read_text(encoding="utf-8")
    doc = BeautifulSoup(markup, "html.parser")
    text = doc.get_text(" ")
    assert doc.find("script") is None and doc.find("pre") is None
    assert doc.find(class_="jp-InputPrompt") is None
    for code in ("import ", "BEGIN SOLUTION", "assert ", "kam.", "讲评", "Traceback"):
        assert code not in text, code
    assert doc.html["lang"] == "zh-CN"
    assert doc.find("table") is not None  # the exercise's data
    assert "学习目标" in text and "kamlib" not in text


def test_the_industry_handout_shows_the_seed_table(course):
    text = (course / "handouts" / "industry_selection.html").read_text(encoding="utf-8")
    assert "练习一 行业选择" in text and "<td>46</td>" in text and "≥平均分 29.1" in text
    assert "← 返回首页" in text


def test_the_handouts_index_lists_the_assignments(course):
    text = (course / "handouts" / "index.html").read_text(encoding="utf-8")
    assert "<h2>练习</h2>" in text and "执行摘要" not in text
    assert text.count('href="industry_selection.html"') == 2  # contents and the list


@pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (make browser)")
@pytest.mark.parametrize("name", ["index", *NAMES])
def test_handouts_in_a_real_browser(course, name):
    from kamlib.render.browser import browser

    path = course / "handouts" / f"{name}.html"
    with browser() as chromium:
        check_page(chromium, path, f"course_{name}")
    if name != "index":
        from pypdf import PdfReader

        pdf = PdfReader(str(course / "handouts" / f"{name}.pdf"))
        assert "学习目标" in "".join(p.extract_text() for p in pdf.pages)


def test_the_english_course(tmp_path):
    course = build_course(tmp_path / "en", "en", pdf=False, generated=GENERATED)
    nb = nbformat.read(course / "source" / "account_plan" / "account_plan.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("# Exercise 5: the account plan")
    assert "no trust" in "".join(c.source for c in nb.cells)
    contacts = (course / "source" / "account_plan" / "contacts.csv").read_text(encoding="utf-8")
    assert contacts.splitlines()[0] == (
        "customer_id,name,title,role,attitude,influence,last_contact"
    )
    handout = (course / "handouts" / "account_plan.html").read_text(encoding="utf-8")
    assert 'lang="en"' in handout and "Learning goals" in handout
    assert not (course / "handouts" / "account_plan.pdf").exists()
    assert "# YOUR CODE HERE" in (course / "nbgrader_config.py").read_text(encoding="utf-8")


def test_course_refuses_a_foreign_folder(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["course", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kam: error: {folder}: expected an empty folder or a report kam wrote")
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_teaching_mode_keeps_the_course_cells():
    nb = nbformat.read(ROOT / "notebooks" / "industry_selection.ipynb", as_version=4)
    taught = nbformat.from_dict(nb)
    _strip(nb, "zh")
    _strip(taught, "zh", course=True)
    assert not any("course" in c.metadata.get("tags", []) for c in nb.cells)
    kept = [c for c in taught.cells if "course" in c.metadata.get("tags", [])]
    assert len(kept) == 1 and "课程说明" in kept[0].source
    assert len(taught.cells) == len(nb.cells) + 1
    assert not any("en" in c.metadata.get("tags", []) for c in taught.cells)
    assert parser().parse_args(["render", "eng", "--course"]).course is True
    assert parser().parse_args(["render", "eng"]).course is False


def test_render_in_teaching_mode(make_engagement, tmp_path):
    folder = make_engagement()
    taught, plain = tmp_path / "taught", tmp_path / "plain"
    assert main(["render", str(folder), "--out", str(taught), "--format", "html", "--course"]) == 0
    assert main(["render", str(folder), "--out", str(plain), "--format", "html"]) == 0
    page = (taught / "industry_selection.html").read_text(encoding="utf-8")
    assert "课程说明" in page and "For the course" in page  # the cell is bilingual itself
    assert "课程说明" not in (plain / "industry_selection.html").read_text(encoding="utf-8")
