"""Operators' commands: municipalities are data, and the demo loader is idempotent."""
from __future__ import annotations

from sqlalchemy import func, select


def test_municipality_create_and_list(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["municipality", "create", "--slug", "nordby", "--name", "Nordby", "--country", "dk",
                                 "--locale", "sv", "--currency", "dkk", "--timezone", "Europe/Copenhagen"])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["municipality", "list"]).output
    assert "nordby\tNordby\tDK\tsv\tDKK\tEurope/Copenhagen" in listing
    assert app.test_client().get("/nordby/login").status_code == 200


def test_municipality_create_refuses_bad_values(app):
    runner = app.test_cli_runner()
    for option, value in [("--slug", "Bad Slug"), ("--slug", "static"), ("--timezone", "Mars/Olympus"),
                          ("--currency", "XYZ"), ("--locale", "fr")]:
        args = {"--slug": "ok", "--name": "Ok", "--country": "SE", "--locale": "sv", "--currency": "SEK",
                "--timezone": "Europe/Stockholm"}
        args[option] = value
        result = app.test_cli_runner().invoke(args=["municipality", "create", *sum(args.items(), ())])
        assert result.exit_code != 0, (option, value)
        assert option.lstrip("-") in result.output, result.output  # the message names the value
    assert "\nok\t" not in runner.invoke(args=["municipality", "list"]).output


def test_demo_load_is_idempotent_and_creates_every_role(app, in_scope, monkeypatch):
    from exchange.auth.models import User
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    for slug in ("kungalv", "hiddenhausen", "perano"):
        with in_scope(slug) as session:
            emails = set(session.scalars(select(User.email)))
            assert {f"{r}@{slug}.example" for r in ("staff", "coordinator", "translator", "admin")} <= emails
    client = app.test_client()
    response = client.post("/hiddenhausen/login", data={"email": "admin@hiddenhausen.example",
                                                        "password": app.config["DEMO_PASSWORD"]})
    assert response.status_code == 302


def test_user_create_command(app, in_scope):
    result = app.test_cli_runner().invoke(args=["user", "create", "--municipality", "perano", "--email",
                                                "first@perano.example", "--name", "Prima", "--role", "admin",
                                                "--password", "a long enough one"])
    assert result.exit_code == 0, result.output
    from exchange.auth.models import User
    with in_scope("perano") as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
