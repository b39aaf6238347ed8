"""Demo funding calls (called from exchange.demo.load()): a LEADER call of each town's local action group,
a CERV town-twinning call closing at 17:00 Brussels time and an Erasmus+ call, every one marked as an
example (``example``: a badge and a notice wherever it is shown, "(example)" in its title). Their dates
are made up, in the future, relative to the day of the first load; the local action groups are not
named (no real group's rules are claimed). Demo projects are linked to them so the rules check shows
rules met, not met and that cannot be checked.

Idempotent: a call whose original title exists is kept as it is, and a link that exists stays.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select

from exchange.extensions import db
from exchange.tenancy import municipality_scope

LEGAL_PERSONS = ["municipality", "municipal_department", "municipal_company", "association", "business",
                 "public_authority", "education", "other_public"]
EU27 = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]

# (owner, locale, title, description, translations, rules)
CALLS = [
    ("kungalv", "sv", "Leader-utlysning: småskaliga lokala utvecklingsprojekt 2027 (exempel)",
     "Ett påhittat exempel: den lokala aktionsgruppen i kommunens Leaderområde söker projekt som utvecklar "
     "landsbygden, näringslivet och klimatarbetet. Privat medfinansiering kan vara pengar eller ideellt arbete. "
     "Enskilda personer kan inte beviljas stöd.",
     {"de": "LEADER-Aufruf: kleine lokale Entwicklungsprojekte 2027 (Beispiel)",
      "it": "Bando LEADER: piccoli progetti di sviluppo locale 2027 (esempio)"},
     {"programme": "leader", "currency": "SEK", "timezone": "Europe/Stockholm", "opens_in": -14, "closes_in": 75,
      "closes_time": dt.time(23, 59), "countries": ["SE"], "applicant_types": LEGAL_PERSONS,
      "themes": ["rural-development", "business-innovation", "climate-energy", "schools-youth"],
      "max_aid_intensity": "60", "min_grant": "50000", "max_grant": "1500000", "voluntary_work_counts": True,
      "voluntary_hourly_value": "250"}),
    ("hiddenhausen", "de", "LEADER-Aufruf der Lokalen Aktionsgruppe: Kleinprojekte 2027 (Beispiel)",
     "Ein erfundenes Beispiel: Die Lokale Aktionsgruppe der LEADER-Region fördert Projekte für Dorfleben, "
     "regionale Wertschöpfung und Klimaschutz. Ehrenamtliche Arbeit zählt als Eigenleistung.",
     {"sv": "Leader-utlysning från den lokala aktionsgruppen: småprojekt 2027 (exempel)",
      "it": "Bando LEADER del gruppo di azione locale: piccoli progetti 2027 (esempio)"},
     {"programme": "leader", "currency": "EUR", "timezone": "Europe/Berlin", "opens_in": -30, "closes_in": 40,
      "closes_time": dt.time(12, 0), "countries": ["DE"], "applicant_types": LEGAL_PERSONS,
      "themes": ["rural-development", "business-innovation"], "max_aid_intensity": "65", "min_grant": "5000",
      "max_grant": "200000", "voluntary_work_counts": True, "voluntary_hourly_value": "15"}),
    ("perano", "it", "Bando LEADER del GAL del territorio: turismo lento e filiere locali (esempio)",
     "Un esempio inventato: il gruppo di azione locale (GAL) del territorio finanzia progetti di turismo "
     "sostenibile e di valorizzazione dei prodotti locali. Le persone fisiche non possono essere beneficiarie.",
     {"sv": "Leader-utlysning från den lokala aktionsgruppen: långsam turism och lokala produkter (exempel)",
      "de": "LEADER-Aufruf der Lokalen Aktionsgruppe: sanfter Tourismus und regionale Produkte (Beispiel)"},
     {"programme": "leader", "currency": "EUR", "timezone": "Europe/Rome", "opens_in": 7, "closes_in": 90,
      "closes_time": dt.time(13, 0), "countries": ["IT"], "applicant_types": LEGAL_PERSONS,
      "themes": ["tourism", "rural-development", "sport-leisure"], "max_aid_intensity": "70",
      "min_grant": "10000", "max_grant": "150000", "voluntary_work_counts": False}),
    ("perano", "it", "CERV – Gemellaggio tra città 2027 (esempio)",
     "Esempio inventato di un invito del programma CERV (Cittadini, uguaglianza, diritti e valori), filone "
     "«Town Twinning»: incontri tra cittadini di comuni gemellati su temi europei. Scadenza alle 17:00, ora di "
     "Bruxelles.",
     {"sv": "CERV – Vänortssamarbete 2027 (exempel)", "de": "CERV – Städtepartnerschaften 2027 (Beispiel)"},
     {"programme": "cerv_twinning", "currency": "EUR", "timezone": "Europe/Brussels", "opens_in": -20,
      "closes_in": 45, "closes_time": dt.time(17, 0), "countries": EU27,
      "applicant_types": ["municipality", "association", "other_public"],
      "themes": ["culture", "integration", "schools-youth", "tourism"], "min_partners": 2, "min_countries": 2,
      "max_aid_intensity": "90", "max_grant": "30000"}),
    ("hiddenhausen", "de", "Erasmus+ Leitaktion 2: Kleine Partnerschaften in der Schulbildung (Beispiel)",
     "Ein erfundenes Beispiel für einen Erasmus+-Aufruf: kleine Partnerschaften von Schulen und Jugendarbeit "
     "aus mindestens zwei Ländern. Frist um 12:00 Uhr Brüsseler Zeit.",
     {"sv": "Erasmus+ nyckelåtgärd 2: små partnerskap inom skolan (exempel)",
      "it": "Erasmus+ azione chiave 2: partenariati su piccola scala nell'istruzione scolastica (esempio)"},
     {"programme": "erasmus", "currency": "EUR", "timezone": "Europe/Brussels", "opens_in": 10, "closes_in": 120,
      "closes_time": dt.time(12, 0), "countries": EU27,
      "applicant_types": ["municipality", "education", "association", "other_public"],
      "themes": ["schools-youth", "culture", "climate-energy"], "min_partners": 2, "min_countries": 2,
      "max_aid_intensity": "80", "min_grant": "30000", "max_grant": "60000"}),
]

# (lead, project's original title, call's original title): rules met, not met, or not checkable.
LINKS = [
    # Every rule met: 40 000 of 55 000 money + 600 h × 15 EUR = 62.5 % ≤ 65 %, within the grants, Germany.
    ("hiddenhausen", "Dorfladen und regionale Produkte",
     "LEADER-Aufruf der Lokalen Aktionsgruppe: Kleinprojekte 2027 (Beispiel)"),
    # Not met: Germany and Italy take part in a call for Sweden; euros in the plan make money rules unknown.
    ("kungalv", "Solceller på skolornas tak",
     "Leader-utlysning: småskaliga lokala utvecklingsprojekt 2027 (exempel)"),
    # Not met yet: one partner from one country, and no funding plan to compare.
    ("perano", "Sentieri dei trabocchi e turismo lento", "CERV – Gemellaggio tra città 2027 (esempio)"),
]


def _existing(title: str):
    from exchange.calls.models import CallText, FundingCall
    return db.session.scalar(select(FundingCall).join(CallText).where(
        CallText.field == "title", CallText.status == "source", CallText.text == title))


def load() -> Iterator[str]:
    from exchange.auth.services import find_by_email
    from exchange.calls import services
    from exchange.i18n import services as content
    from exchange.municipalities.queries import by_slug
    from exchange.themes.services import seed_defaults

    themes = {t.key: t.id for t in seed_defaults()}
    today = dt.date.today()
    for owner, locale, title, description, translations, rules in CALLS:
        with municipality_scope(by_slug(owner)):
            if _existing(title) is not None:
                yield f"  kept call {title!r}"
                continue
            coordinator = find_by_email(f"coordinator@{owner}.example")
            rules = dict(rules)
            call = services.create_call(coordinator, services.CallInput(
                title=title, description=description, locale=locale, programme=rules.pop("programme"),
                currency=rules.pop("currency"), timezone=rules.pop("timezone"),
                opens_on=today + dt.timedelta(days=rules.pop("opens_in")),
                closes_on=today + dt.timedelta(days=rules.pop("closes_in")), closes_time=rules.pop("closes_time"),
                theme_ids=[themes[k] for k in rules.pop("themes")], example=True,
                official_url="https://example.org/funding-call-example", **rules))
            translator = find_by_email(f"translator@{owner}.example")
            for other, text in translations.items():
                content.set_translation(call, "title", other, text, translator)
            yield f"  created call {title!r}"
    yield from _links()


def _links() -> Iterator[str]:
    from exchange.auth.services import find_by_email
    from exchange.calls import queries, services
    from exchange.municipalities.queries import by_slug
    from exchange.projects.models import Project, ProjectText
    for lead, project_title, call_title in LINKS:
        with municipality_scope(by_slug(lead)):
            project = db.session.scalar(select(Project).join(ProjectText).where(
                ProjectText.field == "title", ProjectText.status == "source", ProjectText.text == project_title))
            call = _existing(call_title)
            if project is None or call is None or queries.link_of(project.id, call.id) is not None:
                continue
            services.link_project(project, call, find_by_email(f"coordinator@{lead}.example"))
            yield f"  linked {project_title!r} to {call_title!r}"
