"""The one weighted-scoring engine: criteria, weights (direct or AHP), thresholds and robustness.

Industry selection and the key-account scorecard both score alternatives with
:func:`score_alternatives`; nothing else in the suite computes a weighted total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Saaty's random consistency index for matrices of order 1..15.
RANDOM_INDEX = (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
CR_LIMIT = 0.10


def default_criteria(columns: list[str]) -> pd.DataFrame:
    """Criteria with weight 1, direction benefit, no group and their names as labels, one per
    score column."""
    return pd.DataFrame(
        {
            "criterion": list(columns),
            "weight": 1.0,
            "direction": "benefit",
            "group": "",
            "label": list(columns),
        }
    )


def criterion_labels(criteria: pd.DataFrame) -> dict[str, str]:
    """Each criterion's display name: its ``label`` where the data give one, else its name.

    The report shows labels ("Market size"); the data, the settings and results.json keep the
    names (``market_size``).
    """
    names = [str(c) for c in criteria["criterion"]]
    if "label" not in criteria:
        return dict(zip(names, names))
    labels = criteria["label"].fillna("").astype(str).str.strip()
    return {n: lab or n for n, lab in zip(names, labels)}


@dataclass(frozen=True)
class Scored:
    """Weighted scores of alternatives.

    Attributes
    ----------
    contributions
        Alternatives × criteria: weight × signed score, where a cost criterion counts as −|score|.
    totals
        Row sums of ``contributions``.
    ranks
        1 = best; ties share the better rank (1, 2, 2, 4).
    groups
        Alternatives × criterion groups: subtotals (empty when no group is named).
    """

    contributions: pd.DataFrame
    totals: pd.Series
    ranks: pd.Series
    groups: pd.DataFrame


def signed_scores(scores: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """Scores with cost criteria turned negative.

    Both conventions give the same number: a cost criterion holding a positive
    magnitude counts as −magnitude, and a pre-signed negative score under a benefit criterion
    counts as it is. A cost criterion holding a negative score counts as −|score| too.
    """
    cols = list(criteria["criterion"])
    values = scores[cols].astype(float)
    cost = criteria.set_index("criterion")["direction"].eq("cost").reindex(cols).to_numpy()
    values.loc[:, cost] = -values.loc[:, cost].abs()
    return values


def rank_desc(totals: pd.Series) -> pd.Series:
    """Competition ranks, highest total first (1, 2, 2, 4); totals equal but for floating-point
    rounding (weights such as 1/3) tie."""
    return totals.round(9).rank(method="min", ascending=False).astype(int)


def score_alternatives(scores: pd.DataFrame, criteria: pd.DataFrame) -> Scored:
    """Weighted total = Σ weight × signed score, with ranks and group subtotals.

    Parameters
    ----------
    scores
        One row per alternative (its index names it), one column per criterion.
    criteria
        Columns ``criterion``, ``weight``, ``direction`` (``benefit``/``cost``), ``group``.
    """
    weights = criteria.set_index("criterion")["weight"].astype(float)
    contributions = signed_scores(scores, criteria) * weights
    totals = contributions.sum(axis=1)
    groups = criteria.set_index("criterion")["group"].fillna("")
    if groups.ne("").any():
        subtotals = (
            contributions.T.groupby(groups.reindex(contributions.columns), sort=False).sum().T
        )
    else:
        subtotals = pd.DataFrame(index=contributions.index)
    return Scored(contributions, totals, rank_desc(totals), subtotals)


@dataclass(frozen=True)
class Threshold:
    """A selection rule: ``mean`` of totals, a fixed ``number`` or the ``top`` k."""

    kind: str
    value: float | None = None

    def describe(self) -> str:
        if self.kind == "mean":
            return "mean"
        if self.kind == "top":
            return f"top {int(self.value or 0)}"
        return f"{self.value:g}"


def parse_threshold(value: object) -> Threshold:
    """Read a threshold setting: ``mean``, a number, ``top 3`` (also ``top-3``, ``top3``, ``前3``)
    or ``{top: 3}``.

    Raises
    ------
    ValueError
        With the expected forms, when ``value`` is none of them.
    """
    if isinstance(value, bool):
        raise ValueError("mean, a number, or top k")
    if isinstance(value, int | float):
        return Threshold("number", float(value))
    if isinstance(value, dict) and set(value) == {"top"}:
        value = f"top {value['top']}"
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("mean", "average", "平均", "平均分"):
            return Threshold("mean")
        match = re.fullmatch(r"(?:top|前)\s*-?\s*(\d+)", text)
        if match and int(match.group(1)) > 0:
            return Threshold("top", float(match.group(1)))
        try:
            return Threshold("number", float(text))
        except ValueError:
            pass
    raise ValueError("mean, a number, or top k")


def apply_threshold(totals: np.ndarray, ranks: np.ndarray, rule: Threshold) -> tuple:
    """Threshold values and selection masks for one or many rows of totals.

    ``totals`` and ``ranks`` are (alternatives,) or (samples, alternatives). At or above the
    threshold is selected; for top k, the k best ranks (ties included) are selected and the
    threshold is the lowest selected total.
    """
    if rule.kind == "mean":
        threshold = totals.mean(axis=-1)
        selected = totals >= np.expand_dims(threshold, -1) - 1e-9
    elif rule.kind == "number":
        threshold = np.full(totals.shape[:-1], rule.value)
        selected = totals >= rule.value - 1e-9
    else:
        selected = ranks <= rule.value
        threshold = np.where(selected, totals, np.inf).min(axis=-1)
    return threshold, selected


@dataclass(frozen=True)
class AHP:
    """Weights derived from a pairwise comparison matrix (Saaty's eigenvector method)."""

    matrix: pd.DataFrame
    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_LIMIT


def ahp_weights(matrix: pd.DataFrame) -> AHP:
    """Principal-eigenvector weights (summing to 1), λmax, CI = (λmax − n)/(n − 1), CR = CI/RI.
    λmax ≥ n for a reciprocal matrix, so CI and CR are never below 0: the rounding of a
    perfectly consistent matrix (λmax = n − 1e-15) is clamped to 0.

    Parameters
    ----------
    matrix
        A positive reciprocal matrix: ``matrix.loc[a, b]`` says how many times ``a`` is as
        important as ``b``; index and columns are the same criteria.
    """
    values = matrix.to_numpy(dtype=float)
    n = len(values)
    eigenvalues, eigenvectors = np.linalg.eig(values)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    weights = pd.Series(vector / vector.sum(), index=matrix.index, name="weight")
    lambda_max = float(eigenvalues[k].real)
    ci = max(0.0, (lambda_max - n) / (n - 1)) if n > 2 else 0.0
    ri = RANDOM_INDEX[n - 1] if n <= len(RANDOM_INDEX) else RANDOM_INDEX[-1]
    cr = ci / ri if ri else 0.0
    return AHP(matrix, weights, lambda_max, ci, cr)


def pairwise_matrix(criteria: list[str], judgements: list[tuple[str, str, float]]) -> pd.DataFrame:
    """A reciprocal matrix from judgements ``(a, b, v)``: a is v times as important as b.

    Every pair must be judged exactly once (in either order).

    Raises
    ------
    ValueError
        With args (expected, found): the unknown criterion, the repeated pair or the first
        missing pair.
    """
    position = {c: i for i, c in enumerate(criteria)}
    values = np.eye(len(criteria))
    judged: set[frozenset[str]] = set()
    for a, b, v in judgements:
        for c in (a, b):
            if c not in position:
                raise ValueError("a criterion of the scores table", c)
        pair = frozenset((a, b))
        if a == b or pair in judged:
            raise ValueError("each pair of different criteria judged once", f"{a} / {b}")
        judged.add(pair)
        values[position[a], position[b]] = v
        values[position[b], position[a]] = 1 / v
    for i, a in enumerate(criteria):
        for b in criteria[i + 1 :]:
            if frozenset((a, b)) not in judged:
                raise ValueError("a judgement for every pair of criteria", f"none for {a} / {b}")
    return pd.DataFrame(values, index=criteria, columns=criteria)


@dataclass(frozen=True)
class Robustness:
    """How the selection holds when weights move.

    Attributes
    ----------
    one_at_a_time
        One row per scenario (criterion, change): the alternatives whose selection or rank changed.
    summary
        Per alternative: ``selected_share`` (random samples in which it is selected),
        ``same_decision`` and ``same_rank`` (shares of random samples that keep the base
        decision and rank), ``rank_min`` / ``rank_max`` over the samples, and ``oat_stable``
        (share of one-at-a-time scenarios that keep both decision and rank).
    """

    perturbation: float
    samples: int
    one_at_a_time: pd.DataFrame
    summary: pd.DataFrame


def _ranks(totals: np.ndarray) -> np.ndarray:
    """Row-wise competition ranks of a (samples, alternatives) array, highest first."""
    greater = (totals[:, None, :] > totals[:, :, None] + 1e-9).sum(axis=2)
    return greater + 1


def assess_robustness(
    signed: pd.DataFrame,
    weights: pd.Series,
    rule: Threshold,
    perturbation: float = 0.2,
    samples: int = 1000,
    seed: int = 0,
) -> Robustness:
    """Perturb the weights and count how often each alternative keeps its decision and rank.

    One at a time: each weight × (1 ± ``perturbation``). Random: every weight × an independent
    uniform factor in [1 − ``perturbation``, 1 + ``perturbation``], ``samples`` draws from a
    generator seeded with ``seed``.
    """
    values = signed[weights.index].to_numpy(dtype=float)
    w = weights.to_numpy(dtype=float)
    base_totals = values @ w
    base_ranks = _ranks(base_totals[None, :])[0]
    _, base_selected = apply_threshold(base_totals, base_ranks, rule)
    names = np.asarray(signed.index)

    scenarios = []
    oat_weights = []
    for j, criterion in enumerate(weights.index):
        for change in (-perturbation, perturbation):
            moved = w.copy()
            moved[j] *= 1 + change
            scenarios.append((criterion, change))
            oat_weights.append(moved)
    oat_totals = np.asarray(oat_weights) @ values.T
    oat_ranks = _ranks(oat_totals)
    _, oat_selected = apply_threshold(oat_totals, oat_ranks, rule)
    oat = pd.DataFrame(
        {
            "criterion": [s[0] for s in scenarios],
            "change": [s[1] for s in scenarios],
            "selection_changed": [list(names[row]) for row in oat_selected != base_selected],
            "rank_changed": [list(names[row]) for row in oat_ranks != base_ranks],
        }
    )

    rng = np.random.default_rng(seed)
    factors = rng.uniform(1 - perturbation, 1 + perturbation, size=(samples, len(w)))
    totals = (factors * w) @ values.T
    ranks = _ranks(totals)
    _, selected = apply_threshold(totals, ranks, rule)
    summary = pd.DataFrame(
        {
            "selected_share": selected.mean(axis=0),
            "same_decision": (selected == base_selected).mean(axis=0),
            "same_rank": (ranks == base_ranks).mean(axis=0),
            "rank_min": ranks.min(axis=0),
            "rank_max": ranks.max(axis=0),
            "oat_stable": ((oat_selected == base_selected) & (oat_ranks == base_ranks)).mean(
                axis=0
            ),
        },
        index=signed.index,
    )
    return Robustness(perturbation, samples, oat, summary)
