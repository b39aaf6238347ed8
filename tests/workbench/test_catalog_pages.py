"""The catalog pages: who may enter, the overview, the string list, the editor (checks, warnings,
conflicts), approval by a second translator, history and revert, publication, .po import and export."""
from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from sqlalchemy import select

from exchange.audit.models import AuditEntry
from exchange.extensions import db
from exchange.i18n.catalog.models import CatalogChange, CatalogMessage, CatalogVersion
from tests.fixtures.core import login, text_of


def msg(app, message_id):
    with app.app_context():
        return db.session.get(CatalogMessage, message_id)


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_staff_and_coordinators_cannot_reach_the_workbench(synced, client, login_as, message_id, role):
    login_as("kungalv", role)
    mid = message_id("sv", "E-mail address")
    for url in ["/kungalv/workbench/", "/kungalv/workbench/sv/strings", f"/kungalv/workbench/sv/strings/{mid}",
                "/kungalv/workbench/sv/publish", "/kungalv/workbench/sv/messages.po", "/kungalv/workbench/sv/import",
                "/kungalv/workbench/queue", "/kungalv/workbench/translators"]:
        assert client.get(url).status_code == 403, url
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "x", "version": "1"})
    assert response.status_code == 403
    assert msg(synced, mid).strings == ["E-postadress"]


def test_anonymous_is_sent_to_sign_in(synced, client):
    assert client.get("/kungalv/workbench/").status_code == 302


def test_overview_counts_states_and_the_last_publication(synced, client, login_as, message_id, tr):
    login_as("kungalv", "translator", preferred_locale="sv")
    client.post(f"/kungalv/workbench/sv/strings/{message_id('sv', 'E-mail address')}",
                data={"form_0": "", "version": "1"})
    response = client.get("/kungalv/workbench/")
    page = text_of(response)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<h1") == 1
    assert tr("sv", "%(num)d change waits for publication.", "%(num)d changes wait for publication.", 1) in page
    assert tr("sv", "Version %(version)d, loaded %(when)s from the shipped catalog.", version=1, when="§").split("§")[0] in page


def test_overview_without_a_live_store_says_so(client, login_as):
    login_as("kungalv", "translator")
    assert "flask translations sync" in text_of(client.get("/kungalv/workbench/"))


def test_string_list_filters_by_state_text_and_location(synced, client, login_as, message_id):
    account = login_as("kungalv", "translator")
    mid = message_id("sv", "E-mail address")
    client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "", "version": "1"})
    page = text_of(client.get("/kungalv/workbench/sv/strings?state=empty"))
    assert "E-mail address" in page and "Sign in" not in page
    page = text_of(client.get("/kungalv/workbench/sv/strings?q=inloggning"))  # the Swedish translation text
    assert "Sign in" not in page or "inloggning" in page.lower()
    page = text_of(client.get("/kungalv/workbench/sv/strings?location=templates/auth/login.html"))
    assert "Sign in" in page and "Bad request" not in page
    assert client.get("/kungalv/workbench/sv/strings?state=bogus").status_code == 422
    assert client.get("/kungalv/workbench/sv/strings?q=%00x").status_code == 422
    assert account


def test_string_list_query_count_is_bounded(synced, client, login_as, count_queries):
    login_as("kungalv", "translator")
    client.get("/kungalv/workbench/sv/strings")
    with count_queries() as small:
        client.get("/kungalv/workbench/sv/strings?page=1")
    with count_queries() as other:
        client.get("/kungalv/workbench/sv/strings?page=3")
    assert small.n <= 12 and other.n <= small.n + 1


def test_editor_shows_help_and_saves_a_valid_translation(synced, client, login_as, message_id, in_scope):
    login_as("kungalv", "translator")
    mid = message_id("sv", "Welcome, %(name)s.")
    response = client.get(f"/kungalv/workbench/sv/strings/{mid}?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<mark class="ph">%(name)s</mark>' in html
    assert "exchange/auth/views/" in html  # where it is used
    assert "Willkommen" in html  # the German translation for reference
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}",
                           data={"form_0": "Hej och välkommen, %(name)s.", "version": "1"})
    assert response.status_code == 302
    m = msg(synced, mid)
    assert m.strings == ["Hej och välkommen, %(name)s."] and m.pending and m.state == "translated"
    with in_scope("kungalv") as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "catalog.edit")) is not None


@pytest.mark.parametrize("text,code", [
    ("Välkommen, %(nmae)s.", "placeholders"),
    ("Välkommen.", "placeholders"),
    ("Välkommen %(name)s, 100 % säker.", "format"),
    ('Välkommen, %(name)s.<img src=x onerror="alert(1)">', "html"),
    ("Välkommen, %(name)s.\u202e", "control"),
])
def test_editor_refuses_bad_translations_beside_the_field(synced, client, login_as, message_id, problem_text,
                                                          text, code):
    login_as("kungalv", "translator", preferred_locale="sv")
    mid = message_id("sv", "Welcome, %(name)s.")
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": text, "version": "1"})
    assert response.status_code == 422
    assert problem_text("sv", code) in text_of(response)
    assert 'id="form_0-error"' in response.get_data(as_text=True)
    assert msg(synced, mid).strings == ["Välkommen, %(name)s."]


@pytest.mark.parametrize("text,msgid,variables", [
    ("x" * 5001, "Use at most %(max)d characters.", {"max": 5000}),
    ("Hej\x00", "Remove the invisible control characters from this text.", {}),
])
def test_editor_form_limits(synced, client, login_as, message_id, tr, text, msgid, variables):
    login_as("kungalv", "translator", preferred_locale="sv")
    mid = message_id("sv", "Welcome, %(name)s.")
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": text, "version": "1"})
    assert response.status_code == 422
    assert tr("sv", msgid, **variables) in text_of(response)
    assert msg(synced, mid).strings == ["Välkommen, %(name)s."]


def test_plural_forms_are_labelled_and_all_required(synced, client, login_as, tr):
    login_as("perano", "translator", preferred_locale="it")
    with synced.app_context():
        plural = db.session.scalar(select(CatalogMessage).where(CatalogMessage.locale == "it",
                                                                CatalogMessage.msgid_plural != ""))
        mid, version, msgid = plural.id, plural.version, plural.msgid
    page = text_of(client.get(f"/perano/workbench/it/strings/{mid}"))
    assert tr("it", "Plural form for n = %(numbers)s", numbers="1") in page
    assert tr("it", "Plural form for n = %(numbers)s", numbers="0, 2, 3, …") in page
    response = client.post(f"/perano/workbench/it/strings/{mid}",
                           data={"form_0": "%(num)d cosa", "form_1": "", "version": str(version)})
    assert response.status_code == 422
    assert 'id="form_1-error"' in response.get_data(as_text=True)
    assert msgid


def test_warnings_need_save_anyway(synced, client, login_as, message_id, tr):
    login_as("kungalv", "translator", preferred_locale="sv")
    mid = message_id("sv", "E-mail address")
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-mail address", "version": "1"})
    assert response.status_code == 422
    assert tr("sv", "Save anyway, despite the warnings") in text_of(response)
    assert tr("sv", "Same as the source") in text_of(response)
    assert msg(synced, mid).strings == ["E-postadress"]
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}",
                           data={"form_0": "E-mail address", "version": "1", "accept_warnings": "y"})
    assert response.status_code == 302
    assert msg(synced, mid).strings == ["E-mail address"]
    assert "same_as_source" in msg(synced, mid).checks


def test_a_stale_version_is_a_conflict_not_an_overwrite(synced, client, login_as, message_id):
    login_as("kungalv", "translator")
    mid = message_id("sv", "E-mail address")
    client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-post", "version": "1"})
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "Mejl", "version": "1"})
    assert response.status_code == 409
    assert msg(synced, mid).strings == ["E-post"]


def test_approval_rules(synced, app, make_user, message_id):
    one, two = make_user("kungalv", "translator"), make_user("hiddenhausen", "translator")
    c1, c2 = app.test_client(), app.test_client()
    assert login(c1, one).status_code == 302 and login(c2, two).status_code == 302
    mid = message_id("sv", "E-mail address")
    assert c1.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-post", "version": "1"}).status_code == 302
    # the editor cannot approve their own translation
    c1.post(f"/kungalv/workbench/sv/strings/{mid}/approve")
    assert not msg(synced, mid).is_approved
    # another translator (even of another municipality) can
    assert c2.post(f"/hiddenhausen/workbench/sv/strings/{mid}/approve").status_code == 302
    m = msg(synced, mid)
    assert m.is_approved and m.approved_by_name == two.name
    # editing an approved string voids the approval
    c2.post(f"/hiddenhausen/workbench/sv/strings/{mid}", data={"form_0": "E-postadressen", "version": str(m.version)})
    assert not msg(synced, mid).is_approved


def test_history_and_revert(synced, client, login_as, message_id):
    login_as("kungalv", "translator")
    mid = message_id("sv", "E-mail address")
    client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-post", "version": "1"})
    with synced.app_context():
        change = db.session.scalar(select(CatalogChange).where(CatalogChange.message_id == mid))
        assert (change.old_strings, change.new_strings) == (["E-postadress"], ["E-post"])
        change_id = change.id
    page = text_of(client.get(f"/kungalv/workbench/sv/strings/{mid}"))
    assert "E-postadress" in page and "E-post" in page
    assert client.post(f"/kungalv/workbench/sv/strings/{mid}/revert/{change_id}").status_code == 302
    assert msg(synced, mid).strings == ["E-postadress"]
    assert client.post(f"/kungalv/workbench/sv/strings/{mid}/revert/999999").status_code == 404


def test_publish_serves_the_drafts_and_bumps_the_version(synced, client, login_as, message_id):
    login_as("kungalv", "translator", preferred_locale="sv")
    mid = message_id("sv", "Dashboard")
    client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "Startsida", "version": "1"})
    assert "Startsida" not in text_of(client.get("/kungalv/"))
    assert client.get("/kungalv/workbench/sv/publish").status_code == 200
    response = client.post("/kungalv/workbench/sv/publish")
    assert response.status_code == 302
    assert "Startsida" in text_of(client.get("/kungalv/"))
    with synced.app_context():
        version = db.session.get(CatalogVersion, "sv")
        assert version.version == 2 and version.published_by_municipality_id is not None


def test_limited_translator_gets_403_on_other_locales(synced, client, make_user, in_scope, message_id):
    from exchange.auth.models import User
    from exchange.workbench.services import set_translator_locales
    admin = make_user("hiddenhausen", "admin")
    translator = make_user("hiddenhausen", "translator")
    with in_scope("hiddenhausen") as session:
        set_translator_locales(session.get(User, translator.id), ["de"], session.get(User, admin.id))
        session.commit()
    login(client, translator)
    assert client.get("/hiddenhausen/workbench/de/strings").status_code == 200
    assert client.get("/hiddenhausen/workbench/sv/strings").status_code == 403
    sv = message_id("sv", "E-mail address")
    assert client.post(f"/hiddenhausen/workbench/sv/strings/{sv}", data={"form_0": "x", "version": "1"}).status_code == 403
    assert client.post("/hiddenhausen/workbench/sv/publish").status_code == 403
    overview = client.get("/hiddenhausen/workbench/").get_data(as_text=True)
    assert "/workbench/de/strings" in overview and "/workbench/sv/strings" not in overview


def test_admin_sets_translator_languages(synced, client, login_as, make_user, in_scope):
    translator = make_user("hiddenhausen", "translator")
    other_town = make_user("kungalv", "translator")
    login_as("hiddenhausen", "admin")
    assert translator.name in text_of(client.get("/hiddenhausen/workbench/translators"))
    response = client.post(f"/hiddenhausen/workbench/translators/{translator.id}",
                           data={"locales": ["de"], "version": "0"})  # no limit saved yet
    assert response.status_code == 302
    assert client.post(f"/hiddenhausen/workbench/translators/{translator.id}", data={"locales": ["fr"]}).status_code == 422
    assert client.post(f"/hiddenhausen/workbench/translators/{translator.id}", data={}).status_code == 422
    assert client.get(f"/hiddenhausen/workbench/translators/{other_town.id}").status_code == 404
    from exchange.workbench.models import TranslatorLanguages
    with in_scope("hiddenhausen") as session:
        assert session.scalar(select(TranslatorLanguages.locales)) == ["de"]


def test_translators_cannot_set_languages(synced, client, login_as):
    login_as("hiddenhausen", "translator")
    assert client.get("/hiddenhausen/workbench/translators").status_code == 403


def _po_upload(entries, locale="sv"):
    catalog = Catalog(locale=locale)
    for msgid, string in entries:
        catalog.add(msgid, string)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    buffer.seek(0)
    return {"file": (buffer, "upload.po")}


def test_po_import_takes_valid_entries_and_reports_refused_ones(synced, client, login_as, message_id, tr):
    login_as("kungalv", "translator", preferred_locale="sv")
    data = _po_upload([("E-mail address", "E-post"), ("Welcome, %(name)s.", "Välkommen!"),
                       ("Sign in", '<script>alert(1)</script>'), ("Not a msgid of ours", "x")])
    response = client.post("/kungalv/workbench/sv/import", data=data, content_type="multipart/form-data")
    page = text_of(response)
    assert response.status_code == 200
    assert tr("sv", "%(num)d translation taken as a draft.", "%(num)d translations taken as drafts.", 1) in page
    assert tr("sv", "%(num)d entry refused.", "%(num)d entries refused.", 3) in page
    assert tr("sv", "Not a string of this application") in page and tr("sv", "HTML not in the source") in page
    assert msg(synced, message_id("sv", "E-mail address")).strings == ["E-post"]
    assert msg(synced, message_id("sv", "Sign in")).strings != ['<script>alert(1)</script>']


def test_po_import_bad_files(synced, client, login_as):
    login_as("kungalv", "translator")
    response = client.post("/kungalv/workbench/sv/import", data={"file": (io.BytesIO(b'msgid "x\n\xff'), "x.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    response = client.post("/kungalv/workbench/sv/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    response = client.post("/kungalv/workbench/sv/import", data=_po_upload([("E-mail address", "x")], "de"),
                           content_type="multipart/form-data")
    assert response.status_code == 422


def test_po_export_is_the_published_catalog(synced, client, login_as):
    login_as("kungalv", "translator")
    response = client.get("/kungalv/workbench/it/messages.po")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    catalog = read_po(io.BytesIO(response.data), locale="it")
    assert catalog.get("E-mail address").string == "Indirizzo e-mail" or catalog.get("E-mail address").string


def test_unknown_locale_and_message_are_404(synced, client, login_as, message_id):
    login_as("kungalv", "translator")
    assert client.get("/kungalv/workbench/fr/strings").status_code == 404
    assert client.get("/kungalv/workbench/sv/strings/999999").status_code == 404
    de = message_id("de", "E-mail address")
    assert client.get(f"/kungalv/workbench/sv/strings/{de}").status_code == 404


# --- the request kit (issue 9) -------------------------------------------------------------------

def test_a_stale_save_shows_the_users_input_beside_the_saved_version(synced, client, login_as, message_id, tr):
    login_as("kungalv", "translator", preferred_locale="sv")
    mid = message_id("sv", "E-mail address")
    client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-post", "version": "1"})
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "Mejl", "version": "1"})
    assert response.status_code == 409
    page = text_of(response)
    assert tr("sv", "Your input") in page and tr("sv", "Saved version") in page
    assert "Mejl" in page and "E-post" in page
    # the form now carries the saved version: saving again knowingly replaces it
    version = str(msg(synced, mid).version)
    assert f'name="version" type="hidden" value="{version}"' in response.get_data(as_text=True)
    assert client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "Mejl", "version": version}
                       ).status_code == 302
    assert msg(synced, mid).strings == ["Mejl"]


def test_approving_a_changed_string_is_a_conflict(synced, app, make_user, message_id):
    one, two = make_user("kungalv", "translator"), make_user("perano", "translator")
    c1, c2 = app.test_client(), app.test_client()
    login(c1, one), login(c2, two)
    mid = message_id("sv", "E-mail address")
    c1.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-post", "version": "1"})
    seen = msg(synced, mid).version
    c1.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "Mejladress", "version": str(seen)})
    response = c2.post(f"/perano/workbench/sv/strings/{mid}/approve", data={"version": str(seen)})
    assert response.status_code == 409
    assert not msg(synced, mid).is_approved
    assert c2.post(f"/perano/workbench/sv/strings/{mid}/approve",
                   data={"version": str(msg(synced, mid).version)}).status_code == 302
    assert msg(synced, mid).is_approved


def test_refused_approval_is_a_422_on_the_editor(synced, client, login_as, message_id, says):
    login_as("kungalv", "translator")
    mid = message_id("sv", "E-mail address")
    client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-post", "version": "1"})
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}/approve")
    assert response.status_code == 422
    assert says(response, "Another translator has to approve your translation.")
    assert 'name="form_0"' in response.get_data(as_text=True) and "E-post" in text_of(response)


@pytest.mark.parametrize("query,status", [
    ("page=%C2%B2", 200), ("page=1%C2%B2", 200), ("page=+", 200), ("page=" + "9" * 5000, 200),
    ("state=+", 200), ("state=%20&check=", 200), ("check=%00", 422), ("location=%00", 422),
    ("q=" + "x" * 201, 422), ("state=empty&state=", 200),
])
def test_hostile_string_list_parameters_never_fail(synced, client, login_as, query, status):
    login_as("kungalv", "translator")
    assert client.get(f"/kungalv/workbench/sv/strings?{query}").status_code == status


@pytest.mark.parametrize("version", ["", "²", "1²", "9" * 5000, "-1"])
def test_a_tampered_version_never_fails(synced, client, login_as, message_id, version):
    login_as("kungalv", "translator")
    mid = message_id("sv", "E-mail address")
    response = client.post(f"/kungalv/workbench/sv/strings/{mid}", data={"form_0": "E-post", "version": version})
    assert response.status_code in (302, 409)


def test_blank_members_of_the_language_choice_are_ignored(synced, client, login_as, make_user, in_scope):
    from exchange.workbench.models import TranslatorLanguages
    translator = make_user("hiddenhausen", "translator")
    login_as("hiddenhausen", "admin")
    url = f"/hiddenhausen/workbench/translators/{translator.id}"
    assert client.post(url, data={"locales": ["de", "", " "], "version": "0"}).status_code == 302
    with in_scope("hiddenhausen") as session:
        assert session.scalar(select(TranslatorLanguages.locales)) == ["de"]
    assert client.post(url, data={"locales": [" "]}).status_code == 422  # nothing chosen


def test_an_unreadable_po_file_is_refused_beside_the_field(synced, client, login_as, says):
    login_as("kungalv", "translator")
    response = client.post("/kungalv/workbench/sv/import", data={"file": (io.BytesIO(b'msgid "x\n\xff'), "x.po")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert says(response, "This is not a readable .po file.")
    response = client.post("/kungalv/workbench/sv/import", data=_po_upload([("E-mail address", "x")], "de"),
                           content_type="multipart/form-data")
    assert response.status_code == 422 and says(response, "This file is for another language.")
