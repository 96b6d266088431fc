"""Account plans: the messages of its report, in both languages."""

from kamlib.core.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "account_plans": {"zh": "大客户计划", "en": "Account plans"},
    "account_plan": {"zh": "大客户计划", "en": "Account plan"},
    "region": {"zh": "区域", "en": "Region"},
    "amount": {"zh": "金额", "en": "Value"},
    "value": {"zh": "内容", "en": "Value"},
    "opportunity": {"zh": "机会", "en": "Opportunity"},
    "verdict": {"zh": "结论", "en": "Verdict"},
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
    "stage_next_met": {
        "zh": "进入“{name}”所需的指标均已达到。",
        "en": " It meets every indicator “{name}” needs.",
    },
    "stage_next": {
        "zh": "进入“{name}”还差 {count} 项指标。",
        "en": " Reaching “{name}” needs {count:plural:more indicator:more indicators}.",
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
    "rf_missing": {"zh": "尚未识别{role:role}", "en": "no {role:role} identified"},
    "rf_not_visited": {
        "zh": "{role:role}超过 {days} 天未接触",
        "en": "{role:role} not met for over {days:plural:day:days}",
    },
    "rf_hostile": {
        "zh": "{name}（{role:role}，影响力 {influence:num}）态度消极（{attitude:signed}）",
        "en": "{name} ({role:role}, influence {influence:num}) is against us ({attitude:signed})",
    },
    "rf_complaints_rising": {
        "zh": "投诉占比上升：上半期 {first:pct1}，下半期 {second:pct1}",
        "en": "complaints are rising: {first:pct1} of contacts in the first half of the period, {second:pct1} in the second",
    },
    "n_visits_from_log": {
        "zh": "关系数据未给出月拜访次数，取自联络记录：期内拜访折合每月 {visits:num} 次。",
        "en": "The relationship data gives no visits per month; the contact log gives {visits:num} a month in the period.",
    },
    "contacts_logged": {"zh": "期内联络", "en": "Contacts in the period"},
    "contacts_text": {
        "zh": "任务 {tasks:int} · 进程 {processes:int} · 拜访 {visits:int} · 表扬 {praise:int} · 投诉 {complaints:int} · 建议 {suggestions:int}",
        "en": "tasks {tasks:int} · processes {processes:int} · visits {visits:int} · praise {praise:int} · complaints {complaints:int} · suggestions {suggestions:int}",
    },
    "complaint_trend": {
        "zh": "{share:pct1}（上半期 {first:pct1} → 下半期 {second:pct1}）",
        "en": "{share:pct1} (first half {first:pct1} → second half {second:pct1})",
    },
    "revenue_actual": {"zh": "本期收入", "en": "Revenue this period"},
    "revenue_target": {"zh": "收入目标", "en": "Revenue target"},
    "rf_no_opportunity": {"zh": "没有已识别的销售机会", "en": "no opportunity identified"},
    "rf_screen": {
        "zh": "“{opportunity}”在“{step:step}”一步为红色",
        "en": "“{opportunity}” is red on “{step:step}”",
    },
    "a_identify": {
        "zh": "通过教练或现有联系人识别并约见{role:role}",
        "en": "identify and meet the {role:role}, through the coach or current contacts",
    },
    "a_visit": {
        "zh": "本月内拜访{role:role}（{names:list}）",
        "en": "meet the {role:role} ({names:list}) this month",
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
        "zh": "把拜访提高到每月 {value:num} 次",
        "en": "raise visits to {value:num} a month",
    },
    "a_help_per_month": {
        "zh": "每月至少帮助客户解决 {value:num} 个问题",
        "en": "help the customer with at least {value:plural:issue:issues} a month",
    },
    "a_info_shared": {
        "zh": "争取客户分享更多经营信息（目标 {value:num}/5）",
        "en": "win more of the customer's business information (aim {value:num}/5)",
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
        "zh": "开发该客户的空白市场（{value:money}）",
        "en": "pursue the account's whitespace ({value:money})",
    },
    "n_no_contacts": {
        "zh": "未提供联系人数据，采购影响者覆盖从略。",
        "en": "No contact data: buying-influence coverage is left out.",
    },
    "n_no_opportunities": {
        "zh": "未提供销售机会数据，机会筛选从略。",
        "en": "No opportunity data: the opportunity screen is left out.",
    },
    "n_no_relationship": {
        "zh": "没有该客户的关系数据，关系阶段从略。",
        "en": "No relationship data for this account: the relationship stage is left out.",
    },
    "n_no_plan_data": {
        "zh": "该客户尚无计划数据（没有联系人、销售机会或关系记录）：暂不作推进/暂缓结论，也不判断销售雷区。",
        "en": "No plan data yet for this account (no contact, opportunity or relationship row): "
        "no go/no-go verdict and no red flags until there is.",
    },
    "a_start_plan": {
        "zh": "建立该客户的计划：识别四类采购影响者，记录销售机会，评估关系阶段",
        "en": "start the plan: identify the four buying influences, record the opportunities and "
        "assess the relationship stage",
    },
    "flags_not_judged": {
        "zh": "没有联系人和销售机会数据，无法判断销售雷区。",
        "en": "No contact or opportunity data: red flags cannot be judged.",
    },
    "f_no_plan_data": {
        "zh": "{n} 个大客户中有 {count} 个尚无计划数据（没有联系人、销售机会或关系记录），暂不作结论。",
        "en": "{count:int} of {n:plural:key account:key accounts} {count:word:has:have} no plan data "
        "yet (no contact, opportunity or relationship row): no verdict for {count:word:it:them} yet.",
    },
    "f_owners_all": {
        "zh": "每个客户都有开发与维护两名负责人。",
        "en": "Each account has an owner for development and one for maintenance.",
    },
    "f_owners_missing": {
        "zh": "{count} 个客户尚未指定开发或维护负责人。",
        "en": "{count:plural:account has:accounts have} no owner for development or maintenance yet.",
    },
    "f_plans": {
        "zh": "共生成 {n} 份大客户计划：{go} 个客户的主要机会建议推进，{flagged} 个客户存在销售雷区。",
        "en": "{n:plural:account plan:account plans}: the main opportunity is a go at {go:plural:account:accounts}, and {flagged:plural:account has:accounts have} red flags.",
    },
    "open_plan": {"zh": "查看计划", "en": "Open the plan"},
    "plan": {"zh": "计划", "en": "Plan"},
    "plans_intro": {
        "zh": "按优先级排列的年度目标客户：推进（go）在前，其次暂缓，再次尚无结论；同组内销售雷区少的、收入高的在前；尚无计划数据的客户列在最后。",
        "en": "This year's target accounts by priority: go, then no-go, then no verdict yet; within "
        "each, fewer red flags and higher revenue first; accounts without plan data come last.",
    },
    # the method in a paragraph (Analysis.method: the workbook's Contents sheet, the slides' notes)
    "method_accounts": {
        "zh": (
            "方法：每个客户的主要机会经过四步筛选（是否机会、竞争情况、能否赢、值得赢，各 1–5 "
            "分：≤ 2 为红，3 为黄，≥ 4 为绿），没有红灯且平均分不低于 3.5 时建议推进。销售雷区"
            "：无人识别或 90 天内无人接触的购买角色、持反对态度的决策者、红灯步骤。目标客户清"
            "单按推进优先、雷区少优先、收入高优先排序，并列出开发和维护负责人。"
        ),
        "en": (
            "Method: each account's main opportunity passes the four-step screen (is it an "
            "opportunity, the competition, can we win, is it worth winning; each 1–5: red ≤ "
            "2, amber 3, green ≥ 4); go when no step is red and the mean is at least 3.5. Red "
            "flags: a buying role nobody has identified or met in 90 days, a hostile decision "
            "maker, a red step. The target list ranks go first, then fewer red flags, then "
            "revenue, with the owners for development and maintenance."
        ),
    },
    # table titles: workbook sheet names, slide headings (at most 31 characters)
    "t_plan_facts": {"zh": "客户概况", "en": "Account facts"},
    "t_plan_screen": {"zh": "机会筛选", "en": "Opportunity screen"},
    "t_plan_coverage": {"zh": "决策链覆盖", "en": "Decision-maker coverage"},
    "t_plan_relationship": {"zh": "客户关系", "en": "Relationship"},
    "t_plan_objections": {"zh": "异议与应对", "en": "Objections and responses"},
    "t_plan_targets": {"zh": "年度目标客户清单", "en": "Annual target list"},
}

register("accounts", MESSAGES)
