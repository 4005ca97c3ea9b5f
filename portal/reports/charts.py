"""Score bars as small SVG drawn on the server; labels and numbers stay in the HTML, so
every script is shaped by the text engine, right to left included."""

from __future__ import annotations

from markupsafe import Markup

WIDTH, HEIGHT = 200, 14

# Colour per band of a percentage score (colour-blind safe, printable in grey).
BANDS = ((80, "#1a7f5a"), (60, "#3f8fbf"), (40, "#d9a21b"), (0, "#c4512b"))
TRACK, MEDIAN = "#e6e8eb", "#1d2733"


def band_colour(percent: float) -> str:
    return next(colour for floor, colour in BANDS if percent >= floor)


def score_bar(percent: float | None, peer_median: float | None = None) -> Markup:
    """A 0-100 bar for `percent`, with a tick at the peers' median when given."""
    parts = [
        Markup(
            '<svg class="bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'xmlns="http://www.w3.org/2000/svg" aria-hidden="true">'
            '<rect x="0" y="0" width="{w}" height="{h}" rx="3" fill="{track}"/>'
        ).format(w=WIDTH, h=HEIGHT, track=TRACK)
    ]
    if percent is not None:
        clamped = min(max(percent, 0.0), 100.0)
        parts.append(
            Markup('<rect x="0" y="0" width="{width}" height="{h}" rx="3" fill="{fill}"/>').format(
                width=round(WIDTH * clamped / 100, 1), h=HEIGHT, fill=band_colour(clamped)
            )
        )
    if peer_median is not None:
        x = round(WIDTH * min(max(peer_median, 0.0), 100.0) / 100, 1)
        parts.append(
            Markup('<rect x="{x}" y="-1" width="2" height="{h}" fill="{colour}"/>').format(
                x=max(x - 1, 0), h=HEIGHT + 2, colour=MEDIAN
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


# A tick drawn, not typed: the text font need not have the glyph.
CHECK_MARK = Markup(
    '<svg class="check" viewBox="0 0 10 10" width="10" height="10" '
    'xmlns="http://www.w3.org/2000/svg" aria-hidden="true">'
    '<path d="M1.5 5.5l2.5 2.5 4.5-6" fill="none" stroke="#1a7f5a" stroke-width="1.8"/></svg>'
)
