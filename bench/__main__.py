"""Page benchmark (issue 12): every key page at a small and a big data size, against a bare Flask hello.

    python -m bench [--small 100] [--big 100000] [--repeat 7] [--keep DIR] [--only NAME,…]

The big size defaults to EXCHANGE_BENCH_ROWS (100 000); SQLite always, PostgreSQL too when
EXCHANGE_BENCH_DATABASE_URL is set (that database is emptied). Each size: a fresh database, the demo,
then N rows of every kind (bench.generate); the benchmark account signs in through the real form; each
page is requested once to warm up, then timed ``--repeat`` times in process (Flask test client), and its
SQL statements are counted on one request. Exports are timed to their first byte and to their end. On
SQLite both sizes are built first and each page's requests alternate between them (``measure``).

Goals checked (exit status 1 when one is missed), from issue 12:
- every page's median at most 30× hello's (hello measured in the same run);
- big / small at most 1.5×, and the same number of SQL statements at both sizes;
- exports: first byte within 100 ms, the whole file within 10 s and a peak of at most 32 MB of Python
  memory (tracemalloc, one extra download) at the big size, whatever the file's size (an export's
  statements and time grow with its rows by nature: it reads them in batches; those goals are its own).
Partner matching has its own benchmark: ``python -m bench.matching``.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.matching import time_hello  # the same yardstick as the matching benchmark

HELLO_LIMIT = 30.0
SIZE_LIMIT = 1.5
FIRST_BYTE_LIMIT = 0.100
EXPORT_LIMIT = 10.0
MEMORY_LIMIT = 32 * 1024 * 1024  # bytes: a streamed export holds a batch, never the file (77 MB at 100 000 projects)
SLOW = 5.0  # a page slower than this is timed fewer times (the run must end)


@dataclass
class Figure:
    seconds: float = 0.0
    first_byte: float | None = None
    statements: int = 0
    status: int = 0
    samples: int = 0
    peak_memory: int | None = None  # exports: bytes allocated at the peak of one download (tracemalloc)
    size: int | None = None  # exports: bytes in the file


@dataclass
class Run:
    backend: str
    hello: float = 0.0
    sizes: dict[int, dict[str, Figure]] = field(default_factory=dict)


def make_app(url: str):
    from exchange import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": False,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
                       "MAIL_SERVER": None, "JOBS_BACKEND": "inline", "ARGON2_PROFILE": "CHEAPEST"})
    # The embedded default runs due recurring jobs after a request now and then (exchange.jobs.queue):
    # the scheduler is not what is measured, so it is told it has just run.
    app.extensions["exchange_jobs"] = {"checked": float("inf")}
    return app


def build(url: str, n: int, log) -> object:
    """A fresh database at ``url`` with the demo and n rows of every kind."""
    from bench.generate import ensure_demo, generate
    from exchange.extensions import db
    app = make_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    start = time.perf_counter()
    ensure_demo(app)
    generate(app, n, log=lambda line: None)
    log(f"  filled {n} rows of every kind in {time.perf_counter() - start:.0f} s")
    return app


def _statements(client, engine, page) -> tuple[int, int, float]:
    """One warm-up request of ``page``: (statements sent, HTTP status, seconds)."""
    import sqlalchemy as sa
    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        start = time.perf_counter()
        response = client.get(page.path)
        b"".join(response.response)
        return counter["n"], response.status_code, time.perf_counter() - start
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def _timed(client, page) -> tuple[float, float]:
    """One request of ``page``, streamed: (seconds to the first byte, seconds to the end)."""
    start = time.perf_counter()
    response = client.get(page.path, buffered=False)
    chunks = iter(response.response)
    next(chunks, b"")
    first = time.perf_counter() - start
    for _chunk in chunks:
        pass
    response.close()
    return first, time.perf_counter() - start


def measure(apps: dict[int, object], pages: dict[int, list], repeat: int, log) -> dict[int, dict[str, Figure]]:
    """Every page at every size of ``apps`` (size -> app; ``pages``: size -> its pages, the same names).

    With several sizes, a page's requests alternate between them (small, big, small, big, ...), so a
    ratio between sizes compares requests made at the same moments: a machine that slows down for a while
    (another process, the host of a virtual machine) slows both alike. Timed one size after the other,
    the ratios of one run drifted by 20-40 % between runs on a quiet machine."""
    from bench.pages import sign_in
    from exchange.extensions import db

    sizes = sorted(apps)
    readers: dict[int, dict[str, object]] = {n: {} for n in sizes}  # size -> municipality -> signed-in client
    engines = {}
    for n in sizes:
        for reader in {page.reader for page in pages[n]}:
            readers[n][reader] = apps[n].test_client()
            sign_in(readers[n][reader], reader)
        with apps[n].app_context():
            engines[n] = db.engine
    figures: dict[int, dict[str, Figure]] = {n: {} for n in sizes}
    for index, name in enumerate(page.name for page in pages[sizes[0]]):
        page_at = {n: pages[n][index] for n in sizes}
        clients = {n: readers[n][page_at[n].reader] for n in sizes}
        figure_at = {n: Figure() for n in sizes}
        warm = 0.0
        for n in sizes:
            figure = figure_at[n]
            figure.statements, figure.status, seconds = _statements(clients[n], engines[n], page_at[n])
            warm = max(warm, seconds)
        rounds = repeat if warm < SLOW else min(repeat, 1 if warm > 6 * SLOW else 3)
        times: dict[int, list[float]] = {n: [] for n in sizes}
        firsts: dict[int, list[float]] = {n: [] for n in sizes}
        for _ in range(rounds):
            for n in sizes:
                first, total = _timed(clients[n], page_at[n])
                firsts[n].append(first)
                times[n].append(total)
        for n in sizes:
            figure = figure_at[n]
            figure.seconds, figure.samples = statistics.median(times[n]), len(times[n])
            if page_at[n].export:
                figure.first_byte = statistics.median(firsts[n])
                figure.size, figure.peak_memory = download_memory(clients[n], page_at[n].path)
            figures[n][name] = figure
        log(f"  {name:<22} " + "  ".join(
            f"{figure_at[n].seconds * 1000:9.1f} ms {figure_at[n].statements:4d} SQL @{n}"
            + (f" (first byte {figure_at[n].first_byte * 1000:.1f} ms, peak {figure_at[n].peak_memory / 2**20:.1f}"
               f" MB for {figure_at[n].size / 2**20:.1f} MB)" if page_at[n].export else "")
            + ("" if figure_at[n].status == 200 else f" HTTP {figure_at[n].status}") for n in sizes))
    return figures


def download_memory(client, path: str) -> tuple[int, int]:
    """The file's size and the peak of Python memory allocated while it streams (one more download, under
    tracemalloc, which slows it: the times above are taken without it)."""
    import tracemalloc
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        response = client.get(path, buffered=False)
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        return size, tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def report(run: Run, pages, small: int, big: int) -> list[str]:
    """The table of one backend; returns the goals it misses."""
    missed = []
    hello_ms = run.hello * 1000
    print(f"\n### {run.backend}: bare Flask hello {hello_ms:.3f} ms (median); {small} and {big} rows\n")
    print(f"| page | ms @{small} | ms @{big} | × hello @{big} | {big}/{small} | SQL @{small} | SQL @{big} "
          f"| first byte @{big} | peak memory @{big} | goals |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for page in pages:
        a, b = run.sizes[small][page.name], run.sizes[big][page.name]
        ratio_hello = b.seconds / run.hello
        ratio_size = b.seconds / a.seconds if a.seconds else float("inf")
        problems = []
        if a.status != 200 or b.status != 200:
            problems.append(f"HTTP {a.status}/{b.status}")
        if not page.export and ratio_hello > HELLO_LIMIT:
            problems.append(f">{HELLO_LIMIT:.0f}× hello")
        if not page.export and ratio_size > SIZE_LIMIT:
            problems.append(f">{SIZE_LIMIT}× size")
        if not page.export and a.statements != b.statements:
            problems.append("SQL grows")
        if page.export and (b.first_byte or 0) > FIRST_BYTE_LIMIT:
            problems.append("first byte >100 ms")
        if page.export and b.seconds > EXPORT_LIMIT:
            problems.append(f"whole file >{EXPORT_LIMIT:.0f} s")
        if page.export and (b.peak_memory or 0) > MEMORY_LIMIT:
            problems.append(f"memory >{MEMORY_LIMIT >> 20} MB")
        first = f"{b.first_byte * 1000:.1f} ms" if b.first_byte is not None else ""
        memory = (f"{b.peak_memory / 2**20:.1f} MB of {b.size / 2**20:.1f} MB"
                  if b.peak_memory is not None else "")
        print(f"| {page.name} | {a.seconds * 1000:.1f} | {b.seconds * 1000:.1f} | {ratio_hello:.0f}× "
              f"| {ratio_size:.2f}× | {a.statements} | {b.statements} | {first} | {memory} | "
              f"{'ok' if not problems else 'MISSED: ' + ', '.join(problems)} |")
        missed += [f"{run.backend} {page.name}: {p}" for p in problems]
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--big", type=int, default=int(os.environ.get("EXCHANGE_BENCH_ROWS", "100000")))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", help="keep the SQLite files in this directory")
    parser.add_argument("--only", help="comma-separated page names (default: every key page)")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore EXCHANGE_BENCH_DATABASE_URL")
    parser.add_argument("--postgresql-only", action="store_true", help="only EXCHANGE_BENCH_DATABASE_URL")
    args = parser.parse_args(argv)
    logging.getLogger("exchange.access").setLevel(logging.WARNING)  # one line per request is noise here

    from bench.pages import key_pages, prepare

    def log(line: str) -> None:
        print(line, flush=True)

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    backends = [] if args.postgresql_only else [("SQLite", None)]
    if os.environ.get("EXCHANGE_BENCH_DATABASE_URL") and not args.sqlite_only:
        backends.append(("PostgreSQL", os.environ["EXCHANGE_BENCH_DATABASE_URL"]))
    missed, pages = [], []
    for backend, url in backends:
        run = Run(backend)
        hellos = [time_hello(300)]
        # SQLite: both sizes are built, then measured together (alternating, see ``measure``). PostgreSQL:
        # the one database of EXCHANGE_BENCH_DATABASE_URL holds one size at a time, measured in turn.
        groups = [[args.small, args.big]] if url is None else [[args.small], [args.big]]
        for group in groups:
            apps, selected = {}, {}
            for n in group:
                log(f"{backend}, {n} rows of every kind:")
                path = workdir / f"bench-{n}.db"
                if url is None:
                    for stale in workdir.glob(f"bench-{n}.db*"):
                        stale.unlink()
                apps[n] = build(url or f"sqlite:///{path}", n, log)
                selected[n] = key_pages(prepare(apps[n]))
                if args.only:
                    wanted = {name.strip() for name in args.only.split(",")}
                    selected[n] = [page for page in selected[n] if page.name in wanted]
            pages = selected[group[0]]
            run.sizes.update(measure(apps, selected, args.repeat, log))
            hellos.append(time_hello(300))
            for app in apps.values():
                with app.app_context():
                    from exchange.extensions import db
                    db.session.remove()
                    db.engine.dispose()
        run.hello = statistics.median(hellos)
        missed += report(run, pages, args.small, args.big)
    if not args.keep:
        for file in workdir.glob("bench-*"):
            file.unlink()
        workdir.rmdir()
    if missed:
        print(f"\n{len(missed)} goal(s) missed:")
        for line in missed:
            print(f"- {line}")
        return 1
    print("\nevery goal met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
