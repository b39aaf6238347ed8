"""The municipality's retention setting for participants' names (the personal-data tool itself is
``exchange.privacy``)."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange.privacy import permissions as privacy_permissions
from exchange.views import require, submit
from exchange.visits import permissions, services
from exchange.visits.forms import RetentionForm
from exchange.visits.views import bp
from exchange.visits.views.common import expected_version, opened_with


# The personal-data tool moved to its own page (exchange.privacy): it covers every store now, not only
# visits. Old bookmarks and forms keep working (308 keeps a POST a POST).
@bp.route("/personal-data", methods=["GET", "POST"])
@bp.route("/personal-data/<any(export, erase):action>", methods=["POST"])
@login_required
def personal_data(action: str | None = None):
    require(privacy_permissions.can_manage_personal_data(current_user))
    return redirect(url_for("tenant.privacy." + ("personal_data" if action is None else f"personal_data_{action}")),
                    code=308)


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
