"""Every API resource and every public page hides what the rules hide (DESIGN.md §4, issue 17): drafts,
unpublished projects, unapproved translations, personal data and another municipality's private data;
for anonymous readers, for a token of each municipality, and for revoked and expired tokens.

The test walks every resource of every municipality, every project and visit id of the network included,
and reads every answer."""
from __future__ import annotations

import pytest

from tests.fixtures.public import (COMMENTER, CONTACT, CONTACT_EMAIL, DRAFT_TITLE, FOLLOW_UP_OWNER, HIDDEN,
                                   PARTICIPANT, PERANO_DRAFT, PRIVATE_LESSONS)

TOWNS = ("kungalv", "hiddenhausen", "perano")
PERSONAL = (CONTACT, CONTACT_EMAIL, COMMENTER, PARTICIPANT, FOLLOW_UP_OWNER)
# What a municipality's own token must never read: personal data, and other municipalities' drafts and
# the details of visits it took no part in.
NEVER_FOR = {
    "kungalv": PERSONAL + (PERANO_DRAFT,),
    "perano": PERSONAL + (DRAFT_TITLE,),
    "hiddenhausen": PERSONAL + (DRAFT_TITLE, PERANO_DRAFT, PRIVATE_LESSONS),
}


def _api_urls(network) -> list[str]:
    projects = [network.public, network.draft, network.unpublished, network.withdrawn, network.perano_public,
                network.perano_draft]
    visits = [network.visit_public, network.visit_private, network.visit_planned]
    urls = ["/api/v1/municipalities"]
    for slug in TOWNS:
        base = f"/api/v1/municipalities/{slug}"
        urls += [base, f"{base}/projects?limit=100", f"{base}/visits?limit=100", f"{base}/funding"]
        urls += [f"{base}/projects?status={s}" for s in ("draft", "proposed", "active", "withdrawn")]
        urls += [f"{base}/projects/{i}" for i in projects] + [f"{base}/visits/{i}" for i in visits]
    return urls


def _public_urls(network) -> list[str]:
    urls = ["/sitemap.xml"]
    projects = [network.public, network.draft, network.unpublished, network.withdrawn, network.perano_public,
                network.perano_draft]
    for slug in TOWNS:
        urls += [f"/{slug}/public/data/{d}.{f}" for d in ("projects", "visits") for f in ("csv", "json")]
        for lang in ("sv", "de", "it"):
            base = f"/{slug}/public/{lang}"
            urls += [f"{base}/", f"{base}/projects/", f"{base}/visits/", f"{base}/open-data", f"{base}/feed.atom"]
            urls += [f"{base}/projects/{i}" for i in projects]
    return urls


def _read(client, urls, headers=None) -> list[tuple[str, int, str]]:
    return [(url, (r := client.get(url, headers=headers or {})).status_code, r.get_data(as_text=True)) for url in urls]


def test_anonymous_readers_see_only_what_was_published(client, network):
    for url, status, body in _read(client, _api_urls(network)) + _read(client, _public_urls(network)):
        assert status in (200, 404), (url, status)
        for hidden in HIDDEN:
            assert hidden not in body, (url, hidden)
    # The unpublished ones answer 404 on every municipality's pages and resources.
    for slug in TOWNS:
        for project_id in (network.draft, network.unpublished, network.withdrawn, network.perano_draft):
            assert client.get(f"/api/v1/municipalities/{slug}/projects/{project_id}").status_code == 404
            assert client.get(f"/{slug}/public/sv/projects/{project_id}").status_code == 404
        assert client.get(f"/api/v1/municipalities/{slug}/visits/{network.visit_planned}").status_code == 404


@pytest.mark.parametrize("owner", TOWNS)
def test_a_token_reads_its_own_municipality_only(client, network, make_token, owner):
    token = make_token(owner, roles=("coordinator", "admin"))  # the widest roles: names are still never shown
    for url, status, body in _read(client, _api_urls(network), token.headers):
        town = url.split("/")[4] if url.count("/") >= 4 else None
        if town is None:
            assert status == 200
        elif town != owner:
            assert status == 403 and "items" not in body, url  # another municipality's resources
            continue
        else:
            assert status in (200, 404), (url, status)
        for never in NEVER_FOR[owner]:
            assert never not in body, (owner, url, never)
    # The public pages ignore tokens: the same as anonymous.
    for url in _public_urls(network)[:8]:
        assert client.get(url, headers=token.headers).get_data() == client.get(url).get_data()


@pytest.mark.parametrize("state", ["revoked", "expired"])
def test_revoked_and_expired_tokens_read_nothing(client, network, make_token, state):
    token = make_token("kungalv", state=state)
    for url, status, body in _read(client, _api_urls(network), token.headers):
        assert status == 401, url
        assert body.startswith("{") and '"status": 401' in body
    response = client.get("/api/v1/municipalities/kungalv", headers=token.headers)
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer tte_kungalv_" + "a" * 43, "Basic dXNlcjpwYXNz",
                                    "Bearer tte_atlantis_" + "a" * 43, "Bearer "])
def test_invented_credentials_read_nothing(client, network, header):
    for url in ("/api/v1/municipalities", f"/api/v1/municipalities/kungalv/projects/{network.public}"):
        assert client.get(url, headers={"Authorization": header}).status_code == 401
