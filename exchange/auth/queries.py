"""Reads of accounts, always inside the current municipality's scope."""
from sqlalchemy import func, select

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
