"""The public pages of a municipality's international cooperation, and its Atom feed.

Every read goes through exchange.cooperation.queries (the public rule on top of the scope), the same
functions the read API answers anonymous requests with.
"""
from __future__ import annotations

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from exchange.cooperation import queries
from exchange.cooperation.display import page_meta
from exchange.cooperation.views import municipality, public_bp
from exchange.extensions import db
from exchange.i18n.locale import current_locale
from exchange.urls import absolute_url
from exchange.views import found_or_404

HOME_ITEMS = 5  # projects and visits shown on the overview; the lists have them all
FEED_ITEMS = 30


def _page_number() -> int:
    raw = request.args.get("page", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _page(stmt):
    return db.paginate(stmt, page=_page_number(), per_page=current_app.config["PAGE_SIZE"], error_out=False)


@public_bp.route("/")
def choose_language():
    """``/<municipality>/public/``: the reader's language version (browser, else the municipality's)."""
    return redirect(url_for(".home"), 302)


@public_bp.route("/<lang>/")
def home():
    town = municipality()
    project_stmt = queries.public_projects(town.id)
    visit_stmt = queries.public_visits(town.id)
    context = {
        "twins": queries.twin_towns(town.id),
        "profile": queries.profile(town.id),
        "projects": list(db.session.scalars(project_stmt.limit(HOME_ITEMS))),
        "project_count": queries.count(project_stmt),
        "visits": list(db.session.scalars(visit_stmt.limit(HOME_ITEMS))),
        "visit_count": queries.count(visit_stmt),
        "funding": queries.funding_received(town.id),
    }
    title = _("International cooperation of %(municipality)s", municipality=town.name)
    description = _("Twin towns, policy priorities, joint development projects, knowledge-exchange visits and "
                    "funding received by %(municipality)s.", municipality=town.name)
    return render_template("cooperation/public/home.html", meta=page_meta(title, description), **context)


@public_bp.route("/<lang>/projects/")
def projects():
    town = municipality()
    title = _("Joint development projects of %(municipality)s", municipality=town.name)
    description = _("The joint development projects that %(municipality)s and its twin towns have published.",
                    municipality=town.name)
    return render_template("cooperation/public/list.html", kind="projects",
                           page=_page(queries.public_projects(town.id)), meta=page_meta(title, description))


@public_bp.route("/<lang>/projects/<int(max=2147483647):project_id>")
def project(project_id: int):
    town = municipality()
    item = found_or_404(queries.public_project(project_id, town.id))
    locale = current_locale()
    title = item.plain("title", locale, approved_only=True)
    description = item.plain("summary", locale, approved_only=True) or title
    return render_template("cooperation/public/project.html", project=item,
                           meta=page_meta(title, description, og_type="article"))


@public_bp.route("/<lang>/visits/")
def visits():
    town = municipality()
    title = _("Knowledge-exchange visits of %(municipality)s", municipality=town.name)
    description = _("Knowledge-exchange visits between %(municipality)s and its twin towns that took place: "
                    "dates, places, themes and lessons learned.", municipality=town.name)
    return render_template("cooperation/public/list.html", kind="visits",
                           page=_page(queries.public_visits(town.id)), meta=page_meta(title, description))


@public_bp.route("/<lang>/open-data")
def open_data():
    town = municipality()
    profile = queries.profile(town.id)
    title = _("Open data of %(municipality)s", municipality=town.name)
    description = _("The public joint development projects and visits of %(municipality)s as CSV and JSON, "
                    "under an open licence.", municipality=town.name)
    return render_template("cooperation/public/open_data.html", licence=queries.licence_of(profile),
                           meta=page_meta(title, description))


@public_bp.route("/<lang>/feed.atom")
def feed():
    town = municipality()
    entries = queries.feed_entries(town.id, FEED_ITEMS)
    body = render_template("cooperation/public/feed.xml", entries=entries,
                           updated=entries[0].published if entries else queries.as_utc(town.created_at),
                           feed_url=absolute_url("citizen.feed"), home_url=absolute_url("citizen.home"),
                           title=_("International cooperation of %(municipality)s", municipality=town.name))
    return Response(body, mimetype="application/atom+xml")
