"""Batch rendering: many engagements (and their account plans) with N workers or on a Dask cluster;
one failure never stops the others, and a batch run again skips what has not changed."""

from __future__ import annotations

import concurrent.futures as futures
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from kamlib.core.commentary import FILE as COMMENTARY
from kamlib.core.config import load_engagement
from kamlib.core.digest import feed
from kamlib.core.errors import KamError
from kamlib.core.io import TABLES
from kamlib.render.output import PARTIAL, REPORT, failed_folder, read_stamp, writing
from kamlib.render.tasks import die_with_parent

PACKAGE = Path(__file__).resolve().parent.parent
RETRIES = 1  # a kernel or worker that fails to start is tried once more


@dataclass(frozen=True)
class Job:
    """One engagement to render into ``out``."""

    folder: str
    out: str
    engine: str | None = None
    accounts: str | None = None
    pdf: bool = False
    force: bool = False
    yes: bool = False
    formats: str | None = None

    @property
    def name(self) -> str:
        return Path(self.folder).name


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # done, skipped or failed
    cause: str = ""
    partial: str = ""
    seconds: float = 0.0


def fingerprint(job: Job) -> str:
    """A digest of everything a report depends on: the files the engagement uses (its yaml,
    commentary, each data file it reads, the logo; nothing else in the folder, nothing a link
    leads to outside it), kamlib's code and templates, the notebooks, and the options that change
    the output. Files are read in chunks."""
    eng = load_engagement(job.folder)
    used = [eng.config_file, eng.path / COMMENTARY, *map(eng.data_file, TABLES), eng.branding.logo]
    files = [("eng", eng.path, p) for p in dict.fromkeys(used) if p is not None and p.is_file()]
    code = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    digest = hashlib.sha256()
    for label, root, path in files + [("kamlib", PACKAGE, p) for p in code]:
        digest.update(f"{label}/{path.relative_to(root)}\0{path.stat().st_size}\0".encode())
        feed(digest, path, root if label == "eng" else None)
    digest.update(json.dumps([job.accounts, job.pdf, job.formats]).encode())
    return digest.hexdigest()


def _transient(exc: BaseException) -> bool:
    """Failures of the machinery, not of the engagement: worth one more try."""
    text = f"{type(exc).__name__}: {exc}".lower()
    return isinstance(exc, TimeoutError | ConnectionError) or any(
        word in text for word in ("kernel died", "kernel didn't respond", "timed out", "zmq")
    )


WANTED = {"html": "index.html", "xlsx": "report.xlsx", "pptx": "report.pptx", "pdf": "report.pdf"}


def current(out: Path, digest: str, wanted: list[str]) -> bool:
    """Whether the report in ``out`` may be skipped: made from the same inputs (``digest``),
    not marked out of date, holding every file it lists and the ``wanted`` ones (one per format),
    and no failed render of it since (no partial output of kam's in ``<out>.failed``)."""
    stamp = read_stamp(out)
    if not stamp or stamp["kam"] != REPORT or stamp.get("stale") or stamp.get("digest") != digest:
        return False
    files = stamp.get("files", [])
    return (
        all(name in files for name in wanted)
        and all((out / name).exists() for name in files)
        and (read_stamp(failed_folder(out)) or {}).get("kam") != PARTIAL
    )


def run_job(job: Job) -> Outcome:
    """Render one engagement unless its report is current; never raises."""
    from kamlib.render.execute import RenderError
    from kamlib.render.pipeline import parse_formats, render

    start = time.perf_counter()
    out = Path(job.out)
    try:
        digest = fingerprint(job)
        wanted = [WANTED[f] for f in parse_formats(job.formats, job.pdf) if f in WANTED]
        with writing(out):  # the one writer: what it reads of the folder stays true
            if not job.force and current(out, digest, wanted):
                return Outcome(job.name, "skipped", seconds=time.perf_counter() - start)
            confirm = (lambda count: True) if job.yes else None
            for attempt in range(RETRIES + 1):
                try:
                    render(
                        job.folder,
                        out,
                        job.engine,
                        accounts=job.accounts,
                        pdf=job.pdf,
                        confirm=confirm,
                        stamp={"digest": digest},
                        formats=job.formats,
                        fresh=job.force,
                        jobs=1,  # the batch's workers are the parallelism: one task at a time each
                    )
                    break
                except (KamError, RenderError):
                    raise
                except Exception as exc:
                    if attempt == RETRIES or not _transient(exc):
                        raise
        return Outcome(job.name, "done", seconds=time.perf_counter() - start)
    except KamError as exc:
        return Outcome(job.name, "failed", str(exc), seconds=time.perf_counter() - start)
    except RenderError as exc:
        return _failed(job.name, exc.where + exc.cause, out, start)
    except Exception as exc:  # a bug or the machine: still only this engagement fails
        return _failed(job.name, f"{type(exc).__name__}: {exc}".splitlines()[0], out, start)


def _failed(name: str, cause: str, out: Path, start: float) -> Outcome:
    """A failed render's outcome: where its partial output is kept, and whether the previous
    report is there, marked out of date."""
    partial = failed_folder(out)
    kept = read_stamp(partial) if partial.is_dir() else None
    if (read_stamp(out) or {}).get("stale"):
        cause += f"; the previous report in {out} is marked out of date"
    return Outcome(
        name,
        "failed",
        cause,
        str(partial) if kept and kept["kam"] == PARTIAL else "",
        time.perf_counter() - start,
    )


def _absolute(job: Job) -> Job:
    return replace(job, folder=os.path.abspath(job.folder), out=os.path.abspath(job.out))


def _progress(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="report", file=sys.stderr, disable=not sys.stderr.isatty())


def run_batch(
    jobs: list[Job], workers: int | None = None, scheduler: str | None = None
) -> list[Outcome]:
    """Run ``jobs`` on ``workers`` local processes (default: the core count), or on the Dask
    cluster at ``scheduler``; outcomes in the order of ``jobs``."""
    results: dict[int, Outcome] = {}
    bar = _progress(len(jobs))
    try:
        if scheduler:
            from distributed import Client, as_completed

            with Client(scheduler) as client:  # paths as this process means them
                submitted = {
                    client.submit(run_job, _absolute(job), pure=False): i
                    for i, job in enumerate(jobs)
                }
                for future in as_completed(submitted):
                    results[submitted[future]] = future.result()
                    bar.update()
        elif (workers or os.cpu_count() or 1) == 1 or len(jobs) == 1:
            for i, job in enumerate(jobs):
                results[i] = run_job(job)
                bar.update()
        else:
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            with futures.ProcessPoolExecutor(
                workers or os.cpu_count(),
                mp_context=context,
                initializer=die_with_parent,  # no worker outlives the batch, even by kill -9
                initargs=(os.getpid(),),
            ) as pool:
                submitted = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
                try:
                    for future in futures.as_completed(submitted):
                        index = submitted[future]
                        try:
                            results[index] = future.result()
                        except Exception as exc:  # the worker itself died
                            results[index] = Outcome(
                                jobs[index].name,
                                "failed",
                                f"worker failed: {type(exc).__name__}: {exc}",
                            )
                        bar.update()
                except BaseException:  # interrupted: no new work; the workers stop and clean up
                    pool.shutdown(wait=False, cancel_futures=True)
                    for process in list((pool._processes or {}).values()):
                        process.terminate()
                    raise
    finally:
        bar.close()
    return [results[i] for i in range(len(jobs))]


def make_jobs(folders: Iterable[str], root: str, **options) -> list[Job]:
    """One job per engagement folder, into ``root/<folder name>``, with absolute paths (a Dask
    worker has a working folder of its own). Two folders of the same name would overwrite each
    other's report, and a report inside an engagement folder would change the engagement it is
    made from (it would never be current): both are refused."""
    out = Path(os.path.abspath(root))
    jobs = []
    for folder in map(os.path.abspath, folders):
        if out.resolve().is_relative_to(Path(folder).resolve()):
            raise KamError(
                "--out", "a folder outside every engagement folder", f"{root} inside {folder}"
            )
        jobs.append(Job(folder, str(out / Path(folder).name), **options))
    seen: dict[str, str] = {}
    for job in jobs:
        if job.name in seen:
            raise KamError(
                job.folder,
                "engagement folders with different names",
                f'a second "{job.name}" (also {seen[job.name]})',
            )
        seen[job.name] = job.folder
    return jobs


def summary(outcomes: list[Outcome]) -> str:
    """Counts, then one line per failure with its cause and where its partial output is."""
    counts = {s: sum(o.status == s for o in outcomes) for s in ("done", "skipped", "failed")}
    lines = [f"done {counts['done']}, skipped {counts['skipped']}, failed {counts['failed']}"]
    for o in outcomes:
        if o.status == "failed":
            where = f" (partial output: {o.partial})" if o.partial else ""
            lines.append(f"failed {o.name}: {o.cause}{where}")
    return "\n".join(lines)
