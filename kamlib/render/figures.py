"""Every chart of a render drawn once: one figure per chart, at the house style's size, saved as
PNG at twice the screen resolution (and SVG for ``charts/``), with what a notebook and a slide
need to show it (alt text, title, size). The page, the PDF printed from it, the deck and
``charts/`` all use that one image.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from kamlib.analyses.registry import Analysis
from kamlib.run import EngagementRun

PNG_DPI = 2 * 110
"""Charts as PNG at twice the screen resolution (the house style's ``figure.dpi``)."""


def metadata(suffix: str) -> dict:
    """No timestamps or software versions in the files: the same inputs give the same bytes."""
    if suffix == ".svg":
        return {"Date": None, "Creator": None}
    return {"Software": None}


def warm(run: EngagementRun) -> None:
    """Load what every chart needs (the style, its fonts and their glyph caches) once, before a
    render forks the workers that draw the charts: a tiny figure in the report's fonts. Only a
    head start: when even this cannot be drawn, the chart that cannot says so, by name."""
    import matplotlib.pyplot as plt

    from kamlib.core.charts import use_style

    use_style(run.words)
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.set_title("行业 Industry 0123456789 %", loc="left")
    ax.bar([0, 1], [1, 2])
    try:
        fig.savefig(io.BytesIO(), format="png", dpi=PNG_DPI)
    except Exception:  # noqa: BLE001 - draw() reports it with the chart's name
        pass
    finally:
        plt.close(fig)


def count(run: EngagementRun, analysis: Analysis) -> int:
    """How many charts ``analysis`` may draw for its result in ``run``."""
    if analysis.charts is None or analysis.key not in run.results:
        return 0
    return len(analysis.charts(run.results[analysis.key]))


def draw(
    run: EngagementRun,
    analysis: Analysis,
    index: int,
    folder: Path,
    svg: bool,
    stem: str = "",
) -> dict | None:
    """Chart ``index`` of ``analysis`` drawn once into ``folder/<stem>.png`` (and ``.svg``; the
    stem defaults to ``<analysis>.<chart>``): its entry (name, file, title, alt text, text
    form, size in screen pixels), or None for a chart with nothing to show. A chart that fails
    to draw raises."""
    import matplotlib.pyplot as plt

    from kamlib.core.charts import describe, use_style

    use_style(run.words)
    result = run.results[analysis.key]
    plot = analysis.charts(result)[index]
    fig = analysis.plot(plot)(result, run.words)
    if fig is None:
        return None
    try:
        name = plot.removeprefix("plot_")
        titled = [ax for ax in fig.axes if ax.get_title(loc="left")]
        stem = stem or f"{analysis.key}.{name}"
        png = io.BytesIO()  # what IPython's retina format shows in a notebook, without metadata
        fig.savefig(
            png,
            format="png",
            dpi=PNG_DPI,
            bbox_inches="tight",
            facecolor=fig.get_facecolor(),
            edgecolor=fig.get_edgecolor(),
            metadata=metadata(".png"),
        )
        data = png.getvalue()
        (folder / f"{stem}.png").write_bytes(data)
        if svg:
            fig.savefig(folder / f"{stem}.svg", format="svg", metadata=metadata(".svg"))
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        return {
            "name": name,
            "file": f"{stem}.png",
            "title": titled[0].get_title(loc="left") if len(titled) == 1 else "",
            "alt": describe(fig),
            "plain": repr(fig),
            "width": width // 2,
            "height": height // 2,
        }
    finally:
        plt.close(fig)


def located(folder: Path, entries: list[dict | None]) -> list[dict]:
    """The charts drawn into ``folder``, each with the ``path`` of its PNG."""
    return [{**e, "path": folder / e["file"]} for e in entries if e is not None]


def write_manifest(folder: Path, key: str, entries: list[dict]) -> None:
    """The drawn charts of one analysis, in its order, for its notebook (``<key>.json``)."""
    shown = [{k: v for k, v in e.items() if k != "path"} for e in entries]
    temporary = folder / f".{key}.{os.getpid()}.json"  # tasks side by side write the same one
    temporary.write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, folder / f"{key}.json")


def draw_all(run: EngagementRun, folder: Path, svg: bool = False) -> dict[str, list[dict]]:
    """Every chart of ``run`` into ``folder``, by analysis (outside a render, which draws each
    chart as a task of its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        a.key: located(folder, [draw(run, a, i, folder, svg) for i in range(count(run, a))])
        for a in run.analyses
    }


def write_charts(run: EngagementRun, folder: Path) -> list[Path]:
    """Every chart of ``run`` as ``folder/<analysis>.<chart>.png`` and ``.svg``."""
    drawn = draw_all(run, folder, svg=True)
    return [e["path"].with_suffix(s) for es in drawn.values() for e in es for s in (".png", ".svg")]
