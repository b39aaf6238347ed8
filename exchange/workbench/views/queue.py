"""The content queue and its side-by-side editor, and the translators' dashboard panel."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from exchange.auth.models import Role
from exchange.dashboard import dashboard_panel, panel_cap
from exchange.i18n.formatting import language_name, number as format_number
from exchange.views import found_or_404, submit
from exchange.workbench import display, permissions, queries, services
from exchange.workbench import queue as content_queue
from exchange.workbench.forms import ContentTranslationForm, QueueFilterForm
from exchange.workbench.views import bp, filled, locale_or_404, page_number


@bp.route("/queue")
def queue():
    targets = permissions.allowed_locales(current_user)
    types = [(content_queue.content_type(m), display.type_label(content_queue.content_type(m)))
             for m in content_queue.content_models()]
    form = QueueFilterForm(request.args, types=types, languages=current_app.config["LANGUAGES"], targets=targets)
    valid = form.validate()
    filters = form.filters()
    page = content_queue.queue(current_user, targets, page=page_number(), per_page=current_app.config["PAGE_SIZE"],
                               type_name=filters["type"], source=filters["source"], target=filters["target"])
    return render_template("workbench/queue.html", form=form, page=page,
                           filters={k: v for k, v in filters.items() if v}), 200 if valid else 422


@bp.route("/queue/<type_name>/<int:row_id>/<locale>", methods=["GET", "POST"])
def translate_content(type_name: str, row_id: int, locale: str):
    # Through the scope and the owner's visibility predicate: text the user's municipality may not read
    # on the owner's page (another town's draft, a visit between two other towns) is a 404.
    row = found_or_404(content_queue.content_row(current_user, type_name, row_id))
    locale_or_404(locale)
    if locale == row.locale:
        abort(404)
    form = filled(ContentTranslationForm, ContentTranslationForm.data_of(row, locale))

    def render():
        target = row.owner.text_rows(row.field).get(locale)
        previous = target.source_snapshot if target is not None and target.status == "outdated" else None
        # A conflict: the original changed, or another translator saved this translation meanwhile.
        source_changed = getattr(form, "conflict", False) and form.snapshot.data != row.text
        if source_changed:  # a second save answers the new original
            form.snapshot.data = row.text
            form.snapshot.raw_data = [row.text]
        return render_template("workbench/content_editor.html", row=row, type_name=type_name, locale=locale,
                               form=form, target=target, source_changed=source_changed,
                               changes=display.diff(previous, row.text) if previous is not None else None)

    return submit(form, lambda: services.translate_content(row, locale, actor=current_user, **form.to_input()),
                  render=render, done=url_for(".queue"),
                  message=_("The translation into %(language)s has been saved.", language=language_name(locale)),
                  saved=lambda: ContentTranslationForm.saved(row, locale))


@dashboard_panel
def _workbench_panel(user):
    if not permissions.can_use_workbench(user) or not user.has_role(Role.TRANSLATOR):
        return None
    locales = permissions.allowed_locales(user)
    stats = queries.overview(locales)
    cap = panel_cap()
    waiting = content_queue.count_waiting(user, locales, cap=cap)
    untranslated = sum(s.counts["empty"] + s.counts["fuzzy"] for s in stats.values())
    message = (_("More than %(num)s texts wait in the content queue.", num=format_number(cap))
               if waiting > cap else ngettext("%(num)d text waits in the content queue.",
                                                    "%(num)d texts wait in the content queue.", waiting))
    return "workbench/panel.html", {"untranslated": untranslated, "waiting": waiting, "message": message}
