"""Personal data of participants: export, erasure (counts stay right), retention and its daily CLI job."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from tests.fixtures.core import text_of


def _names(in_scope, slug="perano"):
    from exchange.visits.models import Participant
    with in_scope(slug) as session:
        return sorted((p.name or "<anonymised>") for p in session.scalars(select(Participant)))


def test_export_everything_about_one_person(client, login_as, make_visit):
    make_visit("perano", visitors=("kungalv",), start=dt.date(2024, 5, 3),
               participants=[("kungalv", "Åsa Öberg", "Kommunledningskontoret"), ("perano", "Marco Rossi", "Comune")],
               follow_ups=[("Skicka rapporten", "åsa öberg", dt.date(2024, 6, 1))])
    make_visit("kungalv", visitors=("hiddenhausen",), start=dt.date(2025, 2, 1),
               participants=[("kungalv", "ÅSA  ÖBERG", "Kultur")])
    # Hiddenhausen–Perano: Kungälv cannot read it, so it is not Kungälv's to export.
    make_visit("perano", visitors=("hiddenhausen",), participants=[("perano", "Åsa Öberg", "Ufficio")])
    login_as("kungalv", "coordinator")
    response = client.post("/kungalv/personal-data/export", data={"name": "åsa öberg"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert [p["organisation"] for p in data["participations"]] == ["Kommunledningskontoret", "Kultur"]
    assert [f["action"] for f in data["follow_up_actions_owned"]] == ["Skicka rapporten"]
    assert "Marco Rossi" not in response.get_data(as_text=True)


def test_erase_anonymises_the_name_and_keeps_the_counts(client, login_as, make_visit, in_scope):
    visit_id = make_visit("perano", visitors=("kungalv",),
                          participants=[("kungalv", "Åsa Öberg", "Kommunledningskontoret"),
                                        ("perano", "Marco Rossi", "Comune")],
                          follow_ups=[("Skicka rapporten", "Åsa Öberg", None)])
    login_as("kungalv", "coordinator")
    confirm = client.post("/kungalv/personal-data/erase", data={"name": "Åsa Öberg"})
    assert confirm.status_code == 200 and _names(in_scope) == ["Marco Rossi", "Åsa Öberg"]  # asks first
    done = client.post("/kungalv/personal-data/erase", data={"name": "Åsa Öberg", "confirmed": "yes"})
    assert done.status_code == 302
    assert _names(in_scope) == ["<anonymised>", "Marco Rossi"]
    page = text_of(client.get(f"/kungalv/visits/{visit_id}?lang=sv"))
    assert "Åsa Öberg" not in page
    assert "2 deltagare" in page or "2 participants" in page  # the count stays right
    assert "Kommunledningskontoret" in page  # and the organisation
    from exchange.audit.models import AuditEntry
    with in_scope("kungalv") as session:
        details = [e.details for e in session.scalars(select(AuditEntry))]
        assert "Åsa" not in json.dumps(details, ensure_ascii=False)
    # Nothing is left to export.
    data = json.loads(client.post("/kungalv/personal-data/export", data={"name": "Åsa Öberg"}).data)
    assert data["participations"] == [] and data["follow_up_actions_owned"] == []


def test_personal_data_pages_need_a_coordinator(client, login_as):
    login_as("kungalv", "staff")
    assert client.get("/kungalv/personal-data").status_code == 403
    assert client.post("/kungalv/personal-data/export", data={"name": "x"}).status_code == 403
    assert client.post("/kungalv/personal-data/erase", data={"name": "x", "confirmed": "yes"}).status_code == 403


def test_bad_names_are_refused(client, login_as):
    login_as("kungalv", "coordinator")
    assert client.post("/kungalv/personal-data", data={"name": "a\x00b"}).status_code == 422
    assert client.post("/kungalv/personal-data/export", data={"name": "x" * 500}).status_code == 422


def test_retention_anonymises_old_participants_of_each_municipality(app, make_visit, in_scope, towns):
    from exchange.visits import services
    from tests.fixtures.core import Actor
    make_visit("perano", visitors=("kungalv",), start=dt.date(2019, 3, 1),
               participants=[("kungalv", "Old Swede", "K"), ("perano", "Vecchio Italiano", "P")])
    make_visit("perano", visitors=("kungalv",), start=dt.date(2024, 3, 1),
               participants=[("kungalv", "New Swede", "K")])
    with in_scope("kungalv") as session:
        services.set_retention(3, Actor(towns["kungalv"]))
        session.commit()
    with in_scope("perano") as session:
        services.set_retention(10, Actor(towns["perano"]))
        session.commit()
    today = dt.date(2026, 1, 1)
    with in_scope("kungalv") as session:
        assert services.anonymise_expired(today) == 1  # 2019 is past Kungälv's 3 years; 2024 is not
        session.commit()
        assert services.anonymise_expired(today) == 0  # idempotent
    with in_scope("perano") as session:
        assert services.anonymise_expired(today) == 0  # Perano keeps its own people for 10 years
        session.commit()
    assert _names(in_scope) == ["<anonymised>", "New Swede", "Vecchio Italiano"]
    with in_scope("perano") as session:
        assert services.anonymise_expired(dt.date(2029, 3, 10)) == 1
        session.commit()
    assert _names(in_scope) == ["<anonymised>", "<anonymised>", "New Swede"]


def test_retention_cli_is_safe_to_run_daily(app, make_visit, in_scope):
    make_visit("perano", visitors=("kungalv",), start=dt.date(2015, 3, 1),
               participants=[("kungalv", "Old Swede", "K"), ("perano", "Vecchio Italiano", "P")])
    make_visit("perano", visitors=("kungalv",), start=dt.date.today() - dt.timedelta(days=30),
               participants=[("kungalv", "New Swede", "K")])
    runner = app.test_cli_runner()
    first = runner.invoke(args=["visits", "anonymise-expired"])
    assert first.exit_code == 0, first.output
    assert "kungalv: 1" in first.output and "perano: 1" in first.output
    second = runner.invoke(args=["visits", "anonymise-expired"])
    assert second.exit_code == 0 and "kungalv: 0" in second.output and "perano: 0" in second.output
    assert _names(in_scope) == ["<anonymised>", "<anonymised>", "New Swede"]


def test_retention_setting_is_for_admins_with_a_checked_range(client, login_as, in_scope, says):
    login_as("kungalv", "coordinator")
    assert client.get("/kungalv/visits/settings").status_code == 403
    client.post("/kungalv/logout")
    login_as("kungalv", "admin")
    for bad in ("0", "99", "abc", "\x00"):
        response = client.post("/kungalv/visits/settings", data={"retention_years": bad})
        assert response.status_code == 422
        assert says(response, "Enter a whole number of years from %(low)d to %(high)d.", low=1, high=30)
    assert client.post("/kungalv/visits/settings", data={"retention_years": "7", "version": "0"}).status_code == 302
    from exchange.visits import services
    with in_scope("kungalv"):
        assert services.settings().retention_years == 7
    with in_scope("perano"):
        assert services.settings().retention_years == 5  # another municipality keeps its own
