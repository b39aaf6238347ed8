"""Sign-in throttling (issue 10): per account and address with growing waits, a cap per address, a notice
to the owner, Retry-After on every 429, and no one's failures ever block someone else."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.fixtures.core import PASSWORD, login, make_test_config, text_of


def _post(client, slug: str, email: str, password: str, address: str):
    return client.post(f"/{slug}/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_failures_slow_down_only_that_account_from_that_address(app, client, make_user):
    anna = make_user("perano", "staff")
    other = make_user("perano", "staff")
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free + 1):
        response = _post(client, "perano", anna.email, "wrong password!", "10.0.0.1")
        assert response.status_code == 200  # the generic error, not yet a wait
    held = _post(client, "perano", anna.email, anna.password, "10.0.0.1")
    assert held.status_code == 429
    assert int(held.headers["Retry-After"]) >= 1
    assert "Troppi tentativi" in text_of(held)  # Perano's sign-in page speaks Italian
    # Anna from her own computer, and a colleague from the attacker's address, are not held back.
    assert _post(app.test_client(), "perano", anna.email, anna.password, "10.0.0.2").status_code == 302
    assert _post(app.test_client(), "perano", other.email, other.password, "10.0.0.1").status_code == 302


def test_waits_double_up_to_the_maximum_and_a_success_clears_them(app, client, make_user, in_scope, monkeypatch):
    from exchange.auth import throttle
    account = make_user("kungalv", "staff")
    now = [dt.datetime(2026, 11, 29, 12, 0, tzinfo=dt.timezone.utc)]
    monkeypatch.setattr(throttle, "utcnow", lambda: now[0])
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 8
    waits = []
    with in_scope("kungalv") as session:
        for _ in range(8):
            waits.append(throttle.record_failure(account.email, "10.9.9.9"))
            now[0] += dt.timedelta(seconds=30)
        session.commit()
    free = app.config["LOGIN_FREE_FAILURES"]
    assert waits == [0] * free + [1, 2, 4, 8, 8][: 8 - free]
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 900
    with in_scope("kungalv") as session:
        throttle.record_success(account.email, "10.9.9.9")
        assert throttle.wait_seconds(account.email, "10.9.9.9") == 0


def test_the_address_cap_covers_every_account_and_says_when_to_retry(app, make_user):
    app.config["LOGIN_ADDRESS_LIMIT"] = "4 per minute"
    try:
        accounts = [make_user("hiddenhausen", "staff") for _ in range(5)]
        client = app.test_client()
        for account in accounts[:4]:
            assert _post(client, "hiddenhausen", account.email, "nope nope nope", "10.1.1.1").status_code == 200
        capped = _post(client, "hiddenhausen", accounts[4].email, accounts[4].password, "10.1.1.1")
        assert capped.status_code == 429 and 0 < int(capped.headers["Retry-After"]) <= 60
        assert "Zu viele Versuche" in text_of(capped)
        assert _post(app.test_client(), "hiddenhausen", accounts[4].email, accounts[4].password,
                     "10.1.1.2").status_code == 302
    finally:
        app.config["LOGIN_ADDRESS_LIMIT"] = "60 per 10 minutes"


def test_the_owner_is_told_once_an_hour_in_their_language(app, make_user, in_scope):
    from sqlalchemy import select
    from exchange.jobs.models import OutboxMessage
    account = make_user("hiddenhausen", "staff", preferred_locale="it")
    threshold = app.config["LOGIN_NOTICE_FAILURES"]
    for n in range(threshold + 3):  # from many addresses: each stays under its own wait
        _post(app.test_client(), "hiddenhausen", account.email, "wrong wrong wrong", f"10.2.0.{n}")
    with in_scope("hiddenhausen") as session:
        notices = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == account.email)).all()
    assert len(notices) == 1
    mail = app.extensions["exchange_outbox"][-1]
    assert mail["To"] == account.email and "Tentativi di accesso" in mail["Subject"]


@pytest.mark.committed
def test_sign_in_keeps_working_when_redis_is_down(app, database_url, make_user):
    """The address limiter's store (Redis) is unreachable: it counts in memory instead, and the account
    throttling lives in the database, so sign-in neither fails nor loses its protection."""
    from exchange import create_app
    from exchange.extensions import limiter
    down = create_app(make_test_config(database_url) | {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
    try:
        account = make_user("kungalv", "staff")
        assert _post(down.test_client(), "kungalv", account.email, account.password, "10.3.3.3").status_code == 302
        for _ in range(down.config["LOGIN_FREE_FAILURES"] + 1):
            assert _post(down.test_client(), "kungalv", account.email, "bad bad bad", "10.3.3.4").status_code == 200
        assert _post(down.test_client(), "kungalv", account.email, PASSWORD, "10.3.3.4").status_code == 429
    finally:
        limiter.init_app(app)  # the limiter is one object for every app: give it back the suite's store


def test_behind_a_proxy_the_forwarded_address_is_throttled(database_url, app, make_user):
    from exchange import create_app
    # The session factory is shared, so this app joins the test's transaction too.
    proxied = create_app(make_test_config(database_url) | {"PROXY_HOPS": 1})
    account = make_user("perano", "staff")
    for _ in range(proxied.config["LOGIN_FREE_FAILURES"] + 1):
        proxied.test_client().post("/perano/login", data={"email": account.email, "password": "x" * 12},
                                   headers={"X-Forwarded-For": "198.51.100.7"})
    held = proxied.test_client().post("/perano/login", data={"email": account.email, "password": PASSWORD},
                                      headers={"X-Forwarded-For": "198.51.100.7"})
    assert held.status_code == 429
    # Same proxy, another client behind it: not held back.
    assert login(proxied.test_client(), account).status_code == 302
