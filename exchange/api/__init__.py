"""The read API (issue 17): ``/api/v1/``, documented by an OpenAPI 3.1 document generated from the code.

Library: flask-smorest (on apispec and marshmallow, all maintained by the marshmallow-code project). The
schemas that serialise every response and validate every query string are the ones the document is
generated from, and the ETag handling documents itself, so documentation and behaviour cannot drift.
apispec alone would have needed hand-written YAML in docstrings for every operation.

* ``resources``: the operations; ``schemas``: their shapes; ``audience``: which queries answer whom;
* ``models``/``services``/``views``: personal access tokens, created and revoked on the account page;
* ``problems``: every error under /api/ as RFC 9457 problem details.
"""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api

API_PREFIX = "/api/v1"


class ExchangeApi(Api):
    """flask-smorest, without its app-wide error handler (the pages keep their HTML error pages; errors
    under /api/ are problem details, see ``problems``) and with problem details as the documented errors."""

    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        from exchange.api.problems import PROBLEM_JSON
        from exchange.api.schemas import ProblemSchema
        import http
        from flask_smorest.utils import prepare_response
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = ProblemSchema
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)


def init_app(app: Flask) -> None:
    from exchange import errorpages
    from exchange.api import problems, resources

    app.config.setdefault("API_TITLE", "Twin-Town Exchange read API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_TOKEN_RATE_LIMIT", "1000 per hour")
    app.config.setdefault("API_ANONYMOUS_RATE_LIMIT", "300 per hour")
    app.config.setdefault("API_SPEC_OPTIONS", {
        # The data's licence is each municipality's choice: see `licence` of /municipalities/{slug}.
        "info": {"description": resources.__doc__.strip()},
        "servers": [{"url": app.config["PUBLIC_URL"].rstrip("/")}],
        "components": {"securitySchemes": {"token": {
            "type": "http", "scheme": "bearer",
            "description": "A personal access token (My account → Access tokens): read-only, expiring, "
                           "for its municipality's own data."}}},
    })
    api = ExchangeApi(app)
    api.register_blueprint(resources.blp)
    errorpages.register_prefix(API_PREFIX + "/", problems.from_http_exception)
