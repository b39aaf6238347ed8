"""Workbench fixtures: the shipped catalogs synced into the live store, and acting users as ORM objects."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from tests.i18n.test_catalogs import ROOT

LOCALES = ("sv", "de", "it")


def shipped(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


@pytest.fixture
def synced(app):
    """The live store filled from the shipped catalogs (what `flask translations sync` does)."""
    from exchange.extensions import db
    from exchange.workbench.services import sync_catalog
    with app.app_context():
        for locale in LOCALES:
            sync_catalog(shipped(locale), locale)
        db.session.commit()
    return app


@pytest.fixture
def actor(in_scope):
    """``with actor(account) as user:`` the account's User inside its municipality's scope."""
    import contextlib

    @contextlib.contextmanager
    def load(account):
        from exchange.auth.models import User
        with in_scope(account.slug) as session:
            yield session.get(User, account.id)
    return load


@pytest.fixture
def message_id(app):
    """message_id("sv", "E-mail address") → the id of that live message."""
    def find(locale: str, msgid: str) -> int:
        from sqlalchemy import select
        from exchange.extensions import db
        from exchange.workbench.models import CatalogMessage
        with app.app_context():
            return db.session.scalar(select(CatalogMessage.id).where(CatalogMessage.locale == locale,
                                                                     CatalogMessage.msgid == msgid))
    return find


@pytest.fixture
def tr(app):
    """tr("sv", msgid, **variables) → the text as the app shows it (whitespace collapsed like text_of).

    Assertions name the msgid, so they keep passing when the catalogs are translated."""
    import re

    from flask_babel import force_locale, gettext, ngettext

    def translate(locale: str, msgid: str, plural: str | None = None, num: int | None = None, **variables) -> str:
        with app.test_request_context("/"), force_locale(locale):
            text = ngettext(msgid, plural, num, **variables) if plural else gettext(msgid, **variables)
        return re.sub(r"\s+", " ", text).strip()
    return translate


@pytest.fixture
def problem_text(app):
    """The start of the message shown for a failing check (up to its first variable part)."""
    def text(locale: str, code: str) -> str:
        from flask_babel import force_locale
        from exchange.workbench.validation import Problem
        from exchange.workbench.views import problem_message
        with app.test_request_context("/"), force_locale(locale):
            return problem_message(Problem(code, None, ("\x00",))).split("\x00")[0].split("%")[0][:30]
    return text


# Projects are the first owners of user content: reuse the projects tests' factory (real services).
from tests.projects.conftest import make_project, themes  # noqa: E402,F401


@pytest.fixture
def edit_source(app, in_scope):
    """edit_source("kungalv", project_id, "description", "new text") — the author changes the original."""
    def edit(slug: str, project_id: int, field: str, text: str) -> None:
        from exchange.i18n.services import set_source
        from exchange.projects.queries import get_project
        from tests.projects.conftest import Author
        with in_scope(slug) as session:
            project = get_project(project_id)
            set_source(project, field, text, project.source_locale(field), Author(None, "Author", project.lead_municipality_id))
            session.commit()
    return edit
