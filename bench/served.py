"""Key pages under gunicorn with a load generator (issue 12): cost per request against a bare Flask hello
served the same way, in the same run.

    python -m bench.served --database sqlite:////path/bench-100000.db [--seconds 5] [--connections 4]

The database is one the page benchmark kept (``python -m bench --keep DIR``) or any database filled by
``flask --app wsgi demo scale N``. Both apps run under gunicorn with the production worker settings
(``-w 2``, sync workers, deploy/gunicorn.conf.py's class) on a free port; wrk (Debian package ``wrk``)
drives each URL for ``--seconds`` with ``--connections`` keep-alive connections, signed in with the
benchmark account's session cookie. The cost per request is the inverse of the throughput; the ratio is
taken to hello's in the same run. Goal: at most 5× (exit status 1 when one page misses it).
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

LIMIT = 5.0
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(app_spec: str, env: dict[str, str], workers: int):
    """gunicorn serving ``app_spec`` on a free port until the block ends; yields the port."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", app_spec],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def sign_in(port: int, slug: str) -> str:
    """The session cookie of the benchmark account of ``slug``, through the real sign-in form."""
    from bench.pages import PASSWORD, email
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("POST", f"/{slug}/login", body=urlencode({"email": email(slug), "password": PASSWORD}),
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    cookies = [value.split(";", 1)[0] for name, value in response.getheaders() if name.lower() == "set-cookie"]
    if response.status != 302 or not cookies:
        raise RuntimeError(f"the benchmark account could not sign in ({response.status})")
    return "; ".join(cookies)


def wrk(url: str, seconds: int, connections: int, cookie: str | None = None) -> tuple[float, int]:
    """Requests per second and the number of non-2xx/3xx answers wrk saw."""
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, int(errors.group(1)) if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.served", description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a filled database")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    from bench.__main__ import make_app
    from bench.pages import key_pages, prepare
    ids = prepare(make_app(args.database))
    pages = [page for page in key_pages(ids) if not page.export]
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        pages = [page for page in pages if page.name in wanted]

    with served("bench.served_apps:hello", {}, args.workers) as port:
        wrk(f"http://127.0.0.1:{port}/", 1, args.connections)  # warm-up: every worker has answered
        hello, _ = wrk(f"http://127.0.0.1:{port}/", args.seconds, args.connections)
    print(f"\n### gunicorn -w {args.workers}, wrk -c {args.connections} for {args.seconds} s: "
          f"bare Flask hello {hello:.0f} requests/s ({1000 / hello:.3f} ms each)\n")
    print("| page | requests/s | ms per request | × hello | errors | goal |")
    print("|---|---:|---:|---:|---:|---|")
    missed = []
    with served("bench.served_apps:exchange", {"EXCHANGE_BENCH_DATABASE": args.database}, args.workers) as port:
        cookies = {reader: sign_in(port, reader) for reader in {page.reader for page in pages}}
        for page in pages:
            cookie = cookies[page.reader]
            # warm-up: every worker has loaded its catalogs and compiled the page's queries and templates
            wrk(f"http://127.0.0.1:{port}{page.path}", 1, args.connections, cookie)
            rate, errors = wrk(f"http://127.0.0.1:{port}{page.path}", args.seconds, args.connections, cookie)
            ratio = hello / rate if rate else float("inf")
            ok = ratio <= LIMIT and not errors
            if not ok:
                missed.append(page.name)
            print(f"| {page.name} | {rate:.0f} | {1000 / rate if rate else float('inf'):.2f} | {ratio:.1f}× | {errors} | "
                  f"{'ok' if ok else 'MISSED'} |", flush=True)
    if missed:
        print(f"\n{len(missed)} page(s) above {LIMIT:.0f}× hello: {', '.join(missed)}")
        return 1
    print("\nevery page within the goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
