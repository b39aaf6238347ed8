"""The read API: anonymous and token reads, language versions with their status, cursor pagination,
ETags, rate limits, problem details, and the OpenAPI document."""
from __future__ import annotations

import pytest

from tests.fixtures.core import PUBLIC_URL
from tests.fixtures.public import (POLICY_DE, POLICY_IT_UNAPPROVED, POLICY_SV, PUBLIC_LESSONS, PUBLIC_TITLE,
                                   PUBLIC_TITLE_DE, PUBLIC_TITLE_IT)

PROBLEM = "application/problem+json"


def _versions(record: dict, field: str) -> dict[str, tuple]:
    return {v["locale"]: (v["text"], v["status"]) for v in record["texts"][field]}


def test_the_openapi_document(client):
    response = client.get("/api/v1/openapi.json")
    doc = response.get_json()
    assert response.status_code == 200
    assert doc["openapi"] == "3.1.0"
    assert "/api/v1/municipalities/{slug}/projects" in doc["paths"]
    path = doc["paths"]["/api/v1/municipalities/{slug}/projects"]
    operation = path["get"]
    components = doc["components"]["parameters"]
    parameters = [components[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                  for p in path.get("parameters", []) + operation["parameters"]]
    assert {p["name"] for p in parameters} >= {"slug", "cursor", "limit", "status", "If-None-Match"}
    assert "application/problem+json" in str(operation["responses"]["404"])
    assert doc["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert doc["servers"] == [{"url": PUBLIC_URL}]


def test_anonymous_reads_what_the_public_page_shows(client, network):
    profile = client.get("/api/v1/municipalities/kungalv").get_json()
    assert [t["slug"] for t in profile["twin_towns"]] == ["hiddenhausen", "perano"]
    assert profile["twin_towns"][0]["since"] == "1992-06-13"
    assert _versions(profile, "policy") == {"sv": (POLICY_SV, "source"), "de": (POLICY_DE, "approved"),
                                            "it": (None, "missing")}
    assert profile["licence"]["id"] == "CC-BY-4.0"
    projects = client.get("/api/v1/municipalities/kungalv/projects").get_json()
    assert [p["id"] for p in projects["items"]] == [network.public]
    title = _versions(projects["items"][0], "title")
    assert title["sv"] == (PUBLIC_TITLE, "source") and title["de"] == (PUBLIC_TITLE_DE, "approved")
    assert title["it"] == (None, "missing")  # translated but not approved: not for the public
    assert projects["items"][0]["url"] == f"{PUBLIC_URL}/kungalv/public/sv/projects/{network.public}"
    visits = client.get("/api/v1/municipalities/kungalv/visits").get_json()["items"]
    assert [v["id"] for v in visits] == [network.visit_private, network.visit_public]
    public = next(v for v in visits if v["id"] == network.visit_public)
    assert _versions(public, "lessons")["sv"] == (PUBLIC_LESSONS, "source")
    assert "purpose" not in public["texts"]
    assert next(v for v in visits if v["id"] == network.visit_private)["texts"] == {}
    funding = client.get("/api/v1/municipalities/kungalv/funding").get_json()["items"]
    assert funding == [{"source": "eu_leader", "year": 2025, "currency": "SEK", "amount": "10000.00", "projects": 1}]


def test_a_token_reads_its_municipalitys_own_data(client, network, make_token):
    token = make_token("kungalv")
    projects = client.get("/api/v1/municipalities/kungalv/projects?limit=100", headers=token.headers).get_json()
    ids = {p["id"] for p in projects["items"]}
    assert ids == {network.public, network.draft, network.unpublished, network.withdrawn}
    public = next(p for p in projects["items"] if p["id"] == network.public)
    assert _versions(public, "title")["it"] == (PUBLIC_TITLE_IT, "translated")
    assert next(p for p in projects["items"] if p["id"] == network.draft)["public"] is False
    profile = client.get("/api/v1/municipalities/kungalv", headers=token.headers).get_json()
    assert _versions(profile, "policy")["it"] == (POLICY_IT_UNAPPROVED, "translated")
    visits = client.get("/api/v1/municipalities/kungalv/visits", headers=token.headers).get_json()["items"]
    assert {v["id"] for v in visits} == {network.visit_public, network.visit_private, network.visit_planned}
    assert all("purpose" in v["texts"] for v in visits)
    detail = client.get(f"/api/v1/municipalities/kungalv/projects/{network.draft}", headers=token.headers)
    assert detail.status_code == 200 and detail.headers["Cache-Control"] == "private, no-cache"
    assert client.get(f"/api/v1/municipalities/kungalv/projects/{network.draft}").status_code == 404


def test_filter_by_status(client, network, make_token):
    token = make_token("kungalv")
    drafts = client.get("/api/v1/municipalities/kungalv/projects?status=draft", headers=token.headers).get_json()
    assert [p["id"] for p in drafts["items"]] == [network.draft]
    assert client.get("/api/v1/municipalities/kungalv/projects?status=draft").get_json()["items"] == []


def test_cursor_pagination(client, network, make_token):
    token = make_token("kungalv")
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/municipalities/kungalv/projects?limit=1" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=token.headers).get_json()
        seen += [p["id"] for p in page["items"]]
        cursor, pages = page["next_cursor"], pages + 1
        if cursor is None:
            break
    assert pages == 4 and seen == sorted(seen, reverse=True) and len(set(seen)) == 4
    # Any cursor of the documented form is a valid one: below the smallest id, an empty last page; above
    # the largest, the first page.
    assert client.get("/api/v1/municipalities/kungalv/projects?cursor=1", headers=token.headers).get_json() == \
        {"items": [], "next_cursor": None}
    top = client.get("/api/v1/municipalities/kungalv/projects?limit=1&cursor=zzzzzzzzzzzz", headers=token.headers)
    assert [p["id"] for p in top.get_json()["items"]] == seen[:1]


def test_etag_and_if_none_match(client, network, publish):
    first = client.get("/api/v1/municipalities/kungalv/projects")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/municipalities/kungalv/projects", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    publish(network.unpublished, "kungalv")
    changed = client.get("/api/v1/municipalities/kungalv/projects", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Authorization" in changed.headers["Vary"]


@pytest.mark.parametrize("url, status", [
    ("/api/v1/municipalities/atlantis", 404),
    ("/api/v1/municipalities/kungalv/projects/2147483647", 404),
    ("/api/v1/municipalities/kungalv/projects/99999999999", 404),
    ("/api/v1/municipalities/kungalv/projects?limit=0", 422),
    ("/api/v1/municipalities/kungalv/projects?limit=abc", 422),
    ("/api/v1/municipalities/kungalv/projects?cursor=%00", 422),
    ("/api/v1/municipalities/kungalv/projects?status=secret", 422),
    ("/api/v1/nothing-here", 404),
])
def test_errors_are_problem_details(client, url, status):
    response = client.get(url)
    body = response.get_json()
    assert response.status_code == status and response.mimetype == PROBLEM
    assert body["status"] == status and body["type"] == "about:blank" and body["title"] and body["detail"]
    assert body["instance"] == url.split("?")[0]
    if status == 422:
        assert body["errors"]


def test_writing_is_not_allowed(client):
    response = client.post("/api/v1/municipalities/kungalv/projects", json={})
    assert response.status_code == 405 and response.mimetype == PROBLEM
    assert "GET" in response.headers["Allow"]


def test_problem_details_in_the_readers_language(client, tr):
    response = client.get("/api/v1/municipalities/atlantis", headers={"Accept-Language": "it"})
    assert response.get_json()["detail"] == tr("it", "The resource does not exist, or you cannot see it.")


def test_rate_limits_per_token(app, client, network, make_token):
    app.config["API_TOKEN_RATE_LIMIT"] = "3 per minute"
    app.config["API_ANONYMOUS_RATE_LIMIT"] = "5 per minute"
    try:
        first, second = make_token("kungalv"), make_token("kungalv")
        for _ in range(3):
            assert client.get("/api/v1/municipalities/kungalv", headers=first.headers).status_code == 200
        limited = client.get("/api/v1/municipalities/kungalv", headers=first.headers)
        assert limited.status_code == 429 and limited.mimetype == PROBLEM
        assert int(limited.headers["Retry-After"]) >= 1
        # Another token, and anonymous requests, have their own counts.
        assert client.get("/api/v1/municipalities/kungalv", headers=second.headers).status_code == 200
        assert client.get("/api/v1/municipalities/kungalv").status_code == 200
    finally:
        app.config["API_TOKEN_RATE_LIMIT"] = "1000 per hour"
        app.config["API_ANONYMOUS_RATE_LIMIT"] = "300 per hour"
