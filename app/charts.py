"""Chart specifications the screens draw, built with Altair and kept free of Streamlit, so
that a test can read a chart's ``.to_dict()``: its labels, its angles, its colours.

Every label is shown. Axis labels are never dropped for lack of room (``labelOverlap``
off) nor cut short: a label's limit is set from the width of the longest label in the
chart (``text_width``), and the labels of a heat map's columns are turned 45° so that a
column's label needs only the height of a line beside the next one, however long it is.

A colour names one category in a chart, once. ``PALETTE`` has ``len(PALETTE)`` colours;
when a chart has more categories than that, the largest ``len(PALETTE) - 1`` keep their
name and the rest are drawn together as “其他 / Other” in grey (``OTHER_COLOUR``), which no
named category uses (``group_small``).
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import altair as alt

#: 18 colours, no two alike and none grey: Vega's "tableau20" without its greys, its darker
#: half first, so that a chart with few categories gets the strongest colours
PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2", "#b79a20", "#439894", "#d67195", "#9e765f",
           "#9ecae9", "#ffbf79", "#88d27a", "#ff9d98", "#d6a5c9", "#f2cf5b", "#83bcb6", "#fcbfd2", "#d8b5a5")
OTHER_COLOUR = "#bab0ac"
LABEL_FONT = 12       # px: the axis labels' size, which their widths are estimated at
ROW = 24              # px per bar or row: every row's label has its line
MAX_LABEL = 360       # px: a label longer than this is cut (with …), its whole text in the tooltip
HEAT_LABEL = 480      # px: the same, for the turned labels of a heat map's columns
HALF_LABEL = 220      # px: the same, for the rows of a chart drawn in half the screen's width
COVERED_COLOURS = ("#2e8b57", "#e8e8e8")
#: drawn as SVG: labels are text the browser can find, copy and read aloud, sharp at any zoom
SVG = {"embedOptions": {"renderer": "svg"}}


def text_width(text: str, size: int = LABEL_FONT) -> int:
    """Pixels ``text`` takes at ``size`` px, a little more than it does: a Chinese (wide)
    character is a square, any other character about 0.56 of one (Source Sans, Streamlit's
    font, averages less)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return round(size * (wide + 0.56 * (len(text) - wide))) + 4


def label_limit(labels: Sequence[str], size: int = LABEL_FONT, most: int = MAX_LABEL) -> int:
    """The limit at which none of ``labels`` is cut, up to ``most`` pixels."""
    return min(most, max((text_width(t, size) for t in labels), default=0) + 8)


def group_small(totals: dict[str, float], other: str, colours: int = len(PALETTE)) -> dict[str, str]:
    """Each category → the name it is drawn under: itself for the largest ``colours - 1``
    (all of them when there are at most ``colours``), ``other`` for the rest."""
    ranked = sorted(totals, key=lambda k: (-totals[k], k))
    if len(ranked) <= colours:
        return {k: k for k in ranked}
    kept = set(ranked[: colours - 1])
    return {k: (k if k in kept else other) for k in ranked}


def colour_scale(domain: Sequence[str], other: str | None = None) -> alt.Scale:
    """A colour for each of ``domain`` (at most ``len(PALETTE)`` besides ``other``), grey for ``other``."""
    named = [d for d in domain if d != other]
    if len(named) > len(PALETTE):
        raise ValueError(f"{len(named)} categories for {len(PALETTE)} colours: group the small ones first")
    colours = list(PALETTE[: len(named)])
    if other is not None and other in domain:
        named.append(other)
        colours.append(OTHER_COLOUR)
    return alt.Scale(domain=named, range=colours)


def bar(rows: list[dict[str, Any]], y: str, x: str, x_title: str, tooltip: list[Any], *,
        most: int = HALF_LABEL) -> alt.Chart:
    """Horizontal bars, largest first, one labelled row each (a label past ``most`` pixels is
    cut; the tooltip has it whole). The rows' axis has no title: the screen's heading above
    the chart says what they are."""
    labels = [str(r[y]) for r in rows]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y(f"{y}:N", sort="-x", title=None,
                axis=alt.Axis(labelLimit=label_limit(labels, most=most), labelOverlap=False,
                              labelFontSize=LABEL_FONT)),
        x=alt.X(f"{x}:Q", title=x_title),
        tooltip=tooltip,
    ).properties(height=alt.Step(ROW), usermeta=SVG)


def stacked_bar(cells: list[dict[str, Any]], y: str, x: str, colour: str, *, order: Sequence[str],
                x_title: str, other: str, tooltip: list[Any], legend_columns: int = 1,
                most: int = HALF_LABEL) -> alt.Chart:
    """Bars of ``y`` in ``order`` (top first) stacked by ``colour``, one colour per category
    (``group_small``: the smallest categories drawn as ``other`` when there are too many).
    The legend lists the categories largest first, ``other`` last."""
    totals: dict[str, float] = defaultdict(float)
    for c in cells:
        totals[str(c[colour])] += float(c[x])
    names = group_small(totals, other)
    merged: dict[tuple[str, str], float] = defaultdict(float)
    for c in cells:
        merged[(str(c[y]), names[str(c[colour])])] += float(c[x])
    values = [{y: b, colour: k, x: n} for (b, k), n in merged.items()]
    domain = list(dict.fromkeys(v for v in names.values() if v != other))
    if other in names.values():
        domain.append(other)
    legend_limit = label_limit(domain)
    return alt.Chart(alt.Data(values=values)).mark_bar().encode(
        y=alt.Y(f"{y}:N", sort=list(order), title=None,
                axis=alt.Axis(labelLimit=label_limit(list(order), most=most), labelOverlap=False,
                              labelFontSize=LABEL_FONT)),
        x=alt.X(f"{x}:Q", title=x_title, stack="zero"),
        color=alt.Color(f"{colour}:N", title=None, sort=domain, scale=colour_scale(domain, other),
                        legend=alt.Legend(orient="bottom", direction="vertical", columns=legend_columns,
                                          labelLimit=legend_limit, labelFontSize=LABEL_FONT, symbolType="square")),
        order=alt.Order(f"{colour}_rank:Q"),
        tooltip=tooltip,
    ).transform_calculate(
        **{f"{colour}_rank": f"indexof({json.dumps(domain, ensure_ascii=False)}, datum[{json.dumps(colour)}])"}
    ).properties(height=alt.Step(ROW), usermeta=SVG)


def coverage_heatmap(bureaus: Sequence[str], items: Sequence[str], covered: Sequence[Sequence[bool]], *,
                     present: str, missing: str, bureau_field: str = "bureau", item_field: str = "item",
                     state_field: str = "covered") -> alt.Chart:
    """The bureau × standard-item matrix: a row per bureau (in the order given), a column per
    standard item (``items``: their titles in the chosen language, in order), a cell coloured
    ``present`` or ``missing``. The columns' labels stand above the matrix, where its first
    rows are, turned 45° and never dropped or cut; below it, the same labels again for the
    last rows of a long matrix."""
    cells = [{bureau_field: b, item_field: it, state_field: present if c else missing}
             for b, row in zip(bureaus, covered, strict=True) for it, c in zip(items, row, strict=True)]
    limit = label_limit(items, most=HEAT_LABEL)

    def x_axis(orient: str) -> alt.Axis:
        return alt.Axis(orient=orient, labelAngle=-45, labelLimit=limit, labelOverlap=False,
                        labelFontSize=LABEL_FONT, labelPadding=6, ticks=False, domain=False)

    base = alt.Chart(alt.Data(values=cells)).encode(
        y=alt.Y(f"{bureau_field}:N", sort=list(bureaus), title=None,
                axis=alt.Axis(labelLimit=label_limit(bureaus), labelOverlap=False, labelFontSize=LABEL_FONT)),
        tooltip=[f"{bureau_field}:N", f"{item_field}:N", f"{state_field}:N"],
    )
    cells_layer = base.mark_rect(stroke="white").encode(
        x=alt.X(f"{item_field}:N", sort=list(items), title=None, axis=x_axis("top"),
                scale=alt.Scale(domain=list(items))),
        color=alt.Color(f"{state_field}:N", title=None,
                        scale=alt.Scale(domain=[present, missing], range=list(COVERED_COLOURS)),
                        legend=alt.Legend(orient="top", direction="horizontal", labelFontSize=LABEL_FONT)),
    )
    if len(bureaus) <= 12:
        return cells_layer.properties(height=alt.Step(ROW), usermeta=SVG)
    bottom = base.mark_rect(opacity=0).encode(
        x=alt.X(f"{item_field}:N", sort=list(items), title=None, axis=x_axis("bottom"),
                scale=alt.Scale(domain=list(items))))
    return alt.layer(cells_layer, bottom).resolve_axis(x="independent").properties(height=alt.Step(ROW),
                                                                                   usermeta=SVG)
