"""What the generic security tests found, each pinned by a focused test (issue 11)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.fixtures.core import text_of


def _count(in_scope, model) -> int:
    with in_scope("kungalv") as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("blank", ["   ", "\t", "\u00a0 "])
def test_a_blank_required_choice_is_refused_not_a_server_error(client, login_as, make_project, in_scope, tr,
                                                               blank):
    """Found by the bad-input test: the invite form's required select sent as whitespace passed the
    required check (raw input not empty), skipped the choice check (blank) and reached the service as no
    municipality at all (500)."""
    from exchange.projects.models import ProjectParticipation
    project_id = make_project("kungalv", status="proposed")
    login_as("kungalv", "coordinator")
    response = client.post(f"/kungalv/projects/{project_id}/invite", data={"municipality": blank})
    assert response.status_code == 422
    assert tr("sv", "This field is required.") in text_of(response)
    assert _count(in_scope, ProjectParticipation) == 0


def test_a_blank_required_date_is_required_and_an_impossible_one_says_so(client, login_as, make_project, in_scope,
                                                                          tr):
    from exchange.projects.models import Milestone
    project_id = make_project("kungalv")
    login_as("kungalv", "coordinator")
    url = f"/kungalv/projects/{project_id}/plan/milestones"
    blank = client.post(url, data={"title": "Upphandling", "due_date": "  "})
    assert blank.status_code == 422 and tr("sv", "This field is required.") in text_of(blank)
    impossible = client.post(url, data={"title": "Upphandling", "due_date": "2026-02-30"})
    assert impossible.status_code == 422
    page = text_of(impossible)
    assert tr("sv", "Enter a date in the form YYYY-MM-DD, for example 2025-05-14.") in page
    assert tr("sv", "This field is required.") not in page  # the field's own message, not a generic one
    assert _count(in_scope, Milestone) == 0


@pytest.mark.parametrize("env, mail_server", [("production", None), ("development", "smtp.example.org")])
def test_the_development_mailbox_is_nowhere_but_development(app, client, env, mail_server):
    """The authorization walk leaves the development mailbox out: it shows every mail of the process to
    anyone, so it must not exist outside development without a mail server."""
    saved = app.config["ENV_NAME"], app.config.get("MAIL_SERVER")
    app.config["ENV_NAME"], app.config["MAIL_SERVER"] = env, mail_server
    try:
        assert client.get("/_dev/mailbox").status_code == 404
    finally:
        app.config["ENV_NAME"], app.config["MAIL_SERVER"] = saved
