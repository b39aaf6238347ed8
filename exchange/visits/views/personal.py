"""Participants' personal data (find, download, erase one person's records: a data subject's request)
and the municipality's retention setting."""
from __future__ import annotations

import json

from flask import Response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from exchange.extensions import db
from exchange.views import require, submit
from exchange.visits import exports, permissions, queries, services
from exchange.visits.forms import EraseForm, PersonForm, RetentionForm
from exchange.visits.models import person_key
from exchange.visits.views import bp
from exchange.visits.views.common import expected_version, opened_with


def _records(name: str):
    return queries.person_records(person_key(name), permissions.details_clause(current_user))


def _search_page(form, found=None) -> str:
    return render_template("visits/personal_data.html", form=form, found=found)


@bp.route("/personal-data", methods=["GET", "POST"])
@login_required
def personal_data():
    require(permissions.can_manage_personal_data(current_user))
    form = PersonForm()
    found = _records(form.name.data) if form.validate_on_submit() else None
    return _search_page(form, found), 422 if form.errors else 200


@bp.route("/personal-data/export", methods=["POST"])
@login_required
def personal_data_export():
    require(permissions.can_manage_personal_data(current_user))
    form = PersonForm()
    if not form.validate_on_submit():
        return _search_page(form), 422
    data = exports.person_data(form.name.data, current_user)
    services.record_export(current_user, len(data["participations"]), len(data["follow_up_actions_owned"]))
    db.session.commit()
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="personal-data.json"'})


@bp.route("/personal-data/erase", methods=["POST"])
@login_required
def personal_data_erase():
    require(permissions.can_manage_personal_data(current_user))
    form = EraseForm()
    if form.validate_on_submit() and not form.is_confirmed:
        return render_template("visits/confirm_erase.html", form=form, found=_records(form.name.data))
    return submit(form, lambda: services.erase_person(form.name.data, permissions.details_clause(current_user),
                                                      current_user),
                  render=lambda: _search_page(form), done=url_for(".personal_data"),
                  message=lambda counts: ngettext("The name has been erased from %(num)d record.",
                                                  "The name has been erased from %(num)d records.",
                                                  counts["participants"] + counts["follow_ups"]))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    require(permissions.can_edit_settings(current_user))
    form = RetentionForm(data=opened_with(RetentionForm.data_of(services.settings())))
    return submit(form, lambda: services.set_retention(form.retention_years.years, current_user,
                                                       expected_version(form)),
                  render=lambda: render_template("visits/settings.html", form=form),
                  done=url_for(".settings"), message=_("The settings have been saved."),
                  saved=lambda: RetentionForm.data_of(services.settings()))
