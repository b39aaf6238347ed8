"""Knowledge-exchange visits between the twin towns (issue 5): the models, re-exported from
``visit`` (the visit and its links), ``children`` (programme, participants, costs, follow-ups) and
``settings`` (per-municipality settings, calendar feeds).

Visibility (DESIGN.md §3, §4, issue 5) – the choice made here
-------------------------------------------------------------
A visit is ``shared`` and its tenancy criterion is *true for every municipality of the network*: the
issue wants a third municipality to see **that a visit took place** (dates, municipalities, status,
themes, linked projects), in the list, the calendar and the reports, and a second "public" copy of the
row, or lifting the scope in web code, would be worse than one row everybody can see. The ORM scope
still applies (a query with no municipality set raises), and another network's visits would be
hidden by it.

Everything beyond that fact – purpose, programme, participants, costs, lessons learned and
follow-up actions – is decided by ``exchange.visits.permissions``:

* *details* (purpose, programme, costs, lessons, follow-ups, participant counts and organisations):
  signed-in users of the host and the visiting municipalities;
* *participant names*: coordinators and admins of those municipalities only;
* a third municipality sees neither participants nor costs nor the other details.

Reads that gather details across many visits (the lessons page, reports, CSV exports, the dashboard)
take the SQL form of that permission, ``permissions.details_clause(user)`` (or, for the rows of a
visit's children, ``details_visit_clause``), built from ``Visit.involves()`` in the shape
``queries.involving`` chooses for the municipality's number of visits; queries.py itself never filters
by municipality.

The owning municipality (``tenancy_owner``) is the one that *recorded* the visit, not the host: the
flush guard refuses rows owned by another municipality and forbids moving them, and the issue lets a
coordinator of a *visiting* municipality log the visit and correct its host.
"""
from __future__ import annotations

from exchange.visits.models.visit import (STATUS_LABELS, Visit, VisitMunicipality, VisitProject,  # isort: skip
                                          VisitStatus, VisitText, VisitTheme)
from exchange.visits.models.children import (COST_CATEGORY_LABELS, COST_MAX, FOLLOW_UP_STATUS_LABELS, AgendaItem,
                                             AgendaItemText, Cost, CostCategory, CostText, FollowUp, FollowUpStatus,
                                             FollowUpText, Participant, ParticipantText, person_key)
from exchange.visits.models.settings import DEFAULT_RETENTION_YEARS, CalendarFeed, VisitSettings
from exchange.visits.models.tallies import VisitTally, VisitTallyDate

__all__ = ["Visit", "VisitText", "VisitMunicipality", "AgendaItem", "Participant", "Cost", "FollowUp",
           "VisitTheme", "VisitProject", "VisitSettings", "CalendarFeed", "VisitStatus", "CostCategory",
           "FollowUpStatus", "person_key", "STATUS_LABELS", "COST_CATEGORY_LABELS", "FOLLOW_UP_STATUS_LABELS",
           "DEFAULT_RETENTION_YEARS", "COST_MAX", "VisitTally", "VisitTallyDate", "AgendaItemText", "ParticipantText",
           "FollowUpText", "CostText"]
