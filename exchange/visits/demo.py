"""Demo visits (called from exchange.demo.load): the past three years in every direction between the three
towns, some with lessons and follow-up actions, and one upcoming visit.

Idempotent: when the network already has visits, nothing is added (dates are relative to today, so a
per-visit check would add new copies on another day).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import func, select

from exchange.auth.services import find_by_email
from exchange.extensions import db
from exchange.i18n import services as content
from exchange.municipalities.queries import by_slug
from exchange.tenancy import municipality_scope
from exchange.themes.queries import active_themes
from exchange.visits import services
from exchange.visits.models import Visit

# host, visitors, months ago, days, start time, status, themes, purpose (locale, text),
# participants [(slug, name, organisation, role)], lessons (locale, text) or None,
# follow-ups [(action, owner, due in days from today, done)]
VISITS = [
    ("perano", ("kungalv",), 30, 3, None, "completed", ("tourism", "rural-development"),
     ("it", "Scambio di esperienze sul turismo rurale e sui percorsi enogastronomici della Val di Sangro."),
     [("kungalv", "Johan Berg", "Kommunledningskontoret", "samordnare"),
      ("kungalv", "Karin Holm", "Kungälv Turism AB", "turismutvecklare"),
      ("perano", "Marco Di Santo", "Ufficio relazioni internazionali", "coordinatore")],
     ("sv", "Små orter kan marknadsföra sig tillsammans: Peranos gemensamma matrutter med grannbyarna gav fler "
            "övernattningar. Vi vill pröva samma modell längs Nordre älv."),
     [("Skicka en sammanfattning till turistnämnden", "Karin Holm", -700, True)]),
    ("kungalv", ("perano",), 26, 2, dt.time(9, 0), "completed", ("water-environment",),
     ("sv", "Perano besöker Kungälv för att lära sig om dagvattenhantering och översvämningsskydd längs älven."),
     [("perano", "Giulia Russo", "Ufficio tecnico", "ingegnere"),
      ("kungalv", "Sara Lindqvist", "Samhällsbyggnadsförvaltningen", "")],
     ("it", "Le aree verdi allagabili di Kungälv sono un modello per il torrente vicino alla zona industriale."),
     [("Preparare una scheda di progetto per un bando Interreg", "Marco Di Santo", -30, False)]),
    ("kungalv", ("hiddenhausen",), 20, 2, None, "completed", ("elderly-care", "digitalisation"),
     ("de", "Hiddenhausen lernt von Kungälvs digitaler Unterstützung in der häuslichen Altenpflege."),
     [("hiddenhausen", "Markus Becker", "Fachbereich Soziales", "Koordinator"),
      ("hiddenhausen", "Lena Schröder", "Seniorenbüro", "")],
     ("de", "Digitale Nachtaufsicht spart Wege, braucht aber klare Einwilligungen der Angehörigen."),
     [("Einwilligungsformular aus Kungälv übersetzen lassen", "Lena Schröder", 20, False)]),
    ("hiddenhausen", ("kungalv",), 14, 3, None, "completed", ("business-innovation",),
     ("sv", "Kungälv besöker Hiddenhausens näringslivsnätverk för små familjeföretag i möbelbranschen."),
     [("kungalv", "Johan Berg", "Kommunledningskontoret", "samordnare")],
     None, []),
    ("hiddenhausen", ("perano",), 9, 2, dt.time(10, 0), "completed", ("culture", "schools-youth"),
     ("it", "Scambio scolastico: insegnanti di Perano visitano le scuole di Hiddenhausen."),
     [("perano", "Giulia Russo", "Istituto comprensivo", "insegnante")],
     ("de", "Ein gemeinsames Musikprojekt der Schulen ist realistisch, wenn die Reisekosten über Erasmus+ laufen."),
     [("Erasmus+-Antrag vorbereiten", "Markus Becker", -10, False)]),
    ("perano", ("hiddenhausen",), 5, 1, None, "cancelled", ("culture",),
     ("de", "Besuch zum Weinfest in Perano (abgesagt wegen des Bahnstreiks)."),
     [], None, []),
    ("perano", ("kungalv", "hiddenhausen"), -1, 2, dt.time(9, 0), "confirmed", ("tourism", "climate-energy"),
     ("it", "Incontro a tre sul turismo sostenibile e sulle comunità energetiche."),
     [("kungalv", "Johan Berg", "Kommunledningskontoret", "samordnare"),
      ("hiddenhausen", "Markus Becker", "Fachbereich Soziales", "Koordinator")],
     None, []),
]


class _Anonymous:
    """The demo loader acting without an account (audit entries show 'system')."""
    id = None
    name = "Demo"

    def __init__(self, municipality_id: int):
        self.municipality_id = municipality_id


def _months_ago(today: dt.date, months: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, min(today.day, 28))


def load(today: dt.date | None = None) -> Iterator[str]:
    today = today or dt.date.today()
    towns = {slug: by_slug(slug) for slug in ("kungalv", "hiddenhausen", "perano")}
    if any(t is None for t in towns.values()):
        return
    with municipality_scope(towns["perano"]):
        if db.session.scalar(select(func.count()).select_from(Visit)):
            yield "kept visits"
            return
        theme_ids = {t.key: t.id for t in active_themes()}
    for (host, visitors, months, days, start_time, status, keys, (locale, purpose), people, lessons,
         follow_ups) in VISITS:
        with municipality_scope(towns[host]):
            actor = find_by_email(f"coordinator@{host}.example") or _Anonymous(towns[host].id)
            start = _months_ago(today, months) if months >= 0 else today + dt.timedelta(days=30 * -months)
            data = services.VisitData(
                host_id=towns[host].id, visiting_ids={towns[v].id for v in visitors}, start_date=start,
                end_date=start + dt.timedelta(days=days - 1), start_time=start_time,
                end_time=dt.time(17, 0) if start_time else None, status=status, purpose=purpose,
                purpose_locale=locale, theme_ids={theme_ids[k] for k in keys if k in theme_ids})
            visit = services.create_visit(data, actor)
            if start_time:
                services.add_agenda_item(visit, start, "Benvenuto" if host == "perano" else (
                    "Välkommen" if host == "kungalv" else "Begrüßung"), towns[host].name, towns[host].default_locale,
                    actor, start_time=start_time, end_time=dt.time(start_time.hour + 1, 0))
            for slug, name, organisation, role in people:
                services.add_participant(visit, towns[slug].id, name, organisation, role, actor,
                                         lang=towns[slug].default_locale)
            if status != "cancelled" and people:
                services.add_cost(visit, towns[visitors[0]].id, "travel", "1850.00", towns[visitors[0]].currency,
                                  "", actor)
                services.add_cost(visit, towns[host].id, "interpretation", "420.00", towns[host].currency, "", actor)
            if lessons:
                services.set_lessons(visit, lessons[1], lessons[0], None, actor)
            for action, owner, due_in, done in follow_ups:
                # The actions are written in the language of the lessons learned.
                item = services.add_follow_up(visit, action, owner, today + dt.timedelta(days=due_in),
                                              (lessons or (locale,))[0], actor)
                if done:
                    services.set_follow_up_done(item, True, actor)
            yield f"  created visit {visit.start_date} {host} <- {', '.join(visitors)}"
    # One translation, to show the shared mechanism at work: the first visit's purpose in Swedish.
    with municipality_scope(towns["perano"]):
        first = db.session.scalar(select(Visit).order_by(Visit.start_date, Visit.id))
        if first is not None and first.source_locale("purpose") == "it":
            content.set_translation(first, "purpose", "sv", "Erfarenhetsutbyte om landsbygdsturism och "
                                    "mat- och vinrutter i Val di Sangro.", _Anonymous(towns["perano"].id))
