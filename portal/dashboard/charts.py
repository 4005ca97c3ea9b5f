"""Small bar charts drawn on the server as accessible SVG (no chart JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 320, 22, 8, 110


def bar_chart(title: str, bars: Sequence[tuple[str, int, str]]) -> Markup:
    """A horizontal bar chart: (label, value, css class) per bar, with the numbers as text.

    Screen readers get the title and every value from the SVG's title and description.
    """
    biggest = max((value for _label, value, _css in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP)
    description = "; ".join(f"{label}: {value}" for label, value, _css in bars)
    parts = [
        Markup(
            '<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
            'aria-labelledby="{id}-t {id}-d">'
        ).format(w=WIDTH, h=height, id=_id(title)),
        Markup('<title id="{}-t">{}</title>').format(_id(title), title),
        Markup('<desc id="{}-d">{}</desc>').format(_id(title), description),
    ]
    room = WIDTH - LABEL_WIDTH - 50
    for index, (label, value, css) in enumerate(bars):
        y = index * (BAR_HEIGHT + GAP)
        width = round(room * value / biggest, 1)
        parts.append(
            Markup(
                '<text x="0" y="{ty}" class="chart-label">{label}</text>'
                '<rect x="{x}" y="{y}" width="{width}" height="{bh}" class="chart-bar {css}"/>'
                '<text x="{vx}" y="{ty}" class="chart-value">{value}</text>'
            ).format(
                ty=y + BAR_HEIGHT - 6,
                label=label,
                x=LABEL_WIDTH,
                y=y,
                width=width,
                bh=BAR_HEIGHT,
                css=css,
                vx=LABEL_WIDTH + width + 6,
                value=value,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _id(title: str) -> str:
    return "chart-" + "".join(c if c.isalnum() else "-" for c in str(escape(title)).lower())[:40]
