"""Helpers every domain's views share: the load (404) and permission (403) steps of DESIGN.md §2."""
from __future__ import annotations

from typing import TypeVar

from flask import abort

from exchange.extensions import db

T = TypeVar("T")


def require(allowed: bool) -> None:
    """403 unless the permission predicate allowed it (the object was already loaded in scope)."""
    if not allowed:
        abort(403)


def found_or_404(obj: T | None) -> T:
    """The object a scoped query found, or 404: another municipality's object is simply not found."""
    if obj is None:
        abort(404)
    return obj


def child_or_404(model: type[T], child_id: int, parent) -> T:
    """A child row (``__tenancy__ = "child"``) by id, only when it hangs off ``parent``: an id that
    belongs to another project or visit answers 404, not someone else's row."""
    child = db.session.get(model, child_id)
    if child is None or getattr(child, model.tenancy_parent) is not parent:
        abort(404)
    return child
