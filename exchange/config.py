"""Configuration: sensible development defaults, overridden by EXCHANGE_* environment variables.

Every variable is documented in README.md. Production (EXCHANGE_ENV=production) refuses to start with
an unsafe configuration rather than run with one: no secret key or a short one (a generated key would
differ between workers and hosts), no public URL (absolute links would come from the Host header), an
unknown environment name (a typo must not silently mean "development").
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
ENVIRONMENTS = ("development", "production")
MIN_SECRET_BYTES = 32


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


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = _env(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"EXCHANGE_{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"EXCHANGE_{name} must be at least {minimum}")
    return value


def _development_secret_key() -> str:
    """A key generated once and kept under instance/, so sessions survive a restart."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _public_url(production: bool) -> str:
    url = _env("PUBLIC_URL")
    if url is None:
        if production:
            raise ConfigError("EXCHANGE_PUBLIC_URL must be set in production (e.g. https://exchange.example.org): "
                              "every absolute link in mail, calendars and feeds is built from it")
        return "http://127.0.0.1:5000"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"EXCHANGE_PUBLIC_URL must be an http(s) URL such as https://exchange.example.org, "
                          f"not {url!r}")
    if production and parts.scheme != "https":
        raise ConfigError("EXCHANGE_PUBLIC_URL must use https in production")
    return url.rstrip("/")


def load_config() -> dict:
    """Build the Flask config mapping from the environment."""
    env = _env("ENV", "development")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"EXCHANGE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    production = env == "production"
    secret = _env("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("EXCHANGE_SECRET_KEY must be set when EXCHANGE_ENV=production")
        secret = _development_secret_key()
    if production and len(secret.encode()) < MIN_SECRET_BYTES:
        raise ConfigError(f"EXCHANGE_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes "
                          "(e.g. python3 -c 'import secrets; print(secrets.token_hex(32))')")
    public_url = _public_url(production)
    trusted = _env("TRUSTED_HOSTS")
    trusted_hosts = [h.strip() for h in trusted.split(",") if h.strip()] if trusted else \
        ([urlsplit(public_url).hostname] if production else None)
    database_url = _env("DATABASE_URL", f"sqlite:///{INSTANCE / 'exchange.db'}")
    languages = [code.strip() for code in _env("LANGUAGES", "sv,de,it").split(",") if code.strip()]
    redis_url = _env("REDIS_URL")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "STATEMENT_TIMEOUT_MS": _env_int("STATEMENT_TIMEOUT_MS", 15000, 100),
        "LANGUAGES": languages,
        "BABEL_DEFAULT_LOCALE": languages[0],
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production or _env_bool("SECURE_COOKIES", False),
        "SESSION_COOKIE_NAME": "exchange_session",
        "PERMANENT_SESSION_LIFETIME": _env_int("SESSION_HOURS", 12, 1) * 3600,
        "HSTS": production,
        "WTF_CSRF_TIME_LIMIT": None,
        # Requests: bodies larger than this are refused (413) before they are read.
        "MAX_CONTENT_LENGTH": _env_int("MAX_CONTENT_MB", 4, 1) * 1024 * 1024,
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0: none, trust nothing).
        "PROXY_HOPS": _env_int("PROXY_HOPS", 0),
        # Every absolute link (mail, calendars, feeds) starts with this, never with the Host header.
        "PUBLIC_URL": public_url,
        "TRUSTED_HOSTS": trusted_hosts,
        "PREFERRED_URL_SCHEME": urlsplit(public_url).scheme,
        # Rate limits. Several workers need a shared store (Redis): see exchange.security.check_workers.
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", redis_url or "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        # Redis down: the limiter keeps counting in each worker's memory instead of failing the request.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "LOGIN_ADDRESS_LIMIT": _env("LOGIN_ADDRESS_LIMIT", "60 per 10 minutes"),
        "FEEDBACK_LIMIT": _env("FEEDBACK_LIMIT", "5 per hour"),  # accessibility feedback per address
        # The read API (/api/v1/): requests per personal access token, and per client address without one.
        "API_TOKEN_RATE_LIMIT": _env("API_TOKEN_RATE_LIMIT", "1000 per hour"),
        "API_ANONYMOUS_RATE_LIMIT": _env("API_ANONYMOUS_RATE_LIMIT", "300 per hour"),
        "LOGIN_FREE_FAILURES": _env_int("LOGIN_FREE_FAILURES", 3, 1),
        "LOGIN_MAX_DELAY_SECONDS": _env_int("LOGIN_MAX_DELAY_SECONDS", 900, 1),
        "LOGIN_NOTICE_FAILURES": _env_int("LOGIN_NOTICE_FAILURES", 10, 1),
        # Jobs: "inline" runs them in the process after the commit (make run); "rq" hands them to the
        # worker over Redis (production).
        "JOBS_BACKEND": _env("JOBS_BACKEND", "rq" if redis_url else "inline"),
        "REDIS_URL": redis_url,
        "JOBS_QUEUE": _env("JOBS_QUEUE", "exchange"),
        "MAIL_SERVER": _env("MAIL_SERVER"),
        "MAIL_PORT": _env_int("MAIL_PORT", 587, 1),
        "MAIL_USERNAME": _env("MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", True),
        "MAIL_SENDER": _env("MAIL_SENDER", "no-reply@twin-town-exchange.example"),
        "INVITE_HOURS": _env_int("INVITE_HOURS", 72, 1),
        "DEMO_PASSWORD": _env("DEMO_PASSWORD", "exchange-demo"),
        "PAGE_SIZE": _env_int("PAGE_SIZE", 20, 1),
        "AUDIT_RETENTION_DAYS": _env_int("AUDIT_RETENTION_DAYS", 730, 30),
        # Notifications: how long they are kept, and the local hour (recipient's time zone) of digests.
        "NOTIFICATIONS_EXPIRE_DAYS": _env_int("NOTIFICATIONS_EXPIRE_DAYS", 90, 1),
        "NOTIFICATIONS_DIGEST_HOUR": min(_env_int("NOTIFICATIONS_DIGEST_HOUR", 7, 0), 23),
        "LOG_FORMAT": _env("LOG_FORMAT", "json" if production else "text"),
        "LOG_LEVEL": _env("LOG_LEVEL", "INFO"),
        # Prometheus metrics at /metrics: only with this token (Authorization: Bearer …), never public.
        "METRICS_TOKEN": _env("METRICS_TOKEN"),
    }


def engine_options(database_url: str, statement_timeout_ms: int | None) -> dict:
    """SQLAlchemy engine options for the configured database."""
    options: dict = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        # LIFO: a worker takes the connection it used last, whose statements psycopg has prepared (and
        # PostgreSQL has planned: exchange.sessions); FIFO handed out each connection in turn, each with
        # a share of the executions, and an extra connection never idled.
        options["pool_use_lifo"] = True
    if database_url.startswith("postgresql") and statement_timeout_ms:
        # Bound every statement: no request may hold a worker (or a lock) for long, whatever was stored.
        options["connect_args"] = {"options": f"-c statement_timeout={statement_timeout_ms}"}
    return options
