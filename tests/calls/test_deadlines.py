"""Deadlines: open calls on the dashboard, opening and closing as two events in the municipality's
calendar feed (at 17:00 Brussels time), and reminders 30, 7 and 1 days before closing to the coordinators
of linked projects, once each."""
from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar

from exchange.db import utcnow
from tests.fixtures.core import actor_of, text_of


def _link(in_scope, slug, project_id, call_id):
    from exchange.calls import services
    from exchange.calls.models import FundingCall
    from exchange.projects.queries import get_project
    with in_scope(slug) as session:
        services.link_project(get_project(project_id), session.get(FundingCall, call_id), actor_of(slug))
        session.commit()


def test_dashboard_shows_open_calls_with_their_deadline(client, login_as, make_call):
    make_call(title="Öppen utlysning", closes_in=12)
    make_call(title="Kommande utlysning", opens_in=3, closes_in=40)
    login_as("kungalv", "staff", preferred_locale="sv")
    page = text_of(client.get("/kungalv/"))
    assert "Öppen utlysning" in page and "Kommande utlysning" not in page


def test_feed_has_separate_opening_and_closing_events_in_the_programmes_zone(client, login_as, make_call):
    from exchange.calls.models import FundingCall  # noqa: F401
    make_call(title="CERV Town Twinning", programme="cerv_twinning", currency="EUR", timezone="Europe/Brussels",
              opens_in=5, closes_in=60)
    make_call(title="Bara för Sverige", countries=["SE"], closes_in=20)
    login_as("perano", "coordinator")
    page = client.post("/perano/visits/subscription", data={"action": "create"})
    path = re.search(r'value="(http[^"]+\.ics)"', page.get_data(as_text=True)).group(1).split("localhost", 1)[-1]
    body = client.application.test_client().get(path).get_data(as_text=True)
    events = [c for c in Calendar.from_ical(body).walk("VEVENT")]
    summaries = sorted(str(e["summary"]) for e in events)
    assert len(events) == 2  # Perano (IT) does not get the call for Sweden only
    assert any("CERV Town Twinning" in s for s in summaries)
    closing = next(e for e in events if str(e["uid"]).endswith("-closes@twin-town-exchange"))
    opening = next(e for e in events if str(e["uid"]).endswith("-opens@twin-town-exchange"))
    assert closing["dtstart"].dt.hour == 17 and str(closing["dtstart"].dt.tzinfo) == "Europe/Brussels"
    assert opening["dtstart"].dt.date() < closing["dtstart"].dt.date()
    assert "DTSTART;TZID=Europe/Brussels" in body and "BEGIN:VTIMEZONE" in body and "TZID:Europe/Brussels" in body
    assert "/perano/calls/" in str(closing["url"])


def test_reminders_30_7_1_days_before_closing_once_each(make_user, make_call, make_project, in_scope, inbox):
    from exchange.notifications.schedule import remind_call_deadlines
    lead, partner = make_user("kungalv", "coordinator"), make_user("perano", "coordinator")
    staff, third = make_user("kungalv", "staff"), make_user("hiddenhausen", "coordinator")
    call_id = make_call(closes_in=40)
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    _link(in_scope, "kungalv", project_id, call_id)
    with in_scope("kungalv") as session:
        from exchange.calls.models import FundingCall
        closes = session.get(FundingCall, call_id).closes_utc

    def run(at):
        for slug in ("kungalv", "perano", "hiddenhausen"):
            with in_scope(slug) as session:
                remind_call_deadlines(at)
                session.commit()

    run(closes - dt.timedelta(days=35))  # nothing yet
    assert inbox(lead, "project.call_closing") == []
    for days in (30, 7, 1):
        run(closes - dt.timedelta(days=days, hours=-1))
        run(closes - dt.timedelta(days=days, hours=-2))  # the hourly job again: nothing twice
    for account in (lead, partner):
        assert [n.params["days"] for n in inbox(account, "project.call_closing")] == [30, 7, 1]
        assert {n.project_id for n in inbox(account)} == {project_id}
    assert inbox(staff, "project.call_closing") == [] and inbox(third, "project.call_closing") == []
    run(closes + dt.timedelta(hours=1))  # closed: no more
    assert len(inbox(lead, "project.call_closing")) == 3


def test_the_reminder_reads_in_the_readers_language(client, login_as, make_user, make_call, make_project, in_scope,
                                                    tr):
    from exchange.notifications.schedule import remind_call_deadlines
    account = login_as("kungalv", "coordinator", preferred_locale="de")
    call_id = make_call(title="Leader Sydväst", closes_in=5)
    project_id = make_project("kungalv", status="proposed", title="Ängar och bin")
    _link(in_scope, "kungalv", project_id, call_id)
    with in_scope("kungalv") as session:
        remind_call_deadlines(utcnow())
        session.commit()
    page = text_of(client.get("/kungalv/notifications/"))
    sentence = tr("de", "The call %(call)s closes on %(date)s; %(project)s is linked to it.", call="Leader Sydväst",
                  date="@", project="Ängar och bin")
    before, after = sentence.split("@")
    assert account.slug == "kungalv" and before in page and after.strip() in page
