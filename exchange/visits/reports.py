"""Server-rendered SVG bar charts for the visit reports, and CSV helpers.

A chart is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>``, which
points to the table beside it: the table is the text alternative and holds the same figures. No script,
no inline style (the CSP forbids both); SVG presentation attributes (fill, x, y, width) are allowed.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

BAR_FILL = "#0b4f8a"
TEXT_FILL = "#1b1f24"
GRID = "#c9d0d8"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    lang: str | None = None  # when the label is content in another language (a theme name)


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar], width: int = 640) -> Markup:
    """A horizontal bar chart as inline SVG markup (every text escaped)."""
    label_width, value_width, row, top = 210, 50, 30, 10
    plot = width - label_width - value_width
    height = top * 2 + row * max(len(bars), 1)
    biggest = max((b.value for b in bars), default=0) or 1
    parts = [Markup('<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
                    'viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">')
             .format(id=chart_id, w=width, h=height),
             Markup('<title id="{}-title">{}</title>').format(chart_id, title),
             Markup('<desc id="{}-desc">{}</desc>').format(chart_id, description),
             Markup('<line x1="{x}" y1="{t}" x2="{x}" y2="{b}" stroke="{c}" stroke-width="1"/>')
             .format(x=label_width, t=top, b=height - top, c=GRID)]
    for index, bar in enumerate(bars):
        y = top + index * row
        bar_width = round(plot * bar.value / biggest, 1) if bar.value else 0
        lang = Markup(' lang="{}"').format(bar.lang) if bar.lang else Markup("")
        parts.append(Markup('<text x="{x}" y="{y}" fill="{f}" font-size="14" text-anchor="end"{lang}>{label}</text>')
                     .format(x=label_width - 8, y=y + row / 2 + 5, f=TEXT_FILL, lang=lang, label=_clip(bar.label)))
        parts.append(Markup('<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{f}"/>')
                     .format(x=label_width, y=y + 5, w=bar_width, h=row - 10, f=BAR_FILL))
        parts.append(Markup('<text x="{x}" y="{y}" fill="{f}" font-size="14">{v}</text>')
                     .format(x=label_width + bar_width + 6, y=y + row / 2 + 5, f=TEXT_FILL, v=bar.value))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _clip(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- CSV -------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text for a CSV cell; a leading formula character is neutralised so a spreadsheet shows it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV with a BOM (spreadsheets then read UTF-8 names such as Kungälv correctly)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()

