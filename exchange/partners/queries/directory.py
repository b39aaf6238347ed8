"""Reads of organisations: the directory (filters, the reader's alphabet), profiles, contact people, the
profiles to confirm.

Visibility is never filtered here (the tenancy scope does it: every profile is visible to the network).
The filters below are the reader's choices.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from exchange.db import utcnow
from exchange.extensions import db
from exchange.i18n.queries import column_matches, text_matches
from exchange.i18n.search import index_matches
from exchange.i18n.sorting import keyed_locales
from exchange.paging import paginate
from exchange.partners.models import (OFFERS, SEEKS, STALE_AFTER, Organisation, OrganisationContact,
                                      OrganisationLanguage, OrganisationSortKey, OrganisationTheme)


@dataclass
class DirectoryFilters:
    """The reader's choices on the directory page (already validated by the search form)."""

    q: str = ""
    theme_id: int | None = None
    theme_kind: str = ""      # "offers", "seeks" or "" (either)
    type: str = ""
    municipality_id: int | None = None
    language: str = ""
    include_retired: bool = False


def profile_options(with_texts: bool = True):
    """What listings and profiles show, loaded in a fixed number of queries whatever the page size."""
    options = [selectinload(Organisation.theme_links), selectinload(Organisation.language_rows)]
    if with_texts:
        options.append(selectinload(Organisation.texts))
    return tuple(options)


def directory(filters: DirectoryFilters, locale: str):
    """A select() of the organisations matching the filters, sorted by name in the reader's alphabet
    (by the database, so pagination stays correct); paginate it or iterate it (CSV)."""
    return _in_reader_order(_matching(filters), locale)


def directory_page(filters: DirectoryFilters, locale: str, per_page: int):
    """One page of ``directory`` and its bounded count. The count reads the matching organisations without
    the join to the reader's sort keys, which only orders them (every organisation has its key in every
    configured locale): walking that join too made the count of a common search term twice as costly."""
    matching = _matching(filters)
    # A common term tests each organisation the count walks until it has found the cap's worth (10 ms at
    # 100 000, issue 12); the organisations whose name has it, read from the name's index, are fewer reads
    # and, when more than the cap of them meet the other filters, answer "more than" on their own.
    by_name = _matching(filters, by_name=True) if filters.q else None
    return paginate(_in_reader_order(matching, locale), per_page, counted=matching, some=by_name)


def _matching(filters: DirectoryFilters, by_name: bool = False):
    """The organisations matching the filters, in no particular order. ``by_name``: only those whose
    name contains the search term, read from the name's index (some of the matches, see directory_page)."""
    stmt = select(Organisation).options(*profile_options())
    if not filters.include_retired:
        stmt = stmt.where(Organisation.active.is_(True))
    if filters.q and by_name:
        stmt = index_matches(stmt, Organisation, filters.q, "name")
    elif filters.q:
        term = filters.q
        stmt = stmt.where(or_(column_matches(Organisation, term, "name"), text_matches(Organisation, term)))
    if filters.theme_id:
        kinds = [filters.theme_kind] if filters.theme_kind in (OFFERS, SEEKS) else [OFFERS, SEEKS]
        stmt = stmt.where(exists().where(OrganisationTheme.organisation_id == Organisation.id,
                                         OrganisationTheme.kind.in_(kinds),
                                         OrganisationTheme.theme_id == filters.theme_id))
    if filters.type:
        stmt = stmt.where(Organisation.type == filters.type)
    if filters.municipality_id:
        stmt = stmt.where(Organisation.municipality_id == filters.municipality_id)
    if filters.language:
        stmt = stmt.where(exists().where(OrganisationLanguage.organisation_id == Organisation.id,
                                         OrganisationLanguage.language == filters.language))
    return stmt


def _in_reader_order(stmt, locale: str):
    """``stmt`` sorted by name in the alphabet of ``locale``: walked in the order of the stored keys'
    (locale, key, organisation_id) index, so the first page costs the same at 100 and 100 000 profiles
    (issue 12). Every configured locale has its keys; any other falls back to the neutral key."""
    if locale not in keyed_locales():
        return stmt.order_by(Organisation.sort_name, Organisation.id)
    return (stmt.join(OrganisationSortKey, and_(OrganisationSortKey.organisation_id == Organisation.id,
                                                OrganisationSortKey.locale == locale))
            .order_by(OrganisationSortKey.key, OrganisationSortKey.organisation_id))


def get_organisation(organisation_id: int) -> Organisation | None:
    """One organisation with what its profile shows (contacts included; the template decides), or None."""
    return db.session.scalar(select(Organisation).where(Organisation.id == organisation_id)
                             .options(*profile_options(), selectinload(Organisation.contacts)))


def contacts_of(organisation_ids: list[int]) -> dict:
    """The first contact person of each of these organisations (callers pass only ids they may export)."""
    if not organisation_ids:
        return {}
    contacts = {}
    for contact in db.session.scalars(select(OrganisationContact).where(
            OrganisationContact.organisation_id.in_(organisation_ids)).order_by(OrganisationContact.id)):
        contacts.setdefault(contact.organisation_id, contact)
    return contacts


def own_active_organisations(municipality_id: int) -> list[Organisation]:
    """The municipality's active organisations by name (to express interest on behalf of one)."""
    return list(db.session.scalars(select(Organisation).where(Organisation.municipality_id == municipality_id,
                                                              Organisation.active.is_(True))
                                   .order_by(Organisation.sort_name, Organisation.id)))


def stale_organisations(municipality_id: int, today: dt.date | None = None, limit: int = 10):
    """(the first ``limit`` active organisations of the municipality not confirmed for 12 months, their count)."""
    today = today or utcnow().date()
    where = (Organisation.municipality_id == municipality_id, Organisation.active.is_(True),
             Organisation.last_confirmed_on < today - STALE_AFTER)
    rows = list(db.session.scalars(select(Organisation).where(*where)
                                   .order_by(Organisation.last_confirmed_on, Organisation.id).limit(limit)))
    count = db.session.scalar(select(func.count()).select_from(Organisation).where(*where))
    return rows, count



def person_contacts(key: str, municipality_id: int) -> list[OrganisationContact]:
    """The contact people with this name key on ``municipality_id``'s own organisations (a data subject's
    request: profiles are read by the whole network, but each municipality answers for its own)."""
    return list(db.session.scalars(
        select(OrganisationContact).join(OrganisationContact.organisation)
        .where(OrganisationContact.name_key == key, Organisation.municipality_id == municipality_id)
        .options(selectinload(OrganisationContact.organisation))
        .order_by(OrganisationContact.organisation_id, OrganisationContact.id)))
