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

# customer segmentation (METHODS.md §3)
TEXT.update(
    {
        "customer_segmentation": {
            "zh": "客户分级与大客户识别",
            "en": "Customer segmentation and key accounts",
        },
        "no_purchase": {"zh": "无交易", "en": "none"},
        "unknown": {"zh": "未知", "en": "unknown"},
        "customer": {"zh": "客户", "en": "Customer"},
        "customer_id": {"zh": "客户编号", "en": "Customer ID"},
        "name": {"zh": "客户名称", "en": "Name"},
        "tier": {"zh": "等级", "en": "Tier"},
        "bounds": {"zh": "期内收入范围", "en": "Revenue in the period"},
        "customers": {"zh": "客户数", "en": "Customers"},
        "customer_share": {"zh": "客户占比", "en": "Share of customers"},
        "revenue": {"zh": "收入", "en": "Revenue"},
        "revenue_share": {"zh": "收入占比", "en": "Share of revenue"},
        "average_revenue": {"zh": "户均收入", "en": "Average revenue per customer"},
        "profit": {"zh": "毛利", "en": "Profit"},
        "margin": {"zh": "毛利率", "en": "Margin"},
        "orders": {"zh": "订单数", "en": "Orders"},
        "average_order": {"zh": "平均订单", "en": "Average order"},
        "largest_order": {"zh": "最大订单", "en": "Largest order"},
        "returns": {"zh": "退货", "en": "Returns"},
        "tenure": {"zh": "合作年限", "en": "Years"},
        "interval": {"zh": "平均采购间隔（天）", "en": "Days between purchases"},
        "collection": {"zh": "平均回款天数", "en": "Days to pay"},
        "overdue": {"zh": "逾期占比", "en": "Overdue share"},
        "growth": {"zh": "同比增长", "en": "Growth"},
        "level": {"zh": "金字塔层级", "en": "Pyramid level"},
        "value_score": {"zh": "价值得分", "en": "Value score"},
        "current": {"zh": "现实价值", "en": "Current value"},
        "potential": {"zh": "潜在价值", "en": "Potential value"},
        "action": {"zh": "策略", "en": "Action"},
        "kind": {"zh": "类型", "en": "Kind"},
        "reason": {"zh": "入选理由", "en": "Why it is a key account"},
        "excluded_reason": {"zh": "不列为大客户的原因", "en": "Why it is not a key account"},
        "segment": {"zh": "细分", "en": "Segment"},
        "top_customer": {"zh": "最大客户", "en": "Largest customer"},
        "top_customer_share": {"zh": "最大客户占比", "en": "Largest customer's share"},
        "hhi": {"zh": "HHI 集中度", "en": "HHI"},
        "before": {"zh": "上期 \\ 本期", "en": "Before \\ now"},
        "rfm_segment": {"zh": "RFM 细分", "en": "RFM segment"},
        "r": {"zh": "R 近度", "en": "R"},
        "f": {"zh": "F 频度", "en": "F"},
        "m": {"zh": "M 额度", "en": "M"},
        "rows": {"zh": "行数", "en": "Rows"},
        "item": {"zh": "项目", "en": "Item"},
        "total_score": {"zh": "总分", "en": "Total"},
        "level_name": {"zh": "第 {k} 层（{share}）", "en": "Level {k} ({share})"},
        "below": {"zh": "低于 {value}", "en": "below {value}"},
        "at_least": {"zh": "{value} 及以上", "en": "{value} or more"},
        "between": {"zh": "{low} 至 {high}", "en": "{low} to {high}"},
        "q_keep": {"zh": "重点保持", "en": "keep"},
        "q_develop": {"zh": "重点发展", "en": "develop"},
        "q_nurture": {"zh": "维护培育", "en": "nurture"},
        "q_maintain": {"zh": "低成本维持", "en": "maintain at low cost"},
        "k_core": {
            "zh": "核心客户（理念契合，战略联盟）",
            "en": "core account (shares our philosophy: strategic alliance)",
        },
        "k_important": {
            "zh": "重要客户（目标：发展为核心客户）",
            "en": "important account (aim: make it core)",
        },
        "seg_champions": {"zh": "明星客户", "en": "champions"},
        "seg_loyal": {"zh": "忠诚客户", "en": "loyal"},
        "seg_at_risk": {"zh": "流失风险", "en": "at risk"},
        "seg_new": {"zh": "新近客户", "en": "recent"},
        "seg_hibernating": {"zh": "沉睡客户", "en": "hibernating"},
        "seg_potential": {"zh": "潜力客户", "en": "potential"},
        "acc_rows": {"zh": "台账总行数", "en": "Rows in the ledger"},
        "acc_no_customer": {"zh": "无客户编号（未计入分析）", "en": "No customer ID (left out)"},
        "acc_before_period": {
            "zh": "分析期之前（用于历史指标与迁移）",
            "en": "Before the period (history and migration)",
        },
        "acc_in_period": {"zh": "分析期内", "en": "In the period"},
        "acc_after_period": {"zh": "分析期之后（未计入）", "en": "After the period (left out)"},
        "r_tier": {
            "zh": "{tier} 级，期内收入 {revenue}（第 {rank} 名）",
            "en": "tier {tier}, revenue {revenue} (#{rank})",
        },
        "r_level": {"zh": "价值金字塔第 {level} 层", "en": "pyramid level {level}"},
        "r_years": {"zh": "合作 {years} 年", "en": "{years} years of cooperation"},
        "r_years_short": {
            "zh": "合作仅 {years} 年，连续性待观察",
            "en": "only {years} years of cooperation: continuity to be proven",
        },
        "r_scorecard": {"zh": "评分卡第 {rank} 名", "en": "scorecard #{rank}"},
        "x_one_order": {
            "zh": "收入集中于一笔订单（{share}）：一次性大单不等于大客户",
            "en": "{share} of revenue in one order: a one-off purchase is not a key account",
        },
        "x_one_year": {
            "zh": "历史收入集中于一年（{share}）：缺乏持续性",
            "en": "{share} of all revenue in one year: no continuity",
        },
        "period_text": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
        "w_no_customer": {
            "zh": "{file}：{count} 行没有客户编号（金额合计 {amount}），未计入分析。",
            "en": "{file}: {count} rows have no customer ID (amount {amount}); they are left out.",
        },
        "w_duplicates": {
            "zh": "{file}：{count} 行与其他行完全相同，可能重复录入（已计入）。",
            "en": "{file}: {count} rows repeat another row exactly and may be double entries (kept).",
        },
        "w_future": {
            "zh": "{file}：{count} 行的日期晚于报告日期（金额合计 {amount}）。",
            "en": "{file}: {count} rows are dated after the report date (amount {amount}).",
        },
        "w_zero": {
            "zh": "{file}：{count} 行金额为 0。",
            "en": "{file}: {count} rows have a zero amount.",
        },
        "w_paid_before": {
            "zh": "{file}：{count} 行的回款日期早于交易日期。",
            "en": "{file}: {count} rows were paid before their date.",
        },
        "w_profit_above": {
            "zh": "{file}：{count} 行的毛利高于金额。",
            "en": "{file}: {count} rows have a profit above their amount.",
        },
        "w_unknown_customers": {
            "zh": "台账中有 {count} 个客户不在客户主数据中（如 {examples}），其名称、行业等为空。",
            "en": "{count} customers of the ledger are not in the customer master (e.g. {examples}); their name, industry etc. are blank.",
        },
        "w_default_tiers": {
            "zh": "未设置分级门槛，按帕累托 ABC 自动设定：{tiers}。",
            "en": "No tier bounds were set; they follow the Pareto ABC classes: {tiers}.",
        },
        "w_scorecard_unknown": {
            "zh": "评分卡中有 {count} 个客户不在交易台账中（如 {examples}）。",
            "en": "{count} accounts of the scorecard have no transactions (e.g. {examples}).",
        },
        "f_pareto": {
            "zh": "收入最高的 20% 客户贡献了 {top20} 的收入，前 5% 贡献 {top5}，前 1% 贡献 {top1}。",
            "en": "The top 20 % of customers bring {top20} of revenue, the top 5 % {top5} and the top 1 % {top1}.",
        },
        "f_overview": {
            "zh": "分析期 {period} 内，{customers} 个客户共产生收入 {revenue}。",
            "en": "In {period}, {customers} customers brought {revenue}.",
        },
        "f_top_tier": {
            "zh": "{tier} 级客户 {count} 个（占客户 {cshare}），贡献收入的 {rshare}；{last} 级客户占客户数的 {lshare}，只贡献 {lrshare}。",
            "en": "Tier {tier} holds {count} customers ({cshare} of customers) and {rshare} of revenue; tier {last} holds {lshare} of customers but only {lrshare} of revenue.",
        },
        "f_keys": {
            "zh": "建议的 {n} 个大客户合计贡献收入的 {share}{core}。",
            "en": "The {n} proposed key accounts bring {share} of revenue{core}.",
        },
        "f_core": {
            "zh": "，其中核心客户 {core} 个、重要客户 {important} 个",
            "en": "; {core} are core and {important} important accounts",
        },
        "f_excluded": {
            "zh": "{n} 个高价值客户因收入集中于一笔订单或一年而未列为大客户：{names}。",
            "en": "{n} high-value customers are not proposed because their revenue sits in one order or one year: {names}.",
        },
        "f_migration": {
            "zh": "与上一期相比，{up} 个客户升级、{down} 个降级、{new} 个为新增、{lost} 个本期无交易。",
            "en": "Against the previous period, {up} customers moved up a tier, {down} slipped, {new} are new and {lost} bought nothing this period.",
        },
        "f_concentration": {
            "zh": "{segment}是最大的收入来源（{share}），其最大客户占该行业收入的 {top}（HHI {hhi}）。",
            "en": "{segment} is the largest source of revenue ({share}); its largest customer holds {top} of it (HHI {hhi}).",
        },
        "f_at_risk": {
            "zh": "RFM 分析显示 {n} 个曾经高频的客户近期未采购（流失风险），涉及收入 {revenue}。",
            "en": "RFM shows {n} formerly frequent customers who have not bought recently (at risk), with {revenue} of revenue.",
        },
        "no_composition": {
            "zh": "客户主数据中没有行业信息，无法分析收入构成。",
            "en": "The customer master has no industry column, so revenue composition cannot be shown.",
        },
        "no_scorecard": {
            "zh": "本项目未提供大客户评分卡（account_scorecard）。",
            "en": "This engagement has no key-account scorecard (account_scorecard).",
        },
        "no_excluded": {
            "zh": "没有因误区而被排除的高价值客户。",
            "en": "No high-value customer was set aside for a misconception.",
        },
        "c_pareto": {
            "zh": "帕累托曲线：客户累计占比与收入累计占比",
            "en": "Pareto curve: cumulative share of customers and of revenue",
        },
        "c_pareto_x": {
            "zh": "客户累计占比（按收入从高到低）",
            "en": "Share of customers (largest first)",
        },
        "c_pareto_y": {"zh": "收入累计占比", "en": "Share of revenue"},
        "c_tiers": {
            "zh": "各等级的客户占比与收入占比",
            "en": "Share of customers and of revenue by tier",
        },
        "c_pyramid": {"zh": "客户价值金字塔", "en": "Customer value pyramid"},
        "c_value": {
            "zh": "客户价值矩阵：现实价值 × 潜在价值",
            "en": "Customer value matrix: current × potential value",
        },
        "c_migration": {"zh": "等级迁移（客户数）", "en": "Tier migration (customers)"},
        "c_composition": {"zh": "按行业的收入构成", "en": "Revenue by industry"},
        "c_rfm": {"zh": "RFM：近度 × 频度（客户数）", "en": "RFM: recency × frequency (customers)"},
    }
)

# competitor analysis (METHODS.md §4)
TEXT.update(
    {
        "competitor_analysis": {"zh": "竞争分析", "en": "Competitor analysis"},
        "competitor": {"zh": "竞争对手", "en": "Competitor"},
        "comp_score": {"zh": "竞争力得分", "en": "Competitive score"},
        "importance": {"zh": "客户重视程度", "en": "Importance"},
        "ours": {"zh": "我方", "en": "Ours"},
        "best": {"zh": "最强对手得分", "en": "Best rival"},
        "best_competitor": {"zh": "最强对手", "en": "Strongest rival"},
        "gap": {"zh": "差距", "en": "Gap"},
        "total_spend": {"zh": "客户品类总采购", "en": "Total spend"},
        "our_revenue": {"zh": "我方收入", "en": "Our revenue"},
        "share_of_wallet": {"zh": "钱包份额", "en": "Share of wallet"},
        "whitespace": {"zh": "空白市场", "en": "Whitespace"},
        "main_rival": {"zh": "主要对手（份额）", "en": "Main rival (share)"},
        "no_wallet": {
            "zh": "本项目未提供客户钱包数据（wallet），无法计算钱包份额。",
            "en": "This engagement has no wallet data, so share of wallet cannot be computed.",
        },
        "no_usp": {
            "zh": "在客户重视的指标上，我方没有领先最强对手达到设定幅度的独特卖点。",
            "en": "On the criteria the customer cares about, we lead the strongest rival by the set margin nowhere: no unique selling point.",
        },
        "no_vulnerability": {
            "zh": "在客户重视的指标上，没有对手领先我方达到设定幅度。",
            "en": "On the criteria the customer cares about, no rival leads us by the set margin.",
        },
        "w_unlisted_needs": {
            "zh": "以下指标不在客户需求表中，未计入竞争力得分：{names}。",
            "en": "These criteria are not in the needs table and do not count in the scores: {names}.",
        },
        "w_wallet_missing": {
            "zh": "{count} 个大客户没有钱包数据（如 {examples}）。",
            "en": "{count} key accounts have no wallet data (e.g. {examples}).",
        },
        "f_we_lead": {
            "zh": "{us}的竞争力得分 {score} 在 {n} 家中排名第一，领先第二名{second} {gap} 分。",
            "en": "{us} ranks first of {n} with a competitive score of {score}, {gap} ahead of {second}.",
        },
        "f_we_rank": {
            "zh": "{us}的竞争力得分 {score}，在 {n} 家中排名第 {rank}，落后第一名{leader} {gap} 分。",
            "en": "{us} ranks {rank} of {n} with a competitive score of {score}, {gap} behind {leader}.",
        },
        "f_usp": {
            "zh": "独特卖点（客户重视且我方领先最强对手）：{items}。",
            "en": "Unique selling points (important to the customer, and we lead the strongest rival): {items}.",
        },
        "f_no_usp": {
            "zh": "在客户重视的指标上，我方没有明显领先的独特卖点。",
            "en": "We have no clear lead on any criterion the customer cares about: no unique selling point.",
        },
        "f_vulnerable": {
            "zh": "需要防守的弱项：{items}。",
            "en": "Vulnerabilities to defend: {items}.",
        },
        "f_wallet": {
            "zh": "在 {n} 个大客户中，我方钱包份额合计 {share}，空白市场 {whitespace}；空白最大的是{top}（{top_ws}）。",
            "en": "Across {n} key accounts our share of wallet is {share}, leaving {whitespace} of whitespace; the largest is at {top} ({top_ws}).",
        },
        "c_positioning": {
            "zh": "竞争格局：{x} × {y}（气泡大小：{size}）",
            "en": "Competitive landscape: {x} × {y} (bubble: {size})",
        },
        "c_size_col": {"zh": "规模", "en": "size"},
        "c_size_score": {"zh": "竞争力得分", "en": "competitive score"},
        "c_gaps": {
            "zh": "我方与最强对手的差距（按客户重视程度排序）",
            "en": "Our gap to the strongest rival (most important criteria first)",
        },
        "c_wallet": {
            "zh": "大客户钱包：我方收入与空白市场",
            "en": "Key-account wallets: our revenue and the whitespace",
        },
    }
)


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
