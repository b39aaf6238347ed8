"""Issue 12: searches answered from a trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL), over every
language version, with the same results as before and a query count that does not grow."""
from __future__ import annotations

import sqlalchemy as sa

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


# --- rare and common terms (exchange.i18n.search.is_common) -----------------------------------------------
# A term the index matches more than the cap times is answered by walking the list's own order and testing
# each row; a rarer one from the index's matches. COUNT_CAP lowered to 2 makes a term of three texts
# "common": the reader must see the same rows in the same order either way.

def _order(page: str, titles) -> list[str]:
    """The titles found on the page, in the order they appear."""
    return sorted((t for t in titles if t in page), key=page.index)


def _both_ways(app, fetch):
    """``fetch()`` answered with the term rare (cap 1 000) and common (cap 2)."""
    rare = fetch()
    app.config["COUNT_CAP"] = 2
    try:
        common = fetch()
    finally:
        app.config.pop("COUNT_CAP")
    return rare, common


def test_a_common_and_a_rare_term_find_the_same_projects_in_the_same_order(app, client, login_as,
                                                                           make_project):
    titles = ["Skolgårdar som lekplatser", "Cykelvägar till skolan", "Solenergi på taken",
              "Musikskola för alla", "Vänortsbesök"]
    for title in titles:
        make_project("kungalv", status="proposed", title=title, summary="Ett samarbete.")
    # another municipality's draft containing the term: never shown, whichever shape answers
    make_project("perano", status="draft", title="Scuola segreta", locale="it", summary="Bozza skolan.")
    # found through another language version only
    make_project("perano", status="proposed", title="Orti nelle scuole", locale="it", summary="Insieme.",
                 translations={"sv": {"title": "Skolträdgårdar", "summary": "Tillsammans."}})
    titles += ["Orti nelle scuole", "Skolträdgårdar", "Scuola segreta", "Bozza"]
    login_as("kungalv", "staff")

    rare, common = _both_ways(app, lambda: _order(text_of(client.get("/kungalv/projects/?q=SKOL&lang=sv")),
                                                  titles))
    assert rare == common
    assert "Scuola segreta" not in rare and "Bozza" not in rare
    assert "Solenergi på taken" not in rare and "Vänortsbesök" not in rare
    assert {"Skolgårdar som lekplatser", "Cykelvägar till skolan", "Musikskola för alla"} <= set(rare)
    assert "Orti nelle scuole" in rare or "Skolträdgårdar" in rare
    # newest first, as the list without a search
    everything = _order(text_of(client.get("/kungalv/projects/?lang=sv")), titles)
    assert rare == [t for t in everything if t in rare]
    # every order of the list, walked (title) or sorted by the database (start, status)
    for sort in ("title", "start", "status"):
        rare, common = _both_ways(app, lambda: _order(
            text_of(client.get(f"/kungalv/projects/?q=SKOL&sort={sort}&lang=sv")), titles))
        assert rare == common and len(rare) == 4 and "Scuola segreta" not in rare, sort


def test_a_common_term_folds_case_beyond_ascii_as_the_index_does(app, client, login_as, make_project):
    for i in range(3):
        make_project("kungalv", status="proposed", title=f"ÖREFJÄLLETS förening {i}")
    login_as("kungalv", "staff")
    rare, common = _both_ways(app, lambda: text_of(client.get("/kungalv/projects/?q=örefjäll")))
    for page in (rare, common):
        assert all(f"ÖREFJÄLLETS förening {i}" in page for i in range(3))


def test_a_common_and_a_rare_term_find_the_same_organisations_in_name_order(app, client, login_as, make_org):
    make_org("perano", "Circolo Arci", description="Una föreningslik associazione.", locale="it")
    make_org("kungalv", "Ytterby idrottsförening", description="Fotboll.")
    make_org("kungalv", "Bohus hembygdsförening", description="Historia.")
    make_org("hiddenhausen", "Sportverein", description="Wie eine Förening.", locale="de")
    make_org("kungalv", "Kulturhuset", description="Konserter.")
    make_org("kungalv", "Äldre förening", description="Retired.", active=False)
    names = ["Circolo Arci", "Ytterby idrottsförening", "Bohus hembygdsförening", "Sportverein", "Kulturhuset",
             "Äldre förening"]
    login_as("kungalv", "staff")

    rare, common = _both_ways(app, lambda: _order(text_of(client.get("/kungalv/partners/?q=förening&lang=sv")),
                                                  names))
    assert rare == common == ["Bohus hembygdsförening", "Circolo Arci", "Sportverein", "Ytterby idrottsförening"]


def test_a_common_and_a_rare_term_find_the_same_lessons(app, client, login_as, make_visit):
    import datetime as dt
    for day, lessons in ((1, "Skolbesök gav idéer."), (2, "Hamnen."), (3, "Nya skolor byggs."),
                         (4, "Skolmaten var god.")):
        make_visit("perano", visitors=("kungalv",), start=dt.date(2024, 3, day), lessons=lessons,
                   purpose="Besöka skolor.")
    # a visit Kungälv did not take part in, whose lessons contain the term
    make_visit("perano", visitors=("hiddenhausen",), start=dt.date(2024, 3, 5), lessons="Geheime Schule, skolan.")
    texts = ["Skolbesök gav idéer.", "Hamnen.", "Nya skolor byggs.", "Skolmaten var god.", "Geheime Schule"]
    login_as("kungalv", "staff")

    rare, common = _both_ways(app, lambda: _order(text_of(client.get("/kungalv/visits/lessons?q=skol&lang=sv")),
                                                  texts))
    # newest first; the purpose ("Besöka skolor") is not searched, only the lessons
    assert rare == common == ["Skolmaten var god.", "Nya skolor byggs.", "Skolbesök gav idéer."]


def test_search_statements_are_the_same_for_a_rare_and_a_common_term(app, client, login_as, make_project,
                                                                      count_queries):
    for i in range(3):
        make_project("kungalv", status="proposed", title=f"Vattenvård {i}")
    login_as("kungalv", "staff")

    def measure():
        with count_queries() as counter:
            assert client.get("/kungalv/projects/?q=vattenv").status_code == 200
        return counter.n

    rare, common = _both_ways(app, measure)
    assert rare == common


# --- the municipality filter: the reader's own, its twin towns, the one chosen ---------------------------

def _offered(response) -> str:
    """The municipality filter's <select> of the page."""
    import re
    return re.search(r'<select[^>]*name="municipality".*?</select>', response.get_data(as_text=True), re.S).group(0)


def test_the_municipality_filter_offers_own_twins_and_the_chosen_one(app, client, login_as, make_project,
                                                                     make_org, twin, towns):
    import datetime as dt
    from exchange.municipalities.services import create_or_update
    with app.app_context():
        from exchange.extensions import db
        create_or_update("lahti", "Lahti", "FI", "sv", "EUR", "Europe/Helsinki")
        db.session.commit()
        from exchange.municipalities.queries import by_slug
        lahti = by_slug("lahti").id
    twin("kungalv", "hiddenhausen", dt.date(1992, 6, 13))
    make_project("perano", status="proposed", title="Progetto di Perano", locale="it")
    make_project("kungalv", status="proposed", title="Kungälvs projekt")
    make_org("perano", "Frantoio Di Santo", locale="it")
    make_org("kungalv", "Ytterby idrottsförening")
    login_as("kungalv", "staff")
    for path in ("/kungalv/projects/", "/kungalv/partners/"):
        html = _offered(client.get(path))
        assert f'value="{towns["kungalv"]}"' in html and f'value="{towns["hiddenhausen"]}"' in html
        assert f'value="{towns["perano"]}"' not in html and f'value="{lahti}"' not in html
    # any municipality of the network still filters, from a link, and is then offered (selected)
    response = client.get(f"/kungalv/projects/?municipality={towns['perano']}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Progetto di Perano" in page and "Kungälvs projekt" not in page
    assert f'<option selected value="{towns["perano"]}">' in _offered(response)
    response = client.get(f"/kungalv/partners/?municipality={towns['perano']}")
    assert response.status_code == 200
    assert "Frantoio Di Santo" in text_of(response) and "Ytterby" not in text_of(response)
    # an id that is no municipality is still an error, never a 500
    assert client.get("/kungalv/projects/?municipality=999999").status_code == 422
    assert client.get("/kungalv/partners/?municipality=999999").status_code == 422


def test_the_directory_counts_a_common_term_from_the_names_index_up_to_the_cap(app, in_scope, make_org,
                                                                               count_queries):
    """Issue 12: the bounded count of a partner search stops at the organisations whose *name* has the term
    (read from the name's index) when they alone pass the cap, and otherwise counts every match (names
    and descriptions, active only); one statement either way."""
    from exchange.partners.queries.directory import DirectoryFilters, directory_page
    for name in ("Ytterby idrottsförening", "Bohus hembygdsförening"):
        make_org("kungalv", name, description="Föreningsliv.")
    make_org("kungalv", "Kulturhuset", description="En förening för konst.")  # by its description
    for name in ("Äldre förening", "Gamla föreningen"):  # retired: never counted, not even by name
        make_org("kungalv", name, description="Nedlagd.", active=False)
    make_org("kungalv", "Konsthallen", description="Utställningar.")  # no match
    totals, statements = {}, set()
    for cap in (1, 2, 3, 1000):
        app.config["COUNT_CAP"] = cap
        try:
            with app.test_request_context("/kungalv/partners/?q=förening"), in_scope("kungalv"):
                with count_queries() as counter:
                    totals[cap] = directory_page(DirectoryFilters(q="förening"), "sv", 20).total
                statements.add(counter.n)
        finally:
            app.config.pop("COUNT_CAP")
    # cap + 1 means "more than": the two names alone pass a cap of 1; from 2 on the description counts too
    assert totals == {1: 2, 2: 3, 3: 3, 1000: 3}
    assert len(statements) == 1, statements


# --- a municipality's visits: read from its own, or tested on each visit walked (Visit.involves) ----------
# A municipality with at most FEW_VISITS visits has them read from the indexes of hosts and visitors; one
# with more has each visit a list walks tested. FEW_VISITS lowered to 0 makes every municipality "many":
# each reader must see the same visits in the same order either way, and nothing more.

def _sent(app, fetch):
    """``fetch()``'s answer and the statements it sent."""
    with app.app_context():
        from exchange.extensions import db
        engine = db.engine
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, …)
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        return fetch(), statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def _both_shapes(app, fetch):
    """``fetch()`` answered with the municipalities' visits read from their own (the default for a test's
    few visits) and tested on each visit walked (FEW_VISITS 0); with the statements each sent."""
    answers = []
    for few in (None, 0):
        if few is not None:
            app.config["FEW_VISITS"] = app.config["FEW_VISITS_COUNTED"] = few
        try:
            answer, statements = _sent(app, fetch)
            answers.append((answer, " ".join(statements)))
        finally:
            app.config.pop("FEW_VISITS", None)
            app.config.pop("FEW_VISITS_COUNTED", None)
    (few_answer, few_sql), (many_answer, many_sql) = answers
    # each shape really answered: the municipality's own visits by host (an alias of the visits), or a
    # probe of the visitors' index for each visit walked
    hosted, probed = "visits_1.host_municipality_id = ", "visit_municipalities.visit_id = visits.id"
    assert hosted in few_sql and probed not in few_sql
    assert probed in many_sql and hosted not in many_sql
    return few_answer, many_answer


def test_a_municipality_with_few_or_many_visits_sees_the_same_ones(app, client, login_as, make_visit, towns):
    import datetime as dt
    import re
    make_visit("perano", visitors=("kungalv",), start=dt.date(2024, 3, 1), lessons="Skolbesök i Perano.")
    make_visit("kungalv", visitors=("hiddenhausen",), start=dt.date(2024, 4, 1), lessons="Skolor i Kungälv.")
    make_visit("kungalv", visitors=("perano", "hiddenhausen"), start=dt.date(2024, 5, 1),
               lessons="Skolgårdar för alla.")
    # Kungälv took no part: its lessons are not Kungälv's to read, and it is no visit "with Kungälv"
    make_visit("hiddenhausen", visitors=("perano",), start=dt.date(2024, 6, 1), lessons="Geheime Schule, skolan.")
    texts = ["Skolbesök i Perano.", "Skolor i Kungälv.", "Skolgårdar för alla.", "Geheime Schule"]
    login_as("kungalv", "staff")

    def lessons(query: str = "") -> list[str]:
        return _order(text_of(client.get(f"/kungalv/visits/lessons?lang=sv{query}")), texts)

    few, many = _both_shapes(app, lambda: (lessons(), lessons("&q=skol")))
    assert few == many == (["Skolgårdar för alla.", "Skolor i Kungälv.", "Skolbesök i Perano."],) * 2

    # A town too big to read its own visits for a list, small enough to have them read from its own when
    # a search counts its matches of a common term (FEW_VISITS_COUNTED; more matches than the cap, lowered
    # to 1, make "skol" common): its lessons are walked, and so is the page of a common term's, whose count
    # reads the town's own visits; a rare term's are read from the index's matches, each tested for the
    # town. The same lessons every way.
    app.config.update(FEW_VISITS=1, FEW_VISITS_COUNTED=10, COUNT_CAP=1)
    try:
        (listed_lessons,), listed_sql = _sent(app, lambda: (lessons(),))
        (common,), common_sql = _sent(app, lambda: (lessons("&q=skol"),))
        (rare,), rare_sql = _sent(app, lambda: (lessons("&q=gårdar"),))
    finally:
        for key in ("FEW_VISITS", "FEW_VISITS_COUNTED", "COUNT_CAP"):
            app.config.pop(key, None)
    assert listed_lessons == common == ["Skolgårdar för alla.", "Skolor i Kungälv.", "Skolbesök i Perano."]
    assert rare == ["Skolgårdar för alla."]
    hosted, probed = "visits_1.host_municipality_id = ", "visit_municipalities.visit_id = visits.id"

    def shapes(statements: list[str]) -> list[str]:
        """The shape of each statement over the lessons: read from the town's own, or probed per visit."""
        return [("count " if statement.startswith("SELECT count(*)") else "page ")
                + ("own" if hosted in statement else "probed") for statement in statements
                if hosted in statement or probed in statement]

    assert shapes(listed_sql) == shapes(rare_sql) == ["page probed", "count probed"]
    assert shapes(common_sql) == ["page probed", "count own"]

    def listed(query: str) -> int:
        page = text_of(client.get(f"/kungalv/visits/?lang=sv&{query}"))
        return int(re.search(r"(\d+) besök ", page).group(1))

    pair = "-".join(str(i) for i in sorted((towns["kungalv"], towns["perano"])))
    few, many = _both_shapes(app, lambda: (listed(f"municipality={towns['kungalv']}"),
                                           listed(f"municipality={towns['hiddenhausen']}"), listed(f"pair={pair}")))
    assert few == many == (3, 3, 2)
