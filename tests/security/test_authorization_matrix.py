"""The authorization matrix (issue 11): every route of the app, as every role of every municipality and
as anonymous, over a network where each municipality has private things (tests/fixtures/security.py).

Expectations come from the rules (DESIGN.md §1, §3, §4), written in tests/security/matrix.py and in the
markers' ``may_read``, never from what the application answers today:

* GET, every route × every actor (object routes sampled over the seeded objects, each actor its own
  rotation): never a 500; no private marker in the answer to someone who must not read it; another
  municipality's object is a 404; a page of another role is a 403 (or 404); a session is anonymous on
  another municipality's pages.
* POST, every route, probed by actors who must not write (another municipality: 404; the wrong role or a
  non-editor: 403/404; anonymous: sent to sign in or refused): nothing in the database changes.
* Every marker is read by at least one actor who may read it, so the walk really reaches them.

The figures (requests, routes, actors, markers) are printed: run with ``-rA`` to see them.
"""
from __future__ import annotations

import itertools

from tests.fixtures.security import ANONYMOUS, TOWNS, Who, sign_in_all
from tests.security.matrix import (body_of, effective, fingerprint, fingerprint_sql, leaks, role_allows,
                                   targets)

# The development mailbox shows every mail this process printed; it answers 404 outside development
# (tests/security/test_bad_input.py checks that), so the walk leaves it out.
UNWALKED = ("dev.",)
PUBLIC = ("citizen.", "api.", "public.", "site.", "health.", "metrics", "api-docs.", "dev.")
ANONYMOUS_POSTS = {"tenant.auth.login", "tenant.auth.second_factor", "tenant.auth.set_password",
                   "tenant.auth.logout", "tenant.municipalities.accessibility_statement",
                   "tenant.notifications.unsubscribe_now"}
PROBE = {"version": "1", "public": "1", "accept": "1", "decision": "accept", "title": "ZQXPROBE",
         "name": "ZQXPROBE", "text": "ZQXPROBE", "body": "ZQXPROBE", "purpose": "ZQXPROBE", "reason": "ZQXPROBE",
         "email": "probe@example.org", "role": "co_applicant", "roles": "staff", "locale": "sv"}


def _sample(items: list, start: int, k: int) -> list:
    return [items[(start + j) % len(items)] for j in range(min(k, len(items)))]


def _own_and_foreign(tlist: list, who, start: int) -> list:
    """One URL of an object of the actor's own municipality and one of another's (rotating), or the
    route's one URL."""
    own = [t for t in tlist if t.group is None or t.group.owner == who.slug]
    other = [t for t in tlist if t not in own]
    return _sample(own, start, 1) + _sample(other, start, 1)


def _expect_get(who, target, status) -> str | None:
    """What is wrong with this status, or None."""
    if status >= 500:
        return "server error"
    if who.slug is None:
        if target.group is not None and not target.endpoint.startswith(PUBLIC) and status == 200:
            return "anonymous read an object page"
        return None
    if not role_allows(target.endpoint, who):
        # The role is checked first, whatever the object: a 403 tells nothing about it.
        return None if status in (403, 404) else "a page of another role is not a 403"
    if not target.exists_for(who.slug) and status != 404:
        return "another municipality's object is not a 404"
    if not target.visible_to(who.slug) and status not in (403, 404):
        return "the details of a visit of other municipalities are not refused"
    group = target.group
    if group is not None and group.editors and target.endpoint in group.editor_endpoints \
            and target.visible_to(who.slug) and not group.editors(who) and status not in (403, 404):
        return "a non-editor opened an edit page"
    return None


def test_every_route_as_every_actor(app, world, capsys):
    clients = sign_in_all(app, world)
    tmap = {slug: targets(app, world, slug, "GET") for slug in TOWNS}
    failures: list[str] = []
    read: set[str] = set()
    requests = 0
    routes: set[str] = set()

    def check(who: Who, target, response) -> None:
        eff = effective(who, target)
        body = body_of(response)
        for what in leaks(world, eff, target.url, body):
            failures.append(f"GET {target.url} as {who}: leaks {what} ({response.status_code})")
        read.update(m.text for m in world.markers if m.text in body and m.may_read(eff))
        problem = _expect_get(eff, target, response.status_code)
        if problem:
            failures.append(f"GET {target.url} as {who}: {problem} ({response.status_code})")

    # GET: every route × every actor on its own municipality's pages; anonymous on every municipality's.
    for index, who in enumerate(world.actors):
        for slug in (TOWNS if who.slug is None else (who.slug,)):
            for endpoint, tlist in tmap[slug].items():
                if endpoint.startswith(UNWALKED):
                    continue
                for target in _own_and_foreign(tlist, who, index):
                    check(who, target, clients[who].get(target.url))
                    requests += 1
                    routes.add(endpoint)
        # A session reused on another municipality's pages: anonymous there.
        if who.slug is not None:
            foreign = TOWNS[(TOWNS.index(who.slug) + 1 + index % 2) % 3]
            for endpoint, tlist in tmap[foreign].items():
                if endpoint.startswith("tenant.") and tlist[0].group is None:
                    check(who, tlist[0], clients[who].get(tlist[0].url))
                    requests += 1
    gets = requests

    # POST probes: actors who must not write, and nothing changes.
    statement = fingerprint_sql(app)
    pmap = {slug: targets(app, world, slug, "POST") for slug in TOWNS}
    rotation = itertools.count()
    probes = 0
    for slug in TOWNS:
        for endpoint, tlist in pmap[slug].items():
            routes.add(endpoint)
            actors = [ANONYMOUS] if endpoint not in ANONYMOUS_POSTS else []
            for target in _sample(tlist, next(rotation), 2):
                forbidden = [who for who in world.accounts if who.slug == slug and (
                    not target.visible_to(slug) or not role_allows(endpoint, who)
                    or (target.group is not None and target.group.editors and endpoint in target.group.editor_endpoints
                        and not target.group.editors(who)))]
                for who in actors + _sample(forbidden, next(rotation), 1):
                    before = fingerprint(app, statement)
                    response = clients[who].post(target.url, data=PROBE)
                    probes += 1
                    status = response.status_code
                    if who.slug is None:
                        ok = status in (302, 401, 403, 404) and (status != 302 or "/login" in response.location)
                    elif role_allows(endpoint, who) and not target.exists_for(slug):
                        ok = status == 404
                    else:
                        ok = status in (403, 404)
                    if not ok:
                        failures.append(f"POST {target.url} as {who}: {status}, must be refused")
                    if fingerprint(app, statement) != before:
                        failures.append(f"POST {target.url} as {who}: the database changed ({status})")
                actors = []  # anonymous once per route and municipality
    requests += probes

    unread = [m.what for m in world.markers if m.text not in read]
    figures = (f"authorization matrix: {requests} requests ({gets} GET, {probes} POST probes), "
               f"{len(routes)} routes, {len(world.actors)} actors, {len(world.markers)} markers, "
               f"{len(failures)} failures")
    with capsys.disabled():
        print("\n" + figures)
    assert not failures, figures + "\n" + "\n".join(failures[:80])
    assert not unread, f"markers no permitted actor ever read (the walk does not reach them): {unread}"
