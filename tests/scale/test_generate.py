"""Issue 12: `flask demo scale N` fills N rows of every kind, and every page the benchmark times renders
on such a database (the benchmark's own page list, bench/pages.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select


@pytest.mark.committed
def test_demo_scale_fills_every_kind_and_the_key_pages_render(app):
    from bench.pages import key_pages, prepare, sign_in
    from exchange.extensions import db
    from exchange.i18n.catalog.models import CatalogMessage
    from exchange.partners.models import Organisation, PartnerNeed
    from exchange.projects.models import FundingLine, Project, ProjectComment, ProjectParticipation, ProjectText
    from exchange.visits.models import FollowUp, Participant, Visit
    from exchange.tenancy import all_municipalities

    result = app.test_cli_runner().invoke(args=["demo", "scale", "50"])
    assert result.exit_code == 0, result.output
    with app.app_context(), all_municipalities():  # platform check: counts over every municipality
        counts = {model: db.session.scalar(select(func.count()).select_from(model))
                  for model in (Organisation, Project, PartnerNeed, FundingLine, ProjectParticipation,
                                ProjectComment, Visit, CatalogMessage)}
        languages = set(db.session.scalars(select(ProjectText.locale).distinct()))
        assert db.session.scalar(select(func.count()).select_from(Participant)) >= 50
        assert db.session.scalar(select(func.count()).select_from(FollowUp)) > 0
    assert all(count >= 50 for count in counts.values()), counts
    assert {"sv", "de", "it"} <= languages

    ids = prepare(app)
    clients = {}
    for page in key_pages(ids):
        if page.reader not in clients:  # each page as its reader: Kungälv's account or the small town's
            clients[page.reader] = app.test_client()
            sign_in(clients[page.reader], page.reader)
        response = clients[page.reader].get(page.path)
        assert response.status_code == 200, (page.name, response.status_code)
        assert response.get_data()  # exports stream to the end


def test_the_matching_benchmark_fills_its_database_and_finds_partners(tmp_path):
    """bench.matching's own filler (Core inserts into the current schema) and its timed call: it must not
    rot when a column moves (funding notes became texts and broke it once)."""
    from bench.matching import fill, time_matching
    from exchange import create_app
    from tests.fixtures.core import make_test_config

    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'matching.db'}"))
    project_id = fill(app, 60, 20)
    seconds, found = time_matching(app, project_id, 1)
    assert found > 0 and seconds > 0
