"""Two translators translate the same text at once, two admins limit the same translator (issue 11
"Concurrency", DESIGN.md §4): the second save from the same version is a 409 that keeps the input and
shows the saved version, and nothing is overwritten; two first translations racing each other leave one
row and a conflict, never a 500. SQLite and PostgreSQL.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.fixtures.forms import submitted

CONFLICT = ("Someone else saved this in the meantime, so your changes have not been saved. Your input is kept "
            "below, beside the saved version: check it, then save again to keep your changes.")


def _conflict_rows(html: str) -> dict[str, tuple[str, str]]:
    return {label: (yours, saved) for label, yours, saved in
            re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td>', html)}


def _source(in_scope, slug: str, model_name: str, owner_column: str, owner_id: int, field: str):
    """(text table, id of the source row) of one translatable field."""
    from exchange.i18n.models import ContentTextMixin
    model = next(m for m in ContentTextMixin.__subclasses__() if m.__name__ == model_name)
    with in_scope(slug) as session:
        return model, session.scalar(sa.select(model.id).where(getattr(model, owner_column) == owner_id,
                                                               model.field == field, model.status == "source"))


def _translation(in_scope, slug, model, source_id: int, locale: str):
    with in_scope(slug) as session:
        source = session.get(model, source_id)
        row = source.owner.text_rows(source.field).get(locale)
        return (row.text, row.version) if row is not None else None


@pytest.fixture(params=["Project", "Organisation", "Visit"])
def text(request, make_project, make_org, make_visit, in_scope):
    """A source text of each kind of owner that Hiddenhausen's translators may translate into German:
    (type name, text table, source row id, the lead's slug)."""
    if request.param == "Project":
        owner_id = make_project("kungalv", status="proposed", summary="Skolor delar erfarenheter.")
        model, source_id = _source(in_scope, "kungalv", "ProjectText", "project_id", owner_id, "summary")
        return "Project", model, source_id, "kungalv"
    if request.param == "Organisation":
        owner_id = make_org("kungalv", "Kungälvs Bostäder AB", description="Kommunalt bostadsbolag.")
        model, source_id = _source(in_scope, "kungalv", "OrganisationText", "organisation_id", owner_id,
                                   "description")
        return "Organisation", model, source_id, "kungalv"
    owner_id = make_visit("kungalv", visitors=("hiddenhausen",), purpose="Lära oss om kulturarv.")
    model, source_id = _source(in_scope, "kungalv", "VisitText", "owner_id", owner_id, "purpose")
    return "Visit", model, source_id, "kungalv"


def test_the_second_translation_from_the_same_editor_is_a_409_and_overwrites_nothing(sign_in, text, in_scope, tr,
                                                                                     says):
    type_name, model, source_id, slug = text
    url = f"/hiddenhausen/workbench/queue/{type_name}/{source_id}/de"
    first, second = sign_in("hiddenhausen", "translator"), sign_in("hiddenhausen", "translator")
    opened = [submitted(c.get(url).get_data(as_text=True), "") for c in (first, second)]
    assert opened[0]["version"] == opened[1]["version"] == ["0"]  # no German translation yet
    assert first.post(url, data={**opened[0], "text": ["Die erste Übersetzung."]}).status_code == 302
    stale = second.post(url, data={**opened[1], "text": ["Die zweite Übersetzung."]})
    assert stale.status_code == 409 and says(stale, CONFLICT)
    html = stale.get_data(as_text=True)
    assert _conflict_rows(html)[tr("de", "Translation")] == ("Die zweite Übersetzung.", "Die erste Übersetzung.")
    assert "Die zweite Übersetzung." in submitted(html, "")["text"][0]  # the input is kept
    assert _translation(in_scope, slug, model, source_id, "de") == ("Die erste Übersetzung.", 1)
    # The editor now carries the saved version: saving again knowingly replaces the first translation.
    again = submitted(html, "")
    assert again["version"] == ["1"]
    assert second.post(url, data=again).status_code == 302
    assert _translation(in_scope, slug, model, source_id, "de") == ("Die zweite Übersetzung.", 2)


def test_two_admins_limiting_the_same_translator_conflict(sign_in, make_user, in_scope, tr, says, synced):
    from exchange.workbench.models import TranslatorLanguages
    translator = make_user("hiddenhausen", "translator")
    url = f"/hiddenhausen/workbench/translators/{translator.id}"
    first, second = sign_in("hiddenhausen", "admin"), sign_in("hiddenhausen", "admin")
    opened = [submitted(c.get(url).get_data(as_text=True), "") for c in (first, second)]
    assert opened[0]["version"] == ["0"]  # no limit saved: every language
    assert first.post(url, data={**opened[0], "locales": ["de"]}).status_code == 302
    stale = second.post(url, data={**opened[1], "locales": ["it"]})
    assert stale.status_code == 409 and says(stale, CONFLICT)
    yours, saved = _conflict_rows(stale.get_data(as_text=True))[tr("de", "Languages this translator works on")]
    assert yours != saved
    with in_scope("hiddenhausen") as session:
        assert session.scalar(sa.select(TranslatorLanguages.locales)) == ["de"]
    again = submitted(stale.get_data(as_text=True), "")
    assert again["version"] == ["1"] and again["locales"] == ["it"]
    assert second.post(url, data=again).status_code == 302
    with in_scope("hiddenhausen") as session:
        assert session.scalar(sa.select(TranslatorLanguages.locales)) == ["it"]


@pytest.mark.committed
def test_two_first_translations_racing_each_other_leave_one_row_and_a_409(app, client, login_as, make_project,
                                                                          in_scope, monkeypatch):
    """Both translators opened the editor before any German translation existed; the other one's insert
    commits between our check and our write: the unique row refuses ours, which is a conflict."""
    from exchange.extensions import db
    from exchange.workbench import services
    project_id = make_project("kungalv", status="proposed", summary="Skolor delar erfarenheter.")
    model, source_id = _source(in_scope, "kungalv", "ProjectText", "project_id", project_id, "summary")
    login_as("hiddenhausen", "translator")
    url = f"/hiddenhausen/workbench/queue/Project/{source_id}/de"
    opened = submitted(client.get(url).get_data(as_text=True), "")
    real_check = services.check_version

    def check_then_lose_the_race(obj, expected):
        real_check(obj, expected)
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO project_texts (project_id, field, locale, text, status, updated_at, "
                                 "version) VALUES (:p, 'summary', 'de', 'Die andere.', 'translated', "
                                 "CURRENT_TIMESTAMP, 1)"), {"p": project_id})

    monkeypatch.setattr(services, "check_version", check_then_lose_the_race)
    response = client.post(url, data={**opened, "text": ["Meine Übersetzung."]})
    assert response.status_code == 409
    assert "Meine Übersetzung." in response.get_data(as_text=True)
    assert _translation(in_scope, "kungalv", model, source_id, "de") == ("Die andere.", 1)
