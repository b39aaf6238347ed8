"""`flask jobs …`: the worker and the scheduler processes, and one-off runs for operators."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from exchange.extensions import db

jobs_cli = AppGroup("jobs", help="The job worker, the scheduler of recurring jobs, and one-off runs.")


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and one-off runs).")
def worker(burst):
    """Run the RQ worker that delivers outbox messages and runs recurring jobs (needs EXCHANGE_REDIS_URL)."""
    from rq import SimpleWorker

    from exchange.jobs.queue import rq_queue
    queue = rq_queue()
    # SimpleWorker runs each job in this process, where the app and its database pool live; every job
    # pushes its own app context (exchange.jobs.tasks).
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=False)


@jobs_cli.command("scheduler")
@click.option("--interval", default=30, show_default=True, help="Seconds between checks.")
@click.option("--once", is_flag=True, help="Check once and stop.")
def scheduler(interval, once):
    """Start recurring jobs when they are due and re-queue outbox messages whose retry is due. Several
    schedulers may run (one per host): each due job is claimed by exactly one."""
    from exchange.jobs.queue import run_due
    while True:
        started = run_due()
        if started:
            click.echo(f"started: {', '.join(started)}")
        db.session.remove()
        if once:
            return
        time.sleep(interval)


@jobs_cli.command("run-due")
def run_due_command():
    """Run (or, with the rq backend, queue) every recurring job that is due now, once."""
    from exchange.jobs.queue import run_due
    for name in run_due():
        click.echo(f"started {name}")


@jobs_cli.command("run")
@click.argument("name")
def run_one(name):
    """Run one recurring job now, whatever its schedule (e.g. `flask jobs run audit.prune`)."""
    from exchange.jobs.queue import registered, run_job
    if name not in registered():
        raise click.ClickException(f"unknown job {name!r}; known: {', '.join(sorted(registered()))}")
    click.echo(run_job(name) or "done")


@jobs_cli.command("list")
def list_jobs():
    """The recurring jobs, their schedule and their last run."""
    from exchange.jobs.queue import last_runs, registered
    runs = {run.name: run for run in last_runs()}
    for name, job in sorted(registered().items()):
        run = runs.get(name)
        last = f"last started {run.started_at:%Y-%m-%d %H:%M} UTC" if run and run.started_at else "never run"
        error = f", last error: {run.last_error}" if run and run.last_error else ""
        click.echo(f"{name}\tevery {job.every}\t{last}{error}")
    click.echo(f"backend: {current_app.config['JOBS_BACKEND']}")
