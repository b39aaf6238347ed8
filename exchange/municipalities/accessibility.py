"""The accessibility statement (EU Web Accessibility Directive 2016/2102): what it says, per municipality.

The statement is the same for every municipality but three facts: the contact for feedback (the
municipality's own), and the national enforcement body people can turn to when feedback gets no
satisfactory answer, which depends on the country. A fourth country is a line in ENFORCEMENT.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# When the statement was prepared (and last reviewed): it is updated with every release that changes
# what it says.
STATEMENT_DATE = dt.date(2026, 11, 29)


@dataclass(frozen=True)
class EnforcementBody:
    name: str  # a proper name, in the country's language
    url: str


ENFORCEMENT = {
    "SE": EnforcementBody("Myndigheten för digital förvaltning (Digg)",
                          "https://www.digg.se/tdosanmalan"),
    # Hiddenhausen is in North Rhine-Westphalia: the Land's body, not the federal one.
    "DE": EnforcementBody("Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen",
                          "https://www.mags.nrw/ombudsstelle-barrierefreie-informationstechnik"),
    "IT": EnforcementBody("AgID – Difensore civico per il digitale", "https://form.agid.gov.it/"),
}

# What does not meet WCAG 2.1 AA yet, honestly: found by our own tests and reviews.
KNOWN_GAPS = [
    _l("The charts on the visit reports are drawn as images; the same figures are given as a table below "
       "each chart."),
    _l("Texts written by users are shown in their original language until someone translates them; the "
       "page then says which language they are in."),
    _l("Exported CSV and Excel files are not checked for accessibility."),
]


def enforcement_body(country: str) -> EnforcementBody | None:
    return ENFORCEMENT.get(country)
