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
        "usp_title": {"zh": "独特卖点", "en": "Unique selling points"},
        "vulnerability_title": {"zh": "需要防守的弱项", "en": "Vulnerabilities"},
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
        "f_wallet_all": {
            "zh": "在 {n} 个客户中，我方钱包份额合计 {share}，空白市场 {whitespace}；空白最大的是{top}（{top_ws}）。",
            "en": "Across {n} accounts our share of wallet is {share}, leaving {whitespace} of whitespace; the largest is at {top} ({top_ws}).",
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

# account plans (METHODS.md §5)
TEXT.update(
    {
        "account_plans": {"zh": "大客户计划", "en": "Account plans"},
        "account_plan": {"zh": "大客户计划", "en": "Account plan"},
        "region": {"zh": "区域", "en": "Region"},
        "amount": {"zh": "金额", "en": "Value"},
        "value": {"zh": "内容", "en": "Value"},
        "opportunity": {"zh": "机会", "en": "Opportunity"},
        "verdict": {"zh": "结论", "en": "Verdict"},
        "go": {"zh": "推进", "en": "go"},
        "no_go": {"zh": "暂缓", "en": "no-go"},
        "rag_red": {"zh": "红", "en": "red"},
        "rag_amber": {"zh": "黄", "en": "amber"},
        "rag_green": {"zh": "绿", "en": "green"},
        "step_is_opportunity": {"zh": "是不是机会", "en": "Is it an opportunity"},
        "step_competition": {"zh": "竞争态势", "en": "Competition"},
        "step_can_win": {"zh": "能不能赢", "en": "Can we win"},
        "step_worth_winning": {"zh": "值不值得赢", "en": "Worth winning"},
        "role": {"zh": "角色", "en": "Role"},
        "role_decision_maker": {"zh": "决策者", "en": "decision maker"},
        "role_technical": {"zh": "技术把关者", "en": "technical gatekeeper"},
        "role_user": {"zh": "使用者", "en": "user"},
        "role_coach": {"zh": "教练（内线）", "en": "coach"},
        "people": {"zh": "人员", "en": "People"},
        "attitude": {"zh": "态度（−5~+5）", "en": "Attitude (−5..+5)"},
        "influence": {"zh": "影响力", "en": "Influence"},
        "visited": {"zh": "90 天内拜访", "en": "Met in 90 days"},
        "indicator": {"zh": "指标", "en": "Indicator"},
        "now": {"zh": "现状", "en": "Now"},
        "next_stage_needs": {"zh": "下一阶段要求", "en": "Next stage needs"},
        "ind_visits_per_month": {"zh": "每月拜访次数", "en": "Visits per month"},
        "ind_help_per_month": {"zh": "每月帮助客户次数", "en": "Help given per month"},
        "ind_info_shared": {"zh": "客户分享信息（0–5）", "en": "Information shared (0–5)"},
        "ind_thought_of_first": {"zh": "客户首先想到我们", "en": "Thought of first"},
        "ind_holiday_contact": {"zh": "节日与生日问候", "en": "Holiday and birthday contact"},
        "yes": {"zh": "是", "en": "yes"},
        "no": {"zh": "否", "en": "no"},
        "objection": {"zh": "异议", "en": "objection"},
        "signal": {"zh": "购买信号", "en": "buying signal"},
        "response": {"zh": "应对", "en": "Response"},
        "obj_no_need": {"zh": "没有需求", "en": "no need"},
        "obj_no_trust": {"zh": "不信任", "en": "no trust"},
        "obj_no_budget": {"zh": "没有预算", "en": "no budget"},
        "obj_no_hurry": {"zh": "不着急", "en": "no hurry"},
        "resp_no_need": {
            "zh": "重新诊断业务痛点，用同行案例说明不改变的代价",
            "en": "diagnose the pain again; show the cost of standing still with a peer's case",
        },
        "resp_no_trust": {
            "zh": "安排样板客户参观与高层互访，降低决策风险",
            "en": "arrange a reference visit and an executive meeting to lower the perceived risk",
        },
        "resp_no_budget": {
            "zh": "拆分阶段、调整付款方式，或协助客户申请预算",
            "en": "phase the project, adapt payment terms, or help the customer build the budget case",
        },
        "resp_no_hurry": {
            "zh": "量化延误成本，设定与客户业务节点挂钩的时间表",
            "en": "quantify the cost of delay and tie the timetable to the customer's business milestones",
        },
        "sig_accepts_idea": {
            "zh": "接受了曾拒绝的观点或条款",
            "en": "accepts an idea or term it had refused",
        },
        "sig_next_step": {"zh": "同意下一步行动", "en": "agrees to the next step"},
        "sig_senior_manager": {
            "zh": "引荐更高层的管理者",
            "en": "introduces a more senior manager",
        },
        "sig_technical_exchange": {"zh": "同意技术交流", "en": "agrees to a technical exchange"},
        "resp_signal": {
            "zh": "趁势推进：确认决策流程与时间表",
            "en": "move on: confirm the decision process and timetable",
        },
        "stage_1": {"zh": "孕育期", "en": "gestation"},
        "stage_2": {"zh": "初期", "en": "initial"},
        "stage_3": {"zh": "中期", "en": "mid"},
        "stage_4": {"zh": "伙伴期", "en": "advanced"},
        "stage_5": {"zh": "战略联盟", "en": "strategic alliance"},
        "stage_now": {
            "zh": "当前关系阶段：第 {stage} 阶段（{name}）。",
            "en": "Relationship stage {stage} of 5 ({name}).",
        },
        "stage_next": {
            "zh": "进入“{name}”还差 {count} 项指标。",
            "en": " Reaching “{name}” needs {count} more indicators.",
        },
        "priority": {"zh": "优先级", "en": "Priority"},
        "red_flag_count": {"zh": "雷区数", "en": "Red flags"},
        "relationship_stage": {"zh": "关系阶段", "en": "Relationship stage"},
        "owner_development": {"zh": "开发负责人", "en": "Owner (development)"},
        "owner_maintenance": {"zh": "维护负责人", "en": "Owner (maintenance)"},
        "red_flags": {"zh": "销售雷区", "en": "Red flags"},
        "no_red_flags": {"zh": "未发现销售雷区。", "en": "No red flags."},
        "actions": {"zh": "建议行动", "en": "Recommended actions"},
        "no_actions": {"zh": "暂无需要补充的行动。", "en": "Nothing to add for now."},
        "no_objections": {
            "zh": "未记录异议或购买信号。",
            "en": "No objection or buying signal recorded.",
        },
        "no_screen": {"zh": "未记录销售机会。", "en": "No opportunity recorded."},
        "rf_missing": {"zh": "尚未识别{role}", "en": "no {role} identified"},
        "rf_not_visited": {
            "zh": "{role}超过 {days} 天未接触",
            "en": "{role} not met for over {days} days",
        },
        "rf_hostile": {
            "zh": "决策者态度消极（{attitude}）",
            "en": "the decision maker is against us ({attitude})",
        },
        "rf_no_opportunity": {"zh": "没有已识别的销售机会", "en": "no opportunity identified"},
        "rf_screen": {
            "zh": "“{opportunity}”在“{step}”一步为红色",
            "en": "“{opportunity}” is red on “{step}”",
        },
        "a_identify": {
            "zh": "通过教练或现有联系人识别并约见{role}",
            "en": "identify and meet the {role}, through the coach or current contacts",
        },
        "a_visit": {
            "zh": "本月内拜访{role}（{names}）",
            "en": "meet the {role} ({names}) this month",
        },
        "a_is_opportunity": {
            "zh": "与客户确认“{opportunity}”的需求、预算与时间",
            "en": "confirm need, budget and timing of “{opportunity}” with the customer",
        },
        "a_competition": {
            "zh": "摸清“{opportunity}”的竞争对手及其关系",
            "en": "map the rivals on “{opportunity}” and their relationships",
        },
        "a_can_win": {
            "zh": "针对“{opportunity}”强化独特卖点，补足弱项",
            "en": "build the case for “{opportunity}” on our selling points and cover the weak spots",
        },
        "a_worth_winning": {
            "zh": "复核“{opportunity}”的利润与战略价值，决定投入",
            "en": "re-check the margin and strategic value of “{opportunity}” before investing more",
        },
        "a_visits_per_month": {
            "zh": "把拜访提高到每月 {value} 次",
            "en": "raise visits to {value} a month",
        },
        "a_help_per_month": {
            "zh": "每月至少帮助客户解决 {value} 个问题",
            "en": "help the customer with at least {value} issues a month",
        },
        "a_info_shared": {
            "zh": "争取客户分享更多经营信息（目标 {value}/5）",
            "en": "win more of the customer's business information (aim {value}/5)",
        },
        "a_thought_of_first": {
            "zh": "成为客户遇到问题时首先想到的供应商",
            "en": "become the supplier the customer calls first",
        },
        "a_holiday_contact": {
            "zh": "建立节日与生日问候",
            "en": "keep in touch on holidays and birthdays",
        },
        "a_whitespace": {
            "zh": "开发该客户的空白市场（{value}）",
            "en": "pursue the account's whitespace ({value})",
        },
        "n_no_contacts": {
            "zh": "未提供联系人数据（contacts），采购影响者覆盖从略。",
            "en": "No contacts data: buying-influence coverage is left out.",
        },
        "n_no_opportunities": {
            "zh": "未提供销售机会数据（opportunities），机会筛选从略。",
            "en": "No opportunities data: the opportunity screen is left out.",
        },
        "n_no_relationship": {
            "zh": "未提供关系数据（relationships），关系阶段从略。",
            "en": "No relationship data: the relationship stage is left out.",
        },
        "f_plans": {
            "zh": "共生成 {n} 份大客户计划：{go} 个客户的主要机会建议推进，{flagged} 个客户存在销售雷区。",
            "en": "{n} account plans: the main opportunity is a go at {go} accounts, and {flagged} accounts have red flags.",
        },
        "open_plan": {"zh": "查看计划", "en": "Open the plan"},
        "plan": {"zh": "计划", "en": "Plan"},
        "plans_intro": {
            "zh": "按优先级排列的年度目标客户：推进（go）的客户在前，其次按销售雷区从少到多、收入从高到低。每个客户都有开发与维护两名负责人。",
            "en": "This year's target accounts by priority: go before no-go, then fewer red flags, then higher revenue. Each account has an owner for development and one for maintenance.",
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
