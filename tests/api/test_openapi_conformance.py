"""A property-based run of the read API against its own OpenAPI document (schemathesis): for every
operation, generated requests that fit the document and requests that break it; every response must
conform to the document (status codes, content types, headers, schemas), no request may cause a server
error, valid input must be accepted and invalid input refused (schemathesis' default checks).
Anonymous and with a municipality's token, on every database of the suite.

Kept fast for the normal suite: a bounded, derandomised number of examples per operation.
(schemathesis' own pytest plugin does not run under pytest 9 yet, so the operations' Hypothesis strategies
are driven directly, which is its documented way of using them in other tests.)
"""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

SETTINGS = settings(max_examples=10, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


@pytest.fixture
def api_schema(app, network):
    limits = app.config["API_TOKEN_RATE_LIMIT"], app.config["API_ANONYMOUS_RATE_LIMIT"]
    app.config["API_TOKEN_RATE_LIMIT"] = app.config["API_ANONYMOUS_RATE_LIMIT"] = "100000 per hour"
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    app.config["API_TOKEN_RATE_LIMIT"], app.config["API_ANONYMOUS_RATE_LIMIT"] = limits


def _run(schema, headers: dict | None = None, negative: bool = True) -> int:
    """Every operation, in both generation modes, with generated and with a real municipality's slug."""
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    runs = 0
    for operation in operations:
        # Only numbers and the list parameters can be made invalid; free-form strings (a slug, a header)
        # cannot, so those operations get no negative run.
        breakable = negative and (len(operation.query) > 0 or "_id}" in operation.path)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if breakable else (GenerationMode.POSITIVE,):
            for path in ({}, {"slug": "kungalv"}):
                fixed = {k: v for k, v in path.items() if "{" + k + "}" in operation.path}
                if path and not fixed:
                    continue
                strategy = operation.as_strategy(mode, path_parameters=fixed or None, headers=headers)

                @given(case=strategy)
                @SETTINGS
                def check(case):
                    case.call_and_validate()

                try:
                    check()
                except Unsatisfiable:
                    # Nothing in this operation can be made invalid (only free-form strings left to vary).
                    assert mode == GenerationMode.NEGATIVE, operation.label
                    continue
                runs += 1
    return runs


def test_anonymous_requests_conform(api_schema):
    assert _run(api_schema) >= 14


def test_token_requests_conform(api_schema, make_token):
    # Invalid input is refused before anyone's data is read: the anonymous run covers it.
    assert _run(api_schema, make_token("kungalv").headers, negative=False) >= 12
