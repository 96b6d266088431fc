"""What a render keeps for the next one: each analysis' result, chart and page, and the report's
workbook and deck, under a key made from everything it depends on. A re-render recomputes only
what a changed key names, and writes the same bytes a fresh render would.

The keys:

- an analysis' result: kam's code, the analysis, the bytes of every data file its read asked
  for (and how each is read: ``files:``, ``columns:``, the sheet), every yaml section it asked
  for, the language and currency, and the keys of the results it uses;
- a chart: its result's key and its place among the analysis' charts;
- a page: its result's and charts' keys, the report's look (title, client, dates, branding),
  the consultant's view for it and the teaching mode; the page is kept with the time of the
  render left open, so a later render only writes its own time in;
- the workbook: every result's key and the look; the deck: that, the charts' keys and every
  section of the consultant's view.

Everything lives in the report's hidden folder ``.kam-cache/`` (a file per key, the results in
``results/<key>/``, the index ``manifest.json``), which a render rebuilds from the previous
report's: it holds only what the current report uses. A key counts only when the code that made
it is the same, so another version of kam starts afresh; ``--fresh`` ignores everything kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from kamlib.analyses.registry import Analysis
from kamlib.core import store
from kamlib.core.config import Engagement
from kamlib.core.digest import file_digest

FOLDER = ".kam-cache"
MANIFEST = "manifest.json"
VERSION = 1
GENERATED = "kam:generated:5f1c9e"
"""Where a kept page has the time of its render: each render writes its own in."""
PACKAGE = Path(__file__).resolve().parent.parent


def digest(*parts: Any) -> str:
    """A key for ``parts`` (anything JSON can write, paths as text)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@functools.cache
def code() -> str:
    """A digest of kam itself: its package and notebooks (no other version's keys count)."""
    from kamlib.render.execute import notebooks

    sha = hashlib.sha256()
    for root in (PACKAGE, notebooks()):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                sha.update(path.relative_to(root).as_posix().encode("utf-8"))
                sha.update(path.read_bytes())
    return sha.hexdigest()[:32]


def look(eng: Engagement) -> dict:
    """What the report looks like beside its results: who, when, its language and branding."""
    brand = eng.branding
    logo = file_digest(brand.logo) if brand.logo is not None else None
    return {
        "title": eng.title,
        "client": eng.client,
        "company": eng.company,
        "consultant": eng.consultant,
        "date": eng.date,
        "language": eng.language,
        "currency": eng.currency,
        "branding": [brand.colour, logo, brand.footer, brand.watermark],
    }


def link(source: Path, dest: Path) -> None:
    """``dest`` as the same file as ``source`` (a hard link; a copy where links fail)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def link_tree(source: Path, dest: Path) -> None:
    for path in sorted(source.rglob("*")):
        if path.is_file():
            link(path, dest / path.relative_to(source))


class Cache:
    """The keys and kept files of one render: read from the previous report's ``.kam-cache``
    (``previous``; none with ``fresh``), written into the new report's (``folder``)."""

    def __init__(self, eng: Engagement, folder: Path, previous: Path | None, fresh: bool) -> None:
        self.eng, self.folder = eng, folder
        self.old_folder = previous / FOLDER if previous is not None else None
        self.old = {} if fresh else self._manifest(self.old_folder)
        self.new: dict = {"version": VERSION, "code": code(), "files": {}, "analyses": {}}
        self.new["outputs"] = {}
        self.reused: list[str] = []
        folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _manifest(folder: Path | None) -> dict:
        if folder is None or not folder.is_dir() or folder.is_symlink():
            return {}
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        ok = isinstance(data, dict) and data.get("version") == VERSION
        return data if ok and data.get("code") == code() else {}

    # -- the bytes of the data files -------------------------------------------------------

    def _file(self, path: Path) -> str:
        """A file's digest; one whose size and modification time are those recorded keeps the
        digest recorded (as ``make`` and git trust them), any other is read."""
        name = path.relative_to(self.eng.path).as_posix()
        if name in self.new["files"]:
            return self.new["files"][name][2]
        stat = path.stat()
        known = self.old.get("files", {}).get(name)
        if known and known[:2] == [stat.st_size, stat.st_mtime_ns]:
            value = known[2]
        else:
            value = file_digest(path)
        self.new["files"][name] = [stat.st_size, stat.st_mtime_ns, value]
        return value

    def result_key(self, analysis: Analysis, asked: list, upstream: dict[str, str]) -> str:
        """The key of an analysis' result, from what its read asked for."""
        eng = self.eng
        parts: dict[str, Any] = {"files": {}, "sections": {}}
        before = len(eng.asked)
        for kind, name in asked:
            if kind == "section":
                parts["sections"][name] = eng.sections.get(name)
                continue
            path = eng.data_file(name)
            how = [eng.files.get(name), eng.sheets.get(name), eng.columns.get(name)]
            parts["files"][name] = [*how, None if path is None else self._file(path)]
        del eng.asked[before:]  # the key's own look-ups are no read's
        return digest(code(), analysis.key, eng.language, eng.currency, upstream, parts)

    # -- results -----------------------------------------------------------------------------

    def reuse(self, analysis: Analysis, upstream: dict[str, str]) -> tuple[str, Any] | None:
        """The kept result of ``analysis`` when its key is unchanged: (key, result)."""
        entry = self.old.get("analyses", {}).get(analysis.key)
        if not entry or self.old_folder is None or analysis.per_account:
            return None  # a per-account result is kept only for the accounts chosen
        asked = [tuple(a) for a in entry["asked"]]
        key = self.result_key(analysis, asked, upstream)
        source = self.old_folder / "results" / key
        if key != entry["key"] or not (source / store.INDEX).is_file():
            return None
        link_tree(source, self.folder / "results" / key)
        self.new["analyses"][analysis.key] = {"key": key, "asked": entry["asked"]}
        self.reused.append(analysis.key)
        return key, store.load(self.folder / "results" / key)

    def keep(
        self, analysis: Analysis, asked: list, upstream: dict[str, str], known: Any = None
    ) -> str:
        """The key of a result computed now (it is saved by :meth:`save_result`); for a
        per-account analysis, the accounts its read ``known`` (see :meth:`checked`)."""
        key = self.result_key(analysis, asked, upstream)
        entry = {"key": key, "asked": [list(a) for a in asked]}
        if analysis.per_account:
            entry["known"] = None if known is None else sorted(known)
        self.new["analyses"][analysis.key] = entry
        return key

    def checked(self, analysis: Analysis, upstream: dict[str, str]) -> tuple[str, Any] | None:
        """For a per-account analysis read only to check its files (no account pages asked
        for): when its key is unchanged, the previous render read and checked the same bytes,
        so it is not read again. (key, the accounts its read knew)."""
        entry = self.old.get("analyses", {}).get(analysis.key)
        if not entry or "known" not in entry or self.old_folder is None:
            return None
        key = self.result_key(analysis, [tuple(a) for a in entry["asked"]], upstream)
        if key != entry["key"]:
            return None
        self.new["analyses"][analysis.key] = dict(entry)
        return key, entry["known"]

    def save_result(self, key: str, result: Any) -> Path:
        folder = self.folder / "results" / key
        if not (folder / store.INDEX).is_file():
            store.save(result, folder)
        return folder

    # -- files kept by key -------------------------------------------------------------------

    def path(self, key: str, suffix: str) -> Path:
        return self.folder / f"{key}{suffix}"

    def take(self, key: str, suffixes: tuple[str, ...]) -> bool:
        """Whether the previous report kept ``key`` with every suffix; they are kept again."""
        if self.old_folder is None or not self.old:
            return False
        sources = [self.old_folder / f"{key}{s}" for s in suffixes]
        if not all(s.is_file() for s in sources):
            return False
        for source in sources:
            if not self.path(key, source.name[len(key) :]).exists():
                link(source, self.path(key, source.name[len(key) :]))
        return True

    def output(self, name: str, key: str, previous: Path | None, files: list[str]) -> bool:
        """Whether the previous report's ``files`` (an output made whole, e.g. the workbook)
        were made under ``key``; the new report takes them as they are."""
        self.new["outputs"][name] = key
        if previous is None or self.old.get("outputs", {}).get(name) != key:
            return False
        return all((previous / f).is_file() and not (previous / f).is_symlink() for f in files)

    def save(self) -> None:
        text = json.dumps(self.new, ensure_ascii=False, sort_keys=True, indent=1)
        (self.folder / MANIFEST).write_text(text + "\n", encoding="utf-8")
