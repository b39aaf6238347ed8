"""The documented deployment, run for real (issue 10): Debian's nginx with TLS in front of gunicorn
(deploy/gunicorn.conf.py, two workers), the job worker and the scheduler, PostgreSQL and Redis, set up
with deploy/upgrade.sh and the CLI exactly as the README's "Deploying" section says, and checked
through nginx.

Skipped (with the reason) without nginx, PostgreSQL or Redis; CI sets EXCHANGE_REQUIRE_DEPLOY=1, which
turns the skip into a failure.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import sqlalchemy as sa

from tests.fixtures.core import PG_URL, postgres_unavailable_reason

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = Path(os.environ.get("EXCHANGE_NGINX", "/usr/sbin/nginx"))
REDIS = os.environ.get("EXCHANGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
HOST = "exchange.test"
ADMIN_PASSWORD = "a long admin password"


def _unavailable() -> str | None:
    if not NGINX.exists():
        return f"nginx is not installed at {NGINX} (apt-get install nginx-light)"
    reason = postgres_unavailable_reason()
    if reason:
        return reason
    try:
        from redis import Redis
        Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {REDIS} is unreachable: {exc.__class__.__name__}"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


class Browser:
    """Just enough of a browser: HTTPS to nginx on 127.0.0.1 with Host: exchange.test, cookies, forms."""

    def __init__(self, port: int, forwarded_for: str | None = None):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.forwarded_for = forwarded_for
        self.context = ssl._create_unverified_context()  # the test's self-signed certificate

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
        headers = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for  # a client trying to spoof its address
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
            response.set_cookie = header
        connection.close()
        return response

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def submit(self, page_path: str, form: dict, action: str | None = None):
        """Fetch the page for its CSRF token, then post the form (as a person would)."""
        page = self.get(page_path)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        # Browsers send the page as Referer (same origin), which Flask-WTF checks on HTTPS.
        return self.request("POST", action or page_path, form={**form, "csrf_token": token},
                            headers={"Referer": f"https://{HOST}:{self.port}{page_path}"})


class Mailbox:
    """A local SMTP server (aiosmtpd) collecting what the worker delivers."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.messages: list = []
        self.port = _free_port()
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                import email
                import email.policy
                mailbox.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def wait_for(self, to: str, seconds: float = 30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for message in self.messages:
                if message["To"] == to:
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no mail to {to} within {seconds} s")


def _run(env: dict, *args: str) -> str:
    result = subprocess.run(list(args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    reason = _unavailable()
    if reason:
        if os.environ.get("EXCHANGE_REQUIRE_DEPLOY") == "1":
            pytest.fail(f"EXCHANGE_REQUIRE_DEPLOY=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from redis import Redis
    Redis.from_url(REDIS).flushdb()
    work = tmp_path_factory.mktemp("deploy")
    database = f"exchange_deploy_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    mailbox = Mailbox()
    mailbox.controller.start()
    nginx_port, http_port, app_port = _free_port(), _free_port(), _free_port()
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "BIN": str(BIN),
           "EXCHANGE_ENV": "production", "EXCHANGE_SECRET_KEY": secrets.token_hex(32),
           "EXCHANGE_DATABASE_URL": sa.engine.make_url(PG_URL).set(database=database).render_as_string(False),
           "EXCHANGE_REDIS_URL": REDIS, "EXCHANGE_JOBS_QUEUE": f"deploy-{uuid.uuid4().hex[:6]}",
           "EXCHANGE_PUBLIC_URL": f"https://{HOST}:{nginx_port}", "EXCHANGE_PROXY_HOPS": "1",
           "EXCHANGE_MAIL_SERVER": "127.0.0.1", "EXCHANGE_MAIL_PORT": str(mailbox.port),
           "EXCHANGE_MAIL_USE_TLS": "false", "EXCHANGE_BIND": f"127.0.0.1:{app_port}", "EXCHANGE_WORKERS": "2",
           "EXCHANGE_METRICS_TOKEN": "metrics-token-for-the-test"}
    env.pop("EXCHANGE_TEST_DATABASE_URL", None)
    processes: list[subprocess.Popen] = []
    try:
        # README, "Deploying": upgrade (install, catalogs, migrations, live catalogs), then the first town.
        _run(env, "bash", "deploy/upgrade.sh")
        _run(env, str(BIN / "flask"), "--app", "wsgi", "municipality", "create", "--slug", "kungalv",
             "--name", "Kungälv", "--country", "SE", "--locale", "sv", "--currency", "SEK",
             "--timezone", "Europe/Stockholm")
        _run(env, str(BIN / "flask"), "--app", "wsgi", "user", "create", "--municipality", "kungalv",
             "--email", "admin@kungalv.example", "--name", "Anders Admin", "--role", "admin",
             "--password", ADMIN_PASSWORD)
        logs = {name: open(work / f"{name}.log", "w") for name in ("gunicorn", "worker", "scheduler", "nginx")}
        processes.append(subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                                          cwd=ROOT, env=env, stdout=logs["gunicorn"], stderr=subprocess.STDOUT))
        processes.append(subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "worker"], cwd=ROOT,
                                          env=env, stdout=logs["worker"], stderr=subprocess.STDOUT))
        processes.append(subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "scheduler",
                                           "--interval", "2"], cwd=ROOT, env=env, stdout=logs["scheduler"],
                                          stderr=subprocess.STDOUT))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        f"/CN={HOST}", "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
                       check=True, capture_output=True)
        site = (ROOT / "deploy/nginx/exchange.conf").read_text()
        for placeholder, value in {"@SERVER_NAME@": HOST, "@LISTEN@": str(nginx_port),
                                   "@HTTP_LISTEN@": str(http_port), "@CERT@": str(work / "cert.pem"),
                                   "@KEY@": str(work / "key.pem"), "@UPSTREAM@": f"127.0.0.1:{app_port}",
                                   "@STATIC@": str(ROOT / "exchange/static")}.items():
            site = site.replace(placeholder, value)
        (work / "site.conf").write_text(site)
        for directory in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work / directory).mkdir()
        (work / "nginx.conf").write_text(f"""
daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log; worker_processes 1;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types; default_type application/octet-stream;
    access_log {work}/nginx-access.log;
    client_body_temp_path {work}/client_body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    include {work}/site.conf;
}}""")
        processes.append(subprocess.Popen([str(NGINX), "-c", str(work / "nginx.conf"), "-p", str(work)],
                                          stdout=logs["nginx"], stderr=subprocess.STDOUT))
        _wait_for_port(app_port, processes[0])
        _wait_for_port(nginx_port, processes[-1])
        yield {"port": nginx_port, "mailbox": mailbox, "env": env, "work": work}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        mailbox.controller.stop()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _sign_in(browser: Browser, email: str, password: str):
    return browser.submit("/kungalv/login", {"email": email, "password": password})


def _enrol_second_factor(browser: Browser, stack: dict) -> None:
    """Admins must set up a second factor at their first sign-in: do it as a person would (the key from
    the page into an authenticator, here pyotp), and keep the recovery codes for later sign-ins."""
    import pyotp
    browser.submit("/kungalv/account/two-factor", {}, action="/kungalv/account/two-factor/start")
    page = browser.get("/kungalv/account/two-factor").text
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    done = browser.submit("/kungalv/account/two-factor", {"code": pyotp.TOTP(secret).now()},
                          action="/kungalv/account/two-factor/confirm")
    stack["recovery_codes"] = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.text)
    assert len(stack["recovery_codes"]) == 10


def _admin(stack: dict) -> Browser:
    """The admin, signed in through both steps (a recovery code stands in for the phone's code)."""
    browser = Browser(stack["port"])
    first = _sign_in(browser, "admin@kungalv.example", ADMIN_PASSWORD)
    assert first.getheader("Location").endswith("/kungalv/login/second-factor")
    done = browser.submit("/kungalv/login/second-factor", {"code": stack["recovery_codes"].pop()})
    assert done.status == 302 and done.getheader("Location").endswith("/kungalv/")
    return browser


def test_pages_through_nginx_carry_the_security_headers(stack):
    browser = Browser(stack["port"])
    page = browser.get("/kungalv/login")
    assert page.status == 200 and '<html lang="sv">' in page.text
    assert "unsafe-inline" not in page.getheader("Content-Security-Policy")
    assert page.getheader("Strict-Transport-Security", "").startswith("max-age=")
    assert page.getheader("X-Frame-Options") == "DENY" and page.getheader("X-Content-Type-Options") == "nosniff"
    assert re.fullmatch(r"[0-9a-f]{32}", page.getheader("X-Request-ID"))
    assert browser.get("/metrics").status == 404  # metrics never through the public site
    health = json.loads(browser.get("/healthz").text)
    assert health == {"status": "ok", "database": "ok", "migrations": "current", "redis": "ok",
                      "catalogs": {"sv": "synced", "de": "synced", "it": "synced"}}


def test_static_files_are_fingerprinted_cached_for_a_year_and_compressed(stack):
    browser = Browser(stack["port"])
    href = re.search(r'href="(/static/app\.[0-9a-f]{8}\.css)"', browser.get("/kungalv/login").text).group(1)
    css = browser.get(href, headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert "max-age=31536000" in css.getheader("Cache-Control") and "immutable" in css.getheader("Cache-Control")
    assert css.getheader("Content-Encoding") == "gzip"
    page = browser.get("/kungalv/login", headers={"Accept-Encoding": "gzip"})
    assert page.getheader("Content-Encoding") == "gzip"


def test_sign_in_sets_a_secure_cookie_and_an_admin_sets_up_a_second_factor(stack):
    browser = Browser(stack["port"])
    response = _sign_in(browser, "admin@kungalv.example", ADMIN_PASSWORD)
    # An admin without a second factor is sent to set one up before anything else.
    assert response.status == 302 and response.getheader("Location").endswith("/kungalv/account/two-factor")
    assert "Secure" in response.set_cookie and "HttpOnly" in response.set_cookie
    _enrol_second_factor(browser, stack)
    assert "Anders Admin" in browser.get("/kungalv/").text


def test_an_invitation_arrives_by_smtp_with_a_public_link_that_works(stack):
    browser = _admin(stack)
    invited = browser.submit("/kungalv/admin/users/invite",
                             {"name": "Nora Ny", "email": "nora@kungalv.example", "roles": ["staff"]})
    assert invited.status == 302
    mail = stack["mailbox"].wait_for("nora@kungalv.example")
    assert mail["From"].startswith("Kungälv <") and "Twin-Town Exchange" in mail["Subject"]
    link = re.search(r"(https://\S+/set-password/\S+)", mail.get_body(("plain",)).get_content()).group(1)
    assert link.startswith(stack["env"]["EXCHANGE_PUBLIC_URL"] + "/kungalv/")  # never the Host header
    path = urlsplit(link).path
    newcomer = Browser(stack["port"])
    assert newcomer.submit(path, {"new_password": "Nora's own password", "confirm_password":
                                  "Nora's own password"}).status == 302
    assert _sign_in(Browser(stack["port"]), "nora@kungalv.example", "Nora's own password").status == 302
    # The admin's list shows the delivery state of the invitation.
    assert "Skickat" in browser.get("/kungalv/admin/users").text


def test_the_throttle_sees_the_real_client_address_not_a_spoofed_one(stack):
    # Each request claims another X-Forwarded-For; nginx overwrites it with the real address, so all of
    # them count against this client: after the free failures it has to wait.
    free = 3
    for n in range(free + 1):
        response = _sign_in(Browser(stack["port"], forwarded_for=f"203.0.113.{n}"), "admin@kungalv.example",
                            "not the password")
        assert response.status == 200
    held = _sign_in(Browser(stack["port"], forwarded_for="203.0.113.99"), "admin@kungalv.example", ADMIN_PASSWORD)
    assert held.status == 429 and int(held.getheader("Retry-After")) >= 1
    engine = sa.create_engine(stack["env"]["EXCHANGE_DATABASE_URL"])
    with engine.connect() as conn:
        addresses = {row[0] for row in conn.execute(sa.text("SELECT address FROM login_failures"))}
    engine.dispose()
    assert addresses == {"127.0.0.1"}


def test_several_workers_with_in_memory_limits_refuse_to_start(stack):
    env = {**stack["env"], "EXCHANGE_RATELIMIT_STORAGE_URI": "memory://", "EXCHANGE_REDIS_URL": "",
           "EXCHANGE_BIND": f"127.0.0.1:{_free_port()}"}
    result = subprocess.run([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "in-memory rate limits" in result.stdout + result.stderr


def test_pg_dump_and_restore_as_documented(stack):
    """README, "Backups": pg_dump -Fc, then pg_restore into an empty database."""
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    url = sa.engine.make_url(stack["env"]["EXCHANGE_DATABASE_URL"])
    dump = stack["work"] / "exchange.dump"
    target = f"{url.database}_restored"
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    subprocess.run(["pg_dump", *args, "-Fc", "-f", str(dump), url.database], check=True)
    subprocess.run(["createdb", *args, target], check=True)
    try:
        subprocess.run(["pg_restore", *args, "--no-owner", "-d", target, str(dump)], check=True)
        engine = sa.create_engine(url.set(database=target))
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT name FROM municipalities")).scalar() == "Kungälv"
            assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() >= 1
        engine.dispose()
    finally:
        subprocess.run(["dropdb", *args, "--force", target], check=False)
