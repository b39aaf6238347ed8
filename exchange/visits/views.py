"""Knowledge-exchange visits: list, calendar, detail, forms, .ics and feed, lessons, reports, personal data.

Each view: load (scoped, 404) → permission (403) → validate → one service call → commit → flash →
redirect. A refused form is rendered again with the errors beside the fields and HTTP 422.
"""
from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import json
import zoneinfo

from babel.dates import format_time, get_day_names, get_month_names
from babel.lists import format_list
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from exchange.dashboard import dashboard_panel, nav_item
from exchange.extensions import db
from exchange.tenancy import current_municipality
from exchange.visits import permissions, queries, reports, services
from exchange.visits.calendar import calendar_bytes
from exchange.visits.forms import (AgendaItemForm, ConfirmForm, CostForm, FilterForm, FollowUpForm, LessonsForm,
                                   LessonsSearchForm, ParticipantForm, PersonForm, RetentionForm, VisitForm,
                                   allowed_currencies)
from exchange.visits.models import AgendaItem, Cost, FollowUp, Participant, Visit, VisitStatus
from exchange.visits.services import VisitConflict, VisitError
from exchange.views import child_or_404, found_or_404, require

bp = Blueprint("visits", __name__, url_prefix="/visits")

nav_item("tenant.visits.index", _l("Visits"), permissions.can_view_visits)


def locale() -> str:
    return str(get_locale())


def today() -> dt.date:
    """Today in the current municipality's time zone (what "overdue" means to its coordinators)."""
    municipality = current_municipality()
    zone = zoneinfo.ZoneInfo(municipality.timezone) if municipality else dt.timezone.utc
    return dt.datetime.now(zone).date()


def error_message(code: str) -> str:
    """The translated text for a refused visit operation."""
    return {
        "required": _("This field is required."),
        "too_long": _("This text is too long."),
        "control_characters": _("Remove the invisible control characters from this text."),
        "invalid_choice": _("Choose one of the offered options."),
        "date_out_of_range": _("Enter a date between the years %(first)d and %(last)d.",
                               first=services.MIN_YEAR, last=services.MAX_YEAR),
        "end_before_start": _("The visit cannot end before it starts."),
        "end_time_without_start": _("Give a start time too, or leave both times empty."),
        "too_long_visit": _("A visit can last at most %(days)d days.", days=services.MAX_VISIT_DAYS),
        "host_is_visitor": _("The host cannot also be a visitor."),
        "no_visitors": _("Choose at least one visiting municipality."),
        "own_municipality_missing": _("Your municipality must be the host or one of the visitors."),
        "participants_outside": _("Some participants come from a municipality you removed. Remove those "
                                  "participants first."),
        "day_outside_visit": _("Choose a day of the visit."),
        "participant_municipality": _("The participant must come from the host or a visiting municipality."),
        "payer_municipality": _("The cost must be paid by the host or a visiting municipality."),
        "invalid_amount": _("Enter an amount such as 1250.50."),
        "negative_amount": _("The amount cannot be negative."),
        "amount_too_large": _("The amount is too large."),
        "funding_currency": _("The funding line is in another currency than the cost."),
        "invalid_retention": _("Enter a whole number of years from %(low)d to %(high)d.",
                               low=services.RETENTION_RANGE[0], high=services.RETENTION_RANGE[1]),
        "unknown_locale": _("Choose one of the offered languages."),
        "same_as_source": _("Choose one of the offered languages."),
        "no_source": _("This field is required."),
        "empty_translation": _("This field is required."),
        "conflict": _("Someone else saved this visit while you were editing it. Your changes have not been "
                      "saved: they are still in the form below. Compare them with the saved version, then "
                      "save again."),
    }.get(code, _("The data could not be saved."))


def place_error(form, exc: VisitError, mapping: dict[str, str] | None = None) -> None:
    """Put a service error beside the field it belongs to (or above the form)."""
    name = (mapping or {}).get(exc.field, exc.field)
    if name and name in form:
        form[name].errors = list(form[name].errors) + [error_message(exc.code)]
    else:
        form.form_errors.append(error_message(exc.code))


# --- helpers for templates -----------------------------------------------------------------------

def visit_title(visit: Visit) -> str:
    """"Kungälv and Hiddenhausen visit Perano" in the reader's language."""
    visitors = format_list([m.name for m in visit.visitors], locale=get_locale()) if visit.visiting_links else "?"
    return _("%(visitors)s visiting %(host)s", visitors=visitors, host=visit.host.name)


def time_text(value: dt.time | None) -> str:
    return format_time(value, "short", locale=get_locale()) if value else ""


def visit_when(visit: Visit) -> str:
    """The dates (and times) of a visit in the reader's language; times are the host's local times."""
    start = format_date(visit.start_date, "long")
    if visit.start_time:
        start = _("%(date)s, %(time)s", date=start, time=time_text(visit.start_time))
    if visit.end_date == visit.start_date:
        if visit.end_time:
            return _("%(start)s–%(end)s", start=start, end=time_text(visit.end_time))
        return start
    end = format_date(visit.end_date, "long")
    if visit.end_time:
        end = _("%(date)s, %(time)s", date=end, time=time_text(visit.end_time))
    return _("%(start)s – %(end)s", start=start, end=end)


@bp.app_context_processor
def _template_helpers():
    return {"visit_title": visit_title, "visit_when": visit_when, "time_text": time_text,
            "visit_permissions": permissions, "visit_today": today}


# --- loading -------------------------------------------------------------------------------------

def _visit_or_404(visit_id: int) -> Visit:
    return found_or_404(queries.visit_detail(visit_id))


def _form_sources(visit: Visit | None = None):
    from exchange.projects.models import Project
    from exchange.themes.queries import active_themes
    municipalities = queries.municipalities()
    themes = active_themes(locale())
    linked = {link.project_id for link in visit.project_links} if visit else set()
    projects = queries.linkable_projects(linked)
    return municipalities, themes, projects, Project


# --- list, calendar, detail ----------------------------------------------------------------------

@bp.route("/")
@login_required
def index():
    require(permissions.can_view_visits(current_user))
    from exchange.themes.queries import active_themes
    municipalities = queries.municipalities()
    form = FilterForm(request.args, queries.years(), municipalities, active_themes(locale()),
                      queries.linkable_projects(), locale())
    filters = queries.VisitFilters(
        year=_int(form.value("year")), municipality_id=_int(form.value("municipality")),
        pair=_pair(form.value("pair")), theme_id=_int(form.value("theme")), status=form.value("status"),
        project_id=_int(form.value("project")))
    page = db.paginate(queries.filtered_visits(filters), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("visits/index.html", page=page, form=form, filter_args=filters.as_args(),
                           filtered=bool(filters.as_args()))


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _pair(value) -> tuple[int, int] | None:
    if not value:
        return None
    first, _sep, second = value.partition("-")
    a, b = _int(first), _int(second)
    return (a, b) if a and b else None


@bp.route("/calendar")
@login_required
def month():
    require(permissions.can_view_visits(current_user))
    current = today()
    year = _int(request.args.get("year")) or current.year
    number = _int(request.args.get("month")) or current.month
    if not (services.MIN_YEAR <= year <= services.MAX_YEAR and 1 <= number <= 12):
        year, number = current.year, current.month
    first = dt.date(year, number, 1)
    last = dt.date(year, number, pycalendar.monthrange(year, number)[1])
    week_start = get_locale().first_week_day  # 0 = Monday
    grid_start = first - dt.timedelta(days=(first.weekday() - week_start) % 7)
    grid_end = last + dt.timedelta(days=(week_start - last.weekday() - 1) % 7)
    visits = queries.visits_between(grid_start, grid_end)
    weeks, day = [], grid_start
    while day <= grid_end:
        week = []
        for _n in range(7):
            week.append({"date": day, "in_month": day.month == number, "today": day == current,
                         "visits": [v for v in visits if v.start_date <= day <= v.end_date]})
            day += dt.timedelta(days=1)
        weeks.append(week)
    wide = get_day_names("wide", locale=get_locale())
    short = get_day_names("abbreviated", locale=get_locale())
    day_names = [(wide[(week_start + i) % 7], short[(week_start + i) % 7]) for i in range(7)]
    previous = first - dt.timedelta(days=1)
    following = last + dt.timedelta(days=1)
    return render_template(
        "visits/calendar.html", weeks=weeks, day_names=day_names, first=first,
        month_name=_("%(month)s %(year)d", month=get_month_names("wide", context="stand-alone",
                                                                     locale=get_locale())[number], year=year),
        previous=previous, following=following, visits=[v for v in visits if v.start_date <= last
                                                        and v.end_date >= first])


@bp.route("/<int:visit_id>")
@login_required
def detail(visit_id: int):
    visit = _visit_or_404(visit_id)
    require(permissions.can_view_visits(current_user))
    return _render_detail(visit)


def _render_detail(visit: Visit, status: int = 200, **forms):
    editable = permissions.can_edit_visit(current_user, visit)
    context = {"visit": visit, "editable": editable, "confirm_form": ConfirmForm()}
    if editable:
        municipalities = sorted([visit.host, *visit.visitors], key=lambda m: m.name)
        context.update(
            agenda_form=forms.get("agenda_form") or AgendaItemForm(formdata=None, day=visit.start_date),
            participant_form=forms.get("participant_form") or ParticipantForm(
                municipalities, formdata=None, municipality_id=str(current_user.municipality_id)),
            cost_form=forms.get("cost_form") or _cost_form(visit, formdata=None),
            follow_up_form=forms.get("follow_up_form") or FollowUpForm(formdata=None))
    return render_template("visits/detail.html", **context), status


def _cost_form(visit: Visit, **kwargs) -> CostForm:
    municipalities = sorted([visit.host, *visit.visitors], key=lambda m: m.name)
    lines = []
    for project in visit.projects:
        for line in project.funding_lines:
            lines.append((line.id, _("%(project)s: %(source)s, %(currency)s", project=project.plain("title", locale()),
                                     source=line.source_enum.label, currency=line.currency)))
    defaults = {"currency": current_municipality().currency, "municipality_id": str(current_user.municipality_id)}
    if kwargs.get("formdata", True) is None:
        kwargs.update(defaults)
    return CostForm(municipalities, allowed_currencies(queries.municipalities()), lines, **kwargs)


# --- creating and editing ------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(permissions.can_create_visit(current_user))
    municipalities, themes, projects, _project = _form_sources()
    defaults = {"host_id": str(current_user.municipality_id), "status": VisitStatus.PLANNED.value,
                "purpose_locale": locale(), "version": "0"}
    form = VisitForm(municipalities, themes, projects, locale(), data=defaults if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            visit = services.create_visit(form.to_data(), current_user)
        except VisitError as exc:
            db.session.rollback()
            place_error(form, exc)
        else:
            db.session.commit()
            flash(_("The visit has been saved. Add the programme, participants and costs below."), "success")
            return redirect(url_for(".detail", visit_id=visit.id))
    return render_template("visits/form.html", form=form, visit=None), 422 if form.errors or form.form_errors else 200


@bp.route("/<int:visit_id>/edit", methods=["GET", "POST"])
@login_required
def edit(visit_id: int):
    visit = _visit_or_404(visit_id)
    require(permissions.can_edit_visit(current_user, visit))
    municipalities, themes, projects, _project = _form_sources(visit)
    if request.method == "GET":
        purpose = visit.source_row("purpose")
        data = {"host_id": str(visit.host_municipality_id), "visiting_ids": [str(i) for i in sorted(visit.visiting_ids)],
                "start_date": visit.start_date, "start_time": visit.start_time, "end_date": visit.end_date,
                "end_time": visit.end_time, "status": visit.status,
                "purpose_locale": purpose.locale if purpose else locale(), "purpose": purpose.text if purpose else "",
                "theme_ids": [str(link.theme_id) for link in visit.theme_links],
                "project_ids": [str(link.project_id) for link in visit.project_links], "version": str(visit.version)}
        form = VisitForm(municipalities, themes, projects, locale(), data=data)
    else:
        form = VisitForm(municipalities, themes, projects, locale())
    conflict = False
    if form.validate_on_submit():
        try:
            services.update_visit(visit, form.to_data(), form.expected_version(), current_user)
        except VisitConflict:
            conflict = True
        except VisitError as exc:
            db.session.rollback()
            place_error(form, exc)
        else:
            db.session.commit()
            flash(_("The visit has been saved."), "success")
            return redirect(url_for(".detail", visit_id=visit.id))
    if conflict:
        # Keep the user's input; show what is saved now; the next save (deliberately) uses the new version.
        db.session.rollback()
        visit = _visit_or_404(visit_id)
        form.version.data = str(visit.version)
        form.form_errors.append(error_message("conflict"))
        return render_template("visits/form.html", form=form, visit=visit, saved=visit), 409
    return render_template("visits/form.html", form=form, visit=visit), 422 if form.errors or form.form_errors else 200


@bp.route("/<int:visit_id>/lessons", methods=["GET", "POST"])
@login_required
def lessons_edit(visit_id: int):
    visit = _visit_or_404(visit_id)
    require(permissions.can_edit_visit(current_user, visit))
    if request.method == "GET":
        row = visit.source_row("lessons")
        form = LessonsForm(data={"language": row.locale if row else locale(), "lessons": row.text if row else "",
                                 "version": str(visit.version)})
    else:
        form = LessonsForm()
    if form.validate_on_submit():
        try:
            services.set_lessons(visit, form.lessons.data, form.language.data, form.expected_version(), current_user)
        except VisitConflict:
            db.session.rollback()
            visit = _visit_or_404(visit_id)
            form.version.data = str(visit.version)
            form.form_errors.append(error_message("conflict"))
            return render_template("visits/lessons_form.html", form=form, visit=visit, saved=visit), 409
        except VisitError as exc:
            db.session.rollback()
            place_error(form, exc)
        else:
            db.session.commit()
            flash(_("The lessons learned have been saved."), "success")
            return redirect(url_for(".detail", visit_id=visit.id, _anchor="lessons"))
    return (render_template("visits/lessons_form.html", form=form, visit=visit),
            422 if form.errors or form.form_errors else 200)


@bp.route("/<int:visit_id>/delete", methods=["GET", "POST"])
@login_required
def delete(visit_id: int):
    visit = _visit_or_404(visit_id)
    require(permissions.can_edit_visit(current_user, visit))
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_visit(visit, current_user)
        db.session.commit()
        flash(_("The visit has been deleted."), "success")
        return redirect(url_for(".index"))
    return render_template("visits/confirm_delete.html", visit=visit, form=form)


# --- programme, participants, costs, follow-ups --------------------------------------------------

def _child_post(visit_id: int, form_name: str, make_form, save, message: str, anchor: str):
    """The shared shape of the add-something forms on the detail page."""
    visit = _visit_or_404(visit_id)
    require(permissions.can_edit_visit(current_user, visit))
    form = make_form(visit)
    if form.validate_on_submit():
        try:
            save(visit, form)
        except VisitError as exc:
            db.session.rollback()
            visit = _visit_or_404(visit_id)
            place_error(form, exc)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".detail", visit_id=visit.id, _anchor=anchor))
    return _render_detail(visit, 422, **{form_name: form})


@bp.route("/<int:visit_id>/agenda", methods=["POST"])
@login_required
def add_agenda_item(visit_id: int):
    return _child_post(
        visit_id, "agenda_form", lambda visit: AgendaItemForm(),
        lambda visit, form: services.add_agenda_item(visit, form.day.data, form.title.data, form.location.data,
                                                     locale(), current_user, start_time=form.start_time.data,
                                                     end_time=form.end_time.data),
        _("The programme item has been added."), "programme")


@bp.route("/<int:visit_id>/participants", methods=["POST"])
@login_required
def add_participant(visit_id: int):
    return _child_post(
        visit_id, "participant_form",
        lambda visit: ParticipantForm(sorted([visit.host, *visit.visitors], key=lambda m: m.name)),
        lambda visit, form: services.add_participant(visit, form.municipality_id.data, form.name.data,
                                                     form.organisation.data, form.role.data, current_user),
        _("The participant has been added."), "participants")


@bp.route("/<int:visit_id>/costs", methods=["POST"])
@login_required
def add_cost(visit_id: int):
    return _child_post(
        visit_id, "cost_form", lambda visit: _cost_form(visit),
        lambda visit, form: services.add_cost(visit, form.municipality_id.data, form.category.data, form.amount.data,
                                              form.currency.data, form.note.data, current_user,
                                              funding_line_id=_int(form.funding_line_id.data)),
        _("The cost has been added."), "costs")


@bp.route("/<int:visit_id>/follow-ups", methods=["POST"])
@login_required
def add_follow_up(visit_id: int):
    return _child_post(
        visit_id, "follow_up_form", lambda visit: FollowUpForm(),
        lambda visit, form: services.add_follow_up(visit, form.action.data, form.owner.data, form.due_date.data,
                                                   locale(), current_user),
        _("The follow-up action has been added."), "follow-ups")


_REMOVABLE = {
    "agenda": (AgendaItem, services.remove_agenda_item, _l("The programme item has been removed."), "programme"),
    "participants": (Participant, services.remove_participant, _l("The participant has been removed."),
                     "participants"),
    "costs": (Cost, services.remove_cost, _l("The cost has been removed."), "costs"),
    "follow-ups": (FollowUp, services.remove_follow_up, _l("The follow-up action has been removed."), "follow-ups"),
}


@bp.route("/<int:visit_id>/<any(agenda, participants, costs, 'follow-ups'):kind>/<int:child_id>/remove",
          methods=["POST"])
@login_required
def remove_child(visit_id: int, kind: str, child_id: int):
    model, remove, message, anchor = _REMOVABLE[kind]
    visit = _visit_or_404(visit_id)
    child = child_or_404(model, child_id, visit)
    require(permissions.can_edit_visit(current_user, visit))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    remove(child, current_user)
    db.session.commit()
    flash(str(message), "success")
    return redirect(url_for(".detail", visit_id=visit.id, _anchor=anchor))


@bp.route("/<int:visit_id>/follow-ups/<int:child_id>/<any(done, reopen):action>", methods=["POST"])
@login_required
def follow_up_status(visit_id: int, child_id: int, action: str):
    visit = _visit_or_404(visit_id)
    follow_up = child_or_404(FollowUp, child_id, visit)
    require(permissions.can_edit_visit(current_user, visit))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_follow_up_done(follow_up, action == "done", current_user)
    db.session.commit()
    flash(_("The follow-up action is done.") if action == "done" else _("The follow-up action is open again."),
          "success")
    return redirect(url_for(".detail", visit_id=visit.id, _anchor="follow-ups"))


# --- iCalendar -----------------------------------------------------------------------------------

def _describe(visit: Visit, with_details: bool, lang: str):
    """(url, summary, description, location) of a visit's calendar event."""
    url = url_for("tenant.visits.detail", visit_id=visit.id, _external=True)
    description = visit.plain("purpose", lang) if with_details else ""
    return url, visit_title(visit), description, visit.host.name


def _ics_response(payload: bytes, filename: str) -> Response:
    response = Response(payload, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/<int:visit_id>.ics")
@login_required
def visit_ics(visit_id: int):
    visit = _visit_or_404(visit_id)
    require(permissions.can_view_visits(current_user))
    details = permissions.can_view_details(current_user, visit)
    payload = calendar_bytes([visit], visit_title(visit), lambda v: _describe(v, details, locale()))
    return _ics_response(payload, f"visit-{visit.id}.ics")


@bp.route("/feed/<token>.ics")
def feed(token: str):
    """The subscription feed: no sign-in (calendar applications cannot), the secret URL is the key.
    Wrong, revoked or another municipality's token → 404."""
    if services.feed_for_token(token) is None:
        abort(404)
    municipality = current_municipality()
    since = today() - dt.timedelta(days=365)
    visits = queries.visits_involving(municipality.id, since)
    lang = municipality.default_locale
    from flask_babel import force_locale
    with force_locale(lang):
        name = _("Visits: %(municipality)s", municipality=municipality.name)
        # The feed belongs to a municipality of each of its visits: purposes are theirs to read.
        payload = calendar_bytes(visits, name, lambda v: _describe(v, True, lang))
    return _ics_response(payload, f"visits-{municipality.slug}.ics")


@bp.route("/subscription", methods=["GET", "POST"])
@login_required
def subscription():
    require(permissions.can_manage_feeds(current_user))
    form = ConfirmForm()
    new_url = None
    if form.validate_on_submit():
        action = request.form.get("action")
        if action == "create":
            _feed, token = services.create_feed(current_user)
            db.session.commit()
            new_url = url_for(".feed", token=token, _external=True)
            # Shown once, on this response (not flashed: the session cookie would carry the secret).
        elif action == "revoke":
            for feed_row in services.active_feeds():
                services.revoke_feed(feed_row, current_user)
            db.session.commit()
            flash(_("The subscription address has been revoked. Calendars using it stop updating."), "success")
            return redirect(url_for(".subscription"))
        else:
            abort(400)
    active = services.active_feeds()
    return render_template("visits/subscription.html", form=form, new_url=new_url, active=active)


# --- what we learned -----------------------------------------------------------------------------

@bp.route("/lessons")
@login_required
def lessons():
    require(permissions.can_view_visits(current_user))
    from exchange.themes.queries import active_themes
    form = LessonsSearchForm(request.args, active_themes(locale()), locale())
    term = (form.q.data or "").strip()[:200] if form.q.validate(form) else ""
    theme_id = _int(form.theme.data) if form.theme.data in {value for value, _label in form.theme.choices} else None
    page = db.paginate(queries.lessons(permissions.details_clause(current_user), theme_id=theme_id, term=term or None),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    args = {k: v for k, v in {"q": term, "theme": theme_id}.items() if v}
    return render_template("visits/lessons.html", page=page, form=form, filter_args=args, term=term)


# --- reports -------------------------------------------------------------------------------------

@bp.route("/reports")
@login_required
def report():
    require(permissions.can_view_visits(current_user))
    readable = permissions.details_clause(current_user)
    per_year = queries.visits_per_year()
    per_pair = queries.visits_per_pair()
    per_theme = queries.visits_per_theme()
    years, towns, participants = queries.participants_per_year(readable)
    follow_ups = queries.follow_up_status(readable)
    lang = locale()
    charts = {
        "year": reports.bar_chart("chart-year", _("Visits per year"),
                                  _("Bar chart of the number of visits per year. The same figures are in the "
                                    "table below."), [reports.Bar(str(y), n) for y, n in per_year]),
        "pair": reports.bar_chart("chart-pair", _("Visits per pair of municipalities"),
                                  _("Bar chart of the number of visits between each pair of municipalities. The "
                                    "same figures are in the table below."),
                                  [reports.Bar(_("%(first)s and %(second)s", first=a.name, second=b.name), n)
                                   for a, b, n in per_pair]),
        "theme": reports.bar_chart("chart-theme", _("Visits per theme"),
                                   _("Bar chart of the number of visits per theme. The same figures are in the "
                                     "table below."),
                                   [reports.Bar(t.name(lang), n, t.name_lang(lang)) for t, n in per_theme]),
        "participants": reports.bar_chart(
            "chart-participants", _("Participants per year and municipality"),
            _("Bar chart of the number of participants per year and home municipality, one bar for each year "
              "and municipality with participants. The same figures are in the table below."),
            [reports.Bar(_("%(year)d: %(municipality)s", year=year, municipality=town.name),
                         participants[(year, town.id)])
             for year in years for town in towns if participants.get((year, town.id))]),
        "follow_ups": reports.bar_chart("chart-follow-ups", _("Follow-up actions"),
                                        _("Bar chart of open and done follow-up actions. The same figures are in "
                                          "the table below."),
                                        [reports.Bar(_("Open"), follow_ups["open"]),
                                         reports.Bar(_("Done"), follow_ups["done"])]),
    }
    return render_template("visits/reports.html", per_year=per_year, per_pair=per_pair, per_theme=per_theme,
                           years=years, towns=towns, participants=participants, follow_ups=follow_ups,
                           charts=charts, lang=lang)


def _csv_response(text: str, filename: str) -> Response:
    response = Response(text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/reports/visits.csv")
@login_required
def visits_csv():
    require(permissions.can_view_visits(current_user))
    lang = locale()
    header = [_("Visit"), _("First day"), _("Start time"), _("Last day"), _("End time"), _("Time zone"),
              _("Host municipality"), _("Visiting municipalities"), _("Status"), _("Themes"), _("Linked projects"),
              _("Participants"), _("Purpose"), _("Address")]

    def rows():
        for visit in queries.visits_for_export():
            details = permissions.can_view_details(current_user, visit)
            yield [visit.id, visit.start_date.isoformat(), visit.start_time.strftime("%H:%M") if visit.start_time else "",
                   visit.end_date.isoformat(), visit.end_time.strftime("%H:%M") if visit.end_time else "",
                   visit.timezone, visit.host.name, "; ".join(m.name for m in visit.visitors),
                   visit.status_enum.label, "; ".join(t.name(lang) for t in visit.themes),
                   "; ".join(p.plain("title", lang) for p in visit.projects),
                   len(visit.participants) if details else "", visit.plain("purpose", lang) if details else "",
                   url_for(".detail", visit_id=visit.id, _external=True)]
    return _csv_response(reports.csv_text(header, rows()), "visits.csv")


@bp.route("/reports/follow-ups.csv")
@login_required
def follow_ups_csv():
    require(permissions.can_view_visits(current_user))
    header = [_("Visit"), _("First day"), _("Host municipality"), _("Visiting municipalities"), _("Follow-up action"),
              _("Owner"), _("Due date"), _("Status")]
    rows = ([f.visit.id, f.visit.start_date.isoformat(), f.visit.host.name, "; ".join(m.name for m in f.visit.visitors),
             f.action, f.owner, f.due_date.isoformat() if f.due_date else "",
             _("Done") if f.is_done else _("Open")]
            for f in queries.follow_ups_for_export(permissions.details_clause(current_user)))
    return _csv_response(reports.csv_text(header, rows), "follow-up-actions.csv")


# --- personal data and settings ------------------------------------------------------------------

@bp.route("/personal-data", methods=["GET", "POST"])
@login_required
def personal_data():
    require(permissions.can_manage_personal_data(current_user))
    form = PersonForm()
    found = None
    if form.validate_on_submit():
        found = queries.person_records(services.person_key(form.name.data),
                                       permissions.details_clause(current_user))
    status = 422 if form.errors else 200
    return render_template("visits/personal_data.html", form=form, found=found), status


def _person_export(name: str) -> dict:
    participants, follow_ups = queries.person_records(services.person_key(name),
                                                      permissions.details_clause(current_user))

    def visit_info(visit: Visit) -> dict:
        return {"id": visit.id, "address": url_for(".detail", visit_id=visit.id, _external=True),
                "first_day": visit.start_date.isoformat(), "last_day": visit.end_date.isoformat(),
                "host": visit.host.name, "visiting": [m.name for m in visit.visitors]}

    return {
        "name": name.strip(),
        "exported_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "exported_by_municipality": current_municipality().name,
        "participations": [{"visit": visit_info(p.visit), "name": p.name, "organisation": p.organisation,
                            "role": p.role, "municipality": p.municipality.name,
                            "recorded_at": p.created_at.isoformat() if p.created_at else None}
                           for p in participants],
        "follow_up_actions_owned": [{"visit": visit_info(f.visit), "action": f.action, "owner": f.owner,
                                     "due_date": f.due_date.isoformat() if f.due_date else None,
                                     "status": f.status} for f in follow_ups],
    }


@bp.route("/personal-data/export", methods=["POST"])
@login_required
def personal_data_export():
    require(permissions.can_manage_personal_data(current_user))
    form = PersonForm()
    if not form.validate_on_submit():
        return render_template("visits/personal_data.html", form=form, found=None), 422
    data = _person_export(form.name.data)
    from exchange.audit.services import record
    record(current_user, "visit.person_exported", None, participants=len(data["participations"]),
           follow_ups=len(data["follow_up_actions_owned"]))
    db.session.commit()
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@bp.route("/personal-data/erase", methods=["POST"])
@login_required
def personal_data_erase():
    require(permissions.can_manage_personal_data(current_user))
    form = PersonForm()
    if not form.validate_on_submit():
        return render_template("visits/personal_data.html", form=form, found=None), 422
    if request.form.get("confirmed") != "yes":
        found = queries.person_records(services.person_key(form.name.data), permissions.details_clause(current_user))
        return render_template("visits/confirm_erase.html", form=form, found=found)
    counts = services.erase_person(form.name.data, permissions.details_clause(current_user), current_user)
    db.session.commit()
    flash(ngettext("The name has been erased from %(num)d record.", "The name has been erased from %(num)d records.",
                   counts["participants"] + counts["follow_ups"]), "success")
    return redirect(url_for(".personal_data"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    require(permissions.can_edit_settings(current_user))
    current = services.settings()
    form = RetentionForm(data={"retention_years": current.retention_years} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_retention(form.retention_years.data, current_user)
        except VisitError as exc:
            db.session.rollback()
            place_error(form, exc)
        else:
            db.session.commit()
            flash(_("The settings have been saved."), "success")
            return redirect(url_for(".settings"))
    return render_template("visits/settings.html", form=form), 422 if form.errors else 200


# --- dashboard panels ----------------------------------------------------------------------------

@dashboard_panel
def _overdue_panel(user):
    if not permissions.can_see_overdue_follow_ups(user):
        return None
    rows, total = queries.overdue_follow_ups(permissions.details_clause(user), today())
    return "visits/panel_overdue.html", {"rows": rows, "total": total}


@dashboard_panel
def _upcoming_panel(user):
    if not permissions.can_view_visits(user):
        return None
    return "visits/panel_upcoming.html", {"visits": queries.upcoming(today())}


# --- editing a programme item, participant, cost or follow-up action --------------------------------

def _editable_child(visit_id: int, model, child_id: int):
    """The visit and one of its children, for an edit page: 404 for an unknown visit, another visit's child,
    or a municipality that does not take part in the visit (it does not see these details at all, so
    their ids are not confirmed to it); 403 for users of the visit's municipalities who may not edit."""
    visit = _visit_or_404(visit_id)
    if not permissions.can_view_details(current_user, visit):
        abort(404)
    child = child_or_404(model, child_id, visit)
    require(permissions.can_edit_visit(current_user, visit))
    return visit, child


def _child_edit(visit_id: int, child_id: int, model, make_form, initial, fields, save, heading, message: str,
                anchor: str, hint: str | None = None):
    """The shared shape of the edit pages of a visit's children: GET shows the add form filled in with the
    saved values; POST validates (form, then the service's checks) and saves, or shows the form again
    with the errors beside the fields (422, nothing saved)."""
    visit, child = _editable_child(visit_id, model, child_id)
    # On GET the form reads no request data (FlaskForm), so the saved values fill it.
    form = make_form(visit, data=initial(child)) if request.method == "GET" else make_form(visit)
    if form.validate_on_submit():
        try:
            save(child, form)
        except VisitError as exc:
            db.session.rollback()
            visit, child = _editable_child(visit_id, model, child_id)
            place_error(form, exc)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".detail", visit_id=visit.id, _anchor=anchor))
    return (render_template("visits/child_form.html", form=form, visit=visit, heading=heading, fields=fields(form),
                            hint=hint, anchor=anchor),
            422 if form.errors or form.form_errors else 200)


def _visit_municipalities(visit: Visit) -> list:
    return sorted([visit.host, *visit.visitors], key=lambda m: m.name)


@bp.route("/<int:visit_id>/agenda/<int:child_id>/edit", methods=["GET", "POST"])
@login_required
def edit_agenda_item(visit_id: int, child_id: int):
    return _child_edit(
        visit_id, child_id, AgendaItem, lambda visit, **kwargs: AgendaItemForm(**kwargs),
        lambda item: {"day": item.day, "start_time": item.start_time, "end_time": item.end_time,
                      "title": item.title, "location": item.location},
        lambda form: ["day", "start_time", "end_time", "title", "location"],
        lambda item, form: services.update_agenda_item(item, form.day.data, form.title.data, form.location.data,
                                                       locale(), current_user, start_time=form.start_time.data,
                                                       end_time=form.end_time.data),
        _("Edit the programme item"), _("The programme item has been saved."), "programme")


@bp.route("/<int:visit_id>/participants/<int:child_id>/edit", methods=["GET", "POST"])
@login_required
def edit_participant(visit_id: int, child_id: int):
    return _child_edit(
        visit_id, child_id, Participant,
        lambda visit, **kwargs: ParticipantForm(_visit_municipalities(visit), **kwargs),
        lambda person: {"name": person.name or "", "organisation": person.organisation, "role": person.role,
                        "municipality_id": str(person.municipality_id)},
        lambda form: ["name", "organisation", "role", "municipality_id"],
        lambda person, form: services.update_participant(person, form.municipality_id.data, form.name.data,
                                                         form.organisation.data, form.role.data, current_user),
        _("Edit the participant"), _("The participant has been saved."), "participants",
        hint=_("Personal data: record only what the visit needs. Names are erased after the retention period."))


@bp.route("/<int:visit_id>/costs/<int:child_id>/edit", methods=["GET", "POST"])
@login_required
def edit_cost(visit_id: int, child_id: int):
    return _child_edit(
        visit_id, child_id, Cost, lambda visit, **kwargs: _cost_form(visit, **kwargs),
        lambda cost: {"category": cost.category, "amount": cost.amount, "currency": cost.currency,
                      "municipality_id": str(cost.municipality_id),
                      "funding_line_id": str(cost.funding_line_id) if cost.funding_line_id else "",
                      "note": cost.note},
        lambda form: ["category", "amount", "currency", "municipality_id",
                      *(["funding_line_id"] if len(form.funding_line_id.choices) > 1 or form.funding_line_id.errors
                        else []), "note"],
        lambda cost, form: services.update_cost(cost, form.municipality_id.data, form.category.data,
                                                form.amount.data, form.currency.data, form.note.data, current_user,
                                                funding_line_id=_int(form.funding_line_id.data)),
        _("Edit the cost"), _("The cost has been saved."), "costs")


@bp.route("/<int:visit_id>/follow-ups/<int:child_id>/edit", methods=["GET", "POST"])
@login_required
def edit_follow_up(visit_id: int, child_id: int):
    return _child_edit(
        visit_id, child_id, FollowUp, lambda visit, **kwargs: FollowUpForm(**kwargs),
        lambda item: {"action": item.action, "owner": item.owner, "due_date": item.due_date},
        lambda form: ["action", "owner", "due_date"],
        lambda item, form: services.update_follow_up(item, form.action.data, form.owner.data, form.due_date.data,
                                                     locale(), current_user),
        _("Edit the follow-up action"), _("The follow-up action has been saved."), "follow-ups")
