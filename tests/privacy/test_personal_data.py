"""The personal-data tool finds one person in every store (accounts, comments, visit participants,
follow-up owners, project and organisation contact people), exports all of it and erases it consistently,
only in what the reader's municipality holds."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from tests.fixtures.core import actor_of, text_of

NAME = "Åsa Öberg"


def _seed(make_user, make_project, make_org, make_visit, in_scope):
    """Åsa works in Kungälv: she has an account, wrote a comment, is a contact person of a project and of
    an organisation, and took part in a visit. A namesake is the contact of a Perano organisation."""
    from exchange.projects import services
    from exchange.projects.queries import get_project
    account = make_user("kungalv", "staff", name=NAME, email="asa.oberg@kungalv.example")
    project_id = make_project("kungalv", status="proposed", title="Solenergi")
    with in_scope("kungalv") as session:
        from exchange.auth.models import User
        user = session.get(User, account.id)
        project = get_project(project_id)
        services.add_comment(project, user, "Vi kan ta emot besök i maj.", "sv")
        services.add_contact(project, user, user.municipality_id, "ÅSA  ÖBERG", role="Projektledare",
                             email="asa.oberg@kungalv.example")
        session.commit()
    make_org("kungalv", "Kungälvs hembygdsförening", contact={"name": NAME, "role": "Ordförande"})
    make_org("perano", "Pro Loco Perano", contact={"name": NAME, "role": "Presidente"})
    visit_id = make_visit("perano", visitors=("kungalv",), start=dt.date(2024, 5, 3),
                          participants=[("kungalv", NAME, "Kommunledningskontoret")])
    return account, project_id, visit_id


def test_finds_the_person_in_every_store_and_exports_it(client, login_as, make_user, make_project, make_org,
                                                        make_visit, in_scope):
    _seed(make_user, make_project, make_org, make_visit, in_scope)
    login_as("kungalv", "coordinator")
    page = text_of(client.post("/kungalv/personal-data?lang=it", data={"name": "åsa öberg"}))
    assert "Referente del progetto Solenergi" in page
    for expected in ("asa.oberg@kungalv.example", "Solenergi", "Kungälvs hembygdsförening"):
        assert expected in page
    assert "Pro Loco Perano" not in page  # Perano's contact person is Perano's to answer for

    data = json.loads(client.post("/kungalv/personal-data/export", data={"name": NAME}).data)
    assert [a["email"] for a in data["accounts"]] == ["asa.oberg@kungalv.example"]
    assert [c["text"] for c in data["comments"]] == ["Vi kan ta emot besök i maj."]
    assert [c["role"] for c in data["project_contacts"]] == ["Projektledare"]
    assert [c["organisation"] for c in data["organisation_contacts"]] == ["Kungälvs hembygdsförening"]
    assert [p["organisation"] for p in data["participations"]] == ["Kommunledningskontoret"]


def test_the_account_is_found_by_its_address_under_another_name(client, login_as, make_user):
    make_user("kungalv", "staff", name="Åsa Lind", email="asa.oberg@kungalv.example")
    login_as("kungalv", "coordinator")
    data = json.loads(client.post("/kungalv/personal-data/export",
                                  data={"name": NAME, "email": "ASA.OBERG@kungalv.example"}).data)
    assert [a["name"] for a in data["accounts"]] == ["Åsa Lind"]


def test_erasure_asks_first_then_reaches_every_store_of_the_own_municipality(client, login_as, make_user,
                                                                              make_project, make_org, make_visit,
                                                                              in_scope):
    from exchange.partners.models import OrganisationContact
    from exchange.projects.models import ProjectComment, ProjectContact
    account, project_id, visit_id = _seed(make_user, make_project, make_org, make_visit, in_scope)
    login_as("kungalv", "coordinator")
    confirm = client.post("/kungalv/personal-data/erase?lang=sv", data={"name": NAME})
    assert confirm.status_code == 200 and "raderas ur 4 poster. Det går inte att ångra." in text_of(confirm)
    with in_scope("kungalv") as session:
        assert session.scalars(select(ProjectContact)).all()  # nothing changed before the confirmation

    done = client.post("/kungalv/personal-data/erase", data={"name": NAME, "confirmed": "yes"})
    assert done.status_code == 302
    with in_scope("kungalv") as session:
        assert session.scalars(select(ProjectContact)).all() == []
        comment = session.scalars(select(ProjectComment)).one()
        assert (comment.author_name, comment.author_id, comment.body) == ("", None, "Vi kan ta emot besök i maj.")
    with in_scope("perano") as session:
        # Kungälv's organisation lost its contact person; Perano's namesake is Perano's to answer for.
        assert [(c.organisation.name, c.name) for c in session.scalars(select(OrganisationContact))] == [
            ("Pro Loco Perano", NAME)]

    project_page = text_of(client.get(f"/kungalv/projects/{project_id}?lang=de"))
    assert NAME not in project_page and "anonymisiert" in project_page
    visit_page = client.get(f"/kungalv/visits/{visit_id}?lang=de").get_data(as_text=True)
    # The participant is gone from the table (her account, left to an admin, may still be offered as an
    # owner of follow-up actions).
    assert f"<td>{NAME}</td>" not in visit_page and "anonymisierte Person" in visit_page
    # The account itself is left to an admin; everything else is gone.
    data = json.loads(client.post("/kungalv/personal-data/export", data={"name": NAME}).data)
    assert len(data["accounts"]) == 1
    assert not any(data[k] for k in ("comments", "participations", "project_contacts", "organisation_contacts"))


def test_another_municipality_finds_nothing_of_ours_and_staff_may_not_look(client, login_as, make_user,
                                                                          make_project, make_org, make_visit,
                                                                          in_scope):
    _seed(make_user, make_project, make_org, make_visit, in_scope)
    login_as("hiddenhausen", "coordinator")
    data = json.loads(client.post("/hiddenhausen/personal-data/export", data={"name": NAME}).data)
    assert not any(data[k] for k in ("accounts", "comments", "participations", "project_contacts",
                                     "organisation_contacts", "follow_up_actions_owned"))
    client.post("/hiddenhausen/logout")
    login_as("kungalv", "staff")
    assert client.get("/kungalv/personal-data").status_code == 403


def test_the_old_address_under_visits_still_leads_there(client, login_as):
    login_as("kungalv", "coordinator")
    response = client.post("/kungalv/visits/personal-data/export", data={"name": NAME})
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/kungalv/personal-data/export")


def test_the_audit_log_counts_without_repeating_the_name(client, login_as, make_user, make_project, make_org,
                                                          make_visit, in_scope):
    from exchange.audit.models import AuditEntry
    _seed(make_user, make_project, make_org, make_visit, in_scope)
    login_as("kungalv", "coordinator")
    client.post("/kungalv/personal-data/erase", data={"name": NAME, "confirmed": "yes"})
    with in_scope("kungalv") as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "person.erased")).one()
        assert entry.details["project_contacts"] == 1 and entry.details["comments"] == 1
        assert "Åsa" not in json.dumps([e.details for e in session.scalars(select(AuditEntry))], ensure_ascii=False)
