"""Generate the demo engagement ``data/demo/``: a fictional Chinese B2B IT-services firm choosing
the industries its information-consulting practice should sell into.

Seeded and deterministic: running it again rewrites the same bytes (a test checks this). The four
rows of the seed document (METHODS.md §1: 政府, 电信业, 教育, 金融) are kept as printed, including
the telecom total the client summed wrongly (46; the scores give 44), so the demo report shows the
supplied-total warning. Usage: ``python data/make_demo.py [OUT_DIR]``.
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

# The seed's rows (magnitudes; the seed prints the costs as negative numbers) and printed totals.
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
# 演示项目：云帆数智科技选择信息化咨询业务的目标行业（由 data/make_demo.py 生成，请勿手工修改）
title: 信息化咨询业务目标行业选择
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
"""


def make_industries(rng: np.random.Generator) -> pd.DataFrame:
    """The industries table: seed rows first, then generated candidates with consistent totals."""
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


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "demo")
