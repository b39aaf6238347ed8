"""Reads of accounts, always inside the current municipality's scope."""
from sqlalchemy import func, or_, select

from exchange.auth.models import User
from exchange.extensions import db


def users_by_name():
    """Every account of the municipality, by name; paginate the result."""
    return select(User).order_by(User.name, User.id)


def account_counts() -> dict[str, int]:
    """Active, deactivated and not-yet-activated (invited) accounts."""
    rows = db.session.execute(select(User.active, User.password_hash.is_(None), func.count()).group_by(
        User.active, User.password_hash.is_(None))).all()
    counts = {"active": 0, "inactive": 0, "invited": 0}
    for active, invited, n in rows:
        key = "inactive" if not active else "invited" if invited else "active"
        counts[key] += n
    return counts


def users_matching(key: str, email: str = "") -> list[User]:
    """The municipality's accounts of one person, by name key (exchange.db.person_key) or e-mail address:
    a data subject's request."""
    clauses = [User.name_key == key] + ([User.email == email.strip().lower()] if email.strip() else [])
    return list(db.session.scalars(select(User).where(or_(*clauses)).order_by(User.id)))


def active_accounts() -> list[User]:
    """The municipality's active accounts by name (who can be given a task and reminded of it)."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)))
