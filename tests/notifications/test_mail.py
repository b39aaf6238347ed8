"""Notification mail (issue 15): in the recipient's language, plain text and HTML, the recipient's
municipality as sender name, a signed one-click unsubscribe link in the body and the headers; digests
grouped by project at the local digest hour of the recipient's municipality; and nothing is ever sent twice
when a job runs again."""
from __future__ import annotations

import datetime as dt
import re
import socket
import time
import zoneinfo

import pytest
from babel.dates import format_date
from sqlalchemy import select, update

from tests.fixtures.core import PUBLIC_URL


def _parts(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def _commit(user_of, account, work):
    from exchange.extensions import db
    with user_of(account) as user:
        result = work(user)
        db.session.commit()
        return getattr(result, "id", result)


def _join(user_of, account, project_id):
    from exchange.projects import services
    from exchange.projects.queries import get_project
    return _commit(user_of, account, lambda u: services.request_to_join(get_project(project_id), u))


def _log_visit(user_of, account, towns, day=dt.date(2025, 5, 5)):
    from exchange.visits import services
    return _commit(user_of, account, lambda u: services.create_visit(services.VisitData(
        host_id=towns["perano"], visiting_ids={towns["kungalv"]}, start_date=day, end_date=day,
        purpose="Percorsi ciclabili.", purpose_locale="it"), u))


def test_an_immediate_mail_in_the_recipients_language_with_one_click_unsubscribe(app, make_user, make_project,
                                                                               user_of, mails_to, tr, in_scope):
    project_id = make_project("kungalv", status="proposed", title="Solenergi på skolorna")
    coordinator = make_user("kungalv", "coordinator", preferred_locale="it")  # the sender writes from Perano
    _join(user_of, make_user("perano", "coordinator", preferred_locale="sv"), project_id)
    [mail] = mails_to(coordinator)
    assert mail["From"].addresses[0].display_name == "Kungälv"  # the recipient's municipality
    assert mail["Subject"] == tr("it", "%(municipality)s asks to join the project %(project)s.",
                                 municipality="Perano", project="Solenergi på skolorna")
    text, html = _parts(mail)
    assert '<html lang="it">' in html and '<span lang="sv">Solenergi på skolorna</span>' in html
    assert re.search(rf"{PUBLIC_URL}/kungalv/projects/{project_id}#participation-\d+", text)
    assert tr("it", "Hello %(name)s,", name=coordinator.name) in text
    unsubscribe = re.fullmatch(r"<(.+)>", mail["List-Unsubscribe"]).group(1)
    assert unsubscribe.startswith(f"{PUBLIC_URL}/kungalv/notifications/unsubscribe/") and unsubscribe in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The mail program's one click: from then on no mail of this type, the centre keeps them.
    assert app.test_client().post(unsubscribe.removeprefix(PUBLIC_URL),
                                  data={"List-Unsubscribe": "One-Click"}).status_code == 302
    _join(user_of, make_user("hiddenhausen", "coordinator"),
          make_project("kungalv", status="proposed", title="Andra"))
    assert len(mails_to(coordinator)) == 1


def test_user_content_in_the_readers_language_needs_no_mark(make_user, make_project, user_of, mails_to):
    project_id = make_project("kungalv", status="proposed", title="Solenergi på skolorna")
    coordinator = make_user("kungalv", "coordinator", preferred_locale="sv")
    _join(user_of, make_user("perano", "coordinator"), project_id)
    [mail] = mails_to(coordinator)
    assert "Solenergi på skolorna" in _parts(mail)[1] and '<span lang="sv">' not in _parts(mail)[1]


def _backdate(in_scope, slug, when: dt.datetime):
    from exchange.notifications.models import Notification
    with in_scope(slug) as session:
        session.execute(update(Notification).values(created_at=when, updated_at=when))
        session.commit()


def _digests(in_scope, slug, now):
    from exchange.notifications.schedule import send_digests
    with in_scope(slug) as session:
        sent = send_digests(now)
        session.commit()
        return sent


def _local(slug_zone: str, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(slug_zone))


def test_a_daily_digest_at_the_local_hour_grouped_by_project(app, make_user, make_project, user_of, towns, in_scope,
                                                             mails_to, tr):
    from exchange.municipalities.models import Municipality
    # Kungälv moves to another time zone: the digest follows the recipient municipality's clock.
    with in_scope("kungalv") as session:
        session.get(Municipality, towns["kungalv"]).timezone = "America/New_York"
        session.commit()
    coordinator = make_user("kungalv", "coordinator", preferred_locale="sv")
    make_project("kungalv", status="proposed", title="Bybutik")
    make_project("kungalv", status="proposed", title="Äldreomsorg")
    _log_visit(user_of, make_user("perano", "coordinator"), towns)
    day = dt.date(2030, 3, 12)
    _backdate(in_scope, "kungalv", _local("America/New_York", day - dt.timedelta(days=1), 20))
    assert mails_to(coordinator) == []

    hour = app.config["NOTIFICATIONS_DIGEST_HOUR"]
    assert _digests(in_scope, "kungalv", _local("America/New_York", day, hour - 1, 30)) == 0  # not yet
    assert _digests(in_scope, "kungalv", _local("Europe/Stockholm", day, hour, 10)) == 0  # Stockholm's hour: no
    assert _digests(in_scope, "kungalv", _local("America/New_York", day, hour, 5)) == 1
    [digest] = mails_to(coordinator)
    assert digest["Subject"] == tr("sv", "Your daily summary: %(num)d new notification",
                                   "Your daily summary: %(num)d new notifications", 3)
    text, html = _parts(digest)
    # Grouped by project (then the visit), each group once, its lines below it.
    visit = tr("sv", "%(visitors)s visiting %(host)s", visitors="Kungälv", host="Perano")
    assert text.index("== Bybutik ==") < text.index("== Äldreomsorg ==") < text.index(f"== {visit} ==")
    assert text.count("== Bybutik ==") == 1 and '<h2 lang="sv">Bybutik</h2>' in html
    assert format_date(dt.date(2025, 5, 5), "long", locale="sv") in text  # the visit's date, in Swedish
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in digest["List-Unsubscribe"]
    # Later runs the same day send nothing more.
    assert _digests(in_scope, "kungalv", _local("America/New_York", day, hour + 3)) == 0
    assert len(mails_to(coordinator)) == 1


def test_read_notifications_are_left_out_of_the_digest(make_user, make_project, user_of, in_scope, mails_to, app):
    from exchange.extensions import db
    from exchange.notifications import services
    coordinator = make_user("kungalv", "coordinator")
    make_project("kungalv", status="proposed")
    with user_of(coordinator) as user:
        services.mark_all_read(user)
        db.session.commit()
    day = dt.date(2030, 3, 12)
    _backdate(in_scope, "kungalv", _local("Europe/Stockholm", day - dt.timedelta(days=1), 20))
    assert _digests(in_scope, "kungalv", _local("Europe/Stockholm", day, app.config["NOTIFICATIONS_DIGEST_HOUR"], 5)) == 0
    assert mails_to(coordinator) == []


def test_a_weekly_digest_goes_out_on_monday(make_user, make_project, user_of, in_scope, mails_to, follows, app):
    from exchange.extensions import db
    from exchange.notifications import services
    from exchange.projects import services as projects
    from exchange.projects.queries import get_project
    staff = make_user("kungalv", "staff")
    with user_of(staff) as user:
        services.set_preferences(user, {"project.status_changed": "weekly"})
        db.session.commit()
    project_id = make_project("kungalv")
    follows(staff, project_id=project_id)
    _commit(user_of, make_user("kungalv", "coordinator"),
            lambda u: projects.change_status(get_project(project_id), u, "proposed"))
    hour = app.config["NOTIFICATIONS_DIGEST_HOUR"]
    wednesday, thursday, monday = dt.date(2030, 3, 13), dt.date(2030, 3, 14), dt.date(2030, 3, 18)
    _backdate(in_scope, "kungalv", _local("Europe/Stockholm", wednesday, 12))
    assert _digests(in_scope, "kungalv", _local("Europe/Stockholm", thursday, hour, 5)) == 0
    assert _digests(in_scope, "kungalv", _local("Europe/Stockholm", monday, hour, 5)) == 1
    [weekly] = mails_to(staff)
    assert "/notifications/unsubscribe/" in weekly["List-Unsubscribe"]


# --- nothing twice --------------------------------------------------------------------------------------

def test_a_retried_fan_out_neither_notifies_nor_mails_twice(app, make_user, make_project, user_of, in_scope, inbox,
                                                           mails_to, monkeypatch):
    from exchange.jobs import queue
    from exchange.jobs import services as jobs
    from exchange.jobs.models import DeliveryStatus, OutboxMessage
    from exchange.notifications.services import fan_out
    from exchange.tenancy import all_municipalities
    project_id = make_project("kungalv", status="proposed")
    coordinator = make_user("kungalv", "coordinator")
    handed = []
    monkeypatch.setattr(queue, "hand_over", handed.extend)  # the queue holds it: nothing is delivered yet
    _join(user_of, make_user("perano", "coordinator"), project_id)
    monkeypatch.undo()
    with in_scope("perano") as session:
        event = session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == "notify", OutboxMessage.subject_type == "Project",
            OutboxMessage.subject_id == project_id).order_by(OutboxMessage.id.desc())).first()
        assert event.payload["type"] == "project.join_requested"
        assert event.id in handed and event.status == DeliveryStatus.PENDING.value
        # Two deliveries of one event (a claim that went stale while its worker still ran): the other worker
        # did the work and committed it; this one comes after.
        with all_municipalities():
            fan_out(event)
        session.commit()
        queue.dispatch_committed()
        assert jobs.deliver(event.id) == DeliveryStatus.SENT.value
        queue.dispatch_committed()
    assert len(inbox(coordinator, "project.join_requested")) == 1
    assert len(mails_to(coordinator)) == 1
    with in_scope("kungalv") as session, all_municipalities():
        mails = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "mail",
                                                            OutboxMessage.recipient == coordinator.email)).all()
        assert len(mails) == 1


def test_a_retried_digest_job_does_not_send_twice(app, make_user, make_project, in_scope, mails_to):
    from exchange.notifications.models import Notification
    coordinator = make_user("kungalv", "coordinator")
    make_project("kungalv", status="proposed")
    day = dt.date(2030, 3, 12)
    hour = app.config["NOTIFICATIONS_DIGEST_HOUR"]
    _backdate(in_scope, "kungalv", _local("Europe/Stockholm", day - dt.timedelta(days=1), 20))
    assert _digests(in_scope, "kungalv", _local("Europe/Stockholm", day, hour, 5)) == 1
    # Even if the marks were lost (a job retried after its mail was written), the digest's key holds.
    with in_scope("kungalv") as session:
        session.execute(update(Notification).values(emailed_at=None))
        session.commit()
    _digests(in_scope, "kungalv", _local("Europe/Stockholm", day, hour, 20))
    assert len(mails_to(coordinator)) == 1


def test_a_retried_reminder_job_does_not_notify_or_mail_twice(app, make_user, make_visit, inbox, mails_to):
    from exchange.jobs.queue import run_job
    coordinator = make_user("kungalv", "coordinator")
    make_visit("perano", visitors=("kungalv",), follow_ups=[("Skicka kartan", "Karin", dt.date(2024, 1, 1))])
    before = len(mails_to(coordinator))
    with app.app_context():
        run_job("notifications.follow_ups")
    assert len(inbox(coordinator, "visits.follow_up_overdue")) == 1
    assert len(mails_to(coordinator)) == before + 1  # overdue: right away, by default for coordinators
    with app.app_context():
        run_job("notifications.follow_ups")
    assert len(inbox(coordinator, "visits.follow_up_overdue")) == 1
    assert len(mails_to(coordinator)) == before + 1


# --- end to end: a real SMTP server -------------------------------------------------------------------

class Mailbox:
    """A local SMTP server (aiosmtpd) collecting what the app delivers."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages: list = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email
                import email.policy
                mailbox.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def to(self, address: str, count: int, seconds: float = 10) -> list:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [m for m in self.messages if m["To"] == address]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{len([m for m in self.messages if m['To'] == address])} mail(s) to {address}")


@pytest.fixture
def smtp(app):
    mailbox = Mailbox()
    mailbox.controller.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port, MAIL_USE_TLS=False)
    try:
        yield mailbox
    finally:
        app.config.update(saved)
        mailbox.controller.stop()


def test_end_to_end_immediate_mails_and_digests_in_swedish_german_and_italian(smtp, app, make_user, make_project,
                                                                             user_of, towns, in_scope, tr):
    readers = {lang: make_user("kungalv", "coordinator", preferred_locale=lang) for lang in ("sv", "de", "it")}
    project_id = make_project("kungalv", status="proposed", title="Solenergi på skolorna")  # daily: proposed
    _join(user_of, make_user("perano", "coordinator"), project_id)  # immediate: a join request
    _log_visit(user_of, make_user("perano", "coordinator"), towns)  # daily: a visit involving Kungälv
    day = dt.date(2030, 3, 12)
    _backdate(in_scope, "kungalv", _local("Europe/Stockholm", day - dt.timedelta(days=1), 20))
    assert _digests(in_scope, "kungalv", _local("Europe/Stockholm", day, app.config["NOTIFICATIONS_DIGEST_HOUR"], 5)) == 3
    status = {"sv": "Föreslaget", "de": "Vorgeschlagen", "it": "Proposto"}
    for lang, account in readers.items():
        immediate, digest = smtp.to(account.email, 2)
        for mail in (immediate, digest):
            assert mail["From"].addresses[0].display_name == "Kungälv"
            assert mail["List-Unsubscribe"].startswith(f"<{PUBLIC_URL}/kungalv/notifications/unsubscribe/")
            assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            text, html = _parts(mail)
            assert f'<html lang="{lang}">' in html and tr(lang, "Hello %(name)s,", name=account.name) in text
        assert immediate["Subject"] == tr(lang, "%(municipality)s asks to join the project %(project)s.",
                                          municipality="Perano", project="Solenergi på skolorna")
        assert digest["Subject"] == tr(lang, "Your daily summary: %(num)d new notification",
                                       "Your daily summary: %(num)d new notifications", 2)
        digest_text = _parts(digest)[0]
        assert format_date(dt.date(2025, 5, 5), "long", locale=lang) in digest_text  # 5 maj / 5. Mai / 5 maggio
        assert status[lang] in digest_text and "Solenergi på skolorna" in digest_text  # grouped by the project
    assert len(smtp.messages) == 6  # nothing else, nothing twice
