"""Demo data of the public pages (called from exchange.demo.load): the twinnings, each municipality's
policy priorities (Kungälv's is its published page, ``demo_texts/kungalv-international-cooperation.sv.txt``,
a copy of shared/seed), a German translation approved and an Italian one waiting for approval, the
licences, and which projects and lessons learned are public. Idempotent.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from exchange.auth.services import find_by_email
from exchange.cooperation import services
from exchange.cooperation.queries import profile
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.municipalities.queries import by_slug
from exchange.tenancy import municipality_scope

TEXTS = Path(__file__).parent / "demo_texts"
KUNGALV_SEED = TEXTS / "kungalv-international-cooperation.sv.txt"

# Demo dates of the twinning agreements.
TWINNINGS = [("kungalv", "hiddenhausen", dt.date(1992, 6, 13)), ("kungalv", "perano", dt.date(2004, 9, 18)),
             ("hiddenhausen", "perano", dt.date(2005, 5, 7))]
# slug: (source file, language, {language: (file, approved)}, licence)
POLICIES = {
    "kungalv": (KUNGALV_SEED, "sv", {"de": ("kungalv.de.txt", True), "it": ("kungalv.it.txt", False)}, "cc-by-4.0"),
    "hiddenhausen": (TEXTS / "hiddenhausen.de.txt", "de", {}, "cc0-1.0"),
    "perano": (TEXTS / "perano.it.txt", "it", {}, "cc-by-4.0"),
}
# Projects their leads publish (by original title), with translations the lead's translator approved.
PUBLIC_PROJECTS = {
    "Solceller på skolornas tak": ("kungalv", {"de": ("title", "summary")}),
    "Jugendaustausch Musik": ("hiddenhausen", {"sv": ("title",)}),
    "Sentieri dei trabocchi e turismo lento": ("perano", {}),
}


def seed_text(path: Path = KUNGALV_SEED) -> str:
    """A published page as a policy text: the page's own heading, blank-looking lines (no-break spaces)
    and the unfinished "page updated" line left out."""
    lines = [line.replace("\xa0", " ").rstrip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if not line.strip().startswith("Sidan uppdaterades")]
    text = "\n".join(lines).strip()
    first, _, rest = text.partition("\n")
    return rest.strip() if first.strip() == "Internationellt samarbete" else text


def _person(slug: str, role: str = "coordinator"):
    return find_by_email(f"{role}@{slug}.example")


def load() -> Iterator[str]:
    towns = {slug: by_slug(slug) for slug in POLICIES}
    if any(town is None for town in towns.values()):
        return
    for first, second, since in TWINNINGS:
        services.set_twinning(towns[first], towns[second], since)
    yield f"twinnings: {len(TWINNINGS)}"
    for slug, (path, locale, translations, licence) in POLICIES.items():
        with municipality_scope(towns[slug]):
            coordinator, translator = _person(slug), _person(slug, "translator")
            existing = profile(towns[slug].id)
            if existing is not None and existing.source_row("policy") is not None:
                yield f"  kept the policy of {slug}"
                continue
            text = seed_text(path) if path == KUNGALV_SEED else path.read_text(encoding="utf-8").strip()
            services.save_policy(towns[slug].id, coordinator, text, locale, None)
            found = profile(towns[slug].id)
            for other, (name, approved) in translations.items():
                content.set_translation(found, "policy", other, (TEXTS / name).read_text(encoding="utf-8").strip(),
                                        translator, approved=approved)
            services.choose_licence(towns[slug].id, _person(slug, "admin"), licence, None)
            yield f"  wrote the policy of {slug}"
    yield from _publish()


def _publish() -> Iterator[str]:
    from exchange.projects import services as projects
    from exchange.projects.models import ProjectText
    from exchange.projects.queries import get_project
    from exchange.visits import services as visits
    from exchange.visits.models import Visit
    for title, (slug, approvals) in PUBLIC_PROJECTS.items():
        with municipality_scope(by_slug(slug)):
            project_id = db.session.scalar(select(ProjectText.project_id).where(
                ProjectText.field == "title", ProjectText.status == "source", ProjectText.text == title))
            project = get_project(project_id) if project_id else None
            if project is None or project.public:
                continue
            for locale, fields in approvals.items():
                for field in fields:
                    if project.status_of(field, locale).value == "translated":
                        content.approve(project, field, locale, _person(slug, "translator"))
            projects.set_public(project, _person(slug), True)
            yield f"  published project {title!r}"
    # The lessons learned of the two oldest visits are shown to the public by their hosts.
    for slug in ("perano", "kungalv"):
        with municipality_scope(by_slug(slug)):
            visit = db.session.scalar(select(Visit).where(Visit.host_municipality_id == by_slug(slug).id,
                                                          Visit.status == "completed")
                                      .order_by(Visit.start_date, Visit.id))
            if visit is not None and not visit.lessons_public and visit.source_row("lessons") is not None:
                visits.set_lessons_public(visit, True, _person(slug))
                yield f"  published the lessons of visit {visit.id}"
