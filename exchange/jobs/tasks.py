"""The functions the RQ worker runs (named by their import path when enqueued). Each runs in a fresh app
context of the worker's app, so every job gets its own database session and municipality scope."""
from __future__ import annotations

from flask import current_app


def deliver(message_id: int) -> str:
    from exchange.jobs import services
    with current_app.app_context():
        return services.deliver(message_id)


def run_job(name: str) -> str:
    from exchange.jobs import queue
    with current_app.app_context():
        return queue.run_job(name)
