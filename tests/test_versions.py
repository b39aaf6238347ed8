"""Every editable row carries a version (DESIGN.md §4, issue 11): each mapped class is either
``exchange.db.Versioned`` (SQLAlchemy's ``version_id_col``) or named here with the reason it cannot or
need not carry one. A new model fails this test until it takes one side. The concurrency tests of each
domain (tests/*/test_concurrency.py) show what the version does for the people who edit the rows.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

# The models without a version column, and why.
UNVERSIONED = {
    # Written once, never changed.
    "AuditEntry": "append-only audit log (hash-chained); old entries are only deleted by the retention job",
    "NotificationPreference": "edited as a set by its owner's settings form, which carries a fingerprint of the "
                              "settings it was opened with (a stale form is a 409)",
    "Notification": "its owner marks it read (idempotent); otherwise written only by the delivery",
    "Follow": "created and deleted by its owner's follow/unfollow buttons (idempotent), never edited",
    "Twinning": "platform data, written by the CLI (flask municipality twin) and the demo loader",
    "ApiToken": "created once and revoked once (the revocation is idempotent); never edited",
    "AuditHead": "the end of a municipality's audit chain: written only by record(), under a row lock",
    "CatalogChange": "append-only history of an interface string",
    "ProjectEvent": "append-only history of a project",
    "ProjectComment": "written once: comments have no edit or remove",
    "CallRevision": "append-only history of a funding call",
    "ProjectCall": "a project's link to a funding call: created and removed by the lead's coordinators, never edited",
    # Derived data, never edited by a person: no form can carry a stale copy of them.
    "VisitTally": "a running count of the visit reports, changed only by atomic UPDATE … SET n = n + k of the "
                  "visit services (exchange.visits.tallies), never read-modify-written",
    "VisitTallyDate": "the day the running counts hold as of, moved on by the recurring job only",
    # Rows that exist as a whole or not at all: their owner's save inserts and deletes them, under the
    # owner's version (the owner row is touched on every save, so its version column catches a race).
    "ProjectTheme": "link row of a project, replaced by the project form (the project's version)",
    "ProjectPriorityArea": "link row of a project, replaced by the project form (the project's version)",
    "OrganisationTheme": "link row of an organisation, replaced by its form (the organisation's version)",
    "OrganisationLanguage": "link row of an organisation, replaced by its form (the organisation's version)",
    "OrganisationSortKey": "derived from the organisation's name, rewritten with it (the organisation's version)",
    "ProjectSortKey": "derived from the project's title texts, rewritten with them (their versions)",
    "CallTheme": "link row of a funding call, replaced by the call form (the call's version)",
    "PartnerNeedTheme": "link row of a partner need, replaced by the need form (the need's version)",
    "PartnerNeedType": "link row of a partner need, replaced by the need form (the need's version)",
    "VisitMunicipality": "link row of a visit, replaced by the visit form (the visit's version)",
    "VisitTheme": "link row of a visit, replaced by the visit form (the visit's version)",
    "VisitProject": "link row of a visit, replaced by the visit form (the visit's version)",
    "UserRole": "link row of an account, replaced by the roles form (which carries the roles it was opened with)",
    # Written by the platform, never by a form.
    "Theme": "the theme taxonomy, written only by the CLI and the demo loader",
    "CatalogVersion": "a locale's publication record, rewritten as a whole by each publication "
                      "(its own `version` counts publications)",
    "JobRun": "scheduler bookkeeping, claimed by a conditional UPDATE (compare-and-set)",
    "OutboxMessage": "the delivery queue, moved on by the worker with conditional updates; the one human "
                     "action (retry) is offered for failed messages only and is idempotent",
    "LoginFailure": "counters changed by atomic UPDATE … SET failures = failures + 1",
    "LoginSession": "a signed-in browser: touched by requests, revoked by deletion, never edited",
    "PasswordToken": "a one-time secret: created, then used or replaced, never edited",
    "RecoveryCode": "a one-time secret: created, then used or replaced, never edited",
    "CalendarFeed": "a secret URL: created, then revoked once (idempotent), never edited",
    # Edited, but a version column would do harm.
    "User": "every sign-in writes to the account row (last sign-in, the second factor's last step): a "
            "version column would make two sign-ins of one account at once fail and every admin form "
            "stale after each sign-in; the roles form carries the roles it was opened with instead",
}


def _models(app) -> dict[str, sa.orm.Mapper]:
    from exchange.db import Base
    return {mapper.class_.__name__: mapper for mapper in Base.registry.mappers}


def test_every_model_is_versioned_or_says_why_not(app):
    from exchange.db import Versioned
    missing, needless = [], []
    for name, mapper in _models(app).items():
        versioned = issubclass(mapper.class_, Versioned)
        if versioned:
            # The mixin's column is the mapper's version column (a class's own __mapper_args__ must keep it).
            assert mapper.version_id_col is mapper.local_table.c.version, name
            assert mapper.local_table.c.version.server_default is not None, name
        if versioned and name in UNVERSIONED:
            needless.append(name)
        elif not versioned and name not in UNVERSIONED:
            missing.append(name)
    assert missing == [], "give these models a version (exchange.db.Versioned) or say why not: " + ", ".join(missing)
    assert needless == [], "these models are versioned now: take them off UNVERSIONED: " + ", ".join(needless)
    assert set(UNVERSIONED) <= set(_models(app)), "UNVERSIONED names a model that no longer exists"


@pytest.mark.parametrize("name", ["Milestone", "FundingLine", "ProjectContact", "ProjectSustainability",
                                  "OrganisationContact", "AgendaItem", "Participant", "Cost", "FollowUp",
                                  "VisitSettings", "TranslatorLanguages", "ProjectText", "ParticipationText",
                                  "OrganisationText", "VisitText"])
def test_the_rows_the_issue_names_are_versioned(app, name):
    """Issue 11: costs, agenda items, participants, follow-ups, funding lines, needs, contacts, milestones
    (and every other editable child) carry a version."""
    assert _models(app)[name].version_id_col is not None


def test_an_update_moves_the_version_and_a_stale_one_fails_at_the_column(app, make_visit, in_scope, towns):
    from sqlalchemy.orm.exc import StaleDataError
    from exchange.visits import services
    from exchange.visits.queries import visit_detail
    from tests.fixtures.core import Actor
    visit_id = make_visit("perano", visitors=("kungalv",))
    with in_scope("perano") as session:
        cost = services.add_cost(visit_detail(visit_id), towns["perano"], "travel", "100", "EUR", "Tåg",
                                 Actor(towns["perano"]))
        session.commit()
        assert cost.version == 1
        cost.category = "meals"
        session.flush()
        assert cost.version == 2
        # Someone else's save moved the row on (here: the same transaction, by SQL behind the ORM's back).
        session.execute(sa.text("UPDATE visit_costs SET version = 3 WHERE id = :id"), {"id": cost.id})
        cost.category = "venue"
        with pytest.raises(StaleDataError):
            session.flush()
        session.rollback()
