"""The notifications' recurring jobs: follow-up actions due within 7 days and overdue, organisation
profiles not confirmed for 12 months, batches of texts for translators. Each reaches only people who may
open what it is about, and notifies once however often it runs."""
from __future__ import annotations

import datetime as dt

from tests.fixtures.core import actor_of


def _run(in_scope, slug, job, *args):
    with in_scope(slug) as session:
        written = job(*args)
        session.commit()
        return written


def test_follow_up_actions_due_soon_and_overdue_reach_the_visits_coordinators(make_user, make_visit, in_scope,
                                                                             inbox, types_of, visit_shapes):
    from exchange.notifications.schedule import remind_follow_ups
    kc, pc, hc = (make_user(slug, "coordinator") for slug in ("kungalv", "perano", "hiddenhausen"))
    ks = make_user("kungalv", "staff")
    today = dt.date(2030, 6, 10)
    make_visit("perano", visitors=("kungalv",), follow_ups=[
        ("Skicka kartan", "Karin", today + dt.timedelta(days=7)),   # due within a week
        ("Boka lokalen", "Johan", today - dt.timedelta(days=1)),    # overdue
        ("Senare", "Johan", today + dt.timedelta(days=8)),          # not yet
        ("Utan datum", "Johan", None)])
    for slug in ("kungalv", "perano", "hiddenhausen"):
        _run(in_scope, slug, remind_follow_ups, today)
    for account in (kc, pc):
        [due] = inbox(account, "visits.follow_up_due")
        [overdue] = inbox(account, "visits.follow_up_overdue")
        assert due.params["due_date"] == (today + dt.timedelta(days=7)).isoformat()
        assert overdue.params["due_date"] == (today - dt.timedelta(days=1)).isoformat()
    assert not types_of(hc) & {"visits.follow_up_due", "visits.follow_up_overdue"}  # not their visit
    assert not types_of(ks) & {"visits.follow_up_due", "visits.follow_up_overdue"}  # staff
    # The next day and the day after: nothing twice for the same due date.
    _run(in_scope, "kungalv", remind_follow_ups, today + dt.timedelta(days=1))
    _run(in_scope, "kungalv", remind_follow_ups, today + dt.timedelta(days=1))
    assert len(inbox(kc, "visits.follow_up_due")) == 2  # "Senare" is now within a week
    assert len(inbox(kc, "visits.follow_up_overdue")) == 1


def test_a_done_follow_up_action_is_not_reminded(make_user, make_visit, in_scope, inbox):
    from exchange.notifications.schedule import remind_follow_ups
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    kc = make_user("kungalv", "coordinator")
    visit_id = make_visit("kungalv", visitors=("perano",), follow_ups=[("Klar", "", dt.date(2020, 1, 1))])
    with in_scope("kungalv") as session:
        services.set_follow_up_done(visit_detail(visit_id).follow_ups[0], True, actor_of("kungalv"))
        session.commit()
    _run(in_scope, "kungalv", remind_follow_ups, dt.date(2030, 1, 1))
    assert inbox(kc, "visits.follow_up_overdue") == []


def test_the_follow_up_owner_function_decides_for_every_follow_up_type(make_user, make_visit, in_scope, inbox,
                                                                      monkeypatch):
    """When follow-up actions get owner accounts, one function answers for them all."""
    from exchange.notifications import recipients
    from exchange.notifications.schedule import remind_follow_ups
    kc, kc2 = make_user("kungalv", "coordinator"), make_user("kungalv", "coordinator")
    make_visit("kungalv", visitors=("perano",), follow_ups=[("Sen", "", dt.date(2020, 1, 1))])
    chosen = recipients.follow_up_owners
    monkeypatch.setattr(recipients, "follow_up_owners",
                        lambda follow_up, visit: [u for u in chosen(follow_up, visit) if u.id == kc2.id])
    _run(in_scope, "kungalv", remind_follow_ups, dt.date(2030, 1, 1))
    assert len(inbox(kc2, "visits.follow_up_overdue")) == 1 and inbox(kc, "visits.follow_up_overdue") == []


def test_stale_profiles_reach_their_own_municipalitys_coordinators(make_user, make_org, in_scope, inbox, types_of):
    from exchange.notifications.schedule import remind_stale_profiles
    kc, ks, pc = make_user("kungalv", "coordinator"), make_user("kungalv", "staff"), make_user("perano", "coordinator")
    today = dt.date(2030, 6, 10)
    stale = make_org("kungalv", "Gamla föreningen", confirmed=today - dt.timedelta(days=400))
    make_org("kungalv", "Nya föreningen", confirmed=today - dt.timedelta(days=30))
    make_org("kungalv", "Nedlagd", confirmed=today - dt.timedelta(days=400), active=False)
    make_org("perano", "Associazione", confirmed=today - dt.timedelta(days=30))
    for _ in range(2):
        for slug in ("kungalv", "perano"):
            _run(in_scope, slug, remind_stale_profiles, today)
    [note] = inbox(kc, "partners.profile_stale")
    assert note.organisation_id == stale
    assert "partners.profile_stale" not in types_of(ks) | types_of(pc)


def test_translators_get_one_batch_of_what_they_may_read_in_their_languages(make_user, make_project, make_visit,
                                                                           in_scope, inbox, user_of):
    from exchange.db import utcnow
    from exchange.notifications.schedule import batch_translations
    from exchange.workbench.services import set_translator_locales
    kt = make_user("kungalv", "translator")
    with user_of(kt) as user:
        set_translator_locales(user, ["de"], None)
        from exchange.extensions import db
        db.session.commit()
    make_project("kungalv", status="proposed", title="Ett", summary="", sustainability={})
    make_project("perano", status="proposed", title="Due", locale="it", summary="", sustainability={})
    make_visit("perano", visitors=("hiddenhausen",), purpose="Solo tra Perano e Hiddenhausen.", locale="it")
    first = utcnow()
    _run(in_scope, "kungalv", batch_translations, first)
    [batch] = inbox(kt, "translations.texts_waiting")
    # Two project titles need German; the Perano–Hiddenhausen visit's purpose is not Kungälv's to read.
    assert batch.params["count"] == 2 and batch.params["locales"] == ["de"]
    _run(in_scope, "kungalv", batch_translations, utcnow())
    assert inbox(kt, "translations.texts_waiting")[0].params["count"] == 2  # nothing new: no change
    make_project("hiddenhausen", status="proposed", title="Drei", locale="sv", summary="", sustainability={})
    _run(in_scope, "kungalv", batch_translations, utcnow())
    [batch] = inbox(kt, "translations.texts_waiting")  # still one, unread, brought up to date
    assert batch.params["count"] == 3


def test_the_jobs_are_registered(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["jobs", "list"]).output
    for name in ("notifications.digests", "notifications.follow_ups", "notifications.stale_profiles",
                 "notifications.translations", "notifications.prune"):
        assert name in listing
