"""Languages (DESIGN.md §5): choosing the interface language (``locale.py``), locale-aware formatting
(``formatting.py``), the shared mechanism for content written by users in several languages
(``models.py``, ``services.py``, ``queries.py``), and the runtime of the interface catalogs
(``catalog/``: live catalogs in the database, ``.po`` sync, validation).
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire the languages into the app, once: Flask-Babel with our locale and time-zone selectors, the
    published live catalogs served through it (the compiled .mo files stay the fallback), the ``?lang=xx``
    switch, and the formatting filters and ``h.i18n`` helpers for templates."""
    from exchange.extensions import babel
    from exchange.i18n import formatting, locale
    from exchange.i18n.catalog import live

    babel.init_app(app, locale_selector=locale.select_locale, timezone_selector=locale.select_timezone)
    live.init_app(app)
    locale.init_app(app)
    formatting.expose()
