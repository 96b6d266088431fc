"""``kamfork``: a papermill engine running each notebook in a forked child of a warm process.

The heavy imports (pandas, matplotlib, seaborn, IPython, kamlib) happen once, in the parent. Every
notebook then runs in a child forked from it, in an in-process IPython shell: it starts from the
parent's clean state and nothing it does (globals, working directory, environment, matplotlib
settings) outlives it. The child sends the executed cells back through a pipe; outputs are those
of a kernel (streams, display data, execute results, errors), so papermill reports a failing
cell exactly as it does for its stock engine.

Registered under the ``papermill.engine`` entry point, so ``papermill --engine kamfork`` works too.
POSIX only (it forks).
"""

from __future__ import annotations

import gc
import io
import json
import os
import signal
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout

import nbformat

from kamlib.render.tasks import die_with_parent

WARM = (
    "pandas",
    "numpy",
    "matplotlib.pyplot",
    "seaborn",
    "IPython",
    "matplotlib_inline",
    "kamlib",
    "kamlib.core.charts",
    "kamlib.analyses.industry.charts",
    "kamlib.analyses.segmentation.charts",
    "kamlib.analyses.competitors.charts",
    "kamlib.analyses.accounts.view",
    "pyarrow.parquet",
    "duckdb",
)


def warm() -> None:
    """Import what every notebook needs, once, in the parent."""
    import importlib

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in WARM:
        importlib.import_module(name)


def _shell():
    """A fresh in-process IPython shell whose outputs are collected rather than printed."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    outputs: list[dict] = []

    class Publisher(DisplayPublisher):
        def publish(
            self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs
        ):
            outputs.append(
                nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})
            )

        def clear_output(self, wait=False):
            outputs.clear()

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            outputs.append(
                nbformat.v4.new_output(
                    "execute_result",
                    data=format_dict,
                    metadata=md_dict or {},
                    execution_count=self.shell.execution_count,
                )
            )

        def finish_displayhook(self):
            pass

    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # parallel children must not share a history file
    shell = InteractiveShell.instance(config=config, displayhook_class=Hook)
    shell.display_pub = Publisher(shell=shell)
    shell.displayhook = Hook(shell=shell)
    from IPython.core.pylabtools import activate_matplotlib
    from matplotlib_inline.backend_inline import configure_inline_support

    backend = "module://matplotlib_inline.backend_inline"
    activate_matplotlib(backend)  # what %matplotlib inline does in a kernel
    configure_inline_support(shell, backend)
    shown: list[BaseException] = []  # tracebacks IPython shows and goes on (a display formatter
    # that raised): an error of the cell, as a kernel reports it to papermill
    show = shell.showtraceback

    def showtraceback(exc_tuple=None, *args, **kwargs):
        error = (exc_tuple or sys.exc_info())[1]
        if error is not None:
            shown.append(error)
        return show(exc_tuple, *args, **kwargs)

    shell.showtraceback = showtraceback
    return shell, outputs, shown


def _run(cells: list[dict]) -> list[dict]:
    """Execute code cells in order in this process; stop at the first error."""
    shell, outputs, shown = _shell()
    results = []
    for cell in cells:
        outputs.clear()
        shown.clear()
        count = shell.execution_count
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            result = shell.run_cell(cell["source"], store_history=True)
        for output in outputs:
            if output["output_type"] == "execute_result":
                output["execution_count"] = count
        streams = [
            nbformat.v4.new_output("stream", name=name, text=text)
            for name, text in (("stdout", out.getvalue()), ("stderr", err.getvalue()))
            if text
        ]
        cell_outputs = streams + list(outputs)
        error = result.error_in_exec or result.error_before_exec or (shown[0] if shown else None)
        if error is not None:
            cell_outputs.append(
                nbformat.v4.new_output(
                    "error",
                    ename=type(error).__name__,
                    evalue=str(error),
                    traceback=traceback.format_exception(type(error), error, error.__traceback__),
                )
            )
        results.append(
            {
                "outputs": cell_outputs,
                "execution_count": shell.execution_count - 1,
                "failed": error is not None,
            }
        )
        if error is not None:
            break
    return results


def run_forked(cells: list[dict]) -> list[dict]:
    """Run ``cells`` in a forked child and return what each produced."""
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: run, report, and always leave by os._exit, never by the parent's
        code = 1  # code (whatever happens here, even the parent gone and the pipe broken)
        die_with_parent(parent)
        # the parent's objects are the parent's: the child's collector never finalises them
        # (garbage of a long-lived process, e.g. a batch worker's earlier renders, can hold
        # native state that is invalid after a fork; collected here it crashed the child)
        gc.freeze()
        try:
            os.close(read)
            try:
                payload = json.dumps(_run(cells)).encode("utf-8")
                code = 0
            except BaseException as exc:  # report even what kills the executor itself
                payload = json.dumps({"crash": "".join(traceback.format_exception(exc))}).encode()
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
            sys.stdout.flush()
        finally:
            os._exit(code)
    os.close(write)
    try:
        with os.fdopen(read, "rb") as pipe:
            payload = pipe.read()
    except BaseException:  # interrupted or terminated: the child goes too
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if not payload:
        raise RuntimeError(f"the notebook process ended without a result (status {status})")
    data = json.loads(payload)
    if isinstance(data, dict) and "crash" in data:
        raise RuntimeError(f"the notebook process failed: {data['crash']}")
    return data


class ForkEngine:
    """papermill engine: each notebook in a forked child of a pre-warmed process.

    papermill's registry needs only ``execute_notebook``; not subclassing its ``Engine`` keeps
    papermill out of this module's imports, which its entry-point loading would otherwise make
    circular (papermill loads this module while importing itself).
    """

    @classmethod
    def execute_notebook(
        cls,
        nb,
        kernel_name,
        output_path=None,
        progress_bar=True,
        log_output=False,
        autosave_cell_every=30,
        **kwargs,
    ):
        from papermill.engines import NotebookExecutionManager

        nb_man = NotebookExecutionManager(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def nb_kernel_name(cls, nb, name=None):
        from papermill.utils import nb_kernel_name

        return nb_kernel_name(nb, name)

    @classmethod
    def nb_language(cls, nb, language=None):
        from papermill.utils import nb_language

        return nb_language(nb, language)

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        warm()
        code = [(i, cell) for i, cell in enumerate(nb_man.nb.cells) if cell.cell_type == "code"]
        results = run_forked([{"source": cell.source} for _, cell in code])
        for _, cell in code:  # cells after a failure stay as the stock engine leaves them
            cell.outputs = []
            cell.execution_count = None
        # every cell has run already: papermill's bookkeeping per cell, but one save at the end
        # (notebook_complete) instead of rewriting the whole notebook after every cell
        save, nb_man.save = nb_man.save, lambda **kwargs: None
        try:
            for (index, cell), result in zip(code, results):
                nb_man.cell_start(cell, index)
                cell.outputs = [nbformat.from_dict(o) for o in result["outputs"]]
                cell.execution_count = result["execution_count"]
                if result["failed"]:
                    nb_man.cell_exception(cell, index)
                    break
                nb_man.cell_complete(cell, index)
        finally:
            nb_man.save = save
        return nb_man.nb
