"""Writes of the global theme taxonomy (platform operators: CLI and demo loader).

Themes are global, so no municipality scope is needed; services flush, the caller commits.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exchange.db import Len
from exchange.errors import Refusal, register_messages
from exchange.extensions import db
from exchange.rules import clean_text
from exchange.themes.models import Theme

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

# The sensible default set (issue 3). English is kept as a neutral fallback for languages added later.
DEFAULT_THEMES: list[tuple[str, dict[str, str]]] = [
    ("tourism", {"en": "Tourism", "sv": "Turism", "de": "Tourismus", "it": "Turismo"}),
    ("culture", {"en": "Culture", "sv": "Kultur", "de": "Kultur", "it": "Cultura"}),
    ("schools-youth", {"en": "Schools and youth", "sv": "Skola och ungdom", "de": "Schule und Jugend",
                       "it": "Scuola e giovani"}),
    ("elderly-care", {"en": "Elderly care", "sv": "Äldreomsorg", "de": "Altenpflege",
                      "it": "Assistenza agli anziani"}),
    ("climate-energy", {"en": "Climate and energy", "sv": "Klimat och energi", "de": "Klima und Energie",
                        "it": "Clima ed energia"}),
    ("water-environment", {"en": "Water and environment", "sv": "Vatten och miljö", "de": "Wasser und Umwelt",
                           "it": "Acqua e ambiente"}),
    ("digitalisation", {"en": "Digitalisation", "sv": "Digitalisering", "de": "Digitalisierung",
                        "it": "Digitalizzazione"}),
    ("business-innovation", {"en": "Business and innovation", "sv": "Näringsliv och innovation",
                             "de": "Wirtschaft und Innovation", "it": "Imprese e innovazione"}),
    ("rural-development", {"en": "Rural development", "sv": "Landsbygdsutveckling",
                           "de": "Ländliche Entwicklung", "it": "Sviluppo rurale"}),
    ("sport-leisure", {"en": "Sport and leisure", "sv": "Idrott och fritid", "de": "Sport und Freizeit",
                       "it": "Sport e tempo libero"}),
    ("integration", {"en": "Integration", "sv": "Integration", "de": "Integration", "it": "Integrazione"}),
    ("public-health", {"en": "Public health", "sv": "Folkhälsa", "de": "Öffentliche Gesundheit",
                       "it": "Salute pubblica"}),
]


register_messages({
    "invalid_theme_key": _l("Use lower-case letters, digits, hyphens and underscores."),
})


def create_or_update(key: str, names: dict[str, str], position: int = 0) -> tuple[Theme, bool]:
    """Create the theme with this key, or update its names and position. Returns (theme, created)."""
    if not KEY_RE.match(key):
        raise Refusal("invalid_theme_key", "key")
    clean = {code: clean_text(text, Len.NAME, "names") for code, text in names.items() if text and text.strip()}
    if not clean:
        raise Refusal("required", "names")
    theme = db.session.scalar(select(Theme).where(Theme.key == key))
    created = theme is None
    if created:
        theme = Theme(key=key)
        db.session.add(theme)
    # Keep names of languages the caller did not mention (a translator may have added them).
    theme.names = {**(theme.names or {}), **clean}
    theme.position = position
    db.session.flush()
    return theme, created


def seed_defaults() -> list[Theme]:
    """Create or refresh the default taxonomy; idempotent."""
    return [create_or_update(key, names, position)[0]
            for position, (key, names) in enumerate(DEFAULT_THEMES, start=1)]
