"""The catalog pages: the overview, the string list, and the editor with approval and revert."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange.extensions import db
from exchange.forms import ConfirmForm
from exchange.i18n.catalog import services
from exchange.i18n.catalog.models import CatalogMessage, MessageState
from exchange.views import found_or_404, submit
from exchange.workbench import glossary, memory, permissions, queries
from exchange.workbench.forms import MessageFilterForm, translation_form_class
from exchange.workbench.views import bp, filled, locale_or_404, page_number


@bp.route("/")
def overview():
    locales = permissions.allowed_locales(current_user)
    return render_template("workbench/overview.html", stats=queries.overview(locales), locales=locales,
                           states=list(MessageState))


@bp.route("/<locale>/strings")
def strings(locale: str):
    locale_or_404(locale)
    form = MessageFilterForm(request.args)
    valid = form.validate()
    filters = form.filters()
    page = db.paginate(queries.messages(locale, **filters), page=page_number(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("workbench/strings.html", locale=locale, form=form, page=page,
                           filters={k: v for k, v in filters.items() if v}), 200 if valid else 422


def _message_or_404(locale: str, message_id: int) -> CatalogMessage:
    locale_or_404(locale)
    return found_or_404(queries.message(locale, message_id))


def _render_editor(message: CatalogMessage, form=None):
    """The editor: the source, the form, help (other languages, memory, glossary) and the history."""
    if form is None:  # after a refused approval or revert: the saved draft
        form_class = translation_form_class(message)
        form = form_class(formdata=None, data=form_class.data_of(message))
    return render_template(
        "workbench/editor.html", locale=message.locale, message=message, form=form,
        others=queries.other_languages(message, current_app.config["LANGUAGES"]),
        suggestions=memory.suggestions(message),
        terms=glossary.hits(message.msgid + " " + message.msgid_plural, message.locale),
        history=queries.history(message))


def _back_to(message: CatalogMessage) -> str:
    return url_for(".editor", locale=message.locale, message_id=message.id)


@bp.route("/<locale>/strings/<int:message_id>", methods=["GET", "POST"])
def editor(locale: str, message_id: int):
    message = _message_or_404(locale, message_id)
    form_class = translation_form_class(message)
    form = filled(form_class, form_class.data_of(message))
    return submit(form, lambda: services.save_translation(message, actor=current_user, **form.to_input()),
                  render=lambda: _render_editor(message, form), done=_back_to(message),
                  message=lambda changed: _("The translation has been saved. Publish the language to show it "
                                            "in the application.") if changed else _("Nothing has changed."),
                  saved=lambda: form_class.data_of(message))


@bp.route("/<locale>/strings/<int:message_id>/approve", methods=["POST"])
def approve(locale: str, message_id: int):
    message = _message_or_404(locale, message_id)
    form = ConfirmForm()
    return submit(form, lambda: services.approve(message, current_user, form.version.expected),
                  render=lambda: _render_editor(message), done=_back_to(message),
                  message=_("The translation has been approved."))


@bp.route("/<locale>/strings/<int:message_id>/revert/<int:change_id>", methods=["POST"])
def revert(locale: str, message_id: int, change_id: int):
    message = _message_or_404(locale, message_id)
    change = found_or_404(queries.change(message, change_id))
    form = ConfirmForm()
    return submit(form, lambda: services.revert(message, change, current_user, accept_warnings=True,
                                                expected_version=form.version.expected),
                  render=lambda: _render_editor(message), done=_back_to(message),
                  message=_("The earlier translation has been restored as a draft."))
