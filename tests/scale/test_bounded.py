"""Issue 12: lists count at most a cap of rows ("more than 1 000 found"), and dashboard to-do lists show
the oldest few, so neither grows with the size of the network."""
from __future__ import annotations

from tests.fixtures.core import text_of


def shows(tr, response, locale: str, msgid: str, num: int) -> bool:
    """The page shows ``msgid`` in ``locale`` with its number (``tr`` keeps ``num`` for plurals)."""
    expected = tr(locale, msgid).replace("%(num)s", str(num)).replace("%(num)d", str(num))
    return expected in text_of(response)


def test_a_list_past_the_cap_says_more_than_and_still_pages(app, client, login_as, make_project, tr):
    app.config["COUNT_CAP"] = 3
    try:
        for i in range(5):
            make_project("kungalv", status="proposed", title=f"Projekt {i}")
        login_as("kungalv", "staff")
        response = client.get("/kungalv/projects/?lang=de")
        assert shows(tr, response, "de", "More than %(num)s projects found.", 3)
        make_project("kungalv", status="proposed", title="Bara ett")
        response = client.get("/kungalv/projects/?q=bara&lang=de")
        assert "Bara ett" in text_of(response)
        assert not shows(tr, response, "de", "More than %(num)s projects found.", 3)
    finally:
        app.config.pop("COUNT_CAP")


def test_the_directory_and_the_visit_list_say_more_than_past_the_cap(app, client, login_as, make_org, tr):
    app.config["COUNT_CAP"] = 2
    try:
        for name in ("Alfa förening", "Beta förening", "Gamma förening"):
            make_org("kungalv", name)
        login_as("kungalv", "staff")
        assert shows(tr, client.get("/kungalv/partners/?lang=it"), "it", "More than %(num)s organisations found", 2)
        assert not shows(tr, client.get("/kungalv/partners/?q=gamma&lang=it"), "it",
                         "More than %(num)s organisations found", 2)
    finally:
        app.config.pop("COUNT_CAP")


def test_list_query_count_is_the_same_below_and_past_the_cap(app, client, login_as, make_project, count_queries):
    app.config["COUNT_CAP"] = 3
    try:
        login_as("kungalv", "staff")
        make_project("kungalv", status="proposed", title="Projekt 0")

        def measure():
            with count_queries() as counter:
                assert client.get("/kungalv/projects/").status_code == 200
            return counter.n

        below = measure()
        for i in range(1, 6):
            make_project("kungalv", status="proposed", title=f"Projekt {i}")
        assert measure() == below
    finally:
        app.config.pop("COUNT_CAP")


def test_the_dashboard_lists_the_oldest_invitations_and_says_there_are_more(client, login_as, make_project, tr,
                                                                            in_scope, monkeypatch):
    from exchange.municipalities.queries import by_slug
    from exchange import dashboard
    from exchange.projects import services, views
    from exchange.projects.queries import get_project
    from tests.fixtures.core import actor_of
    monkeypatch.setattr(dashboard, "PANEL_ROWS", 2)
    monkeypatch.setattr(views, "PANEL_ROWS", 2)
    for i in range(3):
        project_id = make_project("perano", status="proposed", title=f"Progetto {i}", locale="it")
        with in_scope("perano") as session:
            services.invite(get_project(project_id), by_slug("kungalv"), actor_of("perano"))
            session.commit()
    login_as("kungalv", "coordinator")
    response = client.get("/kungalv/?lang=sv")
    page = text_of(response)
    assert "Progetto 0" in page and "Progetto 1" in page and "Progetto 2" not in page
    assert shows(tr, response, "sv", "Only the %(num)d oldest of each list are shown here.", 2)


def test_the_overdue_panel_says_more_than_past_the_cap(app, client, login_as, make_visit, tr):
    import datetime as dt
    app.config["COUNT_CAP"] = 2
    try:
        make_visit("kungalv", visitors=("perano",), start=dt.date(2024, 5, 1),
                   follow_ups=[(f"Uppgift {n}", "Johan", dt.date(2024, 6, n + 1)) for n in range(3)])
        login_as("kungalv", "coordinator")
        page = client.get("/kungalv/?lang=it")
        assert shows(tr, page, "it", "More than %(num)s follow-up actions are overdue.", 2)
        assert "Uppgift 0" in text_of(page)  # the oldest first
    finally:
        app.config.pop("COUNT_CAP")


def test_the_dashboard_counts_up_to_its_own_smaller_cap(app, client, login_as, make_visit, make_project, tr,
                                                        monkeypatch):
    """A panel counts up to ``PANEL_COUNT_CAP`` while the lists count up to the (higher) lists' cap: past it,
    the dashboard says "more than" the panel's cap and the visit list still gives the exact number."""
    import datetime as dt
    from exchange import dashboard
    monkeypatch.setattr(dashboard, "PANEL_COUNT_CAP", 2)
    make_visit("kungalv", visitors=("perano",), start=dt.date(2024, 5, 1),
               follow_ups=[(f"Uppgift {n}", "Johan", dt.date(2024, 6, n + 1)) for n in range(3)])
    for i in range(3):
        make_project("kungalv", status="proposed", title=f"Projekt {i}")
    login_as("kungalv", "coordinator")
    page = client.get("/kungalv/?lang=de")
    assert shows(tr, page, "de", "More than %(num)s follow-up actions are overdue.", 2)
    assert shows(tr, page, "de", "Your municipality leads or takes part in more than %(num)s projects.", 2)
    listed = tr("de", "%(num)d project found.", "%(num)d projects found.", 3)
    assert listed in text_of(client.get("/kungalv/projects/?lang=de"))


def test_the_dashboard_lists_at_most_ten_visits_to_close_oldest_first(client, login_as, make_visit):
    import datetime as dt
    # planned and confirmed visits whose last day has passed: each status is read from its own index
    ids = [make_visit("kungalv", visitors=("perano",), start=dt.date(2023, 1, 1) + dt.timedelta(days=10 * n),
                      status=("planned", "confirmed")[n % 2]) for n in range(12)]
    login_as("kungalv", "coordinator")
    page = client.get("/kungalv/").get_data(as_text=True)
    shown = [n for n, visit_id in enumerate(ids) if f'/kungalv/visits/{visit_id}"' in page]
    assert shown == list(range(10))


def test_the_dashboard_counts_projects_led_and_joined_once_and_says_more_past_the_cap(app, client, login_as,
                                                                                     make_project, tr):
    make_project("kungalv", status="proposed", title="Eget projekt")
    make_project("kungalv", title="Eget utkast")
    make_project("perano", status="proposed", title="Progetto comune", locale="it", participants=["kungalv"])
    make_project("perano", status="proposed", title="Progetto altrui", locale="it")
    make_project("hiddenhausen", status="proposed", title="Fremdes Projekt", locale="de", participants=["perano"])
    login_as("kungalv", "staff")
    response = client.get("/kungalv/?lang=de")
    # its two own projects (the draft too) and the one it takes part in; not Perano's other project
    assert tr("de", "Your municipality leads or takes part in %(num)d project.",
              "Your municipality leads or takes part in %(num)d projects.", 3) in text_of(response)
    app.config["COUNT_CAP"] = 2
    try:
        response = client.get("/kungalv/?lang=de")
        assert shows(tr, response, "de", "Your municipality leads or takes part in more than %(num)s projects.", 2)
    finally:
        app.config.pop("COUNT_CAP")


def test_a_bounded_count_reads_only_the_keys_and_keeps_the_municipality_scope(in_scope, make_user):
    """The counted subquery selects the key alone (an index answers it), and counts what the list
    shows: the scope still keeps another municipality's rows out."""
    import sqlalchemy as sa

    from exchange.auth.models import User
    from exchange.paging import bounded_count, keys_only
    for n in range(3):
        make_user("kungalv", "staff", email=f"k{n}@kungalv.example")
    make_user("perano", "staff", email="p@perano.example")
    with in_scope("kungalv") as session:
        stmt = sa.select(User).where(User.active.is_(True)).order_by(User.email)
        narrowed = str(keys_only(stmt).compile())
        assert narrowed.startswith("SELECT users.id \nFROM users") and "users.email" in narrowed  # the ORDER BY
        listed = session.scalars(stmt).all()
        assert {user.municipality_id for user in listed} == {listed[0].municipality_id}
        assert bounded_count(stmt) == len(listed) >= 3
        assert bounded_count(stmt, cap=1) == 2  # "more than 1"
        everyone = session.connection().scalar(sa.select(sa.func.count()).select_from(User.__table__))
        assert everyone > len(listed)
        # Several columns or a grouped select: counted as they are (their rows are not the key's).
        grouped = sa.select(User.municipality_id, sa.func.count()).group_by(User.municipality_id)
        assert keys_only(grouped) is grouped
