"""Rendering an engagement end to end: papermill + nbconvert + index + results.json."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from kamlib.render.pipeline import render
from tests.conftest import DEMO, GENERATED, PLANNED, ROOT

KEYS = ["industry_selection", "customer_segmentation", "competitor_analysis"]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def external_urls(markup: str) -> list[str]:
    without_data = re.sub(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=\s]+", "", markup)
    return re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>)]*", without_data)


def test_report_files(demo):
    names = sorted(p.name for p in demo.iterdir())
    assert names == sorted(
        [f"{key}{suffix}" for key in KEYS for suffix in (".html", ".ipynb")]
        + [
            ".kam-cache",
            ".kam-stamp",
            "accounts",
            "index.html",
            "report.pptx",
            "report.xlsx",
            "results.json",
        ]
        + ["tables"]
    )
    assert sorted(p.name for p in (demo / "accounts").iterdir()) == sorted(
        [f"{c}{suffix}" for c in PLANNED for suffix in (".html", ".ipynb")] + ["index.html"]
    )
    assert not (demo.parent / "demo.failed").exists()


def test_results_json_contract(demo):
    results = json.loads((demo / "results.json").read_text(encoding="utf-8"))
    assert list(results) == [*KEYS, "account_plans"]
    plans = results["account_plans"]
    assert [p["customer_id"] for p in plans] == PLANNED
    for plan in plans:
        assert set(plan) == {"customer_id", "status", "go", "red_flags", "relationship_stage"}
        assert plan["status"] == "planned" and isinstance(plan["go"], bool)
        assert 1 <= plan["relationship_stage"] <= 5
        assert all(set(flag) >= {"code", "text"} for flag in plan["red_flags"])
    ind = results["industry_selection"]
    assert set(ind) == {"threshold", "industries", "warnings"}
    assert ind["threshold"] == pytest.approx(25.5)
    rows = {r["industry"]: r for r in ind["industries"]}
    assert len(rows) == 12
    assert rows["电信业"] == {
        "industry": "电信业",
        "total": 44.0,
        "rank": 1,
        "selected": True,
        "provided_total": 46.0,
    }
    assert rows["金融"]["total"] == 28.0 and rows["金融"]["selected"] is True
    assert [r["rank"] for r in ind["industries"]] == sorted(r["rank"] for r in ind["industries"])
    assert ind["warnings"] == [
        {
            "code": "total_mismatch",
            "text": "电信业：数据中的总分为 46，但按评分计算为 44（差 2）。",
            "industry": "电信业",
            "provided": 46.0,
            "computed": 44.0,
            "difference": 2.0,
        }
    ]


@pytest.mark.parametrize(
    "page",
    ["index.html", *[f"{key}.html" for key in KEYS], "accounts/index.html", "accounts/C00115.html"],
)
def test_pages_are_self_contained_and_codeless(demo, page):
    markup = (demo / page).read_text(encoding="utf-8")
    doc = soup(demo / page)
    assert doc.find("script") is None
    assert external_urls(markup) == []
    for tag in doc.find_all(src=True):
        assert tag["src"].startswith("data:image/png;base64,")
    for tag in doc.find_all(href=True):
        assert re.fullmatch(r"#[\w%-]+|(\.\./|accounts/)?[\w-]+\.html", tag["href"]), tag["href"]
    text = doc.get_text(" ")
    for code in ("import kamlib", "kam.", "In [", "Traceback", "engagement: str"):
        assert code not in text
    assert doc.find(class_="jp-InputPrompt") is None and doc.find("pre") is None
    assert doc.html["lang"] == "zh-CN"
    assert "云帆数智科技有限公司" in text and "李明远" in text and "2026-11-20" in text


def test_analysis_page_content(demo):
    doc = soup(demo / "industry_selection.html")
    text = doc.get_text(" ")
    headings = [h.get_text(strip=True) for h in doc.find_all("h2")]
    assert headings[:7] == [
        "目录",
        "结论",
        "评分与排名",
        "评价指标与权重",
        "评分热力图",
        "总分构成",
        "权重稳健性",
    ]
    assert "附录：方法说明与数据质量" in headings
    # the other language's narrative and the course-only cell are left out
    assert "Scores and ranking" not in text and "For the course" not in text
    images = doc.find_all("img")
    assert len(images) == 3
    findings = [li.get_text() for li in doc.select("ul.kam-findings li")]
    assert findings[0].startswith("在 12 个候选行业中，5 个达到门槛（平均分 25.5）并入选")
    warnings = [li.get_text() for li in doc.select("ul.kam-warnings li")]
    assert warnings == ["电信业：数据中的总分为 46，但按评分计算为 44（差 2）。"]
    ranking = doc.select("table.kam-table")[0]
    first = [td.get_text() for td in ranking.select("tbody tr")[0].find_all("td")]
    assert first[:2] == ["1", "电信业"] and first[-3:] == ["44", "★", "46"]
    for link in doc.select("nav.kam-toc a"):
        assert doc.find(id=link["href"][1:]) is not None


def test_index_page(demo):
    doc = soup(demo / "index.html")
    assert doc.title.get_text() == "信息化咨询业务：目标行业选择与大客户识别"
    assert [a["href"] for a in doc.select("nav.kam-toc a")] == [
        "#summary",
        *[f"{key}.html" for key in KEYS],
        "accounts/index.html",
    ]
    findings = [li.get_text() for li in doc.select("ul.kam-findings li")]
    pages = [soup(demo / f"{key}.html") for key in KEYS]
    findings, plans_findings = findings[:-2], findings[-2:]
    assert plans_findings[0].startswith("共生成 2 份大客户计划：")
    assert plans_findings[1] == "每个客户都有开发与维护两名负责人。"
    assert findings == [li.get_text() for page in pages for li in page.select("ul.kam-findings li")]
    targets = soup(demo / "accounts" / "index.html")
    assert [li.get_text() for li in targets.select("ul.kam-findings li")] == plans_findings


COMPANY = 'Evil "Co" <img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a>'
CUSTOMER = "<script>alert('c')</script>\nimport os; os.system('touch hacked')"


def test_english_report_with_hostile_names(tmp_path):
    """Client, company, competitor, customer and industry names made of HTML, script,
    javascript: links, quotes, newlines and Python code appear as literal text everywhere."""
    folder = tmp_path / 'it\'s "odd"'
    shutil.copytree(DEMO, folder)
    yaml_text = (folder / "engagement.yaml").read_text(encoding="utf-8")
    yaml_text = (
        yaml_text.replace("language: zh", "language: en")
        .replace("client: 云帆数智科技有限公司 管理层", f"client: '{HOSTILE}'")
        .replace("company: 云帆数智科技有限公司", "company: " + json.dumps(COMPANY))
    )
    (folder / "engagement.yaml").write_text(yaml_text, encoding="utf-8")
    csv = (folder / "industries.csv").read_text(encoding="utf-8-sig")
    (folder / "industries.csv").write_text(
        csv.replace("房地产", "<b>地产</b>'); import os"), encoding="utf-8"
    )
    rivals = pd.read_csv(folder / "competitors.csv", encoding="utf-8-sig")
    rivals.loc[rivals["竞争对手"] == "云帆数智科技有限公司", "竞争对手"] = COMPANY
    rivals.to_csv(folder / "competitors.csv", index=False)
    customers = pd.read_csv(folder / "customers.csv", encoding="utf-8-sig", dtype=str)
    customers.loc[customers["客户编号"] == PLANNED[0], "客户名称"] = CUSTOMER
    customers.to_csv(folder / "customers.csv", index=False)
    out, _ = render(folder, tmp_path / "out", accounts=PLANNED[0])
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 6
    for page in pages:
        doc = soup(page)
        assert doc.find("script") is None and doc.find("b") is None
        assert all(img["src"].startswith("data:") for img in doc.find_all("img"))
        assert not any(a["href"].startswith("javascript") for a in doc.find_all("a", href=True))
        assert doc.html["lang"] == "en"
        assert HOSTILE in doc.get_text(), page
    text = {page.name: soup(page).get_text() for page in pages}
    assert "<b>地产</b>'); import os" in text["industry_selection.html"]
    assert COMPANY in text["competitor_analysis.html"]
    assert CUSTOMER.split("\n")[0] in text[f"{PLANNED[0]}.html"]
    assert "import os; os.system('touch hacked')" in text[f"{PLANNED[0]}.html"]
    assert not (tmp_path / "hacked").exists() and not (ROOT / "notebooks" / "hacked").exists()
    executed = json.loads((out / "accounts" / f"{PLANNED[0]}.ipynb").read_text(encoding="utf-8"))
    markup = "".join(
        "".join(output.get("data", {}).get("text/html", ""))
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
    )
    assert "<script>alert" not in markup and "&lt;script&gt;alert" in markup
    doc = soup(out / "industry_selection.html")
    assert [h.get_text(strip=True) for h in doc.find_all("h2")][1:3] == [
        "Findings",
        "Scores and ranking",
    ]
    assert "评分与排名" not in doc.get_text()


def test_failed_render_leaves_no_report(tmp_path):
    out = tmp_path / "demo"
    with pytest.raises(Exception, match="No engine named 'nope' found"):
        render(DEMO, out, engine="nope")
    assert not out.exists()
    assert (tmp_path / "demo.failed").is_dir()


def test_same_inputs_render_byte_identical_pages(demo, tmp_path):
    again, _ = render(DEMO, tmp_path / "again", accounts=",".join(PLANNED), generated=GENERATED)
    pages = sorted(p.relative_to(demo) for p in demo.rglob("*.html"))
    assert pages == sorted(p.relative_to(again) for p in again.rglob("*.html"))
    for page in [*pages, Path("results.json"), Path("report.pptx")]:
        assert (demo / page).read_bytes() == (again / page).read_bytes(), page


def _drop_text(value):
    if isinstance(value, dict):
        return {k: _drop_text(v) for k, v in value.items() if k != "text"}
    if isinstance(value, list):
        return [_drop_text(v) for v in value]
    return value


def _notes(value, found):
    """Every object with a ``code`` in a results entry."""
    if isinstance(value, dict):
        if "code" in value:
            found.append(value)
        for v in value.values():
            _notes(v, found)
    elif isinstance(value, list):
        for v in value:
            _notes(v, found)
    return found


def test_results_agree_in_both_languages_beyond_text():
    """The demo's results.json entries in zh and in en are the same once ``text`` is dropped,
    and every warning, red flag and reason is a {code, text} object."""
    from kamlib.core.config import load_engagement
    from kamlib.core.i18n import Words
    from kamlib.run import run_engagement

    eng = load_engagement(DEMO)
    run = run_engagement(eng)
    zh, en = Words("zh", eng.currency), Words("en", eng.currency)
    for analysis in run.analyses:
        result = run.results[analysis.key]
        if analysis.per_account:
            result = analysis.subset(result, analysis.select(result, "key"))
        in_zh, in_en = analysis.results(result, zh), analysis.results(result, en)
        assert _drop_text(in_zh) == _drop_text(in_en), analysis.key
        notes = _notes(in_zh, [])
        assert all(isinstance(n["text"], str) and n["text"] for n in notes), analysis.key
        assert [n["text"] for n in notes] != [n["text"] for n in _notes(in_en, [])] or not notes


def test_every_note_in_results_json_is_an_object(demo):
    results = json.loads((demo / "results.json").read_text(encoding="utf-8"))

    def lists(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from lists(v, k)
        elif isinstance(value, list):
            if key in ("warnings", "red_flags"):
                yield key, value
            for v in value:
                yield from lists(v, key)

    found = list(lists(results))
    assert {key for key, _ in found} == {"warnings", "red_flags"}
    for _, items in found:
        assert all(isinstance(n, dict) and n["code"] and n["text"] for n in items)


FULL_WIDTH = re.compile("[\u3000-\u303f\uff01-\uff65]")
"""CJK punctuation and full-width forms, which English running text never has."""
DATA_KINDS = re.compile(
    r"\baccount_scorecard\b|\bscorecard_criteria\b|\((?:relationships|contacts|opportunities|"
    r"wallet|needs|transactions|industries|criteria|competitors|interactions|targets)\)"
)
"""The data templates' own names as kam once wrote them into client text."""


def _data_values(folder: Path) -> list[str]:
    """Every Chinese text the engagement's data and settings hold: names the report shows as
    written."""
    import yaml

    values = {str(v) for v in yaml.safe_load((folder / "engagement.yaml").read_text()).values()}
    for csv in folder.glob("*.csv"):
        frame = pd.read_csv(csv, encoding="utf-8-sig", dtype=str)
        values |= set(frame.columns) | set(frame.stack().dropna())
    # only the names in Chinese, the only ones that may hold full-width punctuation
    chinese = (v for v in values if re.search("[\u2e80-\u9fff\uff00-\uffef]", v))
    return sorted(chinese, key=len, reverse=True)


@pytest.fixture(scope="module")
def english_demo(tmp_path_factory) -> tuple[Path, Path]:
    """The demo engagement in English, rendered once (pages and one account plan)."""
    folder = tmp_path_factory.mktemp("english") / "demo-en"
    shutil.copytree(DEMO, folder)
    yaml_file = folder / "engagement.yaml"
    yaml_file.write_text(
        re.sub(r"(?m)^language: zh$", "language: en", yaml_file.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    out, _ = render(folder, folder.parent / "out", accounts=PLANNED[0], generated=GENERATED)
    return folder, out


def test_english_demo_pages_have_no_chinese_punctuation(english_demo):
    """Text that kam writes in an English report (findings, headings, tables' words, notes,
    alt texts) has no full-width punctuation: only the client's own names may."""
    folder, out = english_demo
    names = _data_values(folder)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 6
    for page in pages:
        doc = soup(page)
        for hidden in doc(["style", "script"]):
            hidden.decompose()
        text = "\n".join([doc.get_text("\n")] + [img.get("alt", "") for img in doc.find_all("img")])
        for name in names:
            text = text.replace(name, " ")
        assert not FULL_WIDTH.findall(text), (page.name, FULL_WIDTH.findall(text)[:10])
        assert not re.search(r"\d %", text), page.name  # one percent style: 12%
        assert not DATA_KINDS.search(text), (page.name, DATA_KINDS.search(text))


def test_english_pages_set_a_latin_font_first_and_charts_have_alt_text(english_demo):
    _, out = english_demo
    css = (ROOT / "kamlib" / "templates" / "kam.css").read_text(encoding="utf-8")
    rule = re.search(r"html:lang\(en\) body\.kam-page \{\s*font-family: ([^;]+);", css)
    fonts = [f.strip().strip('"') for f in rule.group(1).split(",")]
    assert fonts.index("Liberation Sans") < fonts.index("Noto Sans CJK SC")
    for page in ("industry_selection", "customer_segmentation", "competitor_analysis"):
        doc = soup(out / f"{page}.html")
        assert doc.html["lang"] == "en"
        alts = [img["alt"] for img in doc.find_all("img")]
        assert alts and all(alt and "No description" not in alt for alt in alts), page
    alts = [img["alt"] for img in soup(out / "competitor_analysis.html").find_all("img")]
    assert "Our gap to the strongest rival (most important criteria first)" in alts


def test_chinese_demo_charts_have_alt_text(demo):
    alts = [img["alt"] for img in soup(demo / "industry_selection.html").find_all("img")]
    assert alts == ["各行业评分（成本型指标计为负分）", "总分构成：各指标的加权得分", alts[2]]
    assert alts[2].startswith("权重随机变动 ±20% 时")


def test_a_section_whose_only_output_stands_for_absent_data_is_left_out():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

    from kamlib.render.display import LEAVE_OUT
    from kamlib.render.execute import _leave_out_sections

    def shown(text: str, absent: bool = False):
        return new_output(
            "display_data", data={"text/plain": text}, metadata={LEAVE_OUT: True} if absent else {}
        )

    cells = [
        new_markdown_cell("# Customer segmentation"),
        new_code_cell("setup", outputs=[]),
        new_markdown_cell("### Key-account scorecard\n\nThe scorecard's criteria..."),
        new_code_cell("show", outputs=[shown("no scorecard", absent=True)]),
        new_markdown_cell("### No high-value customer set aside"),
        new_code_cell("show", outputs=[shown("No high-value customer was set aside.")]),
        new_markdown_cell("## Appendix"),
        new_code_cell("notes", outputs=[shown("a note"), shown("no wallet", absent=True)]),
    ]
    kept = _leave_out_sections(cells)
    assert [c.source.splitlines()[0] for c in kept] == [
        "# Customer segmentation",
        "setup",
        "### No high-value customer set aside",  # a result that says "none" stays
        "show",
        "## Appendix",  # a section with anything else to show stays whole
        "notes",
    ]
