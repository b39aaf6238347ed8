"""The demo data behind `make run`. Idempotent: running it again changes nothing that exists."""
from __future__ import annotations

from collections.abc import Iterator

from exchange.auth.models import Role
from exchange.auth.services import create_user, find_by_email
from exchange.extensions import db
from exchange.municipalities.services import create_or_update
from exchange.tenancy import municipality_scope

def _enrol_demo_admin(user) -> None:
    import pyotp

    from exchange.auth import twofactor
    user.totp_secret = DEMO_TOTP_SECRET
    twofactor.confirm_enrolment(user, pyotp.TOTP(DEMO_TOTP_SECRET).now())
    user.totp_last_step = None  # the demo's code may be used at once by the person trying it


def current_code() -> str:
    """The demo admins' current second-factor code."""
    import pyotp
    return pyotp.TOTP(DEMO_TOTP_SECRET).now()


MUNICIPALITIES = [
    # slug, name, country, locale, currency, time zone (DESIGN.md §1)
    ("kungalv", "Kungälv", "SE", "sv", "SEK", "Europe/Stockholm"),
    ("hiddenhausen", "Hiddenhausen", "DE", "de", "EUR", "Europe/Berlin"),
    ("perano", "Perano", "IT", "it", "EUR", "Europe/Rome"),
]

# Example header colours (dark enough for white text); no coats of arms are shipped: a municipality's
# admin uploads its own on the identity page.
COLOURS = {"kungalv": "#1a2f5a", "hiddenhausen": "#2b6a2f", "perano": "#8a1c1c"}

PEOPLE = {
    "kungalv": {Role.STAFF: "Sara Lindqvist", Role.COORDINATOR: "Johan Berg", Role.TRANSLATOR: "Elin Åkesson",
                Role.ADMIN: "Anders Nilsson"},
    "hiddenhausen": {Role.STAFF: "Lena Schröder", Role.COORDINATOR: "Markus Becker",
                     Role.TRANSLATOR: "Julia Hoffmann", Role.ADMIN: "Thomas Krüger"},
    "perano": {Role.STAFF: "Giulia Russo", Role.COORDINATOR: "Marco Di Santo", Role.TRANSLATOR: "Chiara Ferri",
               Role.ADMIN: "Luca Marchetti"},
}


# The demo admins' authenticator secret (admins must use a second factor). It is published on purpose,
# like the demo password: `flask --app wsgi demo code` prints the current code.
DEMO_TOTP_SECRET = "DEMOTWINTOWNEXCHANGE2FA234567ABC"


def load(password: str) -> Iterator[str]:
    """Create the three twin towns and one account per role in each: <role>@<slug>.example, and what they
    work on. Its notifications are shown in the app, never mailed."""
    from exchange.notifications.events import quietly
    with quietly():
        yield from _load(password)


def _load(password: str) -> Iterator[str]:
    for slug, name, country, locale, currency, timezone in MUNICIPALITIES:
        municipality, created = create_or_update(slug, name, country, locale, currency, timezone,
                                                 contact_email=f"contact@{slug}.example")
        yield f"{'created' if created else 'kept'} municipality {slug}"
        if not municipality.accent_colour:
            municipality.accent_colour = COLOURS[slug]
        with municipality_scope(municipality):
            for role, person in PEOPLE[slug].items():
                email = f"{role.value}@{slug}.example"
                if find_by_email(email) is None:
                    user = create_user(email, person, {role}, password=password, preferred_locale=None)
                    if role == Role.ADMIN:
                        _enrol_demo_admin(user)
                    yield f"  created {email}"
    yield from load_projects()
    yield from _load_visits()
    yield from _load_partners()
    yield from _load_cooperation()
    yield from _load_calls()
    yield from _live_catalogs()
    yield from _load_notifications()


def _load_notifications() -> Iterator[str]:
    """A few unread notifications for every demo account (exchange.notifications.demo)."""
    from exchange.notifications.demo import load as load_notifications
    yield from load_notifications()


def _load_visits() -> Iterator[str]:
    """Knowledge-exchange visits between the three towns (exchange.visits.demo); they need the themes."""
    from exchange.themes.services import seed_defaults
    from exchange.visits.demo import load as load_visits
    seed_defaults()  # idempotent; the visits are tagged with themes
    yield from load_visits()


# --- themes and joint development projects (issue 3) -----------------------------------------------

def _demo_projects():
    """Realistic projects in different source languages, some translated and some not, in every status."""
    import datetime as dt
    d = dt.date
    return [
        {"lead": "kungalv", "locale": "sv", "status": "active", "participants": ["perano", "hiddenhausen"],
         "texts": {"sv": {"title": "Solceller på skolornas tak",
                          "summary": "Tre skolor i vänorterna sätter solceller på taken och använder "
                                     "produktionsdata i undervisningen.",
                          "description": "Kungälvs kommun installerar solceller på Ytterbyskolan och delar "
                                         "erfarenheter av upphandling och drift med vänorterna.\n\nEleverna "
                                         "följer produktionen och jämför den mellan Sverige, Tyskland och Italien."},
                   "de": {"title": "Solaranlagen auf Schuldächern",
                          "summary": "Drei Schulen der Partnergemeinden bauen Solaranlagen und nutzen die "
                                     "Produktionsdaten im Unterricht."},
                   "it": {"title": "Pannelli solari sui tetti delle scuole"}},
         "themes": ["climate-energy", "schools-youth"], "areas": ["own_operations", "monitoring"],
         "sustainability": {"ecological": "Mindre fossil el i skolorna.",
                            "social": "Eleverna lär sig om energi tillsammans med elever i vänorterna."},
         "dates": (d(2025, 3, 1), d(2026, 12, 31)),
         "funding": [("kungalv", "eu_leader", "SEK", "450000", None, None),
                     ("kungalv", "municipal", "SEK", "300000", None, None),
                     ("kungalv", "voluntary_work", "SEK", None, "200", "250"),
                     ("perano", "municipal", "EUR", "12000", None, None),
                     ("hiddenhausen", "eu_erasmus", "EUR", "18000", None, None)],
         "milestones": [("Upphandling klar", d(2025, 6, 30)), ("Solcellerna i drift", d(2025, 11, 30))],
         "contacts": [("kungalv", "Johan Berg", "Samordnare"), ("perano", "Marco Di Santo", "Coordinatore")],
         "comments": [("perano", "it", "Ottima idea: la nostra scuola media è pronta a partecipare."),
                      ("kungalv", "sv", "Välkomna! Vi skickar upphandlingsunderlaget i nästa vecka.")]},
        {"lead": "hiddenhausen", "locale": "de", "status": "proposed", "requests": ["perano"],
         "texts": {"de": {"title": "Dorfladen und regionale Produkte",
                          "summary": "Ein genossenschaftlicher Dorfladen verkauft Produkte aus der Region "
                                     "und aus den Partnergemeinden.",
                          "description": "Wir suchen Partner mit Erfahrung in Genossenschaften und "
                                         "Direktvermarktung."},
                   "sv": {"title": "Bybutik och lokala produkter"}},
         "themes": ["business-innovation", "rural-development"], "areas": ["growth"],
         "sustainability": {"economic": "Wertschöpfung bleibt im Dorf."},
         "dates": (d(2025, 9, 1), d(2027, 8, 31)),
         "funding": [("hiddenhausen", "eu_leader", "EUR", "40000", None, None),
                     ("hiddenhausen", "private_money", "EUR", "15000", None, None),
                     ("hiddenhausen", "voluntary_work", "EUR", None, "600", "15")]},
        {"lead": "perano", "locale": "it", "status": "proposed", "invite": ["kungalv"],
         "texts": {"it": {"title": "Sentieri dei trabocchi e turismo lento",
                          "summary": "Percorsi a piedi e in bicicletta lungo la Costa dei Trabocchi, con "
                                     "guide formate insieme ai comuni gemellati.",
                          "description": "Il comune di Perano propone uno scambio sul turismo lento e "
                                         "sostenibile."}},
         "themes": ["tourism", "sport-leisure"], "areas": ["growth"],
         "dates": (d(2026, 4, 1), d(2027, 10, 31))},
        {"lead": "kungalv", "locale": "sv", "status": "draft",
         "texts": {"sv": {"title": "Omvärldsbevakning av EU-medel",
                          "summary": "En gemensam bevakning av utlysningar som kommunens verksamheter och "
                                     "bolag kan söka."}},
         "themes": ["digitalisation"], "areas": ["monitoring", "own_operations"]},
        {"lead": "hiddenhausen", "locale": "de", "status": "completed", "participants": ["kungalv"],
         "texts": {"de": {"title": "Jugendaustausch Musik",
                          "summary": "Jugendorchester aus Hiddenhausen und Kungälv proben und spielen zusammen."},
                   "sv": {"title": "Ungdomsutbyte musik",
                          "summary": "Ungdomsorkestrar från Hiddenhausen och Kungälv repeterar och spelar "
                                     "tillsammans."},
                   "it": {"title": "Scambio giovanile di musica"}},
         "themes": ["culture", "schools-youth"], "areas": ["own_operations"],
         # Rewritten after it was translated: the Swedish summary is shown as outdated.
         "revised_summary": "Jugendorchester aus Hiddenhausen und Kungälv proben eine Woche lang und geben "
                            "zwei gemeinsame Konzerte.",
         "dates": (d(2024, 5, 1), d(2024, 10, 31)),
         "funding": [("hiddenhausen", "eu_erasmus", "EUR", "22000", None, None),
                     ("kungalv", "municipal", "SEK", "60000", None, None)]},
        {"lead": "perano", "locale": "it", "status": "withdrawn", "reason": "Il finanziamento regionale non è "
                                                                            "stato confermato.",
         "texts": {"it": {"title": "Centro digitale per anziani",
                          "summary": "Corsi di informatica per anziani nella biblioteca comunale."}},
         "themes": ["elderly-care", "digitalisation"], "areas": ["own_operations"], "published": True},
    ]


def load_projects() -> Iterator[str]:
    """Seed the theme taxonomy and the demo projects. A project whose original title already exists in its
    lead municipality is left as it is, so running the loader again changes nothing."""
    from decimal import Decimal

    from sqlalchemy import select

    from exchange.municipalities.queries import by_slug
    from exchange.projects import services
    from exchange.projects.models import ProjectStatus, ProjectText
    from exchange.projects.queries import get_project
    from exchange.themes.services import seed_defaults

    themes = {t.key: t.id for t in seed_defaults()}
    yield f"themes: {len(themes)}"

    def person(slug: str, role: Role = Role.COORDINATOR):
        return find_by_email(f"{role.value}@{slug}.example")

    for spec in _demo_projects():
        lead = by_slug(spec["lead"])
        title = spec["texts"][spec["locale"]]["title"]
        with municipality_scope(lead):
            exists = db.session.scalar(select(ProjectText.id).where(
                ProjectText.field == "title", ProjectText.status == "source", ProjectText.text == title))
            if exists:
                yield f"  kept project {title!r}"
                continue
            author = person(spec["lead"], Role.STAFF)
            coordinator = person(spec["lead"])
            start, end = spec.get("dates", (None, None))
            project = services.create_project(author, services.ProjectInput(
                locale=spec["locale"], texts=spec["texts"], priority_areas=spec["areas"],
                sustainability=spec.get("sustainability", {}), theme_ids=[themes[k] for k in spec["themes"]],
                start_date=start, end_date=end))
            project_id = project.id
            if spec.get("revised_summary"):
                texts = {spec["locale"]: {**spec["texts"][spec["locale"]], "summary": spec["revised_summary"]}}
                services.update_project(project, author, services.ProjectInput(
                    locale=spec["locale"], texts=texts, priority_areas=spec["areas"],
                    theme_ids=[themes[k] for k in spec["themes"]], start_date=start, end_date=end), project.version)
            for milestone, due in spec.get("milestones", []):
                services.add_milestone(project, coordinator, milestone, due, spec["locale"])
            if spec["status"] != "draft" and (spec["status"] != "withdrawn" or spec.get("published")):
                services.change_status(project, coordinator, ProjectStatus.PROPOSED)
            for slug in spec.get("participants", []) + spec.get("invite", []):
                services.invite(project, by_slug(slug), coordinator)
        for slug in spec.get("participants", []):
            with municipality_scope(by_slug(slug)):
                project = get_project(project_id)
                services.decide(project.participation_of(by_slug(slug).id), person(slug), True)
        for slug in spec.get("requests", []):
            with municipality_scope(by_slug(slug)):
                services.request_to_join(get_project(project_id), person(slug))
        for owner, source, currency, amount, hours, hourly in spec.get("funding", []):
            with municipality_scope(by_slug(owner)):
                services.add_funding_line(get_project(project_id), person(owner), by_slug(owner).id, source, currency,
                                          amount=Decimal(amount) if amount else None, hours=hours,
                                          hourly_value=hourly, locale=by_slug(owner).default_locale)
        for owner, name, role in spec.get("contacts", []):
            with municipality_scope(by_slug(owner)):
                services.add_contact(get_project(project_id), person(owner), by_slug(owner).id, name, role,
                                     f"coordinator@{owner}.example")
        for owner, locale, body in spec.get("comments", []):
            with municipality_scope(by_slug(owner)):
                services.add_comment(get_project(project_id), person(owner), body, locale)
        with municipality_scope(lead):
            project = get_project(project_id)
            if spec["status"] in ("active", "completed"):
                services.change_status(project, coordinator, ProjectStatus.ACTIVE)
            if spec["status"] == "completed":
                services.change_status(project, coordinator, ProjectStatus.COMPLETED)
            if spec["status"] == "withdrawn":
                services.change_status(project, coordinator, ProjectStatus.WITHDRAWN, reason=spec["reason"],
                                       locale=spec["locale"])
        yield f"  created project {title!r} ({spec['status']})"


def _live_catalogs() -> Iterator[str]:
    """Fill the live interface catalogs from the shipped .po files, once (a locale already there is kept:
    translators' work in the workbench is never overwritten by the demo)."""
    from exchange.i18n.catalog.sync import sync_shipped
    for locale, report in sync_shipped(only_empty=True):
        if report is not None:
            yield f"loaded the live {locale} catalog ({report.added} strings)"


def _load_cooperation() -> Iterator[str]:
    """Twinnings, policy texts, licences and what is public (issue 17)."""
    from exchange.cooperation.demo import load as load_cooperation
    yield from load_cooperation()


def _load_calls() -> Iterator[str]:
    """Example funding calls and the demo projects' links to them (issue 16)."""
    from exchange.calls.demo import load as load_calls
    yield from load_calls()


def _load_partners() -> Iterator[str]:
    """Partner organisations of the three towns and the demo projects' partner needs (issue 4)."""
    from exchange.partners.demo import load as load_partners
    yield from load_partners()
