"""Fill a database with N of every kind, fast (issue 12): `flask --app wsgi demo scale N` or
`python -m bench.generate N --database sqlite:///scale.db`.

The demo data (three towns, one account per role, the live catalogs) is loaded first through the normal
services, so a scaled database can be signed into like the demo; then N organisations, projects, partner
needs, funding lines, participations, comments, visits (with agenda items, participants, costs and
follow-ups) and catalog strings are added with SQLAlchemy Core bulk inserts: lists of dicts sent as one
executemany per chunk, no ORM units of work, no per-row round trip.

Distributions try to look like a twinning network that grew for years: N // 100 municipalities (at
least a few dozen) in several countries and languages, where the three founding towns hold about half of
everything and the rest follows a long tail (rank ** -1.1); creation dates spread over eight years;
about a third of the texts translated into one or two other languages; some follow-ups overdue.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import random
import time
from decimal import Decimal

from sqlalchemy import exc, func, insert, select

CHUNK = 2000

TYPES = ["municipal_department", "municipal_company", "association", "business", "public_authority",
         "education", "other_public"]
COUNTRIES = [("SE", "sv", "SEK", "Europe/Stockholm"), ("DE", "de", "EUR", "Europe/Berlin"),
             ("IT", "it", "EUR", "Europe/Rome"), ("FR", "fr", "EUR", "Europe/Paris"),
             ("PL", "pl", "PLN", "Europe/Warsaw"), ("ES", "es", "EUR", "Europe/Madrid")]
LOCALES = ["sv", "de", "it"]
WORDS = {
    "sv": ["skola", "solceller", "kultur", "turism", "vatten", "energi", "förening", "ungdom", "cykel", "hamn",
           "bibliotek", "skog", "äldreomsorg", "näringsliv", "integration", "musik", "idrott", "kust"],
    "de": ["Schule", "Solaranlage", "Kultur", "Tourismus", "Wasser", "Energie", "Verein", "Jugend", "Radweg",
           "Hafen", "Bibliothek", "Wald", "Pflege", "Wirtschaft", "Integration", "Musik", "Sport", "Dorf"],
    "it": ["scuola", "pannelli", "cultura", "turismo", "acqua", "energia", "associazione", "giovani",
           "ciclabile", "porto", "biblioteca", "bosco", "anziani", "impresa", "integrazione", "musica",
           "sport", "trabocchi"],
}
SYLLABLES = ["an", "bo", "ca", "de", "el", "fa", "gi", "hö", "is", "jo", "ka", "lä", "mo", "nå", "ol", "pe",
             "ri", "sa", "tu", "ve", "zo", "ße", "ür"]
PROJECT_STATUSES = (["draft", "proposed", "active", "completed", "withdrawn"], [2, 4, 3, 2, 0.3])
VISIT_STATUSES = (["planned", "confirmed", "completed", "cancelled"], [2, 2, 5, 0.5])
FUNDING = ["eu_leader", "eu_interreg", "eu_erasmus", "eu_cerv", "eu_erdf", "eu_esf", "national", "municipal",
           "private_money", "voluntary_work"]
COSTS = ["travel", "accommodation", "interpretation", "meals", "venue", "other"]
PARTICIPATION_STATUSES = (["invited", "requested", "accepted", "declined"], [1, 1, 4, 0.5])


def _bulk(conn, table, rows: list[dict]) -> int:
    # one executemany needs the same keys in every row: a key some rows leave out is NULL in them
    keys = set().union(*rows) if rows else set()
    for row in rows:
        if len(row) != len(keys):
            for key in keys - row.keys():
                row[key] = None
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[start:start + CHUNK])
    return len(rows)


def _next_id(conn, table) -> int:
    return (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1


class _Pick:
    """Weighted choices, precomputed once (random.choices recomputes cumulative weights per call)."""

    def __init__(self, rng: random.Random, values: list, weights: list[float]):
        self.rng, self.values = rng, values
        self.cum = list(itertools.accumulate(weights))

    def __call__(self):
        return self.rng.choices(self.values, cum_weights=self.cum)[0]


def ensure_demo(app, password: str = "demo-password") -> None:
    """The demo towns, accounts and live catalogs through the ordinary services (idempotent)."""
    from exchange.demo import load
    from exchange.extensions import db
    with app.app_context():
        for _ in load(password):
            pass
        db.session.commit()


def generate(app, n: int, seed: int = 12, municipalities: int | None = None, log=print) -> dict[str, int]:
    """Add ``n`` rows of every kind to a database that already holds the demo data; returns row counts per
    table. Nothing is read back through the ORM scope: this is platform code (no municipality)."""
    from exchange.extensions import db
    from exchange.i18n.catalog.models import CatalogMessage
    from exchange.municipalities.models import Municipality
    from exchange.partners.models import (Organisation, OrganisationContact, OrganisationLanguage,
                                          OrganisationSortKey, OrganisationText, OrganisationTheme, PartnerNeed,
                                          PartnerNeedTheme, PartnerNeedType, Partnership, sort_key)
    from exchange.projects.models import (FundingLine, Milestone, Project, ProjectComment, ProjectParticipation,
                                          ProjectPriorityArea, ProjectSortKey, ProjectText, ProjectTheme)
    from exchange.themes.models import Theme
    from exchange.visits.models import (AgendaItem, Cost, FollowUp, Participant, Visit, VisitMunicipality,
                                        VisitProject, VisitText, VisitTheme)

    rng = random.Random(seed)
    counts: dict[str, int] = {}
    started = time.perf_counter()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    today = now.date()
    n_towns = municipalities if municipalities is not None else max(30, n // 100)

    def when(max_days: int = 8 * 365) -> dt.datetime:
        return now - dt.timedelta(days=rng.randint(0, max_days), seconds=rng.randint(0, 86399))

    def words(locale: str, k: int) -> str:
        return " ".join(rng.choice(WORDS[locale]) for _ in range(k))

    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            def add(model, rows):
                counts[model.__tablename__] = counts.get(model.__tablename__, 0) + _bulk(conn, model.__table__, rows)

            # --- municipalities: the founders plus a long tail ---------------------------------------
            founders = {row.slug: row for row in conn.execute(select(Municipality.__table__))}
            towns = []
            mid = _next_id(conn, Municipality.__table__)
            for i in range(n_towns):
                country, locale, currency, tz = COUNTRIES[i % len(COUNTRIES)]
                towns.append({"id": mid + i, "slug": f"town-{mid + i}", "name": f"Town {mid + i}", "country": country,
                              "default_locale": locale, "currency": currency, "timezone": tz,
                              "contact_email": "", "created_at": when()})
            existing = {row.slug for row in conn.execute(select(Municipality.slug))}
            towns = [t for t in towns if t["slug"] not in existing]
            add(Municipality, towns)
            info = {row.id: (row.default_locale if row.default_locale in LOCALES else "sv", row.currency,
                             row.timezone) for row in conn.execute(select(Municipality.__table__))}
            ids = sorted(info)
            core = [founders[s].id for s in ("kungalv", "hiddenhausen", "perano") if s in founders]
            tail = [i for i in ids if i not in core]
            # about half of everything in the three founding towns, the rest on a long tail
            weights = [sum(1 / (r + 1) ** 1.1 for r in range(len(tail))) / max(1, len(core))] * len(core) + \
                [1 / (r + 1) ** 1.1 for r in range(len(tail))]
            town = _Pick(rng, core + tail, weights)
            themes = [row.id for row in conn.execute(select(Theme.id))]

            # --- organisations ------------------------------------------------------------------------
            oid = _next_id(conn, Organisation.__table__)
            orgs, o_texts, o_themes, o_langs, o_keys, o_contacts = [], [], [], [], [], []
            org_town: dict[int, int] = {}
            for i in range(oid, oid + n):
                m = town()
                locale = info[m][0]
                name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize() + \
                    f" {rng.choice(WORDS[locale])} {i}"
                created = when()
                org_town[i] = m
                orgs.append({"id": i, "municipality_id": m, "name": name, "sort_name": sort_key(name),
                             "type": rng.choice(TYPES), "website": "", "active": rng.random() > 0.05,
                             "last_confirmed_on": created.date() + dt.timedelta(days=rng.randint(0, 300)),
                             "created_by_name": "Generator", "created_at": created, "updated_at": created,
                             "version": 1})
                for loc in LOCALES:  # one key per configured language, as the partner services write them
                    o_keys.append({"organisation_id": i, "locale": loc, "key": sort_key(name, loc)})
                o_texts.append({"organisation_id": i, "field": "description", "locale": locale,
                                "text": words(locale, 12), "status": "source", "updated_at": created, "version": 1})
                if rng.random() < 0.3:
                    other = rng.choice([x for x in LOCALES if x != locale])
                    o_texts.append({"organisation_id": i, "field": "description", "locale": other,
                                    "text": words(other, 12), "status": "translated", "updated_at": created,
                                    "version": 1, "source_snapshot": None})
                for theme in rng.sample(themes, rng.randint(1, 3)):
                    o_themes.append({"organisation_id": i, "kind": "offers", "theme_id": theme})
                for theme in rng.sample(themes, rng.randint(0, 2)):
                    o_themes.append({"organisation_id": i, "kind": "seeks", "theme_id": theme})
                for lang in {locale, *rng.sample(LOCALES + ["en"], rng.randint(0, 2))}:
                    o_langs.append({"organisation_id": i, "language": lang})
                if rng.random() < 0.5:
                    o_contacts.append({"organisation_id": i, "name": f"Contact {i}", "role": "",
                                       "email": f"c{i}@example.org", "phone": "", "version": 1})
            for model, rows in [(Organisation, orgs), (OrganisationText, o_texts), (OrganisationTheme, o_themes),
                                (OrganisationLanguage, o_langs), (OrganisationSortKey, o_keys),
                                (OrganisationContact, o_contacts)]:
                add(model, rows)
            org_ids = range(oid, oid + n)
            log(f"organisations: {time.perf_counter() - started:.1f} s")

            # --- projects -----------------------------------------------------------------------------
            pid = _next_id(conn, Project.__table__)
            status_of = _Pick(rng, *PROJECT_STATUSES)
            projects, p_texts, p_themes, p_areas, milestones, p_keys = [], [], [], [], [], []
            project_lead, visible = {}, []
            for i in range(pid, pid + n):
                m = town()
                locale = info[m][0]
                status = status_of()
                created = when()
                start = created.date() + dt.timedelta(days=rng.randint(0, 200))
                projects.append({"id": i, "lead_municipality_id": m, "status": status,
                                 "start_date": start, "end_date": start + dt.timedelta(days=rng.randint(90, 1000)),
                                 "published_at": None if status == "draft" else created + dt.timedelta(days=3),
                                 "updated_at": created + dt.timedelta(days=rng.randint(0, 30)),
                                 "created_by_name": "Generator", "public": status != "draft" and rng.random() < 0.2,
                                 "public_at": None, "created_at": created, "version": 1})
                project_lead[i] = m
                if status != "draft":
                    visible.append(i)
                title = f"{words(locale, 3).capitalize()} {i}"
                for field, text in (("title", title), ("summary", words(locale, 15)),
                                    ("description", words(locale, 60))):
                    p_texts.append({"project_id": i, "field": field, "locale": locale, "text": text,
                                    "status": "source", "updated_at": created, "version": 1})
                seen = dict.fromkeys(LOCALES, title)  # the title each locale's reader sees
                for other in rng.sample([x for x in LOCALES if x != locale], rng.choice([0, 0, 1, 2])):
                    seen[other] = f"{words(other, 3).capitalize()} {i}"
                    p_texts.append({"project_id": i, "field": "title", "locale": other,
                                    "text": seen[other],
                                    "status": rng.choice(["translated", "approved", "outdated"]),
                                    "source_snapshot": title, "updated_at": created, "version": 1})
                    p_texts.append({"project_id": i, "field": "summary", "locale": other, "text": words(other, 15),
                                    "status": "translated", "updated_at": created, "version": 1})
                p_keys += [{"project_id": i, "locale": loc, "key": sort_key(text, loc)} for loc, text in seen.items()]
                for theme in rng.sample(themes, rng.randint(1, 3)):
                    p_themes.append({"project_id": i, "theme_id": theme})
                for area in rng.sample(["own_operations", "growth", "monitoring"], rng.randint(1, 2)):
                    p_areas.append({"project_id": i, "area": area})
                if rng.random() < 0.3:
                    milestones.append({"project_id": i, "title": words(locale, 3), "locale": locale,
                                       "due_date": start + dt.timedelta(days=rng.randint(10, 400)),
                                       "done": rng.random() < 0.5, "version": 1})
            for model, rows in [(Project, projects), (ProjectText, p_texts), (ProjectTheme, p_themes),
                                (ProjectPriorityArea, p_areas), (Milestone, milestones), (ProjectSortKey, p_keys)]:
                add(model, rows)
            log(f"projects: {time.perf_counter() - started:.1f} s")

            # --- partner needs, funding, participations, comments, partnerships -----------------------
            nid = _next_id(conn, PartnerNeed.__table__)
            needs, need_themes, need_types = [], [], []
            for i in range(nid, nid + n):
                project = rng.choice(visible) if visible else pid
                created = when()
                needs.append({"id": i, "project_id": project,
                              "role": rng.choice(["co_applicant", "expert", "host", "associate"]),
                              "origin": "any", "created_at": created, "updated_at": created, "version": 1})
                need_themes += [{"need_id": i, "theme_id": t} for t in rng.sample(themes, rng.randint(1, 3))]
                need_types += [{"need_id": i, "type": t} for t in rng.sample(TYPES, rng.randint(1, 4))]
            add(PartnerNeed, needs)
            add(PartnerNeedTheme, need_themes)
            add(PartnerNeedType, need_types)

            funding = []
            for _ in range(n):
                project = rng.randrange(pid, pid + n)
                m = project_lead[project]
                source = rng.choice(FUNDING)
                voluntary = source == "voluntary_work"
                funding.append({"project_id": project, "municipality_id": m, "source": source,
                                "amount": Decimal(0) if voluntary else Decimal(rng.randint(1, 500) * 1000),
                                "currency": info[m][1], "hours": Decimal(rng.randint(10, 900)) if voluntary else None,
                                "hourly_value": Decimal(20) if voluntary else None, "note": "", "version": 1})
            add(FundingLine, funding)

            participation_status = _Pick(rng, *PARTICIPATION_STATUSES)
            seen, participations = set(), []
            while len(participations) < n and visible:
                project, m = rng.choice(visible), town()
                if m == project_lead[project] or (project, m) in seen:
                    if len(seen) > 20 * n:
                        break
                    seen.add((project, m))
                    continue
                seen.add((project, m))
                created = when()
                participations.append({"project_id": project, "municipality_id": m,
                                       "lead_municipality_id": project_lead[project], "status": participation_status(),
                                       "message": "", "created_at": created, "decided_at": created, "version": 1})
            add(ProjectParticipation, participations)

            comments = []
            for _ in range(n):
                project = rng.choice(visible) if visible else pid
                m = town()
                comments.append({"project_id": project, "author_id": None, "author_name": f"Person {rng.randint(1, 999)}",
                                 "author_municipality_id": m, "locale": info[m][0],
                                 "body": words(info[m][0], 20), "created_at": when()})
            add(ProjectComment, comments)

            partnerships, pairs = [], set()
            for _ in range(n // 4):
                project, org = rng.choice(visible) if visible else pid, rng.choice(org_ids)
                if (project, org) in pairs:
                    continue
                pairs.add((project, org))
                partnerships.append({"project_id": project, "organisation_id": org,
                                     "lead_municipality_id": project_lead[project], "organisation_municipality_id": org_town[org],
                                     "status": rng.choice(["interested", "invited", "accepted", "declined"]),
                                     "role": "co_applicant", "created_at": when(), "version": 1})
            add(Partnership, partnerships)
            log(f"needs, funding, participations, comments: {time.perf_counter() - started:.1f} s")

            # --- visits and their children ------------------------------------------------------------
            vid = _next_id(conn, Visit.__table__)
            visit_status = _Pick(rng, *VISIT_STATUSES)
            visits, v_towns, v_texts, v_themes, v_projects = [], [], [], [], []
            agenda, people, costs, follow_ups = [], [], [], []
            for i in range(vid, vid + n):
                host = town()
                guests = {town() for _ in range(rng.randint(1, 2))} - {host} or {rng.choice(ids)} - {host}
                locale, currency, tz = info[host]
                start = today + dt.timedelta(days=rng.randint(-8 * 365, 365))
                status = "completed" if start < today and rng.random() < 0.8 else visit_status()
                created = when()
                visits.append({"id": i, "recorded_by_municipality_id": host, "host_municipality_id": host,
                               "start_date": start, "start_time": dt.time(9, 0) if rng.random() < 0.7 else None,
                               "end_date": start + dt.timedelta(days=rng.randint(0, 4)), "end_time": None,
                               "timezone": tz, "status": status, "updated_at": created,
                               "lessons_public": rng.random() < 0.2, "created_at": created, "version": 1})
                v_towns += [{"visit_id": i, "municipality_id": g} for g in guests]
                v_texts.append({"owner_id": i, "field": "purpose", "locale": locale, "text": words(locale, 20),
                                "status": "source", "updated_at": created, "version": 1})
                if status == "completed":
                    v_texts.append({"owner_id": i, "field": "lessons", "locale": locale, "text": words(locale, 40),
                                    "status": "source", "updated_at": created, "version": 1})
                if rng.random() < 0.3:
                    other = rng.choice([x for x in LOCALES if x != locale])
                    v_texts.append({"owner_id": i, "field": "purpose", "locale": other, "text": words(other, 20),
                                    "status": "translated", "updated_at": created, "version": 1})
                v_themes += [{"visit_id": i, "theme_id": t} for t in rng.sample(themes, rng.randint(1, 2))]
                if rng.random() < 0.4:
                    v_projects.append({"visit_id": i, "project_id": rng.randrange(pid, pid + n)})
                for k in range(rng.randint(1, 3)):
                    agenda.append({"visit_id": i, "day": start, "start_time": dt.time(9 + 2 * k, 0), "end_time": None,
                                   "title": words(locale, 3), "location": "", "lang": locale, "version": 1})
                for k in range(rng.randint(1, 4)):
                    name = f"Person {i}-{k}"
                    people.append({"visit_id": i, "municipality_id": rng.choice([host, *guests]), "name": name,
                                   "name_key": name.casefold(), "organisation": "", "role": "", "created_at": created,
                                   "version": 1})
                if rng.random() < 0.6:
                    costs.append({"visit_id": i, "municipality_id": host, "category": rng.choice(COSTS),
                                  "amount": Decimal(rng.randint(100, 20000)), "currency": currency, "note": "",
                                  "version": 1})
                if status == "completed" and rng.random() < 0.5:
                    due = start + dt.timedelta(days=rng.randint(10, 200))
                    done = due < today and rng.random() < 0.7
                    follow_ups.append({"visit_id": i, "action": words(locale, 6), "owner": "Owner",
                                       "owner_key": "owner", "due_date": due, "status": "done" if done else "open",
                                       "done_at": now if done else None, "lang": locale, "created_at": created,
                                       "version": 1})
            for model, rows in [(Visit, visits), (VisitMunicipality, v_towns), (VisitText, v_texts),
                                (VisitTheme, v_themes), (VisitProject, v_projects), (AgendaItem, agenda),
                                (Participant, people), (Cost, costs), (FollowUp, follow_ups)]:
                add(model, rows)
            log(f"visits: {time.perf_counter() - started:.1f} s")

            # --- catalog strings: a catalog's long history (obsolete strings kept for the record) -----
            position = conn.execute(select(func.max(CatalogMessage.position))).scalar() or 0
            messages = []
            for i in range(n):
                locale = LOCALES[i % 3]
                # numbered after the strings already there, so the generator can add to its own rows
                msgid = f"Generated interface string {position * 3 + i} about {rng.choice(WORDS['de'])}"
                key = hashlib.sha256(f"bench\x04{msgid}".encode()).hexdigest()[:64]
                text = words(locale, 5)
                messages.append({"locale": locale, "key": key, "msgid": msgid, "msgid_plural": "", "context": "",
                                 "strings": [text], "state": "translated", "published": [text], "pending": False,
                                 "obsolete": True, "shipped": None, "shipped_conflict": False, "flags": [],
                                 "translator_comments": "", "extracted_comments": "", "locations": [],
                                 "locations_text": "", "search_text": f"{msgid}\n{text}".lower(),
                                 "position": position + 1 + i // 3, "words": 5, "checks": "", "version": 1})
            add(CatalogMessage, messages)
        # The visit reports' running counts over the rows just inserted (platform code: every municipality).
        from exchange.tenancy import all_municipalities
        from exchange.visits import tallies
        with all_municipalities():
            tallies.rebuild(today)
            db.session.commit()
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("ANALYZE")
        if engine.dialect.name == "postgresql":
            # VACUUM too, as autovacuum would soon after such a load: it sets the visibility map that
            # index-only scans need, and a benchmark measured while autovacuum works through the new rows
            # times the vacuum, not the pages.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
                # And a checkpoint: the load left a gigabyte of dirty pages that the checkpointer would
                # otherwise write while the pages are timed (the 100 000-row PostgreSQL timings of one run
                # were twice those of the same pages a few minutes later). It needs a superuser or the
                # pg_checkpoint role; without either the run goes on, noisier.
                try:
                    conn.exec_driver_sql("CHECKPOINT")
                except exc.DBAPIError:
                    pass
    log(f"done: {sum(counts.values())} rows in {time.perf_counter() - started:.1f} s")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of an empty or demo database")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    from exchange import create_app
    from exchange.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        db.create_all()
    ensure_demo(app)
    generate(app, args.n, seed=args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
