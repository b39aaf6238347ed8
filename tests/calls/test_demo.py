"""The demo calls: marked as examples, in the future, linked to demo projects with rules met and not met;
loading twice changes nothing."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from exchange.calls.models import FundingCall, ProjectCall
from exchange.calls.rules import FAIL, PASS, UNKNOWN


def test_demo_calls_are_examples_in_the_future_and_idempotent(app, in_scope):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert "created call" not in second.output and "linked" not in second.output
    from exchange.calls import queries
    from exchange.db import utcnow
    with in_scope("perano") as session:
        calls = session.scalars(select(FundingCall)).all()
        assert len(calls) == 5 and all(c.example for c in calls)
        assert all(c.closes_utc > utcnow() for c in calls)
        assert {c.programme for c in calls} == {"leader", "cerv_twinning", "erasmus"}
        cerv = next(c for c in calls if c.programme == "cerv_twinning")
        assert (cerv.closes_local.time(), cerv.timezone) == (dt.time(17, 0), "Europe/Brussels")
        perano_leader = next(c for c in calls if c.programme == "leader" and c.timezone == "Europe/Rome")
        assert "GAL del territorio" in perano_leader.plain("title", "it")
        assert session.scalar(select(func.count()).select_from(ProjectCall)) == 3
    outcomes = {}
    for slug in ("kungalv", "hiddenhausen", "perano"):
        with in_scope(slug) as session:
            from exchange.projects.queries import get_project
            for link in session.scalars(select(ProjectCall)):
                project = get_project(link.project_id)
                if project.lead.slug == slug:
                    checks = queries.checks_for(project, [link.call])[link.call_id]
                    outcomes[slug] = {c.status for c in checks}
    assert outcomes["hiddenhausen"] == {PASS}
    assert FAIL in outcomes["kungalv"] and UNKNOWN in outcomes["kungalv"]
    assert FAIL in outcomes["perano"]
