"""Exports of the partner domain, streamed as CSV or XLSX (``exchange.exports.download``): the directory's
results, with headers and labels in the reader's language and the description in one column per language.

Contact people's personal data are exported only to the organisation's own municipality (DESIGN.md §4):
for another municipality's organisations the contact columns stay empty.
"""
from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from flask_babel import gettext as _
from flask_babel import pgettext

from exchange.exports import BATCH, download, language_cells, language_columns
from exchange.extensions import db
from exchange.i18n.formatting import language_name
from exchange.i18n.locale import supported
from exchange.partners import permissions, queries


def directory_header(languages: list[str]) -> list[str]:
    return [_("Name"), _("Type of organisation"), _("Municipality"), _("Themes it can offer"),
            _("Themes it wants to learn about"), _("Languages it works in"), _("Original language"),
            *language_columns(_("Description"), languages), _("Website"), _("Status"), _("Contact person"),
            _("Contact person's role"), _("E-mail address"), _("Phone number")]


def directory_rows(filters: queries.DirectoryFilters, locale: str, user, languages: list[str]) -> Iterator[list]:
    """The directory's organisations as rows, read in batches; contacts only where ``user`` may export them."""
    stmt = (queries.directory(filters, locale).limit(current_app.config.get("EXPORT_LIMIT", 10000))
            .execution_options(yield_per=BATCH))
    for batch in db.session.scalars(stmt).partitions():
        contacts = queries.contacts_of([o.id for o in batch if permissions.can_export_contacts(user, o)])
        for org in batch:
            contact = contacts.get(org.id)
            yield [org.name, org.type_enum.label, org.municipality.name,
                   ", ".join(t.name(locale) for t in org.offered_themes),
                   ", ".join(t.name(locale) for t in org.sought_themes),
                   ", ".join(language_name(c) for c in org.languages), language_name(org.source_locale()),
                   *language_cells(org, "description", languages), org.website, pgettext("organisation status", "Active") if org.active else pgettext("organisation status", "Retired"),
                   *((contact.name, contact.role, contact.email, contact.phone) if contact else ("",) * 4)]


def directory_download(fmt: str, filters: queries.DirectoryFilters, locale: str, user):
    """The directory's results as a CSV or XLSX download, streamed."""
    languages = supported()
    return download(fmt, "partner-organisations", directory_header(languages),
                    directory_rows(filters, locale, user, languages), _("Partner organisations"))
