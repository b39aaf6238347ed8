"""Reads over translatable content, shared by every domain."""
from __future__ import annotations

from sqlalchemy import select


def like_pattern(term: str) -> str:
    """A LIKE pattern matching ``term`` literally anywhere (``%`` and ``_`` escaped with ``\\``)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_matches(owner_model, term: str, *criteria, walk: bool = True, common: bool | None = None):
    """A WHERE clause: some language version of some translatable field of the owner (of those texts
    meeting ``criteria``, e.g. one field) contains ``term`` (case-insensitive). Finds a project by its
    Swedish title from an Italian search box.

    Its shape depends on how common the term is (exchange.i18n.search, issue 12); either way the owners
    found are the same:

    - rare: ``owner.id IN (owners of the texts the trigram index matches)``, at most the cap of them,
      which the list then sorts;
    - common: ``EXISTS (a text of this owner contains the term)``, tested on each owner the list meets
      while walking its own order index, so a page stops after about 20 / (share of owners matching) rows
      instead of collecting and sorting every match of the network.

    ``walk=False`` for a list whose order no index serves (it reads and sorts every row anyway): testing
    each of them would cost more than sorting the index's matches, so those are used whatever the term.
    ``common``: the caller's own ``is_common`` of the same texts, when it asked already.
    """
    from exchange.i18n.search import contains, is_common, per_row_exists, row_contains
    text_model = owner_model.texts.property.mapper.class_
    owner_fk = next(iter(owner_model.texts.property.remote_side))
    if common is None:
        common = walk and is_common(text_model, term, "text", *criteria)
    if walk and common:
        return per_row_exists(select(owner_fk).where(owner_fk == owner_model.id, *criteria,
                                                     row_contains(text_model.text, term)))
    return owner_model.id.in_(select(owner_fk).where(contains(text_model, term), *criteria))


def column_matches(model, term: str, column: str):
    """A WHERE clause: ``model.column`` contains ``term`` (case-insensitive), shaped like ``text_matches``
    by how common the term is: the index's few matches, or a test on each row the list walks past."""
    from exchange.i18n.search import contains, is_common, row_contains
    if is_common(model, term, column):
        return row_contains(getattr(model, column), term)
    return contains(model, term, column)
