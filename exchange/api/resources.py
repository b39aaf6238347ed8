"""The read API, ``/api/v1/``: GET only, JSON, documented by the OpenAPI document that flask-smorest
builds from these decorators and the schemas (``/api/v1/openapi.json``).

Anonymous requests read what the public pages show; a personal access token (``Authorization: Bearer
…``) reads its municipality's own data, through the same queries and predicates as its signed-in pages
(exchange.api.audience). Lists are paginated with a cursor; every response carries an ETag and answers
``If-None-Match`` with 304; errors are problem details (exchange.api.problems).
"""
from __future__ import annotations

from flask import abort, current_app, g, request
from flask_smorest import Blueprint

from exchange.api import schemas, services
from exchange.api.audience import Audience, page
from exchange.api.problems import PROBLEM_JSON
from exchange.cooperation import queries as public
from exchange.cooperation import records
from exchange.extensions import db, limiter
from exchange.municipalities.queries import all_ordered, by_slug
from exchange.projects.models import Project
from exchange.security import client_address, token_hash
from exchange.tenancy import municipality_scope, set_municipality
from exchange.views import found_or_404
from exchange.visits.models import Visit

blp = Blueprint("api", __name__, url_prefix="/api/v1",
                description="Twin towns, policy priorities, joint development projects, knowledge-exchange visits "
                            "and funding of the municipalities of the network.")


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def _rate_key() -> str:
    """Rate limits per token (its hash), and per client address for anonymous requests."""
    secret = _bearer()
    return "api-token:" + token_hash(secret) if secret is not None else "api-address:" + client_address()


def _rate_limit() -> str:
    return current_app.config["API_TOKEN_RATE_LIMIT" if _bearer() is not None else "API_ANONYMOUS_RATE_LIMIT"]


limiter.limit(_rate_limit, key_func=_rate_key)(blp)

# Anonymous requests read public data; a token reads its municipality's own data.
SECURITY = [{}, {"token": []}]
SCOPED = (401, 403, 404, 429)  # the problems of a municipality's resources
MAX_ID = 2**31 - 1
ID = f"int(min=1, max={MAX_ID})"

_ERRORS = {400: "Bad request", 401: "The access token is missing, invalid, expired or revoked",
           403: "The token belongs to another municipality", 404: "Not found", 429: "Too many requests"}


def _documented(*codes: int):
    """Document the problem responses an operation may give (application/problem+json)."""
    def decorator(func):
        for code in codes:
            func = blp.alt_response(code, schema=schemas.ProblemSchema, content_type=PROBLEM_JSON,
                                    description=_ERRORS[code])(func)
        return blp.doc(security=SECURITY)(func)
    return decorator


def _get(rule: str, schema, *errors: int, args=None):
    """A GET operation: its route, ETag (304 on If-None-Match), query arguments, response schema and the
    problem responses it may give, all documented from here."""
    def decorator(func):
        func = blp.response(200, schema)(_documented(*errors)(func))
        if args is not None:
            func = blp.arguments(args, location="query", as_kwargs=True)(func)
        return blp.route(rule)(blp.etag(func))
    return decorator


# --- who is asking -------------------------------------------------------------------------------

@blp.before_request
def _authenticate() -> None:
    """A presented token must be valid (401 otherwise, never silently anonymous)."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, secret = header.partition(" ")
    slug = services.slug_of(secret.strip()) if scheme.lower() == "bearer" else None
    town = by_slug(slug) if slug else None
    if town is None:
        abort(401)
    with municipality_scope(town):
        token, noted = services.authenticate(secret.strip())
        if token is None:
            abort(401)
        if noted:
            db.session.commit()  # "last used", written at most every few minutes
        g.api_token = (token.municipality_id, token.user)


def _audience(slug: str) -> Audience:
    """The municipality of the address, in scope, and who reads it (403 for another municipality's token)."""
    town = by_slug(slug)
    if town is None:
        abort(404)
    set_municipality(town)
    if g.api_token is None:
        return Audience(town)
    municipality_id, user = g.api_token
    if municipality_id != town.id:
        abort(403)
    return Audience(town, user)


@blp.after_request
def _caching(response):
    response.vary.add("Authorization")
    response.vary.add("Accept-Language")
    if response.status_code in (200, 304):
        response.headers["Cache-Control"] = "private, no-cache" if g.get("api_token") else "public, no-cache"
    return response


def _after(args: dict) -> int | None:
    """The id the page starts below; a cursor above every possible id starts at the top."""
    cursor = args.get("cursor")
    value = int(cursor, 36) if cursor else None
    return value if value is not None and value <= MAX_ID else None


def _cursor(last_id: int | None) -> str | None:
    if last_id is None:
        return None
    digits, value = "", last_id
    while value:
        value, rest = divmod(value, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
    return digits or "0"


# --- resources -----------------------------------------------------------------------------------

@_get("/municipalities", schemas.MunicipalityListSchema, 401, 429)
def municipalities():
    """The municipalities of the network."""
    return {"items": [{"slug": m.slug, "name": m.name, "country": m.country, "default_locale": m.default_locale,
                       "currency": m.currency, "url": records.public_url("citizen.home", m)} for m in all_ordered()]}


@_get("/municipalities/<slug>", schemas.ProfileSchema, *SCOPED)
def municipality(slug: str):
    """A municipality's international cooperation: twin towns and since when, policy priorities, the
    licence of its open data."""
    audience = _audience(slug)
    profile = audience.profile()
    return records.profile_record(audience.municipality, public.twin_towns(audience.municipality.id), profile,
                                  public.licence_of(profile), audience.is_public)


@_get("/municipalities/<slug>/projects", schemas.ProjectPageSchema, *SCOPED, args=schemas.ProjectArgsSchema)
def projects(slug: str, **args):
    """The joint development projects the municipality leads or takes part in, newest first. Public:
    the ones marked public, approved texts only. With the municipality's token: all of them (drafts
    included) with every language version."""
    audience = _audience(slug)
    items, last = page(audience.projects(args.get("status")), Project, _after(args), args["limit"])
    return {"items": [records.project_record(p, audience.municipality, audience.is_public) for p in items],
            "next_cursor": _cursor(last)}


@_get(f"/municipalities/<slug>/projects/<{ID}:project_id>", schemas.ProjectDetailSchema, *SCOPED)
def project(slug: str, project_id: int):
    """One project with its funding plan (never contact people)."""
    audience = _audience(slug)
    found = found_or_404(audience.project(project_id))
    return {**records.project_record(found, audience.municipality, audience.is_public),
            "funding": records.funding_records(found)}


@_get("/municipalities/<slug>/visits", schemas.VisitPageSchema, *SCOPED, args=schemas.PageArgsSchema)
def visits(slug: str, **args):
    """Knowledge-exchange visits the municipality hosted or made, newest first. Public: the ones that took
    place (dates, places, themes, lessons when marked public; never names)."""
    audience = _audience(slug)
    items, last = page(audience.visits(), Visit, _after(args), args["limit"])
    return {"items": [records.visit_record(v, audience.is_public, audience.visit_details(v)) for v in items],
            "next_cursor": _cursor(last)}


@_get(f"/municipalities/<slug>/visits/<{ID}:visit_id>", schemas.VisitSchema, *SCOPED)
def visit(slug: str, visit_id: int):
    """One visit."""
    audience = _audience(slug)
    found = found_or_404(audience.visit(visit_id))
    return records.visit_record(found, audience.is_public, audience.visit_details(found))


@_get("/municipalities/<slug>/funding", schemas.FundingListSchema, *SCOPED)
def funding(slug: str):
    """Funding received from EU and national programmes per programme, year and currency (public projects
    that run or ran; the same figures as the public page)."""
    audience = _audience(slug)
    return {"items": [{"source": row.source.value, "year": row.year, "currency": row.currency,
                       "amount": str(row.amount), "projects": row.projects}
                      for row in public.funding_received(audience.municipality.id)]}
