"""The declarative base: naming convention, shared column types and the tenancy classification.

Every mapped class declares ``__tenancy__`` (see exchange.tenancy); tests/test_tenancy.py fails for a
model that does not, so a new table cannot slip past the municipality scope unclassified.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from sqlalchemy import DateTime, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

str40 = Annotated[str, 40]
str120 = Annotated[str, 120]
str255 = Annotated[str, 255]


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; stored values are always UTC."""
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={
            str40: String(40),
            str120: String(120),
            str255: String(255),
            dt.datetime: DateTime(timezone=True),
        },
    )
    # One of "global", "tenant", "shared", "child"; see exchange.tenancy.
    __tenancy__: ClassVar[str]


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
