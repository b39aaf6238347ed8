"""The shared streaming exports: CSV for the reader's spreadsheet settings, and XLSX streamed row by row."""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from decimal import Decimal

import openpyxl
import pytest

from exchange.exports import csv_lines, csv_safe, list_separator, xlsx_chunks


def test_csv_uses_the_readers_list_separator_a_bom_and_inert_formulas():
    assert list_separator("sv") == ";" and list_separator("de") == ";" and list_separator("it") == ";"
    assert list_separator("en") == ","
    text = "".join(csv_lines(["Titel", "Belopp"], [["=HYPERLINK(x)", "1 250,50"]], ";"))
    assert text.startswith("\ufeffTitel;Belopp\r\n") and "'=HYPERLINK(x)" in text


def test_csv_lines_are_those_the_csv_module_writes():
    # csv_lines joins its lines itself (issue 12): a spreadsheet must read them as it read the module's
    header = ["Nr", "=Titel", "Betrag; EUR"]
    rows = [[1, "plain", "with; separator"], [-3, 'say "hi"', "two\nlines"], [0, "cr\rhere", "a,b"],
            [1.5, Decimal("-2.50"), None], ["", "", ""], [""], [None], [], ["\tlead tab", "+1", "@x"],
            [dt.date(2026, 11, 29), True, " space ;"], ['"', ";", "\r\n"], ["-", "=", "ä ö å – ẞ"]]
    for delimiter in (";", ","):
        expected = io.StringIO()
        writer = csv.writer(expected, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows([[csv_safe(cell) for cell in row] for row in [header, *rows]])
        assert "".join(csv_lines(header, iter(rows), delimiter)) == "\ufeff" + expected.getvalue()


def test_xlsx_streams_its_first_bytes_before_reading_the_rows_and_opens_in_a_spreadsheet_program():
    consumed = itertools.count()

    def rows():
        for n in range(1200):
            next(consumed)
            yield [n, f"Organisation {n} – åäö <&>", "=1+1", None, "\x00nul"]

    chunks = xlsx_chunks(["Nr", "Name", "Formel", "Leer", "Steuer"], rows(), sheet_name="Partner")
    first = next(chunks)
    assert first.startswith(b"PK") and next(consumed) == 0  # nothing read yet
    data = first + b"".join(chunks)
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Partner"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Nr", "Name", "Formel", "Leer", "Steuer")
    assert values[1] == (0, "Organisation 0 – åäö <&>", "=1+1", None, "nul")
    assert len(values) == 1201


def test_child_rows_reads_a_batch_by_one_bound_list_of_ids(in_scope, towns, count_queries):
    # Issue 12: a batch's ids are one parameter (an array on PostgreSQL, JSON on SQLite), so the statement
    # is the same text for 2 ids and for 600, and it returns the rows of those ids only.
    from sqlalchemy import select

    from exchange.exports import child_rows
    from exchange.listparams import among
    from exchange.municipalities.models import Municipality

    table = Municipality.__table__
    stmt = select(table.c.id, table.c.slug).where(among(table.c.id))
    with in_scope("kungalv"), count_queries() as counter:
        few = child_rows(stmt, [towns["perano"], towns["kungalv"]])
        many = child_rows(stmt, [towns["hiddenhausen"], *range(10**6, 10**6 + 600)])
        none = child_rows(stmt, [])
    assert sorted(few) == sorted([(towns["perano"], "perano"), (towns["kungalv"], "kungalv")])
    assert many == [(towns["hiddenhausen"], "hiddenhausen")] and none == []
    assert counter.n == 3 and len(set(counter.statements)) == 1


def test_child_rows_go_through_the_scope_guard(app):
    # Read through the session, a child table read with no municipality in scope is refused as any query
    from sqlalchemy import select

    from exchange.exports import child_rows
    from exchange.listparams import among
    from exchange.projects.models import ProjectText
    from exchange.tenancy import ScopeError

    table = ProjectText.__table__
    with app.app_context(), pytest.raises(ScopeError):
        child_rows(select(table.c.project_id).where(among(table.c.project_id)), [1])
