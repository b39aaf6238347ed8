"""The shipped catalogs on disk (translations/<locale>/LC_MESSAGES/messages.po) and loading them into
the live store: used by `flask translations sync|export`, the demo loader and the web export."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import current_app
from sqlalchemy import select

from exchange.extensions import db
from exchange.workbench.models import CatalogMessage
from exchange.workbench.services import SyncReport, sync_catalog


def catalog_dir(directory: str | None = None) -> Path:
    return Path(directory or current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])


def po_path(locale: str, directory: str | None = None) -> Path:
    return catalog_dir(directory) / locale / "LC_MESSAGES" / "messages.po"


def shipped_catalog(locale: str, directory: str | None = None) -> Catalog | None:
    """The committed .po of ``locale``, or None when there is none."""
    path = po_path(locale, directory)
    if not path.exists():
        return None
    with open(path, "rb") as f:
        return read_po(f, locale=locale)


def sync_shipped(locales: list[str] | None = None, directory: str | None = None,
                 only_empty: bool = False) -> Iterator[tuple[str, SyncReport | None]]:
    """Sync each locale's shipped catalog into the live store (flushes; the caller commits).

    ``only_empty`` skips locales that already have a live catalog (the demo loader: idempotent).
    Yields (locale, report), with None for a locale skipped or without a catalog file.
    """
    for locale in locales or current_app.config["LANGUAGES"]:
        if only_empty and db.session.scalar(select(CatalogMessage.id).where(CatalogMessage.locale == locale)
                                            .limit(1)) is not None:
            yield locale, None
            continue
        catalog = shipped_catalog(locale, directory)
        yield locale, (sync_catalog(catalog, locale) if catalog is not None else None)
