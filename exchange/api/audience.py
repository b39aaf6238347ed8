"""Who reads, and through which queries (DESIGN.md §4: every path obeys the same rules).

* The public (no token): exchange.cooperation.queries, the functions behind the public pages, with
  the public rule of each model and approved texts only.
* A municipality's own users (a valid token of theirs): the signed-in pages' own queries
  (exchange.projects.queries, exchange.visits.queries) in that municipality's scope, with the same
  permission predicates as the pages (a visit's purpose and lessons: visits.permissions.can_view_details
  for the token's owner). Every language version is listed with its status.

Resources under ``/municipalities/{slug}/`` are that municipality's: projects it leads or takes part in,
visits it hosted or made. Personal data is never part of any of them (exchange.cooperation.records).
"""
from __future__ import annotations

from dataclasses import dataclass

from exchange.cooperation import queries as public
from exchange.extensions import db
from exchange.i18n.locale import current_locale
from exchange.projects import queries as project_queries
from exchange.projects.models import Project
from exchange.visits import permissions as visit_permissions
from exchange.visits import queries as visit_queries
from exchange.visits.models import Visit


@dataclass(frozen=True)
class Audience:
    municipality: object
    user: object | None = None  # the token's owner; None: the public

    @property
    def is_public(self) -> bool:
        return self.user is None

    # --- projects ---

    def projects(self, status: str | None = None):
        """A select() of the municipality's projects this audience may read (id order is the caller's)."""
        if self.is_public:
            stmt = public.public_projects(self.municipality.id)
            return stmt.where(Project.status == status) if status else stmt
        filters = project_queries.ProjectFilters(municipality_id=self.municipality.id, status=status or "")
        return project_queries.filtered(filters, current_locale())

    def project(self, project_id: int) -> Project | None:
        if self.is_public:
            return public.public_project(project_id, self.municipality.id)
        found = project_queries.get_project(project_id)
        return found if found is not None and found.involves(self.municipality.id) else None

    # --- visits ---

    def visits(self):
        if self.is_public:
            return public.public_visits(self.municipality.id)
        return visit_queries.filtered_visits(visit_queries.VisitFilters(municipality_id=self.municipality.id)) \
            .options(*public.visit_options())

    def visit(self, visit_id: int) -> Visit | None:
        if self.is_public:
            return public.public_visit(visit_id, self.municipality.id)
        found = visit_queries.visit_detail(visit_id)
        return found if found is not None and found.involves_id(self.municipality.id) else None

    def visit_details(self, visit: Visit) -> bool:
        """Purpose, programme places and every version of the lessons: the pages' own predicate."""
        return not self.is_public and visit_permissions.can_view_details(self.user, visit)

    # --- the municipality ---

    def profile(self):
        return public.profile(self.municipality.id)


def page(stmt, model, after: int | None, limit: int) -> tuple[list, int | None]:
    """One page of ``stmt`` in descending id order after the cursor's id: (items, last id or None at the end)."""
    stmt = stmt.order_by(None).order_by(model.id.desc())
    if after is not None:
        stmt = stmt.where(model.id < after)
    items = list(db.session.scalars(stmt.limit(limit + 1)))
    more = len(items) > limit
    items = items[:limit]
    return items, (items[-1].id if more and items else None)

