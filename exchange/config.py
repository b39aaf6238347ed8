"""Configuration: sensible development defaults, overridden by EXCHANGE_* environment variables.

Every variable is documented in README.md. Production (EXCHANGE_ENV=production) refuses to start
without an explicit secret key, because a generated one would differ between workers and hosts.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"EXCHANGE_{name}")
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key() -> str:
    """A key generated once and kept under instance/, so sessions survive a restart."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config() -> dict:
    """Build the Flask config mapping from the environment."""
    env = _env("ENV", "development")
    production = env == "production"
    secret = _env("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("EXCHANGE_SECRET_KEY must be set when EXCHANGE_ENV=production")
        secret = _development_secret_key()
    database_url = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'exchange.db'}")
    languages = [code.strip() for code in _env("LANGUAGES", "sv,de,it").split(",") if code.strip()]
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "LANGUAGES": languages,
        "BABEL_DEFAULT_LOCALE": languages[0],
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _env_bool("SECURE_COOKIES", False),
        "SESSION_COOKIE_NAME": "exchange_session",
        "PERMANENT_SESSION_LIFETIME": int(_env("SESSION_HOURS", "12")) * 3600,
        "HSTS": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute"),
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": int(_env("MAIL_PORT", "587")),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
        "MAIL_SENDER": _env("MAIL_SENDER", "no-reply@twin-town-exchange.example"),
        "PUBLIC_URL": _env("PUBLIC_URL"),
        "INVITE_HOURS": int(_env("INVITE_HOURS", "72")),
        "DEMO_PASSWORD": _env("DEMO_PASSWORD", "exchange-demo"),
        "PAGE_SIZE": int(_env("PAGE_SIZE", "20")),
    }
