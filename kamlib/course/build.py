"""``kam course DIR``: the course pack as an nbgrader course directory, and its handouts.

- ``DIR/nbgrader_config.py``: the course, with the stubs that replace a solution in the course's
  language;
- ``DIR/source/<assignment>/``: the instructor's notebook (solutions and hidden tests in
  nbgrader's markup) and its data, a small engagement folder;
- ``DIR/handouts/<assignment>.html`` (and ``.pdf`` when Chromium is installed): the teaching
  notes, the exercises and the data, executed and rendered with the report's template; no
  solution, no test, no code. ``DIR/handouts/index.html`` lists them.

The course folder follows kam's output-folder rules (:mod:`kamlib.render.output`): a new or empty
folder or a course kam wrote, built beside it and moved in when whole.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.core.i18n import Words
from kamlib.course import messages  # noqa: F401  (registers the course's words)
from kamlib.course.assignments import ASSIGNMENTS, Assignment
from kamlib.render import output
from kamlib.render.execute import COURSE_TAG, kernel_options
from kamlib.render.pages import Page, export_page, render_index

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
HANDOUT_TAG = "handout"
TOOL_TAG = "kamlib"  # the note before kamlib's answer: not in the handout, which has no answer


def _nbgrader(kind: str, grade_id: str, points: int = 0) -> dict:
    meta = {"grade_id": grade_id, "schema_version": 3, "locked": False, "task": False}
    if kind == "solution":
        meta.update(solution=True, grade=False)
    else:
        meta.update(solution=False, grade=True, locked=True, points=points)
    return meta


def notebook(assignment: Assignment) -> nbformat.NotebookNode:
    """The instructor's notebook of an assignment, in nbgrader's format."""
    cells = []
    for cell in assignment.cells:
        kind = cell[0]
        if kind in ("md", "toolnote"):
            tags = [COURSE_TAG] if kind == "md" else [COURSE_TAG, TOOL_TAG]
            made = new_markdown_cell(cell[1], metadata={"tags": tags})
        elif kind == "solution":
            made = new_code_cell(cell[2], metadata={"nbgrader": _nbgrader(kind, cell[1])})
        elif kind == "test":
            made = new_code_cell(cell[3], metadata={"nbgrader": _nbgrader(kind, cell[1], cell[2])})
        else:
            tags = [HANDOUT_TAG] if kind == "show" else []
            made = new_code_cell(cell[1], metadata={"tags": tags} if tags else {})
        made["id"] = f"{assignment.name}-{len(cells)}"
        cells.append(made)
    return new_notebook(
        cells=cells,
        metadata={"kernelspec": KERNEL, "language_info": {"name": "python"}},
    )


def config(w: Words) -> str:
    """nbgrader_config.py for the course."""
    stub = f"{w('code_stub')}\nraise NotImplementedError()"
    return (
        "# nbgrader's configuration of the kam course pack (written by `kam course`)\n"
        "c = get_config()  # noqa: F821\n"
        'c.CourseDirectory.course_id = "kam"\n'
        f"c.ClearSolutions.code_stub = {{'python': {stub!r}}}\n"
        f"c.ClearSolutions.text_stub = {w('text_stub')!r}\n"
        "c.ExecutePreprocessor.timeout = 300\n"
    )


def handout(nb: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    """The handout's notebook: the teaching notes and the data, executed in ``folder``; no
    solution, no test and no kamlib answer."""
    from nbclient import NotebookClient

    kept = nbformat.v4.new_notebook(metadata=nb.metadata)
    kept.cells = [
        c
        for c in nb.cells
        if (c.cell_type == "markdown" and TOOL_TAG not in c.metadata.tags)
        or HANDOUT_TAG in c.metadata.get("tags", [])
    ]
    kept = nbformat.from_dict(kept)
    NotebookClient(
        kept,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        **kernel_options(),
    ).execute()
    return kept


def build_course(
    target: str | Path,
    language: str = "zh",
    pdf: bool | None = None,
    force: bool = False,
    generated: str | None = None,
) -> Path:
    """Write the course pack into ``target``; ``pdf`` None prints the handouts when Chromium is
    there, True requires it.

    Raises
    ------
    KamError
        ``target`` is not a folder kam may write (see :func:`kamlib.render.output.prepare`), or
        ``pdf`` is asked for without Chromium.
    """
    from kamlib.render.browser import find_chromium

    w = Words(language)
    if pdf is None:
        pdf = _has_chromium(find_chromium)
    elif pdf:
        find_chromium()
    target = Path(target).resolve()
    made = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    scratch = output.prepare(target, force)
    generated = generated or dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    try:
        (scratch / "nbgrader_config.py").write_text(config(w), encoding="utf-8")
        handouts = scratch / "handouts"
        handouts.mkdir()
        pages = []
        for make in ASSIGNMENTS:
            assignment = make(w)
            folder = scratch / "source" / assignment.name
            folder.mkdir(parents=True)
            for name, text in assignment.files.items():
                (folder / name).write_text(text, encoding="utf-8")
            nb = notebook(assignment)
            nbformat.write(nb, folder / f"{assignment.name}.ipynb")
            eng = load_engagement(folder)
            page = export_page(
                handout(nb, folder), eng, assignment.title, [assignment.goal], generated
            )
            (handouts / f"{assignment.name}.html").write_text(page, encoding="utf-8")
            pages.append(Page(None, assignment.title, f"{assignment.name}.html", [assignment.goal]))
        index = render_index(eng, pages, generated, summary=w("course_assignments"))
        (handouts / "index.html").write_text(index, encoding="utf-8")
        if pdf:
            from kamlib.render.book import print_pages

            print_pages(
                [
                    (handouts / p.html_name, handouts / p.html_name.replace(".html", ".pdf"))
                    for p in pages
                ]
            )
        output.install(scratch, target, force)
    except BaseException:
        output.discard(scratch, made)
        raise
    finally:
        output.release(target)
    return target


def _has_chromium(find) -> bool:
    try:
        find()
    except KamError:
        return False
    return True
