"""Handing committed outbox messages and recurring jobs to whoever runs them.

Two backends, chosen by ``JOBS_BACKEND``:

* ``inline`` (the embedded default, ``make run``): no Redis, no worker. Messages written by a request are
  delivered in the same process right after its commit; recurring jobs run when they are due, checked
  after requests at most once a minute.
* ``rq`` (production): messages and due recurring jobs are enqueued on RQ over Redis and run by
  ``flask jobs worker``; ``flask jobs scheduler`` starts due recurring jobs and re-queues messages whose
  retry is due (or whose hand-over failed because Redis was briefly away: the row stays pending, so
  nothing is lost).

RQ rather than Dramatiq: RQ needs nothing but Redis, its jobs are plain functions, and its SimpleWorker
runs them in the worker's own process, where the Flask app and its database pool live.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import event, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exchange.db import utcnow
from exchange.extensions import db
from exchange.jobs import services
from exchange.jobs.models import JobRun

log = logging.getLogger(__name__)


# --- after the commit ----------------------------------------------------------------------------

@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop("outbox_pending", None)
    if pending:
        session.info.setdefault("outbox_committed", []).extend(pending)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    # A rolled-back request sends nothing.
    session.info.pop("outbox_pending", None)


def dispatch_committed() -> None:
    """Hand the messages committed so far by this app context to the backend."""
    if not db.session.registry.has():
        return
    # A delivered message may write messages of its own (a notification event its mails): hand those
    # over too, until nothing new was committed.
    while ids := db.session.info.pop("outbox_committed", None):
        hand_over(ids)


def hand_over(ids: list[int]) -> None:
    if current_app.config["JOBS_BACKEND"] == "rq":
        try:
            queue = rq_queue()
            for message_id in ids:
                queue.enqueue("exchange.jobs.tasks.deliver", message_id, job_timeout=120,
                              failure_ttl=7 * 86400)
        except Exception as exc:  # noqa: BLE001 - Redis away: the scheduler's sweep hands them over later
            log.warning("could not hand %d outbox message(s) to the queue: %s", len(ids), exc)
        return
    for message_id in ids:
        services.deliver(message_id)


def rq_queue():
    from redis import Redis
    from rq import Queue
    connection = current_app.extensions.get("exchange_redis")
    if connection is None:
        connection = current_app.extensions["exchange_redis"] = Redis.from_url(
            current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
    return Queue(current_app.config["JOBS_QUEUE"], connection=connection)


# --- recurring jobs --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recurring:
    name: str
    every: dt.timedelta
    func: Callable[[], str | None]


_recurring: dict[str, Recurring] = {}


def recurring(name: str, every: dt.timedelta):
    """Register a job to run every ``every`` without a human. It must be idempotent: it may run twice
    in a row (a retried job), and it decides itself which municipalities it serves."""
    def register(func: Callable[[], str | None]):
        _recurring[name] = Recurring(name, every, func)
        return func
    return register


def registered() -> dict[str, Recurring]:
    return dict(_recurring)


def _claim(job: Recurring, now: dt.datetime) -> bool:
    """Start ``job`` if it is due; only one scheduler (or worker) wins the claim."""
    if db.session.get(JobRun, job.name) is None:
        try:
            with db.session.begin_nested():
                db.session.add(JobRun(name=job.name))
        except IntegrityError:
            pass
    claimed = db.session.execute(
        update(JobRun).where(JobRun.name == job.name,
                             or_(JobRun.started_at.is_(None), JobRun.started_at <= now - job.every))
        .values(started_at=now))
    db.session.commit()
    return claimed.rowcount == 1


def run_job(name: str) -> str:
    """Run one recurring job now and record its outcome (the worker's entry point; also the CLI's)."""
    job = _recurring[name]
    try:
        result = job.func() or ""
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - recorded for operators, then re-raised for the worker
        db.session.rollback()
        _finish(name, "", f"{type(exc).__name__}: {exc}")
        raise
    _finish(name, result, "")
    return result


def _finish(name: str, result: str, error: str) -> None:
    db.session.execute(update(JobRun).where(JobRun.name == name)
                       .values(finished_at=utcnow(), last_result=result[:2000], last_error=error[:2000]))
    db.session.commit()


def run_due(now: dt.datetime | None = None) -> list[str]:
    """Start every recurring job that is due, and hand over outbox messages whose attempt is due.
    Returns the names of the jobs started."""
    now = now or utcnow()
    started = []
    for job in _recurring.values():
        if not _claim(job, now):
            continue
        started.append(job.name)
        if current_app.config["JOBS_BACKEND"] == "rq":
            try:
                rq_queue().enqueue("exchange.jobs.tasks.run_job", job.name, job_timeout=3600)
            except Exception as exc:  # noqa: BLE001
                log.warning("could not queue recurring job %s: %s", job.name, exc)
        else:
            try:
                run_job(job.name)
            except Exception:  # noqa: BLE001 - recorded in job_runs; the others still run
                log.exception("recurring job %s failed", job.name)
    due = services.due_messages()
    if due:
        hand_over(due)
    return started


def last_runs() -> list[JobRun]:
    return list(db.session.scalars(select(JobRun).order_by(JobRun.name)))


# --- wiring ----------------------------------------------------------------------------------------

def init_app(app: Flask) -> None:
    """Deliver committed messages at the end of each request and app context (CLI commands too); in the
    embedded setup, also run due recurring jobs now and then."""

    @app.after_request
    def _after(response):
        dispatch_committed()
        if app.config["JOBS_BACKEND"] == "inline" and not app.config.get("TESTING"):
            _maybe_run_due(app)
        return response

    @app.teardown_appcontext
    def _teardown(exc) -> None:
        if exc is None:
            try:
                dispatch_committed()
            except Exception:  # noqa: BLE001 - never fail the teardown; the sweep delivers later
                log.exception("outbox dispatch at teardown failed")


def _maybe_run_due(app: Flask) -> None:
    state = app.extensions.setdefault("exchange_jobs", {"checked": 0.0})
    if time.monotonic() - state["checked"] < 60:
        return
    state["checked"] = time.monotonic()
    try:
        run_due()
    except Exception:  # noqa: BLE001 - the request has been answered already; log and go on
        db.session.rollback()
        log.exception("recurring jobs failed")
