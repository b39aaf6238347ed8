"""Issue 13: every piece of user content read by another municipality goes through the shared content
mechanism: milestones, funding notes, contact roles, comments, join messages and sustainability rationales
of projects; programme items, participants' organisations and roles and follow-up actions of visits;
organisation contacts' roles. Each is shown with the lang of the language shown and the original-language
note, appears in the translators' queue (with the owner page's visibility; comments and join messages as
optional translations, after the others), becomes outdated when its original changes, and is a versioned
row (a stale save is a 409)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.fixtures.core import Actor, text_of

MILESTONE, NOTE, ROLE, COMMENT = "Förstudien klar", "Egen budget", "Projektledare", "Bra idé, vi är med!"
RATIONALE, MESSAGE = "Fler möten mellan generationerna.", "Vorremmo partecipare con le nostre scuole."
ITEM, PLACE, ORG, PROLE, ACTION = "Rundgang im Rathaus", "Rathaus", "Kulturamt", "Leiterin", "Bericht schicken"
ORG_ROLE = "Ordförande"
COST_NOTE, REASON, LINK_MESSAGE = "Busfahrt nach Herford", "Finansieringen uteblev.", "Vi bjuder in er förening."
HIDDEN_REASON, HIDDEN_MESSAGE = "Utkastet var fel.", "Hemlig inbjudan i ett utkast."


@pytest.fixture
def project_texts(make_project, in_scope, towns):
    """A proposed Kungälv project written in Swedish, with one text of each kind; Perano asked to join in
    Italian. {"id": project id, kind: source text row id}."""
    from exchange.projects import services
    from exchange.projects.models import CommentText, FundingLineText, MilestoneText, ParticipationText
    from exchange.projects.models import ProjectContactText, ProjectText
    from exchange.projects.queries import get_project
    project_id = make_project("kungalv", status="proposed", title="Generationsmöten",
                              sustainability={"social": RATIONALE})
    with in_scope("kungalv") as session:
        project, author = get_project(project_id), Actor(towns["kungalv"], "Karin")
        services.add_milestone(project, author, MILESTONE, dt.date(2025, 6, 1), "sv")
        services.add_funding_line(project, author, towns["kungalv"], "municipal", "SEK", amount="100", note=NOTE,
                                  locale="sv")
        services.add_contact(project, author, towns["kungalv"], "Karin Ek", ROLE, locale="sv")
        services.add_comment(project, author, COMMENT, "sv")
        session.commit()
    with in_scope("perano") as session:
        services.request_to_join(get_project(project_id), Actor(towns["perano"], "Marco"), MESSAGE, "it")
        session.commit()
    ids = {"id": project_id}
    with in_scope("kungalv") as session:
        for kind, model, text in [("milestone", MilestoneText, MILESTONE), ("note", FundingLineText, NOTE),
                                  ("role", ProjectContactText, ROLE), ("comment", CommentText, COMMENT),
                                  ("message", ParticipationText, MESSAGE), ("rationale", ProjectText, RATIONALE)]:
            ids[kind] = session.scalar(select(model.id).where(model.text == text, model.status == "source"))
            assert ids[kind] is not None, kind
    return ids


@pytest.fixture
def visit_texts(make_visit, in_scope, towns):
    """A visit hosted by Hiddenhausen with Kungälv visiting (not Perano), its texts written in German:
    {"id": visit id, kind: source text row id}."""
    from exchange.visits import services
    from exchange.visits.models import AgendaItemText, CostText, FollowUpText, ParticipantText
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("hiddenhausen", visitors=("kungalv",), purpose="Austausch über Kultur", locale="de")
    with in_scope("hiddenhausen") as session:
        visit, actor = visit_detail(visit_id), Actor(towns["hiddenhausen"], "Heike")
        services.add_agenda_item(visit, dt.date(2024, 5, 3), ITEM, PLACE, "de", actor)
        services.add_participant(visit, towns["hiddenhausen"], "Heike Brandt", ORG, PROLE, actor, lang="de")
        services.add_follow_up(visit, ACTION, "", None, "de", actor)
        services.add_cost(visit, towns["hiddenhausen"], "travel", "120", "EUR", COST_NOTE, actor, lang="de")
        session.commit()
    ids = {"id": visit_id}
    with in_scope("hiddenhausen") as session:
        for kind, model, text in [("item", AgendaItemText, ITEM), ("place", AgendaItemText, PLACE),
                                  ("organisation", ParticipantText, ORG), ("role", ParticipantText, PROLE),
                                  ("action", FollowUpText, ACTION), ("cost", CostText, COST_NOTE)]:
            ids[kind] = session.scalar(select(model.id).where(model.text == text, model.status == "source"))
            assert ids[kind] is not None, kind
    return ids


def _shown_as(html: str, text: str) -> str | None:
    """The lang of the element that directly holds ``text`` (a span, or a block's paragraph container)."""
    match = re.search(r'lang="([a-z]{2})">(?:<p>)?' + re.escape(text), html)
    return match.group(1) if match else None


# --- pages ---------------------------------------------------------------------------------------

def test_a_project_page_in_another_language_marks_every_text_with_its_language_and_the_note(
        client, login_as, project_texts, tr):
    login_as("hiddenhausen", "coordinator", preferred_locale="de")
    page = client.get(f"/hiddenhausen/projects/{project_texts['id']}")
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    for swedish in (MILESTONE, NOTE, ROLE, COMMENT, RATIONALE):
        assert _shown_as(html, swedish) == "sv", swedish
    assert _shown_as(html, MESSAGE) == "it"
    short = tr("de", "original in %(language)s, not translated yet", language="Schwedisch")
    assert text.count(short) >= 3  # milestone, funding note, contact role
    block = tr("de", "Shown in the original language (%(language)s): no translation into your language yet.",
               language="Schwedisch")
    assert text.count(block) >= 2  # the rationale and the comment
    assert tr("de", "Shown in the original language (%(language)s): no translation into your language yet.",
              language="Italienisch") in text  # Perano's join message


def test_a_translation_says_whether_it_is_approved(client, login_as, project_texts, in_scope, towns, tr):
    from exchange.i18n import services as content
    from exchange.projects.models import Milestone, Project
    with in_scope("kungalv") as session:
        project = session.get(Project, project_texts["id"])
        milestone = session.scalars(select(Milestone).where(Milestone.project_id == project.id)).one()
        content.set_translation(milestone, "title", "de", "Vorstudie fertig", Actor(towns["hiddenhausen"], "Tina"))
        content.set_translation(project, "sustainability_social", "de", "Mehr Begegnungen.",
                                Actor(towns["hiddenhausen"], "Tina"), approved=True)
        session.commit()
    login_as("hiddenhausen", "staff", preferred_locale="de")
    page = client.get(f"/hiddenhausen/projects/{project_texts['id']}")
    html, text = page.get_data(as_text=True), text_of(page)
    assert _shown_as(html, "Vorstudie fertig") == "de" and _shown_as(html, "Mehr Begegnungen.") == "de"
    assert tr("de", "translation from %(language)s, not approved yet", language="Schwedisch") in text
    assert tr("de", "Translated from %(language)s; the translation is approved.", language="Schwedisch") in text


def test_a_visit_page_marks_its_programme_participants_and_follow_ups(client, login_as, visit_texts, tr):
    login_as("kungalv", "coordinator", preferred_locale="sv")
    page = client.get(f"/kungalv/visits/{visit_texts['id']}")
    html, text = page.get_data(as_text=True), text_of(page)
    for german in (ITEM, PLACE, ORG, PROLE, ACTION, COST_NOTE):
        assert _shown_as(html, german) == "de", german
    assert text.count(tr("sv", "original in %(language)s, not translated yet", language="tyska")) >= 6
    # Staff see the organisations (not the names), marked too.
    client.post("/kungalv/logout")
    login_as("kungalv", "staff", preferred_locale="sv")
    html = client.get(f"/kungalv/visits/{visit_texts['id']}").get_data(as_text=True)
    assert _shown_as(html, ORG) == "de" and "Heike Brandt" not in html


def test_the_overdue_panel_marks_a_follow_up_in_another_language(client, login_as, make_visit, tr):
    make_visit("hiddenhausen", visitors=("perano",), follow_ups=[(ACTION, "", dt.date(2024, 1, 1))])
    login_as("perano", "coordinator", preferred_locale="it")
    page = client.get("/perano/")
    assert _shown_as(page.get_data(as_text=True), ACTION) == "sv"  # the fixture writes follow-ups in Swedish
    assert tr("it", "original in %(language)s, not translated yet", language="svedese") in text_of(page)


def test_an_organisation_page_marks_the_contacts_role_and_the_descriptions_state(
        client, login_as, make_org, in_scope, towns, tr):
    from exchange.i18n import services as content
    from exchange.partners.models import Organisation
    org_id = make_org("kungalv", "Föreningen", description="Vi ordnar kurser.",
                      contact={"name": "Bo Ek", "role": ORG_ROLE})
    with in_scope("kungalv") as session:
        content.set_translation(session.get(Organisation, org_id), "description", "it", "Organizziamo corsi.",
                                Actor(towns["perano"], "Chiara"))
        session.commit()
    login_as("perano", "staff", preferred_locale="it")
    page = client.get(f"/perano/partners/{org_id}")
    html, text = page.get_data(as_text=True), text_of(page)
    assert _shown_as(html, ORG_ROLE) == "sv"
    assert tr("it", "original in %(language)s, not translated yet", language="svedese") in text
    assert _shown_as(html, "Organizziamo corsi.") == "it"
    assert tr("it", "Translated from %(language)s; the translation is not approved yet.", language="svedese") in text


# --- the queue -----------------------------------------------------------------------------------

QUEUE_TYPES = {"milestone": "Milestone", "note": "FundingLine", "role": "ProjectContact", "comment": "ProjectComment",
               "message": "ProjectParticipation", "rationale": "Project"}
VISIT_TYPES = {"item": "AgendaItem", "place": "AgendaItem", "organisation": "Participant", "role": "Participant",
               "action": "FollowUp", "cost": "Cost"}


def test_a_translator_of_another_municipality_finds_every_project_text_in_the_queue(
        client, login_as, project_texts):
    login_as("hiddenhausen", "translator")
    html = "".join(client.get(f"/hiddenhausen/workbench/queue?page={n}").get_data(as_text=True) for n in (1, 2, 3))
    for kind, type_name in QUEUE_TYPES.items():
        link = f"/hiddenhausen/workbench/queue/{type_name}/{project_texts[kind]}/de"
        assert link in html, kind
        assert client.get(link).status_code == 200, kind


def test_comments_and_join_messages_are_optional_and_come_last(app, client, login_as, project_texts, tr):
    from exchange.workbench import queue as content_queue
    login_as("hiddenhausen", "translator", preferred_locale="de")
    with app.test_request_context():
        from exchange.auth.models import User
        from exchange.extensions import db
        from exchange.tenancy import municipality_scope
        from exchange.municipalities.queries import by_slug
        with municipality_scope(by_slug("hiddenhausen")):
            user = db.session.scalars(select(User)).one()
            items = content_queue.queue(user, ["de"], per_page=50).items
            kinds = [(item.type, item.row.field, item.optional) for item in items]
    optional = [k for k in kinds if k[2]]
    assert {(t, f) for t, f, _o in optional} == {("ProjectComment", "body"), ("ProjectParticipation", "message")}
    assert kinds[-len(optional):] == optional  # after every text that needs a translation
    html = client.get("/hiddenhausen/workbench/queue").get_data(as_text=True)
    assert tr("de", "optional") in text_of(client.get("/hiddenhausen/workbench/queue"))
    assert html.count('class="mark mark-optional"') == 2


def test_a_third_municipality_finds_no_text_of_a_visit_it_does_not_take_part_in(client, login_as, visit_texts):
    login_as("perano", "translator")
    for type_name in set(VISIT_TYPES.values()):
        html = client.get(f"/perano/workbench/queue?type={type_name}").get_data(as_text=True)
        assert f"/workbench/queue/{type_name}/" not in html, type_name
    for kind, type_name in VISIT_TYPES.items():
        assert client.get(f"/perano/workbench/queue/{type_name}/{visit_texts[kind]}/it").status_code == 404, kind
    client.post("/perano/logout")
    login_as("kungalv", "translator")
    html = "".join(client.get(f"/kungalv/workbench/queue?type={t}").get_data(as_text=True)
                   for t in set(VISIT_TYPES.values()))
    for kind, type_name in VISIT_TYPES.items():
        assert f"/kungalv/workbench/queue/{type_name}/{visit_texts[kind]}/sv" in html, kind
    assert "Heike Brandt" not in html  # a participant is named by the visit, never by name


# --- editing the source, versions ----------------------------------------------------------------

def test_editing_the_original_marks_the_translations_outdated(client, login_as, visit_texts, in_scope, towns):
    from exchange.visits.models import FollowUpText
    login_as("kungalv", "translator")
    url = f"/kungalv/workbench/queue/FollowUp/{visit_texts['action']}/sv"
    assert client.post(url, data={"text": "Skicka rapporten", "snapshot": ACTION, "version": "0"}).status_code == 302
    client.post("/kungalv/logout")
    login_as("hiddenhausen", "coordinator", preferred_locale="de")
    edit = f"/hiddenhausen/visits/{visit_texts['id']}/follow-ups"
    with in_scope("hiddenhausen") as session:
        follow_up_id, version = session.execute(select(FollowUpText.owner_id, FollowUpText.owner.property.mapper
                                                       .class_.version).join(FollowUpText.owner)
                                                .where(FollowUpText.id == visit_texts["action"])).one()
    response = client.post(f"{edit}/{follow_up_id}/edit", data={"follow_up-action": "Bericht bis Juni schicken",
                                                               "follow_up-owner": "", "follow_up-due_date": "",
                                                               "follow_up-version": str(version)})
    assert response.status_code == 302, response.get_data(as_text=True)
    with in_scope("kungalv") as session:
        rows = {r.locale: (r.status, r.text) for r in session.scalars(
            select(FollowUpText).where(FollowUpText.owner_id == follow_up_id))}
    assert rows == {"de": ("source", "Bericht bis Juni schicken"), "sv": ("outdated", "Skicka rapporten")}
    # The Swedish reader sees the outdated translation, marked as such.
    client.post("/hiddenhausen/logout")
    login_as("kungalv", "staff", preferred_locale="sv")
    page = client.get(f"/kungalv/visits/{visit_texts['id']}")
    assert _shown_as(page.get_data(as_text=True), "Skicka rapporten") == "sv"


def test_project_texts_become_outdated_when_the_original_changes(in_scope, project_texts, towns):
    from exchange.i18n import services as content
    from exchange.projects.models import Milestone, Project
    translator, author = Actor(towns["perano"], "Chiara"), Actor(towns["kungalv"], "Karin")
    with in_scope("kungalv") as session:
        milestone = session.scalars(select(Milestone).where(Milestone.project_id == project_texts["id"])).one()
        content.set_translation(milestone, "title", "it", "Studio preliminare concluso", translator, approved=True)
        content.write_source(milestone, "title", "Förstudien klar i juni", "sv", author)
        assert milestone.status_of("title", "it").value == "outdated"
        assert milestone.title == "Förstudien klar i juni"
        # Saving the same text again from a page in another language keeps its language.
        assert not content.write_source(milestone, "title", "Förstudien klar i juni", "de", author)
        assert milestone.source_locale("title") == "sv"
        project = session.get(Project, project_texts["id"])
        content.set_translation(project, "sustainability_social", "it", "Più incontri.", translator)
        session.rollback()


def test_a_stale_translation_of_a_new_kind_of_text_is_a_409(client, login_as, project_texts):
    url = f"/hiddenhausen/workbench/queue/Milestone/{project_texts['milestone']}/de"
    login_as("hiddenhausen", "translator")
    assert client.post(url, data={"text": "Vorstudie fertig", "snapshot": MILESTONE, "version": "0"}).status_code == 302
    # A second save from the form opened before the first one (version 0: no translation yet) is stale.
    response = client.post(url, data={"text": "Vorstudie abgeschlossen", "snapshot": MILESTONE, "version": "0"})
    assert response.status_code == 409
    assert "Vorstudie fertig" in text_of(response)  # the saved version beside the input


def test_a_visit_page_says_whether_the_purposes_translation_is_approved(client, login_as, visit_texts, in_scope,
                                                                         towns, tr):
    from exchange.i18n import services as content
    from exchange.visits.models import Visit
    with in_scope("hiddenhausen") as session:
        visit = session.get(Visit, visit_texts["id"])
        content.set_translation(visit, "purpose", "sv", "Utbyte om kultur", Actor(towns["kungalv"], "Tove"),
                                approved=True)
        session.commit()
    login_as("kungalv", "staff", preferred_locale="sv")
    page = client.get(f"/kungalv/visits/{visit_texts['id']}")
    assert _shown_as(page.get_data(as_text=True), "Utbyte om kultur") == "sv"
    assert tr("sv", "Translated from %(language)s; the translation is approved.", language="tyska") in text_of(page)


# --- visit cost notes, withdrawal reasons, partnership messages ------------------------------------

@pytest.fixture
def more_texts(make_project, make_org, in_scope, towns):
    """Kungälv, writing in Swedish, invited a Hiddenhausen association to a proposed project and then
    withdrew it with a reason; its own draft, which nobody else sees, was withdrawn too and carries an
    invitation's message (written behind the services' back: a draft takes no partners, but the rule
    that hides its texts is the project's). {kind: source text row id, "project"/"draft"/"org": ids}."""
    from exchange.i18n import services as content
    from exchange.partners import services as partner_services
    from exchange.partners.models import Organisation, Partnership, PartnershipText
    from exchange.projects import services
    from exchange.projects.models import ProjectEventText
    from exchange.projects.queries import get_project
    org_id = make_org("hiddenhausen", "Heimatverein", locale="de")
    project_id = make_project("kungalv", status="proposed", title="Vandringsleder")
    draft_id = make_project("kungalv", title="Hemligt utkast")
    author = Actor(towns["kungalv"], "Karin")
    with in_scope("kungalv") as session:
        project, org = get_project(project_id), session.get(Organisation, org_id)
        partner_services.invite_organisation(project, org, author, "expert", LINK_MESSAGE, "sv")
        services.change_status(project, author, "withdrawn", reason=REASON, locale="sv")
        draft = get_project(draft_id)
        link = Partnership(project_id=draft_id, organisation=org, status="invited", role="expert")
        session.add(link)
        session.flush()
        content.set_source(link, "message", HIDDEN_MESSAGE, "sv", author)
        services.change_status(draft, author, "withdrawn", reason=HIDDEN_REASON, locale="sv")
        session.commit()
        ids = {"project": project_id, "draft": draft_id, "org": org_id}
        for kind, model, text in [("reason", ProjectEventText, REASON), ("message", PartnershipText, LINK_MESSAGE),
                                  ("hidden_reason", ProjectEventText, HIDDEN_REASON),
                                  ("hidden_message", PartnershipText, HIDDEN_MESSAGE)]:
            ids[kind] = session.scalar(select(model.id).where(model.text == text, model.status == "source"))
            assert ids[kind] is not None, kind
    return ids


def test_a_withdrawal_reason_is_marked_in_german_and_its_translation_status_shown(
        client, login_as, more_texts, in_scope, towns, tr):
    login_as("hiddenhausen", "staff", preferred_locale="de")
    page = client.get(f"/hiddenhausen/projects/{more_texts['project']}")
    assert _shown_as(page.get_data(as_text=True), REASON) == "sv"
    assert tr("de", "original in %(language)s, not translated yet", language="Schwedisch") in text_of(page)
    from exchange.i18n import services as content
    from exchange.projects.models import ProjectEvent
    with in_scope("kungalv") as session:
        event = session.scalars(select(ProjectEvent).where(ProjectEvent.project_id == more_texts["project"],
                                                           ProjectEvent.to_status == "withdrawn")).one()
        content.set_translation(event, "reason", "de", "Die Finanzierung blieb aus.",
                                Actor(towns["hiddenhausen"], "Tina"), approved=True)
        content.set_translation(event, "reason", "it", "Il finanziamento è mancato.", Actor(towns["perano"], "Gio"))
        session.commit()
    page = client.get(f"/hiddenhausen/projects/{more_texts['project']}")
    assert _shown_as(page.get_data(as_text=True), "Die Finanzierung blieb aus.") == "de"
    assert tr("de", "approved translation from %(language)s", language="Schwedisch") in text_of(page)
    client.post("/hiddenhausen/logout")
    login_as("perano", "staff", preferred_locale="it")
    page = client.get(f"/perano/projects/{more_texts['project']}")
    assert _shown_as(page.get_data(as_text=True), "Il finanziamento è mancato.") == "it"
    assert tr("it", "translation from %(language)s, not approved yet", language="svedese") in text_of(page)


def test_a_partnership_message_is_marked_in_italian_on_the_partners_page(client, login_as, more_texts, tr):
    login_as("perano", "staff", preferred_locale="it")
    page = client.get(f"/perano/partners/projects/{more_texts['project']}")
    assert page.status_code == 200
    assert _shown_as(page.get_data(as_text=True), LINK_MESSAGE) == "sv"
    assert tr("it", "Shown in the original language (%(language)s): no translation into your language yet.",
              language="svedese") in text_of(page)


def test_a_partnership_message_translation_says_it_is_not_approved(
        client, login_as, more_texts, in_scope, towns, tr):
    from exchange.i18n import services as content
    from exchange.partners.models import PartnershipText
    with in_scope("hiddenhausen") as session:
        link = session.get(PartnershipText, more_texts["message"]).owner
        content.set_translation(link, "message", "de", "Wir laden Ihren Verein ein.", Actor(towns["hiddenhausen"]))
        session.commit()
    login_as("hiddenhausen", "coordinator", preferred_locale="de")
    page = client.get(f"/hiddenhausen/partners/projects/{more_texts['project']}")
    assert page.status_code == 200
    assert _shown_as(page.get_data(as_text=True), "Wir laden Ihren Verein ein.") == "de"
    assert tr("de", "Translated from %(language)s; the translation is not approved yet.",
              language="Schwedisch") in text_of(page)


def test_a_cost_note_is_marked_in_swedish_and_hidden_from_a_third_municipality(client, login_as, visit_texts, tr):
    login_as("kungalv", "staff", preferred_locale="sv")
    page = client.get(f"/kungalv/visits/{visit_texts['id']}")
    assert _shown_as(page.get_data(as_text=True), COST_NOTE) == "de"
    assert tr("sv", "original in %(language)s, not translated yet", language="tyska") in text_of(page)
    client.post("/kungalv/logout")
    login_as("perano", "coordinator", preferred_locale="it")
    assert COST_NOTE not in client.get(f"/perano/visits/{visit_texts['id']}").get_data(as_text=True)


MORE_TYPES = {"reason": "ProjectEvent", "message": "Partnership"}


def test_reasons_and_partnership_messages_are_in_the_queue_with_the_projects_visibility(
        client, login_as, more_texts):
    login_as("perano", "translator")
    for kind, type_name in MORE_TYPES.items():
        html = client.get(f"/perano/workbench/queue?type={type_name}").get_data(as_text=True)
        link = f"/perano/workbench/queue/{type_name}/{more_texts[kind]}/it"
        assert link in html, kind
        assert client.get(link).status_code == 200, kind
        # The draft's texts: never listed, never opened.
        assert f"/perano/workbench/queue/{type_name}/{more_texts['hidden_' + kind]}/" not in html, kind
        assert client.get(f"/perano/workbench/queue/{type_name}/{more_texts['hidden_' + kind]}/it").status_code == 404
    assert HIDDEN_REASON not in html and HIDDEN_MESSAGE not in html


def test_a_partnership_message_is_optional_and_a_reason_is_not(app, login_as, more_texts):
    from exchange.auth.models import User
    from exchange.extensions import db
    from exchange.municipalities.queries import by_slug
    from exchange.tenancy import municipality_scope
    from exchange.workbench import queue as content_queue
    login_as("perano", "translator")
    with app.test_request_context(), municipality_scope(by_slug("perano")):
        user = db.session.scalars(select(User)).one()
        items = content_queue.queue(user, ["it"], per_page=100).items
        kinds = {(item.type, item.row.field): item.optional for item in items}
    assert kinds[("Partnership", "message")] is True
    assert kinds[("ProjectEvent", "reason")] is False


def test_a_new_cost_note_outdates_its_translations_and_a_stale_save_is_a_409(
        client, login_as, visit_texts, in_scope, towns):
    from exchange.i18n import services as content
    from exchange.visits.models import Cost, CostText
    with in_scope("hiddenhausen") as session:
        cost = session.get(CostText, visit_texts["cost"]).owner
        content.set_translation(cost, "note", "sv", "Bussresa till Herford", Actor(towns["kungalv"], "Tove"),
                                approved=True)
        session.commit()
        cost_id, version = cost.id, cost.version
    login_as("hiddenhausen", "coordinator", preferred_locale="de")
    data = {"cost-category": "travel", "cost-amount": "120", "cost-currency": "EUR",
            "cost-municipality_id": str(towns["hiddenhausen"]), "cost-funding_line_id": "",
            "cost-note": "Busfahrt nach Bielefeld", "cost-version": str(version)}
    url = f"/hiddenhausen/visits/{visit_texts['id']}/costs/{cost_id}/edit"
    assert client.post(url, data=data).status_code == 302
    with in_scope("hiddenhausen") as session:
        rows = {r.locale: (r.status, r.text)
                for r in session.scalars(select(CostText).where(CostText.owner_id == cost_id))}
        assert session.get(Cost, cost_id).version > version  # the note's change moved the cost's version
    assert rows == {"de": ("source", "Busfahrt nach Bielefeld"), "sv": ("outdated", "Bussresa till Herford")}
    data["cost-note"] = "Busfahrt nach Minden"
    assert client.post(url, data=data).status_code == 409  # the form opened before the first save


# --- partnership decision reasons ------------------------------------------------------------------

DE_DECISION, SV_DECISION = "Uns fehlen dieses Jahr die Leute.", "Projektet behöver en annan sorts partner."
HIDDEN_DECISION = "Hemligt beslut i ett utkast."


@pytest.fixture
def decisions(make_project, make_org, in_scope, towns):
    """Kungälv's proposed project: it invited a Hiddenhausen association, whose municipality declined in
    German; a Perano business expressed interest, which Kungälv declined in Swedish. Kungälv's own draft,
    which nobody else sees, carries a declined link with a reason (written behind the services' back: a
    draft takes no partners, but the rule that hides its texts is the project's).
    {"project"/"draft"/"heimatverein"/"frantoio": ids, kind: source text row id}."""
    from exchange.i18n import services as content
    from exchange.partners import queries, services
    from exchange.partners.models import Partnership, PartnershipText
    heimatverein = make_org("hiddenhausen", "Heimatverein", locale="de")
    frantoio = make_org("perano", "Frantoio", type="business", locale="it")
    project_id = make_project("kungalv", status="proposed", title="Vandringsleder")
    draft_id = make_project("kungalv", title="Hemligt utkast")
    karin, heike = Actor(towns["kungalv"], "Karin"), Actor(towns["hiddenhausen"], "Heike")
    with in_scope("kungalv") as session:
        invitation = services.invite_organisation(queries.get_project(project_id),
                                                  queries.get_organisation(heimatverein), karin, "expert", "", "sv")
        link = Partnership(project_id=draft_id, organisation_id=heimatverein, status="declined", role="expert")
        session.add(link)
        session.flush()
        content.set_source(link, "decision_reason", HIDDEN_DECISION, "sv", karin)
        session.commit()
        invitation_id = invitation.id
    with in_scope("perano") as session:
        interest = services.express_interest(queries.get_project(project_id), queries.get_organisation(frantoio),
                                             Actor(towns["perano"], "Marco"), "associate",
                                             services.ContributionInput("money", amount="2500", currency="EUR"))
        session.commit()
        interest_id = interest.id
    with in_scope("hiddenhausen") as session:
        services.answer(queries.get_partnership(invitation_id), heike, False, DE_DECISION, "de")
        session.commit()
    with in_scope("kungalv") as session:
        services.answer(queries.get_partnership(interest_id), karin, False, SV_DECISION, "sv")
        session.commit()
        ids = {"project": project_id, "draft": draft_id, "heimatverein": heimatverein, "invitation": invitation_id}
        for kind, text in [("de", DE_DECISION), ("sv", SV_DECISION), ("hidden", HIDDEN_DECISION)]:
            ids[kind] = session.scalar(select(PartnershipText.id).where(
                PartnershipText.text == text, PartnershipText.field == "decision_reason",
                PartnershipText.status == "source"))
            assert ids[kind] is not None, kind
    return ids


def test_a_decision_reason_is_marked_with_its_language_and_the_note_in_sv_de_and_it(
        client, login_as, decisions, tr):
    url = "/{slug}/partners/projects/" + str(decisions["project"])
    login_as("kungalv", "staff", preferred_locale="sv")
    page = client.get(url.format(slug="kungalv"))
    assert page.status_code == 200
    assert _shown_as(page.get_data(as_text=True), DE_DECISION) == "de"
    assert _shown_as(page.get_data(as_text=True), SV_DECISION) == "sv"
    assert tr("sv", "original in %(language)s, not translated yet", language="tyska") in text_of(page)
    client.post("/kungalv/logout")
    login_as("hiddenhausen", "staff", preferred_locale="de")
    page = client.get(url.format(slug="hiddenhausen"))
    assert _shown_as(page.get_data(as_text=True), SV_DECISION) == "sv"
    assert tr("de", "original in %(language)s, not translated yet", language="Schwedisch") in text_of(page)
    client.post("/hiddenhausen/logout")
    login_as("perano", "staff", preferred_locale="it")
    page = client.get(url.format(slug="perano"))
    html, text = page.get_data(as_text=True), text_of(page)
    assert _shown_as(html, DE_DECISION) == "de" and _shown_as(html, SV_DECISION) == "sv"
    assert tr("it", "original in %(language)s, not translated yet", language="tedesco") in text
    assert tr("it", "original in %(language)s, not translated yet", language="svedese") in text


def test_a_decision_reasons_translation_says_whether_it_is_approved(
        client, login_as, decisions, in_scope, towns, tr):
    from exchange.i18n import services as content
    from exchange.partners.models import PartnershipText
    with in_scope("kungalv") as session:
        link = session.get(PartnershipText, decisions["de"]).owner
        content.set_translation(link, "decision_reason", "sv", "Vi saknar folk i år.", Actor(towns["kungalv"], "Tove"),
                                approved=True)
        content.set_translation(link, "decision_reason", "it", "Ci mancano le persone.",
                                Actor(towns["perano"], "Gio"))
        session.commit()
    login_as("kungalv", "staff", preferred_locale="sv")
    page = client.get(f"/kungalv/partners/projects/{decisions['project']}")
    assert _shown_as(page.get_data(as_text=True), "Vi saknar folk i år.") == "sv"
    assert tr("sv", "approved translation from %(language)s", language="tyska") in text_of(page)
    assert DE_DECISION not in page.get_data(as_text=True)
    client.post("/kungalv/logout")
    login_as("perano", "staff", preferred_locale="it")
    page = client.get(f"/perano/partners/projects/{decisions['project']}")
    assert _shown_as(page.get_data(as_text=True), "Ci mancano le persone.") == "it"
    assert tr("it", "translation from %(language)s, not approved yet", language="tedesco") in text_of(page)


def test_a_decision_reason_is_an_optional_translation_in_the_queue_with_the_projects_visibility(
        app, client, login_as, decisions, tr):
    from exchange.auth.models import User
    from exchange.extensions import db
    from exchange.municipalities.queries import by_slug
    from exchange.tenancy import municipality_scope
    from exchange.workbench import queue as content_queue
    login_as("perano", "translator", preferred_locale="it")
    html = client.get("/perano/workbench/queue?type=Partnership").get_data(as_text=True)
    for kind in ("de", "sv"):
        link = f"/perano/workbench/queue/Partnership/{decisions[kind]}/it"
        assert link in html, kind
        editor = client.get(link)
        assert editor.status_code == 200, kind
        assert tr("it", "Reason given with the answer to an interest or an invitation") in text_of(editor)
    # The draft's reason (Perano may not read the draft): never listed, never opened.
    assert f"/perano/workbench/queue/Partnership/{decisions['hidden']}/" not in html
    assert client.get(f"/perano/workbench/queue/Partnership/{decisions['hidden']}/it").status_code == 404
    assert HIDDEN_DECISION not in html
    with app.test_request_context(), municipality_scope(by_slug("perano")):
        user = db.session.scalars(select(User)).one()
        items = content_queue.queue(user, ["it"], per_page=100).items
        kinds = {(item.type, item.row.field): item.optional for item in items}
    assert kinds[("Partnership", "decision_reason")] is True
    client.post("/perano/logout")
    # Kungälv, which wrote it, translates its own draft's reason.
    login_as("kungalv", "translator")
    assert client.get(f"/kungalv/workbench/queue/Partnership/{decisions['hidden']}/de").status_code == 200


def test_a_new_round_outdates_the_translations_of_the_earlier_decision_reason(decisions, in_scope, towns):
    from exchange.i18n import services as content
    from exchange.partners import queries, services
    from exchange.partners.models import PartnershipText
    with in_scope("kungalv") as session:
        link = session.get(PartnershipText, decisions["de"]).owner
        content.set_translation(link, "decision_reason", "sv", "Vi saknar folk i år.", Actor(towns["kungalv"]),
                                approved=True)
        session.commit()
        # Invited again: the new round has no answer yet, the earlier translation is outdated.
        services.invite_organisation(queries.get_project(decisions["project"]),
                                     queries.get_organisation(decisions["heimatverein"]), Actor(towns["kungalv"]),
                                     "expert", "", "sv")
        session.commit()

    def rows():
        return {r.locale: (r.status, r.text) for r in session.scalars(
            select(PartnershipText).where(PartnershipText.link_id == decisions["invitation"],
                                          PartnershipText.field == "decision_reason"))}
    with in_scope("kungalv") as session:
        assert rows() == {"de": ("source", ""), "sv": ("outdated", "Vi saknar folk i år.")}
        assert queries.get_partnership(decisions["invitation"]).decision_reason == ""
    with in_scope("hiddenhausen") as session:
        services.answer(queries.get_partnership(decisions["invitation"]), Actor(towns["hiddenhausen"]), False,
                        "Wieder keine Zeit.", "de")
        session.commit()
        assert rows() == {"de": ("source", "Wieder keine Zeit."), "sv": ("outdated", "Vi saknar folk i år.")}


def test_the_languages_page_lists_the_decision_reasons_with_their_state(client, login_as, decisions, in_scope,
                                                                        towns, tr):
    from exchange.i18n import services as content
    from exchange.partners.models import PartnershipText
    with in_scope("kungalv") as session:
        link = session.get(PartnershipText, decisions["sv"]).owner
        content.set_translation(link, "decision_reason", "it", "Serve un altro tipo di partner.",
                                Actor(towns["perano"]))
        session.commit()
        link_id = link.id
    login_as("hiddenhausen", "staff", preferred_locale="de")
    page = client.get(f"/hiddenhausen/projects/{decisions['project']}/languages")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'>{tr("de", "Interests, invitations and answers of partner organisations")}</h2>' in html
    block = re.search(rf'<section aria-labelledby="h-partnership-reason-{link_id}"[^>]*>(.*?)</section>\s*</section>',
                      html, re.S).group(1)
    assert f'<div class="content" lang="sv"><p>{SV_DECISION}</p></div>' in block
    assert f'<div class="content" lang="it"><p>{SV_DECISION}' not in block
    states = dict(re.findall(r'id="v-[\w-]+-(\w\w)">[^<]*<span class="mark mark-(\w+)"', block))
    assert states == {"sv": "source", "de": "missing", "it": "translated"}
    assert HIDDEN_DECISION not in html  # the draft's link is not this project's
