"""Charts a slide deck draws itself: what a bar chart shows (categories, series, colours,
number format), made by an analysis from its result, without matplotlib. The deck turns it into
an editable PowerPoint chart with its data, which a consultant can restyle; a chart an analysis
gives no such spec for stays a picture.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    colour: str  # "1D4E89"
    point_colours: tuple[str, ...] = ()  # one per category (a signed bar: green or red)


@dataclass(frozen=True)
class NativeChart:
    """A horizontal bar chart: ``categories`` top to bottom, one bar per series each (or the
    series stacked), values in ``number_format`` (an Excel format: ``0%``, ``#,##0``)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str = "0%"
    stacked: bool = False
    axis_title: str = ""
    labels: bool = True  # each bar's value beside it

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(
                    f"series {s.name!r}: {len(s.values)} values, {len(self.categories)} categories"
                )


def bars(title: str, categories, *series: tuple, **options) -> NativeChart:
    """A :class:`NativeChart` from ``(name, values, colour[, point colours])`` (values any
    sequence)."""
    made = tuple(_series(*item) for item in series)
    return NativeChart(str(title), tuple(str(c) for c in categories), made, **options)


def _series(name, values, colour, points=()) -> Series:
    def hex_of(c: str) -> str:
        return c.lstrip("#").upper()

    numbers = tuple(float(v) for v in values)
    return Series(str(name), numbers, hex_of(colour), tuple(hex_of(c) for c in points))
