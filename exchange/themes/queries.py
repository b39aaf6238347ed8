"""Reads of the global theme taxonomy."""
from __future__ import annotations

from sqlalchemy import select

from exchange.extensions import db
from exchange.i18n.formatting import collation_key
from exchange.themes.models import Theme


def active_themes(locale: str | None = None) -> list[Theme]:
    """The themes people can choose, in the taxonomy's order (or by name in ``locale`` when given)."""
    themes = list(db.session.scalars(select(Theme).where(Theme.active.is_(True))
                                     .order_by(Theme.position, Theme.id)))
    if locale:
        themes.sort(key=lambda t: name_sort_key(t.name(locale), locale))
    return themes


def by_ids(ids) -> list[Theme]:
    """The active themes with these ids (unknown ids are simply absent: callers compare lengths)."""
    ids = {int(i) for i in ids}
    if not ids:
        return []
    return list(db.session.scalars(select(Theme).where(Theme.id.in_(ids), Theme.active.is_(True))
                                   .order_by(Theme.position, Theme.id)))


def choices(locale: str) -> list[tuple[str, str]]:
    """(id, name in the reader's language) pairs for form fields, sorted by name in that language."""
    return [(str(t.id), t.name(locale)) for t in active_themes(locale)]


def name_sort_key(text: str, locale: str) -> str:
    """A sort key in the reader's alphabet (in Swedish å, ä, ö come after z): the shared collation."""
    return collation_key(text, locale)
