"""The ``kam`` command: ``new``, ``validate`` and ``render`` an engagement."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import warnings
from pathlib import Path

from kamlib.core.errors import KamError

# nbformat imports jsonschema, which imports the optional rfc3987-syntax when it is installed
# (jupyter-events pulls it in for JupyterLab); that module compiles 38 grammars at import, about
# 2 s of every kam command. No schema kam validates checks IRIs, so the kam process goes without.
sys.modules.setdefault("rfc3987_syntax", None)

NEW = Path(__file__).resolve().parent / "templates" / "new"
EXIT_INPUT = 1
EXIT_RENDER = 3
FORMAT_HELP = (
    "what to write, comma-separated: html, xlsx (report.xlsx and tables/*.csv), pptx "
    "(report.pptx, the slide deck), charts (charts/*.png, *.svg), pdf, or all "
    "(default: html,xlsx,pptx)"
)


def _new(args: argparse.Namespace) -> int:
    target = Path(args.engagement)
    if target.exists() and any(target.iterdir()):
        raise KamError(target, "a new or empty folder", "a folder with files in it")
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(NEW.glob(f"*.{args.language}.*")):
        base, _, suffix = source.name.split(".")
        shutil.copyfile(source, target / f"{base}.{suffix}")
    made = ", ".join(sorted(p.name for p in target.iterdir()))
    print(f"created {target}: {made}")
    print(f"next: edit them, then run `kam validate {target}` and `kam render {target}`")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kamlib.render.pipeline import validate_engagement

    eng, run = validate_engagement(args.engagement)
    names = ", ".join(a.key for a in run.analyses)
    notes = run.notes()
    print(f"{eng.path}: valid; analyses: {names}; warnings: {len(notes)}")
    for kind, reading in eng.readings.items():
        for line in _reading_lines(reading, run.words, _template_headers(kind)):
            print(line)
    for note in notes:
        print(f"  warning: {note.text(run.words)}")
    return 0


def _template_headers(kind: str) -> set[str]:
    """The headers of ``kam new``'s templates of a data file, in both languages."""
    headers: set[str] = set()
    for template in NEW.glob(f"{kind}.*.csv"):
        with template.open(encoding="utf-8-sig") as handle:
            headers.update(handle.readline().strip().split(","))
    return headers


def _reading_lines(reading, words, template: set[str] = frozenset()) -> list[str]:
    """How one data file was read: its sheet, header row and the headers read as other columns
    (a template's own headers go unsaid)."""
    key = "read_file" if reading.sheet is None else "read_sheet"
    pairs = [f"{h} → {column}" for h, column in reading.renamed if h not in template]
    pairs = pairs or [words("read_as_template")]
    file = reading.file.name
    lines = [words(key, file=file, sheet=reading.sheet, row=reading.header_row, columns=pairs)]
    if reading.other_sheets:
        lines.append("  " + words("read_other_sheets", others=reading.other_sheets))
    lines += ["  " + words("read_ignored", header=header) for header in reading.ignored]
    return [f"  {line}" for line in lines]


def _render(args: argparse.Namespace) -> int:
    from kamlib.render.pipeline import render, reused_line, written

    _check_engine(args.engine)
    reused: dict = {}
    target, _ = render(
        args.engagement,
        args.out,
        args.engine,
        accounts=args.accounts,
        pdf=args.pdf,
        force=args.force,
        confirm=_confirm(args.yes),
        formats=args.format,
        course=args.course,
        jobs=args.jobs,
        fresh=args.fresh,
        reused=reused,
    )
    print(f"rendered {written(target)} into {target}")
    if any(reused.values()):
        print(f"reused from the previous report: {reused_line(reused)}")
    opened = next(
        (target / n for n in ("index.html", "report.pdf", "report.xlsx") if (target / n).exists()),
        None,
    )
    if opened:
        print(f"open {opened}")
    return 0


def _preview(args: argparse.Namespace) -> int:
    from kamlib.render.preview import serve

    _check_engine(args.engine)
    options = {
        "engine": args.engine,
        "accounts": args.accounts,
        "confirm": _confirm(args.yes),
        "formats": args.format,
        "jobs": args.jobs,
        "force": args.force,
    }
    try:
        serve(args.engagement, args.out, args.address, args.port, options, _said)
    except KeyboardInterrupt:
        print("kam preview: stopped")
    return 0


def _said(line: str) -> None:
    print(line, flush=True)


def _course(args: argparse.Namespace) -> int:
    from kamlib.course import build_course

    target = build_course(args.folder, args.language, pdf=True if args.pdf else None)
    print(f"wrote the course pack into {target}: nbgrader_config.py, source/, handouts/")
    print(f"next: cd {target} && nbgrader generate_assignment industry_selection")
    return 0


def _batch(args: argparse.Namespace) -> int:
    from kamlib.render.batch import make_jobs, run_batch, summary
    from kamlib.render.pipeline import parse_formats

    _check_engine(args.engine)
    parse_formats(args.format)  # one message, not one per engagement
    jobs = make_jobs(
        args.engagements,
        args.out,
        engine=args.engine,
        accounts=args.accounts,
        pdf=args.pdf,
        force=args.force,
        yes=args.yes,
        formats=args.format,
    )
    outcomes = run_batch(jobs, args.jobs, args.scheduler)
    print(summary(outcomes))
    return 0 if all(o.status != "failed" for o in outcomes) else EXIT_INPUT


def _confirm(yes: bool):
    """Many account plans: yes with ``--yes``; else ask on a terminal; else no (the error says
    how to go on)."""

    def ask(count: int) -> bool:
        if yes:
            return True
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            return False
        print(f"kam: render {count} account plans? [y/N] ", end="", file=sys.stderr, flush=True)
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    return ask


def _check_engine(engine: str | None) -> None:
    from importlib.metadata import entry_points

    if engine is None:
        return
    known = sorted({"nbclient", *(e.name for e in entry_points(group="papermill.engine"))})
    if engine not in known:
        raise KamError("--engine", f"one of {', '.join(known)}", f'"{engine}"')


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kam", description="Key account management analyses: engagement folder → report."
    )
    sub = p.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="scaffold an engagement folder with data templates")
    new.add_argument("engagement", help="folder to create")
    new.add_argument(
        "--language",
        choices=("zh", "en"),
        default="zh",
        help="language of the headers, comments and report (default zh)",
    )
    new.set_defaults(run=_new)
    val = sub.add_parser("validate", help="check engagement.yaml and every data file")
    val.add_argument("engagement", help="engagement folder")
    val.set_defaults(run=_validate)
    # what a render is asked for, the same for kam render and kam preview
    made = argparse.ArgumentParser(add_help=False)
    made.add_argument("engagement", help="engagement folder")
    made.add_argument("--out", help="output folder (default: reports/<engagement folder name>)")
    made.add_argument(
        "--engine", help="papermill engine (default: kamfork on POSIX, else nbclient)"
    )
    made.add_argument(
        "--accounts",
        metavar="key|all|ID,...",
        help="also render one account plan per account into accounts/",
    )
    made.add_argument("--format", metavar="LIST", help=FORMAT_HELP)
    made.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not a kam report (files of the same name are replaced)",
    )
    made.add_argument("--yes", action="store_true", help="render any number of account plans")
    made.add_argument(
        "--jobs", type=int, default=None, help="outputs made at once (default: the core count)"
    )
    ren = sub.add_parser(
        "render", parents=[made], help="execute the notebooks and write the HTML report"
    )
    ren.add_argument(
        "--pdf", action="store_true", help="also print every page to PDF with headless Chromium"
    )
    ren.add_argument(
        "--course", action="store_true", help="teaching mode: keep the notebooks' course cells"
    )
    ren.add_argument(
        "--fresh", action="store_true", help="recompute everything, reusing nothing kept"
    )
    ren.set_defaults(run=_render)
    pre = sub.add_parser(
        "preview",
        parents=[made],
        help="serve the report on this machine and render again on every save",
    )
    pre.add_argument(
        "--address",
        default="127.0.0.1",
        help="127.0.0.1 (default), localhost or ::1: this machine only",
    )
    pre.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    pre.set_defaults(run=_preview)
    crs = sub.add_parser("course", help="write the trainers' course pack (nbgrader) and handouts")
    crs.add_argument("folder", help="course folder to write (nbgrader's course directory)")
    crs.add_argument(
        "--language", choices=("zh", "en"), default="zh", help="language of the course (default zh)"
    )
    crs.add_argument(
        "--pdf", action="store_true", help="require the handouts' PDFs (default: when Chromium is)"
    )
    crs.set_defaults(run=_course)
    bat = sub.add_parser("batch", help="render many engagements in parallel, skipping unchanged")
    bat.add_argument("engagements", nargs="+", help="engagement folders")
    bat.add_argument("--out", default="reports", help="root folder (default: reports)")
    bat.add_argument("--jobs", type=int, default=None, help="workers (default: the core count)")
    bat.add_argument("--engine", help="papermill engine (default: kamfork on POSIX, else nbclient)")
    bat.add_argument("--accounts", metavar="key|all|ID,...", help="also render account plans")
    bat.add_argument("--pdf", action="store_true", help="also print every page to PDF")
    bat.add_argument(
        "--format",
        metavar="LIST",
        help=FORMAT_HELP,
    )
    bat.add_argument(
        "--force",
        action="store_true",
        help="render even what has not changed, reusing nothing kept",
    )
    bat.add_argument("--yes", action="store_true", help="render any number of account plans")
    bat.add_argument(
        "--scheduler", metavar="ADDRESS", help="send the work to the Dask cluster at ADDRESS"
    )
    bat.set_defaults(run=_batch)
    return p


class Terminated(BaseException):
    """SIGTERM, raised where the process is, so that every ``finally`` and cleanup runs."""


def _terminate(signum, frame) -> None:
    raise Terminated


def _unraisable(hook):
    """Python drops an exception raised inside a finalizer or a callback ("Exception ignored
    in ..."): a SIGTERM that lands there would be lost and the render carry on. Such a
    Terminated sends the signal again a moment later (a handler run inside this hook would be
    dropped too), to land where the render is."""
    import threading

    def report(unraisable) -> None:
        if isinstance(unraisable.exc_value, Terminated):
            again = threading.Timer(0.05, os.kill, (os.getpid(), signal.SIGTERM))
            again.daemon = True
            again.start()
            return
        hook(unraisable)

    return report


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from kamlib.render.execute import RenderError

    # IPython (imported to run the notebooks) warns when the shell's VIRTUAL_ENV is another
    # environment than kam's: no concern of the user's, and a command says one line
    warnings.filterwarnings("ignore", message="Attempting to work in a virtualenv")

    previous = signal.signal(signal.SIGTERM, _terminate)
    sys.unraisablehook = _unraisable(sys.unraisablehook)
    try:
        return args.run(args)
    except Terminated:
        print("kam: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except BrokenPipeError:  # the reader went away (`kam validate acme | head -1`): say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except KamError as exc:
        print(f"kam: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except RenderError as exc:
        print(f"kam: render failed: {exc}", file=sys.stderr)
        return EXIT_RENDER
    except KeyboardInterrupt:
        print("kam: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not a user mistake: one line unless asked for more
        if os.environ.get("KAM_DEBUG"):
            raise
        print(
            f"kam: internal error: {type(exc).__name__}: {exc} (set KAM_DEBUG=1 for the traceback)",
            file=sys.stderr,
        )
        return 4
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
