"""Streaming exports shared by every domain: each domain's ``exports.py`` yields rows from its queries,
and this module turns them into a download that starts at once and never holds the whole file.

CSV for spreadsheet programs: a BOM so they read UTF-8, the separator Excel expects in the reader's
locale (``;`` where the decimal separator is a comma, as in sv, de and it), and cells that a spreadsheet
would run as formulas made inert.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from babel import Locale
from flask import Response, stream_with_context
from flask_babel import get_locale

BATCH = 500  # rows fetched per round trip by the domains' export queries


def list_separator(locale=None) -> str:
    """The CSV separator a spreadsheet program set to ``locale`` expects: ``;`` where numbers use a
    decimal comma (sv, de, it, …), else ``,``."""
    loc = Locale.parse(str(locale or get_locale() or "en"))
    decimal = loc.number_symbols.get("latn", loc.number_symbols).get("decimal", ".")
    return ";" if decimal == "," else ","


def csv_safe(value) -> str:
    """A cell as text; spreadsheets run cells starting with = + - @ as formulas, so those are kept as text
    with a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(header: list[str], rows: Iterable[Iterable], delimiter: str) -> Iterator[str]:
    """The file's text in pieces: BOM and header first, then a piece per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

    def drain() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([csv_safe(h) for h in header])
    yield "\ufeff" + drain()
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_safe(cell) for cell in row])
        if count % BATCH == 0:
            yield drain()
    rest = drain()
    if rest:
        yield rest


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """Stream a CSV download; ``rows`` is a generator over the domain's query (read in batches)."""
    lines = csv_lines(header, rows, list_separator())
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": _disposition(filename)})
