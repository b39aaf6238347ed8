"""Visit services: creating and editing visits, invariants, versions, children, audit."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.errors import Conflict, Refusal
from tests.fixtures.core import Actor


def _visit(session, visit_id):
    from exchange.visits.queries import visit_detail
    return visit_detail(visit_id)


def test_create_visit_stores_links_texts_and_audit(make_visit, in_scope, towns, themes):
    from exchange.audit.models import AuditEntry
    visit_id = make_visit("perano", visitors=("kungalv", "hiddenhausen"), start_time=dt.time(9, 0),
                          purpose="Imparare dal turismo", locale="it", theme_ids=(themes["tourism"],))
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        assert visit.host_municipality_id == towns["perano"]
        assert visit.visiting_ids == {towns["kungalv"], towns["hiddenhausen"]}
        assert visit.timezone == "Europe/Rome"
        assert visit.recorded_by_municipality_id == towns["perano"]
        assert visit.display("purpose", "it").text == "Imparare dal turismo"
        assert visit.source_locale("purpose") == "it"
        assert [t.key for t in visit.themes] == ["tourism"]
        assert visit.version == 1
        actions = session.scalars(select(AuditEntry.action)).all()
        assert "visit.create" in actions


def test_a_visiting_coordinator_can_log_the_visit_hosted_elsewhere(make_visit, in_scope, towns):
    # Kungälv logs its own trip to Perano: the owner is the recorder, the host is Perano.
    visit_id = make_visit("kungalv", host="perano", visitors=("kungalv",))
    with in_scope("kungalv") as session:
        visit = _visit(session, visit_id)
        assert visit.host_municipality_id == towns["perano"]
        assert visit.timezone == "Europe/Rome"
        assert visit.recorded_by_municipality_id == towns["kungalv"]


@pytest.mark.parametrize("change, code, field", [
    ({"end_date": dt.date(2024, 5, 1)}, "end_before_start", "end_date"),
    ({"start_time": dt.time(15, 0), "end_time": dt.time(9, 0), "end_date": dt.date(2024, 5, 3)},
     "visit_ends_before_start", "end_time"),
    ({"end_time": dt.time(9, 0)}, "end_time_without_start", "start_time"),
    ({"visiting_ids": set()}, "no_visitors", "visiting_ids"),
    ({"purpose": "x" * 5001}, "too_long_max", "purpose"),
    ({"purpose": "bad\x00text"}, "control_characters", "purpose"),
    ({"purpose": "   "}, "required", "purpose"),
    ({"status": "finished"}, "unknown_choice", "status"),
    ({"host_id": 99999}, "unknown_choice", "host_id"),
    ({"theme_ids": {99999}}, "unknown_choice", "theme_ids"),
    ({"project_ids": {99999}}, "unknown_choice", "project_ids"),
    ({"start_date": dt.date(1200, 1, 1)}, "date_out_of_range", "start_date"),
])
def test_create_refuses_bad_data_and_saves_nothing(in_scope, towns, change, code, field):
    from exchange.visits import services
    from exchange.visits.models import Visit
    data = dict(host_id=towns["perano"], visiting_ids={towns["kungalv"]}, start_date=dt.date(2024, 5, 3),
                end_date=dt.date(2024, 5, 4), purpose="Purpose", purpose_locale="it")
    data.update(change)
    with in_scope("perano") as session:
        with pytest.raises(Refusal) as info:
            services.create_visit(services.VisitData(**data), Actor(towns["perano"]))
        assert (info.value.code, info.value.field) == (code, field)
        session.commit()
        assert session.scalar(select(func.count()).select_from(Visit)) == 0


def test_host_cannot_be_a_visitor_and_own_municipality_must_take_part(in_scope, towns):
    from exchange.visits import services
    with in_scope("perano"):
        base = dict(start_date=dt.date(2024, 5, 3), end_date=dt.date(2024, 5, 3), purpose="P", purpose_locale="it")
        with pytest.raises(Refusal) as info:
            services.create_visit(services.VisitData(host_id=towns["perano"], visiting_ids={towns["perano"]}, **base),
                                  Actor(towns["perano"]))
        assert info.value.code == "host_is_visitor"
        with pytest.raises(Refusal) as info:
            services.create_visit(services.VisitData(host_id=towns["kungalv"],
                                                     visiting_ids={towns["hiddenhausen"]}, **base),
                                  Actor(towns["perano"]))
        assert info.value.code == "own_municipality_missing"


def test_update_with_a_stale_version_is_a_conflict_and_changes_nothing(make_visit, in_scope, towns):
    from exchange.visits import services
    visit_id = make_visit("perano")
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        data = services.VisitData(host_id=towns["perano"], visiting_ids={towns["kungalv"]},
                                  start_date=visit.start_date, end_date=visit.end_date, status="completed",
                                  purpose="New purpose", purpose_locale="it")
        services.update_visit(visit, data, expected_version=1, actor=Actor(towns["perano"]))
        session.commit()
        assert visit.version == 2
        data.status = "cancelled"
        with pytest.raises(Conflict):
            services.update_visit(visit, data, expected_version=1, actor=Actor(towns["perano"]))
        session.rollback()
        assert _visit(session, visit_id).status == "completed"


@pytest.mark.committed
def test_concurrent_flush_is_caught_by_the_version_column(make_visit, app, in_scope, towns):
    """Two sessions load version 1; the second save hits the version column (StaleDataError → conflict)."""
    from sqlalchemy.orm import Session
    from exchange.visits import services
    from exchange.visits.models import Visit
    visit_id = make_visit("perano")
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        # Another writer saves in between, through its own connection.
        with Session(db.engine) as other:
            other.execute(Visit.__table__.update().where(Visit.id == visit_id).values(version=2, status="cancelled"))
            other.commit()
        data = services.VisitData(host_id=towns["perano"], visiting_ids={towns["kungalv"]},
                                  start_date=visit.start_date, end_date=visit.end_date, status="completed",
                                  purpose="Changed", purpose_locale="it")
        with pytest.raises(Conflict):
            services.update_visit(visit, data, expected_version=1, actor=Actor(towns["perano"]))
        session.rollback()


def test_participants_must_come_from_a_municipality_of_the_visit(make_visit, in_scope, towns):
    from exchange.visits import services
    from exchange.visits.models import Participant
    visit_id = make_visit("perano", visitors=("kungalv",))
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        with pytest.raises(Refusal) as info:
            services.add_participant(visit, towns["hiddenhausen"], "Hans Meier", "Rathaus", "", Actor(towns["perano"]))
        assert info.value.code == "participant_municipality"
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Participant)) == 0
        services.add_participant(visit, towns["kungalv"], "Åsa Öberg", "Kommunledningskontoret", "chef",
                                 Actor(towns["perano"]))
        session.commit()
        assert [p.name_key for p in _visit(session, visit_id).participants] == ["åsa öberg"]


def test_removing_a_visitor_with_participants_is_refused(make_visit, in_scope, towns):
    from exchange.visits import services
    visit_id = make_visit("perano", visitors=("kungalv", "hiddenhausen"),
                          participants=[("hiddenhausen", "Hans Meier", "Rathaus")])
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        data = services.VisitData(host_id=towns["perano"], visiting_ids={towns["kungalv"]},
                                  start_date=visit.start_date, end_date=visit.end_date, purpose="P",
                                  purpose_locale="it")
        with pytest.raises(Refusal) as info:
            services.update_visit(visit, data, visit.version, Actor(towns["perano"]))
        assert info.value.code == "participants_outside"


@pytest.mark.parametrize("amount, code", [("-1", "negative"), ("NaN", "not_a_number"),
                                          ("99999999999999", "too_large"), ("abc", "not_a_number"),
                                          ("1e20", "not_a_number")])
def test_costs_refuse_bad_amounts(make_visit, in_scope, towns, amount, code):
    from exchange.visits import services
    visit_id = make_visit("perano")
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        with pytest.raises(Refusal) as info:
            services.add_cost(visit, towns["perano"], "travel", amount, "EUR", "", Actor(towns["perano"]))
        assert info.value.code == code


def test_cost_payer_and_currency_are_checked(make_visit, in_scope, towns):
    from exchange.visits import services
    visit_id = make_visit("perano")
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        with pytest.raises(Refusal) as info:
            services.add_cost(visit, towns["hiddenhausen"], "travel", "10", "EUR", "", Actor(towns["perano"]))
        assert info.value.code == "payer_municipality"
        with pytest.raises(Refusal) as info:
            services.add_cost(visit, towns["perano"], "travel", "10", "XYZ", "", Actor(towns["perano"]))
        assert info.value.code == "unknown_currency"
        cost = services.add_cost(visit, towns["kungalv"], "travel", "1250.5", "SEK", "Flights", Actor(towns["perano"]))
        session.commit()
        assert str(cost.amount) == "1250.50"


def test_agenda_item_must_be_on_a_day_of_the_visit(make_visit, in_scope, towns):
    from exchange.visits import services
    visit_id = make_visit("perano", start=dt.date(2024, 5, 3), days=1)
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        with pytest.raises(Refusal) as info:
            services.add_agenda_item(visit, dt.date(2024, 5, 10), "Visit", "", "it", Actor(towns["perano"]))
        assert info.value.code == "day_outside_visit"
        services.add_agenda_item(visit, dt.date(2024, 5, 4), "Visita al porto", "Porto", "it", Actor(towns["perano"]),
                                 start_time=dt.time(9, 30))
        session.commit()
        assert [i.title for i in _visit(session, visit_id).agenda_items] == ["Visita al porto"]


def test_follow_ups_open_and_done(make_visit, in_scope, towns):
    from exchange.visits import services
    visit_id = make_visit("perano", follow_ups=[("Send the report", "Marco", dt.date(2024, 6, 1))])
    with in_scope("perano") as session:
        follow_up = _visit(session, visit_id).follow_ups[0]
        services.set_follow_up_done(follow_up, True, Actor(towns["perano"]))
        session.commit()
        assert follow_up.is_done and follow_up.done_at is not None
        services.set_follow_up_done(follow_up, False, Actor(towns["perano"]))
        assert not follow_up.is_done and follow_up.done_at is None


def test_editing_lessons_marks_translations_outdated(make_visit, in_scope, towns):
    from exchange.i18n import services as content
    from exchange.visits import services
    visit_id = make_visit("perano", lessons="Vi lärde oss mycket.")
    with in_scope("perano") as session:
        visit = _visit(session, visit_id)
        content.set_translation(visit, "lessons", "it", "Abbiamo imparato molto.", Actor(towns["perano"]))
        services.set_lessons(visit, "Vi lärde oss ännu mer.", "sv", visit.version, Actor(towns["perano"]))
        session.commit()
        assert visit.status_of("lessons", "it").value == "outdated"
        assert visit.display("lessons", "it").text == "Abbiamo imparato molto."
