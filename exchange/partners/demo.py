"""Demo partner organisations and partner needs (called from exchange.demo.load()).

About ten realistic, fictional organisations per municipality, with themes chosen so that the demo's
matching means something: the Hiddenhausen village-shop project finds the Perano olive-oil cooperative,
the Perano slow-tourism project finds the Hiddenhausen cycling club and the Kungälv tourist association.
Idempotent: an organisation whose name exists in its municipality, or a project that already lists
partner needs, is left as it is (an organisation listed in ``REPLACED`` is renamed and rewritten once).

Numbers are written the way each text's language writes them: "2\u00a0500" in Swedish (a non-breaking
space), "2.500" in German and Italian.

LEADER groups: Kungälv belongs to Leader Södra Bohuslän, a non-profit association. Perano's local action
group (GAL) is described generically on purpose: which GAL of the province of Chieti covers Perano could
not be checked when these data were written, and a demo must not name the wrong one.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select

from exchange.extensions import db
from exchange.tenancy import municipality_scope

# slug → [(name, type, offers, seeks, languages, description (in the town's language), translations,
#          contact (name, role, e-mail) or None, confirmed days ago)]
ORGANISATIONS = {
    "kungalv": [
        ("Kungälvsbostäder AB", "municipal_company", ["climate-energy", "elderly-care"], ["digitalisation"],
         ["sv", "en"], "Kommunens bostadsbolag med 2\u00a0500 lägenheter. Erfarenhet av energieffektivisering och "
         "trygghetsboenden för äldre.", {"de": "Das kommunale Wohnungsunternehmen mit 2.500 Wohnungen: "
                                               "Erfahrung mit energetischer Sanierung und Seniorenwohnen."},
         ("Karin Ek", "Utvecklingschef", "karin.ek@kungalvsbostader.example"), 30),
        ("Kungälvs kommun, Samhällsbyggnad", "municipal_department", ["water-environment", "climate-energy"],
         ["tourism"], ["sv", "en"], "Planering, vatten och avlopp, miljötillsyn.", {}, None, 60),
        ("Ytterbyskolan", "education", ["schools-youth", "climate-energy"], ["culture"], ["sv", "en"],
         "Grundskola F–9 med solceller på taket och elevprojekt om energi.",
         {"it": "Scuola primaria e media con pannelli solari sul tetto e progetti degli alunni sull'energia."},
         ("Per Holm", "Rektor", "per.holm@ytterbyskolan.example"), 90),
        ("Kungälvs Turistförening", "association", ["tourism", "culture"], ["rural-development"],
         ["sv", "en", "de"], "Ideell förening som driver turistbyrån vid Bohus fästning och guidar på tyska "
         "och engelska.", {"de": "Gemeinnütziger Verein, der das Touristenbüro an der Festung Bohus betreibt "
                                 "und auf Deutsch und Englisch führt."},
         ("Lena Sjöberg", "Ordförande", "lena@kungalvsturism.example"), 10),
        ("Bohusläns kulturhus", "other_public", ["culture"], ["integration"], ["sv", "en"],
         "Regionalt kulturhus med utställningar och skolprogram.", {}, None, 120),
        ("Kungälv Energi AB", "municipal_company", ["climate-energy", "digitalisation"], ["business-innovation"],
         ["sv", "en"], "Kommunalt energibolag: elnät, fjärrvärme och laddinfrastruktur.", {}, None, 45),
        ("Ytterby Gårdsmejeri", "business", ["rural-development", "business-innovation"], ["tourism"],
         ["sv", "de"], "Familjeägt gårdsmejeri som säljer ost direkt till konsument.", {}, None, 200),
        ("Kungälvs Idrottsallians", "association", ["sport-leisure", "public-health"], ["integration"], ["sv"],
         "Samarbetsorgan för stadens idrottsföreningar.", {}, None, 15),
        ("Föreningen Bro", "association", ["integration"], ["schools-youth"], ["sv", "en"],
         "Språkcafé och läxhjälp för nyanlända.", {}, None, 70),
        ("Marstrands Hembygdsförening", "association", ["culture", "tourism"], [], ["sv"],
         "Hembygdsförening med museum och guidade vandringar.", {}, None, 420),  # not confirmed for a year
        ("Leader Södra Bohuslän", "association", ["rural-development", "business-innovation"], ["tourism"],
         ["sv", "en"], "Ideell förening som leder Leaderområdet Södra Bohuslän, där Kungälv ingår: lokalt "
         "ledd utveckling med projekt som drivs av föreningar, företag och organisationer. Den privata "
         "medfinansieringen kan vara pengar eller ideellt arbete.",
         {"de": "Gemeinnütziger Verein, der die LEADER-Region Södra Bohuslän leitet, zu der Kungälv gehört: "
                "lokal getragene Entwicklung mit Projekten von Vereinen, Unternehmen und Organisationen. Der "
                "private Eigenanteil kann aus Geld oder ehrenamtlicher Arbeit bestehen.",
          "it": "Associazione senza scopo di lucro che guida l'area LEADER Södra Bohuslän, di cui fa parte "
                "Kungälv: sviluppo locale di tipo partecipativo con progetti di associazioni, imprese e "
                "organizzazioni. Il cofinanziamento privato può essere in denaro o in lavoro volontario."},
         None, 25),
    ],
    "hiddenhausen": [
        ("TuS Hiddenhausen 1919 e.V.", "association", ["sport-leisure", "public-health", "schools-youth"],
         ["integration"], ["de", "en"], "Sportverein mit 1.200 Mitgliedern, Jugendfußball und Radsport.",
         {"it": "Società sportiva con 1.200 soci: calcio giovanile e ciclismo."},
         ("Uwe Brandt", "Vorsitzender", "vorstand@tus-hiddenhausen.example"), 20),
        ("Gemeindewerke Hiddenhausen", "municipal_company", ["climate-energy", "water-environment"],
         ["digitalisation"], ["de"], "Wasserversorgung, Abwasser und Photovoltaik auf kommunalen Dächern.", {},
         None, 100),
        ("Olof-Palme-Gesamtschule", "education", ["schools-youth", "culture"], ["climate-energy"], ["de", "en"],
         "Gesamtschule mit bilingualem Zweig und Schüleraustauschen.",
         {"sv": "Gymnasieskola med tvåspråkig inriktning och elevutbyten."},
         ("Sabine Kraft", "Koordinatorin Austausch", "austausch@opg.example"), 40),
        ("Heimatverein Hiddenhausen", "association", ["culture", "tourism"], ["rural-development"], ["de"],
         "Pflegt das Holzhandwerksmuseum und organisiert Dorffeste.", {}, None, 300),
        ("Hofladen Meyer", "business", ["rural-development", "business-innovation"], ["tourism"], ["de"],
         "Bauernhof mit Hofladen und regionalen Produkten.", {}, None, 60),
        ("Gemeinde Hiddenhausen, Fachbereich Soziales", "municipal_department", ["elderly-care", "integration"],
         ["digitalisation"], ["de", "en"], "Seniorenarbeit, Integration und Quartiersentwicklung.", {}, None, 30),
        ("Kreis Herford, Wirtschaftsförderung", "public_authority", ["business-innovation", "digitalisation"],
         ["tourism"], ["de", "en"], "Wirtschaftsförderung des Kreises: Gründungsberatung und Fördermittel.", {},
         None, 80),
        ("Dorfladen-Genossenschaft Oetinghausen eG", "business", ["rural-development", "business-innovation"],
         ["tourism"], ["de"], "Genossenschaftlicher Dorfladen, getragen von 300 Mitgliedern.", {}, None, 25),
        ("Familienzentrum Hiddenhausen", "other_public", ["schools-youth", "integration"], [], ["de"],
         "Beratung und Angebote für Familien.", {}, None, 150),
        ("Radtouristik Ravensberger Land e.V.", "association", ["tourism", "sport-leisure"], ["culture"],
         ["de", "en", "it"], "Verein für Radtourismus: Routen, Karten und geführte Touren.",
         {"it": "Associazione per il cicloturismo: percorsi, mappe e tour guidati."},
         ("Jens Wolter", "Tourenleiter", "touren@radtouristik.example"), 12),
    ],
    "perano": [
        ("Cooperativa Olearia Peranese", "business", ["rural-development", "business-innovation", "tourism"],
         ["climate-energy"], ["it", "de", "en"], "Cooperativa di 180 olivicoltori: frantoio, vendita diretta e "
         "visite guidate all'uliveto.",
         {"de": "Genossenschaft von 180 Olivenbauern: Ölmühle, Direktvermarktung und Führungen durch den "
                "Olivenhain.",
          "sv": "Kooperativ med 180 olivodlare: oljekvarn, direktförsäljning och guidade turer i olivlunden."},
         ("Antonio Di Pietro", "Presidente", "info@olearia-peranese.example"), 20),
        ("Pro Loco Perano", "association", ["tourism", "culture"], ["sport-leisure"], ["it", "en"],
         "Associazione per la promozione del territorio: sagre, visite guidate e ospitalità.",
         {"de": "Verein zur Förderung des Ortes: Feste, Führungen und Gastfreundschaft."},
         ("Giulia Ferrante", "Segretaria", "proloco@perano.example"), 35),
        ("Istituto Comprensivo Perano", "education", ["schools-youth"], ["climate-energy", "digitalisation"],
         ["it", "en"], "Scuola dell'infanzia, primaria e secondaria di primo grado.", {}, None, 50),
        ("Comune di Perano, Ufficio Tecnico", "municipal_department", ["water-environment", "climate-energy"],
         ["digitalisation"], ["it"], "Lavori pubblici, ambiente e protezione civile.", {}, None, 90),
        ("Cantina Sociale Peranese", "business", ["rural-development", "tourism"], ["business-innovation"],
         ["it", "en"], "Cantina cooperativa con degustazioni e turismo del vino.", {}, None, 110),
        ("Associazione Trabocchi e Sentieri", "association", ["tourism", "sport-leisure", "water-environment"],
         ["culture"], ["it", "en", "de"], "Volontari che curano i sentieri tra le colline e la Costa dei "
         "Trabocchi.", {"de": "Ehrenamtliche, die die Wanderwege zwischen den Hügeln und der Costa dei "
                               "Trabocchi pflegen."},
         ("Marco Ricci", "Coordinatore volontari", "sentieri@trabocchi.example"), 5),
        ("ASD Perano Calcio", "association", ["sport-leisure"], ["schools-youth"], ["it"],
         "Società sportiva dilettantistica con squadre giovanili.", {}, None, 400),  # not confirmed for a year
        ("Agriturismo La Collina", "business", ["tourism", "rural-development"], [], ["it", "de"],
         "Agriturismo con otto camere, cucina tipica e corsi di cucina.", {}, None, 60),
        ("Centro Anziani Perano", "other_public", ["elderly-care"], ["digitalisation"], ["it"],
         "Centro diurno per anziani con attività culturali.", {}, None, 75),
        # Generic on purpose (see the module's docstring): no specific GAL is named.
        ("Gruppo di azione locale LEADER (GAL)", "other_public", ["rural-development", "business-innovation"],
         ["tourism"], ["it", "en"], "Il gruppo di azione locale (GAL) del programma LEADER a cui aderisce il "
         "Comune: partenariato pubblico-privato che sostiene progetti di sviluppo rurale del territorio. "
         "Organizzazione di esempio: il nome del GAL non è indicato.",
         {"de": "Die lokale Aktionsgruppe (GAL) des LEADER-Programms, der die Gemeinde angehört: eine "
                "öffentlich-private Partnerschaft, die Projekte der ländlichen Entwicklung fördert. "
                "Beispielorganisation: Der Name der Gruppe wird nicht genannt."},
         None, 40),
    ],
}

# Demo organisations of earlier versions, renamed and rewritten by the loader: slug → {old name: new name}.
REPLACED = {"perano": {"GAL Costa dei Trabocchi": "Gruppo di azione locale LEADER (GAL)"}}

# Partner needs of the demo projects, by the project's original title.
NEEDS = {
    "Dorfladen und regionale Produkte": [
        ("co_applicant", ["rural-development", "business-innovation"], ["association", "business"], "any"),
        ("expert", ["business-innovation", "digitalisation"], ["public_authority", "municipal_company", "business"],
         "any"),
    ],
    "Sentieri dei trabocchi e turismo lento": [
        ("host", ["tourism", "sport-leisure"], ["association", "business", "municipal_department"], "any"),
    ],
    "Solceller på skolornas tak": [
        ("expert", ["climate-energy"], ["education", "municipal_company", "municipal_department"], "any"),
    ],
}


class _Author:
    """The demo loader acts as the platform (no signed-in user): named, in the right municipality."""

    id = None

    def __init__(self, name: str, municipality_id: int):
        self.name = name
        self.municipality_id = municipality_id


def load() -> Iterator[str]:
    from exchange.municipalities.queries import by_slug
    from exchange.partners import services
    from exchange.partners.models import Organisation, PartnerNeed
    from exchange.projects.models import ProjectText
    from exchange.themes.services import seed_defaults

    themes = {t.key: t.id for t in seed_defaults()}
    today = dt.date.today()
    for slug, rows in ORGANISATIONS.items():
        municipality = by_slug(slug)
        if municipality is None:
            continue
        author = _Author("Demo", municipality.id)
        with municipality_scope(municipality):
            yield from _replace(slug, municipality, rows, author, themes)
            for name, kind, offers, seeks, languages, description, translations, contact, age in rows:
                if db.session.scalar(select(Organisation.id).where(Organisation.municipality_id == municipality.id,
                                                                    Organisation.name == name)):
                    continue
                org = services.create_organisation(author, services.OrganisationInput(
                    name=name, type=kind, locale=municipality.default_locale, description=description,
                    offers=[themes[k] for k in offers], seeks=[themes[k] for k in seeks], languages=languages,
                    contact=services.ContactInput(*contact) if contact else None))
                for locale, text in translations.items():
                    services.set_description_translation(org, author, locale, text)
                org.last_confirmed_on = today - dt.timedelta(days=age)
                # A LEADER local action group (GAL, LAG) funds projects: never a co-applicant.
                org.funder = name.startswith(("GAL ", "LAG ", "Leader"))
                db.session.flush()
                yield f"  created organisation {name!r} ({slug})"

    for title, needs in NEEDS.items():
        for slug in ORGANISATIONS:
            municipality = by_slug(slug)
            if municipality is None:
                continue
            with municipality_scope(municipality):
                from exchange.partners import queries
                project_id = db.session.scalar(select(ProjectText.project_id).where(
                    ProjectText.field == "title", ProjectText.status == "source", ProjectText.text == title))
                if project_id is None:
                    continue
                project = queries.get_project(project_id)
                if project.lead_municipality_id != municipality.id:
                    continue
                if db.session.scalar(select(PartnerNeed.id).where(PartnerNeed.project_id == project_id)):
                    break
                author = _Author("Demo", municipality.id)
                for role, theme_keys, types, origin in needs:
                    services.add_need(project, author, services.NeedInput(
                        role=role, theme_ids=[themes[k] for k in theme_keys], types=types, origin=origin))
                yield f"  partner needs for {title!r}"
                break


def _replace(slug: str, municipality, rows, author, themes) -> Iterator[str]:
    """Rewrite the organisations an earlier demo created under a name now in ``REPLACED`` (through the
    service, so their translations are marked outdated and the audit log says so)."""
    from exchange.partners import services
    from exchange.partners.models import Organisation
    wanted = {row[0]: row for row in rows}
    for old, new in REPLACED.get(slug, {}).items():
        org = db.session.scalar(select(Organisation).where(Organisation.municipality_id == municipality.id,
                                                           Organisation.name == old))
        if org is None or new not in wanted:
            continue
        _name, kind, offers, seeks, languages, description, translations, _contact, _age = wanted[new]
        services.update_organisation(org, author, services.OrganisationInput(
            name=new, type=kind, locale=municipality.default_locale, description=description,
            offers=[themes[k] for k in offers], seeks=[themes[k] for k in seeks], languages=languages))
        for locale, text in translations.items():
            services.set_description_translation(org, author, locale, text)
        yield f"  renamed organisation {old!r} to {new!r} ({slug})"
