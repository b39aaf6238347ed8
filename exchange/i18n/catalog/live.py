"""Serving the live catalogs: Flask-Babel reads the *published* rows of the database, in every worker.

Flask-Babel 4 asks ``babel.domain_instance.get_translations()`` for the translations of the current
locale. ``LiveDomain`` answers with a ``babel.support.Translations`` built from the published rows (a
Babel ``Catalog`` compiled with ``write_mo`` in memory: no private attribute of Babel is touched), cached
in the process per (locale, revision). Once per request (remembered on ``g``) it reads the
revision of every locale, one small query, so a publication in any worker on any host is served by
every other on its next request, with no restart and no message bus.

When a locale has never been synced into the database (a fresh install, most tests) the compiled
``.mo`` files are served, as before. They also stay the fallback for a msgid that is not in the live
store yet (a new string deployed before ``flask translations sync`` ran).
"""
from __future__ import annotations

import io
import threading
import time
from collections import OrderedDict

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from flask import Flask, g
from flask_babel import Domain, get_locale
from sqlalchemy import inspect, select

from exchange.extensions import babel, db
from exchange.i18n.catalog.models import CatalogMessage, CatalogVersion

_CACHE_SIZE = 16
_lock = threading.Lock()
_cache: OrderedDict[tuple[str, str], Translations] = OrderedDict()
# Per database URL: the moment the live tables were found missing (None: they exist).
_missing_since: dict[str, float] = {}
_RECHECK_SECONDS = 30.0


def _tables_exist() -> bool:
    """False while the database has no live-catalog tables yet (migration not applied): serve .mo files.

    Checked on a separate connection, at most every 30 s per database, so a failing query never
    breaks the request's own transaction.
    """
    url = str(db.engine.url)
    missing = _missing_since.get(url, -1.0)
    if missing is None:
        return True
    if missing >= 0 and time.monotonic() - missing < _RECHECK_SECONDS:
        return False
    exists = inspect(db.engine).has_table(CatalogVersion.__tablename__)
    _missing_since[url] = None if exists else time.monotonic()
    return exists


def current_revisions() -> dict[str, str]:
    """{locale: revision} of the published live catalogs, read once per request (app context)."""
    revisions = g.get("_live_catalog_revisions")
    if revisions is None:
        revisions = {}
        if _tables_exist():
            revisions = dict(db.session.execute(select(CatalogVersion.locale, CatalogVersion.revision)).all())
        g._live_catalog_revisions = revisions
    return revisions


def forget_revisions() -> None:
    """Read the revisions again on the next lookup (after a publication in this same app context)."""
    g.pop("_live_catalog_revisions", None)
    g.pop("_live_translations", None)


def live_catalog(locale: str) -> Catalog:
    """The published text of every live message of ``locale`` as a Babel catalog. A message with nothing
    published carries its English source, so the compiled catalog does not answer in its place."""
    catalog = Catalog(locale=locale, fuzzy=False)
    forms = catalog.num_plurals
    rows = db.session.execute(
        select(CatalogMessage.msgid, CatalogMessage.msgid_plural, CatalogMessage.context,
               CatalogMessage.published)
        .where(CatalogMessage.locale == locale, CatalogMessage.obsolete.is_(False)))
    for msgid, msgid_plural, context, published in rows:
        if msgid_plural:
            strings = published or [msgid] + [msgid_plural] * (forms - 1)
            catalog.add((msgid, msgid_plural), tuple(strings), context=context or None)
        else:
            catalog.add(msgid, published[0] if published else msgid, context=context or None)
    return catalog


def build_translations(locale: str, fallback=None) -> Translations:
    """Translations serving the live catalog of ``locale``, compiled through Babel's public API (the
    catalog written as a .mo into memory and read back); msgids it does not know are looked up in
    ``fallback`` (the compiled catalog of the deployment)."""
    buffer = io.BytesIO()
    write_mo(buffer, live_catalog(locale))
    buffer.seek(0)
    translations = Translations(buffer)
    if fallback is not None:
        translations.add_fallback(fallback)
    return translations


def translations_for(locale: str, revision: str, fallback=None) -> Translations:
    key = (locale, revision)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    built = build_translations(locale, fallback)
    with _lock:
        _cache[key] = built
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return built


class LiveDomain(Domain):
    """Flask-Babel's domain, reading the published live catalog when the locale has one."""

    def get_translations(self):
        """Asked by every gettext call (a hundred and more per page): answered once per request and locale
        from ``g``, so the revision lookup, Flask-Babel's own cache key and the process cache are not
        walked again for each string.

        The locale is read where Flask-Babel keeps it (``g._flask_babel.babel_locale``, set by its
        ``get_locale`` and by ``force_locale``) with one look at the app context's globals: through
        ``has_app_context``, ``get_locale`` and ``g.get``, the lookups cost 2.5 µs of a string's 4.5
        (issue 12). Before Flask-Babel has chosen the locale, ``get_locale`` chooses it."""
        try:
            store = g._get_current_object().__dict__
        except RuntimeError:  # no app context
            return NullTranslations()
        locale = getattr(store.get("_flask_babel"), "babel_locale", None)
        if locale is None:
            locale = get_locale()
            if locale is None:
                return NullTranslations()
        remembered = store.get("_live_translations")
        if remembered is not None and remembered[0] is locale:
            return remembered[1]
        translations = self._lookup(locale)
        store["_live_translations"] = (locale, translations)
        return translations

    def _lookup(self, locale):
        compiled = super().get_translations()
        revision = current_revisions().get(str(locale))
        if revision is None:
            return compiled
        return translations_for(str(locale), revision, compiled)


def init_app(app: Flask) -> None:
    """Plug the live catalogs into Flask-Babel (the Babel extension object is one per process), and give
    the templates' ``_()`` the live domain directly: Flask-Babel's own callables first look the domain up
    in the request's globals, for every string (a template's ``_()`` cost 8.6 µs, its lookups most of it)."""
    if not isinstance(babel.__dict__.get("domain_instance"), LiveDomain):
        babel.domain_instance = LiveDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    domain = babel.domain_instance
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True)
