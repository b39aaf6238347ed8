"""The translators' workbench: the live interface catalogs (overview, string list, editor, approval,
publication, .po import and export), the content queue, and the admin's language limits.

Each view: load (scoped, 404) → permission (403) → validate → one service call → commit → flash → redirect.
A refused translation is shown again with the findings beside its field and HTTP 422; a stale save
(someone saved in between) with HTTP 409.
"""
from __future__ import annotations

import io

from babel.messages.pofile import PoFileError, read_po, write_po
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import BuildError

from exchange.auth.forms import ConfirmForm
from exchange.auth.models import Role, User, UserRole
from exchange.dashboard import dashboard_panel, nav_item
from exchange.extensions import db
from exchange.errors import Refusal
from exchange.workbench import glossary, live, markup, permissions, queries, services
from exchange.workbench.catalog import shipped_catalog
from exchange.workbench.forms import (ContentTranslationForm, ImportForm, MessageFilterForm, QueueFilterForm,
                                      TranslatorLocalesForm, check_labels, translation_form_class)
from exchange.workbench.models import CatalogMessage, MessageState
from exchange.workbench.services import WorkbenchError
from exchange.workbench.validation import Problem
from exchange.views import require

bp = Blueprint("workbench", __name__, url_prefix="/workbench")

nav_item("tenant.workbench.overview", _l("Translations"), permissions.can_use_workbench)

TYPE_LABELS = {
    "Project": _l("Project"),
    "ProjectParticipation": _l("Contribution to a project"),
    "Organisation": _l("Partner organisation"),
    "Visit": _l("Knowledge-exchange visit"),
}
FIELD_LABELS = {
    "title": _l("Title"), "summary": _l("Summary"), "description": _l("Description"),
    "contribution": _l("Contribution"), "purpose": _l("Purpose"), "lessons": _l("Lessons learned"),
}
# Where each kind of owner is shown (a kind not listed here simply has no link).
OWNER_PAGES = {
    "Project": ("tenant.projects.detail", lambda o: {"project_id": o.id}),
    "ProjectParticipation": ("tenant.projects.detail", lambda o: {"project_id": o.project_id}),
    "Visit": ("tenant.visits.detail", lambda o: {"visit_id": o.id}),
    "Organisation": ("tenant.partners.detail", lambda o: {"organisation_id": o.id}),
}


@bp.context_processor
def _template_helpers() -> dict:
    return {"workbench_permissions": permissions, "highlight": markup.highlight, "check_labels": check_labels(),
            "type_label": type_label, "field_label": field_label, "owner_title": owner_title,
            "owner_url": owner_url, "reason_label": error_message, "state_label": lambda value: MessageState(value).label}


def type_label(name: str) -> str:
    return str(TYPE_LABELS.get(name, name))


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def owner_title(owner, locale: str) -> str:
    """A short name of a content owner, whatever its type."""
    if "title" in getattr(owner, "TRANSLATABLE_FIELDS", ()):
        return owner.plain("title", locale)
    for attribute in ("name", "title"):
        value = getattr(owner, attribute, None)
        if isinstance(value, str) and value:
            return value
    for parent in ("project", "visit", "organisation"):
        value = getattr(owner, parent, None)
        if value is not None and value is not owner:
            return owner_title(value, locale)
    return f"#{owner.id}"


def owner_url(type_name: str, owner) -> str | None:
    endpoint, arguments = OWNER_PAGES.get(type_name, (None, None))
    if endpoint is None:
        return None
    try:
        return url_for(endpoint, **arguments(owner))
    except BuildError:
        return None


def error_message(code: str) -> str:
    return {
        "obsolete": _("This string is no longer used by the application."),
        "not_approvable": _("Only a translated string that is not approved yet can be approved."),
        "own_translation": _("Another translator has to approve your translation."),
        "unknown_locale": _("Choose one of the offered languages."),
        "empty_catalog": _("There is nothing to publish in this language yet."),
        "wrong_locale": _("This file is for another language."),
        "no_locales": _("Choose at least one language."),
        "not_found": _("This change does not belong to this string."),
        "unknown": _("Not a string of this application"),
        "invalid": _("Refused by the checks"),
        "no_source": _("This text has no original yet."),
        "same_as_source": _("This is the language of the original."),
        "empty_translation": _("This field is required."),
        "conflict": _("Someone else saved this string in the meantime, so your changes have not been saved. "
                      "Your input is kept below: check the current version, then save again."),
        "source_changed": _("The original changed while you were translating. Check the highlighted changes, "
                            "then save again."),
    }.get(code, _("This could not be saved. Check your input and try again."))


def problem_message(problem: Problem) -> str:
    """The translated explanation of one finding of the checks."""
    details = ", ".join(problem.details)
    return {
        "placeholders": _("The placeholders differ from the source (%(details)s). Keep every placeholder, such "
                          "as %(example)s, exactly as it is written in the source.",
                          details=details or "%", example="%(name)s"),
        "format": _("The translation cannot be filled in. Check the placeholders, and write a percent sign "
                    "as %(double)s.", double="%%"),
        "html": _("HTML that the source does not have is not allowed: %(details)s.", details=details),
        "plural_missing": _("Fill in this plural form."),
        "control": _("Remove the invisible control characters from this text."),
        "whitespace": _("The spaces at the start or the end differ from the source."),
        "punctuation": _("The punctuation at the end differs from the source."),
        "same_as_source": _("The translation is the same as the source."),
        "too_long": _("The translation is much longer than the source."),
    }[problem.code]


def _locale_or_404(locale: str) -> str:
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    require(permissions.can_translate(current_user, locale))
    return locale


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


# --- overview ------------------------------------------------------------------------------------

@bp.route("/")
@login_required
def overview():
    require(permissions.can_use_workbench(current_user))
    locales = permissions.allowed_locales(current_user)
    return render_template("workbench/overview.html", stats=queries.overview(locales), locales=locales,
                           states=list(MessageState))


# --- the string list and the editor --------------------------------------------------------------

@bp.route("/<locale>/strings")
@login_required
def strings(locale: str):
    require(permissions.can_use_workbench(current_user))
    _locale_or_404(locale)
    form = MessageFilterForm(formdata=request.args)
    ok = form.validate()

    def value(field) -> str:
        return "" if field.errors else (field.data or "").strip()

    filters = {"state": value(form.state), "check": value(form.check), "q": value(form.q),
               "location": value(form.location)}
    page = db.paginate(queries.messages(locale, **filters), page=_page_number(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("workbench/strings.html", locale=locale, form=form, page=page,
                           filters={k: v for k, v in filters.items() if v}), 200 if ok else 422


def _message_or_404(locale: str, message_id: int) -> CatalogMessage:
    message = queries.message(locale, message_id)
    if message is None:
        abort(404)
    return message


def _plural_labels(message: CatalogMessage) -> list[str]:
    if not message.is_plural:
        return [_("Translation")]
    labels = []
    for numbers, more in markup.plural_examples(message.locale):
        shown = ", ".join(str(n) for n in numbers) + (", …" if more else "")
        labels.append(_("Plural form for n = %(numbers)s", numbers=shown))
    return labels


def _translation_form(message: CatalogMessage, **kwargs):
    form_class = translation_form_class(_plural_labels(message))
    if request.method == "GET":
        strings = list(message.strings or [])
        data = {f"form_{i}": text for i, text in enumerate(strings)}
        data.update(version=str(message.version), fuzzy=message.state == MessageState.FUZZY.value)
        return form_class(data=data, **kwargs)
    return form_class(**kwargs)


def _render_editor(message: CatalogMessage, form, status: int = 200, warnings: list[Problem] | None = None,
                   conflict: bool = False):
    languages = current_app.config["LANGUAGES"]
    return render_template(
        "workbench/editor.html", locale=message.locale, message=message, form=form, warnings=warnings or [],
        conflict=conflict, others=queries.other_languages(message, languages),
        suggestions=queries.suggestions(message), terms=glossary.hits(message.msgid + " " + message.msgid_plural,
                                                                      message.locale),
        history=queries.history(message), confirm_form=ConfirmForm(),
        can_approve=permissions.can_approve(current_user, message),
        back=request.args.get("back", "")), status


def _attach(form, problems: list[Problem]) -> None:
    for problem in problems:
        field = form[f"form_{problem.form or 0}"]
        field.errors = list(field.errors) + [problem_message(problem)]


@bp.route("/<locale>/strings/<int:message_id>", methods=["GET", "POST"])
@login_required
def editor(locale: str, message_id: int):
    require(permissions.can_use_workbench(current_user))
    _locale_or_404(locale)
    message = _message_or_404(locale, message_id)
    form = _translation_form(message)
    if request.method == "GET":
        return _render_editor(message, form)
    if not form.validate_on_submit():
        return _render_editor(message, form, 422)
    if form.version.data != str(message.version):
        return _render_editor(message, form, 409, conflict=True)
    try:
        changed = services.save_translation(message, [f.data or "" for f in form.text_fields], current_user,
                                            fuzzy=form.fuzzy.data, accept_warnings=form.accept_warnings.data)
    except WorkbenchError as exc:
        if exc.code == "warnings":
            return _render_editor(message, form, 422, warnings=exc.problems)
        if exc.problems:
            _attach(form, exc.problems)
        else:
            flash(error_message(exc.code), "error")
        return _render_editor(message, form, 422)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return _render_editor(_message_or_404(locale, message_id), form, 409, conflict=True)
    if changed:
        flash(_("The translation has been saved. Publish the language to show it in the application."), "success")
    else:
        flash(_("Nothing has changed."), "info")
    return redirect(url_for(".editor", locale=locale, message_id=message.id))


@bp.route("/<locale>/strings/<int:message_id>/approve", methods=["POST"])
@login_required
def approve(locale: str, message_id: int):
    require(permissions.can_use_workbench(current_user))
    _locale_or_404(locale)
    message = _message_or_404(locale, message_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.approve(message, current_user)
    except WorkbenchError as exc:
        flash(error_message(exc.code), "error")
        return redirect(url_for(".editor", locale=locale, message_id=message.id))
    db.session.commit()
    flash(_("The translation has been approved."), "success")
    return redirect(url_for(".editor", locale=locale, message_id=message.id))


@bp.route("/<locale>/strings/<int:message_id>/revert/<int:change_id>", methods=["POST"])
@login_required
def revert(locale: str, message_id: int, change_id: int):
    require(permissions.can_use_workbench(current_user))
    _locale_or_404(locale)
    message = _message_or_404(locale, message_id)
    change = queries.change(message, change_id)
    if change is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.revert(message, change, current_user, accept_warnings=True)
    except WorkbenchError as exc:
        flash(error_message(exc.code) if not exc.problems
              else " ".join(problem_message(p) for p in exc.problems), "error")
        return redirect(url_for(".editor", locale=locale, message_id=message.id))
    db.session.commit()
    flash(_("The earlier translation has been restored as a draft."), "success")
    return redirect(url_for(".editor", locale=locale, message_id=message.id))


# --- publication, export and import --------------------------------------------------------------

@bp.route("/<locale>/publish", methods=["GET", "POST"])
@login_required
def publish(locale: str):
    require(permissions.can_use_workbench(current_user))
    _locale_or_404(locale)
    form = ConfirmForm()
    stats = queries.overview([locale])[locale]
    if form.validate_on_submit():
        try:
            version = services.publish(locale, current_user)
        except WorkbenchError as exc:
            flash(error_message(exc.code), "error")
            return redirect(url_for(".overview"))
        db.session.commit()
        live.forget_revisions()
        flash(_("Version %(version)d of the %(language)s interface is published: every page shows it now.",
                version=version.version, language=_language(locale)), "success")
        return redirect(url_for(".overview"))
    return render_template("workbench/publish.html", locale=locale, form=form, stats=stats)


def _language(code: str) -> str:
    from exchange.i18n.formatting import language_name
    return language_name(code)


@bp.route("/<locale>/messages.po")
@login_required
def export(locale: str):
    require(permissions.can_use_workbench(current_user))
    _locale_or_404(locale)
    catalog = services.export_catalog(locale, shipped_catalog(locale))
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    return Response(buffer.getvalue(), mimetype="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="messages-{locale}.po"'})


@bp.route("/<locale>/import", methods=["GET", "POST"])
@login_required
def import_po(locale: str):
    require(permissions.can_use_workbench(current_user))
    _locale_or_404(locale)
    form = ImportForm()
    if form.validate_on_submit():
        catalog = None
        try:
            catalog = read_po(io.BytesIO(form.file.content), locale=locale, abort_invalid=True)
        except (PoFileError, UnicodeDecodeError, ValueError, LookupError):
            form.file.errors = list(form.file.errors) + [_("This is not a readable .po file.")]
        if catalog is not None:
            try:
                report = services.import_catalog(catalog, locale, current_user)
            except WorkbenchError as exc:
                form.file.errors = list(form.file.errors) + [error_message(exc.code)]
            else:
                db.session.commit()
                # The report is the answer to this upload: shown at once rather than redirected.
                return render_template("workbench/import_report.html", locale=locale, report=report)
    return render_template("workbench/import.html", locale=locale, form=form), 422 if form.errors else 200


# --- the content queue ---------------------------------------------------------------------------

def _queue_filter_form(targets: list[str]) -> QueueFilterForm:
    types = [(queries.content_type(m), type_label(queries.content_type(m))) for m in queries.content_models()]
    return QueueFilterForm(formdata=request.args, types=types, languages=current_app.config["LANGUAGES"],
                           targets=targets)


@bp.route("/queue")
@login_required
def queue():
    require(permissions.can_use_workbench(current_user))
    targets = permissions.allowed_locales(current_user)
    form = _queue_filter_form(targets)
    ok = form.validate()

    def value(field) -> str:
        return "" if field.errors else (field.data or "")

    filters = {"type": value(form.type), "source": value(form.source), "target": value(form.target)}
    page = queries.queue(targets, page=_page_number(), per_page=current_app.config["PAGE_SIZE"],
                         type_name=filters["type"], source=filters["source"], target=filters["target"])
    return render_template("workbench/queue.html", form=form, page=page,
                           filters={k: v for k, v in filters.items() if v}), 200 if ok else 422


def _content_or_404(type_name: str, row_id: int):
    row = queries.content_row(type_name, row_id)  # through the scope: invisible content is a 404
    if row is None:
        abort(404)
    return row


def _render_content_editor(row, type_name: str, locale: str, form, status: int = 200, conflict: bool = False):
    target = row.owner.text_rows(row.field).get(locale)
    previous = target.source_snapshot if target is not None and target.status == "outdated" else None
    return render_template("workbench/content_editor.html", row=row, type_name=type_name, locale=locale,
                           form=form, target=target, conflict=conflict,
                           changes=markup.diff(previous, row.text) if previous is not None else None), status


@bp.route("/queue/<type_name>/<int:row_id>/<locale>", methods=["GET", "POST"])
@login_required
def translate_content(type_name: str, row_id: int, locale: str):
    require(permissions.can_use_workbench(current_user))
    row = _content_or_404(type_name, row_id)
    _locale_or_404(locale)
    if locale == row.locale:
        abort(404)
    target = row.owner.text_rows(row.field).get(locale)
    if request.method == "GET":
        form = ContentTranslationForm(data={"text": target.text if target is not None else "",
                                            "snapshot": row.text})
        return _render_content_editor(row, type_name, locale, form)
    form = ContentTranslationForm()
    if not form.validate_on_submit():
        return _render_content_editor(row, type_name, locale, form, 422)
    if form.snapshot.data != row.text:
        form.snapshot.data = row.text
        return _render_content_editor(row, type_name, locale, form, 409, conflict=True)
    try:
        services.translate_content(row, locale, form.text.data or "", current_user, approved=form.approved.data)
    except Refusal as exc:
        form.text.errors = list(form.text.errors) + [exc.message]
        return _render_content_editor(row, type_name, locale, form, 422)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(error_message("conflict"), "error")
        return redirect(url_for(".translate_content", type_name=type_name, row_id=row_id, locale=locale))
    flash(_("The translation into %(language)s has been saved.", language=_language(locale)), "success")
    return redirect(url_for(".queue"))


# --- translators' languages (admins) -------------------------------------------------------------

def _translators():
    stmt = (select(User).join(UserRole).where(UserRole.role == Role.TRANSLATOR.value).order_by(User.name))
    return db.session.scalars(stmt).unique().all()


@bp.route("/translators")
@login_required
def translators():
    require(permissions.can_set_translator_locales(current_user))
    return render_template("workbench/translators.html", translators=_translators(),
                           limits=queries.translator_limits())


@bp.route("/translators/<int:user_id>", methods=["GET", "POST"])
@login_required
def translator_locales(user_id: int):
    user = db.get_or_404(User, user_id)  # scoped: another municipality's account is a 404
    require(permissions.can_set_translator_locales(current_user, user))
    languages = current_app.config["LANGUAGES"]
    limit = queries.translator_locales(user)
    form = TranslatorLocalesForm(languages=languages,
                                 data={"locales": limit or list(languages)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_translator_locales(user, list(form.locales.data or []), current_user)
        except WorkbenchError as exc:
            form.locales.errors = list(form.locales.errors) + [error_message(exc.code)]
        else:
            db.session.commit()
            flash(_("The languages of %(name)s have been saved.", name=user.name), "success")
            return redirect(url_for(".translators"))
    return render_template("workbench/translator_locales.html", form=form, user=user), 422 if form.errors else 200


# --- dashboard -----------------------------------------------------------------------------------

@dashboard_panel
def _workbench_panel(user):
    if not permissions.can_use_workbench(user) or not user.has_role(Role.TRANSLATOR):
        return None
    locales = permissions.allowed_locales(user)
    stats = queries.overview(locales)
    waiting = queries.queue(locales, per_page=1).total
    untranslated = sum(s.counts["empty"] + s.counts["fuzzy"] for s in stats.values())
    return "workbench/panel.html", {"untranslated": untranslated, "waiting": waiting,
                                   "message": ngettext("%(num)d text waits in the content queue.",
                                                       "%(num)d texts wait in the content queue.", waiting)}
