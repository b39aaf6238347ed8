"""Extension singletons, initialised in create_app(). Imports no domain."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as _FlaskSession
from flask_wtf import CSRFProtect

from exchange.db import Base


class Session(_FlaskSession):
    """Flask-SQLAlchemy's session, but an explicit ``bind`` (one connection) wins over the engine map.

    The test suite binds every session to one connection inside an outer transaction and rolls it back
    after each test (``join_transaction_mode="create_savepoint"``); the application never sets a bind.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
# No default limits: only the routes that need one (sign-in) are limited.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
