"""Admins limit the translators of their own municipality to some languages."""
from __future__ import annotations

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange.auth.models import User
from exchange.extensions import db
from exchange.views import found_or_404, require, submit
from exchange.workbench import permissions, queries, services
from exchange.workbench.forms import TranslatorLocalesForm
from exchange.workbench.views import bp, filled


@bp.route("/translators")
def translators():
    require(permissions.can_set_translator_locales(current_user))
    return render_template("workbench/translators.html", translators=queries.translators(),
                           limits=queries.translator_limits())


@bp.route("/translators/<int:user_id>", methods=["GET", "POST"])
def translator_locales(user_id: int):
    user = found_or_404(db.session.get(User, user_id))  # scoped: another municipality's account is a 404
    require(permissions.can_set_translator_locales(current_user, user))
    languages = current_app.config["LANGUAGES"]
    saved = lambda: TranslatorLocalesForm.data_of(queries.translator_limit(user), languages)  # noqa: E731
    form = filled(TranslatorLocalesForm, saved(), languages=languages)
    return submit(form, lambda: services.set_translator_locales(user, form.to_input(), current_user,
                                                                form.version.checked),
                  render=lambda: render_template("workbench/translator_locales.html", form=form, user=user),
                  done=url_for(".translators"), message=_("The languages of %(name)s have been saved.", name=user.name),
                  saved=saved)
