"""What operators see: a request id on every response, one structured log line per request, errors as
one event with their traceback, and Prometheus metrics on an endpoint that is not public.

Log lines carry no personal data: no names, e-mail addresses, client addresses or URL paths (a path
can hold a token); the endpoint name, the municipality's slug and the user's id are enough to follow a
request.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
import uuid

from flask import Flask, Response, abort, g, request
from flask_login import current_user

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
access_log = logging.getLogger("exchange.access")


def request_id() -> str:
    """This request's id (taken from a well-formed incoming X-Request-ID, else made up), set as early as
    anything asks for it: an error can happen before the before_request hooks run."""
    rid = g.get("request_id")
    if rid is None:
        incoming = request.headers.get("X-Request-ID", "")
        rid = g.request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return rid


class JsonFormatter(logging.Formatter):
    """One JSON object per line; an exception's traceback is a field of the same event."""

    def format(self, record: logging.LogRecord) -> str:
        event = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        event.update(getattr(record, "fields", {}))
        if record.exc_info:
            event["traceback"] = self.formatException(record.exc_info)
        try:
            from flask import has_request_context
            if has_request_context() and "request_id" not in event and g.get("request_id"):
                event["request_id"] = g.request_id
        except RuntimeError:
            pass
        return json.dumps(event, ensure_ascii=False, default=str)


def configure_logging(app: Flask) -> None:
    """Log to stderr: JSON lines in production (LOG_FORMAT=json), readable text in development."""
    root = logging.getLogger()
    if getattr(root, "_exchange_configured", False) or app.config.get("TESTING"):
        return
    handler = logging.StreamHandler(sys.stderr)
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.handlers[:] = [handler]
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    root._exchange_configured = True  # type: ignore[attr-defined]
    app.logger.handlers.clear()  # propagate to the root handler only
    app.logger.propagate = True


# --- metrics -------------------------------------------------------------------------------------

def _metrics():
    """The Prometheus metrics of this process (multi-process mode under gunicorn when
    PROMETHEUS_MULTIPROC_DIR is set)."""
    from prometheus_client import Counter, Histogram
    registry = _metrics.__dict__.get("objects")
    if registry is None:
        registry = _metrics.objects = {
            "requests": Counter("exchange_requests_total", "HTTP requests", ["method", "endpoint", "status"]),
            "duration": Histogram("exchange_request_seconds", "Time to answer a request", ["endpoint"],
                                  buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)),
            "errors": Counter("exchange_errors_total", "Unhandled errors", ["endpoint"]),
        }
    return registry


def count_error(endpoint: str | None) -> None:
    _metrics()["errors"].labels(endpoint or "none").inc()


def metrics_response() -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY as registry
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    configure_logging(app)

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()
        request_id()

    @app.after_request
    def _finish(response: Response) -> Response:
        rid = request_id()
        response.headers["X-Request-ID"] = rid
        duration = time.perf_counter() - g.get("request_started", time.perf_counter())
        endpoint = request.endpoint or "none"
        municipality = g.get("municipality")
        try:
            user_id = current_user.get_id() if current_user and current_user.is_authenticated else None
        except Exception:  # noqa: BLE001 - the database may be the reason this is an error page
            user_id = None
        access_log.info("%s %s %s %.1f ms", request.method, endpoint, response.status_code, duration * 1000,
                        extra={"fields": {
            "request_id": rid, "method": request.method, "endpoint": endpoint, "status": response.status_code,
            "duration_ms": round(duration * 1000, 1), "municipality": getattr(municipality, "slug", None),
            "user_id": user_id}})
        metrics = _metrics()
        metrics["requests"].labels(request.method, endpoint, str(response.status_code)).inc()
        metrics["duration"].labels(endpoint).observe(duration)
        return response

    @app.route("/metrics")
    def metrics():
        # Not public: without a configured token it does not exist; with one, it must be presented.
        token = app.config.get("METRICS_TOKEN")
        if not token or request.headers.get("Authorization", "") != f"Bearer {token}":
            abort(404)
        return metrics_response()
