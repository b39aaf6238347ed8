"""The glossary of DESIGN.md §9, as data: the renderings every translator uses consistently.

The editor shows the terms whose English form occurs in the source string, with the rendering in the
locale being edited. A new term or a new language is a new row or a new key, not code.
"""
from __future__ import annotations

import re
from functools import lru_cache

TERMS: tuple[dict[str, str], ...] = (
    {"en": "municipality", "sv": "kommun", "de": "Gemeinde", "it": "comune"},
    {"en": "twin town", "sv": "vänort", "de": "Partnergemeinde", "it": "comune gemellato"},
    {"en": "joint development project", "sv": "gemensamt utvecklingsprojekt",
     "de": "gemeinsames Entwicklungsprojekt", "it": "progetto di sviluppo congiunto"},
    {"en": "partner organisation", "sv": "partnerorganisation", "de": "Partnerorganisation",
     "it": "organizzazione partner"},
    {"en": "knowledge-exchange visit", "sv": "kunskapsutbytesbesök", "de": "Besuch zum Wissensaustausch",
     "it": "visita di scambio di conoscenze"},
    {"en": "coordinator", "sv": "samordnare", "de": "Koordinator/in", "it": "coordinatore"},
    {"en": "translator", "sv": "översättare", "de": "Übersetzer/in", "it": "traduttore"},
    {"en": "lessons learned", "sv": "lärdomar", "de": "Erkenntnisse", "it": "lezioni apprese"},
    {"en": "follow-up action", "sv": "uppföljningsåtgärd", "de": "Folgemaßnahme", "it": "azione di follow-up"},
    {"en": "voluntary work", "sv": "ideellt arbete", "de": "ehrenamtliche Arbeit", "it": "lavoro volontario"},
    {"en": "external monitoring", "sv": "omvärldsbevakning", "de": "Umfeldbeobachtung",
     "it": "monitoraggio del contesto"},
    {"en": "growth and business development", "sv": "tillväxt och näringslivsutveckling",
     "de": "Wachstum und Wirtschaftsförderung", "it": "crescita e sviluppo economico"},
    {"en": "municipal company", "sv": "kommunalt bolag", "de": "kommunales Unternehmen", "it": "società comunale"},
    {"en": "association", "sv": "förening", "de": "Verein", "it": "associazione"},
)


@lru_cache(maxsize=None)
def _pattern(term: str) -> re.Pattern:
    # Whole words, any case, English plurals included ("municipalities", "associations").
    stem = re.escape(term[:-1]) + "(?:y|ies)" if term.endswith("y") else re.escape(term) + "(?:s|es)?"
    return re.compile(rf"\b{stem}\b", re.I)


def hits(source: str, locale: str) -> list[tuple[str, str]]:
    """(English term, rendering in ``locale``) for every glossary term in ``source``."""
    return [(term["en"], term[locale]) for term in TERMS
            if locale in term and _pattern(term["en"]).search(source or "")]
