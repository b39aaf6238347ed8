"""The interface catalogs: complete, not fuzzy, same placeholders, formatting cleanly, up to date."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ["sv", "de", "it"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def load(locale: str):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text) if "%(" in text else PLACEHOLDER.findall(text))


def entries(catalog):
    for message in catalog:
        if message.id:
            yield message


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_and_not_fuzzy(locale):
    catalog = load(locale)
    missing = [m.id for m in entries(catalog)
               if not all(m.string if isinstance(m.string, (list, tuple)) else [m.string])]
    fuzzy = [m.id for m in entries(catalog) if m.fuzzy]
    assert missing == [], f"{locale}: untranslated: {missing[:10]}"
    assert fuzzy == [], f"{locale}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_and_format(locale):
    problems = []
    for m in entries(load(locale)):
        ids = m.id if isinstance(m.id, (list, tuple)) else (m.id,)
        strings = m.string if isinstance(m.string, (list, tuple)) else (m.string,)
        for i, text in enumerate(strings):
            source = ids[min(i, len(ids) - 1)]
            if text and placeholders(text) != placeholders(source):
                problems.append(f"{source!r} -> {text!r}")
            named = set(re.findall(r"%\((\w+)\)", source))
            if text and named:
                try:
                    text % {name: 1 for name in named}
                except (KeyError, ValueError, TypeError) as exc:
                    problems.append(f"{text!r} does not format: {exc}")
    assert problems == []


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_are_pinned(locale):
    catalog = load(locale)
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


def test_messages_pot_is_up_to_date_with_the_sources(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "-k", "lazy_pgettext:1c,2", "-o", str(fresh), "exchange"],
                   cwd=ROOT, check=True, capture_output=True)
    with open(fresh, "rb") as f:
        extracted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id}
    with open(ROOT / "translations" / "messages.pot", "rb") as f:
        committed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(f) if m.id}
    assert sorted(map(str, extracted - committed)) == [], "run `make extract-messages` and translate"
    assert sorted(map(str, committed - extracted)) == [], "run `make extract-messages`"
    for locale in LOCALES:
        in_catalog = {m.id if isinstance(m.id, str) else tuple(m.id) for m in entries(load(locale))}
        assert extracted <= in_catalog, f"{locale} is missing msgids: run `make extract-messages`"
