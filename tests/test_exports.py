"""The shared streaming exports: CSV for the reader's spreadsheet settings, and XLSX streamed row by row."""
from __future__ import annotations

import io
import itertools

import openpyxl

from exchange.exports import csv_lines, list_separator, xlsx_chunks


def test_csv_uses_the_readers_list_separator_a_bom_and_inert_formulas():
    assert list_separator("sv") == ";" and list_separator("de") == ";" and list_separator("it") == ";"
    assert list_separator("en") == ","
    text = "".join(csv_lines(["Titel", "Belopp"], [["=HYPERLINK(x)", "1 250,50"]], ";"))
    assert text.startswith("\ufeffTitel;Belopp\r\n") and "'=HYPERLINK(x)" in text


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
