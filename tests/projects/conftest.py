"""Fixtures for project tests: the seeded theme taxonomy and a project factory that always takes the
lead municipality (and goes through the real services, so history and audit rows exist too)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest


@pytest.fixture
def themes(app):
    """The default theme taxonomy: {key: id}."""
    from exchange.extensions import db
    from exchange.themes.services import seed_defaults
    with app.app_context():
        seeded = {t.key: t.id for t in seed_defaults()}
        db.session.commit()
    return seeded


@dataclass
class Author:
    """A stand-in for the acting user in service calls made by fixtures."""
    id: int | None
    name: str
    municipality_id: int


@pytest.fixture
def make_project(app, in_scope, themes):
    """make_project("kungalv", status="proposed", title="…", locale="sv", participants=["perano"]) → id."""

    def make(lead: str, status: str = "draft", title: str = "Solenergi på skolorna", locale: str = "sv",
             summary: str = "Skolor delar erfarenheter av solpaneler.", description: str = "",
             translations: dict | None = None, theme_keys=("climate-energy",), areas=("own_operations",),
             participants=(), start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31)) -> int:
        from exchange.projects import services
        from exchange.projects.models import ProjectStatus
        from exchange.municipalities.queries import by_slug
        from exchange.projects.queries import get_project
        with in_scope(lead) as session:
            lead_id = by_slug(lead).id
            author = Author(None, f"Author of {lead}", lead_id)
            texts = {locale: {"title": title, "summary": summary, "description": description}}
            texts.update(translations or {})
            project = services.create_project(author, services.ProjectInput(
                locale=locale, texts=texts, priority_areas=list(areas),
                theme_ids=[themes[k] for k in theme_keys], start_date=start, end_date=end,
                sustainability={"ecological": "Mindre utsläpp."}))
            project_id = project.id
            if status == "withdrawn":
                services.change_status(project, author, ProjectStatus.WITHDRAWN, reason="Ändrade planer.")
            elif status != "draft":
                services.change_status(project, author, ProjectStatus.PROPOSED)
            session.commit()
        # Each invited municipality answers in its own scope, as its coordinator would.
        for slug in participants:
            with in_scope(lead) as session:
                services.invite(get_project(project_id), by_slug(slug), author)
                session.commit()
            with in_scope(slug) as session:
                project = get_project(project_id)
                services.decide(project.participation_of(by_slug(slug).id),
                                Author(None, f"Coordinator of {slug}", by_slug(slug).id), True)
                session.commit()
        with in_scope(lead) as session:
            for step in {"active": ["active"], "completed": ["active", "completed"]}.get(status, []):
                services.change_status(get_project(project_id), author, ProjectStatus(step))
            session.commit()
        return project_id
    return make
