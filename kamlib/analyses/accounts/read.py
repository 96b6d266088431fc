"""Account plans: read and check the contacts, opportunities and relationships files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kamlib.analyses.segmentation.read import known_accounts
from kamlib.core.config import Engagement
from kamlib.core.errors import KamError, quote
from kamlib.core.notes import Note

PLAN_FILES = ("contacts", "opportunities", "relationships")


@dataclass(frozen=True)
class AccountInputs:
    """The plan data, checked; ``None`` for a file the engagement does not have.

    Attributes
    ----------
    today
        The report date: contacts are recent when met within 90 days of it.
    known
        Every account the engagement knows (ledger and customer master), sorted; ``None`` when
        it has neither.
    names
        Customer names from the customer master.
    """

    contacts: pd.DataFrame | None
    opportunities: pd.DataFrame | None
    relationships: pd.DataFrame | None
    today: dt.date
    known: tuple[str, ...] | None = None
    names: Mapping[str, str] | None = None
    warnings: tuple[Note, ...] = ()


def read_inputs(eng: Engagement, upstream: Mapping[str, Any] | None = None) -> AccountInputs:
    """Read the optional contacts, opportunities and relationships; a row for an account the
    engagement does not know, or a contact dated after the report date, is an error. The
    opportunities come from the segmentation's inputs in ``upstream`` when it read them (one
    reading per run), else from the file."""
    upstream = upstream or {}
    today = dt.date.fromisoformat(eng.date)
    known, names = known_accounts(eng, upstream)
    frames: dict[str, pd.DataFrame | None] = {}
    warnings: list[Note] = []
    segmentation = upstream.get("customer_segmentation")
    for name in PLAN_FILES:
        if name == "opportunities" and segmentation is not None:
            # read once: the segmentation's reading, checked against the same accounts
            shared = segmentation.opportunities
            frames[name] = None if shared is None else shared.copy()
            warnings += segmentation.opportunity_warnings
            continue
        loaded = eng.read(name)
        if loaded is None:
            frames[name] = None
            continue
        warnings += loaded.warnings
        frame = loaded.frame
        frame["customer_id"] = frame["customer_id"].astype(str)
        if known is not None:
            strangers = ~frame["customer_id"].isin(known)
            if strangers.any():
                i = int(np.flatnonzero(strangers.to_numpy())[0])
                raise KamError(
                    loaded.file,
                    "an account of the engagement's ledger or customers",
                    quote(frame["customer_id"].iloc[i]),
                    row=loaded.row(i),
                    column="customer_id",
                )
        if name == "contacts":
            future = frame["last_contact"] > pd.Timestamp(today)
            if future.any():
                i = int(np.flatnonzero(future.to_numpy())[0])
                raise KamError(
                    loaded.file,
                    f"a date on or before the report date {today}",
                    quote(frame["last_contact"].iloc[i].date()),
                    row=loaded.row(i),
                    column="last_contact",
                )
        frames[name] = frame
    return AccountInputs(
        frames["contacts"],
        frames["opportunities"],
        frames["relationships"],
        today,
        None if known is None else tuple(sorted(known)),
        names,
        tuple(warnings),
    )
