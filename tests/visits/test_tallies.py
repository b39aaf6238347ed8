"""Issue 12: the reports read running counts (exchange.visits.tallies), kept by the services in the same
transaction as each change. Whatever happens to visits, the counts equal a count from scratch, for the
network and for each municipality's readers, today and after days have passed."""
from __future__ import annotations

import datetime as dt

from tests.fixtures.core import Actor


def _all_counts(towns, today=None):
    from exchange.visits import tallies
    return {slug: dict(tallies.counts_for(town_id, today)) for slug, town_id in towns.items()}


def test_running_counts_equal_a_count_from_scratch_through_every_change(make_visit, in_scope, towns, themes):
    from exchange.visits import services, tallies
    from exchange.visits.queries import visit_detail
    today = dt.date.today()
    first = make_visit("perano", visitors=("kungalv",), start=today - dt.timedelta(days=30),
                       theme_ids=(themes["tourism"],), participants=[("kungalv", "A", "K"), ("perano", "B", "P")],
                       follow_ups=[("Report", "", today - dt.timedelta(days=3)), ("Later", "", today + dt.timedelta(days=5))])
    second = make_visit("kungalv", visitors=("hiddenhausen", "perano"), start=today - dt.timedelta(days=400),
                        theme_ids=(themes["culture"], themes["tourism"]), participants=[("hiddenhausen", "C", "H")],
                        follow_ups=[("Thank them", "", today - dt.timedelta(days=300))])
    make_visit("hiddenhausen", visitors=("kungalv",), start=today + dt.timedelta(days=20),
               participants=[("kungalv", "D", "K")])  # not begun: not counted until its first day
    with in_scope("kungalv") as session:
        actor = Actor(towns["kungalv"])
        visit = visit_detail(second)
        services.set_follow_up_done(visit.follow_ups[0], True, actor)
        services.remove_participant(visit.participants[0], actor)
        services.add_participant(visit, towns["perano"], "E", "P", "", actor)
        data = services.VisitData(host_id=towns["kungalv"], visiting_ids={towns["perano"], towns["hiddenhausen"]},
                                  start_date=visit.start_date, end_date=visit.end_date, status="cancelled",
                                  purpose="Cancelled after all", theme_ids={themes["culture"]})
        services.update_visit(visit, data, visit.version, actor)
        session.commit()
    with in_scope("perano") as session:
        actor = Actor(towns["perano"])
        visit = visit_detail(first)
        services.update_follow_up(visit.follow_ups[1], "Later", "", today - dt.timedelta(days=1), "sv", actor)
        session.commit()
        kept = _all_counts(towns)
        later = _all_counts(towns, today + dt.timedelta(days=40))
        assert kept["kungalv"] and kept["kungalv"] != kept["hiddenhausen"]
        tallies.rebuild()
        assert _all_counts(towns) == kept
        tallies.roll(today + dt.timedelta(days=40))  # the recurring job, forty days on
        rolled = _all_counts(towns, today + dt.timedelta(days=40))
        tallies.rebuild(today + dt.timedelta(days=40))
        assert _all_counts(towns, today + dt.timedelta(days=40)) == rolled == later
        services.delete_visit(visit_detail(first), actor)
        session.flush()
        gone = _all_counts(towns, today + dt.timedelta(days=40))
        tallies.rebuild(today + dt.timedelta(days=40))
        assert _all_counts(towns, today + dt.timedelta(days=40)) == gone
        session.rollback()


def test_the_report_shows_the_counts_of_the_readers_own_visits_only(client, login_as, make_visit, tr):
    today = dt.date.today()
    make_visit("perano", visitors=("kungalv",), start=today - dt.timedelta(days=10),
               participants=[("kungalv", "A", "K"), ("kungalv", "B", "K")],
               follow_ups=[("Secret", "", today - dt.timedelta(days=2))])
    login_as("hiddenhausen", "coordinator")  # a third municipality: the visit's fact, not its details
    html = client.get("/hiddenhausen/visits/reports?lang=sv").get_data(as_text=True)
    import re
    found = re.search(r'<svg[^>]*id="chart-participants".*?</svg>', html, re.S)
    assert found is None or "<rect" not in found.group(0)
    client.post("/hiddenhausen/logout")
    login_as("kungalv", "coordinator")
    html = client.get("/kungalv/visits/reports?lang=sv").get_data(as_text=True)
    svg = re.search(r'<svg[^>]*id="chart-participants".*?</svg>', html, re.S).group(0)
    assert svg.count("<rect") == 1 and ">2</text>" in svg


def test_a_towns_number_of_visits_is_kept_and_read_by_its_key(make_visit, in_scope, towns):
    """The number of visits a municipality hosts or visits chooses the shape of the statements over them
    (queries.has_few_visits): kept with every change (the running counts above), read by its key, and
    counted from the visits themselves while the counts have never been built."""
    import sqlalchemy as sa
    from flask import g
    from exchange.extensions import db
    from exchange.visits import queries, services
    from exchange.visits.queries import visit_detail
    from exchange.visits.models.tallies import VisitTallyDate
    today = dt.date.today()
    make_visit("perano", visitors=("kungalv",), start=today)
    gone = make_visit("kungalv", visitors=("hiddenhausen", "perano"), start=today + dt.timedelta(days=9),
                      status="cancelled")  # every visit counts, whatever its status and day
    make_visit("hiddenhausen", visitors=("perano",), start=today - dt.timedelta(days=900))

    def numbers(read_from: str) -> dict[str, int]:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731 (conn, cursor, statement, …)
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            g.pop("_visit_numbers", None)  # read once per request: this is a new one
            found = {slug: queries.visit_number(town_id) for slug, town_id in towns.items()}
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        # one read of the counts per town, and when they were never built, one count of its visits
        assert sum(read_from in s for s in statements) == len(towns)
        return found

    with in_scope("kungalv") as session:
        assert numbers("visit_tallies") == {"kungalv": 2, "perano": 3, "hiddenhausen": 2}
        services.delete_visit(visit_detail(gone), Actor(towns["kungalv"]))
        session.flush()
        assert numbers("visit_tallies") == {"kungalv": 1, "perano": 2, "hiddenhausen": 1}
        session.execute(sa.delete(VisitTallyDate))  # never built: counted from the indexes
        assert numbers("visit_municipalities") == {"kungalv": 1, "perano": 2, "hiddenhausen": 1}
        session.rollback()
