"""The two WSGI apps bench/served.py serves with gunicorn: a bare Flask hello (the yardstick) and the
exchange on the benchmark's database (EXCHANGE_BENCH_DATABASE), configured as the in-process benchmark."""
from __future__ import annotations

import logging
import os

from flask import Flask


def _hello() -> Flask:
    app = Flask("hello")
    app.add_url_rule("/", "hello", lambda: "hello")
    return app


def __getattr__(name: str):
    # Built on first use, so serving one app does not build the other.
    if name == "hello":
        return _hello()
    if name == "exchange":
        from bench.__main__ import make_app
        logging.getLogger("exchange.access").setLevel(logging.WARNING)
        return make_app(os.environ["EXCHANGE_BENCH_DATABASE"])
    raise AttributeError(name)
