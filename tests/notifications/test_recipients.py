"""Who receives each type of notification (issue 15): derived from roles and relationships, through each
recipient municipality's own scope. Every test has its negative cases across municipalities: a
notification never reaches someone who could not open what it is about."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.partners import tourism


@pytest.fixture
def people(make_user):
    """Two coordinators and a staff member in Kungälv, a coordinator and staff in Perano and in
    Hiddenhausen, and a translator in Perano."""
    return {
        "kc": make_user("kungalv", "coordinator"), "kc2": make_user("kungalv", "coordinator"),
        "ks": make_user("kungalv", "staff"),
        "pc": make_user("perano", "coordinator"), "ps": make_user("perano", "staff"),
        "hc": make_user("hiddenhausen", "coordinator"), "hs": make_user("hiddenhausen", "staff"),
        "pt": make_user("perano", "translator"),
    }


def _as(user_of, account, work):
    """Run ``work(user)`` as the account, in its own scope, and commit (the outbox then fans out).
    Returns the id of what ``work`` made."""
    with user_of(account) as user:
        from exchange.extensions import db
        result = work(user)
        db.session.commit()
        return getattr(result, "id", result)


def _project(project_id):
    from exchange.projects.queries import get_project
    return get_project(project_id)


def test_a_join_request_reaches_the_lead_coordinators_only(people, make_project, user_of, types_of, inbox):
    from exchange.projects import services
    project_id = make_project("kungalv", status="proposed")
    _as(user_of, people["pc"], lambda u: services.request_to_join(_project(project_id), u, "Gerne"))
    assert "project.join_requested" in types_of(people["kc"]) and "project.join_requested" in types_of(people["kc2"])
    [note] = inbox(people["kc"], "project.join_requested")
    assert note.project_id == project_id and note.email == "immediately" and note.mailed
    for other in ("ks", "pc", "ps", "hc", "hs"):  # staff, the asker, and a third municipality
        assert "project.join_requested" not in types_of(people[other])

    # The lead decides: the asking municipality's coordinators hear of it, nobody else.
    def accept(user):
        [request] = _project(project_id).participations
        services.decide(request, user, True)
    _as(user_of, people["kc"], accept)
    [decided] = inbox(people["pc"], "project.join_decided")
    assert decided.params["accepted"] is True
    for other in ("kc", "kc2", "ps", "hc"):
        assert "project.join_decided" not in types_of(people[other])


def test_an_invitation_and_its_answer(people, make_project, user_of, towns, types_of, inbox):
    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    project_id = make_project("kungalv", status="proposed")
    _as(user_of, people["kc"], lambda u: services.invite(_project(project_id), by_slug("hiddenhausen"), u))
    assert "project.invitation_received" in types_of(people["hc"])
    for other in ("hs", "pc", "kc", "kc2"):
        assert "project.invitation_received" not in types_of(people[other])

    def decline(user):
        project = _project(project_id)
        services.decide(project.participation_of(towns["hiddenhausen"]), user, False)
    _as(user_of, people["hc"], decline)
    assert [n.params["accepted"] for n in inbox(people["kc"], "project.invitation_answered")] == [False]
    assert "project.invitation_answered" in types_of(people["kc2"])
    assert "project.invitation_answered" not in types_of(people["pc"])
    assert "project.invitation_answered" not in types_of(people["hc"])  # the one who answered


def test_a_status_change_reaches_lead_participants_and_followers(people, make_project, user_of, follows, types_of,
                                                                 inbox):
    from exchange.projects import services
    project_id = make_project("kungalv", status="proposed", participants=["perano"])
    follows(people["hs"], project_id=project_id)
    _as(user_of, people["kc"], lambda u: services.change_status(_project(project_id), u, "active"))
    for receiver in ("kc2", "pc", "hs"):  # a lead coordinator, a participant's coordinator, a follower
        assert inbox(people[receiver], "project.status_changed")[-1].params["to_status"] == "active"
    for other in ("kc", "ks", "ps", "hc"):  # the actor, staff not following, a municipality not taking part
        assert "active" not in [n.params["to_status"] for n in inbox(people[other], "project.status_changed")]


def test_a_draft_never_notifies_another_municipality_even_a_follower(people, make_project, user_of, follows,
                                                                     types_of):
    from exchange.projects import services
    draft_id = make_project("kungalv", title="Hemligt utkast")
    # A follow row that the pages would never allow (the draft is a 404 in Perano): the fan-out still
    # sees the draft through Perano's scope, finds nothing, and tells nobody there.
    follows(people["ps"], project_id=draft_id)
    follows(people["ks"], project_id=draft_id)
    _as(user_of, people["kc"], lambda u: services.change_status(_project(draft_id), u, "withdrawn",
                                                                reason="Inte nu."))
    assert "project.status_changed" in types_of(people["ks"])
    assert "project.status_changed" not in types_of(people["ps"])


def test_comments_reach_followers_and_commenters_follow(people, make_project, user_of, follows, types_of, inbox):
    from exchange.projects import services
    project_id = make_project("kungalv", status="proposed")
    follows(people["hs"], project_id=project_id)
    _as(user_of, people["ps"], lambda u: services.add_comment(_project(project_id), u, "Bella idea!", "it"))
    [note] = inbox(people["hs"], "project.commented")
    assert note.params["author_municipality_id"] is not None and note.params["comment_id"]
    assert "project.commented" not in types_of(people["kc"])  # not following
    assert "project.commented" not in types_of(people["ps"])  # the author
    # The author follows the project from now on: the next comment reaches them.
    _as(user_of, people["kc"], lambda u: services.add_comment(_project(project_id), u, "Tack!", "sv"))
    assert "project.commented" in types_of(people["ps"])
    assert len(inbox(people["hs"], "project.commented")) == 2


def test_the_author_of_a_project_follows_it(people, user_of, themes, types_of, in_scope):
    from exchange.projects import services
    project_id = _as(user_of, people["ks"], lambda u: services.create_project(u, services.ProjectInput(
        locale="sv", texts={"sv": {"title": "Nytt"}}, priority_areas=["growth"])))
    from exchange.notifications import queries
    with user_of(people["ks"]) as user:
        assert queries.is_following(user, project=_project(project_id))
    _as(user_of, people["kc"], lambda u: services.change_status(_project(project_id), u, "proposed"))
    assert "project.status_changed" in types_of(people["ks"])


def test_partnerships_reach_whoever_must_answer_then_whoever_asked(people, make_project, make_org, user_of,
                                                                 types_of, inbox):
    from exchange.partners import services
    from exchange.partners.queries import get_organisation
    project_id = make_project("kungalv", **tourism())
    org_id = make_org("perano", "Frantoio Di Santo", type="business")
    # The lead invites a Perano organisation: Perano's coordinators answer.
    _as(user_of, people["kc"], lambda u: services.invite_organisation(_project(project_id), get_organisation(org_id),
                                                                      u, "co_applicant"))
    assert "partners.organisation_invited" in types_of(people["pc"])
    for other in ("ps", "hc", "kc", "kc2"):
        assert "partners.organisation_invited" not in types_of(people[other])
    [invited] = inbox(people["pc"], "partners.organisation_invited")

    def accept(user):
        from exchange.partners.queries import get_partnership
        services.answer(get_partnership(invited.params["partnership_id"]), user, True)
    _as(user_of, people["pc"], accept)
    [answered] = inbox(people["kc2"], "partners.partnership_decided")
    assert answered.params["was"] == "invited" and answered.params["accepted"] is True
    assert "partners.partnership_decided" not in types_of(people["hc"])

    # Hiddenhausen expresses interest on behalf of its own organisation: the lead's coordinators answer.
    other_org = make_org("hiddenhausen", "Heimatverein", type="association")
    _as(user_of, people["hs"], lambda u: services.express_interest(
        _project(project_id), get_organisation(other_org), u, "associate", services.ContributionInput(kind="in_kind")))
    assert "partners.interest_expressed" in types_of(people["kc"])
    for other in ("hc", "pc", "ks"):
        assert "partners.interest_expressed" not in types_of(people[other])
    [interest] = inbox(people["kc"], "partners.interest_expressed")

    def decline(user):
        from exchange.partners.queries import get_partnership
        services.answer(get_partnership(interest.params["partnership_id"]), user, False, "Passt nicht.", "de")
    _as(user_of, people["kc"], decline)
    [decided] = inbox(people["hc"], "partners.partnership_decided")
    assert decided.params["was"] == "interested" and decided.params["accepted"] is False
    assert len(inbox(people["pc"], "partners.partnership_decided")) == 0


def _visit_data(towns, host="kungalv", visitors=("perano",), **kwargs):
    from exchange.visits.services import VisitData
    return VisitData(host_id=towns[host], visiting_ids={towns[v] for v in visitors},
                     start_date=dt.date(2025, 5, 5), end_date=dt.date(2025, 5, 6), purpose="Lära av varandra.",
                     purpose_locale="sv", **kwargs)


def test_visits_reach_their_municipalities_and_followers_only_as_far_as_they_may_read(people, towns, user_of,
                                                                                     follows, types_of, inbox):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = _as(user_of, people["kc"], lambda u: services.create_visit(_visit_data(towns), u))
    assert [n.params["logged"] for n in inbox(people["pc"], "visits.visit_changed")] == [True]
    assert "visits.visit_changed" in types_of(people["kc2"])
    for other in ("hc", "hs", "ks", "ps", "kc"):  # not involved, staff, the actor
        assert "visits.visit_changed" not in types_of(people[other])

    # A Hiddenhausen follower: may see that the visit takes place and is changed, never its lessons or
    # follow-up actions (only the host and the visitors read those, DESIGN.md §4).
    follows(people["hs"], visit_id=visit_id)
    _as(user_of, people["pc"], lambda u: services.update_visit(
        visit_detail(visit_id), _visit_data(towns, status="confirmed"), None, u))
    assert "visits.visit_changed" in types_of(people["hs"])
    _as(user_of, people["pc"], lambda u: services.set_lessons(visit_detail(visit_id), "Lezioni.", "it", None, u))
    _as(user_of, people["kc"], lambda u: services.add_follow_up(
        visit_detail(visit_id), "Skicka kartan", "Karin", dt.date(2025, 6, 1), "sv", u))
    for receiver in ("ks", "kc", "ps"):
        assert "visits.lessons_published" in types_of(people[receiver])
    assert {"visits.follow_up_assigned"} <= types_of(people["pc"]) and "visits.follow_up_assigned" in types_of(people["kc2"])
    for field in ("visits.lessons_published", "visits.follow_up_assigned"):
        assert field not in types_of(people["hs"]) and field not in types_of(people["hc"])
    assert "visits.follow_up_assigned" not in types_of(people["ps"])  # staff: owners are coordinators for now


def test_changes_to_one_visit_are_one_unread_notification(people, towns, user_of, inbox):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = _as(user_of, people["kc"], lambda u: services.create_visit(_visit_data(towns), u))
    for status in ("confirmed", "completed"):
        _as(user_of, people["kc"], lambda u, status=status: services.update_visit(
            visit_detail(visit_id), _visit_data(towns, status=status), None, u))
    [note] = inbox(people["pc"], "visits.visit_changed")
    assert note.params["logged"] is False and not note.read


def test_an_unchanged_save_of_a_visit_notifies_nobody(people, towns, user_of, inbox):
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    visit_id = _as(user_of, people["kc"], lambda u: services.create_visit(_visit_data(towns), u))
    with user_of(people["pc"]) as user:
        from exchange.notifications import services as notifications
        from exchange.extensions import db
        notifications.mark_all_read(user)
        db.session.commit()
    _as(user_of, people["kc"], lambda u: services.update_visit(visit_detail(visit_id), _visit_data(towns), None, u))
    assert all(n.read for n in inbox(people["pc"]))


def test_an_event_raised_in_a_refused_request_notifies_nobody(people, make_project, user_of, types_of):
    from exchange.errors import Refusal
    from exchange.extensions import db
    from exchange.projects import services
    project_id = make_project("kungalv", status="proposed")
    with user_of(people["pc"]) as user:
        services.request_to_join(_project(project_id), user)
        db.session.rollback()  # the request failed later on
    with pytest.raises(Refusal):
        with user_of(people["pc"]) as user:
            services.request_to_join(_project(project_id), user, "x" * 5000)
    assert "project.join_requested" not in types_of(people["kc"])
