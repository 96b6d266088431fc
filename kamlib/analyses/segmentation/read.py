"""Customer segmentation: read and check the ledger, the customer master, the key-account
scorecard and the ``segmentation:`` settings. The only step that touches files; the ledger is
aggregated per customer in DuckDB here, once, so the computation works on frames alone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kamlib.analyses.segmentation.aggregate import ledger_pass
from kamlib.analyses.segmentation.methods import Period, default_period
from kamlib.core.config import Engagement
from kamlib.core.errors import KamError, quote
from kamlib.core.i18n import fmt_number
from kamlib.core.io import CUSTOMER_ID
from kamlib.core.ledger import load_ledger, memory_bound
from kamlib.core.notes import Note

SECTION = "segmentation"
DEFAULT_PYRAMID = (0.01, 0.04, 0.15, 0.80)

# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class SegmentationSettings:
    """The ``segmentation:`` section of ``engagement.yaml``."""

    start: dt.date | None = None
    end: dt.date | None = None
    tiers: tuple[tuple[str, float], ...] = ()
    last_tier: str = "D"
    pyramid: tuple[float, ...] = DEFAULT_PYRAMID
    key_accounts: int | None = None
    core_alignment: float = 7.0
    payment_terms_days: int = 90


def _date(eng: Engagement, key: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise eng.error(key, "a date written YYYY-MM-DD", value) from None


def read_settings(eng: Engagement) -> SegmentationSettings:
    """Parse and check the ``segmentation`` section, pointing at its line on error."""
    known = {
        "period",
        "tiers",
        "last_tier",
        "pyramid",
        "key_accounts",
        "core_alignment",
        "payment_terms_days",
    }
    raw = eng.settings(SECTION, known)
    kwargs: dict = {}
    period = raw.get("period") or {}
    if not isinstance(period, dict) or set(period) - {"start", "end"}:
        raise eng.error(f"{SECTION}.period", "a mapping with start and end", period)
    for key in ("start", "end"):
        if period.get(key) is not None:
            kwargs[key] = _date(eng, f"{SECTION}.period.{key}", period[key])
    if kwargs.get("start") and kwargs.get("end") and kwargs["start"] > kwargs["end"]:
        raise eng.error(
            f"{SECTION}.period.end", f"a date on or after {kwargs['start']}", kwargs["end"]
        )
    tiers = raw.get("tiers")
    if tiers is not None:
        if not isinstance(tiers, dict) or not tiers:
            raise eng.error(f"{SECTION}.tiers", "a mapping of tier name to lower bound", tiers)
        bounds = []
        for name, bound in tiers.items():
            if isinstance(bound, bool) or not isinstance(bound, int | float) or bound < 0:
                raise eng.error(f"{SECTION}.tiers.{name}", "a lower bound ≥ 0", bound)
            bounds.append((str(name), float(bound)))
        written = dict(zip((name for name, _ in bounds), tiers.values()))
        for (upper_name, upper), (name, bound) in zip(bounds, bounds[1:]):
            if bound >= upper:
                raise eng.error(
                    f"{SECTION}.tiers.{name}",
                    f"tiers in descending order, a bound below {upper_name}'s {fmt_number(upper)}",
                    written[name],
                )
        kwargs["tiers"] = tuple(bounds)
    if raw.get("last_tier") is not None:
        names = [name for name, _ in kwargs.get("tiers", ())]
        last = str(raw["last_tier"])
        if not last or last in names:
            other = f" other than {', '.join(names)}" if names else ""
            raise eng.error(f"{SECTION}.last_tier", f"a tier name{other}", last)
        kwargs["last_tier"] = last
    pyramid = raw.get("pyramid")
    if pyramid is not None:
        ok = (
            isinstance(pyramid, list)
            and pyramid
            and all(
                isinstance(s, int | float) and not isinstance(s, bool) and 0 < s <= 1
                for s in pyramid
            )
        )
        if not ok or not math.isclose(sum(pyramid), 1.0, abs_tol=1e-6):
            raise eng.error(
                f"{SECTION}.pyramid",
                "a list of shares from the top that add up to 1, e.g. [0.01, 0.04, 0.15, 0.80]",
                pyramid,
            )
        kwargs["pyramid"] = tuple(float(s) for s in pyramid)
    for key, lo, hi, kind in (
        ("key_accounts", 1, 10_000, int),
        ("core_alignment", 1, 10, float),
        ("payment_terms_days", 1, 3650, int),
    ):
        value = raw.get(key)
        if value is None:
            continue
        valid = isinstance(value, int | float) and not isinstance(value, bool)
        if not valid or not lo <= value <= hi or (kind is int and not float(value).is_integer()):
            raise eng.error(f"{SECTION}.{key}", f"a number from {lo} to {hi}", value)
        kwargs[key] = kind(value)
    return SegmentationSettings(**kwargs)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SegmentationInputs:
    """Everything the computation needs, read and checked.

    Attributes
    ----------
    figures
        Per-customer figures of the ledger (index = customer ID, every customer with a
        transaction), aggregated for ``period``: see
        :func:`~kamlib.analyses.segmentation.aggregate.customer_indicators`.
    customers
        The customer master (index = customer ID), or ``None``.
    period
        The analysis period.
    settings
        The ``segmentation:`` settings.
    scan
        Where every ledger row went and the counts behind the data-quality notes
        (:func:`~kamlib.analyses.segmentation.aggregate.ledger_pass`).
    ledger_file
        The ledger's file name, for the notes.
    scorecard
        The key-account scorecard's scores (index = customer ID, one column per criterion), or
        ``None``.
    scorecard_criteria
        Its criteria (``criterion``, ``weight``, ``direction``, ``group``), or ``None`` for equal
        weights.
    interactions
        The contact log (``customer_id``, ``date``, ``type``), or ``None``.
    opportunities
        The open opportunities, every column of the file, checked (``customer_id``, ``value``
        and ``can_win`` make expected sales), or ``None``; the account plans use this reading.
    opportunity_warnings
        The notes raised reading the opportunities (the account plans say them).
    targets
        The targets (``customer_id``: an account or ``all``, ``indicator``, ``target``,
        ``period``), or ``None``.
    warnings
        Notes raised while reading.
    """

    figures: pd.DataFrame
    customers: pd.DataFrame | None
    period: Period
    settings: SegmentationSettings
    scan: Mapping[str, float]
    ledger_file: str
    scorecard: pd.DataFrame | None = None
    scorecard_criteria: pd.DataFrame | None = None
    interactions: pd.DataFrame | None = None
    opportunities: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    warnings: tuple[Note, ...] = ()
    opportunity_warnings: tuple[Note, ...] = ()

    def customer_ids(self) -> set[str]:
        """Every customer the engagement knows: the ledger's and the customer master's."""
        known = {str(c) for c in self.figures.index}
        if self.customers is not None:
            known |= {str(c) for c in self.customers.index}
        return known


def read_scorecard(
    eng: Engagement,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, list[Note]]:
    """The key-account scorecard and its criteria, checked against each other, with the notes
    their loaders raised."""
    card = eng.read("account_scorecard")
    if card is None:
        return None, None, []
    warnings = list(card.warnings)
    scores = card.frame.set_index(CUSTOMER_ID)
    scores.index = scores.index.astype(str)
    scores = scores[card.extra]
    criteria = None
    criteria_file = eng.read("scorecard_criteria")
    if criteria_file is not None:
        warnings += criteria_file.warnings
        criteria = criteria_file.frame[["criterion", "weight", "direction", "group", "label"]]
        for i, name in enumerate(criteria["criterion"]):
            if name not in card.extra:
                raise KamError(
                    criteria_file.file,
                    f"a score column of {card.file.name}",
                    quote(name),
                    row=criteria_file.row(i),
                    column="criterion",
                )
        criteria = criteria.reset_index(drop=True)
    return scores, criteria, warnings


ALL = "all"
"""A target row for every key account."""


def _check_accounts(loaded: Any, known: set[str], allowed: tuple[str, ...] = ()) -> pd.DataFrame:
    """The loaded frame with text customer IDs; a row for an account the engagement does not
    know (neither in the ledger nor in the customer master) is an error."""
    frame = loaded.frame
    frame[CUSTOMER_ID] = frame[CUSTOMER_ID].astype(str)
    strangers = ~frame[CUSTOMER_ID].isin(known | set(allowed))
    if strangers.any():
        i = int(strangers.to_numpy().nonzero()[0][0])
        what = "an account of the engagement's ledger or customers"
        raise KamError(
            loaded.file,
            what + "".join(f" or {a}" for a in allowed),
            quote(frame[CUSTOMER_ID].iloc[i]),
            row=loaded.row(i),
            column=CUSTOMER_ID,
        )
    return frame


def read_contact_data(
    eng: Engagement, known: set[str]
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None, list[Note], list[Note]]:
    """The contact log, the open opportunities (every column: expected sales here, the
    four-step screen in the account plans) and the targets, each checked against the
    engagement's accounts, with the notes of the log and the targets and, apart, those of the
    opportunities (the account plans say them); a target set twice for one account (or for
    ``all``) and indicator is an error naming both rows."""
    frames: dict[str, pd.DataFrame | None] = {}
    warnings: list[Note] = []
    opportunity_warnings: list[Note] = []
    for name in ("interactions", "opportunities", "targets"):
        loaded = eng.read(name)
        if loaded is None:
            frames[name] = None
            continue
        if name == "opportunities":
            opportunity_warnings += loaded.warnings
        else:
            warnings += loaded.warnings
        frame = _check_accounts(loaded, known, (ALL,) if name == "targets" else ())
        if name == "targets":
            keys = frame[CUSTOMER_ID] + "\x00" + frame["indicator"]
            twice = keys.duplicated(keep=False)
            if twice.any():
                first = keys[twice].iloc[0]
                rows = [str(loaded.row(i)) for i in range(len(keys)) if keys.iloc[i] == first]
                customer, indicator = first.split("\x00")
                raise KamError(
                    loaded.file,
                    "one target per account (or all) and indicator",
                    f"{quote(customer)} and {indicator} in rows {', '.join(rows)}",
                    column="indicator",
                )
            frame = frame[[CUSTOMER_ID, "indicator", "target", "period"]]
        elif name == "interactions":
            frame = frame[[CUSTOMER_ID, "date", "type"]]
        frames[name] = frame.reset_index(drop=True)
    return (
        frames["interactions"],
        frames["opportunities"],
        frames["targets"],
        warnings,
        opportunity_warnings,
    )


def read_inputs(eng: Engagement, upstream: Mapping[str, Any] | None = None) -> SegmentationInputs:
    """Load the ledger (DuckDB), check the period, aggregate the ledger per customer, and read
    the optional customer master and key-account scorecard."""
    settings = read_settings(eng)
    path = eng.data_file("transactions")
    if path is None:
        raise KamError(eng.path / "transactions.csv", "a transactions data file", "no such file")
    ledger = load_ledger(path, **eng.options("transactions"))
    eng.readings["transactions"] = ledger.reading
    period = Period(
        settings.start or default_period(ledger.last).start, settings.end or ledger.last
    )
    if settings.end is None and settings.start is not None and settings.start > ledger.last:
        raise eng.error(
            f"{SECTION}.period.start",
            f"a date on or before the ledger's last date {ledger.last}",
            settings.start,
        )
    report_date = dt.date.fromisoformat(eng.date)
    with memory_bound(path):
        scan, figures = ledger_pass(ledger, period, report_date, settings.payment_terms_days)
    if not scan["in_period"]:
        raise KamError(
            path,
            f"transactions between {period.start} and {period.end}",
            f"none (the ledger runs from {ledger.first} to {ledger.last})",
        )
    if scan["period_revenue"] <= 0:
        raise KamError(
            path,
            f"a positive total amount between {period.start} and {period.end}",
            fmt_number(scan["period_revenue"], 2),
        )
    master = eng.read("customers")
    warnings = list(ledger.warnings)
    customers = None
    if master is not None:
        warnings += master.warnings
        customers = master.frame.set_index(CUSTOMER_ID)
        customers.index = customers.index.astype(str)
    scores, criteria, notes = read_scorecard(eng)
    known = {str(c) for c in figures.index}
    if customers is not None:
        known |= {str(c) for c in customers.index}
    interactions, opportunities, targets, contact_notes, opportunity_notes = read_contact_data(
        eng, known
    )
    return SegmentationInputs(
        figures=figures,
        customers=customers,
        period=period,
        settings=settings,
        scan=scan,
        ledger_file=ledger.file.name,
        scorecard=scores,
        scorecard_criteria=criteria,
        interactions=interactions,
        opportunities=opportunities,
        targets=targets,
        warnings=tuple(warnings + notes + contact_notes),
        opportunity_warnings=tuple(opportunity_notes),
    )


def known_accounts(
    eng: Engagement, upstream: Mapping[str, Any]
) -> tuple[set[str] | None, dict[str, str] | None]:
    """Every account the engagement knows and the customer names, for the analyses that
    depend on the segmentation: from its inputs in ``upstream`` (the ledger and the customer
    master, already read) or, without a ledger, from the customer master."""
    segmentation = upstream.get("customer_segmentation")
    if segmentation is not None:
        master = segmentation.customers
        names = None if master is None else {str(k): v for k, v in master["name"].items()}
        return segmentation.customer_ids(), names
    loaded = eng.read("customers")
    if loaded is None:
        return None, None
    ids = loaded.frame["customer_id"].astype(str)
    return set(ids), dict(zip(ids, loaded.frame["name"]))
