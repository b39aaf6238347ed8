"""The global theme taxonomy: seeded idempotently, names as data, the reader's language with a fallback."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.extensions import db


def test_seeding_twice_keeps_one_row_per_key(app):
    from exchange.themes.models import Theme
    from exchange.themes.services import DEFAULT_THEMES, seed_defaults
    with app.app_context():
        seed_defaults()
        seed_defaults()
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Theme)) == len(DEFAULT_THEMES)


def test_a_new_language_or_theme_is_data_and_falls_back_to_english(app):
    from exchange.themes.services import create_or_update
    with app.app_context():
        theme, created = create_or_update("fisheries", {"en": "Fisheries", "sv": "Fiske"})
        assert created
        assert theme.name("sv") == "Fiske" and theme.name_lang("sv") == "sv"
        # No Italian name yet: English, and the lang attribute says so.
        assert theme.name("it") == "Fisheries" and theme.name_lang("it") == "en"
        theme, created = create_or_update("fisheries", {"it": "Pesca"})
        assert not created and theme.name("it") == "Pesca" and theme.name("sv") == "Fiske"


def test_invalid_theme_data_is_refused(app):
    from exchange.errors import Refusal
    from exchange.themes.services import create_or_update
    with app.app_context():
        with pytest.raises(Refusal):
            create_or_update("Not A Key", {"en": "x"})
        with pytest.raises(Refusal):
            create_or_update("empty", {"en": "  "})


def test_choices_sort_by_the_readers_alphabet(app):
    from exchange.themes.queries import name_sort_key
    words = ["Ängel", "Zebra", "Anka", "Örn"]
    assert sorted(words, key=lambda w: name_sort_key(w, "sv")) == ["Anka", "Zebra", "Ängel", "Örn"]
    assert sorted(words, key=lambda w: name_sort_key(w, "de")) == ["Ängel", "Anka", "Örn", "Zebra"]
