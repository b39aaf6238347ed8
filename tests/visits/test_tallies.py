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
