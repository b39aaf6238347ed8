"""The read API's representations as marshmallow schemas: they shape every response and query string,
and flask-smorest turns them into the OpenAPI document, so the document cannot drift from the code.

The records themselves are built by exchange.cooperation.records (shared with the open data)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from exchange.i18n.models import ContentStatus
from exchange.projects.models import Dimension, FundingSource, PriorityArea, ProjectStatus
from exchange.visits.models import VisitStatus

MAX_PAGE = 100
DEFAULT_PAGE = 20
# A cursor is the last item's id in base 36 (opaque to clients; any such string is a valid cursor).
CURSOR_PATTERN = r"^[0-9a-z]{1,12}$"


def _date(**kwargs):
    return fields.String(metadata={"format": "date", **kwargs.pop("metadata", {})}, **kwargs)


class Strict(ma.Schema):
    class Meta:
        ordered = True


class TextVersionSchema(Strict):
    locale = fields.String(required=True, metadata={"description": "Language code (sv, de, it)."})
    text = fields.String(required=True, allow_none=True, metadata={"description": "Null when missing."})
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ContentStatus]),
                           metadata={"description": "source: the original; approved/translated/outdated: a "
                                                    "translation; missing: none (or, for the public, not approved)."})


def _texts(description: str):
    return fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(TextVersionSchema)), required=True,
                       metadata={"description": description})


class LicenceSchema(Strict):
    id = fields.String(required=True, metadata={"description": "SPDX identifier."})
    name = fields.String(required=True)
    url = fields.String(required=True, metadata={"format": "uri"})
    attribution = fields.String(required=True)


class MunicipalitySchema(Strict):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2."})
    default_locale = fields.String(required=True)
    currency = fields.String(required=True, metadata={"description": "ISO 4217."})
    url = fields.String(required=True, metadata={"format": "uri", "description": "The public page."})


class MunicipalityListSchema(Strict):
    items = fields.List(fields.Nested(MunicipalitySchema), required=True)


class TwinTownSchema(Strict):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    since = _date(required=True)


class ProfileSchema(MunicipalitySchema):
    twin_towns = fields.List(fields.Nested(TwinTownSchema), required=True)
    texts = _texts("The policy priorities (field `policy`), every language version with its status.")
    licence = fields.Nested(LicenceSchema, required=True, metadata={"description": "Licence of the open data."})


class FundingLineSchema(Strict):
    municipality = fields.String(required=True)
    source = fields.String(required=True, validate=validate.OneOf([s.value for s in FundingSource]))
    currency = fields.String(required=True)
    amount = fields.String(required=True, metadata={"format": "decimal"})


class ProjectSchema(Strict):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ProjectStatus]))
    public = fields.Boolean(required=True, metadata={"description": "Shown on the public pages."})
    lead = fields.String(required=True, metadata={"description": "Slug of the lead municipality."})
    participants = fields.List(fields.String(), required=True)
    start_date = _date(required=True, allow_none=True)
    end_date = _date(required=True, allow_none=True)
    published_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    priority_areas = fields.List(fields.String(validate=validate.OneOf([a.value for a in PriorityArea])),
                                 required=True)
    sustainability = fields.List(fields.String(validate=validate.OneOf([d.value for d in Dimension])),
                                 required=True)
    themes = fields.List(fields.String(), required=True)
    texts = _texts("title, summary and description: every language version with its status.")
    url = fields.String(required=True, allow_none=True, metadata={"format": "uri"})


class ProjectDetailSchema(ProjectSchema):
    funding = fields.List(fields.Nested(FundingLineSchema), required=True)


class VisitSchema(Strict):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in VisitStatus]))
    start_date = _date(required=True)
    end_date = _date(required=True)
    host = fields.String(required=True)
    visitors = fields.List(fields.String(), required=True)
    places = fields.List(fields.String(), required=True)
    themes = fields.List(fields.String(), required=True)
    texts = _texts("lessons (public: when marked public), and purpose for the municipalities of the visit.")


class FundingRowSchema(Strict):
    source = fields.String(required=True, validate=validate.OneOf([s.value for s in FundingSource]))
    year = fields.Integer(required=True, allow_none=True)
    currency = fields.String(required=True)
    amount = fields.String(required=True, metadata={"format": "decimal"})
    projects = fields.Integer(required=True)


class FundingListSchema(Strict):
    items = fields.List(fields.Nested(FundingRowSchema), required=True)


def _page_of(item_schema, name: str):
    return type(name, (Strict,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next_cursor": fields.String(required=True, allow_none=True,
                                     metadata={"description": "Pass as `cursor` for the next page; null on the last."}),
    })


ProjectPageSchema = _page_of(ProjectSchema, "ProjectPageSchema")
VisitPageSchema = _page_of(VisitSchema, "VisitPageSchema")


class PageArgsSchema(Strict):
    """Query parameters of a list (parameters the API does not know are ignored, like cache busters)."""

    cursor = fields.String(validate=validate.Regexp(CURSOR_PATTERN),
                           metadata={"description": "`next_cursor` of the previous page."})
    limit = fields.Integer(load_default=DEFAULT_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))


class ProjectArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf([s.value for s in ProjectStatus]))


class ProblemSchema(Strict):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    errors = fields.Dict(metadata={"description": "Per query parameter: what is wrong with it."})
