"""Streaming exports shared by every domain: each domain's ``exports.py`` yields rows from its queries,
and this module turns them into a download that starts at once and never holds the whole file.

CSV for spreadsheet programs: a BOM so they read UTF-8, the separator Excel expects in the reader's
locale (``;`` where the decimal separator is a comma, as in sv, de and it), and cells that a spreadsheet
would run as formulas made inert.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from urllib.parse import quote

from babel import Locale
from flask import Response, stream_with_context
from flask_babel import get_locale

from exchange.extensions import db

BATCH = 500  # rows fetched per round trip by the domains' export queries


def list_separator(locale=None) -> str:
    """The CSV separator a spreadsheet program set to ``locale`` expects: ``;`` where numbers use a
    decimal comma (sv, de, it, …), else ``,``."""
    loc = Locale.parse(str(locale or get_locale() or "en"))
    decimal = loc.number_symbols.get("latn", loc.number_symbols).get("decimal", ".")
    return ";" if decimal == "," else ","


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as the start of a formula


def csv_safe(value) -> str:
    """A cell as text; spreadsheets run cells starting with = + - @ as formulas, so those are kept as text
    with a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA else text


def csv_lines(header: list[str], rows: Iterable[Iterable], delimiter: str) -> Iterator[str]:
    """The file's text in pieces: BOM and header first, then a piece per batch of rows.

    The lines are those Python's csv module writes (minimal quoting, quotes doubled, CRLF; the tests compare
    the two), joined here with ``str.join``: the module's writer, with ``csv_safe`` called per cell, was over
    a quarter of a 100 000-row export (issue 12)."""

    def line(row: Iterable) -> str:
        cells = []
        for cell in row:
            if cell.__class__ is not str or cell.startswith(_FORMULA):
                cell = csv_safe(cell)
            if delimiter in cell or '"' in cell or "\n" in cell or "\r" in cell:
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        text = delimiter.join(cells)
        # one empty cell is written "" (a bare line end would read back as no row at all)
        return text if text or len(cells) != 1 else '""'

    yield "\ufeff" + line(header) + "\r\n"
    batch = []
    for row in rows:
        batch.append(line(row))
        if len(batch) == BATCH:
            batch.append("")
            yield "\r\n".join(batch)
            batch.clear()
    if batch:
        batch.append("")
        yield "\r\n".join(batch)


def _disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> Response:
    """Stream a CSV download; ``rows`` is a generator over the domain's query (read in batches)."""
    lines = csv_lines(header, rows, list_separator())
    return Response(stream_with_context(lines), mimetype="text/csv",
                    headers={"Content-Disposition": _disposition(filename)})


# --- a batch's child rows ----------------------------------------------------------------------------
# The exports read what a batch of rows needs besides (texts, links) with Core selects restricted to the
# batch's ids, bound as one parameter (``exchange.listparams.among``).

def child_rows(stmt, ids: list[int]) -> list[tuple]:
    """The rows of ``stmt``, a Core select of plain columns (integers, text) restricted with
    ``exchange.listparams.among``, for one batch's ids, as the driver's tuples.

    Executed through the session, so the scope's guard sees it as any statement; fetched from the DBAPI
    cursor because a SQLAlchemy row object per child row was a fifth of a 100 000-row export (issue 12),
    and integers and text need no conversion on SQLite or PostgreSQL."""
    result = db.session.execute(stmt, {"ids": ids})
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


# --- XLSX ------------------------------------------------------------------------------------------
# Staff open these files in Excel. A workbook is a zip of XML parts; the sheet is written row by row into
# a zip that is itself streamed (zipfile writes to an unseekable stream with data descriptors), so the
# download starts at once and memory stays flat however many rows there are. openpyxl's write-only mode
# cannot do that (it finishes the whole file before the first byte can leave), so this writes the few
# parts itself; the tests read the result back with openpyxl.

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '</Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        '</Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="styles.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
        '</Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf/><xf fontId="1" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
}
# control characters XML 1.0 does not allow (all below 32 but tab, line feed and carriage return): left out
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _workbook_xml(sheet_name: str) -> str:
    from xml.sax.saxutils import quoteattr
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name={quoteattr(sheet_name[:31])} sheetId="1" r:id="rId1"/></sheets></workbook>')


def _cell(value, bold: bool = False) -> str:
    style = ' s="1"' if bold else ""
    if value is None or value == "":
        return "<c/>"  # an empty cell
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float, Decimal)):
        return f'<c{style}><v>{value}</v></c>'
    text = str(value)
    if _ILLEGAL_XML.search(text):
        text = _ILLEGAL_XML.sub("", text)
    # escaped as xml.sax.saxutils.escape does, without a call per cell (two million cells at 100 000 visits)
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


class _Pipe(io.RawIOBase):
    """A write-only, unseekable stream whose bytes are taken out as they come."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def xlsx_chunks(header: list[str], rows: Iterable[Iterable], sheet_name: str = "Export") -> Iterator[bytes]:
    """The bytes of an XLSX workbook with one sheet (a bold header row, then the rows), in pieces."""
    import zipfile
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**_XLSX_PARTS, "xl/workbook.xml": _workbook_xml(sheet_name)}.items():
            archive.writestr(name, content)
        yield pipe.take()
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         '<sheetData><row>' + "".join(_cell(h, bold=True) for h in header) + "</row>").encode())
            # a batch of rows compressed at a time (a write per row was a compression call per row)
            batch = []
            for row in rows:
                batch.append("<row>" + "".join([_cell(value) for value in row]) + "</row>")
                if len(batch) == BATCH:
                    sheet.write("".join(batch).encode())
                    batch.clear()
                    yield pipe.take()
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    yield pipe.take()


def xlsx_response(filename: str, header: list[str], rows: Iterable[Iterable], sheet_name: str = "Export") -> Response:
    """Stream an XLSX download; ``rows`` is a generator over the domain's query (read in batches)."""
    return Response(stream_with_context(xlsx_chunks(header, rows, sheet_name)),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": _disposition(filename)})


# --- one table, two formats --------------------------------------------------------------------------

FORMATS = ("csv", "xlsx")  # the routes' ``<any(csv, xlsx):fmt>``


def download(fmt: str, stem: str, header: list[str], rows: Iterable[Iterable], sheet_name: str) -> Response:
    """The same table as a CSV (``fmt="csv"``) or an XLSX workbook (``"xlsx"``): every export offers
    both, because staff open these files in Excel and a workbook needs no separator or encoding guess."""
    if fmt == "xlsx":
        return xlsx_response(f"{stem}.xlsx", header, rows, sheet_name)
    return csv_response(f"{stem}.csv", header, rows)


def language_columns(label: str, languages: Iterable[str]) -> list[str]:
    """The headers of a translatable field's columns, one per language ("Titel (svenska)", …)."""
    from flask_babel import gettext as _

    from exchange.i18n.formatting import language_name
    return [_("%(field)s (%(language)s)", field=label, language=language_name(code)) for code in languages]


def language_cells(owner, field: str, languages: Iterable[str]) -> list[str]:
    """A translatable field's text in each language (empty where there is no version), read from the
    owner's loaded text rows."""
    rows = owner.text_rows(field)
    return [rows[code].text if code in rows else "" for code in languages]
