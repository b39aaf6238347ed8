"""The partner domain's own checks, shared by its services (the common ones live in ``exchange.rules``)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import current_app

from exchange.db import utcnow
from exchange.errors import Refusal
from exchange.partners.models import INDIVIDUAL_CODES, OrganisationType
from exchange.projects.models import FundingSource, Project
from exchange.rules import parse_id
from exchange.themes import queries as theme_queries

# Working languages offered besides the interface languages: English is the network's common fallback.
EXTRA_WORKING_LANGUAGES = ("en",)


def working_languages() -> list[str]:
    """The languages an organisation can say it works in: the interface languages, plus English."""
    codes = list(current_app.config["LANGUAGES"])
    return codes + [c for c in EXTRA_WORKING_LANGUAGES if c not in codes]


def check_type(value: str | None, field: str = "type") -> OrganisationType:
    """The organisation type, refusing a private person with the LEADER explanation."""
    value = (value or "").strip().lower() if isinstance(value, str) or value is None else ""
    if value in INDIVIDUAL_CODES:
        raise Refusal("individual", field)
    try:
        return OrganisationType(value)
    except ValueError:
        raise Refusal("unknown_type", field) from None


def check_themes(ids: Iterable, field: str, required: bool = False) -> set[int]:
    """Existing theme ids (each one a valid id: an invented or malformed one is refused, not skipped)."""
    raw = list(ids or ())
    wanted = {parse_id(value) for value in raw}
    if None in wanted:
        raise Refusal("unknown_theme", field)
    if required and not wanted:
        raise Refusal("no_theme", field)
    if len(theme_queries.by_ids(wanted)) != len(wanted):
        raise Refusal("unknown_theme", field)
    return wanted


def is_leader_project(project: Project) -> bool:
    """Funded (or to be funded) through LEADER: the eligibility rule applies to every need and partner."""
    return any(line.source == FundingSource.EU_LEADER.value for line in project.funding_lines)


def today() -> dt.date:
    return utcnow().date()
