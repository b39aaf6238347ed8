"""What the public pages show around their content: absolute addresses of every language version (for
``canonical``, ``hreflang`` and Open Graph), the meta description, the Open Graph locale. Absolute
links only through ``exchange.urls.absolute_url`` (the configured public URL, never the Host header).

Templates call these as ``h.cooperation.<name>(…)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from babel.core import get_global
from flask import current_app, request, url_for

from exchange.i18n.locale import current_locale
from exchange.tenancy import current_municipality
from exchange.urls import absolute_url

DESCRIPTION_LENGTH = 160


@dataclass(frozen=True)
class PageMeta:
    """The head of a public page: canonical address, language versions, description, Open Graph."""

    title: str
    description: str
    canonical: str
    alternates: list[tuple[str, str]]  # (language, absolute URL)
    default: str                       # the municipality's own language version (x-default)
    links: dict[str, str]              # language -> the same page's local address (the language switch)
    og_type: str = "website"


def language_versions(endpoint: str, **values) -> list[tuple[str, str]]:
    """(language, absolute URL) of this page in every configured language."""
    return [(code, absolute_url(endpoint, lang=code, **values)) for code in current_app.config["LANGUAGES"]]


def page_meta(title: str, description: str, og_type: str = "website") -> PageMeta:
    """The head of the current public page (its endpoint and arguments, in every language)."""
    values = {k: v for k, v in (request.view_args or {}).items() if k not in ("lang", "municipality")}
    page = request.args.get("page")
    if page and page.isdigit() and page != "1":
        values["page"] = page
    versions = language_versions(request.endpoint, **values)
    own = dict(versions)
    municipality = current_municipality()
    default = own.get(municipality.default_locale) or versions[0][1]
    links = {code: url_for(request.endpoint, lang=code, **values) for code, _url in versions}
    return PageMeta(title=title, description=shorten(description), canonical=own[current_locale()],
                    alternates=versions, default=default, links=links, og_type=og_type)


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """One line of at most ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:–- ") + "…"


def og_locale(code: str) -> str:
    """Open Graph's language_TERRITORY form of a language code (sv → sv_SE)."""
    likely = get_global("likely_subtags").get(code, code)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else code


def status_label(value: str) -> str:
    """The translated name of a text's status (original, approved, outdated…)."""
    from exchange.i18n.models import ContentStatus
    return ContentStatus(value).label


def expose() -> None:
    from exchange.cooperation.queries import places, public_lessons
    from exchange.templating import expose_helpers
    expose_helpers("cooperation", og_locale=og_locale, shorten=shorten, places=places, public_lessons=public_lessons,
                   absolute_url=absolute_url, status_label=status_label)
