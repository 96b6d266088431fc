"""The demo report in a real browser (Debian's headless Chromium through Playwright): no console
errors, nothing requested beyond the file itself, every image loaded, a CJK font for the text,
nothing wider than the page, every link resolving; and the PDFs printed from it.

Screenshots of every page are kept in ``reports/test-artefacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from kamlib.analyses.industry import view
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError
from kamlib.render.book import write_books
from kamlib.render.browser import browser
from kamlib.run import result, words
from tests.conftest import DEMO, GENERATED, PLANNED, ROOT

ARTEFACTS = ROOT / "reports" / "test-artefacts"
PAGES = [
    "index.html",
    "industry_selection.html",
    "customer_segmentation.html",
    "competitor_analysis.html",
    "accounts/index.html",
    *[f"accounts/{c}.html" for c in PLANNED],
]


TABLES_AT_1280 = """() => [...document.querySelectorAll('table.kam-table')].flatMap((t) => {
  // every table fits its box at 1280 px, no column hidden behind a scrollbar; no heading is
  // cut into a character or two a line
  const found = [];
  if (t.scrollWidth > t.parentElement.clientWidth + 1) found.push('wide: ' + t.rows[0].innerText);
  for (const th of t.tHead.rows[0].cells) {
    const range = document.createRange();
    range.selectNodeContents(th);
    const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    const chars = [...th.innerText.trim()].length;
    if (lines >= 3 && lines * 2 >= chars) found.push('stacked: ' + th.innerText);
  }
  return found;
})"""


def _have_chromium() -> bool:
    return shutil.which("chromium") is not None


pytestmark = pytest.mark.skipif(
    not _have_chromium() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make browser installs it)",
)


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


def check_page(chromium, path: Path, shot: str) -> None:
    """A page as a reader's browser shows it: no console error, nothing requested beyond the
    file, every image loaded, nothing wider than the page, a CJK font, every link resolving; its
    screenshot kept as ``reports/test-artefacts/<shot>.png``."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    assert errors == []
    assert [u for u in requests if u != path.as_uri() and not u.startswith("data:")] == []
    images = page.evaluate("() => [...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert all(images)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(TABLES_AT_1280) == []
    family = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Noto Sans CJK SC"')
    anchors = page.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
    )
    for href in anchors:
        if href.startswith("#"):
            assert page.evaluate("id => !!document.getElementById(id)", href[1:]), href
        else:
            assert (path.parent / href).resolve().is_file(), href
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{shot}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_in_a_real_browser(demo, chromium, name):
    check_page(chromium, demo / name, name.replace("/", "_"))


def test_the_system_has_a_cjk_font_for_the_text():
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    assert "Noto Sans CJK SC" in listed.stdout


RADICALS = re.compile("[\u2e80-\u2fdf\u31c0-\u31ef]")


def _texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(pdf)).pages]


def test_the_pdf_book(demo, chromium, tmp_path):
    book = tmp_path / "demo"
    shutil.copytree(demo, book)
    eng = load_engagement(DEMO)
    written = write_books(book, eng, words(eng), GENERATED, chromium)
    assert written == [book / "report.pdf", book / "accounts" / "plans.pdf"]
    reader = PdfReader(str(book / "report.pdf"))
    texts = _texts(book / "report.pdf")
    assert "信息化咨询业务：目标行业选择与大客户识别" in texts[0]
    assert "目录" in texts[1] and "行业" in "".join(texts)
    assert not RADICALS.search("".join(texts))  # 行 copies as 行, not as the radical ⾏
    contents = re.findall(r"^(\S.*?)\s?(\d+)$", texts[1], re.M)
    titles = {"行业选择", "客户分级与大客户识别", "竞争分析", "大客户计划"}
    chapters = {title: int(page) for title, page in contents if title in titles}
    assert set(chapters) == titles
    for number, text in enumerate(texts[1:], start=2):
        assert f"{number} / {len(texts)}" in text
        body = text.replace("云帆数智科技有限公司 管理层", "").replace(eng.title, "")
        body = body.replace(f"{number} / {len(texts)}", "").strip()
        has_image = bool(reader.pages[number - 1].images)
        ends_chapter = number + 1 in chapters.values() or number == len(texts)
        # only a chapter's last page may be short (the next chapter starts a page)
        assert has_image or ends_chapter or len(body) > 40, f"page {number} is nearly empty"
    for title, page in chapters.items():
        assert title in texts[page - 1].replace(" ", ""), title
    for page in reader.pages:  # links lead inside the book or to the web, never to a file
        for annotation in page.get("/Annots", []):
            link = annotation.get_object()
            uri = link.get("/A", {}).get("/URI", "")
            assert "/Dest" in link or uri.startswith(("http://", "https://")), link
    cells = [
        cell
        for row in view.ranking_table(result(eng, "industry_selection"), words(eng))
        .formatted()
        .to_numpy()
        .tolist()
        for cell in row
        if cell
    ]
    flat = "".join("".join(texts).split())
    assert all("".join(str(c).split()) in flat for c in cells)
    plans = PdfReader(str(book / "accounts" / "plans.pdf"))
    assert len(plans.pages) == len(PLANNED)
    assert "西山燃气有限公司" in plans.pages[0].extract_text()


def test_pdf_without_chromium_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(KamError) as info:
        with browser():
            pass
    assert str(info.value) == (
        "--pdf: expected Chromium (apt-get install chromium, or make browser), found none on PATH"
    )
