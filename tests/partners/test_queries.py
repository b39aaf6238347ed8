"""The directory (filters, the reader's alphabet, pagination), suggestions both ways (narrowed in SQL,
exact against scoring everyone), and bounded query counts at two data sizes."""
from __future__ import annotations

from tests.fixtures.partners import tourism
import datetime as dt
import random

import pytest
from sqlalchemy import select

from exchange.extensions import db
from exchange.partners import matching, queries
from exchange.partners.models import Organisation
from tests.fixtures.core import text_of


def names(stmt) -> list[str]:
    return [o.name for o in db.session.scalars(stmt)]


def test_directory_filters(app, in_scope, make_org):
    make_org("perano", "Frantoio Perano", type="business", offers=("rural-development",), seeks=("tourism",),
             languages=("it", "de"), description="Olio extravergine di oliva.", locale="it")
    make_org("kungalv", "Kungälvs Bostäder", type="municipal_company", offers=("climate-energy",),
             languages=("sv", "en"), description="Kommunalt bostadsbolag.")
    make_org("hiddenhausen", "TuS Hiddenhausen", offers=("sport-leisure", "tourism"), languages=("de",),
             locale="de", description="Sportverein.")
    make_org("hiddenhausen", "Alter Verein", offers=("tourism",), languages=("de",), active=False)
    with in_scope("kungalv"):
        from exchange.municipalities.queries import by_slug
        from exchange.themes.queries import active_themes
        tourism = next(t.id for t in active_themes() if t.key == "tourism")
        f = queries.DirectoryFilters
        assert names(queries.directory(f(), "sv")) == ["Frantoio Perano", "Kungälvs Bostäder", "TuS Hiddenhausen"]
        assert names(queries.directory(f(theme_id=tourism), "sv")) == ["Frantoio Perano", "TuS Hiddenhausen"]
        assert names(queries.directory(f(theme_id=tourism, theme_kind="offers"), "sv")) == ["TuS Hiddenhausen"]
        assert names(queries.directory(f(theme_id=tourism, theme_kind="seeks"), "sv")) == ["Frantoio Perano"]
        assert names(queries.directory(f(type="municipal_company"), "sv")) == ["Kungälvs Bostäder"]
        assert names(queries.directory(f(municipality_id=by_slug("perano").id), "sv")) == ["Frantoio Perano"]
        assert names(queries.directory(f(language="de"), "sv")) == ["Frantoio Perano", "TuS Hiddenhausen"]
        # Free text in any language version, from a Swedish search box; LIKE wildcards are literal.
        assert names(queries.directory(f(q="OLIO"), "sv")) == ["Frantoio Perano"]
        assert names(queries.directory(f(q="bostads"), "it")) == ["Kungälvs Bostäder"]
        assert names(queries.directory(f(q="%"), "sv")) == []
        assert names(queries.directory(f(include_retired=True, municipality_id=by_slug("hiddenhausen").id),
                                       "sv")) == ["Alter Verein", "TuS Hiddenhausen"]


def test_directory_sorts_in_the_readers_alphabet_and_paginates_in_sql(app, in_scope, make_org):
    for name in ["Zebra", "Öckerö", "Ärla", "Åsa", "Oliv", "Anna", "Ängen", "Bäcken", "Ödla"]:
        make_org("kungalv", name)
    with in_scope("kungalv"):
        assert names(queries.directory(queries.DirectoryFilters(), "sv")) == [
            "Anna", "Bäcken", "Oliv", "Zebra", "Åsa", "Ängen", "Ärla", "Öckerö", "Ödla"]
        assert names(queries.directory(queries.DirectoryFilters(), "de")) == [
            "Ängen", "Anna", "Ärla", "Åsa", "Bäcken", "Öckerö", "Ödla", "Oliv", "Zebra"]
        # Pages are cut by the database after sorting: page 2 continues where page 1 stopped.
        stmt = queries.directory(queries.DirectoryFilters(), "sv")
        first = db.paginate(stmt, page=1, per_page=4, error_out=False)
        second = db.paginate(stmt, page=2, per_page=4, error_out=False)
        assert [o.name for o in first.items] + [o.name for o in second.items] == [
            "Anna", "Bäcken", "Oliv", "Zebra", "Åsa", "Ängen", "Ärla", "Öckerö"]


# --- suggestions -------------------------------------------------------------------------------------

TYPES = ["municipal_department", "municipal_company", "association", "business", "public_authority",
         "education", "other_public"]


def random_network(app, in_scope, themes, n: int, seed: int = 7):
    """n organisations with random themes, languages, types and ages, bulk-inserted through the models."""
    from exchange.municipalities.queries import by_slug
    from exchange.partners.models import OrganisationLanguage, OrganisationSortKey, OrganisationTheme, sort_key
    from exchange.tenancy import all_municipalities
    rng = random.Random(seed)
    keys = list(themes)
    with in_scope("kungalv") as session:
        towns = [by_slug(s) for s in ("kungalv", "hiddenhausen", "perano")]
        with all_municipalities():  # test data for every municipality at once
            for i in range(n):
                town = rng.choice(towns)
                name = f"Org {i:05d}"
                org = Organisation(municipality_id=town.id, name=name, sort_name=sort_key(name),
                                   type=rng.choice(TYPES), active=rng.random() > 0.05,
                                   last_confirmed_on=dt.date.today() - dt.timedelta(days=rng.randint(0, 800)))
                offers = rng.sample(keys, rng.randint(1, 3))
                seeks = rng.sample(keys, rng.randint(0, 2))
                org.theme_links = ([OrganisationTheme(kind="offers", theme_id=themes[k]) for k in offers]
                                   + [OrganisationTheme(kind="seeks", theme_id=themes[k]) for k in seeks])
                org.language_rows = [OrganisationLanguage(language=c)
                                     for c in rng.sample(["sv", "de", "it", "en"], rng.randint(1, 2))]
                # one sort key per configured language, as the partner services write them
                org.sort_keys = [OrganisationSortKey(locale=loc, key=sort_key(name, loc)) for loc in ("sv", "de", "it")]
                session.add(org)
            session.commit()


def brute_force(project_id: int, limit: int = 20):
    """Score every organisation in Python: what the narrowed query must agree with."""
    project = queries.get_project(project_id)
    profile = queries.project_profile(project)
    orgs = db.session.scalars(select(Organisation).options(*queries.profile_options(with_texts=False))).all()
    today = dt.date.today()
    scored = [s for o in orgs if (s := matching.score(queries.candidate_of(o), profile, today))]
    return [(s.organisation_id, s.score) for s in matching.rank(scored, {o.id: o.sort_name for o in orgs}, limit)]


@pytest.mark.parametrize("needs", [
    [],
    [dict(theme_keys=("tourism",))],
    [dict(theme_keys=("tourism", "culture", "rural-development"), types=("association", "business"))],
    [dict(theme_keys=("tourism",), origin="municipality", origin_municipality="perano"),
     dict(theme_keys=("culture", "schools-youth"), types=("education",), role="expert", origin="country",
          origin_country="SE")],
])
def test_narrowed_suggestions_equal_scoring_everyone(app, in_scope, themes, make_project, make_need, needs):
    random_network(app, in_scope, themes, 400)
    project_id = make_project("hiddenhausen", **tourism(theme_keys=("tourism", "culture"), participants=("kungalv",)))
    for need in needs:
        make_need(project_id, "hiddenhausen", **need)
    with in_scope("hiddenhausen"):
        project = queries.get_project(project_id)
        fast = [(s.organisation_id, s.score) for s, _org in queries.suggestions_for_project(project)]
        assert fast == brute_force(project_id)
        assert len(fast) == 20


def test_linked_organisations_are_not_suggested_again(app, in_scope, make_org, make_project):
    from exchange.partners import services
    from tests.fixtures.core import actor_of
    a = make_org("perano", "Uno", languages=("de",))
    b = make_org("perano", "Due")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("hiddenhausen") as session:
        project = queries.get_project(project_id)
        assert [o.id for _s, o in queries.suggestions_for_project(project)] == [a, b]
        services.invite_organisation(project, queries.get_organisation(a), actor_of("hiddenhausen"), "host")
        session.commit()
        assert [o.id for _s, o in queries.suggestions_for_project(queries.get_project(project_id))] == [b]


def test_projects_suggested_for_an_organisation(app, in_scope, make_org, make_project, make_need):
    org_id = make_org("perano", "Frantoio", type="business", offers=("tourism", "rural-development"),
                      languages=("it", "de"))
    best = make_project("hiddenhausen", **tourism(title="Agriturismo", theme_keys=("tourism",)))
    make_need(best, "hiddenhausen", theme_keys=("tourism", "rural-development"), types=("business",))
    good = make_project("kungalv", **tourism(title="Turism", locale="sv", theme_keys=("tourism",)))
    wrong_type = make_project("kungalv", **tourism(title="Skolor", locale="sv", theme_keys=("tourism",)))
    make_need(wrong_type, "kungalv", theme_keys=("tourism",), types=("education",))
    make_project("kungalv", **tourism(title="Utkast", locale="sv", status="draft"))  # a draft: Perano cannot see it
    make_project("kungalv", **tourism(title="Klimat", locale="sv", theme_keys=("climate-energy",)))
    with in_scope("perano"):
        org = queries.get_organisation(org_id)
        rows = queries.suggestions_for_organisation(org)
        assert [p.id for _s, p in rows] == [best, good]
        assert rows[0][0].score > rows[1][0].score


# --- query counts ------------------------------------------------------------------------------------

def _count(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.n


def test_directory_and_suggestion_pages_issue_a_bounded_number_of_queries(app, client, in_scope, themes,
                                                                          login_as, make_project, make_need,
                                                                          count_queries):
    login_as("hiddenhausen", "coordinator")
    random_network(app, in_scope, themes, 30, seed=1)
    project_id = make_project("hiddenhausen", **tourism(theme_keys=("tourism", "culture")))
    make_need(project_id, "hiddenhausen", theme_keys=("tourism", "culture"))
    with in_scope("hiddenhausen"):
        some_org = db.session.scalar(select(Organisation.id).order_by(Organisation.id))
    urls = ["/hiddenhausen/partners/", "/hiddenhausen/partners/?theme=%d" % themes["tourism"],
            f"/hiddenhausen/partners/projects/{project_id}/suggestions",
            f"/hiddenhausen/partners/{some_org}/projects", f"/hiddenhausen/partners/{some_org}"]
    small = {url: _count(client, count_queries, url) for url in urls}
    random_network(app, in_scope, themes, 300, seed=2)
    large = {url: _count(client, count_queries, url) for url in urls}
    assert large == small, (small, large)
    assert max(small.values()) <= 25, small
    page = client.get(f"/hiddenhausen/partners/projects/{project_id}/suggestions")
    assert text_of(page).count("Invite") >= 20 or "Einladen" in text_of(page)


# --- many needs: the statement grows linearly (issue 11) ----------------------------------------------

def _bounds_sql(needs: int, dialect) -> str:
    from exchange.partners.matching import Need, ProjectProfile
    from exchange.partners.queries.suggestions import _candidate_bounds
    profile = ProjectProfile(1, 1, "de", frozenset({1, 2}), frozenset({1}), tuple(
        Need(i, frozenset({i % 12 + 1, (i * 5) % 12 + 1}), frozenset(TYPES[: i % 7 + 1]), origin="any")
        for i in range(1, needs + 1)), leader=True, linked=frozenset({3}))
    stmt = _candidate_bounds(profile, dt.date(2025, 6, 1), 20)
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


@pytest.mark.parametrize("dialect_name", ["sqlite", "postgresql"])
def test_the_suggestion_statement_grows_linearly_with_the_needs(app, dialect_name):
    """A nested CASE per need doubled the statement with every need (11 needs: 'more than 2000 aggregate
    terms' on SQLite; 60 needs never answered on PostgreSQL). Each need may add a bounded amount only."""
    from sqlalchemy.dialects import postgresql, sqlite
    dialect = {"sqlite": sqlite.dialect(), "postgresql": postgresql.dialect()}[dialect_name]
    size = {n: len(_bounds_sql(n, dialect)) for n in (1, 10, 20, 60)}
    assert size[20] - size[10] <= 2 * (size[10] - size[1]) + 100, size
    # The candidates' window (issue 12) adds one branch per theme the needs ask for: at most the taxonomy's
    # (twelve here, all of them by ten needs), so from ten needs on the statement hardly grows.
    assert size[60] < 2 * size[10], size
    assert size[60] - size[20] < size[20] - size[10] + 500, size
    assert _bounds_sql(60, dialect).count("CASE") == _bounds_sql(1, dialect).count("CASE")


def test_sixty_needs_are_answered_exactly(app, client, in_scope, themes, login_as, make_project, make_need):
    rng = random.Random(11)
    keys = list(themes)
    random_network(app, in_scope, themes, 150, seed=5)
    project_id = make_project("hiddenhausen", **tourism(theme_keys=("tourism", "culture"), participants=("kungalv",)))
    origins = [dict(origin="any"), dict(origin="municipality", origin_municipality="perano"),
               dict(origin="country", origin_country="SE")]
    for i in range(60):
        make_need(project_id, "hiddenhausen", theme_keys=tuple(rng.sample(keys, rng.randint(1, 3))),
                  types=tuple(rng.sample(TYPES, rng.randint(1, 4))), role=rng.choice(["expert", "host"]),
                  **origins[i % 3])
    with in_scope("hiddenhausen"):
        project = queries.get_project(project_id)
        assert len(queries.needs_of_project(project_id)) == 60
        fast = [(s.organisation_id, s.score) for s, _org in queries.suggestions_for_project(project)]
        assert fast == brute_force(project_id)
        assert len(fast) == 20
    login_as("hiddenhausen", "coordinator")
    assert client.get(f"/hiddenhausen/partners/projects/{project_id}/suggestions").status_code == 200


# --- the reverse view at scale: ordered by the whole score's bound (issue 12) -------------------------

def test_projects_for_an_organisation_agree_with_scoring_every_project(app, in_scope, make_org, make_project,
                                                                       count_queries):
    """More tied projects than a batch and than the window (every one works on the organisation's theme and
    lists no needs): the keyset batches, ordered by the bound of the whole score, give exactly the top 20
    of scoring in Python every project of the window (the WINDOW newest of the theme), in a number of
    statements that does not depend on how many projects tie."""
    from exchange.partners.queries.suggestions import BATCH, WINDOW
    from exchange.projects.models import Project
    org_id = make_org("perano", "Frantoio", type="business", offers=("tourism",), seeks=("culture",),
                      languages=("sv",))
    rng = random.Random(3)

    def add(n):
        for i in range(n):
            lead, locale = rng.choice([("kungalv", "sv"), ("hiddenhausen", "de"), ("perano", "it")])
            keys = ("tourism", "culture") if rng.random() < 0.3 else ("tourism",)
            make_project(lead, status="proposed", title=f"P {i}", locale=locale, theme_keys=keys)

    def reverse():
        with in_scope("perano"):
            with count_queries() as counter:
                found = [(s.score, p.id) for s, p in
                         queries.suggestions_for_organisation(queries.get_organisation(org_id))]
            org = queries.get_organisation(org_id)
            candidate = queries.candidate_of(org)
            every = [matching.score(candidate, queries.project_profile(p, linked=()), dt.date.today())
                     for p in db.session.scalars(select(Project).where(Project.status == "proposed")
                                                 .order_by(Project.id.desc()).limit(WINDOW))]
            expected = [(s.score, s.project_id) for s in matching.rank_projects([s for s in every if s], 20)]
        return found, expected, counter.n

    add(25)
    found, expected, small = reverse()
    assert found == expected and len(found) == 20
    add(max(BATCH, WINDOW) + 10)
    found, expected, large = reverse()
    assert found == expected and len(found) == 20
    assert large == small


# --- the window of organisations for a project (issue 12) --------------------------------------------

def test_organisations_are_sought_among_the_newest_offering_a_theme(app, in_scope, make_org, make_project,
                                                                   make_need, monkeypatch):
    """With more organisations offering a needed theme than the window, the suggestions are the best of
    the window's newest (by the same score), of a type the need accepts; inactive organisations and
    organisations of a type the need refuses take no place in it."""
    from exchange.partners.queries import suggestions
    monkeypatch.setattr(suggestions, "ORGANISATION_WINDOW", 4)
    old = [make_org("perano", f"Vecchia {i}", type="business", languages=("de",)) for i in range(3)]
    newer = [make_org("kungalv", f"Ny {i}", type="business", languages=("sv", "de")) for i in range(3)]
    refused = make_org("kungalv", "Skolan", type="education")
    inactive = make_org("kungalv", "Vilande", type="business", active=False)
    newest = make_org("hiddenhausen", "Neu", type="business", languages=("de",))
    project_id = make_project("hiddenhausen", **tourism())
    make_need(project_id, "hiddenhausen", theme_keys=("tourism",), types=("business", "association"))
    with in_scope("hiddenhausen"):
        found = [o.id for _s, o in suggestions.suggestions_for_project(queries.get_project(project_id))]
    # the four newest businesses offering tourism: "Neu" and the three "Ny" (older ones out of the window)
    assert sorted(found) == sorted([newest, *newer])
    assert refused not in found and inactive not in found and not set(old) & set(found)
    # best first: all four speak German, but "Neu" is from the lead municipality (no points for a
    # municipality new to the project), so it comes last
    assert found[-1] == newest
