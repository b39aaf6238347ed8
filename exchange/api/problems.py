"""Errors of the read API as RFC 9457 problem details (``application/problem+json``).

Every error under ``/api/`` goes through here, whether a view aborted, the URL matched nothing, a query
argument was refused (webargs: 422 with the field errors) or a rate limit was hit (429 with Retry-After).
``title`` is the HTTP status phrase (``type`` is ``about:blank``); ``detail`` is a sentence in the
reader's language (Accept-Language).
"""
from __future__ import annotations

import json
import time

from flask import Response, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_JSON = "application/problem+json"


def _details() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("The access token is missing, invalid, expired or revoked."),
        403: _("This access token belongs to another municipality."),
        404: _("The resource does not exist, or you cannot see it."),
        405: _("This address does not accept that kind of request."),
        422: _("Some query parameters are not valid."),
        429: _("Too many requests in a short time. Wait and try again."),
        500: _("An error occurred on our side. Please try again later."),
    }


def problem(status: int, detail: str | None = None, headers: dict | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": detail or _details().get(status, HTTP_STATUS_CODES.get(status, "Error")),
            "instance": request.path, **extra}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON, headers=headers or {})


def from_http_exception(exc: HTTPException) -> Response:
    """Any HTTP error raised while answering an API request, as a problem."""
    if exc.code == 304:
        # If-None-Match matched (flask-smorest's ETag check): no body, the same validator back.
        response = Response(status=304)
        if len(request.if_none_match.as_set()) == 1:
            response.set_etag(next(iter(request.if_none_match.as_set())))
        return response
    data = getattr(exc, "data", None) or {}
    extra = {}
    headers = dict(data.get("headers") or {})
    messages = data.get("messages") or data.get("errors")
    if messages:
        # webargs: {"query": {"limit": ["…"]}} → {"limit": ["…"]}
        extra["errors"] = {field: errors for location in messages.values() for field, errors in location.items()} \
            if all(isinstance(v, dict) for v in messages.values()) else messages
    if exc.code == 429:
        from exchange.extensions import limiter
        current = limiter.current_limit
        headers["Retry-After"] = str(max(1, int(current.reset_at - time.time())) if current is not None else 60)
    if exc.code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api", error="invalid_token"'
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        headers["Allow"] = ", ".join(exc.valid_methods)
    detail = data.get("message") if isinstance(data.get("message"), str) else None
    return problem(exc.code or 500, detail, headers, **extra)
