"""Platform operators' commands: `flask --app wsgi municipality|user|demo …`.

They call the same services as the views, and commit once per command.
"""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from exchange.errors import Refusal
from exchange.extensions import db
from exchange.tenancy import municipality_scope

municipality_cli = AppGroup("municipality", help="Create and list municipalities.")
user_cli = AppGroup("user", help="Create accounts from the command line.")
demo_cli = AppGroup("demo", help="Demo data.")


def refused(refusal: Refusal) -> click.ClickException:
    """A service's refusal as a command-line error, in English (operators share one language here)."""
    from flask_babel import force_locale
    with force_locale("en"):
        return click.ClickException(f"{refusal.field}: {refusal.message}" if refusal.field else refusal.message)


@municipality_cli.command("create")
@click.option("--slug", required=True, help="URL name, e.g. kungalv")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166 code, e.g. SE")
@click.option("--locale", "default_locale", required=True, help="Default interface language, e.g. sv")
@click.option("--currency", required=True, help="ISO 4217 code, e.g. SEK")
@click.option("--timezone", required=True, help="IANA time zone, e.g. Europe/Stockholm")
@click.option("--contact-email", default=None, help="Contact for accessibility feedback and questions")
def create_municipality(slug, name, country, default_locale, currency, timezone, contact_email):
    """Create a municipality, or update the one with this slug."""
    from exchange.municipalities.services import create_or_update
    try:
        municipality, created = create_or_update(slug, name, country.upper(), default_locale, currency.upper(),
                                                 timezone, contact_email)
    except Refusal as exc:
        raise refused(exc) from exc
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} {municipality.slug}: {municipality.name}")


@municipality_cli.command("list")
def list_municipalities():
    """List the municipalities of the network."""
    from exchange.municipalities.queries import all_ordered
    for m in all_ordered():
        click.echo(f"{m.slug}\t{m.name}\t{m.country}\t{m.default_locale}\t{m.currency}\t{m.timezone}")


@municipality_cli.command("twin")
@click.argument("first")
@click.argument("second")
@click.option("--since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Date of the agreement")
def twin_municipalities(first, second, since):
    """Record that two municipalities are twin towns (or correct the date)."""
    from exchange.cooperation.services import set_twinning
    from exchange.municipalities.queries import by_slug
    towns = [by_slug(slug) for slug in (first, second)]
    if None in towns:
        raise click.ClickException(f"unknown municipality {first if towns[0] is None else second!r}")
    try:
        _twinning, created = set_twinning(towns[0], towns[1], since.date())
    except Refusal as exc:
        raise refused(exc) from exc
    db.session.commit()
    click.echo(f"{'Recorded' if created else 'Updated'}: {first} and {second} are twin towns since {since.date()}")


@user_cli.command("create")
@click.option("--municipality", "slug", required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["staff", "coordinator", "translator", "admin"]))
@click.password_option()
def create_user(slug, email, name, roles, password):
    """Create an account (for example the first admin of a new municipality)."""
    from exchange.auth.models import Role
    from exchange.auth.services import create_user as create
    from exchange.municipalities.queries import by_slug
    municipality = by_slug(slug)
    if municipality is None:
        raise click.ClickException(f"unknown municipality {slug!r}")
    with municipality_scope(municipality):
        try:
            user = create(email, name, {Role(r) for r in roles}, password=password)
        except Refusal as exc:
            raise refused(exc) from exc
        db.session.commit()
        click.echo(f"Created {user.email} in {slug}")


@demo_cli.command("load")
def load_demo():
    """Load the demo municipalities, accounts and content. Safe to run again."""
    if current_app.config["ENV_NAME"] == "production":
        # The demo accounts (admin@…) share a published password: never in a real installation.
        raise click.ClickException("demo load refuses to run with EXCHANGE_ENV=production")
    from exchange.demo import load
    for line in load(current_app.config["DEMO_PASSWORD"]):
        click.echo(line)
    db.session.commit()


@demo_cli.command("scale")
@click.argument("n", type=click.IntRange(min=1))
@click.option("--seed", default=12, show_default=True, help="Random seed (the same seed gives the same data).")
def demo_scale(n, seed):
    """Load the demo, then add N rows of every kind with bulk inserts (issue 12: benchmarks at scale)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo scale refuses to run with EXCHANGE_ENV=production")
    from bench.generate import ensure_demo, generate
    ensure_demo(current_app, current_app.config["DEMO_PASSWORD"])
    generate(current_app, n, seed=seed, log=click.echo)


@demo_cli.command("code")
def demo_code():
    """Print the demo admins' current second-factor code (development only)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("there are no demo accounts in production")
    from exchange.demo import current_code
    click.echo(current_code())


audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
@click.option("--municipality", "slug", default=None, help="Only this municipality (default: all).")
def audit_verify(slug):
    """Check every municipality's audit chain: no entry changed, removed or reordered (exit 1 if one is)."""
    from exchange.audit.services import verify
    from exchange.municipalities.queries import all_ordered
    broken = False
    for municipality in all_ordered():
        if slug and municipality.slug != slug:
            continue
        with municipality_scope(municipality):
            result = verify()
        if result.ok:
            click.echo(f"{municipality.slug}: ok, {result.entries} entries")
        else:
            broken = True
            click.echo(f"{municipality.slug}: BROKEN at entry {result.broken_at}: {result.reason}")
    if broken:
        raise SystemExit(1)


def register_cli(app: Flask) -> None:
    from exchange.jobs.cli import jobs_cli
    from exchange.backup import backup_cli
    app.cli.add_command(jobs_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(municipality_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(visits_cli)
    app.cli.add_command(translations_cli)


# --- visits (issue 5) ----------------------------------------------------------------------------
# NOTE (workbench, issue 6): this block was lost by an edit of the translations section below and
# rebuilt from tests/visits/test_personal_data.py::test_retention_cli_is_safe_to_run_daily. Please check.

visits_cli = AppGroup("visits", help="Knowledge-exchange visits: retention of personal data.")


@visits_cli.command("anonymise-expired")
def anonymise_expired():
    """Anonymise participants' names past each municipality's retention period (safe to run daily)."""
    from exchange.municipalities.queries import all_ordered
    from exchange.visits.services import anonymise_expired as anonymise
    for municipality in all_ordered():
        with municipality_scope(municipality):
            count = anonymise()
        click.echo(f"{municipality.slug}: {count}")
    db.session.commit()


# --- translations (the live interface catalogs, exchange.i18n.catalog) ---------------------------

translations_cli = AppGroup("translations", help="Sync the shipped catalogs into the live store, export it back.")


@translations_cli.command("sync")
@click.option("--dir", "directory", default=None, help="Catalog directory (default: translations/)")
@click.option("--locale", "locales", multiple=True, help="Only these locales (default: all configured)")
def translations_sync(directory, locales):
    """Merge new msgids of translations/<locale>/LC_MESSAGES/messages.po into the live catalogs,
    keeping every translation made in the workbench."""
    from exchange.i18n.catalog.sync import po_path, sync_shipped
    for locale, report in sync_shipped(list(locales) or None, directory):
        if report is None:
            click.echo(f"{locale}: no catalog at {po_path(locale, directory)}, skipped")
            continue
        click.echo(f"{locale}: {report.added} added, {report.filled} filled, {report.updated} updated from the "
                   f"file, {report.revived} back again, {len(report.conflicts)} in conflict with workbench edits, "
                   f"{report.kept} kept, "
                   f"{report.obsoleted} obsolete, {len(report.rejected)} rejected"
                   + (f", now version {report.version}" if report.version else ""))
        for msgid, problems in report.rejected:
            click.echo(f"  rejected {msgid[:70]!r}: {', '.join(p.code for p in problems)}")
        for msgid in report.conflicts:
            click.echo(f"  conflict (listed in the workbench under 'Changed in the shipped file'): {msgid[:70]!r}")
    db.session.commit()


@translations_cli.command("export")
@click.option("--dir", "directory", default=None, help="Catalog directory (default: translations/)")
@click.option("--locale", "locales", multiple=True, help="Only these locales (default: all configured)")
def translations_export(directory, locales):
    """Write the published live catalogs to <dir>/<locale>/LC_MESSAGES/messages.po (for committing)."""
    from babel.messages.pofile import write_po
    from exchange.i18n.catalog.sync import export_catalog, po_path, shipped_catalog
    for locale in locales or current_app.config["LANGUAGES"]:
        catalog = export_catalog(locale, shipped_catalog(locale, directory))
        if not len(catalog):
            click.echo(f"{locale}: the live catalog is empty, nothing written")
            continue
        path = po_path(locale, directory)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            write_po(f, catalog, width=76)
        click.echo(f"{locale}: wrote {len(catalog)} messages to {path}")


@translations_cli.command("sort-keys")
def translations_sort_keys():
    """Recompute the stored sort keys of every project title and organisation name, one per configured
    language (run it after adding a language to EXCHANGE_LANGUAGES: lists sorted by name read them)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from exchange.i18n.sorting import refresh_text_keys
    from exchange.partners.models import Organisation
    from exchange.partners.services import refresh_sort_keys
    from exchange.projects.models import Project
    from exchange.tenancy import all_municipalities

    batch = 500
    # Platform maintenance: the keys of every municipality's rows are derived data, rewritten for all.
    with all_municipalities():
        projects = organisations = 0
        last = 0
        while rows := list(db.session.scalars(
                select(Project).where(Project.id > last).order_by(Project.id).limit(batch)
                .options(selectinload(Project.texts), selectinload(Project.sort_keys)))):
            for project in rows:
                refresh_text_keys(project)
            db.session.flush()
            projects, last = projects + len(rows), rows[-1].id
        last = 0
        while rows := list(db.session.scalars(
                select(Organisation).where(Organisation.id > last).order_by(Organisation.id).limit(batch)
                .options(selectinload(Organisation.sort_keys)))):
            organisations, last = organisations + refresh_sort_keys(rows), rows[-1].id
    db.session.commit()
    click.echo(f"sort keys of {projects} projects and {organisations} organisations are up to date")
