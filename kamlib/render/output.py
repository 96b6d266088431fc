"""The report folder: kam writes only what it made, replaces a report in one step, and refuses
rather than guesses.

A report folder carries ``.kam-stamp``, a JSON manifest of every file kam wrote into it. A render
builds the whole report in a hidden scratch folder beside the target, then swaps it in with two
renames; the files of the previous report that the manifest lists go with the old folder, anything
else the user put there is carried into the new one. A folder kam did not make (no stamp) and that
is not empty is refused unless ``force``. A failed render keeps its partial output in
``<target>.failed``; only a folder kam marked as its own partial output is ever removed there.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
from pathlib import Path

from kamlib.core.errors import KamError

STAMP = ".kam-stamp"
REPORT, SCRATCH, PARTIAL = "report", "scratch", "partial"


def read_stamp(folder: Path) -> dict | None:
    """The stamp of a folder kam wrote, or None (no stamp, or not one of kam's)."""
    try:
        data = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kam") not in (REPORT, SCRATCH, PARTIAL):
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


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _scratch_prefix(target: Path) -> str:
    return f".{target.name}-kam-"


def sweep(target: Path) -> None:
    """Remove scratch folders that earlier runs for ``target`` left behind when they were killed
    (their process is gone); nothing else."""
    for folder in target.parent.glob(_scratch_prefix(target) + "*"):
        stamp = read_stamp(folder) if folder.is_dir() and not folder.is_symlink() else None
        if stamp and stamp["kam"] == SCRATCH and not _alive(stamp.get("pid")):
            shutil.rmtree(folder, ignore_errors=True)


def failed_folder(target: Path) -> Path:
    return target.parent / f"{target.name}.failed"


def prepare(target: Path, force: bool = False) -> Path:
    """Check ``target`` before any work and make the scratch folder beside it.

    Raises
    ------
    KamError
        ``target`` is a file, a folder kam cannot write to, or a folder with files kam did not
        write (unless ``force``).
    """
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
        target.parent.mkdir(parents=True, exist_ok=True)
        sweep(target)
        scratch = Path(tempfile.mkdtemp(prefix=_scratch_prefix(target), dir=target.parent))
    except OSError as exc:
        found = f"{exc.strerror or exc} at {exc.filename}" if exc.filename else str(exc)
        raise KamError(target.parent, "a folder kam can write to", found) from None
    umask = os.umask(0o022)
    os.umask(umask)
    os.chmod(scratch, 0o777 & ~umask)  # a report folder as any other the user makes, not 0700
    write_stamp(scratch, SCRATCH, pid=os.getpid())
    return scratch


def install(scratch: Path, target: Path, force: bool = False, **fields) -> None:
    """Swap the finished report in ``scratch`` in for ``target``: the old report's files go, the
    user's own files stay. ``fields`` go into the stamp (batch keeps its digest there).

    Raises
    ------
    KamError
        A file of the user's has the name of a file of the new report (unless ``force``).
    """
    files = [e for e in _entries(scratch) if e != STAMP]
    if not target.exists():
        write_stamp(scratch, REPORT, files=files, **fields)
        os.replace(scratch, target)
        return
    stamp = read_stamp(target)
    previous = set(stamp["files"]) if stamp and stamp["kam"] == REPORT else set()
    theirs = [e for e in _entries(target) if e not in previous and e != STAMP]
    clash = [e for e in theirs if (scratch / e.rstrip("/")).exists()]
    if clash and not force:
        raise KamError(
            target / clash[0],
            "no file of your own under a name the report uses; move it, or add --force",
            "a file kam did not write",
        )
    write_stamp(scratch, REPORT, files=files, **fields)
    moved: list[str] = []
    try:  # the user's files move into the new report before the swap (with force, a clash
        # is replaced by the report's file)
        for entry in (e for e in theirs if e not in clash):
            source, dest = target / entry.rstrip("/"), scratch / entry.rstrip("/")
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, dest)
            moved.append(entry)
        old = target.parent / f".{target.name}-old-{uuid.uuid4().hex[:8]}"
        os.replace(target, old)
    except BaseException:
        for entry in reversed(moved):
            os.replace(scratch / entry.rstrip("/"), target / entry.rstrip("/"))
        raise
    try:
        os.replace(scratch, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def keep_failed(scratch: Path, target: Path) -> Path:
    """Keep a failed render's partial output in ``<target>.failed`` (replacing only an earlier
    partial output of kam's); where that name holds something else, the scratch stays put."""
    write_stamp(scratch, PARTIAL, pid=os.getpid())
    failed = failed_folder(target)
    if failed.exists() or failed.is_symlink():
        stamp = read_stamp(failed) if failed.is_dir() and not failed.is_symlink() else None
        if not stamp or stamp["kam"] != PARTIAL:
            return scratch
        shutil.rmtree(failed)
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


def discard(scratch: Path, made: list[Path] = ()) -> None:
    """Remove the scratch folder, and the folders ``made`` for it (deepest first) while empty."""
    shutil.rmtree(scratch, ignore_errors=True)
    for folder in made:
        try:
            folder.rmdir()
        except OSError:
            break


def remove_failed(target: Path) -> None:
    """After a success: the previous partial output, when it is kam's."""
    failed = failed_folder(target)
    stamp = read_stamp(failed) if failed.is_dir() and not failed.is_symlink() else None
    if stamp and stamp["kam"] == PARTIAL:
        shutil.rmtree(failed, ignore_errors=True)


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
