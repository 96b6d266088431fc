"""Competitor analysis: the messages of its report, in both languages."""

from kamlib.core.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
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
        "zh": "本项目未提供客户钱包数据，无法计算钱包份额。",
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
    # notes (their codes are their keys)
    "unlisted_needs": {
        "zh": "以下指标不在客户需求表中，未计入竞争力得分：{criteria:list}。",
        "en": "These criteria are not in the needs table and do not count in the scores: "
        "{criteria:list}.",
    },
    "wallet_missing": {
        "zh": "{count:int} 个大客户没有钱包数据（如 {examples:list}）。",
        "en": "{count:plural:key account has:key accounts have} no wallet data (e.g. {examples:list}).",
    },
    "wallet_unnamed": {
        "zh": "钱包数据中有 {count:int} 个客户在客户主数据中没有名称（如 {examples:list}），以客户编号显示。",
        "en": "{count:plural:account of the wallet data has:accounts of the wallet data have} no name in "
        "the customer master (e.g. {examples:list}); {count:word:it is:they are} shown by {count:word:its:their} ID.",
    },
    # findings
    "f_we_lead": {
        "zh": "{us}的竞争力得分 {score:num2} 在 {n:int} 家中排名第一，领先第二名{second} {gap:num2} 分。",
        "en": "{us} ranks first of {n:int} with a competitive score of {score:num2}, {gap:num2} ahead "
        "of {second}.",
    },
    "f_we_tie": {
        "zh": "{us}的竞争力得分 {score:num2}，与{others:list}并列 {n:int} 家中的第一。",
        "en": "{us} shares first place of {n:int} with {others:list}, at a competitive score of "
        "{score:num2}.",
    },
    "f_we_rank": {
        "zh": "{us}的竞争力得分 {score:num2}，在 {n:int} 家中排名第 {rank:int}，落后第一名{leader} {gap:num2} 分。",
        "en": "{us} ranks {rank:ord} of {n:int} with a competitive score of {score:num2}, {gap:num2} "
        "behind {leader}.",
    },
    "f_usp": {
        "zh": "独特卖点（客户重视且我方领先最强对手）：{items:list}。",
        "en": "Unique selling points (important to the customer, and we lead the strongest rival): "
        "{items:list}.",
    },
    "f_usp_item": {"zh": "{criterion}（{gap:signed}）", "en": "{criterion} ({gap:signed})"},
    "f_no_usp": {
        "zh": "在客户重视的指标上，我方没有明显领先的独特卖点。",
        "en": "We have no clear lead on any criterion the customer cares about: no unique selling point.",
    },
    "f_vulnerable": {
        "zh": "需要防守的弱项：{items:list}。",
        "en": "Vulnerabilities to defend: {items:list}.",
    },
    "f_vulnerable_item": {
        "zh": "{criterion}（{rival} 领先 {lead:num}）",
        "en": "{criterion} ({rival} leads by {lead:num})",
    },
    "f_wallet_all": {
        "zh": "在 {n:int} 个客户中，我方钱包份额合计 {share:pct1}，空白市场 {whitespace:money}；空白最大的是{top}（{top_ws:money}）。",
        "en": "Across {n:plural:account:accounts} our share of wallet is {share:pct1}, leaving {whitespace:money} "
        "of whitespace; the largest is at {top} ({top_ws:money}).",
    },
    "f_wallet": {
        "zh": "在 {n:int} 个大客户中，我方钱包份额合计 {share:pct1}，空白市场 {whitespace:money}；空白最大的是{top}（{top_ws:money}）。",
        "en": "Across {n:plural:key account:key accounts} our share of wallet is {share:pct1}, leaving "
        "{whitespace:money} of whitespace; the largest is at {top} ({top_ws:money}).",
    },
    # charts
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
    # the method in a paragraph (Analysis.method: the workbook's Contents sheet, the slides' notes)
    "method_competitors": {
        "zh": (
            "方法：各家的竞争力得分 = 按客户需求重要性加权的各指标平均分，并排名。逐项比较我方"
            "与最强对手的差距；独特卖点是客户重视（重要性不低于中位数）且我方领先最强对手达到"
            "设定幅度的指标，需要防守的弱项是对手领先我方达到该幅度的指标。定位图按两个指标或"
            "指标组放置各家。钱包份额 = 我方收入 ÷ 客户在该品类的总采购，其余为空白市场。"
        ),
        "en": (
            "Method: each firm's competitive score is the needs-weighted mean of its "
            "criterion scores, ranked. Per criterion, our gap to the strongest rival; unique "
            "selling points are criteria the customer values (importance at or above the "
            "median) where we lead the best rival by at least the margin, vulnerabilities "
            "where a rival leads us by it. The positioning map places every firm on two "
            "criteria or groups. Share of wallet = our revenue ÷ the account's total spend in "
            "the category; whitespace is the rest."
        ),
    },
    "wallet_from_ledger": {
        "zh": "我方收入来自客户分级的交易台账（分析期内）。",
        "en": "Our revenue comes from the segmentation's ledger (in its period).",
    },
    "wallet_from_data": {
        "zh": "我方收入取钱包数据中的“我方收入”列（没有交易台账）。",
        "en": "Our revenue is the wallet data's own column (there is no ledger).",
    },
    # table titles: workbook sheet names, slide headings (at most 31 characters)
    "t_comp_scores": {"zh": "竞争力得分", "en": "Competitive scores"},
    "t_comp_gaps": {"zh": "能力差距", "en": "Capability gaps"},
    "t_comp_usp": {"zh": "独特卖点", "en": "Unique selling points"},
    "t_comp_vulnerabilities": {"zh": "薄弱环节", "en": "Vulnerabilities"},
    "t_comp_wallet": {"zh": "钱包份额", "en": "Share of wallet"},
}

register("competitors", MESSAGES)
