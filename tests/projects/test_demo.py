"""The demo loader's projects: every status, several source languages, and idempotent."""
from __future__ import annotations

from sqlalchemy import func, select

from exchange.extensions import db


def test_demo_projects_cover_every_status_and_load_twice_without_change(app, in_scope):
    from exchange.demo import load_projects
    from exchange.demo import load
    from exchange.projects.models import Project
    from exchange.tenancy import all_municipalities
    with app.app_context():
        list(load("exchange-demo"))
        db.session.commit()
        again = list(load_projects())
        db.session.commit()
        assert not [line for line in again if "created project" in line]
        # The test looks across the network on purpose: drafts are private to their lead.
        with all_municipalities():
            projects = list(db.session.scalars(select(Project)))
            assert {p.status for p in projects} == {"draft", "proposed", "active", "completed", "withdrawn"}
            assert {p.source_locale() for p in projects} == {"sv", "de", "it"}
            assert db.session.scalar(select(func.count()).select_from(Project)) == len(projects)
