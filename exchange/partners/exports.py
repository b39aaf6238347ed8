"""Exports of the partner domain, streamed as CSV or XLSX (``exchange.exports.download``): the directory's
results, with headers and labels in the reader's language and the description in one column per language.

Contact people's personal data are exported only to the organisation's own municipality (DESIGN.md §4):
for another municipality's organisations the contact columns stay empty.
"""
from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from collections.abc import Iterator

from flask import current_app
from flask_babel import gettext as _
from flask_babel import pgettext

from sqlalchemy import select

from exchange.exports import BATCH, download, language_columns
from exchange.extensions import db
from exchange.i18n.formatting import language_name
from exchange.i18n.models import ContentStatus
from exchange.i18n.locale import supported
from exchange.municipalities.models import Municipality
from exchange.partners import permissions, queries
from exchange.partners.models import (OFFERS, SEEKS, Organisation, OrganisationContact, OrganisationContactText,
                                      OrganisationLanguage, OrganisationText, OrganisationTheme, OrganisationType)
from exchange.themes.models import Theme


def directory_header(languages: list[str]) -> list[str]:
    return [_("Name"), _("Type of organisation"), _("Municipality"), _("Themes it can offer"),
            _("Themes it wants to learn about"), _("Languages it works in"), _("Original language"),
            *language_columns(_("Description"), languages), _("Website"), _("Status"), _("Contact person"),
            _("Contact person's role"), _("E-mail address"), _("Phone number")]


def directory_rows(filters: queries.DirectoryFilters, locale: str, user, languages: list[str]) -> Iterator[list]:
    """The directory's organisations as rows, in its order, read in batches; contacts only where ``user``
    may export them.

    The organisations come from the directory's own scoped query as plain columns in one streamed result;
    what each batch of ``BATCH`` rows needs besides (descriptions, themes, languages, first contacts,
    municipality names) is read with a few Core queries restricted to those ids (issue 12: ORM objects with
    their eager loads took 11 s for 100 000 organisations' first rows)."""
    stmt = (queries.directory(filters, locale)
            .with_only_columns(Organisation.id, Organisation.name, Organisation.type, Organisation.municipality_id,
                               Organisation.website, Organisation.active)
            .limit(current_app.config.get("EXPORT_LIMIT", 10000)))
    themes = {theme.id: theme for theme in db.session.scalars(select(Theme))}
    names = {theme_id: theme.name(locale) for theme_id, theme in themes.items()}
    order = {theme_id: (theme.position, theme_id) for theme_id, theme in themes.items()}
    types = {member.value: member.label for member in OrganisationType}
    language_names: dict[str, str] = {}
    active, retired = pgettext("organisation status", "Active"), pgettext("organisation status", "Retired")
    towns: dict[int, str] = {}
    may_export: dict[int, bool] = {}
    result = db.session.execute(stmt, execution_options={"yield_per": BATCH})
    for rows in result.partitions(BATCH):
        ids = [row.id for row in rows]
        texts: dict[int, dict[str, str]] = defaultdict(dict)
        source: dict[int, str] = {}
        for org_id, code, text, status in db.session.execute(
                select(_texts.c.organisation_id, _texts.c.locale, _texts.c.text, _texts.c.status)
                .where(_texts.c.organisation_id.in_(ids), _texts.c.field == "description")):
            texts[org_id][code] = text
            if status == ContentStatus.SOURCE.value:
                source[org_id] = code
        offered: dict[int, list[int]] = defaultdict(list)
        sought: dict[int, list[int]] = defaultdict(list)
        for org_id, kind, theme_id in db.session.execute(
                select(_themes.c.organisation_id, _themes.c.kind, _themes.c.theme_id)
                .where(_themes.c.organisation_id.in_(ids))):
            (offered if kind == OFFERS else sought if kind == SEEKS else {}).setdefault(org_id, []).append(theme_id)
        spoken: dict[int, list[str]] = defaultdict(list)
        for org_id, language in db.session.execute(
                select(_languages.c.organisation_id, _languages.c.language)
                .where(_languages.c.organisation_id.in_(ids)).order_by(_languages.c.organisation_id,
                                                                       _languages.c.language)):
            spoken[org_id].append(language)
        for town_id in {row.municipality_id for row in rows} - may_export.keys():
            # The permission asked once per municipality (it depends on the organisation's municipality only).
            may_export[town_id] = permissions.can_export_contacts(user, SimpleNamespace(municipality_id=town_id))
        contacts = _first_contacts([row.id for row in rows if may_export[row.municipality_id]])
        wanted = {row.municipality_id for row in rows} - towns.keys()
        if wanted:
            towns.update(db.session.execute(select(_towns.c.id, _towns.c.name).where(_towns.c.id.in_(wanted))).all())
        for row in rows:
            for code in spoken[row.id] + ([source[row.id]] if row.id in source else []):
                if code not in language_names:
                    language_names[code] = language_name(code)
            own = texts.get(row.id, {})
            contact = contacts.get(row.id)
            yield [row.name, types.get(row.type, row.type), towns.get(row.municipality_id, ""),
                   ", ".join(names[t] for t in sorted(offered.get(row.id, ()), key=order.__getitem__) if t in names),
                   ", ".join(names[t] for t in sorted(sought.get(row.id, ()), key=order.__getitem__) if t in names),
                   ", ".join(language_names[c] for c in spoken[row.id]),
                   language_names[source[row.id]] if row.id in source else "",
                   *(own.get(code, "") for code in languages), row.website, active if row.active else retired,
                   *(contact if contact else ("",) * 4)]


def _first_contacts(ids: list[int]) -> dict[int, tuple[str, str, str, str]]:
    """(name, role, e-mail, phone) of the first contact person of each of these organisations (callers pass
    only ids they may export); the role is its original text."""
    if not ids:
        return {}
    first: dict[int, tuple] = {}
    for contact_id, org_id, name, email, phone in db.session.execute(
            select(_contacts.c.id, _contacts.c.organisation_id, _contacts.c.name, _contacts.c.email, _contacts.c.phone)
            .where(_contacts.c.organisation_id.in_(ids)).order_by(_contacts.c.id)):
        first.setdefault(org_id, (contact_id, name, email, phone))
    roles = dict(db.session.execute(
        select(_contact_texts.c.contact_id, _contact_texts.c.text)
        .where(_contact_texts.c.contact_id.in_([c[0] for c in first.values()]), _contact_texts.c.field == "role",
               _contact_texts.c.status == ContentStatus.SOURCE.value)).all()) if first else {}
    return {org_id: (name, roles.get(contact_id, ""), email, phone)
            for org_id, (contact_id, name, email, phone) in first.items()}


def directory_download(fmt: str, filters: queries.DirectoryFilters, locale: str, user):
    """The directory's results as a CSV or XLSX download, streamed."""
    languages = supported()
    return download(fmt, "partner-organisations", directory_header(languages),
                    directory_rows(filters, locale, user, languages), _("Partner organisations"))


# Child tables read through Core for the ids of a scoped query (the ORM scope already chose the organisations).
_texts = OrganisationText.__table__
_themes = OrganisationTheme.__table__
_languages = OrganisationLanguage.__table__
_contacts = OrganisationContact.__table__
_contact_texts = OrganisationContactText.__table__
_towns = Municipality.__table__
