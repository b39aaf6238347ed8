"""Reads over translatable content, shared by every domain."""
from __future__ import annotations

from sqlalchemy import select


def like_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` literally anywhere (``%`` and ``_`` escaped with ``\\``)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_matches(owner_model, term: str):
    """A WHERE clause: some language version of some translatable field of the owner contains ``term``
    (case-insensitive). Finds a project by its Swedish title from an Italian search box."""
    from exchange.i18n.search import contains
    text_model = owner_model.texts.property.mapper.class_
    owner_fk = next(iter(owner_model.texts.property.remote_side))
    # ``IN (matching owners)``, not a correlated EXISTS per owner: the matching texts come from the
    # trigram index (exchange.i18n.search) instead of a LIKE over every text of every owner.
    return owner_model.id.in_(select(owner_fk).where(contains(text_model, term)))
