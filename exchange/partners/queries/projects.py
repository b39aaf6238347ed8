"""Reads of a project's partner side: the project, its needs, its partnerships, and the coordinators'
work lists (interests and invitations waiting for an answer).

Visibility is the tenancy scope's job: a project's needs and partnerships go with the project.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from exchange.extensions import db
from exchange.partners.models import PartnerNeed, Partnership, PartnershipStatus
from exchange.projects.models import OPEN_FOR_PARTNERS, Project, title_texts


def _link_options():
    """A partnership's project, with its texts, and need."""
    return selectinload(Partnership.project).selectinload(Project.texts), selectinload(Partnership.need)


def _work_list_options():
    """What a coordinator's work list (a dashboard panel) shows of a link: its organisation (joined by the
    model) and its project's title. The link's own texts (its message) are read only if something asks:
    the model loads them with every link otherwise, one more statement per list (issue 12)."""
    return selectinload(Partnership.project).selectinload(title_texts()), lazyload(Partnership.texts)


def partnerships_of_project(project_id: int) -> list[Partnership]:
    """Every partnership of the project (partners, pending and declined), oldest first."""
    return list(db.session.scalars(select(Partnership).where(Partnership.project_id == project_id)
                                   .options(selectinload(Partnership.need))
                                   .order_by(Partnership.created_at, Partnership.id)))


def partnerships_of_organisation(organisation_id: int) -> list[Partnership]:
    """The projects the organisation is a partner of, invited to or interested in (that the reader sees)."""
    return list(db.session.scalars(select(Partnership).join(Partnership.project)
                                   .where(Partnership.organisation_id == organisation_id)
                                   .options(*_link_options())
                                   .order_by(Partnership.created_at.desc(), Partnership.id.desc())))


def get_partnership(partnership_id: int) -> Partnership | None:
    return db.session.scalar(select(Partnership).where(Partnership.id == partnership_id).options(*_link_options()))


def interests_to_answer(lead_municipality_id: int, limit: int | None = None) -> list[Partnership]:
    """Expressions of interest in projects led by the municipality, waiting for its coordinators, oldest
    first (the first ``limit``)."""
    return list(db.session.scalars(
        select(Partnership).join(Partnership.project)
        .where(Partnership.lead_municipality_id == lead_municipality_id,  # the copy: one index's order
               Partnership.status == PartnershipStatus.INTERESTED.value,
               Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]))
        .options(*_work_list_options()).order_by(Partnership.created_at, Partnership.id).limit(limit)))


def invitations_to_answer(municipality_id: int, limit: int | None = None) -> list[Partnership]:
    """Invitations to the municipality's organisations, waiting for its coordinators, oldest first (the
    first ``limit``)."""
    return list(db.session.scalars(
        select(Partnership).join(Partnership.project)
        .where(Partnership.organisation_municipality_id == municipality_id,  # the copy: one index's order
               Partnership.status == PartnershipStatus.INVITED.value,
               Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]))
        .options(*_work_list_options()).order_by(Partnership.created_at, Partnership.id).limit(limit)))


def need_options() -> tuple:
    return selectinload(PartnerNeed.theme_links), selectinload(PartnerNeed.type_rows)


def needs_of_project(project_id: int) -> list[PartnerNeed]:
    """The project's partner needs, in the order they were listed (ties in matching go to the first)."""
    return list(db.session.scalars(select(PartnerNeed).where(PartnerNeed.project_id == project_id)
                                   .options(*need_options()).order_by(PartnerNeed.id)))


def get_need(need_id: int) -> PartnerNeed | None:
    return db.session.scalar(select(PartnerNeed).where(PartnerNeed.id == need_id).options(*need_options()))


def project_options() -> tuple:
    """What partner pages and matching read of a project, loaded in a fixed number of queries."""
    return (selectinload(Project.texts), selectinload(Project.theme_links), selectinload(Project.funding_lines),
            selectinload(Project.participations))


def get_project(project_id: int) -> Project | None:
    """The project (if the reader's municipality sees it) with what partner pages use."""
    return db.session.scalar(select(Project).where(Project.id == project_id).options(*project_options()))


def open_projects_led_by(municipality_id: int, limit: int = 10) -> list[Project]:
    """The municipality's own projects that are open for partners, most recently changed first."""
    return list(db.session.scalars(select(Project).where(Project.lead_municipality_id == municipality_id,
                                                         Project.status.in_([s.value for s in OPEN_FOR_PARTNERS]))
                                   .options(selectinload(title_texts()))  # the panel shows their titles
                                   .order_by(Project.updated_at.desc(), Project.id.desc()).limit(limit)))
