"""Choosing the interface language (DESIGN.md §5). First match wins:

0. a language fixed by the URL (the public pages: each language version has its own address, for
   hreflang; they never depend on a session or a signed-in user);
1. an explicit switch, ``?lang=xx`` on any page, remembered in the session;
2. the signed-in user's preference;
3. the current municipality's default;
4. the browser's Accept-Language;
5. the first configured language (sv).
"""
from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user

from exchange.tenancy import current_municipality


def supported() -> list[str]:
    return current_app.config["LANGUAGES"]


def language_choices() -> list[tuple[str, str]]:
    """(code, autonym) pairs: each language is named in itself, so everyone finds their own."""
    return [(code, Locale.parse(code).get_display_name(code).capitalize()) for code in supported()]


def current_locale() -> str:
    """The interface language of this request (what ``<html lang>`` says)."""
    from flask_babel import get_locale
    return str(get_locale())


def select_locale() -> str:
    languages = supported()
    fixed = g.get("fixed_locale")
    if fixed in languages:
        return fixed
    if not has_request_context():
        # A CLI command or a job with no forced locale (sorting the municipalities, say): there is no
        # reader to ask, so the municipality's language when one is set, else the first language.
        municipality = current_municipality()
        return municipality.default_locale if municipality is not None and \
            municipality.default_locale in languages else languages[0]
    # The switch in this very request first: an error raised before the before_request hooks (an unknown
    # municipality's 404) must still honour it.
    asked = request.args.get("lang") if request else None
    if asked in languages:
        return asked
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    user = current_user if request else None
    if user is not None and user.is_authenticated and user.preferred_locale in languages:
        return user.preferred_locale
    municipality = current_municipality()
    if municipality is not None and municipality.default_locale in languages:
        return municipality.default_locale
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone() -> str:
    municipality = current_municipality()
    return municipality.timezone if municipality is not None else "UTC"


def init_app(app: Flask) -> None:
    @app.before_request
    def _remember_switch() -> None:
        # ?lang=xx switches the interface on any page and is remembered for the session.
        lang = request.args.get("lang")
        if lang in supported():
            session["lang"] = lang
