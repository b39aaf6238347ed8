"""Locale-aware formatting for templates and exports: dates, times, numbers, percents, money, time-zone
names and lists through Babel, in the viewer's locale; names sorted in the viewer's alphabet. Amounts keep
their own currency (SEK or EUR); nothing here converts between currencies.

One style per use, so a page never mixes two ways of writing the same kind of value:

=================  =====================  =======================================================
filter / helper    style                  used for
=================  =====================  =======================================================
``|date``          CLDR ``medium`` date   a day in tables, lists and periods (29 nov. 2026, 29.11.2026,
                                          29 nov 2026)
``|date('long')``  CLDR ``long`` date     a day inside a sentence (29 november 2026)
``|date('full')``  CLDR ``full`` date     the calendar's day cells for screen readers (with the weekday)
``|date('LLLL y')`` month and year        the calendar's month names
``|datetime``      medium date + short    a moment: history, comments, sign-ins, audit, workbench
                   time, joined by the    (29.11.2026, 05:28), in the reader's time zone
                   locale's pattern
``|percent``       CLDR percent pattern   60 % (sv, de: with a non-breaking space), 60% (it)
``|number``        CLDR decimal pattern   counts and hours (1 250; 1.250)
``|money(cur)``    CLDR currency pattern  amounts in their own currency
=================  =====================  =======================================================

Two-digit years (CLDR ``short``) are never used: "29.11.26" is ambiguous to a reader in another country.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import get_timezone_name
from babel.lists import format_list
from babel.numbers import format_percent
from flask_babel import format_currency, format_date, format_decimal, format_time, get_locale
from markupsafe import Markup, escape

DATE_STYLES = ("medium", "long", "full", "LLLL y")


def _locale() -> Locale:
    return get_locale() or Locale.parse("sv")


def money(amount: Decimal | int | float | None, currency: str) -> str:
    if amount is None:
        return ""
    return format_currency(amount, currency)


def date(value: dt.date | None, style: str = "medium") -> str:
    """A day in one of the documented styles (see the module's table)."""
    if style not in DATE_STYLES:
        raise ValueError(f"undocumented date style {style!r}: use one of {DATE_STYLES}")
    if not value:
        return ""
    if value.__class__ is dt.date:  # a day (a moment, a datetime, is shown in the reader's time zone)
        return _day(value, style, str(_locale()))
    return format_date(value, style)


@functools.lru_cache(maxsize=8192)
def _day(value: dt.date, style: str, locale: str) -> str:
    """A day as Babel writes it in ``locale``: the same few hundred days recur on every page (a calendar
    month writes 42 and a busy one a hundred more), and each cost a Babel pattern walk (issue 12)."""
    return babel_format_date(value, style, locale=locale)


def datetime(value: dt.datetime | None) -> str:
    """A moment: the medium date and the short time (no seconds, no two-digit year), in the reader's time
    zone, joined the way the locale joins them ("29 nov. 2026 05:28", "29.11.2026, 05:28")."""
    if not value:
        return ""
    pattern = _locale().datetime_formats["medium"]
    return str(pattern).replace("{1}", format_date(value, "medium")).replace("{0}", format_time(value, "short"))


def number(value) -> str:
    return format_decimal(value)


def percent(value: Decimal | int | float | None) -> str:
    """A share given in percent (60 → "60 %" in Swedish and German, with a non-breaking space; "60%" in
    Italian); at most one decimal place, shown only when there is one."""
    if value is None:
        return ""
    share = Decimal(str(value)).quantize(Decimal("0.1")).normalize() / 100
    return format_percent(share, locale=_locale(), decimal_quantization=False)


def example_amount(grouped: bool = True) -> str:
    """The example amount of input hints, written as a reader of this locale types it (1 250,50 / 1.250,50;
    ungrouped: 1250,50)."""
    return format_decimal(Decimal("1250.50"), format="#,##0.00" if grouped else "0.00")


def timezone_name(zone: str | None) -> str:
    """An IANA zone's name in the reader's language (Europe/Rome → "centraleuropeisk tid",
    "Mitteleuropäische Zeit", "Ora dell’Europa centrale"), never the raw identifier."""
    if not zone:
        return ""
    return get_timezone_name(zone, locale=_locale())


# --- sorting in the reader's alphabet --------------------------------------------------------------

# Letters some alphabets sort after z (in this order); elsewhere they sort with their base letter.
_ALPHABET_TAIL = {"sv": "åäöæø", "fi": "åäö", "da": "æøå", "nb": "æøå", "nn": "æøå", "no": "æøå"}


def collation_key(text: str, locale: str | Locale | None = None) -> str:
    """The key that sorts ``text`` in the alphabet of ``locale`` (the reader's by default) closely enough
    for lists of names: case and accents ignored, except the letters that alphabet puts after z (å, ä, ö
    in Swedish). (No ICU: a full collation would be a new dependency for a few dozen names.)"""
    folded = (text or "").casefold()
    if folded.isascii():
        # no accents and no letter after z: the folded text is its own key (most names; a thousand
        # municipalities' names are sorted for one select: issue 12)
        return folded
    code = str(locale or _locale()).split("_")[0]
    tail = _ALPHABET_TAIL.get(code, "")
    out = []
    for char in folded:
        if char in tail:
            out.append("\uffff" + str(tail.index(char)))
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)))
    return "".join(out)


def collate(items: Iterable, key: Callable[[object], str] | None = None, locale=None) -> list:
    """``items`` sorted by name in the reader's alphabet (``key`` gives an item's name; default: the item)."""
    name = key or str
    locale = locale or _locale()  # once, not once per item
    return sorted(items, key=lambda item: (collation_key(name(item), locale), name(item)))


def name_list(names: Iterable[str], style: str = "standard", locale: str | Locale | None = None) -> str:
    """Names sorted in the reader's alphabet and joined as the language joins a list ("Hiddenhausen,
    Kungälv och Perano", "…, Kungälv und Perano", "…, Kungälv e Perano"). ``locale``: the reader's, when
    the caller has found it once for many lists."""
    locale = locale or _locale()
    return format_list(collate([n for n in names if n], locale=locale), style=style, locale=locale)


def country_name(code: str) -> str:
    """The country's name in the viewer's language (SE → Sverige / Schweden / Svezia)."""
    return _locale().territories.get(code, code)


def language_name(code: str | None) -> str:
    """A language's name in the viewer's language (sv → svedese for an Italian reader)."""
    if not code:
        return ""
    return Locale.parse(code).get_display_name(_locale()) or code


def paragraphs(text: str | None) -> Markup:
    """Plain text to escaped paragraphs: blank lines separate paragraphs, single newlines are kept."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if b.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(b).split("\n")))
                           for b in blocks)


def expose() -> None:
    """Hand the formatters to templates (filters, and ``h.i18n.*`` for names, lists and zones)."""
    from exchange.templating import expose_filters, expose_helpers
    expose_filters(paragraphs=paragraphs, money=money, date=date, datetime=datetime, number=number,
                   percent=percent)
    expose_helpers("i18n", language_name=language_name, country_name=country_name, name_list=name_list,
                   collate=collate, timezone_name=timezone_name, example_amount=example_amount)
