"""The notification centre, e-mail preferences, following projects and visits, and the one-click
unsubscribe link of the mails.

Each view: load (scoped, and the signed-in person's own: 404 otherwise) → permission (403) →
``exchange.views.submit`` (validate → one service call → commit → flash → redirect).
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from exchange import templating
from exchange.extensions import csrf, db
from exchange.forms import ConfirmForm
from exchange.notifications import display, mailing, permissions, queries, services
from exchange.notifications.forms import PreferencesForm, UnsubscribeForm, field_name
from exchange.notifications.kinds import KINDS, kinds_for
from exchange.views import found_or_404, require, submit

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _unread() -> int:
    """The header's count (signed-in people only; one small query per page)."""
    return queries.unread_count(current_user) if current_user.is_authenticated else 0


def _following(subject) -> bool:
    from exchange.projects.models import Project
    if isinstance(subject, Project):
        return queries.is_following(current_user, project=subject)
    return queries.is_following(current_user, visit=subject)


def _follow_url(subject, action: str) -> str:
    from exchange.projects.models import Project
    what = "projects" if isinstance(subject, Project) else "visits"
    return url_for("tenant.notifications.follow", what=what, subject_id=subject.id, action=action)


templating.expose_permissions("notifications", permissions)
templating.expose_helpers("notifications", unread=_unread, following=_following, follow_url=_follow_url)


# --- the centre ------------------------------------------------------------------------------------

def _render_centre():
    only_unread = request.args.get("show") == "unread"
    page = db.paginate(queries.listing(current_user, only_unread), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    loaded = display.load(page.items)
    items = [(n, display.describe(n, loaded, current_user)) for n in page.items]
    return render_template("notifications/centre.html", page=page, items=items, only_unread=only_unread,
                           unread=queries.unread_count(current_user), confirm_form=ConfirmForm(formdata=None),
                           days=current_app.config["NOTIFICATIONS_EXPIRE_DAYS"])


@bp.route("/")
@login_required
def centre():
    require(permissions.can_view_notifications(current_user))
    return _render_centre()


@bp.route("/read-all", methods=["POST"])
@login_required
def read_all():
    require(permissions.can_view_notifications(current_user))
    return submit(ConfirmForm(), lambda: services.mark_all_read(current_user), render=_render_centre,
                  done=url_for(".centre"), message=_("All notifications are marked as read."))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    notification = found_or_404(queries.get_own(current_user, notification_id))
    return submit(ConfirmForm(), lambda: services.mark_read(current_user, notification), render=_render_centre,
                  done=url_for(".centre"), message=_("The notification is marked as read."))


# --- e-mail preferences ----------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
@login_required
def preferences():
    require(permissions.can_set_preferences(current_user))
    kinds = kinds_for(current_user.roles)
    form = (PreferencesForm.for_kinds(kinds) if request.method == "POST"
            else PreferencesForm.for_kinds(kinds, services.effective_modes(current_user)))
    return submit(form, lambda: services.set_preferences(current_user, form.modes(), form.opened.data or None),
                  render=lambda: render_template("notifications/preferences.html", form=form,
                                                 locale=mailing.locale_of(current_user),
                                                 hour=current_app.config["NOTIFICATIONS_DIGEST_HOUR"]),
                  done=url_for(".preferences"), message=_("Your e-mail settings have been saved."),
                  saved=lambda: {**{field_name(code): mode.value for code, mode in
                                    services.effective_modes(current_user).items()},
                                 "opened": services.fingerprint(services.effective_modes(current_user))})


# --- following -------------------------------------------------------------------------------------

@bp.route("/follow/<any(projects, visits):what>/<int:subject_id>/<any(follow, unfollow):action>", methods=["POST"])
@login_required
def follow(what: str, subject_id: int, action: str):
    if what == "projects":
        from exchange.projects.queries import get_project
        subject = found_or_404(get_project(subject_id))  # another municipality's draft: 404
        done = url_for("tenant.projects.detail", project_id=subject.id)
        kwargs = {"project": subject}
    else:
        from exchange.visits.queries import visit_detail
        subject = found_or_404(visit_detail(subject_id))
        done = url_for("tenant.visits.detail", visit_id=subject.id)
        kwargs = {"visit": subject}
    require(permissions.can_follow(current_user, subject))
    change = services.follow if action == "follow" else services.unfollow
    message = (_("You follow it now: you will be notified of what happens to it.") if action == "follow"
               else _("You no longer follow it."))

    def render():
        abort(400)  # a ConfirmForm fails only on a missing or stale CSRF token

    return submit(ConfirmForm(), lambda: change(current_user, **kwargs), render=render, done=done, message=message)


# --- one-click unsubscribe (RFC 8058): the link of every notification mail --------------------------

def _unsubscribing(token: str):
    found = mailing.read_token(token)
    user = queries.user_by_id(found[0]) if found else None  # another municipality's person: not found
    if user is None:
        abort(404)
    return user, found[1]


def _scope_label(scope: str) -> str:
    if scope == "digest:daily":
        return _("the daily summary")
    if scope == "digest:weekly":
        return _("the weekly summary")
    kind = KINDS.get(scope)
    return str(kind.label) if kind else scope


def _render_unsubscribe(token: str, user, scope: str):
    return render_template("notifications/unsubscribe.html", token=token, what=_scope_label(scope),
                           done=services.is_unsubscribed(user, scope))


@bp.route("/unsubscribe/<token>", methods=["GET"])
def unsubscribe(token: str):
    """A page with one button (link scanners open links, so the link itself changes nothing); once
    unsubscribed, it says so."""
    user, scope = _unsubscribing(token)
    return _render_unsubscribe(token, user, scope)


@bp.route("/unsubscribe/<token>", methods=["POST"])
@csrf.exempt  # the signed token is the authorisation; mail programs post without a session (RFC 8058)
def unsubscribe_now(token: str):
    user, scope = _unsubscribing(token)
    return submit(UnsubscribeForm(), lambda: services.unsubscribe(user, scope),
                  render=lambda: _render_unsubscribe(token, user, scope), done=url_for(".unsubscribe", token=token))
