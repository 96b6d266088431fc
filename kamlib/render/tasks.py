"""The tasks of one render, each in a forked worker as soon as the tasks it needs are done, at
most ``jobs`` at once.

A worker is forked from the render's process after the engagement run, so it starts with every
result in memory (nothing is serialised on the way in) and sends back only its return value. It
dies with the render: a worker whose parent is gone is killed by the kernel (Linux), and an
interrupted render kills the workers it started. With one job, or where the OS cannot fork, the
tasks run one after the other in the render's own process.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import selectors
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Task:
    """``run(done)`` with the return values of the tasks done so far (picklable in, picklable
    out), once every task in ``needs`` is done. ``warm()``, when given, is called once in the
    runner's own process before the first task that names it starts (the imports every such
    worker would make, made once and shared): while the tasks already started run, before
    any of its tasks is ready, and only if one of its tasks is still to run."""

    run: Callable[[dict[str, Any]], Any]
    needs: tuple[str, ...] = ()
    warm: Callable[[], None] | None = None


def _warm(task: Task, warmed: list) -> None:
    if task.warm is not None and task.warm not in warmed:  # a bound method equals itself
        task.warm()
        warmed.append(task.warm)


class TaskError(Exception):
    """A task failed in a way that could not be sent back as its own exception."""


def die_with_parent(parent: int) -> None:
    """End this process (SIGKILL) when its parent ``parent`` ends, even by ``kill -9``: Linux's
    parent-death signal, set in a child just forked; at once when the parent is already gone."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _ready(tasks: dict[str, Task], done: dict[str, Any], warmed: list) -> list[str]:
    """The tasks whose needs are done, in the order given, those that need no warm-up still to
    be made first: they start while the runner warms up for the others."""
    ready = [name for name, task in tasks.items() if all(n in done for n in task.needs)]
    return sorted(ready, key=lambda n: tasks[n].warm is not None and tasks[n].warm not in warmed)


def run_tasks(
    tasks: dict[str, Task], jobs: int, done: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Run every task (in the order given, where their needs allow) and return what each
    returned, with ``done`` (values of tasks done before); the first failure stops the others
    and is raised."""
    done = dict(done or {})
    for name, task in tasks.items():
        unknown = [n for n in task.needs if n not in tasks and n not in done]
        if unknown:
            raise ValueError(f"task {name} needs unknown tasks: {unknown}")
    if jobs <= 1 or not hasattr(os, "fork"):
        return _serial(tasks, done)
    return _forked(tasks, jobs, done)


def _timed(name: str, started: float) -> None:
    """With ``KAM_TIMINGS`` set, each task's wall time on stderr, and when it started and ended
    (seconds since the renderer was imported: a timeline of the render, to profile it)."""
    if os.environ.get("KAM_TIMINGS"):
        now = time.perf_counter()
        span = f"{started - _IMPORTED:.2f}-{now - _IMPORTED:.2f}"
        print(f"kam-timing {name} {now - started:.3f} ({span})", file=sys.stderr)


_IMPORTED = time.perf_counter()  # a monotonic clock: the same in the forked workers


def _serial(tasks: dict[str, Task], done: dict[str, Any]) -> dict[str, Any]:
    pending, warmed = dict(tasks), []
    while pending:
        ready = _ready(pending, done, warmed)
        if not ready:
            raise ValueError(f"tasks need each other: {sorted(pending)}")
        started = time.perf_counter()
        task = pending.pop(ready[0])
        _warm(task, warmed)
        done[ready[0]] = task.run(done)
        _timed(ready[0], started)
    return done


def _child(name: str, task: Task, done: dict[str, Any], write: int, parent: int) -> None:
    """The worker: run, send the outcome, and always leave by ``os._exit``."""
    code = 1
    gc.freeze()  # the parent's objects are the parent's: never finalised in the child
    try:
        die_with_parent(parent)
        started = time.perf_counter()
        try:
            outcome: tuple = ("ok", task.run(done))
            _timed(name, started)
        except BaseException as exc:  # sent as its class, args and fields: any exception
            # of kam's comes back as raised, whatever its constructor takes
            trace = "".join(traceback.format_exception(exc))
            args = exc.args
            if isinstance(exc, OSError) and exc.filename is not None:  # not among its args
                args = (exc.errno, exc.strerror, exc.filename)
            outcome = ("error", type(exc), args, vars(exc), trace)
        try:
            payload = pickle.dumps(outcome)
        except Exception:
            payload = pickle.dumps(("error", TaskError, (str(outcome[-1])[-2000:],), {}, ""))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _revived(kind: type, args: tuple, fields: dict) -> BaseException:
    """The exception a worker raised, rebuilt without calling its constructor (an OSError's
    number and file name are set by its own, so it is called)."""
    if issubclass(kind, OSError):
        error = kind(*args)
        error.__dict__.update(fields)
        return error
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(fields)
    return error


def _forked(tasks: dict[str, Task], jobs: int, done: dict[str, Any]) -> dict[str, Any]:
    pending, warmed = dict(tasks), []
    running: dict[int, tuple[str, int, bytearray]] = {}  # fd -> (task, pid, payload so far)
    selector = selectors.DefaultSelector()
    try:
        while pending or running:
            for name in _ready(pending, done, warmed)[: max(jobs - len(running), 0)]:
                task = pending.pop(name)
                _warm(task, warmed)
                read, write = os.pipe()
                parent = os.getpid()
                pid = os.fork()
                if pid == 0:
                    os.close(read)
                    _child(name, task, done, write, parent)
                os.close(write)
                running[read] = (name, pid, bytearray())
                selector.register(read, selectors.EVENT_READ)
            if not running:
                raise ValueError(f"tasks need each other: {sorted(pending)}")
            ahead = [t for t in pending.values() if t.warm is not None and t.warm not in warmed]
            events = selector.select(0 if ahead else None)
            if not events:  # while the workers work: the warm-up of a task still to come
                _warm(ahead[0], warmed)
                continue
            for key, _ in events:
                fd = key.fd
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    running[fd][2].extend(chunk)
                    continue
                selector.unregister(fd)
                os.close(fd)
                name, pid, payload = running.pop(fd)
                _, status = os.waitpid(pid, 0)
                if not payload:
                    raise TaskError(f"{name}: the worker ended without a result (status {status})")
                outcome = pickle.loads(bytes(payload))
                if outcome[0] == "error":
                    raise _revived(*outcome[1:4])
                done[name] = outcome[1]
    finally:
        for fd, (_name, pid, _payload) in running.items():
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            os.close(fd)
        selector.close()
    return done
