"""Visit pages: who sees what (host, visitor, third municipality; each role), the forms, bad input."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.fixtures.core import text_of

PEOPLE = [("kungalv", "Åsa Öberg", "Kommunledningskontoret"), ("perano", "Marco Rossi", "Ufficio turismo")]


@pytest.fixture
def visit_id(make_visit):
    return make_visit("perano", visitors=("kungalv",), purpose="Scambio sul turismo", locale="it",
                      participants=PEOPLE, follow_ups=[("Skicka rapporten", "Johan", dt.date(2024, 6, 1))],
                      lessons="Vi lärde oss om hamnen.")


def _add_cost(in_scope, towns, visit_id):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    from tests.fixtures.core import Actor
    with in_scope("perano") as session:
        services.add_cost(visit_detail(visit_id), towns["perano"], "accommodation", "480", "EUR", "Hotel Ricci",
                          Actor(towns["perano"]))
        session.commit()


@pytest.mark.parametrize("slug, roles, names, details", [
    ("perano", ("coordinator",), True, True),
    ("perano", ("admin",), True, True),
    ("perano", ("staff",), False, True),
    ("kungalv", ("coordinator",), True, True),
    ("kungalv", ("staff",), False, True),
    ("kungalv", ("translator",), False, True),
    ("hiddenhausen", ("coordinator",), False, False),
    ("hiddenhausen", ("staff",), False, False),
])
def test_who_sees_participants_and_costs(client, login_as, visit_id, in_scope, towns, slug, roles, names, details):
    _add_cost(in_scope, towns, visit_id)
    login_as(slug, *roles)
    response = client.get(f"/{slug}/visits/{visit_id}")
    assert response.status_code == 200
    page = text_of(response)
    # Everyone in the network sees that the visit took place.
    assert "Kungälv" in page and "Perano" in page
    assert ("Åsa Öberg" in page) is names
    assert ("Marco Rossi" in page) is names
    assert ("Ufficio turismo" in page) is details  # organisations: staff of the visit's municipalities too
    assert ("Hotel Ricci" in page) is details
    assert ("Scambio sul turismo" in page) is details
    assert ("Vi lärde oss om hamnen." in page) is details
    assert ("Skicka rapporten" in page) is details


def test_anonymous_is_sent_to_sign_in(client, visit_id):
    response = client.get(f"/perano/visits/{visit_id}")
    assert response.status_code == 302 and "/perano/login" in response.headers["Location"]


def test_unknown_visit_is_404(client, login_as):
    login_as("perano", "coordinator")
    assert client.get("/perano/visits/999999").status_code == 404


@pytest.mark.parametrize("slug, roles", [("perano", ("staff",)), ("kungalv", ("translator",)),
                                         ("hiddenhausen", ("coordinator",)), ("hiddenhausen", ("admin",))])
def test_only_coordinators_of_the_visit_edit_it(client, login_as, visit_id, slug, roles):
    login_as(slug, *roles)
    assert client.get(f"/{slug}/visits/{visit_id}/edit").status_code == 403
    assert client.post(f"/{slug}/visits/{visit_id}/participant".rstrip("t") + "ts",
                       data={"participant-name": "X", "participant-municipality_id": "1"}).status_code == 403
    assert client.post(f"/{slug}/visits/{visit_id}/lessons", data={"language": "sv", "lessons": "x"}).status_code == 403


def test_staff_cannot_log_visits(client, login_as):
    login_as("perano", "staff")
    assert client.get("/perano/visits/new").status_code == 403


def _form(towns, **overrides):
    data = {"host_id": str(towns["perano"]), "visiting_ids": [str(towns["kungalv"])], "start_date": "2025-05-14",
            "start_time": "09:00", "end_date": "2025-05-16", "end_time": "", "status": "planned",
            "purpose_locale": "it", "purpose": "Scambio di esperienze sul turismo sostenibile.", "version": "0"}
    data.update(overrides)
    return data


def test_coordinator_logs_a_visit_through_the_form(client, login_as, towns, in_scope, themes):
    login_as("perano", "coordinator")
    form = client.get("/perano/visits/new")
    assert form.status_code == 200
    response = client.post("/perano/visits/new", data=_form(towns, theme_ids=[str(themes["tourism"])]))
    assert response.status_code == 302, text_of(response)
    detail = client.get(response.headers["Location"])
    page = text_of(detail)
    assert "Scambio di esperienze sul turismo sostenibile." in page
    assert 'lang="it"' in detail.get_data(as_text=True)


@pytest.mark.parametrize("overrides, message", [
    ({"end_date": "2025-05-10"}, "The last day cannot be before the first day."),
    ({"purpose": "x" * 5001}, "Use at most %(max)d characters."),
    ({"purpose": "nul\x00byte"}, "Remove the invisible control characters from this text."),
    ({"start_date": "14/05/2025"}, "Enter a date in the form YYYY-MM-DD, for example 2025-05-14."),
    ({"start_date": "0001-01-01"}, "Enter a date between the years %(first)d and %(last)d."),
    ({"start_time": "25:99"}, "Enter a time in the form HH:MM, for example 09:30."),
    ({"visiting_ids": ["999999"]}, "Choose one of the offered options."),
    ({"host_id": "abc"}, "Choose one of the offered options."),
    ({"visiting_ids": []}, "Choose at least one visiting municipality."),
    ({"theme_ids": ["999999"]}, "Choose one of the offered options."),
    ({"project_ids": ["x"]}, "Choose one of the offered options."),
    ({"status": "done"}, "Choose one of the offered options."),
    ({"host_id": "__HIDDEN__", "visiting_ids": ["__KUNGALV__"]},
     "Your municipality must be the host or one of the visitors."),
])
def test_bad_input_is_a_422_with_the_error_beside_the_field(client, login_as, towns, in_scope, says, overrides,
                                                           message):
    from exchange.visits.models import Visit
    login_as("perano", "coordinator")
    replace = {"__HIDDEN__": str(towns["hiddenhausen"]), "__KUNGALV__": str(towns["kungalv"])}
    overrides = {k: ([replace.get(x, x) for x in v] if isinstance(v, list) else replace.get(v, v))
                 for k, v in overrides.items()}
    response = client.post("/perano/visits/new", data=_form(towns, **overrides))
    assert response.status_code == 422
    assert says(response, message, max=5000, first=1950, last=2100)
    assert 'class="error"' in response.get_data(as_text=True) or "error-summary" in response.get_data(as_text=True)
    with in_scope("perano") as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 0


def test_a_participant_from_a_municipality_not_in_the_visit_is_refused(client, login_as, visit_id, towns, in_scope,
                                                                       says):
    from exchange.visits.models import Participant
    login_as("perano", "coordinator")
    response = client.post(f"/perano/visits/{visit_id}/participants", data={
        "participant-name": "Hans Meier", "participant-organisation": "Rathaus",
        "participant-municipality_id": str(towns["hiddenhausen"])})
    assert response.status_code == 422
    assert says(response, "Choose one of the offered options.")
    with in_scope("perano") as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 2


# the examples as the (Swedish) page writes them: a decimal comma, a space grouping thousands
_NOT_AN_AMOUNT = ("Enter a number such as %(plain)s or %(grouped)s, without letters or units.",
                  {"plain": "1250,50", "grouped": "1\u00a0250,50"})


@pytest.mark.parametrize("amount, message", [("-5", "Enter zero or a positive amount."),
                                             ("12abc", _NOT_AN_AMOUNT), ("NaN", _NOT_AN_AMOUNT),
                                             ("1e30", _NOT_AN_AMOUNT), ("99999999999999", "This amount is too large.")])
def test_bad_costs_are_refused(client, login_as, visit_id, towns, in_scope, says, amount, message):
    from exchange.visits.models import Cost
    login_as("kungalv", "coordinator")
    response = client.post(f"/kungalv/visits/{visit_id}/costs", data={
        "cost-category": "travel", "cost-amount": amount, "cost-currency": "SEK",
        "cost-municipality_id": str(towns["kungalv"]), "cost-funding_line_id": "", "cost-note": ""})
    assert response.status_code == 422
    msgid, variables = message if isinstance(message, tuple) else (message, {})
    assert says(response, msgid, **variables)
    with in_scope("kungalv") as session:
        assert session.scalar(select(func.count()).select_from(Cost)) == 0


def test_adding_children_through_the_detail_page(client, login_as, visit_id, towns):
    login_as("kungalv", "coordinator")
    base = f"/kungalv/visits/{visit_id}"
    assert client.post(f"{base}/participants", data={
        "participant-name": "Johan Berg", "participant-organisation": "Kungälvs kommun",
        "participant-role": "samordnare", "participant-municipality_id": str(towns["kungalv"])}).status_code == 302
    assert client.post(f"{base}/costs", data={
        "cost-category": "travel", "cost-amount": "1 250,50", "cost-currency": "SEK",
        "cost-municipality_id": str(towns["kungalv"]), "cost-note": "Flyg"}).status_code == 302
    assert client.post(f"{base}/agenda", data={
        "agenda-day": "2024-05-04", "agenda-start_time": "09:30", "agenda-title": "Besök i hamnen",
        "agenda-location": "Porto"}).status_code == 302
    assert client.post(f"{base}/follow-ups", data={
        "follow_up-action": "Bjud in till Kungälv", "follow_up-owner": "Johan Berg",
        "follow_up-due_date": "2030-01-01"}).status_code == 302
    page = text_of(client.get(base))
    for text in ("Johan Berg", "Besök i hamnen", "Bjud in till Kungälv", "Flyg"):
        assert text in page


def test_edit_with_a_stale_version_shows_the_conflict_and_keeps_the_input(client, login_as, visit_id, towns, in_scope,
                                                                          says):
    import re
    login_as("perano", "coordinator")
    opened = client.get(f"/perano/visits/{visit_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', opened).group(1)
    # Two people opened the form at this version; the first saves, then the second.
    stale = _form(towns, start_date="2024-05-03", end_date="2024-05-05", start_time="", version=version,
                  purpose="Il mio testo nuovo")
    first = client.post(f"/perano/visits/{visit_id}/edit", data={**stale, "status": "completed"})
    assert first.status_code == 302
    second = client.post(f"/perano/visits/{visit_id}/edit", data={**stale, "status": "cancelled",
                                                                  "purpose": "Un altro testo"})
    assert second.status_code == 409
    assert says(second, "Someone else saved this visit while you were editing it. Your changes have not been "
                        "saved: they are still in the form below. Compare them with the saved version, then "
                        "save again.")
    assert "Un altro testo" in second.get_data(as_text=True)  # the input is kept
    from exchange.visits.queries import visit_detail
    with in_scope("perano"):
        assert visit_detail(visit_id).status == "completed"


def test_list_filters_and_third_municipality_sees_the_visit(client, login_as, make_visit, towns, themes, says):
    make_visit("perano", visitors=("kungalv",), start=dt.date(2023, 3, 1), theme_ids=(themes["culture"],))
    make_visit("kungalv", visitors=("hiddenhausen",), start=dt.date(2024, 9, 1))
    login_as("hiddenhausen", "staff")

    def found(query: str) -> int:
        import re
        page = text_of(client.get(f"/hiddenhausen/visits/?{query}&lang=sv"))
        return int(re.search(r"(\d+) (?:besök|visits?) ", page).group(1))

    assert found("") == 2
    assert found("year=2023") == 1
    pair = f"{min(towns['kungalv'], towns['hiddenhausen'])}-{max(towns['kungalv'], towns['hiddenhausen'])}"
    assert found(f"pair={pair}") == 1
    assert found(f"theme={themes['culture']}") == 1
    assert found(f"municipality={towns['perano']}") == 1
    assert found("status=cancelled") == 0
    # Nonsense filter values are ignored, never a 500.
    assert client.get("/hiddenhausen/visits/?year=abc&pair=x-y&theme=%00&page=zz").status_code == 200


def test_every_page_renders_for_a_coordinator(client, login_as, visit_id):
    login_as("perano", "coordinator", "admin")
    for path in ("/perano/visits/", "/perano/visits/calendar", "/perano/visits/calendar?year=2024&month=5",
                 f"/perano/visits/{visit_id}", f"/perano/visits/{visit_id}/edit", f"/perano/visits/{visit_id}/lessons",
                 f"/perano/visits/{visit_id}/delete", "/perano/visits/lessons", "/perano/visits/reports",
                 "/perano/visits/subscription", "/perano/personal-data", "/perano/visits/settings",
                 "/perano/visits/new", "/perano/"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert html.count("<h1") == 1, path
        assert " style=" not in html and "<script" not in html, path


@pytest.mark.parametrize("endpoint, data", [
    ("participants", {"participant-name": "x" * 121, "participant-municipality_id": "__PERANO__"}),
    ("participants", {"participant-name": "Nul\x00l", "participant-municipality_id": "__PERANO__"}),
    ("participants", {"participant-name": "Ok", "participant-role": "r\x07", "participant-municipality_id": "__PERANO__"}),
    ("agenda", {"agenda-day": "2024-05-03", "agenda-title": "t" * 201}),
    ("agenda", {"agenda-day": "2024-05-03", "agenda-title": "Porto", "agenda-location": "\x00"}),
    ("agenda", {"agenda-day": "2031-01-01", "agenda-title": "Outside the visit"}),
    ("agenda", {"agenda-day": "2024-05-03", "agenda-title": "Late", "agenda-start_time": "18:00",
                "agenda-end_time": "09:00"}),
    ("follow-ups", {"follow_up-action": "a" * 501}),
    ("follow-ups", {"follow_up-action": "Ok", "follow_up-due_date": "31.12.2024"}),
    ("costs", {"cost-category": "bribes", "cost-amount": "1", "cost-currency": "EUR",
               "cost-municipality_id": "__PERANO__"}),
    ("costs", {"cost-category": "travel", "cost-amount": "1", "cost-currency": "EUR",
               "cost-municipality_id": "__PERANO__", "cost-funding_line_id": "424242"}),
    ("costs", {"cost-category": "travel", "cost-amount": "1", "cost-currency": "USD",
               "cost-municipality_id": "__PERANO__"}),
])
def test_bad_input_in_the_detail_forms_saves_nothing(client, login_as, visit_id, towns, in_scope, endpoint, data):
    from exchange.visits.models import AgendaItem, Cost, FollowUp, Participant
    login_as("perano", "coordinator")
    data = {k: v.replace("__PERANO__", str(towns["perano"])) for k, v in data.items()}
    with in_scope("perano") as session:
        before = [session.scalar(select(func.count()).select_from(m)) for m in (AgendaItem, Cost, FollowUp, Participant)]
    response = client.post(f"/perano/visits/{visit_id}/{endpoint}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and "error-summary" in html
    with in_scope("perano") as session:
        after = [session.scalar(select(func.count()).select_from(m)) for m in (AgendaItem, Cost, FollowUp, Participant)]
    assert after == before


def test_children_of_another_visit_are_404(client, login_as, visit_id, make_visit, in_scope):
    from exchange.visits.queries import visit_detail
    other = make_visit("perano", visitors=("hiddenhausen",), participants=[("perano", "X", "Y")])
    with in_scope("perano"):
        participant_id = visit_detail(other).participants[0].id
    login_as("perano", "coordinator")
    assert client.post(f"/perano/visits/{visit_id}/participants/{participant_id}/remove").status_code == 404
    assert client.post(f"/perano/visits/{visit_id}/follow-ups/{participant_id + 999}/done").status_code == 404


def test_the_municipality_filters_offer_the_own_municipality_its_twin_towns_and_a_linked_one(
        app, client, login_as, make_visit, towns):
    """Issue 12: not every municipality of the network (hundreds) twice; a filter link to another one
    still filters and shows what it filters by."""
    import re
    from exchange.cooperation.models import Twinning
    from exchange.extensions import db
    with app.app_context():
        first, second = sorted((towns["kungalv"], towns["perano"]))
        db.session.add(Twinning(first_municipality_id=first, second_municipality_id=second, since=dt.date(1990, 1, 1)))
        db.session.commit()
    make_visit("hiddenhausen", visitors=("perano",), start=dt.date(2024, 3, 1))
    make_visit("kungalv", visitors=("perano",), start=dt.date(2024, 4, 1))
    login_as("kungalv", "staff")

    def options(html: str, name: str) -> set[str]:
        select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
        return set(re.findall(r'<option[^>]*value="(\d+(?:-\d+)?)"', select))

    html = client.get("/kungalv/visits/").get_data(as_text=True)
    assert options(html, "municipality") == {str(towns["kungalv"]), str(towns["perano"])}
    assert options(html, "pair") == {f"{first}-{second}"}
    linked = client.get(f"/kungalv/visits/?municipality={towns['hiddenhausen']}&lang=sv")
    html = linked.get_data(as_text=True)
    assert str(towns["hiddenhausen"]) in options(html, "municipality")
    assert re.search(rf'<option[^>]*selected[^>]*value="{towns["hiddenhausen"]}"|<option[^>]*value="{towns["hiddenhausen"]}"[^>]*selected', html)
    assert re.search(r"(\d+) (?:besök|visits?) ", text_of(linked)).group(1) == "1"
