"""Visit workflows: log and edit visits (``visits``), their programme, participants, costs and follow-ups
(``children``), calendar feeds, settings and personal data (``personal``). Import them from here.

Services take objects and plain data, check the invariants (whatever the form already checked: the CLI
and the demo loader call them too), flush and write the audit log. The caller commits. A refused
operation raises ``exchange.errors.Refusal`` (the codes below, or the common ones), a stale save
``Conflict``.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from exchange.errors import register_messages

# The visits' own refusal codes; everything else uses the common codes of exchange.errors.
register_messages({
    "end_time_without_start": _l("Give a start time too, or leave both times empty."),
    "visit_ends_before_start": _l("The visit cannot end before it starts."),
    "item_ends_before_start": _l("The item cannot end before it starts."),
    "too_long_visit": _l("A visit can last at most %(days)d days."),
    "host_is_visitor": _l("The host cannot also be a visitor."),
    "no_visitors": _l("Choose at least one visiting municipality."),
    "own_municipality_missing": _l("Your municipality must be the host or one of the visitors."),
    "participants_outside": _l("Some participants come from a municipality you removed. Remove those "
                               "participants first."),
    "day_outside_visit": _l("Choose a day of the visit."),
    "participant_municipality": _l("The participant must come from the host or a visiting municipality."),
    "payer_municipality": _l("The cost must be paid by the host or a visiting municipality."),
    "unknown_owner": _l("Choose an owner from the list of your municipality's accounts."),
    "funding_currency": _l("The funding line is in another currency than the cost."),
    "invalid_retention": _l("Enter a whole number of years from %(low)d to %(high)d."),
    "completed_in_future": _l("A visit that has not started yet cannot be completed. Keep it planned or "
                              "confirmed, and mark it completed once it has taken place."),
})

from exchange.visits.services.children import (add_agenda_item, add_cost, add_follow_up,  # noqa: E402
                                               add_participant, remove_agenda_item, remove_cost, remove_follow_up,
                                               remove_participant, set_follow_up_done, update_agenda_item,
                                               update_cost, update_follow_up, update_participant)
from exchange.visits.services.personal import (ANONYMISED, RETENTION_RANGE, active_feeds,  # noqa: E402
                                               anonymise_expired, create_feed, forget_person, feed_for_token,
                                               retention_cutoff, revoke_feed, revoke_feeds,
                                               set_retention, settings)
from exchange.visits.services.visits import (MAX_VISIT_DAYS, VisitData, create_visit, delete_visit,  # noqa: E402
                                             set_lessons, set_lessons_public, update_visit)

__all__ = ["VisitData", "create_visit", "update_visit", "set_lessons", "set_lessons_public", "delete_visit", "MAX_VISIT_DAYS",
           "add_agenda_item", "update_agenda_item", "remove_agenda_item", "add_participant", "update_participant",
           "remove_participant", "add_cost", "update_cost", "remove_cost", "add_follow_up", "update_follow_up",
           "set_follow_up_done", "remove_follow_up", "create_feed", "revoke_feed", "revoke_feeds", "active_feeds",
           "feed_for_token", "settings", "set_retention", "forget_person", "retention_cutoff",
           "anonymise_expired", "ANONYMISED", "RETENTION_RANGE"]
