"""The audit log's filters (GET)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from exchange.audit.display import AREAS
from exchange.forms import ChoiceField, FilterForm, LocalDateField


class AuditFilterForm(FilterForm):
    area = ChoiceField(_l("Area"))
    actor = ChoiceField(_l("Person"))
    since = LocalDateField(lazy_pgettext("date range", "From"))
    until = LocalDateField(lazy_pgettext("date range", "Until"))

    def __init__(self, formdata, people):
        super().__init__(formdata)
        self.area.choices = [("", _l("All areas"))] + [(key, label) for key, label in AREAS.items()]
        self.actor.choices = [("", _l("Everyone"))] + [(str(p.id), p.name) for p in people]

    def filters(self) -> dict:
        self.validate()
        return {"area": self.value("area") or "", "actor_id": self.id_value("actor"),
                "since": None if self.since.errors else self.since.data,
                "until": None if self.until.errors else self.until.data}
