"""Competitor analysis (竞争分析, METHODS.md §4): competitive scores, gaps to the best competitor,
unique selling points and vulnerabilities, the positioning map, share of wallet and whitespace.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pandas as pd

from kamlib.core.config import Engagement
from kamlib.core.errors import KamError, quote
from kamlib.core.i18n import fmt_money, fmt_number, fmt_percent, join_names, t
from kamlib.core.scoring import default_criteria, score_alternatives

SECTION = "competitors"
US_ALIASES = ("我方", "本公司", "我们", "us", "we")


@dataclass(frozen=True)
class CompetitorSettings:
    """The ``competitors:`` section of ``engagement.yaml``."""

    axes: tuple[str, str] | None = None
    usp_margin: float = 1.0
    scale: tuple[float, float] = (1.0, 10.0)


def read_settings(eng: Engagement) -> CompetitorSettings:
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


@dataclass(frozen=True)
class CompetitorInputs:
    scores: pd.DataFrame
    needs: pd.DataFrame
    size: pd.Series | None
    us: str
    wallet: pd.DataFrame | None
    settings: CompetitorSettings
    warnings: tuple[str, ...]
    all_scores: pd.DataFrame | None = None  # every scored criterion, needed or not (for the map)


def read_inputs(eng: Engagement) -> CompetitorInputs:
    """Read ``competitors`` and the optional ``needs`` and ``wallet``, and check they fit."""
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
    warnings = list(loaded.warnings)
    needs_file = eng.read("needs")
    if needs_file is None:
        needs = pd.DataFrame({"criterion": criteria, "importance": 1.0, "group": ""})
    else:
        warnings += needs_file.warnings
        needs = needs_file.frame[["criterion", "importance", "group"]].reset_index(drop=True)
        for i, name in enumerate(needs["criterion"]):
            if name not in criteria:
                raise KamError(
                    needs_file.file,
                    f"a score column of {loaded.file.name}",
                    quote(name),
                    row=needs_file.row(i),
                    column="criterion",
                )
        unlisted = [c for c in criteria if c not in set(needs["criterion"])]
        if unlisted:
            warnings.append(
                t("w_unlisted_needs", eng.language, names=join_names(unlisted, eng.language))
            )
    all_scores = frame.set_index("competitor")[criteria]
    scores = all_scores[list(needs["criterion"])]
    size = frame.set_index("competitor")["size"] if "size" in frame else None
    wallet = eng.read("wallet")
    wallet_frame = None
    if wallet is not None:
        warnings += wallet.warnings
        wallet_frame = wallet.frame.set_index("customer_id")
        wallet_frame.index = wallet_frame.index.astype(str)
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
        scores, needs, size, us, wallet_frame, settings, tuple(warnings), all_scores
    )


@dataclass
class CompetitorAnalysis:
    """Everything the competitor notebook shows and ``results.json`` records."""

    scores: pd.DataFrame
    needs: pd.DataFrame
    table: pd.DataFrame
    gaps: pd.DataFrame
    usp: pd.DataFrame
    vulnerabilities: pd.DataFrame
    positions: pd.DataFrame
    axes: tuple[str, str]
    us: str
    wallet: pd.DataFrame | None
    warnings: list[str]
    language: str
    currency: str

    def to_results(self) -> dict:
        """The ``competitor_analysis`` entry of ``results.json``."""
        return {
            "competitors": [
                {"competitor": str(r.competitor), "score": float(r.score), "rank": int(r.rank)}
                for r in self.table.itertuples()
            ],
            "usp": [str(c) for c in self.usp["criterion"]],
            "vulnerabilities": [str(c) for c in self.vulnerabilities["criterion"]],
            "warnings": list(self.warnings),
        }


def competitive_scores(scores: pd.DataFrame, needs: pd.DataFrame) -> pd.DataFrame:
    """Weighted competitive score (weights = the customer's needs, rescaled to add up to 1, so
    the score stays on the rating scale) and rank, with the one scoring engine."""
    criteria = default_criteria(list(needs["criterion"]))
    total = float(needs["importance"].sum()) or 1.0
    criteria["weight"] = (needs["importance"] / total).to_numpy()
    criteria["group"] = needs["group"].to_numpy()
    scored = score_alternatives(scores, criteria)
    table = pd.DataFrame(
        {
            "competitor": scores.index,
            "score": scored.totals.to_numpy(),
            "rank": scored.ranks.to_numpy(),
        }
    )
    return table.sort_values(["rank", "competitor"], kind="stable", ignore_index=True)


def criterion_gaps(scores: pd.DataFrame, us: str, needs: pd.DataFrame) -> pd.DataFrame:
    """Per criterion: our score, the best competitor's score and name, and the gap (ours − best);
    positive means we lead."""
    others = scores.drop(index=us)
    best = others.max()
    leader = others.idxmax()
    return pd.DataFrame(
        {
            "criterion": scores.columns,
            "importance": needs.set_index("criterion")["importance"]
            .reindex(scores.columns)
            .to_numpy(),
            "ours": scores.loc[us].to_numpy(),
            "best": best.to_numpy(),
            "best_competitor": leader.to_numpy(),
            "gap": (scores.loc[us] - best).to_numpy(),
        }
    )


def important(gaps: pd.DataFrame) -> pd.Series:
    """Criteria the customer cares about: importance at or above the median importance."""
    return gaps["importance"] >= gaps["importance"].median()


def unique_selling_points(gaps: pd.DataFrame, margin: float) -> pd.DataFrame:
    """Seed 002: a USP is where the customer has a need and competitors meet it worse than we do:
    important criteria where we lead the best competitor by at least ``margin``."""
    chosen = gaps.loc[important(gaps) & (gaps["gap"] >= margin) & (gaps["gap"] > 0)]
    return chosen.sort_values(["importance", "gap"], ascending=False, ignore_index=True)


def vulnerabilities(gaps: pd.DataFrame, margin: float) -> pd.DataFrame:
    """Important criteria where the best competitor leads us by at least ``margin``."""
    chosen = gaps.loc[important(gaps) & (gaps["gap"] <= -margin) & (gaps["gap"] < 0)]
    return chosen.sort_values(["importance", "gap"], ascending=[False, True], ignore_index=True)


def axis_scores(scores: pd.DataFrame, needs: pd.DataFrame, axis: str) -> pd.Series:
    """A criterion's scores, or a criterion group's importance-weighted mean."""
    if axis in scores.columns:
        return scores[axis]
    members = needs.loc[needs["group"] == axis]
    weights = members.set_index("criterion")["importance"]
    if weights.sum() == 0:
        weights = weights + 1
    return (scores[weights.index] * weights).sum(axis=1) / weights.sum()


def default_axes(needs: pd.DataFrame) -> tuple[str, str]:
    """The two most important criterion groups when there are groups, else criteria."""
    groups = needs.loc[needs["group"] != ""].groupby("group", sort=False)["importance"].sum()
    if len(groups) >= 2:
        top = groups.sort_values(ascending=False, kind="stable").index[:2]
        return str(top[0]), str(top[1])
    top = needs.sort_values("importance", ascending=False, kind="stable")["criterion"]
    return str(top.iloc[0]), str(top.iloc[1] if len(top) > 1 else top.iloc[0])


def share_of_wallet(
    wallet: pd.DataFrame, our_revenue: pd.Series | None, names: pd.Series | None = None
) -> pd.DataFrame:
    """Per account: our revenue ÷ the account's total spend, and whitespace = total spend − our
    revenue, largest whitespace first. Competitor columns give their shares too."""
    ours = wallet["our_revenue"].fillna(0.0) if "our_revenue" in wallet else None
    if our_revenue is not None:
        ours = our_revenue.reindex(wallet.index).fillna(0.0)
    if ours is None:
        ours = pd.Series(0.0, index=wallet.index)
    frame = pd.DataFrame(
        {
            "name": (names.reindex(wallet.index).fillna("") if names is not None else ""),
            "total_spend": wallet["total_spend"],
            "our_revenue": ours,
        }
    )
    frame["share"] = frame["our_revenue"] / frame["total_spend"].where(frame["total_spend"] > 0)
    frame["whitespace"] = (frame["total_spend"] - frame["our_revenue"]).clip(lower=0)
    for column in wallet.columns.drop(["total_spend", "our_revenue"], errors="ignore"):
        frame[f"share:{column}"] = wallet[column] / wallet["total_spend"].where(
            wallet["total_spend"] > 0
        )
    return frame.sort_values("whitespace", ascending=False, kind="stable")


def our_revenue(seg) -> tuple[pd.Series | None, pd.Series | None, list[str]]:
    """Our revenue per account in the segmentation period, from the segmentation when there is
    one, with the key accounts' names."""
    if seg is None:
        return None, None, []
    ind = seg.indicators
    keys = list(seg.key_accounts.index)
    return ind["revenue"].fillna(0.0), ind["name"], keys


def analyse_competitors(inputs: CompetitorInputs, eng: Engagement, seg=None) -> CompetitorAnalysis:
    """Run every method of METHODS.md §4."""
    lang, s = eng.language, inputs.settings
    warnings = list(inputs.warnings)
    table = competitive_scores(inputs.scores, inputs.needs)
    gaps = criterion_gaps(inputs.scores, inputs.us, inputs.needs)
    axes = s.axes or default_axes(inputs.needs)
    mapped = inputs.all_scores if inputs.all_scores is not None else inputs.scores
    positions = pd.DataFrame(
        {
            "x": axis_scores(mapped, inputs.needs, axes[0]),
            "y": axis_scores(mapped, inputs.needs, axes[1]),
            "score": table.set_index("competitor")["score"].reindex(inputs.scores.index),
        }
    )
    positions["size"] = inputs.size if inputs.size is not None else positions["score"]
    wallet = None
    if inputs.wallet is not None:
        revenue, names, keys = our_revenue(seg)
        wallet = share_of_wallet(inputs.wallet, revenue, names)
        if keys:
            missing = [k for k in keys if k not in wallet.index]
            if missing:
                warnings.append(
                    t(
                        "w_wallet_missing",
                        lang,
                        count=len(missing),
                        examples=join_names(missing[:3], lang),
                    )
                )
            wallet["key_account"] = wallet.index.isin(keys)
    return CompetitorAnalysis(
        scores=inputs.scores,
        needs=inputs.needs,
        table=table,
        gaps=gaps,
        usp=unique_selling_points(gaps, s.usp_margin),
        vulnerabilities=vulnerabilities(gaps, s.usp_margin),
        positions=positions,
        axes=axes,
        us=inputs.us,
        wallet=wallet,
        warnings=warnings,
        language=lang,
        currency=eng.currency,
    )


def analyse_from_engagement(eng: Engagement) -> CompetitorAnalysis:
    from kamlib.run import result

    return result(eng, "competitor_analysis")


# ---------------------------------------------------------------- what the report shows


def describe_findings(ca: CompetitorAnalysis) -> list[str]:
    lang = ca.language
    table = ca.table
    ours = table.loc[table["competitor"] == ca.us].iloc[0]
    leader = table.iloc[0]
    found = []
    if int(ours["rank"]) == 1:
        others = table.loc[table["competitor"] != ca.us]
        runner = others.iloc[0] if len(others) else ours
        found.append(
            t(
                "f_we_lead",
                lang,
                us=ca.us,
                score=fmt_number(ours["score"], 2),
                n=len(table),
                second=runner["competitor"],
                gap=fmt_number(ours["score"] - runner["score"], 2),
            )
        )
    else:
        found.append(
            t(
                "f_we_rank",
                lang,
                us=ca.us,
                rank=int(ours["rank"]),
                n=len(table),
                score=fmt_number(ours["score"], 2),
                leader=leader["competitor"],
                gap=fmt_number(leader["score"] - ours["score"], 2),
            )
        )
    if len(ca.usp):
        items = [
            f"{r.criterion}（+{fmt_number(r.gap, 1)}）"
            if lang == "zh"
            else f"{r.criterion} (+{fmt_number(r.gap, 1)})"
            for r in ca.usp.itertuples()
        ]
        found.append(t("f_usp", lang, items=join_names(items, lang)))
    else:
        found.append(t("f_no_usp", lang))
    if len(ca.vulnerabilities):
        items = [
            f"{r.criterion}（{r.best_competitor} 领先 {fmt_number(-r.gap, 1)}）"
            if lang == "zh"
            else f"{r.criterion} ({r.best_competitor} leads by {fmt_number(-r.gap, 1)})"
            for r in ca.vulnerabilities.itertuples()
        ]
        found.append(t("f_vulnerable", lang, items=join_names(items, lang)))
    if ca.wallet is not None and len(ca.wallet):
        w = ca.wallet
        keyed = "key_account" in w and w["key_account"].any()
        focus = w.loc[w["key_account"]] if keyed else w
        share = focus["our_revenue"].sum() / focus["total_spend"].sum()
        top = focus.iloc[0]
        label = top["name"] or top.name
        found.append(
            t(
                "f_wallet" if keyed else "f_wallet_all",
                lang,
                share=fmt_percent(share, 1),
                n=len(focus),
                whitespace=fmt_money(focus["whitespace"].sum(), lang, ca.currency),
                top=label,
                top_ws=fmt_money(top["whitespace"], lang, ca.currency),
            )
        )
    return found


def scores_view(ca: CompetitorAnalysis) -> pd.DataFrame:
    lang = ca.language
    frame = ca.table.copy()
    shown = pd.DataFrame(
        {t("rank", lang): frame["rank"], t("competitor", lang): frame["competitor"]}
    )
    for criterion in ca.scores.columns:
        shown[criterion] = ca.scores.loc[frame["competitor"], criterion].map(fmt_number).to_numpy()
    shown[t("comp_score", lang)] = frame["score"].map(lambda v: fmt_number(v, 2))
    return shown


def gaps_view(ca: CompetitorAnalysis, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    lang = ca.language
    g = ca.gaps if rows is None else rows
    if g.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            t("criterion", lang): g["criterion"],
            t("importance", lang): g["importance"].map(fmt_number),
            t("ours", lang): g["ours"].map(fmt_number),
            t("best_competitor", lang): g["best_competitor"],
            t("best", lang): g["best"].map(fmt_number),
            t("gap", lang): g["gap"].map(lambda v: ("+" if v > 0 else "") + fmt_number(v, 1)),
        }
    )


def wallet_view(ca: CompetitorAnalysis, n: int = 20) -> pd.DataFrame:
    lang = ca.language
    w = ca.wallet
    if w is None:
        return pd.DataFrame()
    if "key_account" in w and w["key_account"].any():
        w = w.loc[w["key_account"]]
    w = w.head(n)
    money = lambda v: fmt_money(v, lang, ca.currency)  # noqa: E731
    frame = pd.DataFrame(
        {
            t("customer", lang): [
                f"{name}（{cid}）" if name and lang == "zh" else f"{name} ({cid})" if name else cid
                for cid, name in zip(w.index, w["name"])
            ],
            t("total_spend", lang): w["total_spend"].map(money).to_numpy(),
            t("our_revenue", lang): w["our_revenue"].map(money).to_numpy(),
            t("share_of_wallet", lang): w["share"]
            .map(lambda v: "—" if pd.isna(v) else fmt_percent(v, 1))
            .to_numpy(),
            t("whitespace", lang): w["whitespace"].map(money).to_numpy(),
        }
    )
    rivals = [c for c in w.columns if c.startswith("share:")]
    if rivals:
        shares = w[rivals].fillna(0)
        main = shares.idxmax(axis=1).str.split(":", n=1).str[1]
        frame[t("main_rival", lang)] = [
            f"{name}（{fmt_percent(v, 0)}）"
            if lang == "zh"
            else f"{name} ({fmt_percent(v, 0)})"
            if v > 0
            else "—"
            for name, v in zip(main, shares.max(axis=1))
        ]
    return frame
