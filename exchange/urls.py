"""Absolute links (mail, calendars, feeds, the API) built from the configured public URL, never from the
request's Host header: a forged Host must not end up in an invitation, and behind a TLS proxy the scheme
the app sees is not the one people use."""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app, url_for


def absolute_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` as an absolute URL on EXCHANGE_PUBLIC_URL (works in workers and CLI
    commands too, where there is no request)."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    current_app.inject_url_defaults(endpoint, values)  # e.g. the current municipality's slug
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/", url_scheme=public.scheme)
    return adapter.build(endpoint, values, force_external=True)


def url_maker(endpoint: str, *names: str) -> Callable[[int | str], str]:
    """``url_for(endpoint, **{name: value for name in names})`` for the many values of one page: built once
    around a marker, each value put in the marker's place. Werkzeug builds each URL through its rule and
    the slug's url_defaults (~15 µs a link): a busy month of the calendar has 140 links (issue 12).
    Only for values written in a URL as they are: ids, ISO dates."""
    marker = "918273645"  # a number, for the int converters of ids
    pieces = url_for(endpoint, **dict.fromkeys(names, int(marker))).split(marker)
    if len(pieces) != len(names) + 1:  # the marker is also elsewhere in the URL (a slug): build each one
        return lambda value: url_for(endpoint, **dict.fromkeys(names, value))
    return lambda value: str(value).join(pieces)
