"""The demo report in a real browser (Debian's headless Chromium through Playwright): no console
errors, nothing requested beyond the file itself, every image loaded, a CJK font for the text,
nothing wider than the page, every link resolving; and the PDFs printed from it.

Screenshots of every page are kept in ``reports/test-artefacts/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from kamlib.core.errors import KamError
from kamlib.render.browser import browser, print_pdfs
from tests.conftest import PLANNED, ROOT

ARTEFACTS = ROOT / "reports" / "test-artefacts"
PAGES = [
    "index.html",
    "industry_selection.html",
    "customer_segmentation.html",
    "competitor_analysis.html",
    "accounts/index.html",
    *[f"accounts/{c}.html" for c in PLANNED],
]


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


@pytest.mark.parametrize("name", PAGES)
def test_page_in_a_real_browser(demo, chromium, name):
    path = demo / name
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
    page.screenshot(path=str(ARTEFACTS / f"{name.replace('/', '_')}.png"), full_page=True)
    page.close()


def test_the_system_has_a_cjk_font_for_the_text():
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    assert "Noto Sans CJK SC" in listed.stdout


def test_pdfs_have_a_header_page_numbers_and_a_one_page_plan(demo, chromium, tmp_path):
    for name in ("industry_selection.html", f"accounts/{PLANNED[0]}.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(demo / name, tmp_path / name)
    written = print_pdfs(
        [tmp_path / "industry_selection.html", tmp_path / "accounts" / f"{PLANNED[0]}.html"],
        "云帆数智科技有限公司 管理层",
        "信息化咨询业务：目标行业选择与大客户识别",
        chromium,
    )
    report, plan = (PdfReader(str(p)) for p in written)
    assert len(plan.pages) == 1
    # cover and contents, then one page or more per section (7 sections)
    assert len(report.pages) >= 8
    # text extraction maps some glyphs to their CJK radicals (⾏ for 行): NFKC folds them back
    first = unicodedata.normalize("NFKC", report.pages[0].extract_text())
    assert "云帆数智科技有限公司 管理层" in first
    assert f"1 / {len(report.pages)}" in first
    assert "行业选择" in first


def test_pdf_without_chromium_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(KamError) as info:
        print_pdfs([Path("x.html")], "a", "b")
    assert str(info.value) == (
        "--pdf: expected Chromium (apt-get install chromium, or make browser), found none on PATH"
    )
