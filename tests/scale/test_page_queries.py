"""Issue 12: every key page sends the same number of SQL statements to a small and to a bigger network
(bench.generate's rows of every kind), so none loads a row per project, organisation or municipality."""
from __future__ import annotations

import pytest

# The pages of bench/pages.py whose statement count is checked here (the exports read in batches, and the
# visit pages are checked with their domain).
PAGES = ("dashboard", "project list", "project search", "projects by title", "project detail", "project plan",
         "partner directory", "partner search", "partner profile", "project → partners", "partner → projects",
         "workbench overview", "workbench strings", "workbench queue", "calls list", "call detail")


@pytest.mark.committed
def test_key_pages_send_as_many_statements_to_a_bigger_network(app, count_queries):
    from bench.pages import key_pages, prepare, sign_in

    runner = app.test_cli_runner()

    def measure() -> dict[str, int]:
        ids = prepare(app)
        client = app.test_client()
        sign_in(client)
        counts = {}
        for page in key_pages(ids):
            if page.name not in PAGES:
                continue
            client.get(page.path)  # warm: live catalogs, caches
            with count_queries() as counter:
                response = client.get(page.path)
            assert response.status_code == 200, (page.name, response.status_code)
            counts[page.name] = counter.n
        return counts

    assert runner.invoke(args=["demo", "scale", "20"]).exit_code == 0
    small = measure()
    assert runner.invoke(args=["demo", "scale", "200"]).exit_code == 0
    big = measure()
    assert set(small) == set(PAGES)
    # The dashboard's four to-do lists (invitations and requests of projects and of partner organisations)
    # load their rows' projects and texts only when they have rows: two statements each, at most, whatever
    # the number of rows; every other page sends exactly as many statements.
    assert small["dashboard"] <= big["dashboard"] <= small["dashboard"] + 8, (small["dashboard"], big["dashboard"])
    assert {name: (small[name], big[name]) for name in PAGES
            if name != "dashboard" and small[name] != big[name]} == {}
