"""The municipality scope (DESIGN.md §3): classified models, fail-closed queries, stamped rows."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.extensions import db
from exchange.tenancy import KINDS, ScopeError, all_municipalities, classified_models


def test_every_mapped_class_declares_its_tenancy_kind(app):
    unclassified = [cls.__name__ for cls, kind in classified_models().items() if kind not in KINDS]
    assert unclassified == [], "classify these models in exchange.tenancy terms: " + ", ".join(unclassified)


def test_scoped_models_have_the_rule_their_kind_needs(app):
    for cls, kind in classified_models().items():
        if kind == "tenant":
            assert "municipality_id" in cls.__table__.c, cls
        elif kind == "shared":
            assert callable(getattr(cls, "tenancy_criteria", None)) or getattr(cls, "tenancy_visible_to_all", False), cls
        elif kind == "child":
            relationship = getattr(cls, cls.tenancy_parent)
            assert relationship.property.direction.name == "MANYTOONE", cls
        elif kind == "global":
            assert "municipality_id" not in cls.__table__.c, cls


def test_a_scoped_query_without_a_municipality_raises(app):
    from exchange.auth.models import User
    with app.app_context():
        with pytest.raises(ScopeError):
            db.session.scalars(select(User)).all()
        with pytest.raises(ScopeError):
            db.session.scalar(select(func.count()).select_from(User))


def test_scoped_queries_see_only_their_municipality(app, make_user, in_scope):
    from exchange.auth.models import User, UserRole
    kungalv = make_user("kungalv", "staff")
    perano = make_user("perano", "staff", "admin")
    with in_scope("perano") as session:
        assert [u.id for u in session.scalars(select(User))] == [perano.id]
        assert session.get(User, kungalv.id) is None
        # Children follow their parent: Kungälv's role rows are invisible too.
        assert {r.user_id for r in session.scalars(select(UserRole))} == {perano.id}
    with in_scope("kungalv") as session:
        assert session.get(User, perano.id) is None
        with all_municipalities():  # platform code only
            assert session.scalar(select(func.count()).select_from(User)) == 2


def test_one_compiled_statement_serves_each_municipality_with_its_own_rows(app, make_user, in_scope):
    """The scope is one loader option whose municipality is a bound value: municipalities share the compiled
    SQL of a statement (the statement cache), never its rows. The same statements run in turn in two scopes,
    joined, nested and eagerly loaded, each seeing only its own municipality's users and their children."""
    from sqlalchemy.orm import joinedload
    from exchange.auth.models import LoginSession, User, UserRole
    from exchange.auth.services import start_session
    kungalv, perano = make_user("kungalv", "staff"), make_user("perano", "staff", "admin")
    for slug, account in (("kungalv", kungalv), ("perano", perano)):
        with in_scope(slug) as session:
            start_session(session.get(User, account.id))
            session.commit()
    for slug, own in (("kungalv", kungalv), ("perano", perano), ("kungalv", kungalv), ("perano", perano)):
        with in_scope(slug) as session:
            assert set(session.scalars(select(User.id).join(User.role_rows))) == {own.id}
            assert set(session.scalars(select(UserRole.user_id).where(
                UserRole.user_id.in_(select(User.id))))) == {own.id}
            logins = session.scalars(select(LoginSession).options(joinedload(LoginSession.user))).all()
            assert {login.user.id for login in logins} == {own.id}
            assert {role.user_id for user in session.scalars(select(User)) for role in user.role_rows} == {own.id}


def test_a_kept_statement_is_scoped_anew_in_each_municipality(app, make_user, in_scope):
    """A statement built once and kept (exchange.tenancy.kept: the translators' queue caches its own) keeps
    its scoped copies too, one per municipality: executed in turn in two scopes, the same object still
    sees only the current municipality's rows, and no copy is made again for a municipality it has seen."""
    from exchange.auth.models import User, UserRole
    from exchange.tenancy import _kept_copies, kept
    kungalv, perano = make_user("kungalv", "staff"), make_user("perano", "staff", "admin")
    users = kept(select(User.id).join(User.role_rows).distinct())
    roles = kept(select(func.count()).select_from(UserRole))
    role_count = {kungalv.id: 1, perano.id: 2}
    for slug, own in (("kungalv", kungalv), ("perano", perano), ("kungalv", kungalv), ("perano", perano)):
        with in_scope(slug) as session:
            assert set(session.scalars(users)) == {own.id}
            assert session.scalar(roles) == role_count[own.id]
            with all_municipalities():  # platform code: the unscoped statement, as for any other
                assert set(session.scalars(users)) == {kungalv.id, perano.id}
    assert len(_kept_copies[users]) == 2 and len(_kept_copies[roles]) == 2


def test_new_rows_are_stamped_and_foreign_rows_refused(app, in_scope):
    from exchange.auth.models import User
    from exchange.municipalities.queries import by_slug
    with in_scope("hiddenhausen") as session:
        user = User(email="x@example.org", name="X")
        session.add(user)
        session.flush()
        assert user.municipality_id == by_slug("hiddenhausen").id
        session.rollback()
        intruder = User(email="y@example.org", name="Y", municipality_id=by_slug("perano").id)
        session.add(intruder)
        with pytest.raises(ScopeError):
            session.flush()
        session.rollback()


def test_a_row_cannot_move_to_another_municipality(app, make_user, in_scope):
    from exchange.auth.models import User
    from exchange.municipalities.queries import by_slug
    account = make_user("kungalv", "staff")
    with in_scope("kungalv") as session:
        user = session.get(User, account.id)
        user.municipality_id = by_slug("perano").id
        with pytest.raises(ScopeError):
            session.flush()
        session.rollback()


def test_unknown_municipality_slug_is_404(client):
    assert client.get("/atlantis/login").status_code == 404
    assert client.get("/atlantis/").status_code == 404


def test_another_municipalitys_user_page_is_404_for_an_admin(client, login_as, make_user):
    login_as("kungalv", "admin")
    stranger = make_user("perano", "staff")
    assert client.get(f"/kungalv/admin/users/{stranger.id}").status_code == 404
    assert client.post(f"/kungalv/admin/users/{stranger.id}/deactivate").status_code == 404
    assert client.get(f"/perano/admin/users/{stranger.id}").status_code == 302  # anonymous on Perano


def test_bulk_writes_change_only_the_own_municipalitys_rows(app, make_user, in_scope, make_project):
    from sqlalchemy import delete, update
    from exchange.auth.models import LoginSession, User
    from exchange.projects.models import Project, ProjectComment
    kungalv = make_user("kungalv", "staff")
    perano = make_user("perano", "staff")
    own = make_project("kungalv", status="proposed", title="Vårt")
    theirs = make_project("perano", status="proposed", title="Nostro", locale="it")
    with in_scope("kungalv") as session:
        # Perano's proposed project is readable here, but a bulk write leaves it alone.
        assert session.get(Project, theirs) is not None
        session.execute(update(Project).values(start_date=None))
        session.execute(update(User).values(name="Renamed"))
        session.execute(delete(ProjectComment))  # a child: only comments on Kungälv's own projects
        session.flush()
        with all_municipalities():
            assert session.get(Project, theirs).start_date is not None
            assert session.get(Project, own).start_date is None
            assert session.get(User, perano.id).name != "Renamed"
            assert session.get(User, kungalv.id).name == "Renamed"
        session.rollback()
    with app.app_context():
        with pytest.raises(ScopeError):
            db.session.execute(delete(LoginSession))
    with in_scope("kungalv") as session:
        with pytest.raises(ScopeError):  # a Core statement on a scoped table cannot be scoped
            session.execute(User.__table__.update().values(name="x"))
        with all_municipalities():  # platform code, explicitly
            session.execute(update(User).where(User.id == perano.id).values(name="Platform"))
            assert session.get(User, perano.id).name == "Platform"
        session.rollback()
