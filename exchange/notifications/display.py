"""How a notification reads: a sentence in the reader's language, written when it is shown from the
objects loaded through the reader's own scope (``load``), and the link to its object.

The same sentence serves the notification centre (HTML, relative links) and the mails (plain text and
HTML, absolute links). User-written parts (a project's title, a follow-up action) keep the language they
are written in (``lang`` on their span). When what a notification is about can no longer be opened by
its reader, it says so and links nowhere.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from babel.lists import format_list
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from exchange.calls.models import FundingCall
from exchange.extensions import db
from exchange.i18n.formatting import language_name
from exchange.municipalities.models import Municipality
from exchange.notifications.models import Notification
from exchange.partners.models import Organisation, Partnership
from exchange.projects.models import Project, ProjectStatus, title_texts
from exchange.visits import permissions as visit_permissions
from exchange.visits.display import visit_title, visit_when
from exchange.visits.models import Visit


@dataclass(frozen=True)
class Part:
    """A piece of a sentence; ``lang`` when it is user content in a language of its own."""

    text: str
    lang: str | None = None


@dataclass(frozen=True)
class Line:
    """A notification as it reads: HTML and plain text, where it links (endpoint, its values, an anchor)
    and the group of a digest it belongs to (project or visit, its title, the title's language)."""

    html: Markup
    text: str
    link: tuple[str, dict, str | None] | None = None
    group: tuple[str, str, str | None] | None = None

    def url(self, build: Callable[..., str]) -> str | None:
        if self.link is None:
            return None
        endpoint, values, anchor = self.link
        return build(endpoint, **values) + (f"#{anchor}" if anchor else "")


def sentence(template: str, **parts: Part | str) -> tuple[Markup, str]:
    """Fill a translated template (a msgid's translation, placeholders intact) with parts: HTML with every
    part escaped (and marked with its own language), and plain text."""
    here = str(get_locale())
    parts = {k: p if isinstance(p, Part) else Part(str(p)) for k, p in parts.items()}
    html = escape(template) % {k: Markup('<span lang="{}">{}</span>').format(p.lang, p.text)
                               if p.lang and p.lang != here else p.text for k, p in parts.items()}
    return Markup(html), template % {k: p.text for k, p in parts.items()}


# --- what the notifications are about, as the reader sees it -----------------------------------------

@dataclass
class Loaded:
    projects: dict[int, Project]
    visits: dict[int, Visit]
    organisations: dict[int, Organisation]
    partnerships: dict[int, Partnership]
    municipalities: dict[int, Municipality]
    calls: dict = field(default_factory=dict)


def _by_id(stmt) -> dict:
    return {row.id: row for row in db.session.scalars(stmt)}


def load(notifications: list[Notification]) -> Loaded:
    """The objects of these notifications through the current municipality's scope: one query per kind
    of object, whatever the number of notifications (what is not visible is simply missing)."""
    def ids(attr: str, param: str | None = None) -> set[int]:
        found = {getattr(n, attr) for n in notifications if getattr(n, attr)} if attr else set()
        if param:
            found |= {n.params.get(param) for n in notifications if (n.params or {}).get(param)}
        return found

    project_ids, visit_ids = ids("project_id"), ids("visit_id")
    org_ids, link_ids = ids("organisation_id"), ids("", "partnership_id")
    call_ids = ids("", "call_id")
    return Loaded(
        projects=_by_id(select(Project).where(Project.id.in_(project_ids)).options(
            selectinload(title_texts()))) if project_ids else {},  # a line names the project
        visits=_by_id(select(Visit).where(Visit.id.in_(visit_ids)).options(
            selectinload(Visit.visiting_links), selectinload(Visit.follow_ups))) if visit_ids else {},
        organisations=_by_id(select(Organisation).where(Organisation.id.in_(org_ids))) if org_ids else {},
        partnerships=_by_id(select(Partnership).where(Partnership.id.in_(link_ids))) if link_ids else {},
        municipalities=_by_id(select(Municipality)),
        calls=_by_id(select(FundingCall).where(FundingCall.id.in_(call_ids)).options(
            selectinload(FundingCall.texts))) if call_ids else {},
    )


# --- the sentences -----------------------------------------------------------------------------

def _title(project: Project) -> Part:
    shown = project.display("title", str(get_locale()))
    return Part(shown.text, shown.lang)


def _group(project: Project) -> tuple[str, str, str]:
    title = _title(project)
    return "project", title.text, title.lang


def _town(loaded: Loaded, municipality_id) -> str:
    municipality = loaded.municipalities.get(municipality_id)
    return municipality.name if municipality else "?"


def _project_line(n, loaded, template: str, anchor: str | None = None, endpoint: str = "tenant.projects.detail",
                  **parts) -> Line | None:
    project = loaded.projects.get(n.project_id)
    if project is None:
        return None
    html, text = sentence(template, project=_title(project), **parts)
    return Line(html, text, (endpoint, {"project_id": project.id}, anchor), _group(project))


def _participation(n, loaded, accepted: str, declined: str, municipality_id) -> Line | None:
    return _project_line(n, loaded, accepted if n.params.get("accepted") else declined,
                         f"participation-{n.params.get('participation_id')}",
                         municipality=_town(loaded, municipality_id))


def _join_requested(n, loaded, reader):
    return _project_line(n, loaded, _("%(municipality)s asks to join the project %(project)s."),
                         f"participation-{n.params.get('participation_id')}",
                         municipality=_town(loaded, n.params.get("municipality_id")))


def _join_decided(n, loaded, reader):
    project = loaded.projects.get(n.project_id)
    return _participation(n, loaded, _("%(municipality)s has accepted your municipality's request to join "
                                       "the project %(project)s."),
                          _("%(municipality)s has declined your municipality's request to join the project "
                            "%(project)s."), project.lead_municipality_id if project else None)


def _invitation_received(n, loaded, reader):
    project = loaded.projects.get(n.project_id)
    return project and _project_line(
        n, loaded, _("%(municipality)s invites your municipality to take part in the project %(project)s."),
        f"participation-{n.params.get('participation_id')}", municipality=_town(loaded, project.lead_municipality_id))


def _invitation_answered(n, loaded, reader):
    return _participation(n, loaded, _("%(municipality)s has accepted the invitation to the project %(project)s."),
                          _("%(municipality)s has declined the invitation to the project %(project)s."),
                          n.params.get("municipality_id"))


def _status_changed(n, loaded, reader):
    status = ProjectStatus(n.params.get("to_status", "draft")).label
    return _project_line(n, loaded, _("The project %(project)s is now: %(status)s."), None, status=status)


def _commented(n, loaded, reader):
    return _project_line(n, loaded, _("%(person)s (%(municipality)s) has commented on the project %(project)s."),
                         f"comment-{n.params.get('comment_id')}", person=n.params.get("author") or "?",
                         municipality=_town(loaded, n.params.get("author_municipality_id")))


def _partnership(n, loaded, template: str, endpoint: str, values: Callable) -> Line | None:
    link = loaded.partnerships.get(n.params.get("partnership_id"))
    project = loaded.projects.get(n.project_id)
    if link is None or project is None:
        return None
    html, text = sentence(template, project=_title(project), organisation=link.organisation.name)
    return Line(html, text, (endpoint, values(link), None), _group(project))


def _organisation_invited(n, loaded, reader):
    return _partnership(n, loaded, _("%(organisation)s is invited to be a partner in the project %(project)s."),
                        "tenant.partners.answer", lambda link: {"partnership_id": link.id})


def _interest_expressed(n, loaded, reader):
    return _partnership(n, loaded, _("%(organisation)s would like to be a partner in the project %(project)s."),
                        "tenant.partners.answer", lambda link: {"partnership_id": link.id})


def _partnership_decided(n, loaded, reader):
    accepted, interest = bool(n.params.get("accepted")), n.params.get("was") == "interested"
    template = {
        (True, True): _("The project %(project)s has accepted %(organisation)s as a partner."),
        (False, True): _("The project %(project)s has declined the interest of %(organisation)s."),
        (True, False): _("%(organisation)s has accepted the invitation to the project %(project)s."),
        (False, False): _("%(organisation)s has declined the invitation to the project %(project)s."),
    }[(accepted, interest)]
    return _partnership(n, loaded, template, "tenant.partners.project", lambda link: {"project_id": link.project_id})


def _profile_stale(n, loaded, reader):
    org = loaded.organisations.get(n.organisation_id)
    if org is None:
        return None
    html, text = sentence(_("The profile of %(organisation)s has not been confirmed for 12 months: confirm it "
                            "or retire the organisation."), organisation=org.name)
    return Line(html, text, ("tenant.partners.profile", {"organisation_id": org.id}, None))


def _visit_line(n, loaded, reader, template: str, anchor: str | None = None, details: bool = False,
                **parts) -> Line | None:
    visit = loaded.visits.get(n.visit_id)
    if visit is None or (details and not visit_permissions.can_view_details(reader, visit)):
        return None
    follow_up = next((f for f in visit.follow_ups if f.id == n.params.get("follow_up_id")), None)
    if "%(action)s" in template and follow_up is None:
        return None
    if follow_up is not None:
        shown = follow_up.display("action", str(get_locale()))
        parts["action"] = Part(shown.text, shown.lang)
    html, text = sentence(template, visit=visit_title(visit), **parts)
    return Line(html, text, ("tenant.visits.detail", {"visit_id": visit.id}, anchor),
                ("visit", visit_title(visit), None))


def _visit_changed(n, loaded, reader):
    visit = loaded.visits.get(n.visit_id)
    template = (_("A visit has been logged: %(visit)s, %(when)s.") if n.params.get("logged")
                else _("A visit has been changed: %(visit)s (%(when)s)."))
    return visit and _visit_line(n, loaded, reader, template, when=visit_when(visit))


def _lessons_published(n, loaded, reader):
    return _visit_line(n, loaded, reader, _("Lessons learned have been published: %(visit)s."),
                       "lessons", details=True)


def _call_closing(n, loaded, reader):
    """A linked call closes soon: the call's title (in the language shown) and its deadline in the
    programme's own time zone."""
    from exchange.calls.display import closes
    call = loaded.calls.get(n.params.get("call_id"))
    if call is None:
        return None
    shown = call.display("title", str(get_locale()))
    return _project_line(n, loaded, _("The call %(call)s closes on %(date)s; %(project)s is linked to it."), "calls",
                         call=Part(shown.text, shown.lang), date=closes(call))


def _due(n) -> str:
    raw = n.params.get("due_date")
    return format_date(dt.date.fromisoformat(raw), "long") if raw else ""


def _follow_up_assigned(n, loaded, reader):
    return _visit_line(n, loaded, reader, _("A follow-up action after %(visit)s is yours: %(action)s"),
                       "follow-ups", details=True)


def _follow_up_due(n, loaded, reader):
    return _visit_line(n, loaded, reader, _("Due on %(date)s: %(action)s (%(visit)s)."), "follow-ups",
                       details=True, date=_due(n))


def _follow_up_overdue(n, loaded, reader):
    return _visit_line(n, loaded, reader, _("Overdue since %(date)s: %(action)s (%(visit)s)."),
                       "follow-ups", details=True, date=_due(n))


def _texts_waiting(n, loaded, reader):
    count = int(n.params.get("count") or 0)
    languages = format_list([language_name(code) for code in n.params.get("locales") or []], locale=get_locale())
    text = ngettext("%(num)d new or changed text is waiting for translation into %(languages)s.",
                    "%(num)d new or changed texts are waiting for translation into %(languages)s.", count,
                    languages=languages)
    return Line(escape(text), text, ("tenant.workbench.queue", {}, None))


DESCRIBE: dict[str, Callable] = {
    "project.join_requested": _join_requested, "project.join_decided": _join_decided,
    "project.invitation_received": _invitation_received, "project.invitation_answered": _invitation_answered,
    "project.status_changed": _status_changed, "project.commented": _commented,
    "project.call_closing": _call_closing,
    "partners.organisation_invited": _organisation_invited, "partners.interest_expressed": _interest_expressed,
    "partners.partnership_decided": _partnership_decided, "partners.profile_stale": _profile_stale,
    "visits.visit_changed": _visit_changed, "visits.lessons_published": _lessons_published,
    "visits.follow_up_assigned": _follow_up_assigned, "visits.follow_up_due": _follow_up_due,
    "visits.follow_up_overdue": _follow_up_overdue, "translations.texts_waiting": _texts_waiting,
}


def describe(n: Notification, loaded: Loaded, reader) -> Line:
    """The notification's sentence and link for ``reader`` (whose scope ``loaded`` was read in)."""
    line = DESCRIBE[n.type](n, loaded, reader) if n.type in DESCRIBE else None
    if not line:
        text = _("This notification is about something you can no longer open.")
        return Line(escape(text), text)
    return line
