"""Partner matching at scale (issue 4): top 20 suggestions for one project among 1 000 and among 100 000
organisations (10 000 projects in both), in one run, with their ratio.

    python -m bench [--orgs 1000,100000] [--projects 10000] [--repeat 7] [--keep DIR]

Each size gets its own SQLite file, filled with Core bulk inserts (lists of dicts, executemany), then the
same project is matched ``--repeat`` times through exchange.partners.queries.suggestions_for_project (the
function the suggestion page calls); the median is reported, next to a bare Flask "hello" request.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

TYPES = ["municipal_department", "municipal_company", "association", "business", "public_authority",
         "education", "other_public"]
LANGS = ["sv", "de", "it", "en"]
TOWNS = [("kungalv", "Kungälv", "SE", "sv", "SEK", "Europe/Stockholm"),
         ("hiddenhausen", "Hiddenhausen", "DE", "de", "EUR", "Europe/Berlin"),
         ("perano", "Perano", "IT", "it", "EUR", "Europe/Rome")]
SYLLABLES = ["an", "bo", "ca", "de", "el", "fa", "gi", "hö", "is", "jo", "ka", "lä", "mo", "nå", "ol", "pe",
             "ri", "sa", "tu", "ve", "zo"]
CHUNK = 5000


def _chunks(rows: list[dict]):
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]


def _bulk(conn, table, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        conn.execute(insert(table), chunk)


def fill(app, n_orgs: int, n_projects: int, seed: int = 42) -> int:
    """Fill an empty database; returns the id of the project to match (a proposed Hiddenhausen project)."""
    from exchange.extensions import db
    from exchange.municipalities.services import create_or_update
    from exchange.partners.models import (Organisation, OrganisationLanguage, OrganisationSortKey,
                                          OrganisationTheme, PartnerNeed, PartnerNeedTheme, PartnerNeedType,
                                          sort_key)
    from exchange.projects.models import FundingLine, Project, ProjectText, ProjectTheme
    from exchange.themes.services import seed_defaults

    rng = random.Random(seed)
    with app.app_context():
        db.create_all()
        towns = [create_or_update(*row)[0] for row in TOWNS]
        themes = {t.key: t.id for t in seed_defaults()}
        db.session.commit()
        town_ids = [t.id for t in towns]
        theme_ids = list(themes.values())
        today = dt.date.today()
        now = dt.datetime.now(dt.timezone.utc)

        orgs, org_themes, org_langs, org_keys = [], [], [], []
        for i in range(1, n_orgs + 1):
            name = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() + f" {i}"
            neutral = sort_key(name)
            orgs.append({"id": i, "municipality_id": rng.choice(town_ids), "name": name, "sort_name": neutral,
                         "type": rng.choice(TYPES), "website": "", "active": rng.random() > 0.05,
                         "last_confirmed_on": today - dt.timedelta(days=rng.randint(0, 800)),
                         "created_at": now, "updated_at": now, "version": 1})
            swedish = sort_key(name, "sv")
            if swedish != neutral:
                org_keys.append({"organisation_id": i, "locale": "sv", "key": swedish})
            for theme in rng.sample(theme_ids, rng.randint(1, 3)):
                org_themes.append({"organisation_id": i, "kind": "offers", "theme_id": theme})
            for theme in rng.sample(theme_ids, rng.randint(0, 2)):
                org_themes.append({"organisation_id": i, "kind": "seeks", "theme_id": theme})
            for lang in rng.sample(LANGS, rng.randint(1, 2)):
                org_langs.append({"organisation_id": i, "language": lang})

        projects, texts, project_themes, needs, need_themes, need_types, funding = [], [], [], [], [], [], []
        need_id = 0
        for p in range(1, n_projects + 1):
            status = rng.choices(["draft", "proposed", "active", "completed"], [2, 4, 3, 1])[0]
            lead = rng.choice(town_ids)
            p_themes = rng.sample(theme_ids, rng.randint(1, 3))
            p_needs = [] if rng.random() < 0.5 else [
                (rng.sample(theme_ids, rng.randint(1, 3)), rng.sample(TYPES, rng.randint(2, 7)))
                for _ in range(rng.randint(1, 2))]
            leader = rng.random() < 0.3
            if p == 1:  # the project the benchmark matches: two needs, LEADER-funded, from Hiddenhausen
                status, lead, leader = "proposed", town_ids[1], True
                p_themes = [themes["tourism"], themes["culture"]]
                p_needs = [([themes["tourism"], themes["rural-development"]], ["association", "business"]),
                           ([themes["business-innovation"]], TYPES)]
            projects.append({"id": p, "lead_municipality_id": lead, "status": status, "version": 1,
                             "published_at": None if status == "draft" else now, "created_at": now,
                             "updated_at": now})
            texts.append({"project_id": p, "field": "title", "locale": "en", "text": f"Project {p}",
                          "status": "source", "updated_at": now})
            project_themes += [{"project_id": p, "theme_id": t} for t in p_themes]
            for n_themes, n_types in p_needs:
                need_id += 1
                needs.append({"id": need_id, "project_id": p, "role": "co_applicant", "origin": "any",
                              "created_at": now, "updated_at": now, "version": 1})
                need_themes += [{"need_id": need_id, "theme_id": t} for t in n_themes]
                need_types += [{"need_id": need_id, "type": t} for t in n_types]
            if leader:
                funding.append({"project_id": p, "municipality_id": lead, "source": "eu_leader", "amount": 10000,
                                "currency": "EUR"})

        with db.engine.begin() as conn:
            for model, rows in [(Organisation, orgs), (OrganisationTheme, org_themes),
                                (OrganisationLanguage, org_langs), (OrganisationSortKey, org_keys),
                                (Project, projects), (ProjectText, texts), (ProjectTheme, project_themes),
                                (PartnerNeed, needs), (PartnerNeedTheme, need_themes),
                                (PartnerNeedType, need_types), (FundingLine, funding)]:
                _bulk(conn, model.__table__, rows)
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("ANALYZE")
    return 1


def time_matching(app, project_id: int, repeat: int) -> tuple[float, int]:
    """Median seconds for the top 20 of one project (fresh session each time), and how many were found."""
    from exchange.extensions import db
    from exchange.municipalities.queries import by_slug
    from exchange.partners import queries
    from exchange.tenancy import municipality_scope

    timings, found = [], 0
    with app.test_request_context("/"):
        for _ in range(repeat):
            db.session.remove()
            with municipality_scope(by_slug("hiddenhausen")):
                start = time.perf_counter()
                project = queries.get_project(project_id)
                found = len(queries.suggestions_for_project(project))
                timings.append(time.perf_counter() - start)
    return statistics.median(timings), found


def time_hello(repeat: int = 200) -> float:
    """Median seconds of a bare Flask "hello" request through the test client (the machine's yardstick)."""
    from flask import Flask
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "hello")
    client = hello.test_client()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get("/")
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", default="1000,100000", help="organisation counts, comma-separated")
    parser.add_argument("--projects", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", help="keep the SQLite files in this directory")
    args = parser.parse_args(argv)

    from exchange import create_app

    sizes = [int(n) for n in args.orgs.split(",")]
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    hello = time_hello()
    print(f"bare Flask hello: {hello * 1000:.3f} ms (median)")
    results = {}
    for n in sizes:
        path = workdir / f"bench-{n}.db"
        path.unlink(missing_ok=True)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench", "TESTING": True})
        start = time.perf_counter()
        project_id = fill(app, n, args.projects)
        filled = time.perf_counter() - start
        seconds, found = time_matching(app, project_id, args.repeat)
        results[n] = seconds
        print(f"{n:>7} organisations, {args.projects} projects: filled in {filled:.1f} s; "
              f"top {found} for one project in {seconds * 1000:.1f} ms (median of {args.repeat}; "
              f"{seconds / hello:.0f}× hello)")
        with app.app_context():
            from exchange.extensions import db
            db.engine.dispose()
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"ratio {large} / {small} organisations: {results[large] / results[small]:.2f}×")
    if not args.keep:
        for file in workdir.glob("bench-*"):
            file.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
