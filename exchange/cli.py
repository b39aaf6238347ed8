"""Platform operators' commands: `flask --app wsgi municipality|user|demo …`.

They call the same services as the views, and commit once per command.
"""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from exchange.extensions import db
from exchange.tenancy import municipality_scope

municipality_cli = AppGroup("municipality", help="Create and list municipalities.")
user_cli = AppGroup("user", help="Create accounts from the command line.")
demo_cli = AppGroup("demo", help="Demo data.")


@municipality_cli.command("create")
@click.option("--slug", required=True, help="URL name, e.g. kungalv")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166 code, e.g. SE")
@click.option("--locale", "default_locale", required=True, help="Default interface language, e.g. sv")
@click.option("--currency", required=True, help="ISO 4217 code, e.g. SEK")
@click.option("--timezone", required=True, help="IANA time zone, e.g. Europe/Stockholm")
def create_municipality(slug, name, country, default_locale, currency, timezone):
    """Create a municipality, or update the one with this slug."""
    from exchange.municipalities.services import MunicipalityError, create_or_update
    try:
        municipality, created = create_or_update(slug, name, country.upper(), default_locale, currency.upper(),
                                                 timezone)
    except MunicipalityError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} {municipality.slug}: {municipality.name}")


@municipality_cli.command("list")
def list_municipalities():
    """List the municipalities of the network."""
    from exchange.municipalities.queries import all_ordered
    for m in all_ordered():
        click.echo(f"{m.slug}\t{m.name}\t{m.country}\t{m.default_locale}\t{m.currency}\t{m.timezone}")


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
    from exchange.auth.services import AuthError
    from exchange.auth.services import create_user as create
    from exchange.municipalities.queries import by_slug
    municipality = by_slug(slug)
    if municipality is None:
        raise click.ClickException(f"unknown municipality {slug!r}")
    with municipality_scope(municipality):
        try:
            user = create(email, name, {Role(r) for r in roles}, password=password)
        except AuthError as exc:
            raise click.ClickException(exc.code) from exc
        db.session.commit()
        click.echo(f"Created {user.email} in {slug}")


@demo_cli.command("load")
def load_demo():
    """Load the demo municipalities, accounts and content. Safe to run again."""
    from exchange.demo import load
    for line in load(current_app.config["DEMO_PASSWORD"]):
        click.echo(line)
    db.session.commit()


def register_cli(app: Flask) -> None:
    app.cli.add_command(municipality_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(demo_cli)
