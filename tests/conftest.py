"""Shared fixtures: the course case's industry table (docs/methods.md §1) and engagement folders
written on the fly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SEED_CRITERIA = [
    "市场容量",
    "增长速度",
    "客户认知度",
    "竞争程度",
    "实施难易程度",
    "资金与信用",
    "客户关系",
    "政策支持",
]
# docs/methods.md §1: scores as printed (costs pre-signed negative) and the printed totals.
SEED_ROWS = {
    "政府": ([9, 7, 7, -3, -3, 9, 7, 9], 42),
    "电信业": ([9, 7, 9, -5, -1, 9, 9, 7], 46),
    "教育": ([9, 5, 5, -5, -3, 7, 5, 9], 32),
    "金融": ([9, 3, 9, -9, -7, 9, 7, 7], 28),
}

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
PLANNED = ["C00115", "C01330"]
GENERATED = "2026-11-20 09:00 CST"


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """The demo engagement rendered once for the session, with two account plans."""
    from kamlib.render.pipeline import render

    out = tmp_path_factory.mktemp("reports") / "demo"
    # papermill's stock engine here; tests/test_engine.py renders it again with kamfork
    target, pages = render(
        DEMO, out, engine="nbclient", accounts=",".join(PLANNED), generated=GENERATED
    )
    assert target == out
    return out


ENGAGEMENT_YAML = """\
title: 测试项目
client: 测试客户
company: 测试公司
consultant: 测试顾问
date: 2026-11-20
language: {language}
currency: CNY
{extra}"""


@pytest.fixture
def seed_scores() -> pd.DataFrame:
    return pd.DataFrame.from_dict(
        {k: v[0] for k, v in SEED_ROWS.items()}, orient="index", columns=SEED_CRITERIA
    )


@pytest.fixture
def seed_totals() -> pd.Series:
    return pd.Series({k: float(v[1]) for k, v in SEED_ROWS.items()})


def seed_csv() -> str:
    header = ",".join(["行业", *SEED_CRITERIA, "总分"])
    lines = [
        ",".join([name, *map(str, scores), str(total)])
        for name, (scores, total) in SEED_ROWS.items()
    ]
    return "\n".join([header, *lines]) + "\n"


@pytest.fixture
def make_engagement(tmp_path: Path):
    """Write an engagement folder: ``make_engagement(files={"industries.csv": text}, ...)``."""

    def make(
        files: dict[str, str | bytes] | None = None,
        language: str = "zh",
        extra: str = "",
        yaml_text: str | None = None,
        name: str = "eng",
    ) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        text = (
            yaml_text
            if yaml_text is not None
            else ENGAGEMENT_YAML.format(language=language, extra=extra)
        )
        (folder / "engagement.yaml").write_text(text, encoding="utf-8")
        for file, content in (
            files if files is not None else {"industries.csv": seed_csv()}
        ).items():
            target = folder / file
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return folder

    return make
