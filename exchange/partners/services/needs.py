"""A project's partner needs: what kind of partner it is looking for (themes, types, where from, role)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale

from exchange.audit.services import record
from exchange.db import utcnow
from exchange.errors import Refusal
from exchange.extensions import db
from exchange.municipalities.models import Municipality
from exchange.partners.matching import is_eligible
from exchange.partners.models import Origin, PartnerNeed, PartnerNeedTheme, PartnerNeedType, PartnerRole
from exchange.partners.services.checks import check_themes, check_type, is_leader_project
from exchange.projects.models import CLOSED, Project, ProjectStatus
from exchange.rules import check_version


@dataclass
class NeedInput:
    role: str
    theme_ids: list[int]
    types: list[str]
    origin: str = Origin.ANY.value
    origin_municipality_id: int | None = None
    origin_country: str | None = None


def _check_open(project: Project) -> None:
    if ProjectStatus(project.status) in CLOSED:
        raise Refusal("project_closed")


def _choice(enum, value, field: str):
    try:
        return enum(value)
    except ValueError:
        raise Refusal("unknown_choice", field) from None


def _validate_need(project: Project, data: NeedInput) -> tuple[PartnerRole, Origin, set[int], set[str]]:
    role = _choice(PartnerRole, data.role, "role")
    themes = check_themes(data.theme_ids, "themes", required=True)
    if not data.types:
        raise Refusal("no_type", "types")
    types = {check_type(t, "types").value for t in data.types}
    leader = is_leader_project(project)
    if any(not is_eligible(t, leader) for t in types):
        raise Refusal("not_eligible", "types")
    origin = _choice(Origin, data.origin, "origin")
    if origin == Origin.MUNICIPALITY:
        if not data.origin_municipality_id or db.session.get(Municipality, data.origin_municipality_id) is None:
            raise Refusal("required", "origin_municipality")
    if origin == Origin.COUNTRY:
        code = (data.origin_country or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code) or code not in Locale("en").territories:
            raise Refusal("unknown_country", "origin_country")
    return role, origin, themes, types


def _write_need(need: PartnerNeed, data: NeedInput, role, origin, themes: set[int], types: set[str]) -> None:
    need.role = role.value
    need.origin = origin.value
    need.origin_municipality_id = data.origin_municipality_id if origin == Origin.MUNICIPALITY else None
    need.origin_country = (data.origin_country or "").strip().upper() if origin == Origin.COUNTRY else None
    for link in list(need.theme_links):
        if link.theme_id not in themes:
            need.theme_links.remove(link)
    present = {link.theme_id for link in need.theme_links}
    need.theme_links.extend(PartnerNeedTheme(theme_id=t) for t in sorted(themes - present))
    for row in list(need.type_rows):
        if row.type not in types:
            need.type_rows.remove(row)
    present_types = {row.type for row in need.type_rows}
    need.type_rows.extend(PartnerNeedType(type=t) for t in sorted(types - present_types))


def add_need(project: Project, user, data: NeedInput) -> PartnerNeed:
    """Say what kind of partner the project is looking for."""
    _check_open(project)
    role, origin, themes, types = _validate_need(project, data)
    need = PartnerNeed(project_id=project.id)
    _write_need(need, data, role, origin, themes, types)
    db.session.add(need)
    db.session.flush()
    record(user, "project.partner_need_add", project, need_id=need.id, role=need.role)
    return need


def update_need(need: PartnerNeed, user, data: NeedInput, expected_version: int | None = None) -> None:
    """Change a partner need; a stale version is refused (Conflict)."""
    check_version(need, expected_version)
    _check_open(need.project)
    role, origin, themes, types = _validate_need(need.project, data)
    _write_need(need, data, role, origin, themes, types)
    # Touch the row so every save bumps the version, even one that changes only child rows.
    need.updated_at = utcnow()
    db.session.flush()
    record(user, "project.partner_need_update", need.project, need_id=need.id)


def delete_need(need: PartnerNeed, user, expected_version: int | None = None) -> None:
    """Remove a partner need (the partnerships that named it keep their role)."""
    check_version(need, expected_version)
    project = need.project
    need_id = need.id
    db.session.delete(need)
    db.session.flush()
    record(user, "project.partner_need_delete", project, need_id=need_id)
