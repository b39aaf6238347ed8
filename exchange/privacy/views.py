"""The personal-data page: find one person in every store, download everything, erase it (asked first).

Each view: permission (403) → validate → one query or service call → commit → flash → redirect, through
``exchange.views.submit`` where something is written.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from exchange import templating
from exchange.extensions import db
from exchange.privacy import exports, permissions, queries, services
from exchange.privacy.forms import EraseForm, PersonForm
from exchange.views import require, submit

bp = Blueprint("privacy", __name__, url_prefix="/personal-data")
templating.expose_permissions("privacy", permissions)


def _search_page(form, found=None):
    return render_template("privacy/personal_data.html", form=form, found=found)


@bp.route("", methods=["GET", "POST"])
@login_required
def personal_data():
    require(permissions.can_manage_personal_data(current_user))
    form = PersonForm()
    found = queries.find(**form.to_input(), reader=current_user) if form.validate_on_submit() else None
    return _search_page(form, found), 422 if form.errors else 200


@bp.route("/export", methods=["POST"])
@login_required
def personal_data_export():
    require(permissions.can_manage_personal_data(current_user))
    form = PersonForm()
    if not form.validate_on_submit():
        return _search_page(form), 422
    found = queries.find(**form.to_input(), reader=current_user)
    data = exports.person_data(form.name.data, found)
    services.record_export(current_user, found)
    db.session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="personal-data.json"'})


def _erased_message(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    return ngettext("The person has been erased from %(num)d record.",
                    "The person has been erased from %(num)d records.", total)


@bp.route("/erase", methods=["POST"])
@login_required
def personal_data_erase():
    require(permissions.can_manage_personal_data(current_user))
    form = EraseForm()
    if form.validate_on_submit() and not form.is_confirmed:
        return render_template("privacy/confirm_erase.html", form=form,
                               found=queries.find(**form.to_input(), reader=current_user))
    return submit(form, lambda: services.erase_person(**form.to_input(), actor=current_user),
                  render=lambda: _search_page(form), done=url_for(".personal_data"), message=_erased_message)

