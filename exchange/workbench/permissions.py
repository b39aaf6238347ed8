"""Who may use the workbench. Used by views (403) and templates (``can.workbench.<verb_thing>(…)``).

Translators and admins work in the workbench; staff and coordinators do not. An admin may limit a
translator of their own municipality to some locales (TranslatorLanguages); admins are never limited.
User content is translated only where the translator's municipality may read it on the owner's own page
(``Translatable.content_readable_*``: a visit's purpose only by the host and the visitors).
"""
from __future__ import annotations

from flask import current_app, g
from sqlalchemy import false
from sqlalchemy.sql.elements import True_

from exchange.auth.models import Role
from exchange.auth.permissions import is_signed_in


def can_use_workbench(user) -> bool:
    return is_signed_in(user) and user.has_role(Role.TRANSLATOR, Role.ADMIN)


def allowed_locales(user) -> list[str]:
    """The locales the user may translate into, in the configured order (remembered per request)."""
    if not can_use_workbench(user):
        return []
    languages = list(current_app.config["LANGUAGES"])
    if user.has_role(Role.ADMIN):
        return languages
    cache = g.setdefault("_workbench_locales", {})
    if user.id not in cache:
        from exchange.workbench.queries import translator_locales
        limit = translator_locales(user)
        cache[user.id] = [code for code in languages if limit is None or code in limit]
    return cache[user.id]


def can_translate(user, locale: str) -> bool:
    """Edit, approve, publish, import and export the catalog of ``locale``; translate content into it."""
    return locale in allowed_locales(user)


def can_approve(user, message) -> bool:
    """A translated, not yet approved message, approved by someone other than its last editor."""
    return (can_translate(user, message.locale) and message.state == "translated" and not message.is_approved
            and not message.obsolete and not message.last_edited_by(user))


def can_set_translator_locales(user, target=None) -> bool:
    """Admins limit the translators of their own municipality (the scope keeps them there)."""
    if not (is_signed_in(user) and user.has_role(Role.ADMIN)):
        return False
    return target is None or (target.municipality_id == user.municipality_id and target.has_role(Role.TRANSLATOR))


def can_read_content(user, owner) -> bool:
    """The user's municipality may read ``owner``'s translatable texts (as on the owner's page)."""
    return can_use_workbench(user) and owner.content_readable_by(user.municipality_id)


def content_clause(user, owner_model):
    """The SQL form of can_read_content() for the queue's listing of ``owner_model`` (None: no narrowing)."""
    if not can_use_workbench(user):
        return false()
    criteria = owner_model.content_readable_criteria(user.municipality_id)
    return None if isinstance(criteria, True_) else criteria


def content_owner_ids(user, owner_model):
    """The ids of the owners content_clause() lets through, as a select, when the reader's municipality
    reads few of many (``Translatable.content_readable_ids``); None otherwise."""
    if not can_use_workbench(user):
        return None
    return owner_model.content_readable_ids(user.municipality_id)
