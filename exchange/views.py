"""The request kit every domain's views share (DESIGN.md §2).

A view reads the same way in every domain:

    project = load(queries.get_project(project_id))           # scoped: another town's object is a 404
    require(permissions.can_edit_project(current_user, project))  # 403
    form = ProjectForm.for_project(project)
    return submit(form, lambda: services.update_project(project, current_user, form.to_input(),
                                                        form.version.expected),
                  render=lambda: render_template("projects/form.html", form=form, project=project),
                  done=url_for(".detail", project_id=project.id),
                  message=_("The project has been saved."),
                  saved=lambda: ProjectForm.data_of(project))

``submit`` owns the request boundary: validate the form, call the service once, and then

* a ``Refusal``: roll back, put the message beside its field (or at the top), re-render with 422;
* a ``Conflict`` (or the version column's StaleDataError): roll back, re-render with 409, the user's
  input kept and the saved version shown beside it, the form now carrying the saved version so that a
  second save knowingly replaces it;
* otherwise: commit, flash, redirect.

A GET renders the page (200); an invalid POST re-renders it with the errors (422). Nothing is saved on
any path but the last.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from flask import abort, flash, redirect, request
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import Forbidden

from exchange.errors import Conflict, Refusal
from exchange.extensions import db

T = TypeVar("T")


# --- load and permission -------------------------------------------------------------------------

class NotAllowed(Forbidden):
    """A 403 that says why the action is not possible for this person, and who can do it (issue 14: no
    dead ends). The error page shows ``reason`` instead of the bare "access denied"."""

    def __init__(self, reason: str | None = None):
        super().__init__()
        self.reason = reason


def require(allowed: bool, reason: str | Callable[[], str | None] | None = None) -> None:
    """403 unless the permission predicate allowed it (the object was already loaded in scope).
    ``reason`` (text, or a function giving it, asked only when refused): why not, and who can."""
    if not allowed:
        raise NotAllowed(reason() if callable(reason) else reason)


def found_or_404(obj: T | None) -> T:
    """The object a scoped query found, or 404: another municipality's object is simply not found."""
    if obj is None:
        abort(404)
    return obj


def child_or_404(model: type[T], child_id: int, parent) -> T:
    """A child row (``__tenancy__ = "child"``) by id, only when it hangs off ``parent``: an id that
    belongs to another project or visit answers 404, not someone else's row."""
    child = db.session.get(model, child_id)
    if child is None or getattr(child, model.tenancy_parent) is not parent:
        abort(404)
    return child


# --- the request boundary ------------------------------------------------------------------------

def place(form, refusal: Refusal) -> None:
    """Put a refusal's message beside its field; a refusal about no field (or a field this form does not
    show) goes above the form, as a flashed error the re-rendered page shows at the top."""
    field = form._fields.get(refusal.field) if refusal.field and form is not None else None
    if field is not None:
        field.errors = [*field.errors, refusal.message] if isinstance(field.errors, list) else [refusal.message]
    else:
        flash(refusal.message, "error")


def _shown(field, value) -> str:
    """A field's value as the person sees it (choice labels, dates), for the conflict comparison."""
    if value in (None, "", []):
        return ""
    choices = {str(v): str(label) for v, label in getattr(field, "choices", None) or []}
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(choices.get(str(v), str(v)) for v in value))
    if choices:
        return choices.get(str(value), str(value))
    if isinstance(value, dt.date):
        return format_date(value, "medium")
    if isinstance(value, Decimal):
        return format_decimal(value, format="#,##0.00")
    return str(value)


def _normalised(value) -> Any:
    if isinstance(value, Decimal):
        return value  # compared by value: 480 and 480.00 are the same amount
    if isinstance(value, (list, tuple, set)):
        return sorted(str(v) for v in value)
    if value in (None, ""):
        return ""
    return str(value).strip() if not isinstance(value, dt.date) else value.isoformat()


def conflict_rows(form, saved: dict) -> list[dict]:
    """The fields whose submitted value differs from the saved version: label, yours, saved."""
    rows = []
    for name, field in form._fields.items():
        if name in ("csrf_token", "version") or name not in saved:
            continue
        # An amount is compared as the number it was read as (1 250,50 and 1250.5 are one amount).
        yours = field.parsed if getattr(field, "parsed", None) is not None else field.data
        if _normalised(yours) != _normalised(saved[name]):
            rows.append({"label": field.label.text, "yours": _shown(field, yours), "saved": _shown(field, saved[name])})
    return rows


def _show_conflict(form, saved: Callable[[], dict] | None) -> None:
    form.conflict = True
    try:
        current = saved() if saved is not None else None
    except ObjectDeletedError:  # removed by the save that won the race: nothing left to compare with
        current = None
    if current is None:
        flash(_("Someone else saved this in the meantime, so your change has not been saved. "
                "Check the current state below and try again."), "error")
        return
    form.conflict_rows = conflict_rows(form, current)
    version = getattr(form, "version", None)
    if version is not None and "version" in current:
        # The saved version: a second save knowingly replaces it.
        version.data = str(current["version"])
        version.raw_data = [version.data]


def submit(form, save: Callable[[], T], *, render: Callable[[], Any], done: str | Callable[[T], str],
           message: str | Callable[[T], str] | None = None, saved: Callable[[], dict] | None = None):
    """Validate ``form``, call ``save`` (one service call), then commit, flash ``message`` and redirect to
    ``done``; or re-render with ``render`` (422 refused or invalid, 409 conflict, 200 on GET).

    ``saved`` returns the object's current values as form data (the same mapping that fills the form on
    GET): on a conflict the page shows them beside the user's input.
    """
    if not form.validate_on_submit():
        return render(), 422 if request.method == "POST" else 200
    try:
        result = save()
        db.session.commit()
    except (Conflict, StaleDataError):
        db.session.rollback()
        _show_conflict(form, saved)
        return render(), 409
    except Refusal as refusal:
        db.session.rollback()
        place(form, refusal)
        return render(), 422
    if message:
        flash(message(result) if callable(message) else message, "success")
    return redirect(done(result) if callable(done) else done)


def submit_switch(save: Callable[[bool, int | None], Any], *, render: Callable[[], Any], done: str, on: str,
                  off: str):
    """A confirmed on/off action posted by ``post_button(..., public="1"|"0")`` (show on the public pages,
    or not): ``save(on, expected version)`` through ``submit``, flashing ``on`` or ``off``."""
    from exchange.forms import ConfirmForm
    form = ConfirmForm()
    switched_on = request.form.get("public") == "1"
    return submit(form, lambda: save(switched_on, form.version.expected), render=render, done=done,
                  message=on if switched_on else off)
