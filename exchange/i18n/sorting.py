"""Sorting in the reader's alphabet, by the database (issue 12).

A list sorted by a name or a title must sort like its reader's language does (å, ä, ö after z in Swedish;
ä with a in German; accents ignored in Italian) and still be paginated by the database, so every owner that
is sorted by a text stores one *sort key* per configured locale: the collation key of the text a reader
of that locale sees. Keys are compared byte by byte ("C" collation on PostgreSQL, SQLite's BINARY), so an
index on (locale, key, owner id) serves ``ORDER BY key, id`` on both databases, and the same order comes
out of both.

The keys are written in the same transaction as the text they are computed from: by the content services
(``exchange.i18n.services``) whenever an original or a translation of the sorted field changes, by the
partner services when an organisation is renamed, by the data generator and by the migration that
backfilled them. ``sort_key`` is the one collation function of the application.
"""
from __future__ import annotations

import unicodedata

from flask import current_app
from sqlalchemy import String

# Letters some alphabets sort after z (in this order); elsewhere they sort with their base letter.
_ALPHABET_TAIL = {"sv": "åäöæø", "fi": "åäö", "da": "æøå", "nb": "æøå", "nn": "æøå", "no": "æøå"}
# Byte-ordered stand-ins after "z" (stored in a column compared byte by byte: "C" collation on PostgreSQL,
# SQLite's default BINARY), so the database itself sorts and pagination stays correct.
_TAIL_MARKS = "{|}~"

SORT_KEY_TYPE = String(255).with_variant(String(255, collation="C"), "postgresql")


def sort_key(name: str, locale: str | None = None) -> str:
    """The key that sorts ``name`` in the alphabet of ``locale``: case and accents ignored, except the
    letters that alphabet puts after z (å, ä, ö in Swedish). Without a locale: the neutral order."""
    tail = _ALPHABET_TAIL.get((locale or "").split("_")[0], "")
    out = []
    for char in name.casefold():
        if char in tail:
            index = tail.index(char)
            out.append("z" + _TAIL_MARKS[min(index, len(_TAIL_MARKS) - 1)] + str(index))
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)))
    return "".join(out)[:255]


def sort_locales() -> tuple[str, ...]:
    """The locales whose alphabet differs from the neutral order."""
    return tuple(_ALPHABET_TAIL)


def keyed_locales() -> tuple[str, ...]:
    """The locales that get a stored sort key: every configured language (a reader's locale is one)."""
    return tuple(current_app.config["LANGUAGES"])


def write_keys(rows: list, make_row, keys: dict[str, str]) -> None:
    """Make an owner's collection of per-locale key rows (objects with ``locale`` and ``key``) hold exactly
    ``keys`` ({locale: key}), updating rows in place rather than replacing them (re-inserting the same
    primary key in one flush would collide with the row being deleted)."""
    wanted = dict(keys)
    for row in list(rows):
        if row.locale not in wanted:
            rows.remove(row)
        elif row.key != (key := wanted.pop(row.locale)):
            row.key = key
    rows.extend(make_row(locale, key) for locale, key in sorted(wanted.items()))


def refresh_text_keys(owner) -> None:
    """Recompute the sort keys of a ``Translatable`` owner sorted by one of its texts (``SORT_FIELD``): for
    each locale, the key of what a reader of that locale sees there (their language, else the original)."""
    field = type(owner).SORT_FIELD
    if field is None:
        return
    model = type(owner).sort_keys.property.mapper.class_
    write_keys(owner.sort_keys, lambda locale, key: model(locale=locale, key=key),
               {locale: sort_key(owner.plain(field, locale), locale) for locale in keyed_locales()})
