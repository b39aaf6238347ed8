"""The visit reports: their figures (from queries.py) and server-rendered SVG bar charts of them.

A chart is an image (``role="img"``) named by its ``<title>`` and described by its ``<desc>``, which
points to the table beside it: the table is the text alternative and holds the same figures. No script,
no inline style (the CSP forbids both); SVG presentation attributes (fill, x, y, width) are allowed.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from exchange.visits import queries
from exchange.visits.display import pair_label

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


# --- the report page -----------------------------------------------------------------------------

@dataclass
class Figures:
    """The report's figures. Visits per year, pair and theme count every visit of the network (that a
    visit took place is public to it); participants and follow-ups only the visits the reader may read."""

    per_year: list
    per_pair: list
    per_theme: list
    years: list[int]
    towns: list
    participants: dict
    follow_ups: dict
    pair_limit: int = 0  # when set: only that many pairs, those with the most visits, are shown
    town_limit: int = 0  # likewise the home municipalities with the most participants


def figures(viewer_id: int | None) -> Figures:
    """The figures for the readers of ``viewer_id`` (permissions.details_municipality), from one read of
    the running counts (exchange.visits.tallies)."""
    from exchange.visits import tallies
    counts = tallies.report_counts(viewer_id)
    years, towns, participants = queries.participants_per_year(viewer_id, counts)
    result = Figures(per_year=queries.visits_per_year(counts), per_pair=queries.visits_per_pair(counts),
                     per_theme=queries.visits_per_theme(counts), years=years, towns=towns, participants=participants,
                     follow_ups=queries.follow_up_status(viewer_id, counts))
    result.pair_limit = tallies.PAIR_LIMIT if len(result.per_pair) >= tallies.PAIR_LIMIT else 0
    result.town_limit = tallies.TOWN_LIMIT if len(towns) >= tallies.TOWN_LIMIT else 0
    return result


@dataclass(frozen=True)
class Chart:
    """A chart and its bars: the page shows the chart (``{{ chart }}``) and the bars as its table."""

    svg: Markup
    bars: list[Bar]

    def __html__(self) -> str:
        return self.svg


def charts(f: Figures, lang: str) -> dict[str, Chart]:
    """The five charts of the report page; each table beside them holds the same figures."""
    return {key: Chart(svg, bars) for key, (svg, bars) in _charts(f, lang).items()}


def _chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> tuple[Markup, list[Bar]]:
    return bar_chart(chart_id, title, description, bars), bars


def _charts(f: Figures, lang: str) -> dict[str, tuple[Markup, list[Bar]]]:
    return {
        "year": _chart("chart-year", _("Visits per year"),
                          _("Bar chart of the number of visits per year. The same figures are in the "
                            "table below."), [Bar(str(y), n) for y, n in f.per_year]),
        "pair": _chart("chart-pair", _("Visits per pair of municipalities"),
                          _("Bar chart of the number of visits between each pair of municipalities. The "
                            "same figures are in the table below."),
                          [Bar(pair_label(a, b), n)
                           for a, b, n in f.per_pair]),
        "theme": _chart("chart-theme", _("Visits per theme"),
                           _("Bar chart of the number of visits per theme. The same figures are in the "
                             "table below."),
                           [Bar(t.name(lang), n, t.name_lang(lang)) for t, n in f.per_theme]),
        "participants": _chart(
            "chart-participants", _("Participants per year and municipality"),
            _("Bar chart of the number of participants per year and home municipality, one bar for each year "
              "and municipality with participants. The same figures are in the table below."),
            [Bar(_("%(year)d: %(municipality)s", year=year, municipality=town.name), f.participants[(year, town.id)])
             for year in f.years for town in f.towns if f.participants.get((year, town.id))]),
        "follow_ups": _chart("chart-follow-ups", _("Follow-up actions"),
                                _("Bar chart of open and done follow-up actions. The same figures are in "
                                  "the table below."),
                                [Bar(pgettext("follow-up status", "Open"), f.follow_ups["open"]),
                                 Bar(pgettext("follow-up status", "Done"), f.follow_ups["done"])]),
    }
