"""``/sitemap.xml`` (every municipality's public pages in every language, with their ``hreflang``
alternates) and ``/robots.txt`` (which names it)."""
from __future__ import annotations

from flask import Response, current_app, render_template

from exchange.cooperation import queries
from exchange.cooperation.views import site_bp
from exchange.tenancy import municipality_scope
from exchange.urls import absolute_url

LIST_PAGES = ("citizen.home", "citizen.projects", "citizen.visits", "citizen.open_data")


@site_bp.route("/sitemap.xml")
def sitemap():
    languages = current_app.config["LANGUAGES"]
    pages = []
    for town in queries.municipalities():
        # Each municipality's public pages, read in its own scope like its pages are.
        with municipality_scope(town):
            targets = [(endpoint, {}) for endpoint in LIST_PAGES]
            targets += [("citizen.project", {"project_id": pid}) for pid in queries.public_project_ids(town.id)]
            for endpoint, values in targets:
                pages.append([(code, absolute_url(endpoint, municipality=town.slug, lang=code, **values))
                              for code in languages])
    body = render_template("cooperation/public/sitemap.xml", pages=pages)
    return Response(body, mimetype="application/xml", headers={"Cache-Control": "public, max-age=3600"})


@site_bp.route("/robots.txt")
def robots():
    body = f"User-agent: *\nDisallow: /api/\nAllow: /\nSitemap: {absolute_url('site.sitemap')}\n"
    return Response(body, mimetype="text/plain", headers={"Cache-Control": "public, max-age=86400"})
