"""Reads over translatable content, shared by every domain."""
from __future__ import annotations

from sqlalchemy import exists, select


def like_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` literally anywhere (``%`` and ``_`` escaped with ``\\``)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_matches(owner_model, term: str):
    """A WHERE clause: some language version of some translatable field of the owner contains ``term``
    (case-insensitive). Finds a project by its Swedish title from an Italian search box."""
    text_model = owner_model.texts.property.mapper.class_
    owner_fk = next(iter(owner_model.texts.property.remote_side))
    return exists(select(text_model.id).where(owner_fk == owner_model.id,
                                              text_model.text.ilike(like_pattern(term), escape="\\")))
