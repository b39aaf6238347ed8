"""The calls list as CSV or XLSX, streamed: the rows come from the list's own filtered query, read in
batches, so the export shows exactly what the list shows."""
from __future__ import annotations

from collections.abc import Iterator

from exchange.calls import queries
from exchange.calls.models import FundingCall
from exchange.exports import BATCH
from exchange.extensions import db

HEADER = ["id", "title", "title_language", "programme", "owner", "opens_at_utc", "closes_at_utc", "closes_local",
          "timezone", "currency", "max_aid_intensity", "min_grant", "max_grant", "min_partners", "min_countries",
          "eligible_applicants", "eligible_countries", "themes", "voluntary_work_counts", "voluntary_hourly_value",
          "official_url", "example"]


def _number(value) -> str:
    return "" if value is None else str(value)


def _row(call: FundingCall, locale: str) -> list[str]:
    title = call.display("title", locale)
    themes = {link.theme_id: link.theme for link in call.theme_links}
    return [str(call.id), title.text, title.lang, call.programme_enum.label, call.owner.name,
            call.opens_utc.isoformat(), call.closes_utc.isoformat(), call.closes_local.strftime("%Y-%m-%d %H:%M"),
            call.timezone, call.currency, _number(call.max_aid_intensity), _number(call.min_grant),
            _number(call.max_grant), _number(call.min_partners), _number(call.min_countries),
            "; ".join(t.label for t in call.applicant_type_enums), "; ".join(call.countries or []),
            "; ".join(t.name(locale) for t in themes.values()), "1" if call.voluntary_work_counts else "0",
            _number(call.voluntary_hourly_value), call.official_url, "1" if call.example else "0"]


def call_rows(filters: queries.CallFilters, locale: str) -> Iterator[list[str]]:
    """One row per call matching ``filters``, in the list's order, ``BATCH`` at a time."""
    stmt = queries.filtered(filters).execution_options(yield_per=BATCH)
    for call in db.session.scalars(stmt):
        yield _row(call, locale)
