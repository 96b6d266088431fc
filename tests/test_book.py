"""The PDF book on inputs the demo does not have (the demo's book: tests/test_browser.py)."""

from __future__ import annotations

import os
import shutil

import pytest
from pypdf import PdfReader

from kamlib.analyses.industry import view
from kamlib.core.config import load_engagement
from kamlib.render.pipeline import render as render_report
from kamlib.run import result, words

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (make browser installs it)",
)


def test_a_wide_table_is_never_clipped_in_the_book(tmp_path):
    """16 criteria with long English names: every cell of the ranking table is in the book,
    every character of it lies on the page, and no text but the page's header and footer is
    set below 8 pt: the table is split into column groups, each with the industry, the total
    and the selection mark, each after the first saying it continues the one above."""
    criteria = [f"Criterion number {k} with a long English name" for k in range(1, 17)]
    eng = tmp_path / "wide"
    eng.mkdir()
    (eng / "engagement.yaml").write_text(
        "title: Wide\nclient: Client\ncompany: Us\nconsultant: Me\ndate: 2026-11-20\n"
        "language: en\ncurrency: USD\n",
        encoding="utf-8",
    )
    rows = [",".join(["industry", *criteria])]
    for n, name in enumerate(["Telecommunications and media", "Government", "Banking"]):
        rows.append(",".join([name, *[str((n + k) % 9 + 1) for k in range(16)]]))
    (eng / "industries.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out, _ = render_report(eng, tmp_path / "out", formats="pdf")
    reader = PdfReader(str(out / "report.pdf"))
    width = float(reader.pages[0].mediabox.width)
    placed: list[tuple[float, str]] = []
    sized: list[tuple[float, str]] = []

    def x(cm, tm) -> float:  # where the text starts on the page, in points
        return tm[4] * cm[0] + tm[5] * cm[2] + cm[4]

    def size(cm, tm, points) -> float:  # the type size on the page, in points
        return points * abs(tm[3] * cm[3] + tm[1] * cm[2])

    def y(cm, tm) -> float:
        return tm[4] * cm[1] + tm[5] * cm[3] + cm[5]

    def seen(t, cm, tm, font, points):
        placed.append((x(cm, tm), t))
        sized.append((size(cm, tm, points), y(cm, tm), t))

    for page in reader.pages:
        page.extract_text(visitor_text=seen)
    assert all(0 <= x < width for x, text in placed if text.strip())
    height = float(reader.pages[0].mediabox.height)
    small = [(t, at) for points, at, t in sized if t.strip() and points < 7.95]
    # only the page's header and footer (7 pt) lie in its margins (16 mm top, 14 mm bottom)
    assert small and all(at > height - 46 or at < 40 for t, at in small), small
    words_of = " ".join(t for _, t in placed)
    assert "(the table above, continued: part 2 of" in " ".join(words_of.split())
    # an English book is set in a Latin font first (half-width quotes and parentheses)
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert any("LiberationSans" in font for font in fonts), fonts
    text = "".join("".join(t for _, t in placed).split())
    loaded = load_engagement(eng)
    table = view.ranking_table(result(loaded, "industry_selection"), words(loaded)).formatted()
    for cell in [*table.columns, *table.to_numpy().ravel()]:
        assert "".join(str(cell).split()) in text, cell
