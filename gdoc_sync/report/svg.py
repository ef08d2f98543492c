"""Charts as inline SVG: no script, no fonts or images fetched, printable. Every mark carries
its value in data- attributes, so a page (and a test) can read what was drawn."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_COLOURS = ("#2b6cb0", "#dd6b20")  # onsite, online: distinct in colour and in grey print
HEAT_LOW = (235, 244, 255)
HEAT_HIGH = (26, 82, 145)


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def _label(text: str, room: int = 44) -> str:
    """A label that fits its column (the whole text is in the mark's <title>)."""
    return escape(text if len(text) <= room else text[: room - 1] + "…")


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    css_class: str,
) -> str:
    """Horizontal bars, one row per label, the series stacked in a row (each a <rect class=bar>
    with data-label, data-series and data-count, zero-width when the count is 0)."""
    label_width, bar_width, row_height = 300, 360, 26
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    top = max([*totals, 1])
    legend = 22 if len(series) > 1 else 0
    height = 34 + legend + row_height * len(labels)
    out = [
        f'<svg class="chart {_a(css_class)}" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {label_width + bar_width + 60} {height}" '
        f'width="{label_width + bar_width + 60}" height="{height}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    if legend:
        legend_x = 0
        for (name, _), colour in zip(series, BAR_COLOURS, strict=False):
            out.append(f'<rect x="{legend_x}" y="26" width="12" height="12" fill="{colour}"/>')
            out.append(f'<text x="{legend_x + 16}" y="37">{escape(name)}</text>')
            legend_x += 110
    for i, label in enumerate(labels):
        y = 34 + legend + i * row_height
        out.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{_label(label)}</text>'
        )
        x = float(label_width)
        for (name, values), colour in zip(series, BAR_COLOURS, strict=False):
            width = bar_width * values[i] / top
            out.append(
                f'<rect class="bar" x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="18" '
                f'fill="{colour}" data-label="{_a(label)}" data-series="{_a(name)}" '
                f'data-count="{values[i]}"><title>{escape(label)}, {escape(name)}: '
                f"{values[i]}</title></rect>"
            )
            x += width
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}" class="total">{totals[i]}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _shade(count: int, top: int) -> str:
    t = count / top if top else 0.0
    rgb = [round(lo + (hi - lo) * t) for lo, hi in zip(HEAT_LOW, HEAT_HIGH, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def heat_map(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    empty_label: str = "nothing noted",
) -> str:
    """A grid of <rect class="cell"> (data-row, data-column, data-count); an empty cell is
    hatched and crossed out (class "cell empty") so the gaps stand out, in print too, its
    tooltip `empty_label` (in the report's language)."""
    label_width, cell_w, cell_h = 300, 64, 34
    top = max([c for row in counts for c in row] + [1])
    width = label_width + cell_w * len(columns) + 10
    height = 56 + cell_h * len(rows)
    out = [
        f'<svg class="chart heat-map" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
        '<defs><pattern id="empty-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#c53030" stroke-width="1.5"/>'
        "</pattern></defs>",
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for j, column in enumerate(columns):
        x = label_width + j * cell_w + cell_w / 2
        out.append(f'<text x="{x:.0f}" y="46" text-anchor="middle">{escape(column)}</text>')
    for i, row in enumerate(rows):
        y = 56 + i * cell_h
        out.append(
            f'<text x="{label_width - 8}" y="{y + 21}" text-anchor="end">{_label(row)}</text>'
        )
        for j, column in enumerate(columns):
            count = counts[i][j]
            x = label_width + j * cell_w
            empty = count == 0
            fill = "url(#empty-hatch)" if empty else _shade(count, top)
            out.append(
                f'<rect class="cell{" empty" if empty else ""}" x="{x + 1}" y="{y + 1}" '
                f'width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}" stroke="#718096" '
                f'data-row="{_a(row)}" data-column="{_a(column)}" data-count="{count}">'
                f"<title>{escape(row)} × {escape(column)}: "
                f"{escape(empty_label) if empty else count}</title></rect>"
            )
            colour = "#c53030" if empty else ("#fff" if count > top / 2 else "#1a202c")
            out.append(
                f'<text x="{x + cell_w / 2:.0f}" y="{y + 22}" text-anchor="middle" '
                f'fill="{colour}">{"–" if empty else count}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)
