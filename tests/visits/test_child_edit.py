"""Editing a visit's programme items, participants, costs and follow-up actions: the edit pages (GET filled
in, POST saves), who may edit (staff 403, a third municipality 404), other visits' ids (404), and bad
input (422, the error beside the field, nothing saved)."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.fixtures.core import text_of
from tests.fixtures.forms import submitted

PEOPLE = [("kungalv", "Åsa Öberg", "Kommunledningskontoret"), ("perano", "Marco Rossi", "Ufficio turismo")]


@pytest.fixture
def visit_id(make_visit, in_scope, towns):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    from tests.fixtures.core import Actor
    visit_id = make_visit("perano", visitors=("kungalv",), purpose="Scambio sul turismo", locale="it",
                          participants=PEOPLE, follow_ups=[("Skicka rapporten", "Johan", dt.date(2024, 6, 1))])
    with in_scope("perano") as session:
        visit = visit_detail(visit_id)
        actor = Actor(towns["perano"])
        services.add_agenda_item(visit, dt.date(2024, 5, 4), "Visita al porto", "Porto", "it", actor,
                                 start_time=dt.time(9, 30))
        services.add_cost(visit, towns["perano"], "accommodation", "480", "EUR", "Hotel Ricci", actor)
        session.commit()
    return visit_id


def _children(in_scope, visit_id):
    """{kind: (id, snapshot of the saved values)} of the visit's first child of each kind."""
    from exchange.visits.queries import visit_detail
    with in_scope("perano"):
        visit = visit_detail(visit_id)
        item, person, cost, follow_up = (visit.agenda_items[0], visit.participants[0], visit.costs[0],
                                         visit.follow_ups[0])
        return {
            "agenda": (item.id, (item.day, item.start_time, item.end_time, item.title, item.location,
                                 item.source_locale("title"))),
            "participants": (person.id, (person.name, person.name_key, person.organisation, person.role,
                                         person.municipality_id)),
            "costs": (cost.id, (cost.category, cost.amount, cost.currency, cost.municipality_id, cost.note)),
            "follow-ups": (follow_up.id, (follow_up.action, follow_up.owner, follow_up.due_date, follow_up.status)),
        }


def _audit_actions(in_scope):
    from sqlalchemy import select

    from exchange.audit.models import AuditEntry
    actions = []
    for slug in ("kungalv", "perano", "hiddenhausen"):
        with in_scope(slug) as session:
            actions += list(session.scalars(select(AuditEntry.action)))
    return sorted(actions)


@pytest.mark.parametrize("roles, shown", [(("coordinator",), True), (("staff",), False)])
def test_the_detail_page_links_each_row_to_its_edit_page(client, login_as, visit_id, in_scope, roles, shown):
    children = _children(in_scope, visit_id)
    login_as("kungalv", *roles)
    html = client.get(f"/kungalv/visits/{visit_id}").get_data(as_text=True)
    for kind, (child_id, _values) in children.items():
        assert (f'href="/kungalv/visits/{visit_id}/{kind}/{child_id}/edit"' in html) is shown, kind


def test_edit_pages_are_filled_in_and_save(client, login_as, visit_id, in_scope, towns):
    children = _children(in_scope, visit_id)
    login_as("kungalv", "coordinator")
    base = f"/kungalv/visits/{visit_id}"

    posts = {
        "agenda": ({"agenda-day": "2024-05-05", "agenda-start_time": "10:00", "agenda-end_time": "12:00",
                    "agenda-title": "Besök i hamnen", "agenda-location": "Hamnen"},
                   ("Visita al porto", "09:30", "2024-05-04")),
        "participants": ({"participant-name": "Åsa Öberg-Lind", "participant-organisation": "Kultur",
                          "participant-role": "samordnare", "participant-municipality_id": str(towns["kungalv"])},
                         ("Åsa Öberg", "Kommunledningskontoret")),
        "costs": ({"cost-category": "travel", "cost-amount": "1 250,50", "cost-currency": "SEK",
                   "cost-municipality_id": str(towns["kungalv"]), "cost-funding_line_id": "", "cost-note": "Flyg"},
                  ("480.00", "Hotel Ricci")),
        "follow-ups": ({"follow_up-action": "Bjud in till Kungälv", "follow_up-owner": "Åsa Öberg",
                        "follow_up-due_date": "2030-01-01"},
                       ("Skicka rapporten", "Johan", "2024-06-01")),
    }
    for kind, (data, prefilled) in posts.items():
        child_id = children[kind][0]
        form = client.get(f"{base}/{kind}/{child_id}/edit")
        assert form.status_code == 200, kind
        html = form.get_data(as_text=True)
        assert html.count("<h1") == 1 and " style=" not in html and "<script" not in html
        for value in prefilled:
            assert f'value="{value}"' in html or f">{value}</textarea>" in re.sub(r"[\r\n]", "", html), (kind, value)
        # Posted as the browser would: the page's own fields (the version it was opened with among them).
        response = client.post(f"{base}/{kind}/{child_id}/edit", data={**submitted(html, "/edit"), **data})
        assert response.status_code == 302, (kind, text_of(response))
        assert response.headers["Location"].endswith(f"{base}#{'programme' if kind == 'agenda' else kind}")

    from exchange.visits.queries import visit_detail
    with in_scope("perano"):
        visit = visit_detail(visit_id)
        item = visit.agenda_items[0]
        assert (item.day, item.start_time, item.end_time, item.title, item.location, item.source_locale("title")) == (
            dt.date(2024, 5, 5), dt.time(10, 0), dt.time(12, 0), "Besök i hamnen", "Hamnen", "sv")
        person = next(p for p in visit.participants if p.id == children["participants"][0])
        assert (person.name, person.organisation, person.role, person.municipality_id) == (
            "Åsa Öberg-Lind", "Kultur", "samordnare", towns["kungalv"])
        assert person.name_key == "åsa öberg-lind"
        cost = visit.costs[0]
        assert (cost.category, str(cost.amount), cost.currency, cost.municipality_id, cost.note) == (
            "travel", "1250.50", "SEK", towns["kungalv"], "Flyg")
        follow_up = visit.follow_ups[0]
        assert (follow_up.action, follow_up.owner, follow_up.due_date, follow_up.status) == (
            "Bjud in till Kungälv", "Åsa Öberg", dt.date(2030, 1, 1), "open")
    actions = _audit_actions(in_scope)
    for action in ("visit.agenda_update", "visit.participant_update", "visit.cost_update", "visit.follow_up_update"):
        assert action in actions
    page = text_of(client.get(base))
    for text in ("Besök i hamnen", "Åsa Öberg-Lind", "Flyg", "Bjud in till Kungälv"):
        assert text in page


@pytest.mark.parametrize("slug, roles, status", [
    ("perano", ("staff",), 403), ("kungalv", ("staff",), 403), ("kungalv", ("translator",), 403),
    ("hiddenhausen", ("coordinator",), 404), ("hiddenhausen", ("admin",), 404), ("hiddenhausen", ("staff",), 404),
])
def test_only_coordinators_of_the_visit_edit_its_children(client, login_as, visit_id, in_scope, slug, roles,
                                                          status):
    children = _children(in_scope, visit_id)
    login_as(slug, *roles)
    for kind, (child_id, _values) in children.items():
        url = f"/{slug}/visits/{visit_id}/{kind}/{child_id}/edit"
        assert client.get(url).status_code == status, kind
        assert client.post(url, data={}).status_code == status, kind
    assert _children(in_scope, visit_id) == children


def test_children_of_another_visit_or_unknown_ids_are_404(client, login_as, visit_id, make_visit, in_scope):
    from exchange.visits.queries import visit_detail
    other = make_visit("perano", visitors=("kungalv",), participants=[("perano", "X", "Y")],
                       follow_ups=[("Other", "", None)])
    with in_scope("perano"):
        visit = visit_detail(other)
        participant_id, follow_up_id = visit.participants[0].id, visit.follow_ups[0].id
    login_as("perano", "coordinator")
    assert client.get(f"/perano/visits/{visit_id}/participants/{participant_id}/edit").status_code == 404
    assert client.post(f"/perano/visits/{visit_id}/follow-ups/{follow_up_id}/edit",
                       data={"follow_up-action": "Hijack"}).status_code == 404
    assert client.get(f"/perano/visits/{visit_id}/costs/999999/edit").status_code == 404
    assert client.get("/perano/visits/999999/agenda/1/edit").status_code == 404
    with in_scope("perano"):
        assert visit_detail(other).follow_ups[0].action == "Other"


@pytest.mark.parametrize("kind, data, message", [
    ("costs", {"cost-category": "travel", "cost-amount": "-5", "cost-currency": "EUR",
               "cost-municipality_id": "__PERANO__"}, "Enter zero or a positive amount."),
    ("costs", {"cost-category": "travel", "cost-amount": "5", "cost-currency": "EUR",
               "cost-municipality_id": "__PERANO__", "cost-funding_line_id": "424242"},
     "Choose one of the offered options."),
    ("participants", {"participant-name": "Hans Meier", "participant-municipality_id": "__HIDDEN__"},
     "Choose one of the offered options."),
    ("participants", {"participant-name": "", "participant-municipality_id": "__PERANO__"},
     "This field is required."),
    ("participants", {"participant-name": "Nul\x00l", "participant-municipality_id": "__PERANO__"},
     "Remove the invisible control characters from this text."),
    ("agenda", {"agenda-day": "2031-01-01", "agenda-title": "Outside the visit"}, "Choose a day of the visit."),
    ("agenda", {"agenda-day": "2024-05-03", "agenda-title": "Late", "agenda-start_time": "18:00",
                "agenda-end_time": "09:00"}, "The item cannot end before it starts."),
    ("follow-ups", {"follow_up-action": "a" * 501}, "Use at most %(max)d characters."),
    ("follow-ups", {"follow_up-action": "Ok", "follow_up-due_date": "31.12.2024"},
     "Enter a date in the form YYYY-MM-DD, for example 2025-05-14."),
])
def test_bad_input_on_the_edit_pages_saves_nothing(client, login_as, visit_id, towns, in_scope, says, kind, data,
                                                  message):
    children = _children(in_scope, visit_id)
    replace = {"__PERANO__": str(towns["perano"]), "__HIDDEN__": str(towns["hiddenhausen"])}
    data = {k: replace.get(v, v) for k, v in data.items()}
    login_as("perano", "coordinator")
    url = f"/perano/visits/{visit_id}/{kind}/{children[kind][0]}/edit"
    opened = submitted(client.get(url).get_data(as_text=True), "/edit")
    response = client.post(url, data={**opened, **data})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and "error-summary" in html and 'aria-invalid="true"' in html
    assert says(response, message, max=500)
    assert _children(in_scope, visit_id) == children
    assert not [action for action in _audit_actions(in_scope) if action.endswith("_update")]


def test_the_service_refuses_a_participant_from_outside_the_visit(in_scope, visit_id, towns):
    """The service checks like the add path, whatever the form let through."""
    from exchange.errors import Refusal
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    from tests.fixtures.core import Actor
    with in_scope("perano") as session:
        visit = visit_detail(visit_id)
        person = visit.participants[0]
        with pytest.raises(Refusal) as refused:
            services.update_participant(person, towns["hiddenhausen"], "Hans", "", "", Actor(towns["perano"]))
        assert refused.value.code == "participant_municipality"
        with pytest.raises(Refusal) as refused:
            services.update_cost(visit.costs[0], towns["perano"], "travel", "-1", "EUR", "", Actor(towns["perano"]))
        assert refused.value.code == "negative"
        session.rollback()
