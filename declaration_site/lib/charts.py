"""The geometry of the charts of /statistics/ and of the group and country pages, for templates
to draw as SVG.

The charts are drawn on the server, in Django templates (`templates/includes/_chart_*.html`),
with no JavaScript and no charting library: templates are enough for bars and a heat map, and
keep the CSP strict (no script, no inline style; colours are SVG attributes). These functions
turn numbers into positions, so that the templates only loop over what they are given.

Every chart is `WIDTH` units wide in its `viewBox` and drawn at the width of its column
(`width="100%"`): the sizes below are chosen so that labels stay readable on a 360 px screen.
Coordinates are strings with a dot for decimals, whatever the language of the page.
"""

import math

# User units across every chart's viewBox.
WIDTH = 360
# The font size of labels, in user units.
LABEL_SIZE = 12
# Roughly how wide a character of a label is, in user units, at LABEL_SIZE.
CHAR_WIDTH = 7.4
# The widest column of labels on the left; longer labels are cut with an ellipsis (the table
# under each chart has them in full).
MAX_LABEL_WIDTH = 175
ACCENT = "#1d4f91"
SECOND = "#8fb0dc"
# The shades of the heat map, lightest first, and the text colour readable on each.
SHADES = [
    ("#eef3fa", "#1b1f24"),
    ("#c9d8ee", "#1b1f24"),
    ("#8fb0dc", "#1b1f24"),
    ("#3d6db0", "#ffffff"),
    ("#14325c", "#ffffff"),
]


def number(value):
    """A coordinate for an SVG attribute, with at most one decimal and a dot.

    >>> number(12.0), number(3.14159), number(7)
    ('12', '3.1', '7')
    """
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def ticks(maximum, most=5):
    """Round values from 0 to at least `maximum`, for a count axis: whole numbers, steps of
    1, 2, 2.5 or 5 times a power of ten, at most `most` steps.

    >>> ticks(23), ticks(4), ticks(0), ticks(1092)
    ([0, 5, 10, 15, 20, 25], [0, 1, 2, 3, 4], [0, 1], [0, 250, 500, 750, 1000, 1250])
    """
    if maximum <= 0:
        return [0, 1]
    magnitude = 1
    while True:
        steps = (magnitude, 2 * magnitude, 5 * magnitude // 2, 5 * magnitude)
        for step in steps if magnitude >= 10 else (1, 2, 5):
            count = math.ceil(maximum / step)
            if count <= most:
                return [index * step for index in range(count + 1)]
        magnitude *= 10


def year_ticks(first, last, most=6):
    """The years to mark between `first` and `last`: every 1, 2, 5, 10... years.

    >>> year_ticks(2018, 2020), year_ticks(2001, 2024)
    ([2018, 2019, 2020], [2005, 2010, 2015, 2020])
    """
    for step in (1, 2, 5, 10, 20, 25, 50):
        marks = [year for year in range(first, last + 1) if year % step == 0]
        if len(marks) <= most:
            return marks
    return [first, last]


def shorten(label, width):
    """`label` cut with an ellipsis to fit `width` user units.

    >>> shorten("Bosnia and Herzegovina", 100), shorten("Italy", 100)
    ('Bosnia and H…', 'Italy')
    """
    most = max(int(width / CHAR_WIDTH), 2)
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def label_width(labels):
    """The width of a column of labels on the left, from the longest one."""
    longest = max((len(label) for label in labels), default=0)
    return min(max(longest * CHAR_WIDTH + 10, 36), MAX_LABEL_WIDTH)


def _count_axis(*, left, right, top, bottom, maximum, title):
    """The horizontal count axis under a bar chart: gridlines, tick marks, the axis title."""
    values = ticks(maximum)
    scale = (right - left) / values[-1]
    return {
        "x1": number(left),
        "x2": number(right),
        "y": number(bottom),
        "top": number(top),
        "ticks": [{"x": number(left + value * scale), "label": str(value)} for value in values],
        "tick_y": number(bottom + 14),
        "title": title,
        "title_x": number((left + right) / 2),
        "title_y": number(bottom + 31),
    }, scale


def bar_chart(rows, *, category_title, axis_title, paired=False, labels_above=False):
    """Horizontal bars, one row per category.

    `rows` is a list of dicts: `label`, and `segments`, a list of (value, colour, title) drawn
    end to end (a stacked bar) or, with `paired`, one under the other. With `labels_above`,
    each label is written over its bar across the whole width, for long labels (names).
    """
    row_height = 34 if labels_above else (28 if paired else 22)
    bar_height = 12 if labels_above else (10 if paired else 14)
    left = 4 if labels_above else label_width(row["label"] for row in rows)
    right = WIDTH - 36
    top = 22
    maximum = max(
        (
            max((value for value, _colour, _title in row["segments"]), default=0)
            if paired
            else sum(value for value, _colour, _title in row["segments"])
            for row in rows
        ),
        default=0,
    )
    bottom = top + len(rows) * row_height + 4
    axis, scale = _count_axis(
        left=left, right=right, top=top, bottom=bottom, maximum=maximum, title=axis_title
    )
    drawn = []
    for index, row in enumerate(rows):
        y = top + index * row_height
        bar_y = y + (16 if labels_above else (row_height - bar_height * (2 if paired else 1)) / 2)
        x = left
        rects, values = [], []
        for position, (value, colour, title) in enumerate(row["segments"]):
            width = value * scale
            if paired:
                x = left
                segment_y = bar_y + position * (bar_height + 2)
                values.append(
                    {
                        "x": number(left + width + 4),
                        "y": number(segment_y + bar_height - 1),
                        "text": str(value),
                    }
                )
            else:
                segment_y = bar_y
            if value:
                rects.append(
                    {
                        "x": number(x),
                        "y": number(segment_y),
                        "width": number(max(width, 1)),
                        "height": number(bar_height),
                        "fill": colour,
                        "title": title,
                    }
                )
            if not paired:
                x += width
        if not paired:
            total = sum(value for value, _colour, _title in row["segments"])
            values.append(
                {
                    "x": number(x + 4),
                    "y": number(bar_y + bar_height - 2),
                    "text": str(total),
                }
            )
        drawn.append(
            {
                "label": shorten(row["label"], WIDTH - 8 if labels_above else left - 8),
                "full_label": row["label"],
                "label_x": number(left if labels_above else left - 6),
                "label_y": number(y + 12 if labels_above else y + row_height / 2 + 4),
                "rects": rects,
                "values": values,
            }
        )
    return {
        "width": WIDTH,
        "height": number(bottom + 36),
        "labels_above": labels_above,
        "category_title": category_title,
        "category_x": number(4 if labels_above else left - 6),
        "category_anchor": "start" if labels_above else "end",
        "rows": drawn,
        "axis": axis,
    }


def count_bars(rows, *, label, describe, category_title, axis_title):
    """Bars of one colour, one per row: `rows` are dicts with a `count`; `label(row)` names
    the category and `describe(row)` is the title of its bar, read by screen readers."""
    return bar_chart(
        [
            {"label": str(label(row)), "segments": [(row["count"], ACCENT, describe(row))]}
            for row in rows
        ],
        category_title=category_title,
        axis_title=axis_title,
    )


def shade(value, maximum):
    """(fill, text colour) for a cell of the heat map: darker for more."""
    if not value or not maximum:
        return "#ffffff", "#4f5863"
    step = min(int(value / maximum * len(SHADES)), len(SHADES) - 1)
    return SHADES[step]


def heat_map(labels, cells):
    """A square matrix: `labels` name the rows and the columns, `cells[row][column]` is a dict
    with `value`, `url` (or None) and `title` (what a screen reader says of the link)."""
    count = len(labels)
    left = min(max(max((len(label) for label in labels), default=0) * CHAR_WIDTH + 10, 36), 80)
    top = left
    size = min((WIDTH - left - 4) / max(count, 1), 52)
    maximum = max((cell["value"] for row in cells for cell in row), default=0)
    drawn_rows = []
    for row_index, (label, row) in enumerate(zip(labels, cells, strict=True)):
        y = top + row_index * size
        drawn_cells = []
        for column_index, cell in enumerate(row):
            x = left + column_index * size
            fill, ink = shade(cell["value"], maximum)
            drawn_cells.append(
                {
                    **cell,
                    "x": number(x + 1),
                    "y": number(y + 1),
                    "size": number(size - 2),
                    "fill": fill,
                    "ink": ink,
                    "text_x": number(x + size / 2),
                    "text_y": number(y + size / 2 + 4),
                    "diagonal": row_index == column_index,
                }
            )
        drawn_rows.append(
            {
                "label": label,
                "label_x": number(left - 6),
                "label_y": number(y + size / 2 + 4),
                "cells": drawn_cells,
            }
        )
    columns = [
        {"label": label, "x": number(left + index * size + size / 2 + 4), "y": number(top - 6)}
        for index, label in enumerate(labels)
    ]
    return {
        "width": WIDTH,
        "height": number(top + count * size + 4),
        "rows": drawn_rows,
        "columns": columns,
        "font_size": number(min(LABEL_SIZE + 1, size / 2.4)),
    }


def strip_chart(rows, *, axis_title):
    """One row per label, a dot in each year with a value (bigger for more), years across.

    `rows` is a list of dicts: `label` and `years`, {year: (value, title)}, the title being
    what a pointer over the dot shows."""
    years = sorted({year for row in rows for year in row["years"]})
    first, last = (years[0], years[-1]) if years else (2000, 2001)
    if first == last:
        first, last = first - 1, last + 1
    left = label_width(row["label"] for row in rows) + 8
    right = WIDTH - 14
    top = 8
    row_height = 20
    scale = (right - left) / (last - first)
    bottom = top + len(rows) * row_height + 4
    drawn = []
    for index, row in enumerate(rows):
        y = top + index * row_height + row_height / 2
        drawn.append(
            {
                "label": shorten(row["label"], left - 14),
                "full_label": row["label"],
                "label_x": number(left - 8),
                "label_y": number(y + 4),
                "y": number(y),
                "dots": [
                    {
                        "x": number(left + (year - first) * scale),
                        "r": number(3.5 + min(value - 1, 4)),
                        "title": title,
                    }
                    for year, (value, title) in sorted(row["years"].items())
                ],
            }
        )
    return {
        "width": WIDTH,
        "height": number(bottom + 36),
        "x1": number(left),
        "x2": number(right),
        "rows": drawn,
        "axis": {
            "y": number(bottom),
            "top": number(top),
            "ticks": [
                {"x": number(left + (year - first) * scale), "label": str(year)}
                for year in year_ticks(first, last)
            ],
            "tick_y": number(bottom + 14),
            "title": axis_title,
            "title_x": number((left + right) / 2),
            "title_y": number(bottom + 31),
        },
    }
