"""Two people work on the same project plan at once (issue 11 "Concurrency", DESIGN.md §4): every button
of the plan carries the version of the row it acts on. A milestone marked or removed from a page shown
before someone else changed it is a 409 and changes nothing; a funding line or contact person removed
twice is removed once; a removal racing another save fails at the version column (409, nothing lost).
SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.fixtures.core import actor_of, text_of
from tests.fixtures.forms import submitted

ONE_CLICK_CONFLICT = ("Someone else saved this in the meantime, so your change has not been saved. Check the current "
                      "state below and try again.")


@pytest.fixture
def plan(make_project, in_scope):
    """A proposed Kungälv project with a milestone, a funding line and a contact person: {kind: id}."""
    from exchange.projects import services
    from exchange.projects.queries import get_project
    project_id = make_project("kungalv", status="proposed")
    with in_scope("kungalv") as session:
        project, author = get_project(project_id), actor_of("kungalv")
        milestone = services.add_milestone(project, author, "Förstudie klar", dt.date(2025, 6, 1), "sv")
        line = services.add_funding_line(project, author, author.municipality_id, "municipal", "SEK", amount="5000")
        contact = services.add_contact(project, author, author.municipality_id, "Johan Berg", "samordnare")
        session.commit()
        return {"project": project_id, "milestones": milestone.id, "funding": line.id, "contacts": contact.id}


def _row(in_scope, model_name: str, row_id: int):
    """A plan row as saved now (None when it is gone), detached."""
    from exchange.projects import models
    with in_scope("kungalv") as session:
        row = session.get(getattr(models, model_name), row_id)
        if row is not None:
            session.expunge(row)
        return row


def _buttons(client, project_id: int, path: str) -> dict:
    return submitted(client.get(f"/kungalv/projects/{project_id}/plan").get_data(as_text=True), path)


@pytest.mark.parametrize("first_action, second_action", [("done", "delete"), ("done", "done"), ("delete", "done")])
def test_a_milestone_button_shown_before_someone_else_changed_it_is_a_409(sign_in, plan, in_scope, says,
                                                                          first_action, second_action):
    project_id, milestone_id = plan["project"], plan["milestones"]
    base = f"/kungalv/projects/{project_id}/plan/milestones/{milestone_id}"
    first, second = sign_in("kungalv", "coordinator"), sign_in("kungalv", "coordinator")
    # Both have the plan open: each button carries the milestone's version.
    seen_first = _buttons(first, project_id, f"/milestones/{milestone_id}/{first_action}")
    seen_second = _buttons(second, project_id, f"/milestones/{milestone_id}/{second_action}")
    assert seen_first["version"] == seen_second["version"] == ["1"]

    assert first.post(f"{base}/{first_action}", data=seen_first).status_code == 302
    response = second.post(f"{base}/{second_action}", data=seen_second)
    milestone = _row(in_scope, "Milestone", milestone_id)
    if first_action == "delete":
        # Nothing left to act on: the milestone is gone, for everyone (as an unknown id is).
        assert response.status_code == 404 and milestone is None
        return
    assert response.status_code == 409 and says(response, ONE_CLICK_CONFLICT)
    assert milestone is not None and milestone.done and milestone.version == 2  # marked once, not removed
    # The plan answering the conflict shows the milestone as saved now; its button acts on that version.
    fresh = submitted(response.get_data(as_text=True),
                      f"/milestones/{milestone_id}/{'open' if second_action == 'done' else 'delete'}")
    assert fresh["version"] == ["2"]


@pytest.mark.parametrize("part, model", [("funding", "FundingLine"), ("contacts", "ProjectContact")])
def test_a_row_removed_twice_is_removed_once(sign_in, plan, in_scope, part, model):
    from exchange.audit.models import AuditEntry
    project_id, row_id = plan["project"], plan[part]
    url = f"/kungalv/projects/{project_id}/plan/{part}/{row_id}/delete"
    first, second = sign_in("kungalv", "coordinator"), sign_in("kungalv", "coordinator")
    buttons = [_buttons(c, project_id, f"/{part}/{row_id}/delete") for c in (first, second)]
    assert buttons[0]["version"] == buttons[1]["version"] == ["1"]
    assert first.post(url, data=buttons[0]).status_code == 302
    assert second.post(url, data=buttons[1]).status_code == 404
    assert _row(in_scope, model, row_id) is None
    with in_scope("kungalv") as session:
        removals = session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                  .where(AuditEntry.action.like("project.%_delete")))
    assert removals == 1


def test_the_second_answer_to_the_same_invitation_is_a_409_not_a_dead_end(sign_in, make_project, in_scope, says):
    """Two coordinators of the invited municipality have the project open; one accepts, then the other
    declines from the same page: a conflict (nothing changes), not a 403."""
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.models import ProjectParticipation
    from exchange.projects.queries import get_project
    project_id = make_project("kungalv", status="proposed")
    with in_scope("kungalv") as session:
        participation = services.invite(get_project(project_id), by_slug("perano"), actor_of("kungalv"))
        session.commit()
        participation_id = participation.id
    url = f"/perano/projects/{project_id}/participations/{participation_id}/decide"
    first, second = sign_in("perano", "coordinator"), sign_in("perano", "coordinator")
    forms = [submitted(c.get(f"/perano/projects/{project_id}").get_data(as_text=True), "/decide") for c in (first, second)]
    assert forms[0]["version"] == forms[1]["version"] == ["1"]
    assert first.post(url, data={**forms[0], "decision": "accept"}).status_code == 302
    stale = second.post(url, data={**forms[1], "decision": "decline"})
    assert stale.status_code == 409
    with in_scope("perano") as session:
        assert session.get(ProjectParticipation, participation_id).status == "accepted"
    # Another municipality's coordinator is still refused outright.
    third = sign_in("hiddenhausen", "coordinator")
    assert third.post(f"/hiddenhausen/projects/{project_id}/participations/{participation_id}/decide",
                      data={**forms[1], "decision": "decline"}).status_code == 403


@pytest.mark.parametrize("version", ["", "abc", "²", "0", "9" * 5000])
def test_a_plan_button_without_the_current_version_changes_nothing(client, login_as, plan, in_scope, version):
    login_as("kungalv", "coordinator")
    base = f"/kungalv/projects/{plan['project']}/plan"
    assert client.post(f"{base}/milestones/{plan['milestones']}/done", data={"version": version}).status_code == 409
    assert client.post(f"{base}/funding/{plan['funding']}/delete", data={"version": version}).status_code == 409
    assert client.post(f"{base}/contacts/{plan['contacts']}/delete", data={"version": version}).status_code == 409
    assert not _row(in_scope, "Milestone", plan["milestones"]).done
    assert _row(in_scope, "FundingLine", plan["funding"]) is not None
    assert _row(in_scope, "ProjectContact", plan["contacts"]) is not None


@pytest.mark.committed
@pytest.mark.parametrize("part, path, model, table", [
    ("milestones", "milestones/{id}/done", "Milestone", "project_milestones"),
    ("milestones", "milestones/{id}/delete", "Milestone", "project_milestones"),
    ("funding", "funding/{id}/delete", "FundingLine", "project_funding_lines"),
    ("contacts", "contacts/{id}/delete", "ProjectContact", "project_contacts"),
])
def test_a_plan_change_racing_another_save_fails_at_the_version_column(app, client, login_as, plan, in_scope,
                                                                        monkeypatch, says, part, path, model, table):
    """The button is up to date when the request checks it; another worker saves the row before our write:
    our UPDATE (or DELETE) finds no row at the version we read, and the request kit answers 409."""
    from exchange.extensions import db
    from exchange.projects.services import plan as plan_services
    row_id = plan[part]
    login_as("kungalv", "coordinator")
    button = _buttons(client, plan["project"], "/" + path.format(id=row_id))
    real_check = plan_services.check_version

    def check_then_lose_the_race(obj, expected):
        real_check(obj, expected)
        with db.engine.begin() as conn:
            conn.execute(sa.text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id})

    monkeypatch.setattr(plan_services, "check_version", check_then_lose_the_race)
    response = client.post(f"/kungalv/projects/{plan['project']}/plan/" + path.format(id=row_id), data=button)
    assert response.status_code == 409 and says(response, ONE_CLICK_CONFLICT)
    row = _row(in_scope, model, row_id)
    assert row is not None and row.version == 2  # not removed, not marked: the other save stands
    assert getattr(row, "done", False) is False
    assert "Förstudie klar" in text_of(response) or part != "milestones"
