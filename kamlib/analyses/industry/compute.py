"""Industry selection (行业选择): weighted scoring of candidate industries, pure computation."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kamlib.analyses.industry.read import IndustryInputs
from kamlib.core.notes import Note
from kamlib.core.scoring import (
    AHP,
    Robustness,
    Threshold,
    ahp_weights,
    apply_threshold,
    assess_robustness,
    criterion_labels,
    default_criteria,
    pairwise_matrix,
    parse_threshold,
    score_alternatives,
    signed_scores,
)


@dataclass(frozen=True)
class IndustrySelection:
    """The result of :func:`select_industries`.

    Attributes
    ----------
    table
        One row per industry, best first: ``industry``, the criterion scores, ``total``, ``rank``,
        ``selected``, ``provided_total``, ``note`` (the data's, else empty).
    contributions
        Industry × criterion weighted signed scores (what each criterion adds to the total).
    criteria
        The criteria with the weights actually used, and their ``label`` (display name) when the
        data give one.
    rule
        The threshold rule (mean, a number or the top k).
    threshold
        The threshold value the totals were compared with.
    mismatches
        Supplied totals that disagree with the scores: ``provided``, ``computed`` (Σ weight ×
        signed score with the criteria's own weights, not the AHP ones), ``difference`` by
        industry.
    warnings
        Data-quality notes.
    """

    table: pd.DataFrame
    contributions: pd.DataFrame
    criteria: pd.DataFrame
    rule: Threshold
    threshold: float
    mismatches: pd.DataFrame
    ahp: AHP | None
    robustness: Robustness | None
    warnings: tuple[Note, ...]

    def label(self, name: str) -> str:
        """The display name of a criterion (see :func:`criterion_labels`)."""
        return criterion_labels(self.criteria).get(str(name), str(name))


def select_industries(
    scores: pd.DataFrame,
    criteria: pd.DataFrame | None = None,
    *,
    threshold: Threshold | str | float = "mean",
    provided_totals: pd.Series | None = None,
    pairwise: tuple[tuple[str, str, float], ...] = (),
    perturbation: float = 0.2,
    samples: int = 1000,
    seed: int = 0,
    warnings: tuple[Note, ...] = (),
    remarks: pd.Series | None = None,
) -> IndustrySelection:
    """Score, rank and select industries.

    Parameters
    ----------
    scores
        One row per industry (index = industry name), one numeric column per criterion.
    criteria
        ``criterion``, ``weight``, ``direction``, ``group``; default: every column with
        weight 1, benefit.
    threshold
        ``"mean"`` (default), a number, ``"top 3"`` or a :class:`Threshold`.
    provided_totals
        Totals supplied with the data (index = industry), checked against Σ weight × signed
        score with the criteria's own weights (the scale they were written on, also under
        AHP); each disagreement becomes a note ``total_mismatch`` (``total_unweighted``,
        ``total_as_written`` when the supplied total is the plain sum of the scores).
    pairwise
        AHP judgements ``(a, b, ratio)``; when given, they replace the criteria weights in the
        ranking.
    perturbation, samples, seed
        The weight-robustness analysis (see :func:`kamlib.core.scoring.assess_robustness`).
    warnings
        Notes raised while reading the inputs, carried into the result.
    remarks
        The data's note on each industry (index = industry): the ranking's ``note`` column.
    """
    if criteria is None:
        criteria = default_criteria(list(scores.columns))
    criteria = criteria.copy()
    rule = threshold if isinstance(threshold, Threshold) else parse_threshold(threshold)
    notes = list(warnings)
    checked = score_alternatives(scores, criteria).totals
    ahp = None
    if pairwise:
        ahp = ahp_weights(pairwise_matrix(list(criteria["criterion"]), list(pairwise)))
        criteria["weight"] = criteria["criterion"].map(ahp.weights)
        if not ahp.consistent:
            notes.append(Note.of("ahp_inconsistent", cr=float(ahp.cr)))
    for criterion in criteria.loc[criteria["direction"].eq("cost"), "criterion"]:
        if (scores[criterion] < 0).any():
            notes.append(Note.of("cost_signed", criterion=criterion))

    scored = score_alternatives(scores, criteria)
    totals = scored.totals
    cut, selected = apply_threshold(totals.to_numpy(), scored.ranks.to_numpy(), rule)
    provided = (
        provided_totals.reindex(scores.index).astype(float)
        if provided_totals is not None
        else pd.Series(float("nan"), index=scores.index)
    )
    table = scores.copy()
    table["total"] = totals
    table["rank"] = scored.ranks
    table["selected"] = selected
    table["provided_total"] = provided
    notes_given = remarks.reindex(scores.index) if remarks is not None else None
    table["note"] = "" if notes_given is None else notes_given.fillna("").astype(str)
    table = table.rename_axis("industry").reset_index()
    table = table.sort_values(["rank", "industry"], kind="stable").reset_index(drop=True)

    differs = provided.notna() & ~pd.Series(
        [math.isclose(p, c, rel_tol=1e-9, abs_tol=0.005) for p, c in zip(provided, checked)],
        index=scores.index,
    )
    mismatches = pd.DataFrame(
        {"provided": provided[differs], "computed": checked[differs]}
    ).rename_axis("industry")
    mismatches["difference"] = mismatches["provided"] - mismatches["computed"]
    # a supplied total that is a plain sum (no weights; or the scores as written, costs
    # counted for) is said to be one: the consultant sees why, not only that, it differs
    plain = {
        "total_unweighted": signed_scores(scores, criteria).sum(axis=1),
        "total_as_written": scores[list(criteria["criterion"])].astype(float).sum(axis=1),
    }
    for name, row in mismatches.iterrows():
        code = next(
            (
                code
                for code, sums in plain.items()
                if math.isclose(row.provided, float(sums[name]), rel_tol=1e-9, abs_tol=0.005)
            ),
            "total_mismatch",
        )
        notes.append(
            Note.of(
                code,
                industry=str(name),
                provided=float(row.provided),
                computed=float(row.computed),
                difference=float(row.difference),
            )
        )
    robustness = None
    if samples:
        weights = criteria.set_index("criterion")["weight"].astype(float)
        robustness = assess_robustness(
            signed_scores(scores, criteria), weights, rule, perturbation, samples, seed
        )
    return IndustrySelection(
        table=table,
        contributions=scored.contributions.loc[table["industry"]],
        criteria=criteria,
        rule=rule,
        threshold=float(cut),
        mismatches=mismatches,
        ahp=ahp,
        robustness=robustness,
        warnings=tuple(notes),
    )


def compute(inputs: IndustryInputs, upstream: Mapping[str, Any] | None = None) -> IndustrySelection:
    """The analysis step of the contract: :func:`select_industries` on read inputs."""
    s = inputs.settings
    return select_industries(
        inputs.scores,
        inputs.criteria,
        threshold=s.threshold,
        provided_totals=inputs.provided_totals,
        pairwise=s.pairwise,
        perturbation=s.perturbation,
        samples=s.samples,
        seed=s.seed,
        warnings=inputs.warnings,
        remarks=inputs.remarks,
    )
