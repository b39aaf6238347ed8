"""The editor's helpers: translation memory (similar translated strings), glossary hits, highlighting."""
from __future__ import annotations

from exchange.extensions import db
from exchange.i18n.catalog.models import CatalogMessage
from exchange.workbench import display, glossary, memory
from tests.fixtures.core import text_of


def test_translation_memory_suggests_similar_translated_strings(synced, message_id):
    with synced.app_context():
        message = db.session.get(CatalogMessage, message_id("sv", "Repeat the new password"))
        found = memory.suggestions(message)
        assert any(s.msgid == "New password" for s in found)
        assert all(0 < s.score <= 100 for s in found)
        assert message.msgid not in [s.msgid for s in found]


def test_translation_memory_ignores_words_that_merely_share_letters(synced, message_id):
    """The reviewer saw "Password → Lösenord 59 %" offered for "Dashboard": not similar, not offered."""
    with synced.app_context():
        dashboard = db.session.get(CatalogMessage, message_id("sv", "Dashboard"))
        assert "Password" not in [s.msgid for s in memory.suggestions(dashboard)]
        # Ranked by shared words: the closest first.
        message = db.session.get(CatalogMessage, message_id("sv", "Change password"))
        ranked = memory.suggestions(message)
        assert ranked and ranked[0].score >= ranked[-1].score and ranked[0].score >= memory.THRESHOLD


def test_glossary_hits_in_the_editor(synced, client, login_as, message_id):
    login_as("hiddenhausen", "translator")
    mid = message_id("de", "The municipality's default")
    page = client.get(f"/hiddenhausen/workbench/de/strings/{mid}").get_data(as_text=True)
    assert '<dt lang="en">municipality</dt><dd lang="de">Gemeinde</dd>' in page


def test_glossary_is_the_design_table():
    assert glossary.hits("Partner organisations and associations of the twin town", "it") == [
        ("twin town", "comune gemellato"), ("partner organisation", "organizzazione partner"),
        ("association", "associazione")]


def test_highlight_and_diff_escape_everything():
    assert str(display.highlight("<b>%(x)s</b> & <script>")) == (
        '<code class="tag">&lt;b&gt;</code><mark class="ph">%(x)s</mark><code class="tag">&lt;/b&gt;</code>'
        ' &amp; <code class="tag">&lt;script&gt;</code>')
    assert str(display.diff("a <i>b</i>", "a <i>c</i>")) == "a &lt;i&gt;<del>b</del><ins>c</ins>&lt;/i&gt;"


def test_dashboard_panel_for_translators(synced, client, login_as):
    login_as("perano", "translator")
    assert "/perano/workbench/queue" in client.get("/perano/").get_data(as_text=True)
    client.post("/perano/logout")
    login_as("perano", "staff")
    page = client.get("/perano/")
    assert "/perano/workbench/" not in page.get_data(as_text=True) and text_of(page)
