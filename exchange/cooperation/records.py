"""Projects, visits and the cooperation profile as plain records (dicts of JSON-safe values): one shape
for the open data (CSV and JSON) and the read API, so the two cannot say different things.

``public=True`` is the public's view (anonymous API requests, open data): approved language versions
only (the original counts as approved), the lessons learned only when marked public, no purpose. With
``public=False`` (a municipality's own token) every language version is listed with its status.
Neither ever holds personal data: no contact people, no participants, no follow-up owners, no authors.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app

from exchange.cooperation.queries import places, public_lessons
from exchange.urls import absolute_url


def timestamp(value: dt.datetime | None) -> str | None:
    """An RFC 3339 timestamp in UTC (SQLite hands back naive datetimes; every stored value is UTC)."""
    if value is None:
        return None
    value = value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)
    return value.isoformat(timespec="seconds")


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def texts(owner, fields, public: bool) -> dict[str, list[dict]]:
    """Every language version of each field with its status (see ``Translatable.versions``)."""
    return {field: owner.versions(field, _languages(), approved_only=public) for field in fields}


def licence_record(licence, municipality) -> dict:
    return {"id": licence.spdx, "name": str(licence.label), "url": licence.url,
            "attribution": f"{municipality.name}, Twin-Town Exchange"}


def public_url(endpoint: str, municipality, **values) -> str:
    """The public page's address in the municipality's own language (absolute, from the public URL)."""
    return absolute_url(endpoint, municipality=municipality.slug, lang=municipality.default_locale, **values)


def project_record(project, municipality, public: bool) -> dict:
    """A project as the public (``public``) or the municipality's own users see it."""
    return {
        "id": project.id,
        "status": project.status,
        "public": bool(project.is_public),
        "lead": project.lead.slug,
        "participants": sorted(p.municipality.slug for p in project.participants),
        "start_date": project.start_date.isoformat() if project.start_date else None,
        "end_date": project.end_date.isoformat() if project.end_date else None,
        "published_at": timestamp(project.published_at),
        "priority_areas": [area.value for area in project.priority_areas],
        "sustainability": [row.dimension for row in project.sustainability],
        "themes": sorted(theme.key for theme in project.themes),
        "texts": texts(project, project.TRANSLATABLE_FIELDS, public),
        "url": public_url("citizen.project", municipality, project_id=project.id) if project.is_public else None,
    }


def funding_records(project) -> list[dict]:
    """The funding plan's lines: whose, which source, how much in which currency (no notes)."""
    return [{"municipality": line.municipality.slug, "source": line.source, "currency": line.currency,
             "amount": str(line.amount)} for line in project.funding_lines]


def visit_record(visit, public: bool, details: bool = False) -> dict:
    """A visit: that it took place, where and about what; the lessons when the public may read them
    (``public``) or the reader's municipality took part (``details``), and then also the purpose."""
    fields = ("purpose", "lessons") if details else (("lessons",) if public_lessons(visit) else ())
    return {
        "id": visit.id,
        "status": visit.status,
        "start_date": visit.start_date.isoformat(),
        "end_date": visit.end_date.isoformat(),
        "host": visit.host.slug,
        "visitors": sorted(m.slug for m in visit.visitors),
        "places": places(visit) if public or details else [visit.host.name],
        "themes": sorted(theme.key for theme in visit.themes),
        "texts": texts(visit, fields, public and not details),
    }


def profile_record(municipality, twins, profile, licence, public: bool) -> dict:
    return {
        "slug": municipality.slug,
        "name": municipality.name,
        "country": municipality.country,
        "default_locale": municipality.default_locale,
        "currency": municipality.currency,
        "twin_towns": [{"slug": town.slug, "name": town.name, "since": since.isoformat()} for town, since in twins],
        "texts": texts(profile, ("policy",), public) if profile is not None else {"policy": []},
        "licence": licence_record(licence, municipality),
        "url": public_url("citizen.home", municipality),
    }
