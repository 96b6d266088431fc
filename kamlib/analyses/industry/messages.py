"""Industry selection: the messages of its report, in both languages."""

from kamlib.core.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "industry_selection": {"zh": "行业选择", "en": "Industry selection"},
    # industry table
    "industry": {"zh": "行业", "en": "Industry"},
    "total": {"zh": "总分", "en": "Total"},
    "rank": {"zh": "排名", "en": "Rank"},
    "selected": {"zh": "入选", "en": "Selected"},
    "provided_total": {"zh": "客户提供总分", "en": "Supplied total"},
    "remark": {"zh": "备注", "en": "Note"},
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
    "contribution": {"zh": "加权得分", "en": "Weighted contribution"},
    "score": {"zh": "评分", "en": "Score"},
    "threshold_mean": {"zh": "平均分 {value:num}", "en": "the mean total, {value:num}"},
    "threshold_number": {"zh": "设定分数线 {value:num}", "en": "the set threshold, {value:num}"},
    "threshold_top": {
        "zh": "前 {k} 名（最低入选分 {value:num}）",
        "en": "the top {k} ({value:num} or more)",
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
        "zh": "λmax = {lmax:fix3}，CI = {ci:fix3}，CR = {cr:fix3}",
        "en": "λmax = {lmax:fix3}, CI = {ci:fix3}, CR = {cr:fix3}",
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
    "c_threshold": {"zh": "门槛 {value:num}", "en": "Threshold {value:num}"},
    "c_robust": {
        "zh": "权重随机变动 ±{pct:pct} 时的入选比例与排名稳定性",
        "en": "Selected share and rank stability with weights varied ±{pct:pct}",
    },
    "c_robust_x": {"zh": "模拟中的比例", "en": "Share of draws"},
    # industry findings
    "f_selected": {
        "zh": "在 {n} 个候选行业中，{k} 个达到门槛（{threshold}）并入选：{names:list}。",
        "en": "{k:int} of {n:plural:candidate industry:candidate industries} {k:word:reaches:reach} the "
        "threshold ({threshold}) and {k:word:is:are} selected: {names:list}.",
    },
    "f_leader": {
        "zh": "{leader}以 {total:num} 分排名第一，领先第二名{second} {gap:num} 分；优势主要来自{drivers:list}。",
        "en": "{leader} ranks first with {total:num}, {gap:num} ahead of {second}; its lead comes mainly "
        "from {drivers:list}.",
    },
    "f_tie": {
        "zh": "{names:list}以 {total:num} 分并列第一。",
        "en": "{names:list} share first place with {total:num}.",
    },
    "f_drag": {
        "zh": "拉低总分最多的指标是{criterion}（各行业平均 {value:signed} 分）。",
        "en": "The criterion that pulls totals down most is {criterion} (on average {value:signed}).",
    },
    "f_robust": {
        "zh": "权重在 ±{pct:pct} 内随机变动（{samples} 次模拟）时，{stable} 个行业的入选结论始终不变；"
        "结论可能改变的是{fragile:list}。",
        "en": "When the weights vary at random within ±{pct:pct} ({samples:plural:draw:draws}), "
        "{stable:plural:industry always keeps its:industries always keep their} decision; the decision can change for {fragile:list}.",
    },
    "f_robust_all": {
        "zh": "权重在 ±{pct:pct} 内随机变动（{samples} 次模拟）时，所有行业的入选结论都不变。",
        "en": "When the weights vary at random within ±{pct:pct} ({samples:plural:draw:draws}), every industry "
        "keeps its decision.",
    },
    "f_fragile_item": {
        "zh": "{name}（在 {share:pct} 的模拟中入选）",
        "en": "{name} (selected in {share:pct} of the draws)",
    },
    "f_ahp": {
        "zh": "权重由层次分析法（AHP）两两比较得出，一致性比率 CR = {cr:fix2}{verdict}。",
        "en": "The weights come from pairwise comparisons (AHP); the consistency ratio is "
        "CR = {cr:fix2}{verdict}.",
    },
    "ahp_ok": {"zh": "（≤ 0.10，可以接受）", "en": " (≤ 0.10, acceptable)"},
    "ahp_bad": {
        "zh": "（> 0.10，判断不一致，请复核两两比较）",
        "en": " (> 0.10: the judgements are inconsistent and should be revisited)",
    },
    "f_mismatch": {
        "zh": "{names:list}的客户提供总分与按评分计算的结果不一致（见附录），报告采用计算值。",
        "en": "The supplied {n:word:total:totals} of {names:list} {n:word:disagrees:disagree} with the "
        "{n:word:total:totals} computed from the scores (see the appendix); the report uses the "
        "computed totals.",
    },
    # industry warnings
    "total_mismatch": {
        "zh": "{industry}：数据中的总分为 {provided:exact}，但按评分计算为 {computed:exact}（差 {difference:exact}）。",
        "en": "{industry}: the supplied total is {provided:exact}, but the scores give {computed:exact} "
        "(difference {difference:exact}).",
    },
    "total_unweighted": {
        "zh": "{industry}：数据中的总分 {provided:exact} 是各项评分未加权的合计；按权重计算为 {computed:exact}（差 {difference:exact}）。",
        "en": "{industry}: the supplied total {provided:exact} is the unweighted sum of the scores; "
        "with the weights they give {computed:exact} (difference {difference:exact}).",
    },
    "total_as_written": {
        "zh": "{industry}：数据中的总分 {provided:exact} 是各项评分的直接合计（成本型指标未计为负分）；按评分计算为 {computed:exact}（差 {difference:exact}）。",
        "en": "{industry}: the supplied total {provided:exact} adds the scores as written (cost "
        "criteria not counted against it); the scores give {computed:exact} (difference "
        "{difference:exact}).",
    },
    "cost_signed": {
        "zh": "指标“{criterion}”为成本型，但数据中已有负分；按 −|分数| 计入，请确认没有重复扣分。",
        "en": "Criterion “{criterion}” is a cost but holds negative scores; they count as "
        "−|score|. Check that nothing is subtracted twice.",
    },
    "ahp_inconsistent": {
        "zh": "AHP 两两比较的一致性比率 CR = {cr:fix2} 超过 0.10，权重不可靠。",
        "en": "The AHP consistency ratio CR = {cr:fix2} exceeds 0.10: the weights are unreliable.",
    },
    # the method in a paragraph (Analysis.method: the workbook's Contents sheet, the slides' notes)
    "method_industry": {
        "zh": (
            "方法：每个候选行业的总分 = Σ 权重 × 带符号的评分（成本类指标计为负分）；入选门槛"
            "默认为各行业总分的平均值（也可设为固定分数或前 k 名），同分同名次。权重直接给定，"
            "或由 AHP 两两比较求得（主特征向量，报告一致性比率，CR > 0.10 时提示）。稳健性检验"
            "：每个权重单独上下变动，并在给定权重附近随机抽样，统计各行业保持入选、保持名次的"
            "比例。数据中自带的总分只做核对，不一致之处列入数据质量提示。"
        ),
        "en": (
            "Method: each candidate industry's total is Σ weight × signed score (cost "
            "criteria count against it); the threshold is the mean of the totals by default "
            "(or a fixed score, or the top k), and ties share a rank. Weights are given "
            "directly or derived from AHP pairwise comparisons (principal eigenvector; the "
            "consistency ratio is reported and CR > 0.10 flagged). Robustness: each weight is "
            "moved up and down one at a time, and random weights are drawn around the given "
            "ones, counting how often each industry stays selected and keeps its rank. A "
            "total supplied in the data is only checked; every disagreement is a data-quality "
            "note."
        ),
    },
    # table titles: workbook sheet names, slide headings (at most 31 characters)
    "t_industry_ranking": {"zh": "行业排名", "en": "Industry ranking"},
    "t_industry_criteria": {"zh": "评价指标与权重", "en": "Criteria and weights"},
    "t_industry_ahp": {"zh": "AHP 权重", "en": "AHP weights"},
    "t_industry_robustness": {"zh": "排名稳健性", "en": "Ranking robustness"},
    "t_industry_sensitivity": {"zh": "权重敏感性", "en": "Weight sensitivity"},
}

register("industry", MESSAGES)
