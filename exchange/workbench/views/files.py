"""Publication of a locale, and its catalog as a ``.po`` file: download (the published text) and upload
(taken as drafts, with a report of what was refused)."""
from __future__ import annotations

import io

from babel.messages.pofile import write_po
from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from exchange.errors import Refusal
from exchange.extensions import db
from exchange.forms import ConfirmForm
from exchange.i18n.catalog import services, sync
from exchange.i18n.formatting import language_name
from exchange.views import place, submit
from exchange.workbench import queries
from exchange.workbench.forms import ImportForm
from exchange.workbench.views import bp, locale_or_404


@bp.route("/<locale>/publish", methods=["GET", "POST"])
def publish(locale: str):
    locale_or_404(locale)
    form = ConfirmForm()
    return submit(form, lambda: services.publish(locale, current_user),
                  render=lambda: render_template("workbench/publish.html", locale=locale, form=form,
                                                 stats=queries.overview([locale])[locale],
                                                 changes=queries.pending_changes(locale)),
                  done=url_for(".overview"),
                  message=lambda version: _("Version %(version)d of the %(language)s interface is published: "
                                            "every page shows it now.", version=version.version,
                                            language=language_name(locale)))


@bp.route("/<locale>/messages.po")
def export(locale: str):
    locale_or_404(locale)
    buffer = io.BytesIO()
    write_po(buffer, sync.export_catalog(locale, sync.shipped_catalog(locale)), width=76)
    return Response(buffer.getvalue(), mimetype="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="messages-{locale}.po"'})


@bp.route("/<locale>/import", methods=["GET", "POST"])
def import_po(locale: str):
    """The request boundary of ``exchange.views.submit``, but the answer to an accepted upload is its
    report, shown at once (200) rather than after a redirect: it exists only for this upload."""
    locale_or_404(locale)
    form = ImportForm(locale=locale)

    def render():
        return render_template("workbench/import.html", locale=locale, form=form)

    if not form.validate_on_submit():
        return render(), 422 if request.method == "POST" else 200
    try:
        report = sync.import_catalog(form.catalog, locale, current_user)
        db.session.commit()
    except Refusal as refusal:
        db.session.rollback()
        place(form, refusal)
        return render(), 422
    return render_template("workbench/import_report.html", locale=locale, report=report)
