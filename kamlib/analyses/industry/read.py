"""Industry selection: read and check the ``industries`` and ``criteria`` files and the settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kamlib.core.config import Engagement
from kamlib.core.errors import KamError, quote
from kamlib.core.notes import Note
from kamlib.core.scoring import Threshold, default_criteria, pairwise_matrix, parse_threshold

SECTION = "industry_selection"


@dataclass(frozen=True)
class IndustrySettings:
    """The ``industry_selection:`` section of ``engagement.yaml``."""

    threshold: Threshold = field(default_factory=lambda: Threshold("mean"))
    pairwise: tuple[tuple[str, str, float], ...] = ()
    perturbation: float = 0.2
    samples: int = 1000
    seed: int = 0


@dataclass(frozen=True)
class IndustryInputs:
    """Validated inputs: scores (index = industry), criteria, supplied totals and notes."""

    scores: pd.DataFrame
    criteria: pd.DataFrame
    provided_totals: pd.Series
    settings: IndustrySettings
    warnings: tuple[Note, ...] = ()
    remarks: pd.Series | None = None  # the data's note column (备注), by industry


def read_settings(eng: Engagement) -> IndustrySettings:
    """Parse and check the ``industry_selection`` section, pointing at its line on error."""
    known = {"threshold", "pairwise", "robustness"}
    raw = eng.settings(SECTION, known)
    kwargs: dict = {}
    if "threshold" in raw:
        try:
            kwargs["threshold"] = parse_threshold(raw["threshold"])
        except ValueError as exc:
            raise eng.error(f"{SECTION}.threshold", str(exc), raw["threshold"]) from None
    if raw.get("pairwise") is not None:
        judgements = []
        items = raw["pairwise"]
        if not isinstance(items, list):
            raise eng.error(f"{SECTION}.pairwise", "a list of [criterion, criterion, ratio]", items)
        for item in items:
            ok = isinstance(item, list) and len(item) == 3
            ratio = item[2] if ok else None
            if (
                not ok
                or isinstance(ratio, bool)
                or not isinstance(ratio, int | float)
                or ratio <= 0
            ):
                raise eng.error(
                    f"{SECTION}.pairwise", "[criterion, criterion, positive ratio] items", item
                )
            judgements.append((str(item[0]), str(item[1]), float(ratio)))
        kwargs["pairwise"] = tuple(judgements)
    robustness = raw.get("robustness") or {}
    if not isinstance(robustness, dict):
        raise eng.error(f"{SECTION}.robustness", "a mapping of settings", robustness)
    checks = {
        "perturbation": (float, lambda v: 0 < v < 1, "a fraction between 0 and 1, e.g. 0.2"),
        "samples": (int, lambda v: 10 <= v <= 100_000, "a whole number from 10 to 100000"),
        "seed": (int, lambda v: v >= 0, "a whole number ≥ 0"),
    }
    for key, value in robustness.items():
        if key not in checks:
            raise eng.error(f"{SECTION}.robustness.{key}", f"one of {', '.join(checks)}", key)
        kind, test, expected = checks[key]
        valid = isinstance(value, int | float) and not isinstance(value, bool)
        if kind is int:
            valid = valid and float(value).is_integer()
        if not valid or not test(value):
            raise eng.error(f"{SECTION}.robustness.{key}", expected, value)
        kwargs[key] = kind(value)
    return IndustrySettings(**kwargs)


def read_inputs(eng: Engagement, upstream: Mapping[str, Any] | None = None) -> IndustryInputs:
    """Read ``industries`` and the optional ``criteria`` and check they fit each other."""
    industries = eng.read("industries")
    if industries is None:
        raise KamError(eng.path / "industries.csv", "an industries data file", "no such file")
    settings = read_settings(eng)
    warnings = list(industries.warnings)
    columns = industries.extra
    if not columns:
        raise KamError(industries.file, "at least one criterion score column", "none", row=1)
    criteria_file = eng.read("criteria")
    if criteria_file is None:
        criteria = default_criteria(columns)
    else:
        warnings += criteria_file.warnings
        criteria = criteria_file.frame[["criterion", "weight", "direction", "group", "label"]]
        listed = list(criteria["criterion"])
        for i, name in enumerate(listed):
            if name not in columns:
                raise KamError(
                    criteria_file.file,
                    f"a score column of {industries.file.name}",
                    quote(name),
                    row=criteria_file.row(i),
                    column="criterion",
                )
        for name in columns:
            if name not in listed:
                raise KamError(
                    industries.file,
                    f"a criterion listed in {criteria_file.file.name}",
                    quote(name),
                    row=1,
                    column=name,
                )
        criteria = criteria.reset_index(drop=True)
    frame = industries.frame.set_index("industry")
    scores = frame[list(criteria["criterion"])]
    if settings.pairwise:
        try:
            pairwise_matrix(list(criteria["criterion"]), list(settings.pairwise))
        except ValueError as exc:
            expected, found = exc.args
            raise eng.error(f"{SECTION}.pairwise", expected, found) from None
    provided = frame["total"] if "total" in frame else pd.Series(float("nan"), index=frame.index)
    remarks = frame["note"] if "note" in frame else None
    return IndustryInputs(scores, criteria, provided, settings, tuple(warnings), remarks)
