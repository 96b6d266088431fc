"""Structured notes: what an analysis wants to say (a warning, a red flag, a reason), as data.

A computation never writes a sentence. It returns ``Note(code, **params)`` with raw values; the
view turns a note into text in the report's language (``note.text(words)``), and results.json
records both (``note.to_json(words)``), so two renders in two languages agree on everything but
the ``text`` fields.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from kamlib.core.i18n import Words


def plain(value: Any) -> Any:
    """A value as JSON can hold it: numpy scalars to Python, NaN to ``None``, dates to ISO text,
    tuples to lists, mappings with text keys."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Note):
        return value.to_json()
    return value


@dataclass(frozen=True)
class Note:
    """A message as data: a ``code`` (also its key in the message catalogue) and its values.

    Parameters
    ----------
    code
        What happened, e.g. ``"total_mismatch"``; the catalogue holds its sentence in each
        language, with typed placeholders (``{provided:num2}``) for the values.
    params
        The values, raw (numbers stay numbers, names stay names).
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **params: Any) -> Note:
        """``Note.of("total_mismatch", industry="电信业", provided=46, computed=44)``."""
        return cls(code, dict(params))

    def text(self, words: Words) -> str:
        """The sentence in ``words``' language."""
        return words(self.code, **self.params)

    def to_json(self, words: Words | None = None) -> dict[str, Any]:
        """``{"code": ..., "text": ..., <params>}``; without ``words``, no ``text``."""
        data: dict[str, Any] = {"code": self.code}
        if words is not None:
            data["text"] = self.text(words)
        data.update({k: plain(v) for k, v in self.params.items()})
        return data


def notes_json(notes: tuple[Note, ...] | list[Note], words: Words) -> list[dict[str, Any]]:
    """Every note as its results.json object."""
    return [n.to_json(words) for n in notes]
