"""The outbox and the job queue (issue 10): side effects are written in the request's transaction, so a
rolled-back request sends nothing and a mail server that is down loses nothing; deliveries are retried
with backoff and failures are shown to admins; recurring jobs run without a human, once per due time."""
from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from sqlalchemy import func, select

from tests.fixtures.core import text_of


def _outbox(in_scope, slug):
    from exchange.jobs.models import OutboxMessage
    with in_scope(slug) as session:
        return session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_a_rolled_back_request_sends_nothing(app, client, login_as, in_scope):
    login_as("kungalv", "admin")
    # The e-mail is taken: the service refuses after the invitation would have been written.
    response = client.post("/kungalv/admin/users/invite", data={"name": "Twice", "email": "twice@kungalv.example",
                                                                "roles": ["staff"]})
    assert response.status_code == 302
    sent = len(app.extensions["exchange_outbox"])
    again = client.post("/kungalv/admin/users/invite", data={"name": "Twice", "email": "twice@kungalv.example",
                                                             "roles": ["staff"]})
    assert again.status_code == 422
    assert len(app.extensions["exchange_outbox"]) == sent
    assert len(_outbox(in_scope, "kungalv")) == 1


def test_a_mail_server_that_is_down_loses_nothing_and_admins_see_the_failure(app, client, login_as, in_scope,
                                                                          monkeypatch):
    from exchange.jobs import services
    from exchange.jobs.models import DeliveryStatus

    class Down:
        def __init__(self, *args, **kwargs):
            raise ConnectionRefusedError("connection refused")

    app.config["MAIL_SERVER"] = "smtp.invalid"
    monkeypatch.setattr(smtplib, "SMTP", Down)
    try:
        login_as("perano", "admin")
        response = client.post("/perano/admin/users/invite", data={"name": "Rosa", "email": "rosa@perano.example",
                                                                   "roles": ["staff"]}, follow_redirects=True)
        assert "in coda" in text_of(response)  # the page says queued, not sent
        [message] = _outbox(in_scope, "perano")
        assert message.status == DeliveryStatus.PENDING.value and message.attempts == 1
        assert "connection refused" in message.last_error
        # Retries back off; after the last attempt the message is failed, not lost.
        with in_scope("perano") as session:
            for _ in range(services.MAX_ATTEMPTS):
                row = session.get(type(message), message.id)
                row.available_at = row.available_at - dt.timedelta(days=1)
                session.commit()
                services.deliver(message.id)
        [message] = _outbox(in_scope, "perano")
        assert message.status == DeliveryStatus.FAILED.value and message.attempts == services.MAX_ATTEMPTS
        page = client.get("/perano/admin/deliveries")
        assert page.status_code == 200 and "rosa@perano.example" in text_of(page)
        assert "Non riuscito" in text_of(page)
        users = text_of(client.get("/perano/admin/users"))
        assert "Non riuscito" in users  # the invitation's state beside the person
    finally:
        app.config["MAIL_SERVER"] = None
    # The server is back: the admin queues it again and it is delivered.
    retried = client.post(f"/perano/admin/deliveries/{message.id}/retry", follow_redirects=True)
    assert retried.status_code == 200
    [message] = _outbox(in_scope, "perano")
    assert message.status == DeliveryStatus.SENT.value
    assert "set-password" not in str(message.payload)  # the link is not kept once sent


def test_deliveries_are_per_municipality_and_for_admins(client, login_as, make_user, in_scope):
    from exchange.auth.services import invite
    from exchange.auth.models import User
    target = make_user("kungalv", "staff")
    with in_scope("kungalv") as session:
        invite(session.get(User, target.id), None)
        session.commit()
    kungalv_message = _outbox(in_scope, "kungalv")[0].id
    login_as("perano", "admin")
    assert target.email not in text_of(client.get("/perano/admin/deliveries"))
    assert client.post(f"/perano/admin/deliveries/{kungalv_message}/retry").status_code == 404
    other = make_user("perano", "coordinator")
    from tests.fixtures.core import login
    coordinator = client.application.test_client()
    login(coordinator, other)
    assert coordinator.get("/perano/admin/deliveries").status_code == 403


def test_a_retried_delivery_does_not_send_twice(app, make_user, in_scope):
    from exchange.auth.models import User
    from exchange.auth.services import invite
    from exchange.jobs import services
    account = make_user("hiddenhausen", "staff")
    with in_scope("hiddenhausen") as session:
        message = invite(session.get(User, account.id), None)
        session.commit()
        message_id = message.id
    count = len(app.extensions["exchange_outbox"])
    with in_scope("hiddenhausen"):
        assert services.deliver(message_id) == "skipped"  # delivered already, after the commit
    assert len(app.extensions["exchange_outbox"]) == count


def test_an_idempotency_key_writes_a_message_once(app, in_scope):
    from exchange.jobs.services import enqueue
    from exchange.jobs.models import OutboxMessage
    with in_scope("kungalv") as session:
        assert enqueue("mail", {"to": "a@b.c", "subject": "s", "body": "b"}, key="k-1") is not None
        assert enqueue("mail", {"to": "a@b.c", "subject": "s", "body": "b"}, key="k-1") is None
        session.commit()
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_recurring_jobs_run_once_per_due_time_for_every_municipality(app, in_scope, make_user):
    from exchange.auth.models import LoginSession
    from exchange.db import utcnow
    from exchange.jobs.queue import run_due
    old = make_user("kungalv", "staff")
    with in_scope("kungalv") as session:
        session.add(LoginSession(user_id=old.id, token_hash="x" * 64))
        session.flush()
        session.get(LoginSession, session.scalar(select(LoginSession.id))).created_at = utcnow() - dt.timedelta(days=3)
        session.commit()
    with app.app_context():
        started = run_due()
        assert {"auth.prune", "audit.prune", "visits.anonymise_expired", "jobs.prune_outbox"} <= set(started)
        assert run_due() == []  # nothing is due again right away
        later = run_due(utcnow() + dt.timedelta(hours=2))
        assert "auth.prune" in later and "audit.prune" not in later
    with in_scope("kungalv") as session:
        assert session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_jobs_cli_lists_and_runs(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["jobs", "list"])
    assert listing.exit_code == 0 and "visits.anonymise_expired" in listing.output and "backend: inline" in listing.output
    assert runner.invoke(args=["jobs", "run", "audit.prune"]).exit_code == 0
    assert runner.invoke(args=["jobs", "run", "nope"]).exit_code != 0


def test_demo_load_refuses_to_run_in_production(app):
    app.config["ENV_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    finally:
        app.config["ENV_NAME"] = "development"
    assert result.exit_code != 0 and "production" in result.output


def test_sqlite_online_backup(tmp_path):
    import sqlite3
    from exchange.backup import sqlite_backup
    source = tmp_path / "live.db"
    with sqlite3.connect(source) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (42)")
    assert sqlite_backup(f"sqlite:///{source}", tmp_path / "copy" / "backup.db") > 0
    with sqlite3.connect(tmp_path / "copy" / "backup.db") as conn:
        assert conn.execute("SELECT x FROM t").fetchone() == (42,)
