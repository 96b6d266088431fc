"""The report folder: kam writes only what it made, one writer at a time, never moves a file of
the user's, and refuses rather than guesses.

A report folder carries ``.kam-stamp``, a JSON manifest of every file kam wrote into it. A render
takes the folder's lock (``.<name>.kam-lock`` beside it, see :func:`acquire`), builds the whole
report in a hidden scratch folder beside the target, then moves its files into the target one by
one (:func:`install`): the files of the previous report that the manifest lists are replaced or
removed, anything else in the folder stays where the user put it; the target itself is never
renamed, so it may be a mount point. The install's plan is written first, and a run killed at any
moment is completed by the next one before it does anything else (:func:`recover`). A folder kam
did not make (no stamp) and that is not empty is refused unless ``force``. A failed render keeps
its partial output in ``<target>.failed``.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path, PurePosixPath

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock
    fcntl = None

from kamlib.core.errors import KamError

STAMP = ".kam-stamp"
REPORT, SCRATCH, PARTIAL = "report", "scratch", "partial"
INSTALL = "install"  # a scratch folder whose report is being moved into its target


def read_stamp(folder: Path) -> dict | None:
    """The stamp of a folder kam wrote, or None (no stamp, or not one of kam's)."""
    try:
        data = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kam") not in (REPORT, SCRATCH, PARTIAL, INSTALL):
        return None
    return data


def write_stamp(folder: Path, kind: str, **fields) -> None:
    """Write the stamp in one step (a temporary file renamed over it)."""
    temporary = folder / f"{STAMP}.tmp"
    temporary.write_text(
        json.dumps({"kam": kind, **fields}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    os.replace(temporary, folder / STAMP)


def _entries(folder: Path) -> list[str]:
    """Every file, symlink and empty folder under ``folder``, as relative POSIX paths."""
    found = []
    for root, dirs, files in os.walk(folder):
        base = Path(root)
        links = [d for d in dirs if (base / d).is_symlink()]
        dirs[:] = [d for d in dirs if d not in links]
        for name in [*files, *links]:
            found.append((base / name).relative_to(folder).as_posix())
        if not dirs and not files and not links and base != folder:
            found.append(base.relative_to(folder).as_posix() + "/")
    return sorted(found)


def _leftovers(target: Path) -> list[Path]:
    """The hidden folders runs for ``target`` make beside it: ``.<name>-kam-*`` (scratch) and, of
    kam versions before the in-place install, ``.<name>-old-*``."""
    name = re.compile(re.escape(f".{target.name}-") + r"(kam|old)-[a-z0-9_]{8}")
    return sorted(
        p
        for p in target.parent.glob(f".{glob.escape(target.name)}-*")
        if name.fullmatch(p.name) and p.is_dir() and not p.is_symlink()
    )


def _scratch_prefix(target: Path) -> str:
    return f".{target.name}-kam-"


LOCK_WAIT = 5.0  # seconds a second writer of a report folder waits before it gives up
_held: dict[Path, list] = {}  # report folders this process writes: [lock's fd, depth, folders made]
on_step = None  # test-only: called with "journal", "stamp", "move" and "done" during install


def _step(name: str) -> None:
    if on_step is not None:
        on_step(name)


def _lock_file(target: Path) -> Path:
    return target.parent / f".{target.name}.kam-lock"


def _cannot_write(folder: Path, exc: OSError) -> KamError:
    found = f"{exc.strerror or exc} at {exc.filename}" if exc.filename else str(exc)
    return KamError(folder, "a folder kam can write to", found)


def acquire(target: Path) -> None:
    """Take the one-writer lock of the report folder ``target`` (re-entrant in a process): an
    ``flock`` on ``.<name>.kam-lock`` beside it, which the system drops when the process ends,
    however it ends. A newly taken lock first completes or clears what a killed run left (see
    :func:`recover`).

    Raises
    ------
    KamError
        Another process still holds the lock after ``LOCK_WAIT`` seconds.
    """
    target = Path(target).resolve()
    if target in _held:
        _held[target][1] += 1
        return
    made = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    path = _lock_file(target)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _cannot_write(target.parent, exc) from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 20, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            if time.monotonic() >= deadline:
                raise KamError(
                    target,
                    "a report folder no other kam is writing (let it finish, or choose another "
                    "--out)",
                    f"it is being written by process {holder} (waited {LOCK_WAIT:g} s)",
                ) from None
            time.sleep(0.05)
            continue
        try:  # the holder removes the file when it lets go: a lock on a removed file is none
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    _held[target] = [fd, 1, made]
    try:
        recover(target)
    except BaseException:
        release(target)
        raise


def release(target: Path) -> None:
    """Let go of the lock :func:`acquire` took (the outermost release removes the lock file, and
    the folders it made for it when no report came of it)."""
    target = Path(target).resolve()
    held = _held.get(target)
    if held is None:
        return
    held[1] -= 1
    if held[1]:
        return
    del _held[target]
    _lock_file(target).unlink(missing_ok=True)
    os.close(held[0])
    for folder in held[2] if not target.exists() else ():
        try:
            folder.rmdir()
        except OSError:
            break


@contextlib.contextmanager
def writing(target: Path):
    """Hold the one-writer lock of ``target`` for the block (see :func:`acquire`)."""
    acquire(target)
    try:
        yield
    finally:
        release(target)


def recover(target: Path) -> None:
    """What killed runs for ``target`` left beside it, put right (the caller holds the lock, so
    no other run is using them): an install that was under way is completed, a scratch folder is
    removed, and a whole report of an earlier kam version's interrupted swap becomes ``target``
    again or gives the user's files back to it. A user's file whose name is taken in ``target``
    stays, with its folder, in the visible ``<name>.recovered-*``; none is deleted."""
    for folder in _leftovers(target):
        stamp = read_stamp(folder)
        kind = stamp["kam"] if stamp else None
        if kind == INSTALL:
            _finish(folder, target)
        elif kind == SCRATCH:
            shutil.rmtree(folder)
        elif kind == REPORT and "-kam-" in folder.name and not target.exists():
            os.replace(folder, target)
        elif kind == REPORT:
            listed = {*stamp.get("files", []), STAMP}
            target.mkdir(exist_ok=True)
            kept = False
            for entry in (e for e in _entries(folder) if e not in listed):
                source, dest = folder / entry.rstrip("/"), target / entry.rstrip("/")
                if dest.exists() or dest.is_symlink():
                    kept = True
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, dest)
            if kept:
                os.replace(folder, target.parent / f"{target.name}.recovered-{folder.name[-8:]}")
            else:
                shutil.rmtree(folder)
        elif kind is None and not any(folder.iterdir()):
            folder.rmdir()  # killed between making the scratch folder and stamping it


def failed_folder(target: Path) -> Path:
    return target.parent / f"{target.name}.failed"


def prepare(target: Path, force: bool = False) -> Path:
    """Take the lock of ``target`` (see :func:`acquire`; the caller calls :func:`release` when
    done), check it before any work and make the scratch folder beside it.

    Raises
    ------
    KamError
        ``target`` is a file, a folder kam cannot write to, or a folder with files kam did not
        write (unless ``force``); another kam is writing it.
    """
    acquire(target)
    try:
        return _prepare(target, force)
    except BaseException:
        release(target)
        raise


def _prepare(target: Path, force: bool) -> Path:
    if target.exists() and not target.is_dir():
        raise KamError(target, "a folder for the report (--out)", "a file of that name")
    if target.is_dir():
        stamp = read_stamp(target)
        if stamp is None or stamp["kam"] != REPORT:
            entries = _entries(target)
            if entries and not force:
                shown = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
                raise KamError(
                    target,
                    "an empty folder or a report kam wrote (it holds a .kam-stamp); "
                    "choose another --out, or add --force to write into it (kam replaces only "
                    "files of the same name)",
                    f"a folder with {len(entries)} file(s) kam did not write: {shown}",
                )
        if not os.access(target, os.W_OK | os.X_OK):
            raise KamError(target, "a folder kam can write to", "no permission to write")
    try:
        scratch = Path(tempfile.mkdtemp(prefix=_scratch_prefix(target), dir=target.parent))
    except OSError as exc:
        raise _cannot_write(target.parent, exc) from None
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(scratch, 0o777 & ~umask)  # a report folder as any other the user makes, not 0700
    write_stamp(scratch, SCRATCH, pid=os.getpid())
    return scratch


def _clashes(theirs: list[str], files: list[str]) -> list[str]:
    """The user's entries in the way of the report's: the same name, a file where the report
    needs a folder, or a folder where it writes a file."""
    names = {f.rstrip("/") for f in files}
    written = {f for f in files if not f.endswith("/")}
    folders = {str(p) for f in names for p in PurePosixPath(f).parents} - {"."}
    clash = []
    for entry in theirs:
        name = entry.rstrip("/")
        above = {str(p) for p in PurePosixPath(name).parents}
        if entry.endswith("/"):
            hit = name in written or bool(above & written)
        else:
            hit = name in names or name in folders or bool(above & written)
        if hit:
            clash.append(entry)
    return clash


def install(scratch: Path, target: Path, force: bool = False, **fields) -> None:
    """Put the finished report in ``scratch`` into ``target``, file by file: the files of the
    old report (those its stamp lists) are replaced or removed, the user's own files are not
    moved. ``fields`` go into the stamp (batch keeps its digest there). The plan is written into
    the scratch folder's stamp first, so that a run killed half-way is completed by the next
    (:func:`recover`). The target folder itself is never renamed: a mount point is fine.

    Raises
    ------
    KamError
        A file of the user's has the name of a file of the new report (unless ``force``, which
        replaces a file by a file, never a folder).
    """
    files = [e for e in _entries(scratch) if e != STAMP]
    stamp = read_stamp(target) if target.is_dir() else None
    old = stamp["files"] if stamp and stamp["kam"] == REPORT else []
    theirs = [e for e in _entries(target) if e not in old and e != STAMP]
    clash = _clashes(theirs, files)
    folder = [e for e in clash if e not in files or e.endswith("/")]
    if folder or (clash and not force):
        raise KamError(
            target / (folder or clash)[0],
            "no file of your own under a name the report uses; move it"
            + ("" if folder else ", or add --force"),
            "a file kam did not write",
        )
    write_stamp(scratch, INSTALL, files=files, old=old, fields=fields)
    _step("journal")
    _finish(scratch, target)
    remove_failed(target)


def _finish(scratch: Path, target: Path) -> None:
    """Carry out the install planned in ``scratch``'s stamp; done again, it does nothing twice."""
    plan = read_stamp(scratch)
    files, old = plan["files"], plan["old"]
    target.mkdir(exist_ok=True)
    stamp = read_stamp(target)
    listed = stamp["files"] if stamp and stamp["kam"] == REPORT else []
    # while files move, the stamp lists the old and the new, and says the report is not whole
    write_stamp(target, REPORT, files=sorted({*listed, *old, *files}), stale=True)
    _step("stamp")
    for entry in sorted(set(old) - set(files), reverse=True):
        _remove(target, entry)
    for entry in files:
        _move(scratch / entry.rstrip("/"), target / entry.rstrip("/"), entry.endswith("/"))
        _step("move")
    write_stamp(target, REPORT, files=files, **plan["fields"])
    _step("done")
    shutil.rmtree(scratch)


def _remove(target: Path, entry: str) -> None:
    """Remove a file (or empty folder) of the old report, then its folders left empty."""
    path = target / entry.rstrip("/")
    try:
        path.rmdir() if entry.endswith("/") else path.unlink()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
    for parent in path.parents:
        if parent == target:
            break
        try:
            parent.rmdir()
        except OSError:
            break


def _move(source: Path, dest: Path, folder: bool) -> None:
    """One file of the new report into place in one step: renamed, or where ``dest`` is on
    another file system (a mount point), copied beside it and renamed over it."""
    if folder:
        dest.mkdir(parents=True, exist_ok=True)
        return
    if not source.exists() and not source.is_symlink():
        return  # moved before the run was killed
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, dest)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        temporary = dest.with_name(f".{dest.name}.kam-tmp")
        shutil.copy2(source, temporary, follow_symlinks=False)
        os.replace(temporary, dest)
        source.unlink()


def keep_failed(scratch: Path, target: Path) -> Path:
    """Keep a failed render's partial output in ``<target>.failed`` (replacing only an earlier
    partial output of kam's); where that name holds something else, the scratch stays put."""
    files = [e for e in _entries(scratch) if e != STAMP]
    write_stamp(scratch, PARTIAL, pid=os.getpid(), files=files)
    failed = failed_folder(target)
    if failed.exists() or failed.is_symlink():
        if not _remove_partial(failed):
            return scratch
    os.replace(scratch, failed)
    return failed


STALE_NOTE = "OUT-OF-DATE.txt"
STALE_PREFIX = "OUT-OF-DATE-"
_SENT = (".pdf", ".xlsx", ".pptx")  # files that leave the folder as attachments
STALE_CLASS = "kam-stale"  # the banner's class: a page is marked once
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def mark_stale(target: Path, note: str, banner: str) -> bool:
    """After a failed re-render, mark the previous report in ``target`` as out of date, so it is
    not sent by mistake: ``note`` goes into ``OUT-OF-DATE.txt``, ``banner`` (HTML, with the class
    ``kam-stale``) at the top of every page, and the PDF, workbook and deck files get the prefix
    ``OUT-OF-DATE-``. Only files the stamp lists are touched; the next good render replaces them
    all. False when ``target`` is not a report of kam's."""
    stamp = read_stamp(target) if target.is_dir() and not target.is_symlink() else None
    if not stamp or stamp["kam"] != REPORT:
        return False
    files = []
    for entry in stamp.get("files", []):
        path = target / entry
        if entry.endswith(".html") and path.is_file() and not path.is_symlink():
            page = path.read_text(encoding="utf-8")
            if STALE_CLASS not in page:
                found = _BODY.search(page)
                at = found.end() if found else 0
                temporary = path.with_name(path.name + ".tmp")
                temporary.write_text(page[:at] + banner + page[at:], encoding="utf-8")
                os.replace(temporary, path)
        elif entry.endswith(_SENT) and path.is_file() and not path.name.startswith(STALE_PREFIX):
            renamed = path.with_name(STALE_PREFIX + path.name)
            if not renamed.exists():
                os.replace(path, renamed)
                entry = renamed.relative_to(target).as_posix()
        files.append(entry)
    (target / STALE_NOTE).write_text(note, encoding="utf-8")
    fields = {k: v for k, v in stamp.items() if k not in ("kam", "files", "stale")}
    write_stamp(target, REPORT, **fields, files=sorted({*files, STALE_NOTE}), stale=True)
    return True


FAULTS = {
    errno.ENOSPC: ("room on its disk for the report", "the disk is full"),
    errno.EDQUOT: ("room in your disk quota for the report", "the quota is used up"),
    errno.EROFS: ("a folder kam can write to", "a read-only file system"),
    errno.EIO: ("a disk that reads and writes", "an input/output error"),
}
"""Faults of the machine, not of kam or the data: what kam needed, and what it found."""


def is_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is a fault of the machine (:data:`FAULTS`), not of kam or the data."""
    return isinstance(exc, OSError) and exc.errno in FAULTS


def machine_fault(exc: BaseException, target: Path) -> KamError | None:
    """``exc`` as one line naming the report folder and what to do, when it is a fault of the
    machine (see :data:`FAULTS`); else None. (The file being written is not named: it is one of
    kam's scratch files, and a full disk's write error often names none.)"""
    if not is_fault(exc):
        return None
    expected, found = FAULTS[exc.errno]
    temporary = _fuller_temporary(target) if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
    if temporary is not None:
        return KamError(
            temporary,
            "room in the temporary folder (free some space, or set TMPDIR to a folder with room)",
            found,
        )
    advice = (
        "free some space or choose another --out" if "room" in expected else "choose another --out"
    )
    return KamError(target, f"{expected} ({advice})", found)


def _fuller_temporary(target: Path) -> Path | None:
    """The temporary folder, when it is on another disk than ``target`` with less room left
    (what filled up, then, is most likely it: a full disk's write error names no file)."""
    temporary = Path(tempfile.gettempdir())
    here = next((p for p in (target, *target.parents) if p.exists()), None)
    try:
        if here is None or os.stat(temporary).st_dev == os.stat(here).st_dev:
            return None
        return (
            temporary if shutil.disk_usage(temporary).free < shutil.disk_usage(here).free else None
        )
    except OSError:
        return None


def discard(scratch: Path, made: list[Path] = ()) -> None:
    """Remove the scratch folder, and the folders ``made`` for it (deepest first) while empty;
    an install under way (stopped by Ctrl-C) stays for the next run to complete."""
    if (read_stamp(scratch) or {}).get("kam") == INSTALL:
        return
    shutil.rmtree(scratch, ignore_errors=True)
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            break


def remove_failed(target: Path) -> None:
    """After a success: the previous partial output, when it is kam's."""
    _remove_partial(failed_folder(target))


def _remove_partial(failed: Path) -> bool:
    """Remove a partial output of kam's, only the files its stamp lists (a file the user put
    there stays, and so does the folder): whether the folder is gone."""
    stamp = read_stamp(failed) if failed.is_dir() and not failed.is_symlink() else None
    if not stamp or stamp["kam"] != PARTIAL:
        return False
    listed = stamp.get("files")
    if listed is None:  # an earlier kam's partial output lists nothing: it stays
        return False
    for entry in sorted(listed, reverse=True):
        _remove(failed, entry)
    (failed / STAMP).unlink()
    try:
        failed.rmdir()
    except OSError:
        return False
    return True


def file_stems(ids: list[str], limit: int = 60) -> dict[str, str]:
    """A file name (without suffix) per ID, unique even on a case-insensitive file system: the ID
    itself when it is a safe name, else a safe slug plus a short hash of the ID (``AB/1`` and
    ``AB_1`` never share a page)."""
    slugs = {i: re.sub(r"[^\w.-]", "_", i)[:limit].strip(".") or "_" for i in ids}
    folded: dict[str, int] = {}
    for slug in slugs.values():
        folded[slug.casefold()] = folded.get(slug.casefold(), 0) + 1
    stems = {}
    for customer_id, slug in slugs.items():
        if slug != customer_id or folded[slug.casefold()] > 1:
            digest = hashlib.sha256(customer_id.encode("utf-8")).hexdigest()[:8]
            slug = f"{slug}-{digest}"
        stems[customer_id] = slug
    return stems
