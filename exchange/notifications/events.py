"""Raising a notification event: the one call other domains' services make (``notify``).

The event is written to the outbox in the service's own transaction: a refused or rolled-back change
notifies nobody, and a worker that is down loses nothing. After the commit the job queue hands it to the
notifications domain (``services.fan_out``), which works out who receives it, municipality by
municipality, through each recipient's own scope.
"""
from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from flask import g

EVENT = "notify"  # the outbox kind


@dataclass(frozen=True)
class Event:
    """An event as the fan-out reads it back from the outbox row."""

    type: str
    id: str
    actor_id: int | None = None
    actor_municipality_id: int | None = None
    actor_name: str | None = None
    project_id: int | None = None
    visit_id: int | None = None
    organisation_id: int | None = None
    refs: dict = field(default_factory=dict)
    quiet: bool = False

    @classmethod
    def from_payload(cls, payload: dict) -> Event:
        return cls(**{name: payload.get(name) for name in cls.__dataclass_fields__ if name in payload})

    def ref(self, name: str, default=None):
        return (self.refs or {}).get(name, default)


def notify(type_: str, actor, *, project=None, visit=None, organisation=None, **refs) -> None:
    """Raise the event ``type_`` (a code of ``kinds.KINDS``, or a silent one) about ``project``,
    ``visit`` or ``organisation``; ``refs`` are further ids and small facts (a participation's
    municipality, the status before and after). Flushes nothing; the caller commits."""
    from exchange.jobs.services import enqueue
    payload = {
        "type": type_, "id": uuid.uuid4().hex,
        "actor_id": getattr(actor, "id", None), "actor_municipality_id": getattr(actor, "municipality_id", None),
        "actor_name": getattr(actor, "name", None),
        "project_id": getattr(project, "id", None), "visit_id": getattr(visit, "id", None),
        "organisation_id": getattr(organisation, "id", None),
        "refs": refs, "quiet": bool(g.get("notifications_quiet")),
    }
    from flask_babel import force_locale

    from exchange.notifications.kinds import KINDS
    from exchange.tenancy import current_municipality
    # The deliveries page lists the event for the actor's municipality's admins: say what it is, in
    # their municipality's language (services also run outside requests: the CLI, jobs, the demo).
    municipality = current_municipality()
    with force_locale(municipality.default_locale if municipality is not None else "en"):
        summary = str(KINDS[type_].label) if type_ in KINDS else type_
    enqueue(EVENT, payload, summary=summary, subject=project or visit or organisation)


@contextlib.contextmanager
def quietly() -> Iterator[None]:
    """Events raised inside notify in the app but send no e-mail (the demo loader: nobody should get a
    pile of mail about data that was made up)."""
    previous = g.get("notifications_quiet", False)
    g.notifications_quiet = True
    try:
        yield
    finally:
        g.notifications_quiet = previous
