"""gunicorn settings for Twin-Town Exchange (`gunicorn -c deploy/gunicorn.conf.py wsgi:app`).

Environment: EXCHANGE_BIND (default 127.0.0.1:8000), EXCHANGE_WORKERS (default 2), plus every EXCHANGE_*
variable of the app (README, Configuration). Access log on stdout, one line per request with the
request id the app sets, so a line can be matched with the app's own log event.
"""
import os
import tempfile

bind = os.environ.get("EXCHANGE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("EXCHANGE_WORKERS", "2"))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
max_requests = 2000          # recycle workers now and then (bounded memory growth)
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-request-id}o)s %(m)s %(U)s %(s)s %(B)s %(M)sms'
# The app trusts X-Forwarded-* only as configured by EXCHANGE_PROXY_HOPS (werkzeug's ProxyFix).
forwarded_allow_ips = "127.0.0.1"

# Prometheus multi-process mode: every worker writes its metrics here; /metrics adds them up.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="exchange-metrics-"))


def on_starting(server):
    """Refuse to start a configuration that would not protect sign-in (see exchange.security)."""
    from exchange.security import check_worker_setup
    check_worker_setup(server.cfg.workers, os.environ.get("EXCHANGE_RATELIMIT_STORAGE_URI")
                       or os.environ.get("EXCHANGE_REDIS_URL") or "memory://",
                       os.environ.get("EXCHANGE_ENV", "development"))


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)
