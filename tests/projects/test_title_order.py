"""Projects sorted by title (issue 12): in the reader's alphabet, by the title the reader sees (their
language, else the original), from stored keys that follow every change of a title or its translation."""
from __future__ import annotations

from tests.fixtures.core import actor_of, text_of


def _order(page: str, titles) -> list[str]:
    """The titles found on the page, in the order they appear."""
    return sorted((t for t in titles if t in page), key=page.index)


def test_titles_sort_in_the_readers_alphabet(client, login_as, make_project):
    for title in ("Zebra", "Öckerö", "Äpple", "Apelsin"):
        make_project("kungalv", status="proposed", title=title)
    titles = ("Zebra", "Öckerö", "Äpple", "Apelsin")
    login_as("kungalv", "staff", preferred_locale="sv")
    # Swedish: å, ä, ö come after z
    assert _order(text_of(client.get("/kungalv/projects/?sort=title")), titles) == \
        ["Apelsin", "Zebra", "Äpple", "Öckerö"]
    client.get("/kungalv/logout")
    login_as("hiddenhausen", "staff", preferred_locale="de")
    # German: ä with a, ö with o
    assert _order(text_of(client.get("/hiddenhausen/projects/?sort=title")), titles) == \
        ["Apelsin", "Äpple", "Öckerö", "Zebra"]


def test_italian_accents_are_ignored(client, login_as, make_project):
    for title in ("Fattoria", "Élite rurale", "Ecomuseo"):
        make_project("perano", status="proposed", title=title, locale="it")
    login_as("perano", "staff", preferred_locale="it")
    page = text_of(client.get("/perano/projects/?sort=title"))
    assert _order(page, ("Fattoria", "Élite rurale", "Ecomuseo")) == ["Ecomuseo", "Élite rurale", "Fattoria"]


def test_the_order_follows_translations_and_edits(app, client, login_as, in_scope, make_project):
    from exchange.i18n import services as content
    from exchange.projects.queries import get_project
    zebra = make_project("kungalv", status="proposed", title="Zebra")
    make_project("kungalv", status="proposed", title="Mango")
    titles = ("Zebra", "Mango", "Affe", "Ypsilon")
    login_as("hiddenhausen", "staff", preferred_locale="de")
    assert _order(text_of(client.get("/hiddenhausen/projects/?sort=title")), titles) == ["Mango", "Zebra"]
    # a German translation: German readers see (and sort by) it, Swedish readers still by the original
    with in_scope("kungalv") as session:
        content.set_translation(get_project(zebra), "title", "de", "Affe", actor_of("kungalv"))
        session.commit()
    assert _order(text_of(client.get("/hiddenhausen/projects/?sort=title")), titles) == ["Affe", "Mango"]
    # the translation is edited: the order follows, in the same transaction
    with in_scope("kungalv") as session:
        content.set_translation(get_project(zebra), "title", "de", "Ypsilon", actor_of("kungalv"))
        session.commit()
    assert _order(text_of(client.get("/hiddenhausen/projects/?sort=title")), titles) == ["Mango", "Ypsilon"]
    client.get("/hiddenhausen/logout")
    login_as("kungalv", "staff", preferred_locale="sv")
    assert _order(text_of(client.get("/kungalv/projects/?sort=title")), titles) == ["Mango", "Zebra"]
    # the original is edited: Swedish readers' order follows it
    with in_scope("kungalv") as session:
        content.set_source(get_project(zebra), "title", "Affär", "sv", actor_of("kungalv"))
        session.commit()
    assert _order(text_of(client.get("/kungalv/projects/?sort=title")), ("Affär", "Mango")) == ["Affär", "Mango"]


def test_another_municipalitys_draft_is_not_in_the_sorted_list(client, login_as, make_project):
    make_project("kungalv", title="Hemligt utkast")
    make_project("kungalv", status="proposed", title="Öppet förslag")
    login_as("perano", "staff")
    page = text_of(client.get("/perano/projects/?sort=title"))
    assert "Öppet förslag" in page and "Hemligt utkast" not in page


def test_every_project_has_a_key_per_language(app, in_scope, make_project):
    from sqlalchemy import select

    from exchange.extensions import db
    from exchange.projects.models import ProjectSortKey
    project_id = make_project("perano", title="Olio", locale="it", translations={"sv": {"title": "Olja"}})
    with in_scope("perano"):
        keys = dict(db.session.execute(select(ProjectSortKey.locale, ProjectSortKey.key)
                                       .where(ProjectSortKey.project_id == project_id)).all())
    assert keys == {"sv": "olja", "de": "olio", "it": "olio"}


def test_a_command_recomputes_the_keys_after_a_language_is_added(app, in_scope, make_project, make_org):
    from sqlalchemy import delete, func, select

    from exchange.extensions import db
    from exchange.partners.models import OrganisationSortKey
    from exchange.projects.models import ProjectSortKey
    project_id = make_project("kungalv", status="proposed", title="Öl", translations={"de": {"title": "Bier"}})
    org_id = make_org("perano", "Åsa förening")
    # as after a language was added to the configuration: no German keys yet
    for slug, model in (("kungalv", ProjectSortKey), ("perano", OrganisationSortKey)):
        with in_scope(slug) as session:
            session.execute(delete(model).where(model.locale == "de"))
            session.commit()
            assert session.scalar(select(func.count()).select_from(model).where(model.locale == "de")) == 0
    result = app.test_cli_runner().invoke(args=["translations", "sort-keys"])
    assert result.exit_code == 0, result.output
    with in_scope("kungalv"):
        assert db.session.scalar(select(ProjectSortKey.key).where(ProjectSortKey.project_id == project_id,
                                                                  ProjectSortKey.locale == "de")) == "bier"
        assert db.session.scalar(select(OrganisationSortKey.key).where(
            OrganisationSortKey.organisation_id == org_id, OrganisationSortKey.locale == "de")) == "asa forening"
