"""The shared streaming exports: CSV for the reader's spreadsheet settings, and XLSX streamed row by row."""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from decimal import Decimal

import openpyxl

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
