"""The checks a translation must pass before it is saved: pure functions, table-driven."""
from __future__ import annotations

import pytest

from exchange.i18n.catalog.validation import check, errors, html_problems, normalise, placeholders, warnings, word_count


def codes(problems):
    return sorted({p.code for p in problems})


REFUSED = [
    # (why, msgid, msgid_plural, strings, expected error code)
    ("placeholder typo", "Welcome, %(name)s.", None, ["Välkommen, %(nmae)s."], "placeholders"),
    ("dropped placeholder", "Welcome, %(name)s.", None, ["Välkommen."], "placeholders"),
    ("added placeholder", "Welcome.", None, ["Välkommen, %(name)s."], "placeholders"),
    ("dropped positional", "Page %s of %s", None, ["Sida %s"], "placeholders"),
    ("stray percent", "Use at most %(max)d characters.", None, ["Högst %(max)d tecken, 100 % säkert."], "format"),
    ("stray percent, no variables", "All done", None, ["100 % klart"], "format"),
    ("typo breaks the directive", "%(num)d projects", None, ["%(num) projekt"], "placeholders"),
    ("wrong conversion", "Hello %(name)s", None, ["Hallo %(name)d"], "format"),
    ("added img onerror", "Save", None, ['Spara<img src=x onerror="alert(1)">'], "html"),
    ("script tag", "Save", None, ["<script>alert(1)</script>Spara"], "html"),
    ("style tag", "Save", None, ["<style>body{}</style>Spara"], "html"),
    ("event attribute on an allowed tag", "Read <strong>this</strong>", None,
     ['Läs <strong onclick="x()">detta</strong>'], "html"),
    ("javascript url", 'See <a href="%(url)s">here</a>', None, ['Se <a href="javascript:alert(1)">här</a>'], "html"),
    ("changed attribute value", 'See <a href="%(url)s">here</a>', None, ['Se <a href="https://evil.example">här</a>'],
     "html"),
    ("unfinished tag", "Save", None, ["Spara <img src=x onerror=alert(1)"], "html"),
    ("comment", "Save", None, ["Spara <!-- x -->"], "html"),
    ("attribute breakout quote", "Search", None, ['Sök" onmouseover="alert(1)'], "html"),
    ("missing plural form", "%(num)d project", "%(num)d projects", ["%(num)d progetto", ""], "plural_missing"),
    ("plural form compared with the plural", "%(num)d project", "%(num)d projects",
     ["%(num)d progetto", "progetti"], "placeholders"),
    ("NUL byte", "Save", None, ["Spa\x00ra"], "control"),
    ("escape character", "Save", None, ["Spa\x1bra"], "control"),
    ("bidi override", "Save", None, ["Spa\u202era"], "control"),
]


@pytest.mark.parametrize("why,msgid,plural,strings,code", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused(why, msgid, plural, strings, code):
    found = errors(check(msgid, strings, plural))
    assert code in codes(found), f"{why}: {found}"


ACCEPTED = [
    ("plain", "Save", None, ["Spara"]),
    ("named placeholder moved", "Welcome, %(name)s.", None, ["%(name)s, välkommen."]),
    ("placeholder used twice", "Hello %(name)s", None, ["Hallo %(name)s, ja %(name)s"]),
    ("literal percent", "%(n)d%% done", None, ["%(n)d%% klart"]),
    ("positional kept", "Page %s of %s", None, ["Sida %s av %s"]),
    ("same tags", "Read <strong>this</strong>", None, ["Läs <strong>detta</strong>"]),
    ("same link", 'See <a href="%(url)s">here</a>', None, ['Se <a href="%(url)s">här</a>']),
    ("less than sign", "a", None, ["x < y"]),
    ("apostrophe", "The organisation", None, ["L'organizzazione"]),
    ("typographic quotes", "The “best” one", None, ["Den „bästa“"]),
    ("both plural forms", "%(num)d project", "%(num)d projects", ["%(num)d progetto", "%(num)d progetti"]),
    ("multi-line", "Hello,\n\nthere.", None, ["Hej,\n\ndär."]),
    ("empty means untranslated", "Save", None, [""]),
    ("empty plural means untranslated", "%(num)d project", "%(num)d projects", ["", ""]),
]


@pytest.mark.parametrize("why,msgid,plural,strings", ACCEPTED, ids=[r[0] for r in ACCEPTED])
def test_accepted(why, msgid, plural, strings):
    assert errors(check(msgid, strings, plural)) == []


WARNED = [
    ("trailing space", "Save", ["Spara "], "whitespace"),
    ("punctuation differs", "Saved.", ["Sparat"], "punctuation"),
    ("same as source", "Partner organisations", ["Partner organisations"], "same_as_source"),
    ("much longer", "Save", ["Spara det här nu med en väldigt lång förklaring som aldrig tar slut"], "too_long"),
]


@pytest.mark.parametrize("why,msgid,strings,code", WARNED, ids=[w[0] for w in WARNED])
def test_warnings_are_not_errors(why, msgid, strings, code):
    problems = check(msgid, strings)
    assert errors(problems) == []
    assert code in codes(warnings(problems))


def test_ellipsis_styles_count_as_the_same_punctuation():
    assert warnings(check("Deactivate account…", ["Inaktivera konto..."])) == []


def test_plural_problems_name_their_form():
    problems = check("%(num)d project", ["%(num)d progetto", "progetti"], "%(num)d projects")
    assert [(p.code, p.form) for p in errors(problems)] == [("placeholders", 1)]


def test_placeholder_details_say_what_is_missing_and_extra():
    (problem,) = errors(check("Hi %(name)s", ["Hej %(nmae)s"]))[:1]
    assert problem.details == ("-%(name)s", "+%(nmae)s")


def test_placeholders_parse_flags_and_literal_percent():
    ph = placeholders("%(a)05.2f and %%, %(b)s")
    assert ph.named == {"a": "f", "b": "s"} and not ph.stray
    assert placeholders("100 %").stray


def test_forbidden_tags_are_refused_even_when_the_source_has_them():
    assert "<script>" in html_problems("<script>x</script>", "<script>y</script>")


def test_normalise_and_word_count():
    assert normalise("a\r\nb\rc") == "a\nb\nc"
    assert word_count("Welcome, %(name)s, to <strong>the</strong> exchange") == 4


# The markup is read by an HTML tokenizer, as a browser reads it, not by patterns.
PARSED = [
    ("entity-encoded javascript url", 'See <a href="%(url)s">here</a>', ['Se <a href="&#106;avascript:alert(1)">här</a>']),
    ("tab inside the scheme", 'See <a href="%(url)s">here</a>', ['Se <a href="java\tscript:alert(1)">här</a>']),
    ("slash-separated attributes", "Save", ["<img/src=x/onerror=alert(1)>Spara"]),
    ("upper-case script", "Save", ["<SCRIPT>alert(1)</SCRIPT>Spara"]),
    ("processing instruction", "Save", ["Spara <?xml x?>"]),
    ("declaration", "Save", ["Spara <!doctype html>"]),
    ("end tag the source lacks", "Save", ["Spara</p>"]),
    ("unfinished end tag", "Read <strong>this</strong>", ["Läs <strong>detta</strong"]),
    ("event handler written as text", "The organisation", ["L' onmouseover='alert(1)"]),
    ("unquoted event attribute", "Read <strong>this</strong>", ["Läs <strong onclick=x()>detta</strong>"]),
]


@pytest.mark.parametrize("why,msgid,strings", PARSED, ids=[p[0] for p in PARSED])
def test_markup_read_as_a_browser_does(why, msgid, strings):
    assert "html" in codes(errors(check(msgid, strings))), why


def test_entities_and_attribute_order_are_not_changes():
    assert html_problems('See <a href="%(url)s" class="x">here</a>', 'Se <a class="x" href="%(url)s">här</a>') == []
    assert html_problems("Fish &amp; chips", "Fisk &amp; pommes") == []
    assert "on…=" in html_problems("Read <b>this</b>", '<b onclick="x">detta</b>')


def test_babel_reads_the_placeholders():
    """Positional and named placeholders are not mixed; numeric conversions are compatible (%d, %i)."""
    assert "format" in codes(errors(check("%(num)d items", ["%(num)d voci e %s"])))
    assert errors(check("Page %d of %d", ["Sida %i av %d"])) == []
