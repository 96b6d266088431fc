"""The one exception family for mistakes a user can make in an engagement's files."""

from __future__ import annotations

import os
from pathlib import Path


def quote(value: object, limit: int = 60) -> str:
    """Show a found value the way an error message quotes it: repr-like, one line, bounded."""
    text = str(value).replace("\r", "\\r").replace("\n", "\\n")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"'


def shown_path(file: str | Path) -> str:
    """A path as the user typed it: relative to the working directory when inside it (a
    symbolic link named as itself, not as what it leads to)."""
    path = Path(file)
    try:
        cwd = Path.cwd()
        for candidate in (Path(os.path.abspath(path)), path.resolve()):
            if candidate.is_relative_to(cwd):
                return str(candidate.relative_to(cwd))
    except (ValueError, OSError, RuntimeError):
        pass
    return str(file)


class KamError(Exception):
    """A mistake in the user's input, reported as one line.

    The message names the file, then where in it (the worksheet of a workbook with several, row and
    column of a table, line or key of the yaml), then what was expected and what was found, and
    a ``hint`` when a line of the yaml would fix it.
    """

    def __init__(
        self,
        file: str | Path,
        expected: str,
        found: str,
        *,
        row: int | None = None,
        column: str | None = None,
        line: int | None = None,
        key: str | None = None,
        sheet: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = shown_path(file)
        self.sheet = sheet
        self.hint = hint
        self.expected = expected
        self.found = found
        self.row = row
        self.column = column
        self.line = line
        self.key = key
        where = [self.file]
        if sheet is not None:
            where.append(f"sheet {sheet}")
        if line is not None:
            where.append(f"line {line}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        if key is not None:
            where.append(f"key {key}")
        message = f"{', '.join(where)}: expected {expected}, found {found}"
        super().__init__(message + (f". {hint[0].upper()}{hint[1:]}" if hint else ""))

    def in_sheet(self, sheet: str | None) -> KamError:
        """The same mistake, placed in worksheet ``sheet`` of its workbook (if it has none)."""
        if sheet is None or self.sheet is not None:
            return self
        return self._moved(self.file, sheet)

    def in_file(self, file: str | Path) -> KamError:
        """The same mistake, said of ``file`` (the user's, for a mistake found in kam's copy of
        it)."""
        return self._moved(file, self.sheet)

    def _moved(self, file: str | Path, sheet: str | None) -> KamError:
        return KamError(
            file,
            self.expected,
            self.found,
            row=self.row,
            column=self.column,
            line=self.line,
            key=self.key,
            sheet=sheet,
            hint=self.hint,
        )
