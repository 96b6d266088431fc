"""The kamfork papermill engine: isolation between notebooks, the stock engine's outputs, and
failures reported the way papermill reports them."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import nbformat
import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError

from kamlib.render.execute import RenderError, execute
from kamlib.render.execute import strip as _strip
from kamlib.render.pipeline import render
from tests.conftest import DEMO, GENERATED, PLANNED

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kamfork forks")


def notebook(path, *sources: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return str(path)


def run(path, out, **kwargs):
    return pm.execute_notebook(
        path, str(out), engine_name="kamfork", progress_bar=False, kernel_name="python3", **kwargs
    )


def test_a_notebook_never_sees_another_ones_state(tmp_path):
    start = os.getcwd()
    dirty = notebook(
        tmp_path / "dirty.ipynb",
        "import os, matplotlib as mpl\nleftover = 42\nos.environ['KAM_LEFTOVER'] = '1'\n"
        "os.chdir('/')\nmpl.rcParams['lines.linewidth'] = 9.5",
    )
    clean = notebook(
        tmp_path / "clean.ipynb",
        "import os, matplotlib as mpl\nprint('leftover' in globals(), "
        "os.environ.get('KAM_LEFTOVER'), mpl.rcParams['lines.linewidth'] == 9.5)",
        "print(os.getcwd())",
    )
    run(dirty, tmp_path / "dirty.out.ipynb")
    result = run(clean, tmp_path / "clean.out.ipynb", cwd=str(tmp_path))
    assert result.cells[0].outputs[0]["text"] == "False None False\n"
    assert result.cells[1].outputs[0]["text"] == f"{tmp_path}\n"
    assert os.getcwd() == start and "KAM_LEFTOVER" not in os.environ


def test_outputs_match_the_kernel(tmp_path):
    sources = (
        "print('out')",
        "1 + 1",
        "from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'))",
        "import sys\nprint('err', file=sys.stderr)",
    )
    path = notebook(tmp_path / "nb.ipynb", *sources)
    fork = run(path, tmp_path / "fork.ipynb")
    stock = pm.execute_notebook(
        path, str(tmp_path / "stock.ipynb"), progress_bar=False, kernel_name="python3"
    )
    for a, b in zip(fork.cells, stock.cells):
        assert [dict(o) for o in a.outputs] == [dict(o) for o in b.outputs]
        assert a.execution_count == b.execution_count


def test_a_failing_cell_is_reported_as_papermill_reports_it(tmp_path):
    path = notebook(tmp_path / "bad.ipynb", "x = 1", "raise ValueError('broken input')", "y = 2")
    with pytest.raises(PapermillExecutionError) as info:
        run(path, tmp_path / "bad.out.ipynb")
    assert (info.value.exec_count, info.value.ename, info.value.evalue) == (
        2,
        "ValueError",
        "broken input",
    )
    saved = nbformat.read(tmp_path / "bad.out.ipynb", as_version=4)
    code = [c for c in saved.cells if c.cell_type == "code"]
    assert code[2].outputs == [] and code[1].outputs[-1]["output_type"] == "error"
    # papermill's own note at the top, as for its stock engine
    assert "An Exception was encountered" in saved.cells[0].source


@pytest.mark.parametrize("engine", ["kamfork", "nbclient"])
def test_an_error_ipython_shows_and_goes_on_from_fails_the_render(tmp_path, engine):
    """A display formatter that raises: IPython prints the traceback and carries on; the page
    would show a traceback or hide a table, so the render fails, with either engine."""
    path = notebook(
        tmp_path / "shown.ipynb",
        "x = 1",
        "class T:\n    def _repr_html_(self):\n        raise ValueError('bad table')\nT()",
        "print('after')",
    )
    with pytest.raises(RenderError) as info:
        execute(path, {}, tmp_path / f"{engine}.ipynb", engine)
    assert (info.value.cell, info.value.cause) == (2, "ValueError: bad table")


def test_a_traceback_a_cell_printed_is_not_hidden_with_stderr():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "f()",
                execution_count=4,
                outputs=[
                    nbformat.v4.new_output(
                        "stream",
                        name="stderr",
                        text="\x1b[31mTraceback (most recent call last):\n  ...\n"
                        "KeyError: 'revenue'\x1b[39m\n",
                    )
                ],
            )
        ]
    )
    with pytest.raises(RenderError, match=r"plan.ipynb failed in cell 4: KeyError: 'revenue'"):
        _strip(nb, "zh", "plan.ipynb")
    quiet = nbformat.v4.new_output("stream", name="stderr", text="a warning\n")
    nb.cells[0].outputs = [quiet]
    _strip(nb, "zh", "plan.ipynb")
    assert nb.cells[0].outputs == []


def test_papermill_command_line_knows_the_engine(tmp_path):
    path = notebook(tmp_path / "nb.ipynb", "print(6 * 7)")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            "--engine",
            "kamfork",
            "-k",
            "python3",
            path,
            str(tmp_path / "out.ipynb"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert nbformat.read(tmp_path / "out.ipynb", 4).cells[0].outputs[0]["text"] == "42\n"


def test_the_demo_report_is_byte_identical_with_either_engine(demo, tmp_path):
    fast, _ = render(
        DEMO, tmp_path / "fast", engine="kamfork", accounts=",".join(PLANNED), generated=GENERATED
    )
    pages = sorted(p.relative_to(demo) for p in demo.rglob("*.html"))
    for page in [*pages, "results.json"]:
        assert (fast / page).read_bytes() == (demo / page).read_bytes(), page


def test_a_notebook_never_finalises_the_parents_garbage(tmp_path):
    """Garbage the parent has not collected yet (a batch worker's earlier renders) is the
    parent's: finalised in the forked child, native state invalid after a fork crashed it."""
    from kamlib.render.engine import run_forked

    marker = tmp_path / "finalised"

    class Cycle:
        def __init__(self):
            self.me = self

        def __del__(self):
            marker.write_text(str(os.getpid()))

    gc.disable()
    try:
        Cycle()  # unreachable at once, collected only by the cycle collector
        outputs = run_forked([{"source": "import gc\nprint(gc.collect() >= 0)"}])
    finally:
        gc.enable()
    assert outputs[0]["outputs"][0]["text"] == "True\n"
    assert not marker.exists()  # not finalised in the child
    gc.collect()
    assert marker.read_text() == str(os.getpid())  # the parent collects its own
