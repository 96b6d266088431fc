"""Digests of input files, read in chunks (memory stays flat whatever the file's size) and only
inside the engagement folder: batch's "has anything changed" and cache keys."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kamlib.core.config import INSIDE, outside
from kamlib.core.errors import KamError

CHUNK = 1 << 20


def feed(digest, path: Path, folder: Path | None = None) -> None:
    """Add the bytes of ``path`` to ``digest`` (a :mod:`hashlib` object), a chunk at a time;
    with ``folder`` (resolved), a path leading out of it is refused, never opened."""
    if folder is not None and (real := outside(folder, path)) is not None:
        raise KamError(path, INSIDE, f"a link to {real}")
    with open(path, "rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)


def file_digest(path: Path, folder: Path | None = None) -> str:
    """The SHA-256 of one file, in hex (see :func:`feed`)."""
    digest = hashlib.sha256()
    feed(digest, path, folder)
    return digest.hexdigest()
