"""Issue 12: searches answered from a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL), over every
language version, with the same results as before and a query count that does not grow."""
from __future__ import annotations

from tests.fixtures.core import text_of


def test_project_search_finds_a_piece_of_any_language_version_in_any_case(client, login_as, make_project):
    make_project("perano", status="proposed", title="Sentieri dei trabocchi",
                 translations={"sv": {"title": "Stigar längs trabocchi-kusten"}})
    make_project("kungalv", status="proposed", title="Föreningslivets digitala verktyg")
    make_project("kungalv", status="proposed", title="Solenergi på skolorna")
    login_as("hiddenhausen", "staff")
    page = text_of(client.get("/hiddenhausen/projects/?q=KUSTEN"))
    assert "Sentieri dei trabocchi" in page or "Stigar längs trabocchi-kusten" in page
    assert "Solenergi" not in page
    # a piece inside a word, with a letter that ILIKE on SQLite never folded (Ö)
    page = text_of(client.get("/hiddenhausen/projects/?q=FÖRENING"))
    assert "Föreningslivets digitala verktyg" in page and "Solenergi" not in page
    # two letters cannot use a trigram index: the plain scan still answers
    page = text_of(client.get("/hiddenhausen/projects/?q=gi"))
    assert "Föreningslivets digitala verktyg" in page and "Solenergi" in page
    assert "Sentieri" not in page and "Stigar" not in page


def test_an_edited_or_deleted_text_is_searched_as_it_is_now(app, client, login_as, make_project, in_scope):
    from exchange.projects.models import ProjectText
    project_id = make_project("kungalv", status="proposed", title="Cykelvägar mellan byarna")
    with in_scope("kungalv") as session:
        row = session.query(ProjectText).filter_by(project_id=project_id, field="title").one()
        row.text = "Gångvägar mellan byarna"
        session.commit()
    login_as("kungalv", "staff")
    assert "Gångvägar" not in text_of(client.get("/kungalv/projects/?q=cykelv"))
    assert "Gångvägar mellan byarna" in text_of(client.get("/kungalv/projects/?q=gångv"))


def test_partner_search_finds_names_and_descriptions(client, login_as, make_org):
    make_org("perano", "Frantoio Di Santo", description="Olio extravergine e visite guidate.", locale="it")
    make_org("kungalv", "Ytterby idrottsförening", description="Fotboll och friidrott för unga.")
    login_as("hiddenhausen", "staff")
    page = text_of(client.get("/hiddenhausen/partners/?q=ESTRAV"))
    assert "Frantoio Di Santo" not in page  # "estrav" is not in "extravergine"
    page = text_of(client.get("/hiddenhausen/partners/?q=xtraverg"))
    assert "Frantoio Di Santo" in page and "Ytterby" not in page
    page = text_of(client.get("/hiddenhausen/partners/?q=Idrottsför"))
    assert "Ytterby idrottsförening" in page and "Frantoio" not in page


def test_search_query_count_does_not_grow_with_the_matches(app, client, login_as, make_project, count_queries):
    login_as("kungalv", "staff")
    make_project("kungalv", status="proposed", title="Vattenvård 0")

    def measure():
        with count_queries() as counter:
            response = client.get("/kungalv/projects/?q=vattenv")
        assert response.status_code == 200
        return counter.n

    one = measure()
    for i in range(1, 8):
        make_project("kungalv", status="proposed", title=f"Vattenvård {i}")
    assert measure() == one
