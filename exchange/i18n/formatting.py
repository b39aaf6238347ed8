"""Locale-aware formatting for templates: dates, numbers and money through Babel, in the viewer's
locale. Amounts keep their own currency (SEK or EUR); nothing here converts between currencies."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import Locale
from markupsafe import Markup, escape

from flask_babel import format_currency, format_date, format_datetime, format_decimal, get_locale


def money(amount: Decimal | int | float | None, currency: str) -> str:
    if amount is None:
        return ""
    return format_currency(amount, currency)


def date(value: dt.date | None, style: str = "medium") -> str:
    return format_date(value, style) if value else ""


def datetime(value: dt.datetime | None, style: str = "medium") -> str:
    return format_datetime(value, style) if value else ""


def number(value) -> str:
    return format_decimal(value)


def country_name(code: str) -> str:
    """The country's name in the viewer's language (SE → Sverige / Schweden / Svezia)."""
    return get_locale().territories.get(code, code)


def language_name(code: str | None) -> str:
    """A language's name in the viewer's language (sv → svedese for an Italian reader)."""
    if not code:
        return ""
    return Locale.parse(code).get_display_name(get_locale()) or code


def paragraphs(text: str | None) -> Markup:
    """Plain text to escaped paragraphs: blank lines separate paragraphs, single newlines are kept."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if b.strip()]
    return Markup("").join(Markup("<p>{}</p>").format(Markup("<br>").join(escape(b).split("\n")))
                           for b in blocks)


def expose() -> None:
    """Hand the formatters to templates (filters, and ``h.i18n.*`` for names of countries and languages)."""
    from exchange.templating import expose_filters, expose_helpers
    expose_filters(paragraphs=paragraphs, money=money, date=date, datetime=datetime, number=number)
    expose_helpers("i18n", language_name=language_name, country_name=country_name)
