"""Open data: the public projects and visits as CSV and JSON, language-neutral, under the municipality's
licence; and the demo's public pages."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.fixtures.public import (HIDDEN, PUBLIC_LESSONS, PUBLIC_SUMMARY, PUBLIC_TITLE, PUBLIC_TITLE_DE)


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_projects_as_csv_and_json(client, network):
    response = client.get("/kungalv/public/data/projects.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    rows = _csv(response)
    assert [int(r["id"]) for r in rows] == [network.public]
    row = rows[0]
    assert (row["title_sv"], row["title_de"], row["title_it"]) == (PUBLIC_TITLE, PUBLIC_TITLE_DE, "")
    assert row["summary_sv"] == PUBLIC_SUMMARY and row["participants"] == "perano" and row["status"] == "active"
    document = client.get("/kungalv/public/data/projects.json").get_json()
    assert document["licence"]["id"] == "CC-BY-4.0" and document["municipality"] == "kungalv"
    assert [item["id"] for item in document["items"]] == [network.public]
    body = client.get("/kungalv/public/data/projects.json").get_data(as_text=True)
    for hidden in HIDDEN:
        assert hidden not in body


def test_visits_as_csv_and_json(client, network):
    rows = _csv(client.get("/kungalv/public/data/visits.csv"))
    assert {int(r["id"]) for r in rows} == {network.visit_public, network.visit_private}
    lessons = {int(r["id"]): r["lessons_sv"] for r in rows}
    assert lessons == {network.visit_public: PUBLIC_LESSONS, network.visit_private: ""}
    assert "Trabocco Punta Tufano" in next(r for r in rows if int(r["id"]) == network.visit_public)["places"]
    items = client.get("/perano/public/data/visits.json").get_json()["items"]
    assert {item["id"] for item in items} == {network.visit_public, network.visit_private}


def test_empty_files_are_still_valid(client):
    assert client.get("/perano/public/data/projects.json").get_json()["items"] == []
    assert _csv(client.get("/perano/public/data/visits.csv")) == []


def test_the_demo_policy_is_the_published_page():
    from exchange.cooperation.demo import KUNGALV_SEED, seed_text
    shared = Path(__file__).resolve().parents[3] / "shared" / "seed" / "kungalv-international-cooperation.sv.txt"
    if shared.exists():
        assert KUNGALV_SEED.read_text(encoding="utf-8") == shared.read_text(encoding="utf-8")
    text = seed_text()
    assert text.startswith("I Kungälvs kommun är vi angelägna") and "Enskilda personer kan inte beviljas stöd" in text
    assert "Sidan uppdaterades" not in text and "\xa0" not in text


@pytest.mark.committed
def test_the_demo_publishes_pages_in_every_town(app, client):
    from exchange import demo
    from exchange.extensions import db
    with app.app_context():
        for _ in demo.load("demo-password-123"):
            pass
        db.session.commit()
        again = [line for line in demo.load("demo-password-123") if "cooperation" in line or "published" in line]
        db.session.commit()
    assert again == []  # idempotent: nothing published twice
    for slug, lang in (("kungalv", "sv"), ("hiddenhausen", "de"), ("perano", "it")):
        page = client.get(f"/{slug}/public/{lang}/")
        assert page.status_code == 200
        assert client.get(f"/api/v1/municipalities/{slug}/projects").get_json()["items"]
    assert "Enskilda personer kan inte beviljas stöd" in client.get("/kungalv/public/sv/").get_data(as_text=True)
    assert "Einzelpersonen können keine Förderung erhalten" in client.get("/kungalv/public/de/").get_data(as_text=True)


def test_the_twin_command(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["municipality", "twin", "perano", "hiddenhausen", "--since", "2005-05-07"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["municipality", "twin", "hiddenhausen", "perano", "--since", "2005-05-08"])
    assert again.exit_code == 0 and "Updated" in again.output
    twins = client.get("/api/v1/municipalities/perano").get_json()["twin_towns"]
    assert twins == [{"slug": "hiddenhausen", "name": "Hiddenhausen", "since": "2005-05-08"}]
    for args in (["perano", "perano", "--since", "2005-05-07"], ["perano", "atlantis", "--since", "2005-05-07"],
                 ["perano", "kungalv", "--since", "2999-01-01"], ["perano", "kungalv", "--since", "1899-12-31"]):
        assert runner.invoke(args=["municipality", "twin", *args]).exit_code != 0, args
    assert len(client.get("/api/v1/municipalities/kungalv").get_json()["twin_towns"]) == 0
