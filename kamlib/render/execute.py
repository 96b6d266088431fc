"""Notebook execution: papermill runs one analysis' notebook with the engagement's parameters
(the engine ``kamfork`` by default, papermill's stock one on request), and the executed notebook is
cleaned for the page: cells of the other language and course-only cells dropped, stderr dropped,
a section whose data were not given left out, and any error a cell showed but did not raise
reported as the render's failure.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path

import nbformat

PACKAGE = Path(__file__).resolve().parent.parent
LANG_TAGS = ("zh", "en")
# kamfork renders byte-identical pages (tests/test_engine.py) several times faster; it forks
DEFAULT_ENGINE = "kamfork" if os.name == "posix" else "nbclient"
COURSE_TAG = "course"


def notebooks() -> Path:
    """The analyses' notebooks: the copy a wheel installs inside the package, else the
    checkout's top-level ``notebooks/`` (a source tree, an editable install)."""
    for folder in (PACKAGE / "notebooks", PACKAGE.parent / "notebooks"):
        if folder.is_dir() and any(folder.glob("*.ipynb")):
            return folder
    raise FileNotFoundError(
        f"kam's notebooks are missing (looked in {PACKAGE.parent} and {PACKAGE})"
    )


class RenderError(Exception):
    """A notebook failed (a bug in kam: the engagement run found the input valid).

    Attributes
    ----------
    cause
        What failed, one line.
    notebook
        The notebook's file name, or the part of the report that failed ("chart …").
    cell
        The execution count of the failing cell, when known.
    partial
        Where the partial output is kept, once it is.
    """

    def __init__(
        self,
        cause: str,
        notebook: str = "",
        cell: int | None = None,
        partial: Path | None = None,
        stale: Path | None = None,
    ) -> None:
        self.cause = cause
        self.notebook = notebook
        self.cell = cell
        self.partial = partial
        self.stale = stale
        super().__init__(self._message())

    @property
    def where(self) -> str:
        """What failed: "industry_selection.ipynb failed in cell 5: " (or nothing)."""
        if not self.notebook:
            return ""
        cell = f" in cell {self.cell}" if self.cell is not None else ""
        return f"{self.notebook} failed{cell}: "

    def _message(self) -> str:
        where = self.where
        kept = f" (partial output kept in {self.partial})" if self.partial else ""
        stale = (
            f"; the previous report in {self.stale} is marked out of date (OUT-OF-DATE.txt)"
            if self.stale
            else ""
        )
        return f"{where}{self.cause}{kept}{stale}"

    def kept_in(self, partial: Path, stale: Path | None = None) -> RenderError:
        return RenderError(self.cause, self.notebook, self.cell, partial, stale)


def _kernel_name() -> str:
    """The project's kernel when installed (``make setup`` installs it), else the native one."""
    from jupyter_client.kernelspec import KernelSpecManager

    return "kam" if "kam" in KernelSpecManager().find_kernel_specs() else "python3"


def kernel_options() -> dict:
    """Kernels talk over local sockets (IPC) where the OS has them: no TCP ports to race for, and
    no unencrypted-TCP warning from ipykernel on the user's terminal."""
    if os.name != "posix":
        return {}
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            # a socket path of its own: kernels started at once must not pick the same one
            kwargs.setdefault(
                "ip", os.path.join(tempfile.gettempdir(), f"kam-{uuid.uuid4().hex}-ipc")
            )
            super().__init__(**kwargs)

    return {"kernel_manager_class": IPCKernelManager}


def execute(
    notebook: str, parameters: dict, output: Path, engine: str | None
) -> nbformat.NotebookNode:
    """Execute one of kam's notebooks with papermill into ``output``; the executed notebook."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        nb = pm.execute_notebook(
            str(notebooks() / notebook),
            str(output),
            parameters=parameters,
            engine_name=engine or DEFAULT_ENGINE,
            kernel_name=_kernel_name(),
            cwd=str(output.parent),
            progress_bar=False,
            log_output=False,
            report_mode=False,
            **kernel_options(),
        )
    except PapermillExecutionError as exc:
        raise RenderError(f"{exc.ename}: {exc.evalue}", notebook, exc.exec_count) from None
    settle(nb, output.name)
    nbformat.write(nb, output)
    return nb


TIMES = ("start_time", "end_time", "duration")


def settle(nb: nbformat.NotebookNode, name: str) -> None:
    """An executed notebook without what changes from one run to the next (papermill's clock
    and the scratch folder it was written in): the same inputs give the same file."""
    meta = nb.metadata.get("papermill", {})
    for key in TIMES:
        meta.pop(key, None)
    if "output_path" in meta:
        meta["output_path"] = name
    for number, cell in enumerate(nb.cells):
        if "id" in cell:  # nbformat gives a notebook read without ids random ones
            cell["id"] = f"cell-{number}"
        for key in TIMES:
            cell.get("metadata", {}).get("papermill", {}).pop(key, None)
        cell.get("metadata", {}).pop("execution", None)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _swallowed(cell: nbformat.NotebookNode) -> str | None:
    """The last line of a traceback that a cell printed but did not raise (IPython shows an
    exception in a display formatter on stderr and goes on), or None."""
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
        text = "".join(out.get("text", "")) if kind == "stream" else ""
        if "Traceback (most recent call last)" in text:
            lines = _ANSI.sub("", text).strip().splitlines()
            return lines[-1].strip()
    return None


def strip(
    nb: nbformat.NotebookNode, language: str, notebook: str = "", course: bool = False
) -> None:
    """Drop cells of the other language, course-only cells (kept in teaching mode, ``course``),
    and stderr.

    Raises
    ------
    RenderError
        A cell shows an error it did not raise: the page would show it, or hide it.
    """
    other = {tag for tag in LANG_TAGS if tag != language} | (set() if course else {COURSE_TAG})
    cells = []
    for cell in nb.cells:
        if other & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "code":
            swallowed = _swallowed(cell)
            if swallowed:
                raise RenderError(swallowed, notebook, cell.get("execution_count"))
            cell.outputs = [
                out
                for out in cell.get("outputs", [])
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
        cells.append(cell)
    cells = _leave_out_sections(cells)
    for number, cell in enumerate(cells):  # stable ids: the same inputs give the same page
        cell["id"] = f"cell-{number}"
    nb.cells = cells


def _leave_out_sections(cells: list) -> list:
    """Cells without the sections whose only output stands for data that were not given (a
    table that ``leave_out``): a section runs from a Markdown cell that starts with a heading to
    the next one, so it leaves the page and the contents."""
    from kamlib.render.display import LEAVE_OUT

    sections: list[list] = [[]]
    for cell in cells:
        if cell.cell_type == "markdown" and "".join(cell.source).lstrip().startswith("#"):
            sections.append([])
        sections[-1].append(cell)

    def gone(section: list) -> bool:
        outputs = [out for c in section if c.cell_type == "code" for out in c.get("outputs", [])]
        return bool(outputs) and all(
            out.get("metadata", {}).get(LEAVE_OUT) is True for out in outputs
        )

    return [cell for section in sections if not gone(section) for cell in section]
