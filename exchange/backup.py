"""`flask backup sqlite FILE`: an online backup of the embedded SQLite database (safe while the app runs:
SQLite's backup API copies a consistent snapshot page by page). PostgreSQL is backed up with its own
tools, pg_dump and pg_restore, as the README's "Backups" section shows."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import make_url

backup_cli = AppGroup("backup", help="Back up the database.")


def sqlite_backup(database_url: str, target: Path) -> int:
    """Copy the SQLite database at ``database_url`` to ``target``; returns the number of pages copied."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise click.ClickException("this database is not an SQLite file; for PostgreSQL use pg_dump "
                                   "(see the README, section Backups)")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{url.database}?mode=ro", uri=True)
    destination = sqlite3.connect(str(target))
    try:
        source.backup(destination)
        pages = destination.execute("PRAGMA page_count").fetchone()[0]
        if destination.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise click.ClickException(f"the copy at {target} failed its integrity check")
    finally:
        destination.close()
        source.close()
    return pages


@backup_cli.command("sqlite")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_sqlite(target: Path):
    """Write a consistent copy of the SQLite database to TARGET (the app may keep running)."""
    pages = sqlite_backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    click.echo(f"backed up {pages} pages to {target}")
