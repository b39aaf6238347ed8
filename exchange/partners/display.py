"""Display helpers of the partner pages: links, labels and the suggestions' reasons as sentences in the
reader's language. Templates reach them as ``h.partners.<name>`` (exposed by the views package)."""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import get_locale

from exchange.i18n.formatting import date as format_date
from exchange.i18n.formatting import language_name
from exchange.municipalities import queries as municipality_queries
from exchange.partners import matching
from exchange.partners.models import OrganisationType, PartnerRole
from exchange.themes import queries as theme_queries


def project_url(project) -> str:
    """The project's own page when the projects blueprint provides one, else its partners page."""
    if "tenant.projects.detail" in current_app.view_functions:
        return url_for("tenant.projects.detail", project_id=project.id)
    return url_for("tenant.partners.project", project_id=project.id)


def role_label(value: str) -> str:
    """A partner role's label (``co_applicant`` → "Co-applicant", translated)."""
    return PartnerRole(value).label


def type_label(value: str) -> str:
    return OrganisationType(value).label


class Explainer:
    """Turns a suggestion's reasons into sentences in the reader's language, with the names of themes and
    municipalities looked up once per page: the municipalities the ``suggestions`` name, not every
    municipality of the network (loading and sorting them all grew with the network: issue 12)."""

    def __init__(self, suggestions=()):
        self.locale = str(get_locale())
        self.themes = {t.id: t for t in theme_queries.active_themes()}
        named = {r.data["municipality_id"] for s in suggestions for r in s.reasons if "municipality_id" in r.data}
        self.municipalities = municipality_queries.by_ids(named)

    def theme_name(self, theme_id: int) -> str:
        theme = self.themes.get(theme_id)
        return theme.name(self.locale) if theme else "?"

    def municipality_name(self, municipality_id: int) -> str:
        municipality = self.municipalities.get(municipality_id)
        return municipality.name if municipality else "?"

    def __call__(self, suggestion) -> list[tuple[int, str]]:
        """(points, sentence) for each reason of the suggestion."""
        return [(r.points, matching.describe(r, self.theme_name, self.municipality_name, language_name,
                                             type_label, format_date))
                for r in suggestion.reasons]
