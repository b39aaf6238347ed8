"""One person's data as a JSON document (the answer to a data subject's access request): every record
the municipality answers for, with a link to where it is shown."""
from __future__ import annotations

import datetime as dt

from flask_babel import get_locale

from exchange.privacy.queries import PersonRecords
from exchange.tenancy import current_municipality
from exchange.urls import absolute_url
from exchange.visits.display import visit_title


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _visit(visit) -> dict:
    return {"id": visit.id, "title": visit_title(visit), "address": absolute_url("tenant.visits.detail", visit_id=visit.id),
            "first_day": visit.start_date.isoformat(), "last_day": visit.end_date.isoformat(),
            "host": visit.host.name, "visiting": [m.name for m in visit.visitors]}


def _project(project) -> dict:
    return {"id": project.id, "title": project.display("title", str(get_locale())).text,
            "address": absolute_url("tenant.projects.detail", project_id=project.id)}


def person_data(name: str, found: PersonRecords) -> dict:
    """The document: the person's accounts, comments, visit participations and follow-ups, and the
    contact-person entries on projects and organisations."""
    return {
        "name": name.strip(),
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "exported_by_municipality": current_municipality().name,
        "accounts": [{"name": u.name, "email": u.email, "roles": sorted(r.value for r in u.roles),
                      "active": u.active, "created_at": _iso(u.created_at), "last_login_at": _iso(u.last_login_at)}
                     for u in found.accounts],
        "comments": [{"project": _project(c.project), "written_at": _iso(c.created_at), "language": c.source_locale("body"),
                      "text": c.body} for c in found.comments],
        "participations": [{"visit": _visit(p.visit), "name": p.name, "organisation": p.organisation,
                            "role": p.role, "municipality": p.municipality.name, "recorded_at": _iso(p.created_at)}
                           for p in found.participants],
        "follow_up_actions_owned": [{"visit": _visit(f.visit), "action": f.action, "owner": f.owner,
                                     "due_date": _iso(f.due_date), "status": f.status} for f in found.follow_ups],
        "project_contacts": [{"project": _project(c.project), "name": c.name, "role": c.role, "email": c.email,
                              "phone": c.phone} for c in found.project_contacts],
        "organisation_contacts": [{"organisation": c.organisation.name, "name": c.name, "role": c.role,
                                   "email": c.email, "phone": c.phone} for c in found.organisation_contacts],
    }
