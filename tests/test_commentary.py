"""The consultant's own words (commentary.md): sections read and checked, shown before the
computed findings, inert whatever they hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_matrix import BASE, YAML

from kamlib.cli import main
from kamlib.core.commentary import read_commentary, to_html
from kamlib.core.errors import KamError

KEYS = ["industry_selection", "customer_segmentation"]


def write(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "commentary.md").write_text(text, encoding="utf-8")
    return folder


def test_sections_are_read_by_their_headings(tmp_path):
    text = (
        "# 顾问意见\n\n<!-- 注释\n## account X -->\n## summary\n先做电信。\n\n"
        "## Industry_Selection\n### 细节\n```\n## not a heading\n```\n"
        "## account C001\n该客户调岗。\n## customer_segmentation\n<!-- only a comment -->\n"
    )
    sections = read_commentary(write(tmp_path / "eng", text), KEYS)
    assert sections == {
        "summary": "先做电信。",
        "industry_selection": "### 细节\n```\n## not a heading\n```",
        "account C001": "该客户调岗。",
    }
    assert read_commentary(tmp_path, KEYS) == {}  # no file, no commentary


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "## summary\nok\n\n## industry\ntext\n",
            "commentary.md, line 4: expected a section heading ## summary, "
            "## industry_selection, ## customer_segmentation or ## account <customer ID>, "
            'found "## industry"',
        ),
        (
            "先写的字\n## summary\n",
            "commentary.md, line 1: expected text under a section heading ## summary, "
            "## industry_selection, ## customer_segmentation or ## account <customer ID>, "
            "found text before any",
        ),
        (
            "## summary\na\n## summary\nb\n",
            'commentary.md, line 3: expected each section once, found a second "## summary"',
        ),
        ("## account \nx\n", 'found "## account"'),
    ],
)
def test_mistakes_in_the_commentary_name_the_line(tmp_path, text, message):
    folder = write(tmp_path / "eng", text)
    with pytest.raises(KamError) as error:
        read_commentary(folder, KEYS)
    assert str(error.value).endswith(message)


def test_commentary_is_inert_markup():
    markup = to_html(
        "**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
        "[ok](https://example.com/a?b=1&c=2) [mail](mailto:a@b.cn) [js](javascript:alert(1)) "
        "[file](file:///etc/passwd) [rel](../secret.html) ![pic](https://evil.example/x.png)"
    )
    doc = BeautifulSoup(markup, "html.parser")
    assert doc.find("script") is None and doc.find("img") is None
    assert "<script>alert(1)</script>" in doc.get_text()
    assert [a["href"] for a in doc.find_all("a")] == [
        "https://example.com/a?b=1&c=2",
        "mailto:a@b.cn",
    ]
    assert doc.find("strong").get_text() == "bold"
    assert "js" in doc.get_text() and "pic" in doc.get_text()


def test_the_report_shows_the_consultants_view_first(tmp_path, capsys):
    eng = tmp_path / "eng"
    eng.mkdir()
    (eng / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for name in ("industries.csv", "criteria.csv"):
        (eng / name).write_text(BASE[name], encoding="utf-8")
    write(eng, "## summary\n先做**政府**。<b>x</b>\n\n## industry_selection\n> 复核过总分。\n")
    out = tmp_path / "out"
    assert main(["render", str(eng), "--out", str(out), "--format", "html"]) == 0
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    view = index.find("section", class_="kam-commentary")
    assert view.h2.get_text() == "顾问意见" and view.find("strong").get_text() == "政府"
    assert view.find("b") is None and "<b>x</b>" in view.get_text()
    assert view.find_next("section")["id"] == "summary"
    page = BeautifulSoup(
        (out / "industry_selection.html").read_text(encoding="utf-8"), "html.parser"
    )
    first = page.find("main").find(["section", "div"])
    assert (
        "kam-commentary" in first["class"]
        and first.blockquote.get_text(strip=True) == "复核过总分。"
    )
    write(eng, "## segmentation\nx\n")
    assert main(["validate", str(eng)]) == 1
    assert 'found "## segmentation"' in capsys.readouterr().err


def test_a_commentary_linked_from_outside_the_engagement_is_refused(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("## summary\nsecret\n", encoding="utf-8")
    folder = tmp_path / "eng"
    folder.mkdir()
    (folder / "commentary.md").symlink_to(secret)
    with pytest.raises(KamError) as error:
        read_commentary(folder, KEYS)
    assert error.value.expected.startswith("a file inside the engagement folder")
    assert error.value.found == f"a link to {secret}"
