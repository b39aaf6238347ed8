"""The shared mechanism for content written by users, in several languages (DESIGN.md §5).

Every domain with translatable texts (projects, partners, visits) gets one small *text table*, a child of
its owner, built from ``ContentTextMixin``: one row per (owner, field, locale). The row in the language
the author wrote is the *source*; the others are translations with a status. No row means "missing".
The owner model mixes in ``Translatable`` and names its fields in ``TRANSLATABLE_FIELDS`` (plus
``EXTRA_TEXT_FIELDS`` written outside its main form, and ``OPTIONAL_FIELDS`` whose translation is optional:
comments, join messages). A small text of a child row (a milestone's title, a programme item, a contact's
role) is an owner of its own, ``ChildContent``, read wherever its parent's texts are read.

Who made a translation is stored as a name and a municipality id rather than only a user id: users are
tenant-owned, and a translator of Perano must be credited on a page that Kungälv reads.
"""
from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, String, Text, event, select, true
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import True_

from exchange.db import Versioned, utcnow
from exchange.listparams import among_selected


class ContentStatus(str, enum.Enum):
    SOURCE = "source"
    TRANSLATED = "translated"
    APPROVED = "approved"
    OUTDATED = "outdated"
    MISSING = "missing"  # never stored: the absence of a row

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


# The versions of a text that may be shown to the public: the original and approved translations.
PUBLISHED_STATUSES = (ContentStatus.SOURCE.value, ContentStatus.APPROVED.value)

STATUS_LABELS = {
    ContentStatus.SOURCE: _l("original"),
    ContentStatus.TRANSLATED: _l("translated"),
    ContentStatus.APPROVED: _l("approved"),
    ContentStatus.OUTDATED: _l("outdated"),
    ContentStatus.MISSING: _l("missing"),
}


class ContentTextMixin(Versioned):
    """Columns of a per-domain text table. The subclass adds the owner foreign key, a relationship
    called ``owner`` and a unique constraint on (owner id, field, locale)."""

    __tenancy__ = "child"
    tenancy_parent: ClassVar[str] = "owner"

    id: Mapped[int] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12))
    # The source text a translation was made from: shows what changed when it becomes outdated.
    source_snapshot: Mapped[str | None] = mapped_column(Text)
    updated_by_name: Mapped[str | None] = mapped_column(String(120))
    updated_by_municipality_id: Mapped[int | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def is_source(self) -> bool:
        return self.status == ContentStatus.SOURCE.value


# The translators' queue walks the source texts of every text table oldest first and stops at a limit
# (exchange.workbench.queue): each table gets the (status, updated_at, id) index that order reads, those
# that do not declare it themselves (a comment or a milestone table is as likely to grow as a project's).
QUEUE_INDEX_COLUMNS = ("status", "updated_at", "id")


@event.listens_for(ContentTextMixin, "after_mapper_constructed", propagate=True)
def _queue_index(mapper, cls) -> None:
    table = mapper.local_table
    if not any(tuple(index.columns.keys()) == QUEUE_INDEX_COLUMNS for index in table.indexes):
        Index(None, *(table.c[name] for name in QUEUE_INDEX_COLUMNS))


@dataclass(frozen=True)
class DisplayText:
    """What a reader sees for one field: the text, the language it is really in, and why."""

    text: str
    lang: str
    requested: str
    status: ContentStatus
    source_lang: str | None

    @property
    def is_fallback(self) -> bool:
        """True when the reader's language is missing and the original is shown instead."""
        return self.lang != self.requested

    @property
    def is_outdated(self) -> bool:
        return self.status == ContentStatus.OUTDATED

    @property
    def is_translation(self) -> bool:
        """A translation into the reader's language is shown (approved, not yet approved or outdated)."""
        return self.status in (ContentStatus.TRANSLATED, ContentStatus.APPROVED, ContentStatus.OUTDATED)

    @property
    def is_approved(self) -> bool:
        return self.status == ContentStatus.APPROVED


class Translatable:
    """Mixin for owners of translatable fields. Subclasses define ``texts`` (the relationship to their
    text table, loaded with selectinload in listings) and ``TRANSLATABLE_FIELDS``."""

    TRANSLATABLE_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Fields written outside the owner's main form (a project's sustainability rationales, edited with
    # its structure): translatable like the others, but not among the texts its form edits per language.
    EXTRA_TEXT_FIELDS: ClassVar[tuple[str, ...]] = ()
    # Fields whose translation is welcome but optional (comments, join messages): the translators' queue
    # lists them after everything else and says so.
    OPTIONAL_FIELDS: ClassVar[tuple[str, ...]] = ()
    # The field lists are sorted by (a project's title): the owner then has a ``sort_keys`` collection of
    # per-locale keys, kept by the content services (exchange.i18n.sorting).
    SORT_FIELD: ClassVar[str | None] = None

    @classmethod
    def text_fields(cls) -> tuple[str, ...]:
        """Every translatable field of the owner."""
        return cls.TRANSLATABLE_FIELDS + cls.EXTRA_TEXT_FIELDS

    # --- who may read the texts: one predicate per owner model, used by every path --------------------
    # The ORM scope already limits every query to the rows a municipality may see. An owner whose page
    # shows its translatable texts to fewer municipalities than may see the row (a visit: everybody sees
    # that it took place, only the host and the visitors read its purpose) narrows both forms below, and
    # every reader of the texts outside the owner's page (the translators' queue and editor, exports…)
    # asks them. Visibility, not permission: who may *edit* is still the permissions' question.

    @classmethod
    def content_readable_criteria(cls, municipality_id: int):
        """SQL: the owners whose texts users of ``municipality_id`` may read, within the model's normal
        scope (which the ORM adds anyway). Default: all of them."""
        return true()

    @classmethod
    def content_readable_ids(cls, municipality_id: int):
        """A select of the ids of the owners ``content_readable_criteria`` lets through, when the reader
        reads few of many (a small town's visits) and a list of texts should start from them rather than
        test the owner of every text it walks; None otherwise (default)."""
        return None

    @classmethod
    def content_reading_shape(cls, municipality_id: int):
        """What the shape of the two forms above depends on besides the municipality (a visit's: whether
        the municipality has few visits), for a statement built from them and kept: it is kept for one
        shape, and built anew when the municipality's visits outgrow it. None by default."""
        return None

    def content_readable_by(self, municipality_id: int | None) -> bool:
        """The Python form of ``content_readable_criteria`` for one loaded owner (default: True)."""
        return True

    def source_text(self, field: str) -> str:
        """The original text of ``field`` ("" when there is none): what the author wrote, for the readers
        that always show the original (the author's own exports, audit details, sorting)."""
        row = self.source_row(field)
        return row.text if row else ""

    def text_rows(self, field: str) -> dict[str, ContentTextMixin]:
        return {row.locale: row for row in self.texts if row.field == field}

    def source_row(self, field: str) -> ContentTextMixin | None:
        return next((r for r in self.texts if r.field == field and r.is_source), None)

    def source_locale(self, field: str | None = None) -> str | None:
        row = self.source_row(field or self.TRANSLATABLE_FIELDS[0])
        return row.locale if row else None

    def display(self, field: str, locale: str, approved_only: bool = False) -> DisplayText:
        """The text for a reader of ``locale``: their language when it exists (a translation, even an
        outdated one, which is then marked), otherwise the original. Never raises for a missing field.

        ``approved_only`` (the public pages, open data, the API's anonymous requests): only the original
        and approved translations count; a translation not approved yet, or outdated, is not shown."""
        rows = self.text_rows(field)
        if approved_only:
            rows = {locale_: row for locale_, row in rows.items() if row.status in PUBLISHED_STATUSES}
        source = next((r for r in rows.values() if r.is_source), None)
        own = rows.get(locale)
        if own is not None and (own.text or source is None):
            return DisplayText(own.text, locale, locale, ContentStatus(own.status),
                               source.locale if source else None)
        if source is not None:
            return DisplayText(source.text, source.locale, locale, ContentStatus.MISSING, source.locale)
        return DisplayText("", locale, locale, ContentStatus.MISSING, None)

    def status_of(self, field: str, locale: str) -> ContentStatus:
        row = self.text_rows(field).get(locale)
        return ContentStatus(row.status) if row else ContentStatus.MISSING

    def plain(self, field: str, locale: str, approved_only: bool = False) -> str:
        """The display text only (for CSV, sorting, <title>)."""
        return self.display(field, locale, approved_only).text

    def versions(self, field: str, locales, approved_only: bool = False) -> list[dict]:
        """Every language version of ``field`` in ``locales`` (and the original's, when it is in another
        language) with its status: ``[{"locale", "text", "status"}]``; a missing one has text None.
        ``approved_only``: a version not approved (translated, outdated) counts as missing."""
        rows = self.text_rows(field)
        wanted = list(dict.fromkeys([*(r.locale for r in rows.values() if r.is_source), *locales]))
        result = []
        for locale in wanted:
            row = rows.get(locale)
            if row is None or (approved_only and row.status not in PUBLISHED_STATUSES):
                result.append({"locale": locale, "text": None, "status": ContentStatus.MISSING.value})
            else:
                result.append({"locale": locale, "text": row.text, "status": row.status})
        return result


class ChildContent(Translatable):
    """An owner of texts that hangs off another owner (a milestone of a project, a programme item of a
    visit): its texts are read exactly where its parent's are. ``content_parent`` names the relationship
    to the parent, which is itself ``Translatable``."""

    content_parent: ClassVar[str]

    @classmethod
    def content_readable_criteria(cls, municipality_id: int):
        relationship = getattr(cls, cls.content_parent)
        criteria = relationship.property.mapper.class_.content_readable_criteria(municipality_id)
        return criteria if isinstance(criteria, True_) else relationship.has(criteria)

    @classmethod
    def content_readable_ids(cls, municipality_id: int):
        relationship = getattr(cls, cls.content_parent)
        parents = relationship.property.mapper.class_.content_readable_ids(municipality_id)
        if parents is None:
            return None
        (parent_key,) = relationship.property.local_columns  # the child's column naming its parent
        return select(cls.id).where(among_selected(parent_key, parents))

    @classmethod
    def content_reading_shape(cls, municipality_id: int):
        return getattr(cls, cls.content_parent).property.mapper.class_.content_reading_shape(municipality_id)

    def content_readable_by(self, municipality_id: int | None) -> bool:
        return getattr(self, self.content_parent).content_readable_by(municipality_id)
