"""The audit log (issue 11, 13): sentences in the reader's language naming the object, filterable, only
for the municipality's admins, and tamper-evident (a hash chain that `flask audit verify` checks)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text, update

from tests.fixtures.core import text_of


def test_entries_read_as_sentences_in_each_language_and_filter(client, login_as, make_user, make_project):
    make_project("kungalv", title="Solenergi på skolorna")
    admin = login_as("kungalv", "admin")
    make_user("kungalv", "staff", name="Sven Staff")
    sv = text_of(client.get("/kungalv/admin/audit?lang=sv"))
    assert "utkastet till projektet Solenergi på skolorna" in sv or "Solenergi på skolorna" in sv
    assert "project.create" not in sv
    de = text_of(client.get("/kungalv/admin/audit?lang=de"))
    assert "Solenergi på skolorna" in de and "Projekt" in de
    only_accounts = text_of(client.get("/kungalv/admin/audit?area=user&lang=en"))
    assert "Sven Staff" in only_accounts and "Solenergi" not in only_accounts
    mine = text_of(client.get(f"/kungalv/admin/audit?actor={admin.id}"))
    assert "Solenergi" not in mine
    assert client.get("/kungalv/admin/audit?area=nonsense&actor=%00&since=99999").status_code == 200


def test_only_the_municipalitys_admins_read_its_log(app, client, login_as, make_user, make_project):
    make_project("perano", title="Segreto", locale="it")
    login_as("kungalv", "admin")
    assert "Segreto" not in text_of(client.get("/kungalv/admin/audit"))
    staff = app.test_client()
    from tests.fixtures.core import login
    login(staff, make_user("perano", "coordinator"))
    assert staff.get("/perano/admin/audit").status_code == 403


def test_the_chain_detects_changed_removed_and_truncated_entries(app, in_scope, make_project, make_user):
    from exchange.audit.models import AuditEntry
    from exchange.audit.services import prune, verify
    from exchange.db import utcnow
    from exchange.tenancy import all_municipalities
    make_project("hiddenhausen", title="Erstes", locale="de")
    make_project("hiddenhausen", title="Zweites", locale="de")
    make_user("hiddenhausen", "staff")
    with in_scope("hiddenhausen") as session:
        assert verify().ok
        count = verify().entries
        assert count >= 3
        # Someone edits an entry in the database: the chain breaks at that entry.
        third = session.scalar(select(AuditEntry).where(AuditEntry.seq == 3))
        with all_municipalities():
            session.execute(update(AuditEntry).where(AuditEntry.id == third.id).values(action="user.login"))
        result = verify()
        assert not result.ok and result.broken_at == 3
        session.rollback()
        # Someone deletes an entry in the middle, or the first ones.
        with all_municipalities():
            session.execute(text("DELETE FROM audit_entries WHERE seq = 2 AND municipality_id = :m"),
                            {"m": third.municipality_id})
        assert verify().broken_at == 2
        session.rollback()
        with all_municipalities():
            session.execute(text("DELETE FROM audit_entries WHERE seq <= 2 AND municipality_id = :m"),
                            {"m": third.municipality_id})
        assert verify().reason == "entries before this one were removed"
        session.rollback()
        # Retention may remove old entries: it records where the chain now starts, so it still verifies.
        assert prune(utcnow() + dt.timedelta(seconds=-3600)) == 0
        removed = prune(session.scalar(select(AuditEntry.created_at).where(AuditEntry.seq == 3)))
        assert removed >= 2
        assert verify().ok


def test_cli_verify_reports_each_municipality(app, make_project):
    make_project("perano", title="Uno", locale="it")
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "perano: ok" in result.output
