"""Hostile input to every form (issue 11): no 500 and no reflected script, on SQLite and PostgreSQL.

Forms are discovered, not listed: every GET page of the app (tests/security/matrix.py fills each route
with the ids of the seeded network) is read as a person with every role, and every <form> on it is
collected with its field names (inputs, selects, checkboxes, textareas); POST routes that no page shows a
form for are posted with a generic set of field names. Each form then gets the hostile corpus in a Latin
square: request k fills field j with value (j + k) mod V, so with V requests every field receives every
value once. A multiple choice gets the value next to a valid option (``offers=3&offers=<value>``). Filter
forms (method GET) go through the query string the same way.

The figures (forms, fields, values, requests, failures) are printed: run with ``-rA`` to see them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from tests.fixtures.core import login
from tests.security.matrix import body_of, targets

SCRIPT = "<script>alert('XSSQZ')</script>"
# Never posted: signing out ends the session the probe needs (tested on its own elsewhere).
SKIPPED_ENDPOINTS = {"tenant.auth.logout", "dev.mailbox"}
GENERIC_FIELDS = ["version", "public", "accept", "decision", "title", "name", "text", "body", "reason",
                  "email", "code", "password", "locale", "role", "csrf_token"]


def corpus(foreign_ids: list[int]) -> list[str]:
    """Empty, blank, control characters, numbers too long or not ASCII, 100 000 characters, bidi and
    emoji, injections, out-of-range numbers, impossible dates and times, other municipalities' ids."""
    return ["", "   ", "a\x00b", "\x01\x1b\x7f", "9" * 5000, "²", "1²", "x" * 100_000,
            "\u202eevil\u202c \u05e9\u05dc\u05d5\u05dd 😀🇸🇪", "' OR 1=1 --", SCRIPT, '"><img src=x onerror=alert(1)>',
            "-1", "2147483648", "-99999999999999999999", "1e309", "2026-02-30", "25:61",
            *[str(i) for i in foreign_ids]]


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)         # name → kind (text, select, multi, …)
    options: dict[str, list[str]] = field(default_factory=dict)  # name → the offered values

    @property
    def key(self) -> tuple:
        return self.method, re.sub(r"\d+", "N", self.action.split("?")[0]), tuple(sorted(self.fields))


class _Forms(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self.current, self.select = page, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = Form(a.get("action") or self.page, (a.get("method") or "get").lower())
            self.forms.append(self.current)
            return
        if self.current is None or tag not in ("input", "select", "textarea", "option", "button"):
            return
        if tag == "option" and self.select:
            self.current.options.setdefault(self.select, []).append(a.get("value", ""))
            return
        name = a.get("name")
        if not name or a.get("type") in ("submit", "image", "reset"):
            return
        kind = tag if tag != "input" else (a.get("type") or "text")
        if tag == "select":
            kind = "multi" if "multiple" in a else "select"
            self.select = name
        if kind == "checkbox" and name in self.current.fields:
            kind = "multi"
        if kind in ("checkbox", "radio", "button") and a.get("value") is not None:
            self.current.options.setdefault(name, []).append(a["value"])
        self.current.fields[name] = kind

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(url: str, html: str) -> list[Form]:
    parser = _Forms(url)
    parser.feed(html)
    return [f for f in parser.forms if f.fields or f.method == "post"]


def _payloads(form: Form, values: list[str]):
    """The Latin square: V submissions, field j gets value (j + k) mod V in submission k."""
    names = sorted(n for n in form.fields if n != "csrf_token")
    for k in range(len(values)):
        data: list[tuple[str, str]] = []
        for j, name in enumerate(names):
            value = values[(j + k) % len(values)]
            valid = [o for o in form.options.get(name, []) if o]
            if form.fields[name] == "multi" and valid:
                data.append((name, valid[0]))  # a valid member beside the hostile one
            data.append((name, value))
        yield data


_DESTRUCTIVE = re.compile(r"delete|remove|retire|erase|deactivate|revoke|off|reset")


@pytest.fixture
def no_rate_limits():
    """The corpus posts the sign-in form too: its per-address cap would end the run (tested on its own)."""
    from exchange.extensions import limiter
    limiter.enabled = False
    yield
    limiter.enabled = True


def test_hostile_values_in_every_field_of_every_form(app, world, make_user, capsys, no_rate_limits):
    account = make_user("kungalv", "staff", "coordinator", "translator", "admin")
    client = app.test_client()
    assert login(client, account).status_code == 302
    foreign = [g.params.get("project_id") or g.params.get("visit_id") or g.params.get("user_id")
               for g in world.groups if g.owner == "perano"]
    values = corpus([i for i in foreign if i])

    # Discover: every GET page of Kungälv's (each route with each seeded object), read as the super-user.
    forms: dict[tuple, Form] = {}
    pages = 0
    for endpoint, tlist in targets(app, world, "kungalv", "GET").items():
        if endpoint in SKIPPED_ENDPOINTS:
            continue
        for target in tlist:
            response = client.get(target.url)
            pages += 1
            html = body_of(response)  # read to the end: a streamed export closes inside its request
            assert response.status_code < 500, target.url
            if response.mimetype == "text/html":
                for form in forms_on(target.url, html):
                    forms.setdefault(form.key, form)
    posted_endpoints = set()
    adapter = app.url_map.bind("localhost")
    for key, form in list(forms.items()):
        try:
            endpoint = adapter.match(form.action.split("?")[0], method=form.method.upper())[0]
        except Exception:  # noqa: BLE001 - an external or static action
            continue
        posted_endpoints.add(endpoint)
        if endpoint in SKIPPED_ENDPOINTS:
            del forms[key]
    for endpoint, tlist in targets(app, world, "kungalv", "POST").items():
        if endpoint not in posted_endpoints and endpoint not in SKIPPED_ENDPOINTS:
            generic = Form(tlist[0].url, "post", {name: "text" for name in GENERIC_FIELDS})
            forms.setdefault(generic.key, generic)

    # Post the corpus; destructive actions last, so the other forms still find their objects.
    failures: list[str] = []
    requests = fields = 0
    signed_out: set[str] = set()
    for form in sorted(forms.values(), key=lambda f: bool(_DESTRUCTIVE.search(f.action))):
        fields += len([n for n in form.fields if n != "csrf_token"])
        for data in _payloads(form, values):
            if form.method == "post":
                response = client.post(form.action, data=MultiDict(data))
            else:
                response = client.get(form.action.split("?")[0], query_string=MultiDict(data))
            requests += 1
            body = body_of(response)  # read to the end: a streamed export closes inside its request
            if response.status_code >= 500:
                failures.append(f"{form.method.upper()} {form.action}: {response.status_code} with "
                                f"{[(n, v[:20]) for n, v in data]}")
            elif response.mimetype == "text/html" and SCRIPT in body:
                failures.append(f"{form.method.upper()} {form.action}: reflects an unescaped script")
            if response.status_code == 302 and "/login" in (response.location or ""):
                signed_out.add(form.action)  # the form signed the session out: sign in again
                assert login(client, account).status_code == 302

    figures = (f"bad input: {len(forms)} forms ({sum(f.method == 'get' for f in forms.values())} filter forms), "
               f"{fields} fields, {len(values)} values, {requests} requests (+{pages} pages read), "
               f"{len(failures)} failures; signed out by {sorted(signed_out)}")
    with capsys.disabled():
        print("\n" + figures)
    assert not failures, figures + "\n" + "\n".join(failures[:60])
