"""The global theme taxonomy (tourism, culture, schools and youth, …).

Themes are global records (DESIGN.md §3): every municipality sees the same list. Their names are data,
one per locale in a JSON column, so a new theme or a new language needs no code and no catalog entry.
"""
from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base, TimestampMixin


class Theme(TimestampMixin, Base):
    __tablename__ = "themes"
    __tenancy__ = "global"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A stable identifier for code, seeds and exports; names may change, the key does not.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    names: Mapped[dict] = mapped_column(JSON, default=dict)  # {"sv": "Turism", "de": "Tourismus", …}
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def name_lang(self, locale: str) -> str:
        """The language the name is shown in for a reader of ``locale`` (for the ``lang`` attribute)."""
        names = self.names or {}
        if names.get(locale):
            return locale
        if names.get("en"):
            return "en"
        return next((code for code, text in sorted(names.items()) if text), locale)

    def name(self, locale: str) -> str:
        """The name in the reader's language; otherwise English, otherwise any name, otherwise the key."""
        return (self.names or {}).get(self.name_lang(locale)) or self.key

    def __repr__(self) -> str:
        return f"<Theme {self.key}>"
