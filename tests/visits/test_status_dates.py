"""A visit's status agrees with its dates (issue 14, point 5): a visit that has not started cannot be completed
(a translated 422, nothing saved), a future visit is not counted in the reports nor public, and a visit that is
over but still planned is flagged to its coordinators (and only to them)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from tests.fixtures.core import text_of

NEXT_YEAR = dt.date.today() + dt.timedelta(days=400)


def _visit_form(towns, **overrides) -> dict:
    data = {"host_id": str(towns["perano"]), "visiting_ids": [str(towns["kungalv"])],
            "start_date": NEXT_YEAR.isoformat(), "end_date": (NEXT_YEAR + dt.timedelta(days=2)).isoformat(),
            "status": "completed", "purpose_locale": "it", "purpose": "Scambio sul turismo rurale."}
    data.update(overrides)
    return data


@pytest.mark.parametrize("lang", ["sv", "de", "it"])
def test_a_future_visit_cannot_be_saved_as_completed(client, login_as, towns, in_scope, tr, lang):
    from exchange.visits.models import Visit
    login_as("perano", "coordinator")
    client.get(f"/perano/visits/?lang={lang}")
    response = client.post("/perano/visits/new", data=_visit_form(towns))
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="status-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert error and tr(lang, "A visit that has not started yet cannot be completed. Keep it planned or confirmed, "
                              "and mark it completed once it has taken place.") in text_of(response)
    with in_scope("perano") as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 0
    # Planned, it is saved.
    assert client.post("/perano/visits/new", data=_visit_form(towns, status="planned")).status_code == 302


def test_editing_a_future_visit_to_completed_is_refused_and_a_stale_edit_is_a_conflict(client, login_as, make_visit,
                                                                                       towns, in_scope):
    from exchange.visits.queries import visit_detail
    visit_id = make_visit("perano", visitors=("kungalv",), start=NEXT_YEAR, status="planned")
    login_as("perano", "coordinator")
    opened = client.get(f"/perano/visits/{visit_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', opened).group(1)
    form = _visit_form(towns, start_date=NEXT_YEAR.isoformat(),
                       end_date=(NEXT_YEAR + dt.timedelta(days=2)).isoformat(), version=version)
    assert client.post(f"/perano/visits/{visit_id}/edit", data=form).status_code == 422
    assert client.post(f"/perano/visits/{visit_id}/edit", data={**form, "status": "confirmed"}).status_code == 302
    assert client.post(f"/perano/visits/{visit_id}/edit", data={**form, "status": "cancelled"}).status_code == 409
    with in_scope("perano"):
        assert visit_detail(visit_id).status == "confirmed"
    # Another municipality cannot change it at all.
    login_as("hiddenhausen", "coordinator")
    assert client.post(f"/hiddenhausen/visits/{visit_id}/edit", data=form).status_code in (403, 404)


def test_a_future_visit_marked_completed_earlier_is_neither_counted_nor_public(app, make_visit, in_scope, towns):
    """A row saved before this rule (written straight to the database) still does not count."""
    from exchange.visits import queries
    from exchange.visits.models import Visit
    past = make_visit("perano", visitors=("kungalv",), status="completed")
    future = make_visit("perano", visitors=("kungalv",), start=NEXT_YEAR, status="planned")
    with in_scope("perano") as session:
        session.get(Visit, future).status = "completed"
        session.commit()
        assert queries.visits_per_year() == [(2024, 1)]
        assert [v.id for v in session.scalars(select(Visit).where(Visit.public_criteria()))] == [past]
        assert not session.get(Visit, future).is_public


def test_a_past_planned_visit_is_flagged_to_its_coordinators(client, login_as, make_visit, tr):
    visit_id = make_visit("perano", visitors=("kungalv",), status="planned")  # May 2024: over
    make_visit("perano", visitors=("kungalv",), start=NEXT_YEAR, status="planned", purpose="Future")
    login_as("kungalv", "coordinator")
    dashboard = client.get("/kungalv/?lang=sv")
    html = dashboard.get_data(as_text=True)
    assert tr("sv", "Visits to close") in text_of(dashboard)
    panel = html[html.index('id="panel-to-close"'):]
    panel = panel[:panel.index("</section>")]
    assert f"/kungalv/visits/{visit_id}/edit" in panel and panel.count("/edit") == 1  # not the future one
    page = client.get(f"/kungalv/visits/{visit_id}?lang=sv")
    assert tr("sv", "Update the status") in text_of(page) and "Planerat" in text_of(page)
    assert f"/kungalv/visits/{visit_id}/edit" in page.get_data(as_text=True)


def test_the_flag_is_not_shown_to_staff_nor_to_a_third_municipality(client, login_as, make_visit, tr):
    visit_id = make_visit("perano", visitors=("kungalv",), status="planned")
    login_as("kungalv", "staff")
    assert tr("sv", "Visits to close") not in text_of(client.get("/kungalv/?lang=sv"))
    assert tr("sv", "Update the status") not in text_of(client.get(f"/kungalv/visits/{visit_id}?lang=sv"))
    login_as("hiddenhausen", "coordinator")
    assert tr("de", "Visits to close") not in text_of(client.get("/hiddenhausen/?lang=de"))
    assert tr("de", "Update the status") not in text_of(client.get(f"/hiddenhausen/visits/{visit_id}?lang=de"))
