"""Generate the demo engagement ``data/demo/``: a fictional Chinese B2B IT-services firm choosing
the industries its information-consulting practice should sell into, and tiering its customers.

Seeded and deterministic: running it again rewrites the same bytes (a test checks this). The
four rows of the course case (docs/methods.md §1: 政府, 电信业, 教育, 金融) are kept as printed,
including the telecom total the client summed wrongly (46; the scores give 44), so the demo
report shows the supplied-total warning.

The ledger (``transactions.csv``) covers about 2,400 customers from 2022 to October 2026 with a
long-tailed revenue distribution, returns and payment dates, and a few deliberate data problems
that the report lists in its appendix: rows without a customer ID, exact duplicate rows, zero
amounts, rows dated after the report date, payments dated before the sale, and customers missing
from the customer master. One customer's revenue is a single large group purchase and one
customer bought in one year only, so the misconception flags show.

The account scorecard follows the SKF sheet (docs/methods.md §2): 13 criteria in four groups.
It prints 18 weights (8 8 8 8 6 10 10 10 10 8 8 / 8 6 6 6 6 6 8) for the 13 criteria it lists; the
demo takes the first 13 in order, an assumption the sheet does not settle.

The contact log (``interactions.csv``) covers the 50 largest accounts and 300 smaller customers;
in every fifth large account complaints cluster late in the period, so those plans show a rising
complaint share. ``targets.csv`` sets the KAM scorecard's targets for every key account (``all``)
and revenue targets of their own for the three largest. Two relationship rows leave their visits
a month empty, for the contact log to give. These files, and the wallet rows of the accounts
ranked 31 to 50 (so that every key account has one), are drawn from generators of their own, so
the files that existed before them keep their figures (but for those two empty cells).

Usage: ``python data/make_demo.py [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2026
HERE = Path(__file__).resolve().parent

# criterion, group, direction; cost criteria hold positive magnitudes (the other convention,
# pre-signed negative scores, is covered by the tests)
CRITERIA = [
    ("市场容量", "市场吸引力", "效益"),
    ("增长速度", "市场吸引力", "效益"),
    ("客户认知度", "客户基础", "效益"),
    ("竞争程度", "进入难度", "成本"),
    ("实施难易程度", "进入难度", "成本"),
    ("资金与信用", "客户基础", "效益"),
    ("客户关系", "客户基础", "效益"),
    ("政策支持", "市场吸引力", "效益"),
]

# The course case's rows (magnitudes; it prints the costs as negative numbers) and printed totals.
SEED_ROWS = {
    "政府": ([9, 7, 7, 3, 3, 9, 7, 9], 42),
    "电信业": ([9, 7, 9, 5, 1, 9, 9, 7], 46),
    "教育": ([9, 5, 5, 5, 3, 7, 5, 9], 32),
    "金融": ([9, 3, 9, 9, 7, 9, 7, 7], 28),
}

# Further candidates with a leaning per criterion (−1 weak … +1 strong) that the scores follow.
LEANINGS = {
    "制造业": [1, 0, 0, 0, 1, 0, 0, 1],
    "医疗卫生": [0, 1, -1, -1, 1, 0, -1, 1],
    "能源电力": [1, -1, 0, -1, 1, 1, 0, 1],
    "交通物流": [0, 1, 0, 0, 0, 0, -1, 0],
    "零售连锁": [0, 0, 0, 1, -1, -1, -1, -1],
    "房地产": [0, -1, 0, 1, 0, -1, 0, -1],
    "农业": [-1, 0, -1, -1, 0, -1, -1, 1],
    "互联网与传媒": [0, 1, 1, 1, -1, 0, -1, -1],
}

ENGAGEMENT = """\
# 演示项目：云帆数智科技的目标行业选择与大客户识别（由 data/make_demo.py 生成，请勿手工修改）
title: 信息化咨询业务：目标行业选择与大客户识别
client: 云帆数智科技有限公司 管理层
company: 云帆数智科技有限公司
consultant: 李明远（大客户管理顾问）
date: 2026-11-20
language: zh
currency: CNY

industry_selection:
  threshold: mean
  robustness:
    perturbation: 0.2
    samples: 2000
    seed: 7

segmentation:
  period:
    start: 2025-11-01
    end: 2026-10-31
  tiers:            # 年收入下限（元），含下限
    A: 5000000
    B: 3000000
    C: 1000000
  last_tier: D
  pyramid: [0.01, 0.04, 0.15, 0.80]
  key_accounts: 20
  core_alignment: 7
  payment_terms_days: 90

competitors:
  axes: [信息技术能力, 管理咨询能力]   # 两个分组，即 IT 咨询业竞争格局图的两个维度
  usp_margin: 1                       # 领先最强对手至少 1 分才算独特卖点
  scale: [1, 10]
"""

# Competitors modelled on the IT-consulting landscape of docs/methods.md §4 (fictional names): a
# technology giant, hardware-based and software-based service firms, software vendors, a
# distributor, two firms strong on both axes, a strategy house and an operator moving into IT
# consulting.
CRITERIA_GROUPS = {
    "软件开发": "信息技术能力",
    "系统集成": "信息技术能力",
    "云与数据平台": "信息技术能力",
    "硬件与网络": "信息技术能力",
    "战略规划": "管理咨询能力",
    "流程优化": "管理咨询能力",
    "行业经验": "管理咨询能力",
    "变革管理": "管理咨询能力",
    "本地化服务": "服务与商务",
    "价格竞争力": "服务与商务",
}
NEEDS = [9, 8, 7, 4, 6, 8, 9, 5, 8, 7]
RIVALS = {  # scores in the order of CRITERIA_GROUPS, then market share (%)
    "云帆数智科技有限公司": ([7, 8, 6, 6, 5, 7, 9, 6, 9, 8], 4),
    "蓝岸国际信息": ([9, 9, 9, 9, 7, 7, 7, 7, 5, 3], 14),
    "惠达系统服务": ([6, 8, 7, 10, 3, 4, 5, 3, 6, 5], 9),
    "明略软件服务": ([8, 7, 6, 5, 5, 6, 6, 5, 6, 6], 6),
    "友算软件": ([8, 6, 7, 4, 3, 6, 7, 3, 7, 8], 11),
    "华数分销科技": ([5, 7, 5, 8, 2, 3, 4, 2, 7, 8], 8),
    "博安咨询": ([8, 8, 8, 6, 9, 9, 8, 9, 5, 3], 7),
    "麦睿管理咨询": ([3, 3, 4, 2, 10, 8, 8, 9, 4, 2], 5),
    "华信通信IT服务": ([6, 8, 8, 9, 3, 4, 6, 3, 8, 7], 10),
}

INDUSTRY_MIX = {
    "制造业": 0.24,
    "政府": 0.14,
    "金融": 0.12,
    "电信业": 0.10,
    "教育": 0.10,
    "能源电力": 0.08,
    "医疗卫生": 0.08,
    "交通物流": 0.07,
    "零售连锁": 0.07,
}
REGIONS = ["华东", "华北", "华南", "华中", "西南", "西北", "东北"]
PRODUCTS = {"咨询服务": 0.35, "系统集成": 0.25, "运维外包": 0.2, "软件许可": 0.12, "云服务": 0.08}
NAME_HEAD = list("华中东南西北新联创恒瑞宏泰鼎盛远达汇博启航天正信诚安嘉和金银海山")
NAME_TAIL = {
    "制造业": ["制造", "实业", "机械", "电子"],
    "政府": ["政务服务中心", "信息中心", "大数据中心"],
    "金融": ["银行", "证券", "保险", "信托"],
    "电信业": ["通信", "电信", "网络"],
    "教育": ["教育", "学院", "职业学校"],
    "能源电力": ["能源", "电力", "燃气"],
    "医疗卫生": ["医药", "医院", "健康"],
    "交通物流": ["物流", "运输", "港务"],
    "零售连锁": ["商贸", "百货", "连锁"],
}
SCORECARD = [
    ("市场领导地位", "市场地位", 8),
    ("技术领导地位", "市场地位", 8),
    ("市场声誉", "市场地位", 8),
    ("新市场支柱/未来潜力", "市场地位", 8),
    ("平台潜力", "对我方的价值", 6),
    ("价值创新与增值方案", "对我方的价值", 10),
    ("对主要竞争对手的影响", "对我方的价值", 10),
    ("品牌价值", "对我方的价值", 10),
    ("提升我方业绩", "对我方的价值", 10),
    ("文化契合", "关系", 8),
    ("长期合作伙伴关系", "关系", 8),
    ("现有高层关系", "关系", 8),
    ("合作联盟", "理念契合", 6),
]
START, END = pd.Timestamp("2022-01-01"), pd.Timestamp("2026-10-31")


def make_customers(rng: np.random.Generator, n: int = 2400) -> pd.DataFrame:
    """The customer master: fictional names, industry, region, size, capital, potential, fit."""
    ids = [f"C{i:05d}" for i in range(1, n + 1)]
    heads = rng.choice(NAME_HEAD, size=(n, 2))
    industry = rng.choice(list(INDUSTRY_MIX), size=n, p=list(INDUSTRY_MIX.values()))
    names = []
    for (a, b), sector in zip(heads, industry):
        tail = NAME_TAIL[sector][int(rng.integers(len(NAME_TAIL[sector])))]
        names.append(f"{a}{b}{tail}" + ("" if sector == "政府" else "有限公司"))
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[i] = f"{name}（{REGIONS[seen[name] % 7]}）"
    # annual spend potential: long-tailed (lognormal), median ≈ 0.5 M CNY
    potential = np.round(np.exp(rng.normal(np.log(5e5), 1.25, n)), -3)
    size = np.where(potential > 4e6, "大型", np.where(potential > 8e5, "中型", "小型"))
    since = rng.choice(
        np.arange(2008, 2027), size=n, p=np.linspace(0.5, 1.5, 19) / np.linspace(0.5, 1.5, 19).sum()
    )
    return pd.DataFrame(
        {
            "客户编号": ids,
            "客户名称": names,
            "行业": industry,
            "区域": rng.choice(REGIONS, size=n),
            "规模": size,
            "注册资本": np.round(potential * rng.uniform(0.5, 4, n) / 1e4).astype(int),
            "是否上市": np.where(rng.random(n) < np.clip(potential / 2e7, 0.02, 0.6), "是", "否"),
            "合作起始年": since,
            "潜在采购额": potential.astype(int),
            "理念契合度": rng.integers(2, 11, n),
        }
    )


def make_transactions(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """The ledger: orders per customer and year, one to three lines each, returns, payments."""
    n = len(customers)
    share = rng.beta(2, 3, n) * 0.9 + 0.05  # our share of each customer's potential
    trend = rng.normal(0.03, 0.18, n)  # yearly growth of our revenue at the customer
    first = pd.to_datetime(customers["合作起始年"].astype(str) + "-01-01").clip(lower=START)
    first = first + pd.to_timedelta(rng.integers(0, 330, n), unit="D")
    churn = rng.random(n) < 0.12
    last = np.where(churn, first + pd.to_timedelta(rng.integers(200, 1200, n), unit="D"), END)
    last = pd.Series(pd.to_datetime(last)).clip(upper=END).tolist()
    rows = []
    for i in range(n):
        if first.iloc[i] > END:
            continue
        annual = customers["潜在采购额"].iat[i] * share[i]
        for year in range(first.iloc[i].year, last[i].year + 1):
            lo = max(first.iloc[i], pd.Timestamp(f"{year}-01-01"))
            hi = min(last[i], pd.Timestamp(f"{year}-12-31"))
            if hi < lo:
                continue
            days = (hi - lo).days + 1
            spend = annual * (1 + trend[i]) ** (year - 2024) * days / 365
            orders = max(1, rng.poisson(min(40, 2 + spend / 120_000) * days / 365))
            amounts = rng.dirichlet(np.ones(orders) * 1.5) * spend
            dates = lo + pd.to_timedelta(np.sort(rng.integers(0, days, orders)), unit="D")
            for k, (date, amount) in enumerate(zip(dates, amounts)):
                rows.append((customers["客户编号"].iat[i], date, amount, f"{year}-{i:05d}-{k:03d}"))
    ledger = pd.DataFrame(rows, columns=["客户编号", "日期", "金额", "订单号"])
    ledger["产品"] = rng.choice(list(PRODUCTS), size=len(ledger), p=list(PRODUCTS.values()))
    ledger["金额"] = np.round(ledger["金额"], -1).clip(lower=100)
    returns = rng.random(len(ledger)) < 0.015
    refunds = ledger.loc[returns].copy()
    refunds["金额"] = -np.round(refunds["金额"] * rng.uniform(0.1, 0.6, len(refunds)), -1)
    refunds["日期"] = refunds["日期"] + pd.to_timedelta(rng.integers(5, 40, len(refunds)), "D")
    ledger = pd.concat([ledger, refunds.loc[refunds["日期"] <= END]], ignore_index=True)
    ledger["毛利"] = np.round(ledger["金额"] * rng.uniform(0.12, 0.38, len(ledger)), -1)
    delay = pd.to_timedelta(rng.gamma(3, 22, len(ledger)).astype(int), unit="D")
    paid = ledger["日期"] + delay
    ledger["回款日期"] = paid.where(paid <= END + pd.Timedelta(days=20))
    # a group purchase: one very large one-off order from a small customer
    one_off = customers.index[customers["规模"].eq("小型")][3]
    big = pd.DataFrame(
        [
            {
                "客户编号": customers.at[one_off, "客户编号"],
                "日期": pd.Timestamp("2026-03-18"),
                "金额": 6_800_000.0,
                "订单号": "2026-GROUP-001",
                "产品": "系统集成",
                "毛利": 610_000.0,
                "回款日期": pd.Timestamp("2026-06-30"),
            }
        ]
    )
    ledger = pd.concat([ledger, big], ignore_index=True)
    # deliberate data problems, each listed in the report's appendix
    problems = ledger.sample(28, random_state=SEED).copy()
    problems.iloc[:12, problems.columns.get_loc("客户编号")] = ""
    problems.iloc[12:15, problems.columns.get_loc("金额")] = 0.0
    problems.iloc[15:17, problems.columns.get_loc("日期")] = pd.Timestamp("2026-12-05")
    problems.iloc[17:19, problems.columns.get_loc("回款日期")] = pd.Timestamp("2021-06-01")
    ledger = pd.concat(
        [ledger, problems.iloc[:19], ledger.sample(6, random_state=1)], ignore_index=True
    )
    ledger = ledger.sort_values(["日期", "客户编号", "订单号"], kind="stable", ignore_index=True)
    ledger["日期"] = ledger["日期"].dt.strftime("%Y-%m-%d")
    ledger["回款日期"] = ledger["回款日期"].dt.strftime("%Y-%m-%d").fillna("")
    return ledger[["客户编号", "日期", "订单号", "产品", "金额", "毛利", "回款日期"]]


def make_scorecard(
    rng: np.random.Generator, customers: pd.DataFrame, ledger: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The SKF key-account scorecard for the 15 largest customers of the last year, 1–10."""
    recent = ledger.loc[ledger["日期"] >= "2025-11-01"].groupby("客户编号")["金额"].sum()
    top = recent.nlargest(15).index
    card = pd.DataFrame({"客户编号": top})
    for name, _, _ in SCORECARD:
        card[name] = rng.integers(3, 11, len(card))
    criteria = pd.DataFrame(
        {
            "指标": [c[0] for c in SCORECARD],
            "权重": [c[2] for c in SCORECARD],
            "分组": [c[1] for c in SCORECARD],
        }
    )
    return card, criteria


def make_industries(rng: np.random.Generator) -> pd.DataFrame:
    """The industries table: the course case's rows first, then generated candidates with consistent
    totals."""
    names = [c[0] for c in CRITERIA]
    cost = np.array([c[2] == "成本" for c in CRITERIA])
    rows = []
    for industry, (scores, printed) in SEED_ROWS.items():
        rows.append({"行业": industry, **dict(zip(names, scores)), "总分": printed})
    levels = np.array([1, 3, 5, 7, 9])
    for industry, leaning in LEANINGS.items():
        centre = 2 + np.array(leaning) * np.where(cost, -1, 1) * 1.2
        index = np.clip(np.rint(centre + rng.normal(0, 0.8, len(names))), 0, 4).astype(int)
        scores = levels[index]
        total = int(np.where(cost, -scores, scores).sum())
        rows.append({"行业": industry, **dict(zip(names, scores.tolist())), "总分": total})
    return pd.DataFrame(rows)


def make_criteria() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "指标": [c[0] for c in CRITERIA],
            "权重": 1,
            "方向": [c[2] for c in CRITERIA],
            "分组": [c[1] for c in CRITERIA],
        }
    )


def make_competitors() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The competitor scores (1–10, with market share) and the customer's needs."""
    names = list(CRITERIA_GROUPS)
    frame = pd.DataFrame(
        [
            {"竞争对手": rival, **dict(zip(names, scores)), "市场份额": share}
            for rival, (scores, share) in RIVALS.items()
        ]
    )
    needs = pd.DataFrame({"指标": names, "重要性": NEEDS, "分组": list(CRITERIA_GROUPS.values())})
    return frame, needs


def make_wallet(rng: np.random.Generator, ledger: pd.DataFrame) -> pd.DataFrame:
    """Each of the 30 largest accounts' total spend in our category, and the rivals' part of it."""
    period = ledger.loc[
        (ledger["日期"] >= "2025-11-01")
        & (ledger["日期"] <= "2026-10-31")
        & ledger["客户编号"].ne("")
    ]
    ours = period.groupby("客户编号")["金额"].sum().nlargest(30)
    share = rng.uniform(0.15, 0.75, len(ours))
    total = np.round(ours.to_numpy() / share, -4)
    rivals = [r for r in RIVALS if r != "云帆数智科技有限公司"]
    rows = []
    for (customer, revenue), spend in zip(ours.items(), total):
        rest = spend - revenue
        chosen = rng.choice(rivals, size=2, replace=False)
        split = rng.uniform(0.3, 0.7)
        row = {"客户编号": customer, "采购总额": spend}
        row.update({r: 0.0 for r in rivals})
        row[chosen[0]] = np.round(rest * split, -2)
        row[chosen[1]] = np.round(rest * (1 - split), -2)
        rows.append(row)
    return pd.DataFrame(rows)


REPS = ["王晓峰", "陈思远", "刘敏", "赵志强", "孙丽娜", "周建国", "吴海燕", "郑凯"]
SURNAMES = list("张王李赵刘陈杨黄周吴徐孙马朱胡郭何林")
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超"]
TITLES = {
    "decision_maker": ["总经理", "副总裁", "CIO", "分管副局长"],
    "technical": ["信息中心主任", "技术总监", "IT 经理"],
    "user": ["财务经理", "运营总监", "业务部门经理"],
    "coach": ["项目经理", "采购主管", "信息专员"],
}
LEVEL = {"decision_maker": "高层", "technical": "中层", "user": "中层", "coach": "基层"}
ROLE_NAMES = {
    "decision_maker": "决策者",
    "technical": "技术把关者",
    "user": "使用者",
    "coach": "教练",
}
PROJECTS = [
    "ERP 升级",
    "数据中台建设",
    "运维外包续约",
    "信息安全等级保护",
    "云迁移",
    "流程优化咨询",
]
OBJECTIONS = ["", "", "没有预算", "不着急", "不信任", "没有需求"]
SIGNALS = ["", "", "同意下一步", "引荐高层", "同意技术交流", "接受观点"]


def make_account_data(
    rng: np.random.Generator, ledger: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Contacts, opportunities and relationships for the 25 largest accounts of the year; some
    accounts lack a coach or a technical gatekeeper, or have not been visited lately, so the
    plans' red flags show."""
    period = ledger.loc[
        (ledger["日期"] >= "2025-11-01")
        & (ledger["日期"] <= "2026-10-31")
        & ledger["客户编号"].ne("")
    ]
    accounts = period.groupby("客户编号")["金额"].sum().nlargest(25).index
    report = pd.Timestamp("2026-11-20")
    contacts, opportunities, relationships = [], [], []
    for k, customer in enumerate(accounts):
        roles = ["decision_maker", "technical", "user", "coach"]
        if k % 5 == 1:
            roles.remove("coach")
        if k % 7 == 3:
            roles.remove("technical")
        if k % 4 == 0:
            roles.append("user")
        for role in roles:
            name = str(rng.choice(SURNAMES)) + "".join(
                rng.choice(GIVEN, size=int(rng.integers(1, 3)))
            )
            stale = rng.random() < 0.2
            days = int(rng.integers(100, 240)) if stale else int(rng.integers(3, 80))
            contacts.append(
                {
                    "客户编号": customer,
                    "姓名": name,
                    "职务": str(rng.choice(TITLES[role])),
                    "角色": ROLE_NAMES[role],
                    "态度": int(rng.integers(-3, 6)),
                    "影响力": int(rng.integers(3, 11)),
                    "最近接触": (report - pd.Timedelta(days=days)).strftime("%Y-%m-%d"),
                    "层级": LEVEL[role],
                }
            )
        for j in range(int(rng.integers(1, 4))):
            scores = np.clip(rng.normal(3.6, 1.0, 4).round(), 1, 5).astype(int)
            opportunities.append(
                {
                    "客户编号": customer,
                    "机会": f"{PROJECTS[(k + j) % len(PROJECTS)]}",
                    "金额": float(np.round(rng.uniform(0.5, 6) * 1e6, -4)),
                    "阶段": str(rng.choice(["线索", "需求确认", "方案", "商务谈判"])),
                    "是否机会": scores[0],
                    "竞争": scores[1],
                    "能否赢": scores[2],
                    "值得赢": scores[3],
                    "预计成交": (report + pd.Timedelta(days=int(rng.integers(30, 300)))).strftime(
                        "%Y-%m-%d"
                    ),
                    "异议": OBJECTIONS[(k + j) % len(OBJECTIONS)],
                    "购买信号": SIGNALS[(k * 2 + j) % len(SIGNALS)],
                }
            )
        stage = int(rng.integers(1, 6))
        relationships.append(
            {
                "客户编号": customer,
                "关系阶段": stage,
                "月拜访次数": int(max(0, stage - 1 + rng.integers(-1, 2))),
                "月帮助次数": int(max(0, stage - 2 + rng.integers(-1, 2))),
                "信息分享": int(min(5, max(0, stage - 1 + rng.integers(-1, 2)))),
                "首先想到": "是" if stage >= 4 and rng.random() < 0.7 else "否",
                "节日问候": "是" if stage >= 3 and rng.random() < 0.6 else "否",
                "开发负责人": REPS[k % len(REPS)],
                "维护负责人": REPS[(k + 3) % len(REPS)],
            }
        )
    return pd.DataFrame(contacts), pd.DataFrame(opportunities), pd.DataFrame(relationships)


WALLET_MORE = 20
"""Accounts ranked 31 to 50 by revenue also get a wallet row (drawn from their own generator,
so the first 30 rows stay as they were): every key account has one."""


def make_wallet_more(rng: np.random.Generator, ledger: pd.DataFrame) -> pd.DataFrame:
    """The wallet rows of the accounts ranked 31 to 50 by revenue in the period."""
    period = ledger.loc[
        (ledger["日期"] >= "2025-11-01")
        & (ledger["日期"] <= "2026-10-31")
        & ledger["客户编号"].ne("")
    ]
    ours = period.groupby("客户编号")["金额"].sum().nlargest(30 + WALLET_MORE).iloc[30:]
    rivals = [r for r in RIVALS if r != "云帆数智科技有限公司"]
    rows = []
    for customer, revenue in ours.items():
        spend = np.round(revenue / rng.uniform(0.15, 0.75), -4)
        chosen = rng.choice(rivals, size=2, replace=False)
        split = rng.uniform(0.3, 0.7)
        row = {"客户编号": customer, "采购总额": spend}
        row.update({r: 0.0 for r in rivals})
        row[chosen[0]] = np.round((spend - revenue) * split, -2)
        row[chosen[1]] = np.round((spend - revenue) * (1 - split), -2)
        rows.append(row)
    return pd.DataFrame(rows)


CONTACT_TYPES = {"任务": 0.3, "进程": 0.2, "拜访": 0.32, "表扬": 0.08, "投诉": 0.05, "建议": 0.05}
CONTACT_NOTES = {
    "任务": "跟进需求调研",
    "进程": "方案评审会",
    "拜访": "例行拜访",
    "表扬": "客户表扬项目团队",
    "投诉": "客户投诉响应慢",
    "建议": "客户建议增加培训",
}


def make_interactions(rng: np.random.Generator, ledger: pd.DataFrame) -> pd.DataFrame:
    """The contact log: the 50 largest accounts of the year (every key account among them) and
    300 smaller customers, from May 2025 to the end of the period. Every fifth large account's
    complaints cluster in the period's second half, so its plan shows a rising complaint
    share."""
    period = ledger.loc[
        (ledger["日期"] >= "2025-11-01")
        & (ledger["日期"] <= "2026-10-31")
        & ledger["客户编号"].ne("")
    ]
    revenue = period.groupby("客户编号")["金额"].sum().sort_values(ascending=False)
    large = list(revenue.index[:50])
    small = sorted(rng.choice(revenue.index[50:], size=300, replace=False))
    start, days = pd.Timestamp("2025-05-01"), 549
    kinds, weights = list(CONTACT_TYPES), list(CONTACT_TYPES.values())
    rows = []
    for k, customer in enumerate(large + small):
        n = int(rng.poisson(36 if k < len(large) else 4))
        when = start + pd.to_timedelta(np.sort(rng.integers(0, days, n)), unit="D")
        what = rng.choice(kinds, size=n, p=weights)
        if k < len(large) and k % 5 == 2:  # complaints late in the period
            late = when >= pd.Timestamp("2026-05-01")
            what = np.where(late & (rng.random(n) < 0.35), "投诉", np.where(late, what, "拜访"))
        for day, kind in zip(when, what):
            rows.append(
                {
                    "客户编号": customer,
                    "日期": day.strftime("%Y-%m-%d"),
                    "类型": str(kind),
                    "负责人": REPS[k % len(REPS)],
                    "备注": CONTACT_NOTES[str(kind)],
                }
            )
    return pd.DataFrame(rows)


def make_targets(ledger: pd.DataFrame) -> pd.DataFrame:
    """The KAM scorecard's targets (customer, sales, financial and service measures):
    the same for every key account (``all``), and revenue targets of their own for the three
    largest accounts."""
    period = ledger.loc[
        (ledger["日期"] >= "2025-11-01")
        & (ledger["日期"] <= "2026-10-31")
        & ledger["客户编号"].ne("")
    ]
    top = period.groupby("客户编号")["金额"].sum().nlargest(3)
    rows = [
        ("all", "收入", 6_000_000),
        ("all", "毛利率", 0.25),
        ("all", "平均回款天数", 75),
        ("all", "投诉占比", 0.10),
        ("all", "拜访", 12),
    ]
    rows += [(c, "收入", float(np.round(v * 1.15, -5))) for c, v in top.items()]
    frame = pd.DataFrame(rows, columns=["客户编号", "指标", "目标"])
    frame["期间"] = "2025-11 至 2026-10"
    return frame


def main(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    out.mkdir(parents=True, exist_ok=True)
    (out / "engagement.yaml").write_text(ENGAGEMENT, encoding="utf-8")
    # UTF-8 with BOM, as Excel's "CSV UTF-8" writes it
    make_industries(rng).to_csv(
        out / "industries.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    make_criteria().to_csv(
        out / "criteria.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    customers = make_customers(rng)
    ledger = make_transactions(rng, customers)
    card, card_criteria = make_scorecard(rng, customers, ledger)
    # five customers of the ledger are missing from the master: a data problem the report lists
    customers = customers.drop(customers.index[[5, 50, 500, 1000, 1500]])
    customers.to_csv(out / "customers.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    ledger.to_csv(
        out / "transactions.csv",
        index=False,
        encoding="utf-8-sig",
        lineterminator="\n",
        float_format="%.2f",
    )
    card.to_csv(
        out / "account_scorecard.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    card_criteria.to_csv(
        out / "scorecard_criteria.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    rivals, needs = make_competitors()
    rivals.to_csv(out / "competitors.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    needs.to_csv(out / "needs.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    make_wallet(rng, ledger).to_csv(
        out / "wallet.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    for name, frame in zip(
        ("contacts", "opportunities", "relationships"), make_account_data(rng, ledger)
    ):
        if name == "relationships":
            # two accounts' visits a month are left to the contact log (interactions)
            frame = frame.astype({"月拜访次数": object})
            frame.loc[[7, 19], "月拜访次数"] = ""
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
    # added later, each from its own generator, so that the files above keep their bytes
    more = make_wallet_more(np.random.default_rng(SEED + 1), ledger)
    wallet = pd.read_csv(out / "wallet.csv", dtype={"客户编号": str}, encoding="utf-8-sig")
    pd.concat([wallet, more], ignore_index=True).to_csv(
        out / "wallet.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    make_interactions(np.random.default_rng(SEED + 2), ledger).to_csv(
        out / "interactions.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )
    make_targets(ledger).to_csv(
        out / "targets.csv", index=False, encoding="utf-8-sig", lineterminator="\n"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "demo")
