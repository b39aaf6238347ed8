"""Project services: visibility through the scope, the lifecycle, joining, content languages, funding,
conflicts and the audit log. Every test runs on SQLite and (when configured) PostgreSQL."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from exchange.extensions import db
from tests.fixtures.core import Actor


def _author(slug: str, name: str = "Someone"):
    from exchange.municipalities.queries import by_slug
    return Actor(by_slug(slug).id, name)


def _project(project_id):
    from exchange.projects.queries import get_project
    return get_project(project_id)


# --- visibility -----------------------------------------------------------------------------------

def test_a_draft_is_visible_only_to_its_lead_until_it_is_proposed(in_scope, make_project):
    project_id = make_project("kungalv")
    with in_scope("kungalv"):
        assert _project(project_id) is not None
    for other in ("perano", "hiddenhausen"):
        with in_scope(other):
            assert _project(project_id) is None
    from exchange.projects import services
    with in_scope("kungalv") as session:
        services.change_status(_project(project_id), _author("kungalv"), "proposed")
        session.commit()
    with in_scope("perano"):
        assert _project(project_id) is not None


def test_child_rows_of_a_hidden_draft_are_hidden_too(in_scope, make_project):
    from exchange.projects.models import FundingLine, ProjectEvent, ProjectText
    project_id = make_project("kungalv")
    with in_scope("perano") as session:
        for model in (ProjectText, ProjectEvent, FundingLine):
            assert session.scalar(select(func.count()).select_from(model)) == 0
    with in_scope("kungalv") as session:
        assert session.scalar(select(func.count()).select_from(ProjectText)) > 0


def test_a_draft_withdrawn_before_it_was_proposed_stays_private(in_scope, make_project):
    project_id = make_project("kungalv", status="withdrawn")
    with in_scope("perano"):
        assert _project(project_id) is None
    with in_scope("kungalv"):
        assert _project(project_id).status == "withdrawn"


def test_a_withdrawn_project_that_was_proposed_stays_visible_with_its_history(in_scope, make_project):
    from exchange.projects import services
    project_id = make_project("hiddenhausen", status="proposed", locale="de", title="Dorfladen")
    with in_scope("hiddenhausen") as session:
        services.change_status(_project(project_id), _author("hiddenhausen"), "withdrawn", reason="Keine Mittel")
        session.commit()
    with in_scope("perano"):
        project = _project(project_id)
        assert project.status == "withdrawn"
        assert [e.to_status for e in project.events if e.kind == "status"] == ["proposed", "withdrawn"]
        assert project.events[-1].reason == "Keine Mittel"


# --- lifecycle --------------------------------------------------------------------------------------

def test_lifecycle_steps_are_checked_and_withdrawing_needs_a_reason(in_scope, make_project):
    from exchange.projects import services
    from exchange.errors import Refusal
    project_id = make_project("kungalv")
    with in_scope("kungalv") as session:
        project = _project(project_id)
        with pytest.raises(Refusal) as exc:
            services.change_status(project, _author("kungalv"), "completed")
        assert exc.value.code == "invalid_transition"
        with pytest.raises(Refusal) as exc:
            services.change_status(project, _author("kungalv"), "withdrawn", reason="  ")
        assert exc.value.code == "required"
        services.change_status(project, _author("kungalv"), "proposed")
        services.change_status(project, _author("kungalv"), "active")
        services.change_status(project, _author("kungalv"), "completed")
        session.commit()
        assert project.published_at is not None
        with pytest.raises(Refusal):
            services.change_status(project, _author("kungalv"), "withdrawn", reason="late")


def test_every_change_is_in_the_actors_audit_log(in_scope, make_project):
    from exchange.audit.models import AuditEntry
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    with in_scope("kungalv") as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"project.create", "project.status", "project.invite"} <= actions
    with in_scope("perano") as session:
        # Perano's coordinator accepted the invitation: that is in Perano's log, not Kungälv's.
        assert set(session.scalars(select(AuditEntry.action))) == {"project.accept"}
        entry = session.scalar(select(AuditEntry))
        assert entry.object_id == project_id


# --- content in three languages ---------------------------------------------------------------------

def test_reader_sees_own_language_or_the_original_with_its_language(in_scope, make_project):
    project_id = make_project("kungalv", status="proposed", title="Solenergi", locale="sv",
                              translations={"it": {"title": "Energia solare"}})
    with in_scope("perano"):
        project = _project(project_id)
        assert project.display("title", "it").text == "Energia solare"
        shown = project.display("title", "de")
        assert (shown.text, shown.lang, shown.is_fallback) == ("Solenergi", "sv", True)
        # A field nobody translated falls back to the original too, never to an empty text.
        assert project.display("summary", "it").lang == "sv"


def test_editing_the_original_marks_translations_outdated_and_keeps_them(in_scope, make_project, themes):
    from exchange.projects import services
    from exchange.i18n.models import ContentStatus
    project_id = make_project("kungalv", title="Solenergi", translations={"it": {"title": "Energia solare"},
                                                                          "de": {"title": "Solarenergie"}})
    with in_scope("kungalv") as session:
        project = _project(project_id)
        data = services.ProjectInput(
            locale="sv", texts={"sv": {"title": "Solenergi i skolan", "summary": "Ny.", "description": ""},
                                "it": {"title": "Energia solare"},  # unchanged: stays outdated
                                "de": {"title": "Solarenergie in der Schule"}},  # rewritten now: fresh
            priority_areas=["growth"], theme_ids=[themes["schools-youth"]])
        services.update_project(project, _author("kungalv"), data, project.version)
        session.commit()
        project = _project(project_id)
        assert project.status_of("title", "it") == ContentStatus.OUTDATED
        assert project.display("title", "it").text == "Energia solare"
        assert project.display("title", "it").is_outdated
        assert project.status_of("title", "de") == ContentStatus.TRANSLATED
        assert project.status_of("title", "sv") == ContentStatus.SOURCE
        assert [t.key for t in project.themes] == ["schools-youth"]
        assert [a.value for a in project.priority_areas] == ["growth"]


# --- conflicts -----------------------------------------------------------------------------------------

def _input(themes, title="Ny titel"):
    from exchange.projects import services
    return services.ProjectInput(locale="sv", texts={"sv": {"title": title, "summary": "", "description": ""}},
                                 priority_areas=["own_operations"], theme_ids=[themes["tourism"]])


def test_a_stale_version_is_refused_not_overwritten(in_scope, make_project, themes):
    from exchange.projects import services
    from exchange.errors import Conflict
    project_id = make_project("kungalv", title="Original")
    with in_scope("kungalv") as session:
        project = _project(project_id)
        opened = project.version
        services.update_project(project, _author("kungalv", "First"), _input(themes, "First save"), opened)
        session.commit()
    with in_scope("kungalv") as session:
        project = _project(project_id)
        with pytest.raises(Conflict):
            services.update_project(project, _author("kungalv", "Second"), _input(themes, "Second save"), opened)
        session.rollback()
        assert _project(project_id).plain("title", "sv") == "First save"


@pytest.mark.committed
def test_a_save_racing_another_one_fails_at_the_version_column(app, in_scope, make_project, themes):
    from sqlalchemy.orm.exc import StaleDataError
    from exchange.projects import services
    project_id = make_project("kungalv", title="Original")
    with in_scope("kungalv") as session:
        project = _project(project_id)
        opened = project.version
        # Another worker saves between our read and our write.
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE projects SET version = version + 1 WHERE id = :id"), {"id": project_id})
        with pytest.raises(StaleDataError):
            services.update_project(project, _author("kungalv"), _input(themes, "Lost?"), opened)
            session.flush()
        session.rollback()
        assert _project(project_id).plain("title", "sv") == "Original"


# --- joining --------------------------------------------------------------------------------------------

def test_invite_accept_and_request_decline(in_scope, make_project):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.errors import Refusal
    project_id = make_project("kungalv", status="proposed")
    with in_scope("kungalv") as session:
        project = _project(project_id)
        services.invite(project, by_slug("perano"), _author("kungalv"), message="Välkomna!")
        with pytest.raises(Refusal) as exc:
            services.invite(project, by_slug("perano"), _author("kungalv"))
        assert exc.value.code == "already_involved"
        with pytest.raises(Refusal) as exc:
            services.invite(project, by_slug("kungalv"), _author("kungalv"))
        assert exc.value.code == "own_municipality"
        session.commit()
    with in_scope("perano") as session:
        project = _project(project_id)
        services.decide(project.participation_of(by_slug("perano").id), _author("perano"), True)
        session.commit()
    with in_scope("hiddenhausen") as session:
        project = _project(project_id)
        services.request_to_join(project, _author("hiddenhausen"), "Wir möchten mitmachen")
        session.commit()
    with in_scope("kungalv") as session:
        project = _project(project_id)
        services.decide(project.participation_of(by_slug("hiddenhausen").id), _author("kungalv"), False)
        session.commit()
        project = _project(project_id)
        assert [p.municipality.slug for p in project.participants] == ["perano"]
        assert project.participation_of(by_slug("hiddenhausen").id).status == "declined"
        kinds = [e.kind for e in project.events]
        assert kinds[-4:] == ["invited", "joined", "requested", "declined"]


def test_nobody_joins_a_draft(in_scope, make_project):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.errors import Refusal
    project_id = make_project("kungalv")
    with in_scope("kungalv"):
        with pytest.raises(Refusal) as exc:
            services.invite(_project(project_id), by_slug("perano"), _author("kungalv"))
        assert exc.value.code == "not_open"


def test_contribution_text_of_a_participant(in_scope, make_project):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    with in_scope("perano") as session:
        participation = _project(project_id).participation_of(by_slug("perano").id)
        assert services.set_contribution(participation, _author("perano"), "Ospitiamo le scuole.", "it",
                                         participation.version)
        session.commit()
    with in_scope("kungalv"):
        participation = _project(project_id).participation_of(by_slug("perano").id)
        shown = participation.display("contribution", "sv")
        assert (shown.text, shown.lang) == ("Ospitiamo le scuole.", "it")


# --- funding ------------------------------------------------------------------------------------------

def test_funding_plan_totals_per_currency_and_shares(in_scope, make_project):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.queries import funding_summary
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    with in_scope("kungalv") as session:
        project = _project(project_id)
        k = by_slug("kungalv").id
        services.add_funding_line(project, _author("kungalv"), k, "eu_leader", "SEK", amount=Decimal("600000"))
        services.add_funding_line(project, _author("kungalv"), k, "municipal", "SEK", amount="300000")
        line = services.add_funding_line(project, _author("kungalv"), k, "voluntary_work", "SEK",
                                         hours="400", hourly_value="250.00")
        assert line.amount == Decimal("100000.00")
        session.commit()
    with in_scope("perano") as session:
        project = _project(project_id)
        services.add_funding_line(project, _author("perano"), by_slug("perano").id, "municipal", "EUR",
                                  amount="5000.50")
        session.commit()
        summary = {c.currency: c for c in funding_summary(_project(project_id).funding_lines)}
    assert set(summary) == {"SEK", "EUR"}  # never added across currencies
    assert summary["SEK"].total == Decimal("1000000.00")
    assert {s.category.value: s.percent for s in summary["SEK"].shares} == {
        "eu": Decimal("60.0"), "municipal": Decimal("30.0"), "voluntary_work": Decimal("10.0")}
    assert summary["EUR"].total == Decimal("5000.50")


@pytest.mark.parametrize("kwargs, code, field", [
    ({"source": "municipal", "currency": "SEK", "amount": "-1"}, "negative", "amount"),
    ({"source": "municipal", "currency": "SEK", "amount": "1e20"}, "too_large", "amount"),
    ({"source": "municipal", "currency": "SEK", "amount": "abc"}, "not_a_number", "amount"),
    ({"source": "municipal", "currency": "XXQ", "amount": "1"}, "unknown_currency", "currency"),
    ({"source": "lottery", "currency": "SEK", "amount": "1"}, "unknown_choice", "source"),
    ({"source": "voluntary_work", "currency": "SEK", "hours": "10"}, "required", "hourly_value"),
    ({"source": "municipal", "currency": "SEK", "amount": "1", "note": "a\x00b"}, "control_characters", "note"),
])
def test_bad_funding_lines_are_refused(in_scope, make_project, kwargs, code, field):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.errors import Refusal
    project_id = make_project("kungalv", status="proposed")
    with in_scope("kungalv") as session:
        project = _project(project_id)
        with pytest.raises(Refusal) as exc:
            services.add_funding_line(project, _author("kungalv"), by_slug("kungalv").id, **kwargs)
        assert (exc.value.code, exc.value.field) == (code, field)
        session.rollback()
        assert _project(project_id).funding_lines == []


def test_a_municipality_outside_the_project_cannot_be_given_lines_or_contacts(in_scope, make_project):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.errors import Refusal
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    with in_scope("kungalv"):
        project = _project(project_id)
        with pytest.raises(Refusal) as exc:
            services.add_funding_line(project, _author("kungalv"), by_slug("hiddenhausen").id, "municipal", "EUR",
                                      amount="1")
        assert exc.value.code == "not_involved"
        with pytest.raises(Refusal):
            services.add_contact(project, _author("kungalv"), by_slug("hiddenhausen").id, "Anna")


def test_bad_project_input_is_refused_before_anything_is_written(in_scope, themes):
    from exchange.projects import services
    from exchange.projects.models import Project
    from exchange.errors import Refusal
    cases = [
        (dict(texts={"sv": {"title": ""}}), "required", "title_sv"),
        (dict(texts={"sv": {"title": "x" * 201}}), "too_long_max", "title_sv"),
        (dict(texts={"sv": {"title": "ok\x00"}}), "control_characters", "title_sv"),
        (dict(start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 4, 1)), "end_before_start", "end_date"),
        (dict(theme_ids=[999999]), "unknown_theme", "themes"),
        (dict(priority_areas=[]), "no_priority_area", "priority_areas"),
        (dict(locale="xx"), "unknown_locale", "locale"),
    ]
    with in_scope("kungalv") as session:
        for overrides, code, field in cases:
            values = dict(locale="sv", texts={"sv": {"title": "Titel"}}, priority_areas=["growth"],
                          theme_ids=[themes["culture"]])
            values.update(overrides)
            with pytest.raises(Refusal) as exc:
                services.create_project(_author("kungalv"), services.ProjectInput(**values))
            assert (exc.value.code, exc.value.field) == (code, field), overrides
            session.rollback()
        assert session.scalar(select(func.count()).select_from(Project)) == 0


def test_milestones_stay_inside_the_project_period(in_scope, make_project):
    from exchange.projects import services
    from exchange.errors import Refusal
    project_id = make_project("kungalv", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    with in_scope("kungalv") as session:
        project = _project(project_id)
        with pytest.raises(Refusal) as exc:
            services.add_milestone(project, _author("kungalv"), "För tidigt", dt.date(2024, 12, 1), "sv")
        assert exc.value.code == "before_start"
        services.add_milestone(project, _author("kungalv"), "Studiebesök", dt.date(2025, 6, 1), "sv")
        session.commit()
        assert [m.title for m in _project(project_id).milestones] == ["Studiebesök"]
