"""Tests for kamlib.core.charts: names are text and never stretch a chart; a chart that cannot
be drawn fails its notebook cell, and so the render (issue 13, items 8 and 9)."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import struct
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from kamlib.analyses.competitors import charts as competitor_charts
from kamlib.analyses.industry import charts as industry_charts
from kamlib.analyses.segmentation import charts as segmentation_charts
from kamlib.cli import main
from kamlib.core.charts import LABEL_WIDTH, label, place_notes, use_style, wrap
from kamlib.core.config import load_engagement
from kamlib.render.engine import run_forked
from kamlib.run import run_engagement, words
from tests.conftest import DEMO, ENGAGEMENT_YAML


def name(tag: str, chars: int = 200) -> str:
    """A name as long as kam reads (200 characters), with chart math in it."""
    return f"{tag} US$5M$ fund Rival $\\evil$ Ltd {'长' * chars}"[:chars]


IND, CRIT_A, CRIT_B = name("行业甲"), name("市场容量"), name("增长速度")
RIVAL, CUSTOMER, SEGMENT = name("对手"), name("客户"), name("制造业")
TIER = name("白金卡")
YAML = ENGAGEMENT_YAML.format(
    language="zh",
    extra=f"segmentation:\n  tiers: {{'{TIER}': 2000, B: 500}}\n  last_tier: '{name('普通')}'\n",
)
FILES = {
    "industries.csv": f"行业,{CRIT_A},{CRIT_B}\n{IND},9,-3\n{name('行业乙')},7,-1\n",
    "transactions.csv": (
        "客户编号,日期,金额,订单号\nC1,2026-01-05,3000,O1\nC1,2025-03-05,3000,O2\n"
        "C2,2026-02-01,500,O3\nC2,2025-02-01,400,O4\nC3,2026-05-01,100,O5\n"
    ),
    "customers.csv": f"客户编号,客户名称,行业,潜在采购额\nC1,{CUSTOMER},{SEGMENT},9000\n"
    f"C2,乙,{name('政府')},100\n",
    "competitors.csv": f"竞争对手,{CRIT_A},{CRIT_B}\n测试公司,8,6\n{RIVAL},9,4\n",
    "needs.csv": f"指标,重要性\n{CRIT_A},9\n{CRIT_B},7\n",
    "wallet.csv": f"客户编号,采购总额,{RIVAL}\nC1,10000,2000\nC2,3000,100\n",
}
LONG = (IND, CRIT_A, CRIT_B, RIVAL, CUSTOMER, SEGMENT, TIER)


@pytest.fixture
def engagement(tmp_path: Path) -> Path:
    folder = tmp_path / "eng"
    folder.mkdir()
    (folder / "engagement.yaml").write_text(YAML, encoding="utf-8")
    for file, text in FILES.items():
        (folder / file).write_text(text, encoding="utf-8")
    return folder


def test_label_keeps_short_names_and_shortens_long_ones():
    assert label("US$5M$ fund") == "US$5M$ fund"
    assert label("a\nb  c") == "a b c"
    assert label("x" * 40) == "x" * 40
    assert label("x" * 41) == "x" * 39 + "…"
    assert label("长" * 20) == "长" * 20  # a CJK character is two columns wide
    assert label("长" * 21) == "长" * 19 + "…"
    assert label("ab " + "长" * 30, width=8) == "ab 长长…"


def _png_size(fig: plt.Figure) -> tuple[int, int]:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")  # the house style: print resolution, tight box
    return struct.unpack(">II", buffer.getvalue()[16:24])


def test_every_chart_shortens_every_name_and_keeps_dollars_as_text(engagement):
    use_style()
    assert mpl.rcParams["text.parse_math"] is False
    eng = load_engagement(engagement)
    run = run_engagement(eng)
    w = words(eng)
    modules = {
        "industry_selection": industry_charts,
        "customer_segmentation": segmentation_charts,
        "competitor_analysis": competitor_charts,
    }
    drawn, shortened = 0, []
    for key, module in modules.items():
        for function in sorted(n for n in dir(module) if n.startswith("plot_")):
            fig = getattr(module, function)(run.results[key], w)
            if fig is None:
                continue
            width, height = _png_size(fig)  # a 10,000-character name made 300,000 px
            assert width < 2000 and height < 2000, (function, width, height)
            texts = [t.get_text() for t in fig.findobj(Text)]
            for ax in fig.axes:
                texts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
            # 40 characters are at least 40 columns: wider than any label
            assert not [t for t in texts if any(n[:LABEL_WIDTH] in t for n in LONG)]
            shortened += [t for t in texts if "…" in t]
            drawn += 1
            plt.close(fig)
    assert drawn == 13
    assert "行业甲 US$5M$ fund Rival $\\evil$ Ltd 长…" in shortened  # as written, no formula


CHART = (  # a notebook's first cell, then a chart
    "from kamlib.core.charts import _axes, finish\n"
    "from kamlib.render.display import setup_notebook\n"
    "setup_notebook()\n"
    "{before}"
    "fig, ax = _axes(None, (4, 3))\n"
    "ax.set_title(r'US$5M$ fund and Rival $\\evil$ Ltd')\n"
    "{end}"
)


def _cell(before: str = "", end: str = "finish(fig);\n") -> dict:
    return run_forked([{"source": CHART.format(before=before, end=end)}])[0]


def test_in_a_notebook_a_chart_is_drawn_in_its_cell():
    result = _cell()
    assert not result["failed"]
    images = [o for o in result["outputs"] if "image/png" in o.get("data", {})]
    assert len(images) == 1 and images[0]["metadata"]["image/png"]["width"] > 400  # retina


def test_a_chart_that_cannot_be_drawn_fails_its_cell():
    # as names were drawn before: "$...$" read as math, and \evil is no symbol
    result = _cell(before="import matplotlib as mpl\nmpl.rcParams['text.parse_math'] = True\n")
    assert result["failed"]
    assert result["outputs"][-1]["ename"] == "ValueError"
    # drawn after the cell (what finish() avoids), IPython prints the error and goes on; kamfork
    # reports it as the cell's error, as a kernel does to papermill
    swallowed = run_forked(
        [
            {
                "source": CHART.format(
                    before="import matplotlib as mpl\nmpl.rcParams['text.parse_math'] = True\n",
                    end="fig;\n",
                )
            }
        ]
    )[0]
    assert swallowed["failed"] and swallowed["outputs"][-1]["ename"] == "ValueError"
    assert not [o for o in swallowed["outputs"] if "image/png" in o.get("data", {})]


def test_render_draws_every_chart_of_dollar_names(engagement, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "eng", "--out", "out"]) == 0, capsys.readouterr().err
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.html")}
    images = {page: len(re.findall(r"<img ", html)) for page, html in pages.items()}
    assert images == {
        "index": 0,
        "industry_selection": 3,
        "customer_segmentation": 7,
        "competitor_analysis": 3,
    }
    assert not [
        p for p, html in pages.items() if "Error in callback" in html or "Traceback" in html
    ]


def test_a_chart_that_fails_to_draw_fails_the_render(engagement, tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("the chart could not be drawn")

    # the render draws each chart in a worker forked from this process: it inherits the patch
    monkeypatch.setattr(mpl.backend_bases.FigureCanvasBase, "print_figure", broken)
    monkeypatch.chdir(tmp_path)
    assert main(["render", "eng", "--out", "out", "--engine", "kamfork"]) == 3
    err = capsys.readouterr().err
    assert re.fullmatch(
        r"kam: render failed: the chart industry_selection\.\w+ failed: RuntimeError: "
        r"the chart could not be drawn \(partial output kept in .*out\.failed\)\n",
        err,
    ), err
    assert not (tmp_path / "out").exists()


CHART_MODULES = {
    "industry_selection": industry_charts,
    "customer_segmentation": segmentation_charts,
    "competitor_analysis": competitor_charts,
}


def _drawn_texts(fig: plt.Figure) -> list[tuple[str, Text]]:
    """The texts a reader must be able to read: the tick labels drawn (inside the view), the
    annotations and the titles of every axes."""
    found = []
    for ax in fig.axes:
        for axis, limits, coordinate in (
            (ax.xaxis, ax.get_xlim(), 0),
            (ax.yaxis, ax.get_ylim(), 1),
        ):
            if not (ax.axison and axis.get_visible()):
                continue
            low, high = sorted(limits)
            for tick in axis.get_ticklabels():
                inside = low - 1e-9 <= tick.get_position()[coordinate] <= high + 1e-9
                if inside and tick.get_visible() and tick.get_text().strip():
                    found.append(("tick", tick))
        found += [("note", t) for t in ax.texts if t.get_visible() and t.get_text().strip()]
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_text().strip():
                found.append(("title", title))
    return found


def overlapping_texts(fig: plt.Figure) -> list[tuple[str, str]]:
    """Every pair of texts of a chart whose drawn boxes overlap (by more than half a pixel
    each way)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [
        (f"{kind} {t.get_text()!r}", t.get_window_extent(renderer)) for kind, t in _drawn_texts(fig)
    ]
    return [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0) > 0.5
        and min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0) > 0.5
    ]


def test_overlapping_texts_finds_a_note_over_a_tick_label():
    use_style()
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.barh([0, 1], [-5, 1])
    ax.set_xlim(-6, 6)
    ax.set_yticks([0, 1], ["软件开发 (9)", "行业经验 (9)"])
    ax.annotate(
        "-5 · 一家名字很长的竞争对手公司",
        (-5, 0),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        va="center",
    )
    pairs = overlapping_texts(fig)
    plt.close(fig)
    assert pairs == [("tick '软件开发 (9)'", "note '-5 · 一家名字很长的竞争对手公司'")]


def _english_demo(tmp_path: Path) -> Path:
    folder = tmp_path / "demo-en"
    shutil.copytree(DEMO, folder)
    yaml_file = folder / "engagement.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(re.sub(r"(?m)^language: zh$", "language: en", text), encoding="utf-8")
    return folder


@pytest.mark.parametrize("which", ["demo-zh", "demo-en", "long-names-zh", "long-names-en"])
def test_no_chart_text_overlaps_another(which, engagement, tmp_path):
    """Every demo chart in both languages, and the charts of 200-character names: no tick
    label, note or title is drawn over another (the gap chart's notes once covered its
    criteria)."""
    if which.startswith("demo"):
        folder = DEMO if which == "demo-zh" else _english_demo(tmp_path)
    else:
        folder = engagement
        if which.endswith("en"):
            yaml_file = folder / "engagement.yaml"
            yaml_file.write_text(
                yaml_file.read_text(encoding="utf-8").replace("language: zh", "language: en"),
                encoding="utf-8",
            )
    eng = load_engagement(folder)
    run = run_engagement(eng)
    w = words(eng)
    use_style(w)
    drawn, found = 0, {}
    for key, module in CHART_MODULES.items():
        for function in sorted(n for n in dir(module) if n.startswith("plot_")):
            fig = getattr(module, function)(run.results[key], w)
            if fig is None:
                continue
            drawn += 1
            pairs = overlapping_texts(fig)
            plt.close(fig)
            if pairs:
                found[function] = pairs
    use_style()
    assert drawn == 13
    assert found == {}


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Market size", 12, ["Market size"]),
        ("Market size", 10, ["Market", "size"]),
        ("实施难易程度", 12, ["实施难易程度"]),  # 12 columns: fits
        ("实施难易程度", 10, ["实施难", "易程度"]),  # two even lines, not 5 + 1
        ("Industry experience", 12, ["Industry", "experience"]),
        ("Supercalifragilistic", 12, ["Supercalifra", "gilistic"]),  # a word longer than a line
    ],
)
def test_wrap_breaks_labels_into_even_lines(text, width, lines):
    assert wrap(text, width).split("\n") == lines


def test_place_notes_moves_a_note_off_another():
    use_style()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    first = ax.annotate("1% → 83%", (0.01, 0.83), xytext=(8, -12), textcoords="offset points")
    second = ax.annotate("5% → 83%", (0.05, 0.83), xytext=(8, -12), textcoords="offset points")
    assert overlapping_texts(fig)  # where both were put
    place_notes(ax, [first, second], ((8, -12, "left"), (8, 4, "left")))
    assert overlapping_texts(fig) == []
    assert first.xyann == (8, -12) and second.xyann == (8, 4)  # the first keeps its place
    plt.close(fig)


def _many_customers(n: int):
    """A segmentation-like result of ``n`` active customers, enough for the value matrix and
    the Pareto curve."""
    from types import SimpleNamespace

    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    revenue = np.sort(rng.pareto(1.2, n) + 1)[::-1] * 1000
    ind = pd.DataFrame(
        {
            "active": True,
            "revenue": revenue,
            "name": "",
            "action": rng.choice(["keep", "develop", "nurture", "maintain"], n),
            "current_value": rng.random(n),
            "potential_value": rng.random(n),
        },
        index=pd.Index([f"C{i:06d}" for i in range(n)], dtype=object),
    )
    share = np.cumsum(revenue) / revenue.sum()
    curve = pd.DataFrame({"customer_share": np.arange(1, n + 1) / n, "revenue_share": share})
    tops = {"top_1pct": 0.2, "top_5pct": 0.4, "top_20pct": 0.7}
    return SimpleNamespace(indicators=ind, curve=curve, tops=tops)


def test_a_chart_of_many_customers_draws_a_stated_sample() -> None:
    """Beyond 20,000 customers the value matrix draws 20,000 (the 200 largest among them) and
    says so; the Pareto curve its exact points at 2,000 steps."""
    from kamlib.core.i18n import Words

    use_style()
    seg = _many_customers(30_000)
    en = Words("en")
    figure = segmentation_charts.plot_value_matrix(seg, en)
    ax = figure.axes[0]
    drawn = sum(len(c.get_offsets()) for c in ax.collections)
    assert drawn == 20_000
    texts = [t.get_text() for t in ax.texts]
    assert (
        "sample of 20,000 of 30,000 customers (the 200 largest and a random sample of the others)"
        in texts
    )
    largest = seg.indicators.index[:200]
    points = {tuple(p) for c in ax.collections for p in c.get_offsets()}
    top = seg.indicators.loc[largest, ["current_value", "potential_value"]]
    assert all(tuple(p) in points for p in top.to_numpy())
    plt.close(figure)
    figure = segmentation_charts.plot_pareto(seg, en)
    line = figure.axes[0].lines[0]
    assert len(line.get_xdata()) == 2_000
    assert (line.get_xdata()[0], line.get_xdata()[-1]) == (0, 1)
    plt.close(figure)
    small = _many_customers(500)
    figure = segmentation_charts.plot_value_matrix(small, en)
    assert sum(len(c.get_offsets()) for c in figure.axes[0].collections) == 500
    assert not any(t.get_text().startswith("sample") for t in figure.axes[0].texts)
    plt.close(figure)


@pytest.mark.parametrize(
    ("top", "language", "expected"),
    [
        (2.5e6, "en", ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"]),
        (1.2e5, "zh", ["0.0", "2.5", "5.0", "7.5", "10.0", "12.5", "15.0"]),
        (3.7e7, "zh", ["0", "1,000", "2,000", "3,000", "4,000"]),
    ],
)
def test_a_money_axis_has_nice_ticks_with_the_decimals_they_need(top, language, expected):
    import matplotlib.pyplot as plt

    from kamlib.core.charts import money_axis
    from kamlib.core.i18n import Words

    fig, ax = plt.subplots()
    try:
        ax.barh([0, 1], [top * 0.3, top])
        name = money_axis(ax.xaxis, Words(language, "CNY" if language == "zh" else "USD"))
        fig.canvas.draw()
        assert [t.get_text() for t in ax.get_xticklabels()] == expected
        assert name == ("万元" if language == "zh" else "USD million")
    finally:
        plt.close(fig)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_rfm_score_no_customer_has_is_said_under_the_heatmap(language):
    from types import SimpleNamespace

    import pandas as pd

    from kamlib.analyses.segmentation.charts import plot_rfm
    from kamlib.core.i18n import Words

    # equal order counts share a score: no customer scores F = 3 or F = 4
    rfm = pd.DataFrame({"r": [1, 2, 3, 4, 5, 5], "f": [1, 1, 2, 5, 5, 2]})
    fig = plot_rfm(SimpleNamespace(rfm=rfm), Words(language, "CNY"))
    try:
        axis, note = fig.axes[0].get_xlabel().split("\n", 1)
        said = "".join(note.split())  # wrapped onto lines
        assert axis == "F"
        if language == "zh":
            assert said == "F=3和F=4无客户：数值相同的客户得到同一分数，因此有的分数空缺。"
        else:
            assert said.startswith("NocustomerscoredF=3andF=4:equalvaluesshareascore")
    finally:
        plt.close(fig)
    full = pd.DataFrame({"r": [1, 2, 3, 4, 5], "f": [1, 2, 3, 4, 5]})
    fig = plot_rfm(SimpleNamespace(rfm=full), Words(language, "CNY"))
    assert fig.axes[0].get_xlabel() == "F"
    plt.close(fig)
