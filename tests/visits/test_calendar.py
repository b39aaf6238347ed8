"""iCalendar: time zones, the per-visit file, the secret subscription feed (wrong or revoked token → 404)."""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from icalendar import Calendar


def _events(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return list(Calendar.from_ical(response.data).walk("VEVENT"))


def test_an_event_at_nine_in_perano_is_nine_europe_rome(client, login_as, make_visit):
    visit_id = make_visit("perano", visitors=("kungalv",), start=dt.date(2025, 5, 14), days=0,
                          start_time=dt.time(9, 0), end_time=dt.time(17, 30))
    # A Kungälv reader downloads it: the time stays the host's local time, with its zone.
    login_as("kungalv", "staff")
    response = client.get(f"/kungalv/visits/{visit_id}.ics")
    raw = response.get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Rome:20250514T090000" in raw
    assert "BEGIN:VTIMEZONE" in raw and "TZID:Europe/Rome" in raw
    (event,) = _events(response)
    start = event.decoded("dtstart")
    assert start == dt.datetime(2025, 5, 14, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Rome"))
    assert start.astimezone(dt.timezone.utc).hour == 7  # CEST, UTC+2
    assert event.decoded("dtend") == dt.datetime(2025, 5, 14, 17, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Rome"))
    assert str(event["url"]).endswith(f"/kungalv/visits/{visit_id}")


def test_a_visit_without_times_is_an_all_day_event_with_exclusive_end(client, login_as, make_visit):
    visit_id = make_visit("kungalv", visitors=("perano",), start=dt.date(2025, 1, 10), days=2)
    login_as("kungalv", "coordinator")
    (event,) = _events(client.get(f"/kungalv/visits/{visit_id}.ics"))
    assert event.decoded("dtstart") == dt.date(2025, 1, 10)
    assert event.decoded("dtend") == dt.date(2025, 1, 13)


def test_third_municipality_gets_no_purpose_in_the_ics(client, login_as, make_visit):
    visit_id = make_visit("perano", visitors=("kungalv",), purpose="Segreto di Pulcinella", locale="it")
    login_as("hiddenhausen", "coordinator")
    (event,) = _events(client.get(f"/hiddenhausen/visits/{visit_id}.ics"))
    assert "Segreto" not in str(event.get("description"))


def _create_feed(client) -> str:
    page = client.post("/perano/visits/subscription", data={"action": "create"})
    assert page.status_code == 200
    return re.search(r'value="(http[^"]+\.ics)"', page.get_data(as_text=True)).group(1)


def test_feed_token_lifecycle(client, login_as, make_visit, in_scope):
    from exchange.visits.models import CalendarFeed
    make_visit("perano", visitors=("kungalv",), start=dt.date.today() + dt.timedelta(days=10),
               start_time=dt.time(9, 0), purpose="Incontro", locale="it")
    make_visit("kungalv", visitors=("hiddenhausen",), start=dt.date.today() + dt.timedelta(days=20))
    login_as("perano", "coordinator")
    url = _create_feed(client)
    path = url.split("localhost", 1)[-1]
    token = path.rsplit("/", 1)[1][:-4]
    from sqlalchemy import select

    from exchange.security import token_hash
    with in_scope("perano") as session:
        stored = session.scalars(select(CalendarFeed)).all()
        assert [row.token_hash for row in stored] == [token_hash(token)]  # only the hash is stored

    anonymous = client.application.test_client()
    events = _events(anonymous.get(path))
    # Only Perano's own visits are in its feed, each linking back to the visit.
    assert len(events) == 1
    assert "/perano/visits/" in str(events[0]["url"])
    assert "DTSTART;TZID=Europe/Rome" in anonymous.get(path).get_data(as_text=True)

    assert anonymous.get(path.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    assert anonymous.get(path.replace("/perano/", "/kungalv/")).status_code == 404  # another municipality's scope

    # A new address replaces the old one; revoking stops the new one too.
    second = _create_feed(client).split("localhost", 1)[-1]
    assert anonymous.get(path).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert client.post("/perano/visits/subscription", data={"action": "revoke"}).status_code == 302
    assert anonymous.get(second).status_code == 404


def test_only_coordinators_and_admins_manage_the_feed(client, login_as):
    login_as("perano", "staff")
    assert client.get("/perano/visits/subscription").status_code == 403
    assert client.post("/perano/visits/subscription", data={"action": "create"}).status_code == 403
