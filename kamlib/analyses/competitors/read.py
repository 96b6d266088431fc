"""Competitor analysis: read and check the ``competitors``, ``needs`` and ``wallet`` files and the
settings."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kamlib.analyses.segmentation.read import known_accounts
from kamlib.core.config import Engagement
from kamlib.core.errors import KamError, quote
from kamlib.core.i18n import fmt_number
from kamlib.core.notes import Note

SECTION = "competitors"
US_ALIASES = ("我方", "本公司", "我们", "us", "we")


@dataclass(frozen=True)
class CompetitorSettings:
    """The ``competitors:`` section of ``engagement.yaml``."""

    axes: tuple[str, str] | None = None
    usp_margin: float = 1.0
    scale: tuple[float, float] = (1.0, 10.0)


@dataclass(frozen=True)
class CompetitorInputs:
    """Validated inputs.

    Attributes
    ----------
    scores
        Competitor × needed criterion (index = competitor, our row included).
    needs
        ``criterion``, ``importance``, ``group``, ``label``: the customer's needs, the weights of
        the scores, and each criterion's display name.
    size
        Each competitor's size (index = competitor), when the data has a size column.
    us
        Our row's name in ``scores``.
    wallet
        The wallet data (index = customer_id): ``total_spend``, optional ``our_revenue``, one
        column per competitor; none without a wallet file.
    names
        The wallet accounts' names (index = customer_id): the customer master's, else the
        wallet's own ``name`` column, else empty (the report shows the ID).
    settings
        The ``competitors`` settings.
    all_scores
        Every scored criterion, needed or not (the positioning map may use any).
    warnings
        Notes raised while reading.
    """

    scores: pd.DataFrame
    needs: pd.DataFrame
    size: pd.Series | None
    us: str
    wallet: pd.DataFrame | None
    settings: CompetitorSettings
    all_scores: pd.DataFrame
    names: pd.Series | None = None
    warnings: tuple[Note, ...] = ()
    remarks: pd.Series | None = None  # the data's note column (备注), by competitor


def read_settings(eng: Engagement) -> CompetitorSettings:
    """Parse and check the ``competitors`` section, pointing at its line on error."""
    known = {"axes", "usp_margin", "scale"}
    raw = eng.settings(SECTION, known)
    kwargs: dict = {}
    if raw.get("axes") is not None:
        axes = raw["axes"]
        if not (
            isinstance(axes, list)
            and len(axes) == 2
            and all(isinstance(a, str) for a in axes)
            and axes[0] != axes[1]
        ):
            raise eng.error(f"{SECTION}.axes", "two different criteria or criterion groups", axes)
        kwargs["axes"] = (axes[0], axes[1])
    if raw.get("usp_margin") is not None:
        margin = raw["usp_margin"]
        if isinstance(margin, bool) or not isinstance(margin, int | float) or margin < 0:
            raise eng.error(f"{SECTION}.usp_margin", "a number ≥ 0", margin)
        kwargs["usp_margin"] = float(margin)
    if raw.get("scale") is not None:
        scale = raw["scale"]
        ok = (
            isinstance(scale, list)
            and len(scale) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in scale)
            and scale[0] < scale[1]
        )
        if not ok:
            raise eng.error(f"{SECTION}.scale", "[lowest, highest] score, e.g. [1, 10]", scale)
        kwargs["scale"] = (float(scale[0]), float(scale[1]))
    return CompetitorSettings(**kwargs)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def read_inputs(eng: Engagement, upstream: Mapping[str, Any] | None = None) -> CompetitorInputs:
    """Read ``competitors`` and the optional ``needs`` and ``wallet``, and check they fit: our
    row and at least one rival, needs with some importance."""
    settings = read_settings(eng)
    loaded = eng.read("competitors")
    if loaded is None:
        raise KamError(eng.path / "competitors.csv", "a competitors data file", "no such file")
    frame = loaded.frame
    criteria = loaded.extra
    if not criteria:
        raise KamError(loaded.file, "at least one criterion score column", "none", row=1)
    names = {_norm(eng.company), *US_ALIASES}
    ours = [i for i, name in enumerate(frame["competitor"]) if _norm(name) in names]
    if len(ours) > 1:
        raise KamError(
            loaded.file,
            f"one row for {eng.company} (the engagement's company)",
            f"rows {', '.join(str(loaded.row(i)) for i in ours)}",
            column="competitor",
        )
    if not ours:
        raise KamError(
            loaded.file,
            f"a row for {eng.company} (the engagement's company)",
            "none",
            column="competitor",
        )
    us = frame["competitor"].iloc[ours[0]]
    low, high = settings.scale
    for column in criteria:
        outside = (frame[column] < low) | (frame[column] > high)
        if outside.any():
            i = int(outside.to_numpy().nonzero()[0][0])
            raise KamError(
                loaded.file,
                f"a score from {fmt_number(low)} to {fmt_number(high)}",
                quote(f"{frame[column].iloc[i]:g}"),
                row=loaded.row(i),
                column=column,
            )
    if len(frame) == 1:
        raise KamError(
            loaded.file,
            f"at least one competitor besides {us} (the engagement's company)",
            f"only {us}",
            column="competitor",
        )
    warnings = list(loaded.warnings)
    needs_file = eng.read("needs")
    if needs_file is None:
        needs = pd.DataFrame(
            {"criterion": criteria, "importance": 1.0, "group": "", "label": criteria}
        )
    else:
        warnings += needs_file.warnings
        needs = needs_file.frame[["criterion", "importance", "group", "label"]]
        needs = needs.reset_index(drop=True)
        for i, name in enumerate(needs["criterion"]):
            if name not in criteria:
                raise KamError(
                    needs_file.file,
                    f"a score column of {loaded.file.name}",
                    quote(name),
                    row=needs_file.row(i),
                    column="criterion",
                )
        if not (needs["importance"] > 0).any():
            raise KamError(
                needs_file.file,
                "an importance above 0 for at least one criterion",
                "0 for every criterion",
                column="importance",
            )
        unlisted = [c for c in criteria if c not in set(needs["criterion"])]
        if unlisted:
            warnings.append(Note.of("unlisted_needs", criteria=unlisted))
    all_scores = frame.set_index("competitor")[criteria]
    scores = all_scores[list(needs["criterion"])]
    size = frame.set_index("competitor")["size"] if "size" in frame else None
    remarks = frame.set_index("competitor")["note"] if "note" in frame else None
    wallet = eng.read("wallet")
    wallet_frame = names = None
    if wallet is not None:
        warnings += wallet.warnings
        wallet_frame = wallet.frame.set_index("customer_id")
        wallet_frame.index = wallet_frame.index.astype(str)
        own = wallet_frame.pop("name")
        master = known_accounts(eng, upstream or {})[1] or {}
        names = pd.Series(
            [master.get(c) or own[c] for c in wallet_frame.index], wallet_frame.index, object
        )
        unnamed = list(names.index[names.eq("")])
        if unnamed:
            warnings.append(Note.of("wallet_unnamed", count=len(unnamed), examples=unnamed[:3]))
        unknown = [c for c in wallet.extra if c not in set(frame["competitor"])]
        if unknown:
            raise KamError(
                wallet.file,
                f"a competitor of {loaded.file.name}",
                quote(unknown[0]),
                row=1,
                column=unknown[0],
            )
    if settings.axes:
        groups = set(needs["group"]) - {""}
        for axis in settings.axes:
            if axis not in criteria and axis not in groups:
                raise eng.error(f"{SECTION}.axes", "criteria or criterion groups of the data", axis)
    return CompetitorInputs(
        scores=scores,
        needs=needs,
        size=size,
        us=us,
        wallet=wallet_frame,
        settings=settings,
        all_scores=all_scores,
        names=names,
        warnings=tuple(warnings),
        remarks=remarks,
    )
