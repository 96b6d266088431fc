"""Industry selection (行业选择, METHODS.md §1): weighted scoring of candidate industries."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from kamlib.config import Engagement
from kamlib.errors import KamError, quote
from kamlib.i18n import fmt_number, fmt_percent, fmt_signed, join_names, t
from kamlib.scoring import (
    AHP,
    Robustness,
    Threshold,
    ahp_weights,
    apply_threshold,
    assess_robustness,
    default_criteria,
    pairwise_matrix,
    parse_threshold,
    score_alternatives,
    signed_scores,
)

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
    """Validated inputs: scores (index = industry), criteria, supplied totals and warnings."""

    scores: pd.DataFrame
    criteria: pd.DataFrame
    provided_totals: pd.Series
    settings: IndustrySettings
    warnings: tuple[str, ...] = ()


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


def read_inputs(eng: Engagement) -> IndustryInputs:
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
        criteria = criteria_file.frame[["criterion", "weight", "direction", "group"]]
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
    return IndustryInputs(scores, criteria, provided, settings, tuple(warnings))


@dataclass(frozen=True)
class IndustrySelection:
    """The result of :func:`select_industries`.

    Attributes
    ----------
    table
        One row per industry, best first: ``industry``, the criterion scores, ``total``, ``rank``,
        ``selected``, ``provided_total``.
    contributions
        Industry × criterion weighted signed scores (what each criterion adds to the total).
    criteria
        The criteria with the weights actually used.
    threshold
        The threshold value the totals were compared with.
    """

    table: pd.DataFrame
    contributions: pd.DataFrame
    criteria: pd.DataFrame
    rule: Threshold
    threshold: float
    mismatches: pd.DataFrame
    ahp: AHP | None
    robustness: Robustness | None
    warnings: tuple[str, ...]
    language: str

    def to_results(self) -> dict:
        """The ``industry_selection`` entry of ``results.json``."""
        rows = [
            {
                "industry": str(r.industry),
                "total": float(r.total),
                "rank": int(r.rank),
                "selected": bool(r.selected),
                "provided_total": None if pd.isna(r.provided_total) else float(r.provided_total),
            }
            for r in self.table.itertuples(index=False)
        ]
        return {
            "threshold": float(self.threshold),
            "industries": rows,
            "warnings": list(self.warnings),
        }


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
    language: str = "en",
    warnings: tuple[str, ...] = (),
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
        Totals supplied with the data (index = industry); each disagreement becomes a warning.
    pairwise
        AHP judgements ``(a, b, ratio)``; when given, they replace the criteria weights.
    perturbation, samples, seed
        The weight-robustness analysis (see :func:`kamlib.scoring.assess_robustness`).
    language
        Language of warnings.
    warnings
        Warnings raised while reading the inputs, carried into the result.
    """
    if criteria is None:
        criteria = default_criteria(list(scores.columns))
    criteria = criteria.copy()
    rule = threshold if isinstance(threshold, Threshold) else parse_threshold(threshold)
    notes = list(warnings)
    ahp = None
    if pairwise:
        ahp = ahp_weights(pairwise_matrix(list(criteria["criterion"]), list(pairwise)))
        criteria["weight"] = criteria["criterion"].map(ahp.weights)
        if not ahp.consistent:
            notes.append(t("w_ahp", language, cr=f"{ahp.cr:.2f}"))
    for criterion in criteria.loc[criteria["direction"].eq("cost"), "criterion"]:
        if (scores[criterion] < 0).any():
            notes.append(t("w_cost_signed", language, criterion=criterion))

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
    table = table.rename_axis("industry").reset_index()
    table = table.sort_values(["rank", "industry"], kind="stable").reset_index(drop=True)

    differs = provided.notna() & ~pd.Series(
        [math.isclose(p, c, rel_tol=1e-9, abs_tol=0.005) for p, c in zip(provided, totals)],
        index=scores.index,
    )
    mismatches = pd.DataFrame(
        {"provided": provided[differs], "computed": totals[differs]}
    ).rename_axis("industry")
    mismatches["difference"] = mismatches["provided"] - mismatches["computed"]
    for name, row in mismatches.iterrows():
        notes.append(
            t(
                "w_total",
                language,
                industry=name,
                provided=fmt_number(row.provided, 2),
                computed=fmt_number(row.computed, 2),
                diff=fmt_number(row.difference, 2),
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
        language=language,
    )


def select_from_engagement(eng: Engagement) -> IndustrySelection:
    """Read an engagement's industry data and settings and run :func:`select_industries`."""
    inputs = read_inputs(eng)
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
        language=eng.language,
        warnings=inputs.warnings,
    )


def describe_threshold(sel: IndustrySelection) -> str:
    """The threshold as a phrase: ``平均分 29.1`` / ``the mean total, 29.1``."""
    lang, value = sel.language, fmt_number(sel.threshold)
    if sel.rule.kind == "top":
        return t("threshold_top", lang, k=int(sel.rule.value or 0), value=value)
    return t(f"threshold_{sel.rule.kind}", lang, value=value)


def describe_findings(sel: IndustrySelection) -> list[str]:
    """The findings as sentences computed from the result, most important first."""
    lang = sel.language
    table = sel.table
    chosen = table.loc[table["selected"]]
    names = [
        f"{r.industry}（{fmt_number(r.total)}）"
        if lang == "zh"
        else f"{r.industry} ({fmt_number(r.total)})"
        for r in chosen.itertuples()
    ]
    findings = [
        t(
            "f_selected",
            lang,
            n=len(table),
            k=len(chosen),
            threshold=describe_threshold(sel),
            names=join_names(names, lang),
        )
    ]
    leaders = table.loc[table["rank"].eq(1), "industry"].tolist()
    if len(leaders) > 1:
        findings.append(
            t(
                "f_tie",
                lang,
                names=join_names(leaders, lang),
                total=fmt_number(table["total"].iloc[0]),
            )
        )
    elif len(table) > 1:
        leader, second = table.iloc[0], table.iloc[1]
        lead = sel.contributions.loc[leader["industry"]] - sel.contributions.mean()
        drivers = lead.sort_values(ascending=False).index[:2].tolist()
        findings.append(
            t(
                "f_leader",
                lang,
                leader=leader["industry"],
                total=fmt_number(leader["total"]),
                second=second["industry"],
                gap=fmt_number(leader["total"] - second["total"]),
                drivers=join_names(drivers, lang),
            )
        )
    means = sel.contributions.mean()
    if (means < 0).any():
        worst = means.idxmin()
        findings.append(t("f_drag", lang, criterion=worst, value=fmt_signed(means[worst])))
    if sel.ahp is not None:
        verdict = t("ahp_ok" if sel.ahp.consistent else "ahp_bad", lang)
        findings.append(t("f_ahp", lang, cr=f"{sel.ahp.cr:.2f}", verdict=verdict))
    if sel.robustness is not None:
        summary = sel.robustness.summary
        pct = fmt_percent(sel.robustness.perturbation)
        fragile = summary.loc[summary["same_decision"].lt(1)].sort_values("same_decision")
        if fragile.empty:
            findings.append(t("f_robust_all", lang, pct=pct, samples=sel.robustness.samples))
        else:
            items = [
                t("f_fragile_item", lang, name=name, share=fmt_percent(row.selected_share))
                for name, row in fragile.iterrows()
            ]
            findings.append(
                t(
                    "f_robust",
                    lang,
                    pct=pct,
                    samples=sel.robustness.samples,
                    stable=len(summary) - len(fragile),
                    fragile=join_names(items, lang),
                )
            )
    if len(sel.mismatches):
        findings.append(t("f_mismatch", lang, names=join_names(list(sel.mismatches.index), lang)))
    return findings


def ranking_table(sel: IndustrySelection) -> pd.DataFrame:
    """The ranked table as shown in the report, headers in the report's language, ★ for selected."""
    lang = sel.language
    table = sel.table
    criteria = list(sel.criteria["criterion"])
    shown = pd.DataFrame({t("rank", lang): table["rank"], t("industry", lang): table["industry"]})
    for c in criteria:
        shown[c] = table[c].map(fmt_number)
    shown[t("total", lang)] = table["total"].map(fmt_number)
    shown[t("selected", lang)] = table["selected"].map(lambda s: "★" if s else "")
    if table["provided_total"].notna().any():
        shown[t("provided_total", lang)] = table["provided_total"].map(fmt_number)
    return shown


def criteria_table(sel: IndustrySelection) -> pd.DataFrame:
    """The criteria with their weight, direction and group, headers in the report's language."""
    lang = sel.language
    c = sel.criteria
    shown = pd.DataFrame(
        {
            t("criterion", lang): c["criterion"],
            t("weight", lang): c["weight"].map(lambda w: fmt_number(w, 3)),
            t("direction", lang): c["direction"].map(lambda d: t(d, lang)),
        }
    )
    if c["group"].ne("").any():
        shown[t("group", lang)] = c["group"]
    return shown


def robustness_table(sel: IndustrySelection) -> pd.DataFrame:
    """Per industry: how often it is selected and keeps its decision and rank."""
    lang = sel.language
    if sel.robustness is None:
        return pd.DataFrame()
    s = sel.robustness.summary.loc[sel.table["industry"]]
    return pd.DataFrame(
        {
            t("industry", lang): s.index,
            t("rank", lang): sel.table["rank"].to_numpy(),
            t("selected_share", lang): s["selected_share"].map(fmt_percent).to_numpy(),
            t("same_decision", lang): s["same_decision"].map(fmt_percent).to_numpy(),
            t("same_rank", lang): s["same_rank"].map(fmt_percent).to_numpy(),
            t("rank_range", lang): [f"{a}–{b}" for a, b in zip(s["rank_min"], s["rank_max"])],
            t("oat_stable", lang): s["oat_stable"].map(fmt_percent).to_numpy(),
        }
    )


def sensitivity_table(sel: IndustrySelection) -> pd.DataFrame:
    """One-at-a-time scenarios that change something: which industries change decision or rank."""
    lang = sel.language
    if sel.robustness is None:
        return pd.DataFrame()
    oat = sel.robustness.one_at_a_time
    moved = oat.loc[oat["selection_changed"].map(len).gt(0) | oat["rank_changed"].map(len).gt(0)]
    return pd.DataFrame(
        {
            t("scenario", lang): [
                f"{r.criterion} {'+' if r.change > 0 else '−'}{fmt_percent(abs(r.change))}"
                for r in moved.itertuples()
            ],
            t("selection_changed", lang): moved["selection_changed"].map(
                lambda v: join_names(v, lang)
            ),
            t("rank_changed", lang): moved["rank_changed"].map(lambda v: join_names(v, lang)),
        }
    )


def ahp_table(sel: IndustrySelection) -> pd.DataFrame:
    """The AHP pairwise matrix with the derived weights; empty when the weights were direct."""
    if sel.ahp is None:
        return pd.DataFrame()
    lang = sel.language
    matrix = sel.ahp.matrix.map(lambda v: fmt_number(v, 2))
    matrix[t("ahp_weight", lang)] = sel.ahp.weights.map(fmt_percent)
    return matrix.rename_axis(t("criterion", lang)).reset_index()


def ahp_summary(sel: IndustrySelection) -> str:
    """λmax, CI and CR of the AHP weights, or that the weights were direct."""
    if sel.ahp is None:
        return t("ahp_none", sel.language)
    a = sel.ahp
    return t(
        "ahp_stats", sel.language, lmax=f"{a.lambda_max:.3f}", ci=f"{a.ci:.3f}", cr=f"{a.cr:.3f}"
    )
