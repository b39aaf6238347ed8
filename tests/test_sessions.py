"""How a request ends its transaction (exchange.sessions, issue 12): one that only read commits, so that
PostgreSQL keeps the plans psycopg prepared (a rollback drops them); one that wrote without committing, or
failed, is rolled back as always: nothing it did not commit is saved."""
from __future__ import annotations

import contextlib

from sqlalchemy import event, select

from exchange.extensions import db


@contextlib.contextmanager
def _ending(app):
    """Inside a request of Kungälv: yields the list of how its transactions ended ("commit", "rollback"),
    filled when the request tears down."""
    from exchange.municipalities.queries import by_slug
    from exchange.tenancy import set_municipality
    ended: list[str] = []
    listeners = [("after_commit", lambda s: ended.append("commit")),
                 ("after_rollback", lambda s: ended.append("rollback"))]
    with app.test_request_context("/kungalv/"):  # leaving it tears the request down
        set_municipality(by_slug("kungalv"))
        session = db.session()
        for name, listener in listeners:
            event.listen(session, name, listener)
        yield ended
    for name, listener in listeners:
        event.remove(session, name, listener)


def _town_names(app) -> set[str]:
    from exchange.municipalities.models import Municipality
    with app.app_context():
        return set(db.session.scalars(select(Municipality.name)))


def test_a_request_that_only_read_commits(app):
    from exchange.municipalities.models import Municipality
    with _ending(app) as ended:
        assert db.session.scalars(select(Municipality)).all()
    assert ended == ["commit"]


def test_a_request_that_wrote_without_committing_saves_nothing(app):
    from exchange.municipalities.models import Municipality
    with _ending(app) as ended:
        town = db.session.scalar(select(Municipality).where(Municipality.slug == "kungalv"))
        town.name = "Kungälv (never saved)"
        db.session.flush()  # a service flushes; the view found a problem and did not commit
    assert "commit" not in ended
    assert "Kungälv (never saved)" not in _town_names(app)


def test_a_request_with_pending_changes_saves_nothing(app):
    from exchange.municipalities.models import Municipality
    with _ending(app) as ended:
        town = db.session.scalar(select(Municipality).where(Municipality.slug == "kungalv"))
        town.name = "Kungälv (pending)"  # changed, never flushed
    assert "commit" not in ended
    assert "Kungälv (pending)" not in _town_names(app)
