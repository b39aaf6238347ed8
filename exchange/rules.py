"""The checks every domain shares, written once: text, amounts, versions, ids, locales, currencies, dates.

Services call them on everything that reaches them (the CLI and the demo loader call services too, so
the forms' checks are not enough); a failed check raises ``Refusal(code, field)``, which the request kit
shows beside its field. Request parsing uses the ``parse_*`` helpers, which never raise on hostile input
(they answer None), so no view calls ``int()`` on raw input.

Length limits live in ``exchange.db.Len``, beside the column types.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import get_currency_name
from flask import current_app, has_request_context
from sqlalchemy.exc import IntegrityError

from exchange.db import Len
from exchange.errors import Conflict, Refusal

__all__ = ["Len", "clean_text", "has_control_characters", "strip_control", "amount", "parse_amount", "read_amount",
           "check_version", "version_of", "created_once", "parse_version", "parse_id", "parse_ids", "check_locale", "check_currency",
           "check_date", "check_date_range", "MIN_YEAR", "MAX_YEAR", "MAX_AMOUNT", "MAX_HOURS"]

# C0 controls but tab, newline and carriage return, plus DEL. PostgreSQL refuses NUL in text outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MIN_YEAR, MAX_YEAR = 1950, 2100
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)
MAX_HOURS = Decimal("99999999.99")       # Numeric(10, 2)
_MAX_ID = 2**31 - 1                      # an INTEGER column on both databases
_DIGITS = re.compile(r"[0-9]{1,10}")    # ASCII only: str.isdigit() accepts '²' and other digits int() refuses


# --- text ----------------------------------------------------------------------------------------

def has_control_characters(value: str | None) -> bool:
    return bool(value) and _CONTROL.search(value) is not None


def strip_control(value: str | None) -> str:
    """A search term or filter value without control characters (filters ignore what they cannot use)."""
    return _CONTROL.sub("", value or "")


def clean_text(value: str | None, limit: int, field: str | None = None, required: bool = False) -> str:
    """The trimmed text, or a refusal: required and empty, longer than ``limit``, or with control characters."""
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise Refusal("unknown_choice", field)
    if required and not text:
        raise Refusal("required", field)
    if len(text) > limit:
        raise Refusal("too_long_max", field, max=limit)
    if _CONTROL.search(text):
        raise Refusal("control_characters", field)
    return text


# --- numbers -------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")


def _locale_symbols(locale) -> tuple[str, str]:
    loc = Locale.parse(str(locale)) if locale else Locale.parse("en")
    return loc.number_symbols.get("latn", loc.number_symbols).get("decimal", "."), \
        loc.number_symbols.get("latn", loc.number_symbols).get("group", ",")


def _grouped(integer: str, separator: str) -> str | None:
    """Digits grouped by ``separator`` in threes (1.234.567), without the separators; None if misgrouped."""
    groups = integer.split(separator)
    if not groups[0] or len(groups[0]) > 3 or not all(len(g) == 3 for g in groups[1:]):
        return None
    return "".join(groups)


def parse_amount(raw: str | None, locale=None) -> Decimal | None:
    """The value of an amount typed by a person, or None when it cannot be read without guessing
    (``read_amount`` says why)."""
    value = _read(raw, locale)
    return value if isinstance(value, Decimal) else None


def read_amount(raw: str | None, field: str | None = None, locale=None) -> Decimal:
    """The one parser of every money and number field: the value of an amount typed by a person, or a
    refusal that says what is wrong with it.

    Accepted: plain digits with a decimal point or comma (``1234.50``, ``1234,50``, ``99,50``), and
    grouped thousands (``1 234,50``, ``1.234,50``, ``1,234.50``, ``1'234.50``).
    Refused as ``ambiguous_number``: grouping in anything but threes (``1 50 000``), two decimal
    separators (``1.2.3``), and a single separator followed by exactly three digits that the reader's
    locale does not resolve (``1.234`` in Swedish could be either). Anything else that is not a number
    (letters, units, ``1e5``, ``NaN``) is ``not_a_number``.
    """
    value = _read(raw, locale)
    if not isinstance(value, Decimal):
        raise Refusal(value, field)
    return value


def _read(raw, locale) -> Decimal | str:
    """The parsed value, or the code of the reason it cannot be read."""
    if raw is None:
        return "not_a_number"
    if isinstance(raw, (int, Decimal)) and not isinstance(raw, bool):
        return Decimal(raw)
    if not isinstance(raw, str):
        return "not_a_number"
    text = raw.strip()
    if not text or len(text) > 40:
        return "not_a_number"
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:].strip()
    if not re.fullmatch(r"[0-9.,' \u00a0\u202f\u2009]+", text) or not text[0].isdigit():
        return "not_a_number"
    if locale is None and has_request_context():
        from flask_babel import get_locale
        locale = get_locale()
    decimal_symbol, group_symbol = _locale_symbols(locale)
    if _SPACES.search(text):
        # Spaces (and apostrophes) only group thousands, in threes, in the integer part.
        match = re.fullmatch(r"([0-9 \u00a0\u202f\u2009']+?)([.,][0-9]*)?", text)
        integer = _grouped(_SPACES.sub(" ", match.group(1)), " ") if match else None
        if integer is None:
            return "ambiguous_number"
        text = integer + (match.group(2) or "")
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        # Both: the last one is the decimal separator, the other groups thousands.
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        integer, _, fraction = text.rpartition(decimal_sep)
        if group_sep not in integer or decimal_sep in integer:
            return "ambiguous_number"
        integer = _grouped(integer, group_sep)
    elif dots + commas > 1:
        separator = "." if dots else ","
        integer = _grouped(text, separator)
        fraction = ""
    elif dots + commas == 1:
        separator = "." if dots else ","
        integer, _, fraction = text.partition(separator)
        if len(fraction) == 3 and integer and len(integer) <= 3:
            # 1.234: grouping or decimals? The reader's locale decides, or we ask.
            if separator == group_symbol and separator != decimal_symbol:
                integer, fraction = integer + fraction, ""
            elif separator != decimal_symbol:
                return "ambiguous_number"
    else:
        integer, fraction = text, ""
    if integer is None:
        return "ambiguous_number"
    if not integer or not integer.isascii() or not integer.isdigit() or (fraction and not fraction.isdigit()):
        return "not_a_number"
    try:
        value = Decimal(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")
    except InvalidOperation:
        return "not_a_number"
    return value if value.is_finite() else "not_a_number"


def amount(value, field: str | None, maximum: Decimal = MAX_AMOUNT, decimals: int = 2) -> Decimal:
    """An amount (a Decimal, or text as a person typed it) that is a number, not negative and at most
    ``maximum``, rounded to ``decimals`` places; otherwise a refusal beside ``field``."""
    parsed = value if isinstance(value, Decimal) else read_amount(
        value if isinstance(value, str) or value is None else str(value), field)
    if not parsed.is_finite():
        raise Refusal("not_a_number", field)
    if parsed < 0:
        raise Refusal("negative", field)
    if parsed > maximum:
        raise Refusal("too_large", field)
    if -parsed.as_tuple().exponent > decimals and parsed != parsed.quantize(Decimal(1).scaleb(-decimals)):
        raise Refusal("too_many_decimals", field, places=decimals)
    return parsed.quantize(Decimal(1).scaleb(-decimals))


# --- versions and ids ------------------------------------------------------------------------------

def parse_version(raw) -> int | None:
    """The version a form was opened with (its hidden field), or None when it is missing or not a plain
    number; a service then treats the save as unversioned only where that is safe (see check_version)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 <= raw <= _MAX_ID else None
    raw = (raw or "").strip() if isinstance(raw, str) else ""
    return int(raw) if _DIGITS.fullmatch(raw) and int(raw) <= _MAX_ID else None


def version_of(obj) -> int:
    """The version a form shows of ``obj`` (``exchange.db.Versioned``); 0 for a row not saved yet (a
    municipality's settings before anyone saved them: the defaults)."""
    return obj.version if obj is not None and obj.version is not None else 0


def check_version(obj, expected: int | None) -> None:
    """Refuse a save made from a stale form: the form carries the version it was opened with
    (``expected``; None: a save without a form, from the CLI or another service). ``obj`` None is a row
    not saved yet (version 0).

    A save racing this check is still caught by the version column itself (StaleDataError at flush).
    """
    if expected is not None and expected != version_of(obj):
        raise Conflict()


@contextmanager
def created_once() -> Iterator[None]:
    """Around the flush that creates a row from a form opened when there was none (version 0): when
    someone else created it meanwhile, the unique constraint refuses ours, which is a conflict too."""
    try:
        yield
    except IntegrityError:
        raise Conflict() from None


def parse_id(raw) -> int | None:
    """A positive database id from request input (a path, a query string, a select), else None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 < raw <= _MAX_ID else None
    raw = raw.strip() if isinstance(raw, str) else ""
    if not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= _MAX_ID else None


def parse_ids(values: Iterable | None) -> list[int]:
    """The valid ids among submitted values (blank members of a multi-select are skipped), in order,
    without duplicates. Whether each id may be used is the service's question."""
    seen: dict[int, None] = {}
    for raw in values or ():
        value = parse_id(raw)
        if value is not None:
            seen.setdefault(value, None)
    return list(seen)


# --- locales, currencies, dates ------------------------------------------------------------------

def check_locale(locale: str | None, field: str | None = "locale") -> str:
    """One of the configured interface languages."""
    if locale not in current_app.config["LANGUAGES"]:
        raise Refusal("unknown_locale", field)
    return locale


def check_currency(code: str | None, field: str | None = "currency") -> str:
    """An ISO 4217 code Babel knows (SEK, EUR, …), upper-cased."""
    code = (code or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or get_currency_name(code, locale="en") == code:
        raise Refusal("unknown_currency", field)
    return code


def check_date(value, field: str | None, required: bool = True) -> dt.date | None:
    """A date within the years the application accepts."""
    if value is None and not required:
        return None
    if not isinstance(value, dt.date):
        raise Refusal("required" if value in (None, "") else "not_a_date", field)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise Refusal("date_out_of_range", field, first=MIN_YEAR, last=MAX_YEAR)
    return value


def check_date_range(start: dt.date | None, end: dt.date | None, end_field: str | None = "end_date") -> None:
    """The end is not before the start (either may be open)."""
    if start is not None and end is not None and end < start:
        raise Refusal("end_before_start", end_field)
