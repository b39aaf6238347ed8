"""The reports' figures, kept as running counts (issue 12): see exchange.visits.tallies for why and how."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from exchange.db import Base
from exchange.tenancy import GLOBAL


class VisitTally(Base):
    """One running count of the visit reports: ``figure`` says which, the other key columns where it falls.

    * ``year``: visits per year (year, 0, 0), for the whole network (``viewer_id`` 0);
    * ``pair``: visits between two municipalities (0, lower id, higher id), network;
    * ``theme``: visits per theme (0, theme id, 0), network;
    * ``people``: participants per year and home municipality (year, municipality id, 0), one set per
      municipality that reads the visits' details (``viewer_id``: the host and each visitor);
    * ``people_town``: the same over all years (0, municipality id, 0): the report's top home municipalities;
    * ``follow_up``: follow-up actions (0, 0 open / 1 done / 2 overdue, 0), per reading municipality;
    * ``visits``: the visits a municipality hosts or visits, whatever their status and dates (0, 0, 0),
      per municipality: not a figure of the report, the size that chooses the shape of the statements over
      a municipality's visits (exchange.visits.queries.has_few_visits).

    Counts, never names or texts. Global (no tenancy column): the network's figures are public to the
    network, and each municipality's own rows are read only with its id, the SQL form of
    ``permissions.can_view_details`` (``permissions.details_municipality``).
    """

    __tablename__ = "visit_tallies"
    __tenancy__ = GLOBAL
    # the pairs and the home municipalities with the most, read from the top; then the years of those
    # home municipalities, without reading every municipality's (exchange.visits.tallies.report_counts)
    __table_args__ = (Index(None, "figure", "viewer_id", "n"), Index(None, "figure", "viewer_id", "a"))

    figure: Mapped[str] = mapped_column(String(12), primary_key=True)
    viewer_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    a: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    b: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int]


class VisitTallyDate(Base):
    """The day the running counts were brought up to (one row): a visit counts from its first day, a
    follow-up action is overdue from the day after it was due, so the counts hold as of this day."""

    __tablename__ = "visit_tally_dates"
    __tenancy__ = GLOBAL

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    as_of: Mapped[dt.date] = mapped_column(Date)
