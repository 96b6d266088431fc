"""Words and number formats of the report in its two languages, ``zh`` and ``en``."""

from __future__ import annotations

import math

TEXT: dict[str, dict[str, str]] = {
    # report frame
    "contents": {"zh": "目录", "en": "Contents"},
    "summary": {"zh": "执行摘要", "en": "Executive summary"},
    "prepared_for": {"zh": "呈送", "en": "Prepared for"},
    "prepared_by": {"zh": "顾问", "en": "Consultant"},
    "company": {"zh": "分析对象", "en": "Company analysed"},
    "date": {"zh": "日期", "en": "Date"},
    "analyses": {"zh": "分析报告", "en": "Analyses"},
    "appendix": {"zh": "附录：方法说明与数据质量", "en": "Appendix: method notes and data quality"},
    "no_warnings": {"zh": "未发现数据质量问题。", "en": "No data-quality issues were found."},
    "warnings": {"zh": "数据质量提示", "en": "Data-quality warnings"},
    "generated": {"zh": "生成时间", "en": "Generated"},
    "back": {"zh": "返回报告首页", "en": "Back to the report overview"},
    "industry_selection": {"zh": "行业选择", "en": "Industry selection"},
    # industry table
    "industry": {"zh": "行业", "en": "Industry"},
    "total": {"zh": "总分", "en": "Total"},
    "rank": {"zh": "排名", "en": "Rank"},
    "selected": {"zh": "入选", "en": "Selected"},
    "provided_total": {"zh": "客户提供总分", "en": "Supplied total"},
    "criterion": {"zh": "指标", "en": "Criterion"},
    "weight": {"zh": "权重", "en": "Weight"},
    "direction": {"zh": "方向", "en": "Direction"},
    "group": {"zh": "分组", "en": "Group"},
    "benefit": {"zh": "效益型（越大越好）", "en": "benefit (higher is better)"},
    "cost": {"zh": "成本型（计为负分）", "en": "cost (counts against)"},
    "threshold": {"zh": "门槛", "en": "Threshold"},
    "selected_share": {"zh": "入选比例", "en": "Selected in"},
    "same_decision": {"zh": "结论不变", "en": "Same decision"},
    "same_rank": {"zh": "排名不变", "en": "Same rank"},
    "rank_range": {"zh": "排名区间", "en": "Rank range"},
    "oat_stable": {"zh": "单项 ±变动下稳定", "en": "Stable one at a time"},
    "scenario": {"zh": "情景", "en": "Scenario"},
    "selection_changed": {"zh": "入选结论改变", "en": "Selection changed"},
    "rank_changed": {"zh": "排名改变", "en": "Rank changed"},
    "none": {"zh": "无", "en": "none"},
    "contribution": {"zh": "加权得分", "en": "Weighted contribution"},
    "score": {"zh": "评分", "en": "Score"},
    "threshold_mean": {"zh": "平均分 {value}", "en": "the mean total, {value}"},
    "threshold_number": {"zh": "设定分数线 {value}", "en": "the set threshold, {value}"},
    "threshold_top": {
        "zh": "前 {k} 名（最低入选分 {value}）",
        "en": "the top {k} ({value} or more)",
    },
    "oat_none": {
        "zh": "单项权重 ±变动不改变任何行业的入选结论或排名。",
        "en": "No one-at-a-time weight change alters any industry's decision or rank.",
    },
    "ahp_none": {
        "zh": "本项目的权重为直接给定（未使用 AHP 两两比较）。",
        "en": "The weights were given directly (no AHP pairwise comparisons).",
    },
    "ahp_weight": {"zh": "AHP 权重", "en": "AHP weight"},
    "ahp_stats": {
        "zh": "λmax = {lmax}，CI = {ci}，CR = {cr}",
        "en": "λmax = {lmax}, CI = {ci}, CR = {cr}",
    },
    # charts
    "c_heatmap": {
        "zh": "各行业评分（成本型指标计为负分）",
        "en": "Scores by industry (costs count negative)",
    },
    "c_contrib": {
        "zh": "总分构成：各指标的加权得分",
        "en": "What makes each total: weighted contributions",
    },
    "c_contrib_x": {"zh": "加权得分", "en": "Weighted score"},
    "c_total": {"zh": "总分", "en": "Total"},
    "c_threshold": {"zh": "门槛 {value}", "en": "Threshold {value}"},
    "c_robust": {
        "zh": "权重随机变动 ±{pct} 时的入选比例与排名稳定性",
        "en": "Selected share and rank stability with weights varied ±{pct}",
    },
    "c_robust_x": {"zh": "模拟中的比例", "en": "Share of draws"},
    # industry findings
    "f_selected": {
        "zh": "在 {n} 个候选行业中，{k} 个达到门槛（{threshold}）并入选：{names}。",
        "en": "{k} of {n} candidate industries reach the threshold ({threshold}) and are "
        "selected: {names}.",
    },
    "f_leader": {
        "zh": "{leader}以 {total} 分排名第一，领先第二名{second} {gap} 分；优势主要来自{drivers}。",
        "en": "{leader} ranks first with {total}, {gap} ahead of {second}; its lead comes mainly "
        "from {drivers}.",
    },
    "f_tie": {
        "zh": "{names}以 {total} 分并列第一。",
        "en": "{names} share first place with {total}.",
    },
    "f_drag": {
        "zh": "拉低总分最多的指标是{criterion}（各行业平均 {value} 分）。",
        "en": "The criterion that pulls totals down most is {criterion} (on average {value}).",
    },
    "f_robust": {
        "zh": "权重在 ±{pct} 内随机变动（{samples} 次模拟）时，{stable} 个行业的入选结论始终不变；"
        "结论可能改变的是{fragile}。",
        "en": "When the weights vary at random within ±{pct} ({samples} draws), {stable} "
        "industries always keep their decision; the decision can change for {fragile}.",
    },
    "f_robust_all": {
        "zh": "权重在 ±{pct} 内随机变动（{samples} 次模拟）时，所有行业的入选结论都不变。",
        "en": "When the weights vary at random within ±{pct} ({samples} draws), every industry "
        "keeps its decision.",
    },
    "f_fragile_item": {
        "zh": "{name}（在 {share} 的模拟中入选）",
        "en": "{name} (selected in {share} of the draws)",
    },
    "f_ahp": {
        "zh": "权重由层次分析法（AHP）两两比较得出，一致性比率 CR = {cr}{verdict}。",
        "en": "The weights come from pairwise comparisons (AHP); the consistency ratio is "
        "CR = {cr}{verdict}.",
    },
    "ahp_ok": {"zh": "（≤ 0.10，可以接受）", "en": " (≤ 0.10, acceptable)"},
    "ahp_bad": {
        "zh": "（> 0.10，判断不一致，请复核两两比较）",
        "en": " (> 0.10: the judgements are inconsistent and should be revisited)",
    },
    "f_mismatch": {
        "zh": "{names}的客户提供总分与按评分计算的结果不一致（见附录），报告采用计算值。",
        "en": "The supplied total of {names} disagrees with the total computed from the scores "
        "(see the appendix); the report uses the computed totals.",
    },
    # industry warnings
    "w_total": {
        "zh": "{industry}：数据中的总分为 {provided}，但按评分计算为 {computed}（差 {diff}）。",
        "en": "{industry}: the supplied total is {provided}, but the scores give {computed} "
        "(difference {diff}).",
    },
    "w_cost_signed": {
        "zh": "指标“{criterion}”为成本型，但数据中已有负分；按 −|分数| 计入，请确认没有重复扣分。",
        "en": "Criterion “{criterion}” is a cost but holds negative scores; they count as "
        "−|score|. Check that nothing is subtracted twice.",
    },
    "w_ahp": {
        "zh": "AHP 两两比较的一致性比率 CR = {cr} 超过 0.10，权重不可靠。",
        "en": "The AHP consistency ratio CR = {cr} exceeds 0.10: the weights are unreliable.",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in language ``lang``, with ``values`` filled in."""
    return TEXT[key][lang].format(**values)


def fmt_number(value: float | None, digits: int = 1) -> str:
    """A number with thousands separators; whole numbers without decimals; ``—`` for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def fmt_signed(value: float, digits: int = 1) -> str:
    """A number with its sign, using the true minus sign."""
    text = fmt_number(abs(value), digits)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


def fmt_percent(share: float, digits: int = 0) -> str:
    """A fraction as a percentage: 0.634 → ``63%``. A share that is not exactly 0 or 1 never
    shows as ``0%`` or ``100%``: it gets a decimal more (0.998 → ``99.8%``)."""
    text = f"{share * 100:.{digits}f}%"
    while 0 < share < 1 and text in (f"{0:.{digits}f}%", f"{100:.{digits}f}%") and digits < 3:
        digits += 1
        text = f"{share * 100:.{digits}f}%"
    return text


def fmt_money(value: float, lang: str, currency: str = "CNY") -> str:
    """An amount: 万元 / 亿元 in Chinese reports; separators and the currency in English."""
    if lang == "zh" and currency.upper() in ("CNY", "RMB", "人民币", "元"):
        if abs(value) >= 1e8:
            return f"{value / 1e8:,.2f} 亿元"
        if abs(value) >= 1e4:
            return f"{value / 1e4:,.1f} 万元"
        return f"{value:,.0f} 元"
    return f"{currency} {value:,.0f}"


def join_names(names: list[str], lang: str) -> str:
    """A list of names as prose: ``甲、乙和丙`` / ``A, B and C``."""
    names = list(names)
    if not names:
        return t("none", lang)
    if len(names) == 1:
        return names[0]
    if lang == "zh":
        return "、".join(names[:-1]) + "和" + names[-1]
    return ", ".join(names[:-1]) + " and " + names[-1]
