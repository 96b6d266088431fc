"""Customer segmentation and key accounts: the messages of its report, in both languages."""

from kamlib.core.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "customer_segmentation": {
        "zh": "客户分级与大客户识别",
        "en": "Customer segmentation and key accounts",
    },
    # labels of codes in the result
    "no_purchase": {"zh": "无收入", "en": "none"},
    "total_tiered": {
        "zh": "合计：已分级的 {n:num} 位客户（即报告的收入）",
        "en": "Total of the {n:num} customers in tiers (the report's revenue)",
    },
    "not_tiered": {"zh": "未分级（期内无收入）", "en": "not tiered (no revenue in the period)"},
    "unknown": {"zh": "未知", "en": "unknown"},
    # tables
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
    "tenure": {"zh": "合作年限", "en": "Years of cooperation"},
    "i_purchase_cycle": {"zh": "平均采购周期（天）", "en": "Days between orders"},
    "i_return_count": {"zh": "退货次数", "en": "Return lines"},
    "i_expected_sales": {"zh": "销售预期金额", "en": "Expected sales"},
    "i_max_payment": {"zh": "最大回款额", "en": "Largest payment"},
    "i_average_payment": {"zh": "平均回款额", "en": "Average payment"},
    "i_average_outstanding": {"zh": "平均欠款额", "en": "Average outstanding"},
    "i_outstanding_ratio": {"zh": "平均欠款率", "en": "Outstanding ratio"},
    "i_interactions": {"zh": "联络次数", "en": "Contacts"},
    "i_tasks": {"zh": "任务", "en": "Tasks"},
    "i_processes": {"zh": "进程", "en": "Processes"},
    "i_visits": {"zh": "拜访", "en": "Visits"},
    "i_praise": {"zh": "表扬", "en": "Praise"},
    "i_complaints": {"zh": "投诉", "en": "Complaints"},
    "i_suggestions": {"zh": "建议", "en": "Suggestions"},
    "i_task_share": {"zh": "任务占比", "en": "Share of tasks"},
    "i_process_share": {"zh": "进程占比", "en": "Share of processes"},
    "i_visit_share": {"zh": "拜访占比", "en": "Share of visits"},
    "i_praise_share": {"zh": "表扬占比", "en": "Share of praise"},
    "i_complaint_share": {"zh": "投诉占比", "en": "Share of complaints"},
    "i_suggestion_share": {"zh": "建议占比", "en": "Share of suggestions"},
    "i_visits_per_month": {"zh": "月均拜访", "en": "Visits per month"},
    "perspective": {"zh": "维度", "en": "Perspective"},
    "p_customer": {"zh": "客户", "en": "customer"},
    "p_sales": {"zh": "销售", "en": "sales"},
    "p_financial": {"zh": "财务", "en": "financial"},
    "p_service": {"zh": "服务", "en": "service"},
    "indicator_name": {"zh": "考核指标", "en": "Indicator"},
    "target_period": {"zh": "目标期间", "en": "Period"},
    "actual": {"zh": "实际", "en": "Actual"},
    "target": {"zh": "目标", "en": "Target"},
    "attainment": {"zh": "达成率", "en": "Attainment"},
    "rag": {"zh": "状态", "en": "Status"},
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
    "rfm_segment": {"zh": "RFM 细分", "en": "RFM segment"},
    "key_account_flag": {"zh": "大客户", "en": "Key account"},
    "r": {"zh": "R 近度", "en": "R"},
    "f": {"zh": "F 频度", "en": "F"},
    "m": {"zh": "M 额度", "en": "M"},
    "rows": {"zh": "行数", "en": "Rows"},
    "item": {"zh": "项目", "en": "Item"},
    "total_score": {"zh": "总分", "en": "Total"},
    "level_name": {"zh": "第 {k:int} 层（{share:pct}）", "en": "Level {k:int} ({share:pct})"},
    "below": {"zh": "低于 {value:money}", "en": "below {value:money}"},
    "at_least": {"zh": "{value:money} 及以上", "en": "{value:money} or more"},
    "between": {"zh": "{low:money} 至 {high:money}", "en": "{low:money} to {high:money}"},
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
        "zh": "{tier} 级，期内收入 {revenue:money}（第 {rank:int} 名）",
        "en": "tier {tier}, revenue {revenue:money} (#{rank:int})",
    },
    "r_level": {"zh": "价值金字塔第 {level:int} 层", "en": "pyramid level {level:int}"},
    "r_years": {"zh": "合作 {years:num} 年", "en": "{years:num} years of cooperation"},
    "r_years_short": {
        "zh": "合作仅 {years:num} 年，连续性待观察",
        "en": "only {years:num} years of cooperation: continuity to be proven",
    },
    "r_scorecard": {"zh": "评分卡第 {rank:int} 名", "en": "scorecard #{rank:int}"},
    "x_one_order": {
        "zh": "收入集中于一笔订单（{share:pct}）：一次性大单不等于大客户",
        "en": "{share:pct} of revenue in one order: a one-off purchase is not a key account",
    },
    "x_one_year": {
        "zh": "历史收入集中于一年（{share:pct}）：缺乏持续性",
        "en": "{share:pct} of all revenue in one year: no continuity",
    },
    # notes (data-quality warnings): the note code is the key
    "rows_without_customer": {
        "zh": "{file}：{count:int} 行没有客户编号（金额合计 {amount:money}），未计入分析。",
        "en": "{file}: {count:plural:row has:rows have} no customer ID (amount {amount:money}); {count:word:it is:they are} left out.",
    },
    "duplicate_rows": {
        "zh": "{file}：{count:int} 行与其他行完全相同，可能重复录入（已计入）。",
        "en": "{file}: {count:plural:row repeats:rows repeat} another row exactly and may be {count:word:a double entry:double entries} (kept).",
    },
    "future_rows": {
        "zh": "{file}：{count:int} 行的日期晚于报告日期（金额合计 {amount:money}）。",
        "en": "{file}: {count:plural:row is:rows are} dated after the report date (amount {amount:money}).",
    },
    "zero_amounts": {
        "zh": "{file}：{count:int} 行金额为 0。",
        "en": "{file}: {count:plural:row has:rows have} a zero amount.",
    },
    "paid_before_date": {
        "zh": "{file}：{count:int} 行的回款日期早于交易日期。",
        "en": "{file}: {count:plural:row was:rows were} paid before {count:word:its:their} date.",
    },
    "profit_above_amount": {
        "zh": "{file}：{count:int} 行的毛利高于金额。",
        "en": "{file}: {count:plural:row has:rows have} a profit above {count:word:its:their} amount.",
    },
    "customers_not_in_master": {
        "zh": "台账中有 {count:int} 个客户不在客户主数据中（如 {examples:list}），其名称、行业等为空。",
        "en": "{count:plural:customer of the ledger is:customers of the ledger are} not in the customer master (e.g. {examples:list}); {count:word:its:their} name, industry etc. are blank.",
    },
    "non_positive_revenue": {
        "zh": "{count:int} 个客户期内净收入为零或负数（只有退货，或销售与退货相抵；合计 {amount:money}），不计为客户：{customers:amounts}。",
        "en": "{count:plural:customer:customers} had a net revenue of zero or less in the period (returns only, or sales and returns that cancel out; {amount:money} in all) and {count:word:is:are} not counted as {count:word:a customer:customers}: {customers:amounts}.",
    },
    "abc_tiers": {
        "zh": "未设置分级门槛：等级即帕累托 ABC 分类（A：贡献前 80% 收入的客户，B：其后 15%，C：其余）。",
        "en": "No tiers were set: the tiers are the Pareto ABC classes (A: the customers who bring the first 80% of revenue, B: the next 15%, C: the rest).",
    },
    "key_account_tie": {
        "zh": "大客户名单（{n:int} 个）在并列处截断：名单内的 {on_list:list} 与名单外的 {off_list:list} 等级（{tier}）和价值得分相同，由客户编号决定取舍。",
        "en": "The list of {n:plural:key account:key accounts} stops inside a tie: {on_list:list} on it and {off_list:list} off it are alike in tier ({tier}) and value score; customer ID decided between them.",
    },
    "scorecard_unknown_accounts": {
        "zh": "评分卡中有 {count:int} 个客户不在交易台账中（如 {examples:list}）。",
        "en": "{count:plural:account of the scorecard has:accounts of the scorecard have} no transactions (e.g. {examples:list}).",
    },
    # findings
    "f_pareto": {
        "zh": "收入最高的 20% 客户贡献了 {top20:pct1} 的收入，前 5% 贡献 {top5:pct1}，前 1% 贡献 {top1:pct1}。",
        "en": "The top 20% of customers bring {top20:pct1} of revenue, the top 5% {top5:pct1} and the top 1% {top1:pct1}.",
    },
    "f_overview": {
        "zh": "分析期 {start} 至 {end} 内，{customers:int} 个客户共产生收入 {revenue:money}。",
        "en": "From {start} to {end}, {customers:plural:customer:customers} brought {revenue:money}.",
    },
    "f_top_tier": {
        "zh": "{tier} 级客户 {count:int} 个（占客户 {cshare:pct1}），贡献收入的 {rshare:pct1}；{last} 级客户占客户数的 {lshare:pct1}，只贡献 {lrshare:pct1}。",
        "en": "Tier {tier} holds {count:plural:customer:customers} ({cshare:pct1} of customers) and {rshare:pct1} of revenue; tier {last} holds {lshare:pct1} of customers but only {lrshare:pct1} of revenue.",
    },
    "f_one_tier": {
        "zh": "所有客户都在 {tier} 级。",
        "en": "Every customer is in tier {tier}.",
    },
    "f_empty_tiers": {
        "zh": "没有客户的等级：{tiers:list}。",
        "en": "Empty tiers: {tiers:list}.",
    },
    "f_keys": {
        "zh": "建议的 {n:int} 个大客户合计贡献收入的 {share:pct1}{core}。",
        "en": "The {n:plural:proposed key account brings:proposed key accounts bring} {share:pct1} of revenue{core}.",
    },
    "f_core": {
        "zh": "，其中核心客户 {core:int} 个、重要客户 {important:int} 个",
        "en": "; {core:int} {core:word:is:are} core and {important:plural:important account:important accounts}",
    },
    "f_core_unscored": {
        "zh": "，另有 {n:int} 个没有理念契合度数据：{names:list}",
        "en": "; {n:int} without an alignment score: {names:list}",
    },
    "f_excluded": {
        "zh": "{n:int} 个高价值客户因收入集中于一笔订单或一年而未列为大客户：{names:list}。",
        "en": "{n:plural:high-value customer is:high-value customers are} not proposed because {n:word:its:their} revenue sits in one order or one year: {names:list}.",
    },
    "f_migration": {
        "zh": "与上一期相比，{up:int} 个客户升级、{down:int} 个降级、{new:int} 个为新增、{lost:int} 个本期无收入。",
        "en": "Against the previous period, {up:plural:customer:customers} moved up a tier, {down:int} slipped, {new:int} {new:word:is:are} new and {lost:int} brought no revenue this period.",
    },
    "f_concentration": {
        "zh": "{segment}是最大的收入来源（{share:pct1}），其最大客户占该行业收入的 {top:pct1}（HHI {hhi:num0}）。",
        "en": "{segment} is the largest source of revenue ({share:pct1}); its largest customer holds {top:pct1} of it (HHI {hhi:num0}).",
    },
    "f_at_risk": {
        "zh": "RFM 分析显示 {n:int} 个曾经高频的客户近期未采购（流失风险），涉及收入 {revenue:money}。",
        "en": "RFM shows {n:plural:formerly frequent customer who has:formerly frequent customers who have} not bought recently (at risk), with {revenue:money} of revenue.",
    },
    # tables without rows
    "no_composition": {
        "zh": "客户主数据中没有行业信息，无法分析收入构成。",
        "en": "The customer master has no industry column, so revenue composition cannot be shown.",
    },
    "no_ranking": {
        "zh": "数据中没有可按“{indicator}”排名的客户。",
        "en": "No customer can be ranked by {indicator} with this data.",
    },
    "no_indicators": {
        "zh": "没有期内客户。",
        "en": "No customer of the period.",
    },
    "no_financial": {
        "zh": "交易台账没有回款日期，无法计算财务类指标。",
        "en": "The ledger has no payment dates, so the financial indicators cannot be computed.",
    },
    "no_contacts_log": {
        "zh": "本项目未提供客户联络记录，无法计算联络类指标。",
        "en": "This engagement has no contact log, so the contact indicators cannot be computed.",
    },
    "no_targets": {
        "zh": "本项目未提供考核目标。",
        "en": "This engagement has no targets.",
    },
    "no_scorecard": {
        "zh": "本项目未提供大客户评分卡。",
        "en": "This engagement has no key-account scorecard.",
    },
    "no_excluded": {
        "zh": "没有因误区而被排除的高价值客户。",
        "en": "No high-value customer was set aside for a misconception.",
    },
    # charts
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
    "c_pareto_point": {"zh": "{top:pct} → {share:pct}", "en": "{top:pct} → {share:pct}"},
    "c_pyramid": {"zh": "客户价值金字塔", "en": "Customer value pyramid"},
    "c_pyramid_band": {
        "zh": "{level}: {customers:int} · {share:pct1}",
        "en": "{level}: {customers:int} · {share:pct1}",
    },
    "c_value": {
        "zh": "客户价值矩阵：现实价值 × 潜在价值",
        "en": "Customer value matrix: current × potential value",
    },
    "c_sample": {
        "zh": "抽样显示：{total:int} 位客户中的 {n:int} 位（收入最高的 {top:int} 位及其余客户的随机样本）",
        "en": "sample of {n:int} of {total:int} customers (the {top:int} largest and a random "
        "sample of the others)",
    },
    "c_migration": {"zh": "等级迁移（客户数）", "en": "Tier migration (customers)"},
    "c_migration_before": {"zh": "上期", "en": "Before"},
    "c_migration_now": {"zh": "本期", "en": "now"},
    "c_composition": {"zh": "按行业的收入构成", "en": "Revenue by industry"},
    "c_composition_bar": {
        "zh": "{share:pct1}  ({label} {top:pct})",
        "en": "{share:pct1}  ({label} {top:pct})",
    },
    "c_rfm": {"zh": "RFM：近度 × 频度（客户数）", "en": "RFM: recency × frequency (customers)"},
    "c_rfm_empty": {
        "zh": "{scores} 无客户：数值相同的客户得到同一分数，因此有的分数空缺。",
        "en": "No customer scored {scores}: equal values share a score, so a score can stay empty.",
    },
    # the method in a paragraph (Analysis.method: the workbook's Contents sheet, the slides' notes)
    "method_segmentation": {
        "zh": (
            "方法：交易台账按客户汇总为分析期内的一行（退货为负数）。帕累托 / ABC 按累计收入占"
            "比分类；客户等级按收入下限划分（未设下限时采用帕累托分类）；价值金字塔由收入、毛"
            "利、订单数和合作年限的加权百分位得分切分；价值矩阵为当前价值 × 潜在价值；RFM 按百"
            "分位分档，同值同档；等级迁移与上一期比较；收入构成按行业计算，并给出最大客户占比"
            "和 HHI。大客户按等级再按价值选出，收入集中于一笔订单或一年的客户不列入，并说明原"
            "因。"
        ),
        "en": (
            "Method: the ledger is summed to one row per customer for the analysis period "
            "(returns as negative amounts). Pareto / ABC classes follow the cumulative "
            "revenue share; tiers follow revenue bounds (or the Pareto classes when none are "
            "set); the value pyramid cuts weighted percentile scores of revenue, profit, "
            "orders and tenure; the value matrix is current × potential value; RFM uses "
            "percentile bins in which ties share a score; tier migration compares with the "
            "previous period; revenue composition by industry shows the largest customer's "
            "share and the HHI. Key accounts are chosen by tier, then value, leaving out "
            "customers whose revenue sits in one order or one year, with the reason."
        ),
    },
    # table titles: workbook sheet names, slide headings (at most 31 characters)
    "t_seg_tiers": {"zh": "客户分级", "en": "Customer tiers"},
    "t_seg_abc": {"zh": "ABC 分类", "en": "ABC classes"},
    "t_seg_ranking_revenue": {"zh": "收入排名", "en": "Ranking by revenue"},
    "t_seg_ranking_profit": {"zh": "毛利排名", "en": "Ranking by profit"},
    "t_seg_ranking_complaints": {"zh": "投诉排名", "en": "Ranking by complaints"},
    "t_seg_ranking_praise": {"zh": "表扬排名", "en": "Ranking by praise"},
    "t_seg_indicators": {"zh": "交易指标", "en": "Transaction indicators"},
    "t_seg_indicators_financial": {"zh": "财务指标", "en": "Financial indicators"},
    "t_seg_indicators_contact": {"zh": "联络指标", "en": "Contact indicators"},
    "t_seg_pyramid": {"zh": "客户价值金字塔", "en": "Customer value pyramid"},
    "t_seg_value_matrix": {"zh": "客户价值矩阵", "en": "Customer value matrix"},
    "t_seg_rfm": {"zh": "RFM 分析", "en": "RFM segments"},
    "t_seg_composition": {"zh": "收入构成", "en": "Revenue composition"},
    "t_seg_key_accounts": {"zh": "建议的大客户", "en": "Recommended key accounts"},
    "t_seg_excluded": {"zh": "剔除的高收入客户", "en": "High-value customers set aside"},
    "t_seg_scorecard": {"zh": "大客户评分卡", "en": "Key-account scorecard"},
    "t_seg_targets": {"zh": "目标与达成", "en": "Targets against actuals"},
    "t_seg_accounting": {"zh": "台账行数核对", "en": "Ledger row accounting"},
    "t_seg_customers": {"zh": "客户明细", "en": "Customers"},
}

register("segmentation", MESSAGES)
