"""Fixtures for the visit tests: themes, a factory for visits (through the real service) and lookups."""
from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def towns(app):
    """{slug: municipality id} of the three twin towns."""
    from exchange.extensions import db
    from exchange.municipalities.models import Municipality
    with app.app_context():
        return {m.slug: m.id for m in db.session.scalars(db.select(Municipality))}


@pytest.fixture
def themes(app):
    """The default theme taxonomy: {key: id}."""
    from exchange.extensions import db
    from exchange.themes.services import seed_defaults
    with app.app_context():
        rows = seed_defaults()
        db.session.commit()
        return {t.key: t.id for t in rows}


class Actor:
    """A stand-in for a signed-in user in service calls (services only read these attributes)."""

    def __init__(self, municipality_id: int, name: str = "Test coordinator", user_id: int | None = None):
        self.municipality_id = municipality_id
        self.name = name
        self.id = user_id
        self.is_authenticated = True


@pytest.fixture
def make_visit(in_scope, towns):
    """make_visit("perano", visitors=("kungalv",), start=date, …) → visit id, logged by the first slug's
    municipality through services.create_visit (host defaults to that municipality)."""

    def make(slug: str, visitors=("kungalv",), host: str | None = None, start: dt.date | None = None,
             days: int = 2, start_time: dt.time | None = None, end_time: dt.time | None = None,
             status: str = "confirmed", purpose: str = "Learn how the other town works.", locale: str = "sv",
             participants=(), follow_ups=(), lessons: str | None = None, theme_ids=(), project_ids=()) -> int:
        from exchange.visits import services
        start = start or dt.date(2024, 5, 3)
        with in_scope(slug) as session:
            actor = Actor(towns[slug])
            data = services.VisitData(
                host_id=towns[host or slug], visiting_ids={towns[v] for v in visitors}, start_date=start,
                end_date=start + dt.timedelta(days=days), start_time=start_time, end_time=end_time, status=status,
                purpose=purpose, purpose_locale=locale, theme_ids=set(theme_ids),
                project_ids=set(project_ids))
            visit = services.create_visit(data, actor)
            for town, name, organisation in participants:
                services.add_participant(visit, towns[town], name, organisation, "", actor)
            for action, owner, due in follow_ups:
                services.add_follow_up(visit, action, owner, due, "sv", actor)
            if lessons:
                services.set_lessons(visit, lessons, "sv", None, actor)
            session.commit()
            return visit.id
    return make


@pytest.fixture
def says(app):
    """says(response, msgid, **variables): the page shows this interface string in its own language
    (the translation when the catalog has one, else the English msgid)."""
    import re

    from flask_babel import force_locale, gettext

    from tests.conftest import text_of

    def check(response, msgid: str, **variables) -> bool:
        html = response.get_data(as_text=True)
        match = re.search(r'<html lang="([^"]+)"', html)
        lang = match.group(1) if match else "sv"
        with app.test_request_context("/"), force_locale(lang):
            expected = gettext(msgid, **variables)
        text = text_of(response)
        return expected in text or " ".join(expected.split()) in text
    return check
