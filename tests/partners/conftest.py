"""Fixtures for partner tests: the theme taxonomy, and factories for organisations, projects and partner
needs that always take the owning municipality and go through the real services."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest


@dataclass
class Author:
    """A stand-in for the acting user in service calls made by fixtures."""
    id: int | None
    name: str
    municipality_id: int


@pytest.fixture
def themes(app):
    """The default theme taxonomy: {key: id}."""
    from exchange.extensions import db
    from exchange.themes.services import seed_defaults
    with app.app_context():
        seeded = {t.key: t.id for t in seed_defaults()}
        db.session.commit()
    return seeded


def author_of(slug: str) -> Author:
    from exchange.municipalities.queries import by_slug
    return Author(None, f"Staff of {slug}", by_slug(slug).id)


@pytest.fixture
def make_org(in_scope, themes):
    """make_org("perano", "Frantoio", type="business", offers=("tourism",), languages=("it",)) → id."""

    def make(slug: str, name: str, type: str = "association", offers=("tourism",), seeks=(), languages=("en",),
             description: str = "", locale: str = "sv", contact: dict | None = None,
             confirmed: dt.date | None = None, active: bool = True) -> int:
        from exchange.partners import services
        with in_scope(slug) as session:
            org = services.create_organisation(author_of(slug), services.OrganisationInput(
                name=name, type=type, locale=locale, description=description,
                offers=[themes[k] for k in offers], seeks=[themes[k] for k in seeks], languages=list(languages),
                contact=services.ContactInput(**contact) if contact else None))
            if confirmed is not None:
                org.last_confirmed_on = confirmed
            if not active:
                org.active = False
            session.commit()
            return org.id
    return make


@pytest.fixture
def make_project(in_scope, themes):
    """make_project("hiddenhausen", theme_keys=("tourism",), status="proposed", leader=True) → id."""

    def make(lead: str, status: str = "proposed", title: str = "Ländlicher Tourismus", locale: str = "de",
             theme_keys=("tourism",), participants=(), leader: bool = False) -> int:
        from exchange.municipalities.queries import by_slug
        from exchange.projects import services
        from exchange.projects.models import ProjectStatus
        from exchange.projects.queries import get_project
        with in_scope(lead) as session:
            author = author_of(lead)
            project = services.create_project(author, services.ProjectInput(
                locale=locale, texts={locale: {"title": title, "summary": "", "description": ""}},
                priority_areas=["growth"], theme_ids=[themes[k] for k in theme_keys]))
            project_id = project.id
            if status != "draft":
                services.change_status(project, author, ProjectStatus.PROPOSED)
            if leader:
                services.add_funding_line(project, author, author.municipality_id, "eu_leader",
                                          by_slug(lead).currency, amount="10000")
            session.commit()
        for slug in participants:
            with in_scope(lead) as session:
                services.invite(get_project(project_id), by_slug(slug), author_of(lead))
                session.commit()
            with in_scope(slug) as session:
                project = get_project(project_id)
                services.decide(project.participation_of(by_slug(slug).id), author_of(slug), True)
                session.commit()
        if status in ("active", "completed"):
            with in_scope(lead) as session:
                for step in ["active"] + (["completed"] if status == "completed" else []):
                    services.change_status(get_project(project_id), author_of(lead), ProjectStatus(step))
                session.commit()
        return project_id
    return make


@pytest.fixture
def make_need(in_scope, themes):
    """make_need(project_id, "hiddenhausen", theme_keys=("tourism",), types=("association",)) → id."""

    def make(project_id: int, lead: str, theme_keys=("tourism",), types=None, role: str = "co_applicant",
             origin: str = "any", origin_municipality: str | None = None, origin_country: str | None = None) -> int:
        from exchange.municipalities.queries import by_slug
        from exchange.partners import queries, services
        from exchange.partners.models import OrganisationType
        with in_scope(lead) as session:
            need = services.add_need(queries.get_project(project_id), author_of(lead), services.NeedInput(
                role=role, theme_ids=[themes[k] for k in theme_keys],
                types=list(types or [t.value for t in OrganisationType]), origin=origin,
                origin_municipality_id=by_slug(origin_municipality).id if origin_municipality else None,
                origin_country=origin_country))
            session.commit()
            return need.id
    return make


@pytest.fixture
def sign_in(app, make_user):
    """sign_in("perano", "coordinator") → a new test client signed in as a new account with these roles
    (one client per person, so two people of one municipality never share a session)."""
    from tests.conftest import login

    def do(slug: str, *roles: str, **kwargs):
        client = app.test_client()
        response = login(client, make_user(slug, *roles, **kwargs))
        assert response.status_code == 302
        return client
    return do
