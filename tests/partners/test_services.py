"""Organisation profiles, eligibility, needs and the interest/invitation workflow at the service level,
plus tenancy (every municipality reads profiles; the owner is stamped and guarded) and permissions."""
from __future__ import annotations

from tests.fixtures.partners import tourism
import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from exchange.partners import permissions, queries, services
from exchange.partners.models import Organisation, OrganisationContact, Partnership
from exchange.errors import Conflict, Refusal
from exchange.partners.services import ContributionInput, NeedInput, OrganisationInput
from exchange.tenancy import ScopeError
from tests.fixtures.core import actor_of


def org_input(themes, **overrides) -> OrganisationInput:
    values = dict(name="Pro Loco Perano", type="association", locale="it", description="Associazione turistica.",
                  offers=[themes["tourism"]], seeks=[themes["culture"]], languages=["it", "en"])
    values.update(overrides)
    return OrganisationInput(**values)


# --- profiles ----------------------------------------------------------------------------------------

def test_register_an_organisation(app, in_scope, themes):
    with in_scope("perano") as session:
        org = services.create_organisation(actor_of("perano"), org_input(
            themes, contact=services.ContactInput("Maria Rossi", "Presidente", "Maria@Example.it", "+39 0872")))
        session.commit()
        org_id = org.id
    with in_scope("perano") as session:
        org = queries.get_organisation(org_id)
        assert org.municipality.slug == "perano"
        assert [t.key for t in org.offered_themes] == ["tourism"]
        assert [t.key for t in org.sought_themes] == ["culture"]
        assert org.languages == ["en", "it"]
        assert org.contacts[0].email == "maria@example.it"
        assert org.display("description", "de").text == "Associazione turistica."
        assert org.source_locale() == "it"
        assert not org.is_stale()
        from exchange.audit.models import AuditEntry
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.create")) is not None


@pytest.mark.parametrize("value", ["individual", "private_person", "Individual", "person"])
def test_a_private_person_cannot_be_registered(app, in_scope, themes, value):
    with in_scope("kungalv") as session:
        with pytest.raises(Refusal) as caught:
            services.create_organisation(actor_of("kungalv"), org_input(themes, type=value))
        assert (caught.value.code, caught.value.field) == ("individual", "type")
        session.rollback()
        assert session.scalar(select(sa.func.count()).select_from(Organisation)) == 0


def test_the_database_refuses_an_unknown_type(app, in_scope, make_org):
    org_id = make_org("kungalv", "Kungälvs Bostäder", type="municipal_company")
    with in_scope("kungalv") as session:
        session.get(Organisation, org_id).type = "individual"
        with pytest.raises(sa.exc.IntegrityError):
            session.flush()
        session.rollback()


@pytest.mark.parametrize("overrides, code, field", [
    ({"name": ""}, "required", "name"),
    ({"name": "x" * 201}, "too_long_max", "name"),
    ({"name": "Nul\x00byte"}, "control_characters", "name"),
    ({"type": "spaceship"}, "unknown_type", "type"),
    ({"offers": []}, "no_theme", "offers"),
    ({"offers": [99999]}, "unknown_theme", "offers"),
    ({"seeks": ["x"]}, "unknown_theme", "seeks"),
    ({"languages": []}, "no_language", "languages"),
    ({"languages": ["xx"]}, "unknown_language", "languages"),
    ({"locale": "fr"}, "unknown_locale", "description_locale"),
    ({"website": "javascript:alert(1)"}, "invalid_url", "website"),
    ({"description": "d" * 5001}, "too_long_max", "description"),
    ({"contact": services.ContactInput("", "Chair", "", "")}, "required", "contact_name"),
    ({"contact": services.ContactInput("A", "", "not-an-address", "")}, "invalid_email", "contact_email"),
])
def test_bad_profiles_are_refused(app, in_scope, themes, overrides, code, field):
    with in_scope("perano") as session:
        with pytest.raises(Refusal) as caught:
            services.create_organisation(actor_of("perano"), org_input(themes, **overrides))
        assert (caught.value.code, caught.value.field) == (code, field)
        session.rollback()


def test_sort_keys_follow_the_alphabet(app, in_scope, make_org):
    from exchange.partners.models import sort_key
    assert sort_key("Öckerö", "sv") > sort_key("Zebra", "sv")
    assert sort_key("Öckerö", "de") < sort_key("Zebra", "de")
    assert sort_key("Ärla", "sv") < sort_key("Örn", "sv")
    assert sort_key("Åsa", "sv") < sort_key("Ärla", "sv")
    org_id = make_org("kungalv", "Ölands förening")
    with in_scope("kungalv"):
        org = queries.get_organisation(org_id)
        # one key per configured language (the directory reads its order from their index), in its alphabet
        keys = {k.locale: k.key for k in org.sort_keys}
        assert set(keys) == {"sv", "de", "it"}
        assert keys["sv"] > sort_key("zz", "sv") and keys["de"] == keys["it"] == sort_key("Ölands förening")


def test_editing_keeps_the_version_and_marks_translations_outdated(app, in_scope, themes, make_org):
    org_id = make_org("perano", "Pro Loco", description="Associazione.", locale="it")
    with in_scope("perano") as session:
        org = queries.get_organisation(org_id)
        services.set_description_translation(org, actor_of("perano"), "de", "Verein.")
        session.commit()
        version = org.version
        services.update_organisation(org, actor_of("perano"), org_input(themes, description="Associazione storica."),
                                     expected_version=version)
        session.commit()
        assert org.version == version + 1
        assert org.status_of("description", "de").value == "outdated"
        with pytest.raises(Conflict):
            services.update_organisation(org, actor_of("perano"), org_input(themes), expected_version=version)
        session.rollback()


def test_a_stale_profile_is_flagged_and_can_be_confirmed_or_retired(app, in_scope, make_org):
    old = dt.date.today() - dt.timedelta(days=400)
    stale_id = make_org("kungalv", "Gammal förening", confirmed=old)
    make_org("kungalv", "Ny förening")
    make_org("perano", "Vecchia associazione", confirmed=old)
    with in_scope("kungalv") as session:
        from exchange.municipalities.queries import by_slug
        rows, count = queries.stale_organisations(by_slug("kungalv").id)
        assert [o.id for o in rows] == [stale_id] and count == 1
        org = rows[0]
        assert org.is_stale()
        services.confirm_organisation(org, actor_of("kungalv"))
        assert not org.is_stale()
        services.retire_organisation(org, actor_of("kungalv"))
        assert not org.active
        session.commit()


# --- tenancy -----------------------------------------------------------------------------------------

def test_every_municipality_sees_profiles_but_rows_stay_with_their_owner(app, in_scope, make_org):
    from exchange.municipalities.queries import by_slug
    org_id = make_org("perano", "Frantoio", contact={"name": "Maria Rossi"})
    with in_scope("kungalv") as session:
        org = queries.get_organisation(org_id)
        assert org is not None and org.contacts  # visible to the network (the templates hide contacts)
        org.municipality_id = by_slug("kungalv").id
        with pytest.raises(ScopeError):
            session.flush()
        session.rollback()
    with in_scope("kungalv") as session:
        session.add(Organisation(name="X", sort_name="x", type="business", municipality_id=by_slug("perano").id))
        with pytest.raises(ScopeError):
            session.flush()
        session.rollback()


def test_only_the_owning_municipalitys_staff_edit(app, in_scope, make_org, make_user):
    org_id = make_org("perano", "Frantoio")
    accounts = {key: make_user(slug, *roles) for key, (slug, roles) in {
        "perano_staff": ("perano", ("staff",)), "perano_coordinator": ("perano", ("coordinator",)),
        "perano_translator": ("perano", ("translator",)), "perano_admin": ("perano", ("admin",)),
        "kungalv_coordinator": ("kungalv", ("coordinator",))}.items()}
    expected = {"perano_staff": True, "perano_coordinator": True, "perano_translator": False,
                "perano_admin": False, "kungalv_coordinator": False}
    from exchange.auth.models import User
    for key, account in accounts.items():
        with in_scope(account.slug) as session:
            user = session.get(User, account.id)
            org = queries.get_organisation(org_id)
            assert permissions.can_edit_organisation(user, org) is expected[key], key
            assert permissions.can_export_contacts(user, org) is (account.slug == "perano"), key
            assert permissions.can_see_contacts(user, org)


# --- needs -------------------------------------------------------------------------------------------

def test_needs_validate_types_themes_and_origin(app, in_scope, themes, make_project):
    project_id = make_project("hiddenhausen", **tourism(leader_funding=True))
    with in_scope("hiddenhausen") as session:
        project = queries.get_project(project_id)
        author = actor_of("hiddenhausen")
        for data, code in [
            (NeedInput("co_applicant", [themes["tourism"]], ["individual"]), "individual"),
            (NeedInput("co_applicant", [themes["tourism"]], []), "no_type"),
            (NeedInput("co_applicant", [], ["association"]), "no_theme"),
            (NeedInput("boss", [themes["tourism"]], ["association"]), "unknown_choice"),
            (NeedInput("host", [themes["tourism"]], ["association"], origin="moon"), "unknown_choice"),
            (NeedInput("host", [themes["tourism"]], ["association"], origin="municipality"), "required"),
            (NeedInput("host", [themes["tourism"]], ["association"], origin="country", origin_country="XX"),
             "unknown_country"),
        ]:
            with pytest.raises(Refusal) as caught:
                services.add_need(project, author, data)
            assert caught.value.code == code, data
        need = services.add_need(project, author, NeedInput("host", [themes["tourism"], themes["culture"]],
                                                             ["association", "business"], origin="country",
                                                             origin_country="it"))
        session.commit()
        assert need.origin_country == "IT" and {t.key for t in need.themes} == {"tourism", "culture"}


# --- interest, invitations, answers ------------------------------------------------------------------

def test_invitation_accepted_by_the_organisations_municipality(app, in_scope, make_org, make_project):
    org_id = make_org("perano", "Frantoio", type="business")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("hiddenhausen") as session:
        link = services.invite_organisation(queries.get_project(project_id), queries.get_organisation(org_id),
                                            actor_of("hiddenhausen"), "co_applicant", "Willkommen!", "de")
        session.commit()
        link_id = link.id
        with pytest.raises(Refusal) as caught:
            services.invite_organisation(queries.get_project(project_id), queries.get_organisation(org_id),
                                         actor_of("hiddenhausen"), "co_applicant")
        assert caught.value.code == "already_linked"
        session.rollback()
    with in_scope("perano") as session:
        from exchange.municipalities.queries import by_slug
        assert [p.id for p in queries.invitations_to_answer(by_slug("perano").id)] == [link_id]
        link = queries.get_partnership(link_id)
        services.answer(link, actor_of("perano"), True, contribution=ContributionInput("voluntary_work", hours="120"))
        session.commit()
        assert link.status == "accepted" and link.contribution_hours == 120
        assert queries.invitations_to_answer(by_slug("perano").id) == []
        with pytest.raises(Refusal) as caught:
            services.answer(link, actor_of("perano"), False, "Changed our mind")
        assert caught.value.code == "already_decided"


def test_interest_declined_with_a_reason_and_reopened(app, in_scope, make_org, make_project):
    org_id = make_org("kungalv", "Kungälvs Bostäder", type="municipal_company")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("kungalv") as session:
        project, org = queries.get_project(project_id), queries.get_organisation(org_id)
        with pytest.raises(Refusal) as caught:
            services.express_interest(project, org, actor_of("kungalv"), "expert", ContributionInput())
        assert (caught.value.code, caught.value.field) == ("required", "contribution_kind")
        with pytest.raises(Refusal) as caught:
            services.express_interest(project, org, actor_of("kungalv"), "expert",
                                      ContributionInput("money", amount="-5", currency="SEK"))
        assert (caught.value.code, caught.value.field) == ("negative", "contribution_amount")
        session.rollback()
        link = services.express_interest(project, org, actor_of("kungalv"), "expert",
                                         ContributionInput("money", amount="25000", currency="sek"))
        session.commit()
        link_id = link.id
        assert link.contribution_currency == "SEK"
    with in_scope("hiddenhausen") as session:
        from exchange.municipalities.queries import by_slug
        assert [p.id for p in queries.interests_to_answer(by_slug("hiddenhausen").id)] == [link_id]
        link = queries.get_partnership(link_id)
        with pytest.raises(Refusal) as caught:
            services.answer(link, actor_of("hiddenhausen"), False, "")
        assert (caught.value.code, caught.value.field) == ("required", "reason")
        services.answer(link, actor_of("hiddenhausen"), False, "Wir haben schon einen Experten.", "de")
        session.commit()
    with in_scope("kungalv") as session:
        project, org = queries.get_project(project_id), queries.get_organisation(org_id)
        link = services.express_interest(project, org, actor_of("kungalv"), "associate",
                                         ContributionInput("in_kind"))
        session.commit()
        assert link.id == link_id and link.status == "interested" and link.decision_reason == ""


def test_no_partnerships_with_closed_projects_or_retired_organisations(app, in_scope, make_org, make_project):
    retired = make_org("perano", "Chiusa", active=False)
    open_org = make_org("perano", "Aperta")
    draft_id = make_project("hiddenhausen", **tourism(status="draft"))
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("hiddenhausen") as session:
        for pid, oid, code in [(project_id, retired, "inactive"), (draft_id, open_org, "not_open_for_partners")]:
            with pytest.raises(Refusal) as caught:
                services.invite_organisation(queries.get_project(pid), queries.get_organisation(oid),
                                             actor_of("hiddenhausen"), "host")
            assert caught.value.code == code
        session.rollback()


def test_answer_permissions(app, in_scope, make_org, make_project, make_user):
    from exchange.auth.models import User
    org_id = make_org("perano", "Frantoio")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("hiddenhausen") as session:
        link = services.invite_organisation(queries.get_project(project_id), queries.get_organisation(org_id),
                                            actor_of("hiddenhausen"), "host")
        session.commit()
        link_id = link.id
    cases = [(make_user("perano", "coordinator"), True), (make_user("perano", "staff"), False),
             (make_user("hiddenhausen", "coordinator"), False), (make_user("kungalv", "coordinator"), False)]
    for account, allowed in cases:
        with in_scope(account.slug) as session:
            user = session.get(User, account.id)
            assert permissions.can_answer(user, queries.get_partnership(link_id)) is allowed, account



def test_an_accepted_contribution_becomes_a_funding_line_once(app, in_scope, make_org, make_project):
    from exchange.projects.models import FundingLine
    business = make_org("perano", "Frantoio", type="business")
    club = make_org("perano", "Circolo", type="association")
    project_id = make_project("hiddenhausen", **tourism())
    with in_scope("perano") as session:
        project = queries.get_project(project_id)
        money = services.express_interest(project, queries.get_organisation(business), actor_of("perano"),
                                          "co_applicant", ContributionInput("money", amount="5000", currency="EUR"))
        hours = services.express_interest(project, queries.get_organisation(club), actor_of("perano"),
                                          "associate", ContributionInput("voluntary_work", hours="200"))
        session.commit()
        ids = money.id, hours.id
    with in_scope("hiddenhausen") as session:
        lead = actor_of("hiddenhausen")
        money, hours = (queries.get_partnership(i) for i in ids)
        with pytest.raises(Refusal) as caught:
            services.add_to_funding_plan(money, lead)
        assert caught.value.code == "not_fundable"  # not accepted yet
        services.answer(money, lead, True)
        services.answer(hours, lead, True)
        line = services.add_to_funding_plan(money, lead)
        assert (line.source, line.amount, line.currency, line.note) == ("private_money", 5000, "EUR", "Frantoio")
        with pytest.raises(Refusal) as caught:
            services.add_to_funding_plan(hours, lead)
        assert (caught.value.code, caught.value.field) == ("required", "hourly_value")
        line = services.add_to_funding_plan(hours, lead, hourly_value="15")
        assert (line.source, line.amount, line.hours) == ("voluntary_work", 3000, 200)
        session.commit()
        with pytest.raises(Refusal):
            services.add_to_funding_plan(queries.get_partnership(ids[0]), lead)
        session.rollback()
        assert session.scalar(select(sa.func.count()).select_from(FundingLine)) == 2
