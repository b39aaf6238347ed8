"""The reader's view of user-written content: own language, else the original with a note."""
from __future__ import annotations

from dataclasses import dataclass

from exchange.i18n.models import ContentStatus, Translatable


@dataclass
class Row:
    field: str
    locale: str
    text: str
    status: str

    @property
    def is_source(self) -> bool:
        return self.status == "source"


class Doc(Translatable):
    TRANSLATABLE_FIELDS = ("title", "summary")

    def __init__(self, *rows: Row):
        self.texts = list(rows)


def test_the_readers_language_is_shown_when_translated():
    doc = Doc(Row("title", "sv", "Hamnen", "source"), Row("title", "de", "Der Hafen", "translated"))
    shown = doc.display("title", "de")
    assert (shown.text, shown.lang, shown.is_fallback) == ("Der Hafen", "de", False)


def test_the_original_is_shown_with_its_language_when_no_translation_exists():
    doc = Doc(Row("title", "sv", "Hamnen", "source"))
    shown = doc.display("title", "it")
    assert (shown.text, shown.lang, shown.is_fallback) == ("Hamnen", "sv", True)
    assert doc.status_of("title", "it") is ContentStatus.MISSING


def test_an_outdated_translation_is_shown_and_marked():
    doc = Doc(Row("title", "it", "Il porto", "source"), Row("title", "sv", "Hamnen", "outdated"))
    shown = doc.display("title", "sv")
    assert shown.text == "Hamnen" and shown.is_outdated and shown.source_lang == "it"


def test_a_missing_field_is_empty_not_an_error():
    doc = Doc(Row("title", "sv", "Hamnen", "source"))
    assert doc.display("summary", "de").text == ""


def test_paragraphs_escape_html():
    from exchange.i18n.formatting import paragraphs
    assert str(paragraphs("<script>x</script>\n\nSecond")) == "<p>&lt;script&gt;x&lt;/script&gt;</p><p>Second</p>"
