"""Absolute links (mail, calendars, feeds, the API) built from the configured public URL, never from the
request's Host header: a forged Host must not end up in an invitation, and behind a TLS proxy the scheme
the app sees is not the one people use."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def absolute_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` as an absolute URL on EXCHANGE_PUBLIC_URL (works in workers and CLI
    commands too, where there is no request)."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    current_app.inject_url_defaults(endpoint, values)  # e.g. the current municipality's slug
    adapter = current_app.url_map.bind(public.netloc, script_name=public.path or "/", url_scheme=public.scheme)
    return adapter.build(endpoint, values, force_external=True)
