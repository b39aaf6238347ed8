"""Open data files: ``/<municipality>/public/data/{projects,visits}.{csv,json}``, under the licence the
municipality's admins chose (named in a ``Link: rel="license"`` header and in the JSON itself)."""
from __future__ import annotations

from flask import Response, abort, stream_with_context

from exchange.cooperation import exports, queries
from exchange.cooperation.views import municipality, public_bp

DATASETS = ("projects", "visits")


@public_bp.route("/data/<dataset>.<fmt>")
def data(dataset: str, fmt: str):
    if dataset not in DATASETS or fmt not in ("csv", "json"):
        abort(404)
    town = municipality()
    licence = queries.licence_of(queries.profile(town.id))
    if fmt == "csv":
        body = (exports.projects_csv if dataset == "projects" else exports.visits_csv)(town)
        mimetype = "text/csv"
    else:
        items = (exports.project_records if dataset == "projects" else exports.visit_records)(town)
        body = exports.json_document(town, licence, items)
        mimetype = "application/json"
    filename = f"{town.slug}-{dataset}.{fmt}"
    return Response(stream_with_context(body), mimetype=mimetype, headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Link": f'<{licence.url}>; rel="license"',
        "Access-Control-Allow-Origin": "*",
    })
