"""The live catalogs: sync from the shipped .po files, serving only what is published, reload in every
app instance without restart, and the export round trip."""
from __future__ import annotations

import shutil

import polib
import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from exchange import create_app
from exchange.extensions import db
from exchange.errors import Refusal
from exchange.i18n.catalog import live
from exchange.i18n.catalog.models import CatalogMessage, CatalogVersion, MessageState
from exchange.i18n.catalog.services import publish, save_translation
from exchange.i18n.catalog.sync import sync_catalog
from tests.fixtures.core import login, make_test_config, text_of
from tests.fixtures.workbench import ROOT
from tests.fixtures.workbench import shipped


def login_page(client, lang="sv"):
    return text_of(client.get(f"/kungalv/login?lang={lang}"))


def test_without_a_live_store_the_compiled_catalogs_are_served(client):
    assert "E-postadress" in login_page(client)


def test_sync_fills_the_store_and_serves_the_same_text(synced, client):
    with synced.app_context():
        count = db.session.scalar(select(db.func.count()).select_from(CatalogMessage)
                                  .where(CatalogMessage.locale == "sv"))
        version = db.session.get(CatalogVersion, "sv")
        assert count == len([m for m in shipped("sv") if m.id])
        assert version.version == 1 and version.published_by_name == "translations sync"
    assert "E-postadress" in login_page(client)
    assert "E-Mail-Adresse" in login_page(client, "de")


def test_drafts_are_not_served_until_published(synced, client, make_user, user_of, message_id):
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        message = db.session.get(CatalogMessage, message_id("sv", "E-mail address"))
        save_translation(message, ["E-postadress (arbete)"], user)
        db.session.commit()
    assert "E-postadress (arbete)" not in login_page(client)
    with user_of(translator) as user:
        publish("sv", user)
        db.session.commit()
    assert "E-postadress (arbete)" in login_page(client)


def test_an_untranslated_published_message_shows_the_source_not_the_old_compiled_text(
        synced, client, make_user, user_of, message_id):
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        save_translation(db.session.get(CatalogMessage, message_id("sv", "E-mail address")), [""], user)
        publish("sv", user)
        db.session.commit()
    page = login_page(client)
    assert "E-mail address" in page and "E-postadress" not in page


@pytest.mark.committed
def test_a_publication_reaches_another_app_instance_on_its_next_request(synced, make_user, user_of, message_id):
    """Two app instances (two workers, or two hosts) on one database: publish in one, the other serves
    the new text on its very next request, with no restart."""
    other = create_app(make_test_config(synced.config["SQLALCHEMY_DATABASE_URI"]))
    other_client = other.test_client()
    assert "E-postadress" in login_page(other_client)  # the other worker has the catalog cached now

    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:  # the first instance (the `app` fixture) publishes
        save_translation(db.session.get(CatalogMessage, message_id("sv", "E-mail address")), ["E-post"], user)
        publish("sv", user)
        db.session.commit()

    assert "E-post " in login_page(other_client) + " "
    assert "E-postadress" not in login_page(other_client)
    live._cache.clear()  # a separate process has no shared cache at all: it builds from the database
    assert "E-postadress" not in login_page(other_client)
    with other.app_context():
        db.session.remove()


def test_one_query_per_request_reads_the_versions(synced, client, count_queries):
    client.get("/kungalv/login?lang=sv")  # warm the process cache
    with count_queries() as counter:
        client.get("/kungalv/login?lang=sv")
    version_reads = [s for s in counter.statements if "catalog_versions" in s]
    assert len(version_reads) == 1
    assert not [s for s in counter.statements if "catalog_messages" in s]


def test_sync_keeps_translators_work_adds_new_and_obsoletes_removed(app, make_user, user_of, message_id):
    catalog = shipped("sv")
    with app.app_context():
        sync_catalog(catalog, "sv")
        db.session.commit()
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        save_translation(db.session.get(CatalogMessage, message_id("sv", "E-mail address")), ["E-post"], user)
        db.session.commit()
    catalog = shipped("sv")
    catalog.add("A brand new string", "En helt ny text", locations=[("exchange/new.py", 3)])
    catalog.delete("Sign in")
    with app.app_context():
        report = sync_catalog(catalog, "sv")
        db.session.commit()
        assert report.added == 1 and report.obsoleted == 1
        by_id = {m.msgid: m for m in db.session.scalars(select(CatalogMessage).where(CatalogMessage.locale == "sv"))}
        assert by_id["E-mail address"].strings == ["E-post"]  # the translator's draft is kept
        assert by_id["A brand new string"].published == ["En helt ny text"]
        assert by_id["A brand new string"].locations == [["exchange/new.py", 3]]
        # Obsolete: no longer served, but what was published is kept for a rollback.
        assert by_id["Sign in"].obsolete and by_id["Sign in"].published == ["Logga in"]


def test_a_msgid_that_comes_back_after_a_rollback_keeps_its_published_translation(app, client, make_user, user_of,
                                                                                 message_id):
    """Deploy a version without a string, then roll back: the translator's published text is served again
    (it used to come back translated but unpublished, and the page showed English)."""
    with app.app_context():
        sync_catalog(shipped("sv"), "sv")
        db.session.commit()
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        save_translation(db.session.get(CatalogMessage, message_id("sv", "E-mail address")), ["E-post (jobb)"], user)
        publish("sv", user)
        db.session.commit()
    without = shipped("sv")
    without.delete("E-mail address")
    with app.app_context():
        sync_catalog(without, "sv")  # the deploy
        db.session.commit()
        report = sync_catalog(shipped("sv"), "sv")  # the rollback
        db.session.commit()
        assert report.revived == 1
    assert "E-post (jobb)" in login_page(client)


def test_a_corrected_translation_in_the_po_file_is_taken_over_unless_a_translator_changed_it(app, client, make_user,
                                                                                             user_of, message_id):
    with app.app_context():
        sync_catalog(shipped("sv"), "sv")
        db.session.commit()
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:  # a translator changes one string in the workbench
        save_translation(db.session.get(CatalogMessage, message_id("sv", "Password")), ["Ditt lösenord"], user)
        publish("sv", user)
        db.session.commit()
    corrected = shipped("sv")
    corrected.get("E-mail address").string = "E-postadress (ny lydelse)"   # nobody touched it in the workbench
    corrected.get("Password").string = "Lösenord (ny lydelse)"              # a translator did
    with app.app_context():
        report = sync_catalog(corrected, "sv")
        db.session.commit()
        assert report.updated == 1 and report.conflicts == ["Password"]
    page = login_page(client)
    assert "E-postadress (ny lydelse)" in page  # taken over and served
    assert "Ditt lösenord" in page and "ny lydelse)" not in page.replace("E-postadress (ny lydelse)", "")
    # Translators find the conflict in their list and see the file's version in the editor.
    login(client, make_user("kungalv", "translator"))
    listed = client.get("/kungalv/workbench/sv/strings?check=shipped")
    assert "Password" in text_of(listed) and "E-mail address" not in text_of(listed)
    editor = client.get(f"/kungalv/workbench/sv/strings/{message_id('sv', 'Password')}")
    assert "Lösenord (ny lydelse)" in text_of(editor)


def test_sync_refuses_a_dangerous_shipped_translation(app):
    catalog = shipped("sv")
    catalog.add("Harmless", '<img src=x onerror="alert(1)">')
    with app.app_context():
        report = sync_catalog(catalog, "sv")
        db.session.commit()
        assert [msgid for msgid, _ in report.rejected] == ["Harmless"]
        message = db.session.scalar(select(CatalogMessage).where(CatalogMessage.msgid == "Harmless"))
        assert message.state == MessageState.EMPTY.value and message.published is None


def test_cli_sync_then_export_round_trips(app, tmp_path, make_user, user_of, message_id):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["translations", "sync"])
    assert result.exit_code == 0, result.output
    assert "sv: 0 added" not in result.output
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        message = db.session.get(CatalogMessage, message_id("it", "E-mail address"))
        save_translation(message, ["Posta elettronica"], user)
        publish("it", user)
        plural = db.session.scalar(select(CatalogMessage).where(CatalogMessage.locale == "it",
                                                                CatalogMessage.msgid_plural != ""))
        plural_msgid, plural_published = plural.msgid, plural.published
        db.session.commit()

    for locale in ("sv", "de", "it"):
        target = tmp_path / locale / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", target / "messages.po")
    result = runner.invoke(args=["translations", "export", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output

    exported = tmp_path / "it" / "LC_MESSAGES" / "messages.po"
    with open(exported, "rb") as f:
        catalog = read_po(f, locale="it")
    assert catalog.get("E-mail address").string == "Posta elettronica"
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    assert list(catalog.get(plural_msgid).string) == plural_published
    po = polib.pofile(str(exported))
    assert po.find("E-mail address").msgstr == "Posta elettronica"
    with app.app_context():
        published = {(m.msgid, m.context): m.published for m in db.session.scalars(
            select(CatalogMessage).where(CatalogMessage.locale == "it", CatalogMessage.obsolete.is_(False)))}
    for entry in po:
        strings = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)] if entry.msgid_plural else [entry.msgstr]
        assert published[(entry.msgid, entry.msgctxt or "")] == (strings if any(strings) else None)
    assert len(po) == len(published)
    # and the export can be synced again without changes
    result = runner.invoke(args=["translations", "sync", "--dir", str(tmp_path), "--locale", "it"])
    assert "0 added, 0 filled" in result.output and "0 obsolete, 0 rejected" in result.output


def test_publish_of_an_unknown_or_empty_locale_is_refused(app, make_user, user_of):
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        with pytest.raises(Refusal):
            publish("fr", user)
        with pytest.raises(Refusal):
            publish("sv", user)  # nothing synced yet


def test_plural_and_context_messages_are_served_from_the_live_catalog(synced, make_user, user_of):
    """The live catalog is compiled through Babel's public API (a Catalog written as a .mo and read back):
    plural forms follow the locale's rule, a context keeps a msgid apart, unknown msgids fall back."""
    from flask_babel import force_locale, gettext, ngettext, pgettext
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        messages = {(m.msgid, m.context): m for m in db.session.scalars(
            select(CatalogMessage).where(CatalogMessage.locale == "sv"))}
        save_translation(messages[("%(num)d active account", "")], ["%(num)d konto i bruk", "%(num)d konton i bruk"],
                         user)
        save_translation(messages[("Planned", "visit status")], ["Inplanerat"], user)
        publish("sv", user)
        db.session.commit()
    with synced.test_request_context("/"), force_locale("sv"):
        assert ngettext("%(num)d active account", "%(num)d active accounts", 1) == "1 konto i bruk"
        assert ngettext("%(num)d active account", "%(num)d active accounts", 3) == "3 konton i bruk"
        assert pgettext("visit status", "Planned") == "Inplanerat"
        assert gettext("Not a msgid of this application") == "Not a msgid of this application"


def test_the_services_refuse_what_the_forms_refuse(synced, make_user, user_of, message_id):
    """The CLI, an import and the views all go through the same service checks."""
    translator = make_user("kungalv", "translator")
    with user_of(translator) as user:
        message = db.session.get(CatalogMessage, message_id("sv", "Welcome, %(name)s."))
        for strings, code in ([("x" * 5001)], "too_long_max"), (["Välkommen, %(nmae)s."], "refused_by_checks"), \
                (["Välkommen, %(name)s"], "unchecked_warnings"):
            with pytest.raises(Refusal) as refused:
                save_translation(message, list(strings), user)
            assert refused.value.code == code
        with pytest.raises(Refusal) as refused:
            save_translation(message, ["Hej %(name)s."], user, expected_version=message.version + 1)
        assert refused.value.code == "conflict"
        assert message.strings == ["Välkommen, %(name)s."]


def test_a_page_looks_its_catalog_up_once_per_request(synced, login_as, client, monkeypatch):
    """Issue 12: every gettext call asked the live domain for its translations (about a hundred per page,
    each reading Flask-Babel's cache and the revisions); now the request remembers the answer."""
    from flask_babel import Domain
    calls = []
    original = Domain.get_translations

    def counting(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(Domain, "get_translations", counting)
    login_as("kungalv", "staff", "translator")
    calls.clear()
    response = client.get("/kungalv/?lang=de")
    assert response.status_code == 200 and 'lang="de"' in response.get_data(as_text=True)
    assert 1 <= len(calls) <= 2
