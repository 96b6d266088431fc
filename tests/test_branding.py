"""Branding from engagement.yaml: checked like any input, applied to pages, book and deck."""

from __future__ import annotations

import re

import pytest
from PIL import Image
from pptx import Presentation
from test_matrix import BASE, YAML

from kamlib.cli import main
from kamlib.core.config import load_engagement
from kamlib.core.errors import KamError

BRANDING = """branding:
  colour: "#7A1F3D"
  logo: logo.png
  footer: "机密 · 仅供内部使用 </style><b>"
  watermark: 草稿
"""


def engagement(tmp_path, branding: str = BRANDING):
    folder = tmp_path / "eng"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "engagement.yaml").write_text(YAML + branding, encoding="utf-8")
    for name in ("industries.csv", "criteria.csv"):
        (folder / name).write_text(BASE[name], encoding="utf-8")
    Image.new("RGB", (120, 40), "#7a1f3d").save(folder / "logo.png")
    return folder


def test_branding_is_read(tmp_path):
    brand = load_engagement(engagement(tmp_path)).branding
    assert brand.colour == "#7a1f3d" and brand.logo.name == "logo.png"
    assert brand.footer == "机密 · 仅供内部使用 </style><b>" and brand.watermark == "草稿"
    assert load_engagement(engagement(tmp_path / "plain", "")).branding.logo is None


@pytest.mark.parametrize(
    ("branding", "message"),
    [
        (
            "branding:\n  colour: blue\n",
            'line 9, key branding.colour: expected a colour written "#rrggbb"',
        ),
        (
            "branding:\n  logo: ../logo.png\n",
            "key branding.logo: expected a file inside the engagement",
        ),
        (
            "branding:\n  logo: engagement.yaml\n",
            "key branding.logo: expected a .png, .jpg or .jpeg image",
        ),
        (
            "branding:\n  logo: fake.png\n",
            "key branding.logo: expected a PNG image of at most 25 megapixels",
        ),
        (
            "branding:\n  font: x\n",
            "key branding.font: expected one of colour, logo, footer, watermark",
        ),
        ("branding:\n  watermark: " + "x" * 41 + "\n", "expected a text of at most 40 characters"),
    ],
)
def test_branding_mistakes_are_input_errors(tmp_path, branding, message):
    folder = engagement(tmp_path, branding)
    (folder / "fake.png").write_text("not an image", encoding="utf-8")
    with pytest.raises(KamError) as error:
        load_engagement(folder)
    assert message in str(error.value)


def test_branding_reaches_pages_book_and_deck(tmp_path):
    out = tmp_path / "out"
    assert (
        main(["render", str(engagement(tmp_path)), "--out", str(out), "--format", "html,pptx"]) == 0
    )
    for page in ("index.html", "industry_selection.html"):
        markup = (out / page).read_text(encoding="utf-8")
        assert ":root { --accent: #7a1f3d; }" in markup
        assert 'class="kam-logo" src="data:image/png;base64,' in markup
        assert 'body.kam-page::after { content: "草稿"; }' in markup
        footer = re.search(r'<footer class="kam-footer">(.*?)</footer>', markup, re.S).group(1)
        assert "机密 · 仅供内部使用 &lt;/style&gt;&lt;b&gt;" in footer and "<b>" not in footer
    deck = Presentation(str(out / "report.pptx"))
    title = deck.slides[0]
    assert any(shape.shape_type == 13 for shape in title.shapes)  # the logo, a picture
    texts = [s.text_frame.text for s in deck.slides[1].shapes if s.has_text_frame]
    assert any(t.startswith("机密 · 仅供内部使用") for t in texts)
    for slide in deck.slides:  # the watermark on every slide, drawn first (behind the rest)
        first = next(iter(slide.shapes))
        assert first.has_text_frame and first.text_frame.text == "草稿" and first.rotation == 336
