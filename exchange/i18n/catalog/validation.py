"""Checks on an interface translation before it is saved (DESIGN.md §5).

A translated interface string is rendered as *trusted markup* (Jinja's gettext marks it safe and then
formats the escaped variables into it), so these checks are a security boundary, not a style guide:

errors (nothing is saved)
    ``placeholders``  the named (``%(name)s``) and positional (``%s``) placeholders differ from the source
                      (each plural form is compared with the plural source);
    ``format``        the translation does not format (a stray ``%``, a wrong conversion, mixed styles);
    ``html``          a tag or attribute the source does not have; never ``script``/``style``, ``on…=``
                      or ``javascript:``; no unfinished tag, comment or declaration; no ASCII double quote
                      the source lacks (it would end an HTML attribute the string is placed in);
    ``plural_missing`` a plural form left empty while others are filled;
    ``control``       control characters (NUL, escapes, bidirectional overrides…).
warnings (a translator may save anyway)
    ``whitespace``, ``punctuation``, ``same_as_source``, ``too_long``.

Placeholders are read with Babel's own format grammar (``babel.messages.catalog.PYTHON_FORMAT``) and
checked with Babel's ``python_format`` checker plus a real ``%`` with sample values (as the app formats
the string); markup is read with the standard library's HTML tokenizer (``html.parser``), which decodes
entities in attribute values as a browser does. Pure functions: no Flask, no database. The workbench
turns the codes into translated messages.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

from babel.messages.catalog import PYTHON_FORMAT, Message, TranslationError
from babel.messages.checkers import python_format

ERROR, WARNING = "error", "warning"
ERROR_CODES = ("placeholders", "format", "html", "plural_missing", "control")
WARNING_CODES = ("whitespace", "punctuation", "same_as_source", "too_long")
CODES = ERROR_CODES + WARNING_CODES

# Format characters (Unicode category Cf) that reorder or hide text, on top of the C0/C1 controls.
_INVISIBLE = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_FORBIDDEN_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math", "base", "meta",
                             "link", "form", "template"})
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# An event handler written as text: dangerous where a template puts the string inside an attribute.
_EVENT_TEXT = re.compile(r"(?:^|[\s\"'/])on[a-z]+\s*=", re.I)
_END_PUNCTUATION = ".!?:;…"


@dataclass(frozen=True)
class Problem:
    """One finding. ``form`` is the plural form index (None for a singular message)."""

    code: str
    form: int | None = None
    details: tuple[str, ...] = field(default_factory=tuple)

    @property
    def severity(self) -> str:
        return ERROR if self.code in ERROR_CODES else WARNING

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


# --- control characters ----------------------------------------------------------------------------

def has_control(text: str) -> bool:
    """NUL, escapes and other C0/C1 controls (tab and line breaks are text), and bidirectional controls."""
    return any((unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS) or c in _INVISIBLE
               for c in text)


# --- placeholders ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Placeholders:
    named: dict[str, str]          # name → conversion of its first use
    positional: tuple[str, ...]    # conversions in order
    stray: bool                    # a % that is not a directive

    def signature(self) -> tuple[frozenset[str], int]:
        """What a translation must keep: the names, and the number of positional placeholders (whether
        the conversions are compatible is the format check's question, Babel's ``python_format``)."""
        return frozenset(self.named), len(self.positional)


def placeholders(text: str) -> Placeholders:
    """The format directives of ``text`` as Babel reads them (``%%`` is a literal percent sign)."""
    named: dict[str, str] = {}
    positional: list[str] = []
    consumed = 0
    stray = False
    for match in PYTHON_FORMAT.finditer(text):
        name, spec, conversion = match.groups()
        consumed += match.group(0).count("%")
        if conversion == "%" and name is None:
            continue
        if "*" in spec:
            stray = True  # a '*' width takes an extra argument: never in our catalogs
        if name is not None:
            named.setdefault(name, conversion)
        else:
            positional.append(conversion)
    return Placeholders(named, tuple(positional), stray or text.count("%") > consumed)


def sample_values(source: Placeholders) -> dict[str, object] | tuple[object, ...]:
    """Values that the source formats with: numbers for numeric conversions, words otherwise."""
    def value(conversion: str) -> object:
        if conversion in "diouxXc":
            return 1
        if conversion in "eEfFgG":
            return 1.5
        return "x"
    if source.named:
        return {name: value(conversion) for name, conversion in source.named.items()}
    return tuple(value(c) for c in source.positional)


def formats(text: str, source: Placeholders, source_text: str | None = None) -> bool:
    """True when ``text % values`` works with the values the source takes (as the app formats it) and,
    given the source's text, Babel's ``python_format`` checker finds the two compatible."""
    if placeholders(text).stray:
        return False
    if source_text is not None:
        try:
            python_format(None, Message(source_text, text, flags=["python-format"]))
        except TranslationError:
            return False
    try:
        values = sample_values(source)
        text % (values if values else {})  # Jinja always formats, with an empty mapping when there are none
    except (KeyError, ValueError, TypeError, IndexError):
        return False
    return True


# --- HTML ------------------------------------------------------------------------------------------

class _Markup(HTMLParser):
    """A string's tags (name, attributes with their decoded values) and the text between them, as a
    browser's tokenizer reads them; anything else that starts with ``<`` makes it malformed."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, frozenset[tuple[str, str]]]] = []
        self.outside: list[str] = []
        self.malformed = False
        self.feed(text)
        self.close()
        outside = self.text
        # A '<' left in the text that a browser could start a tag with: an unfinished tag.
        self.malformed = self.malformed or any(
            outside[i + 1:i + 2].isalpha() or outside[i + 1:i + 2] in ("/", "!", "?")
            for i, char in enumerate(outside) if char == "<")

    @property
    def text(self) -> str:
        return "".join(self.outside)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, frozenset((name.lower(), value or "") for name, value in attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tags.append((tag, frozenset()))

    def handle_data(self, data):
        self.outside.append(data)

    def handle_entityref(self, name):
        self.outside.append(f"&{name};")

    def handle_charref(self, name):
        self.outside.append(f"&#{name};")

    def handle_comment(self, data):
        self.malformed = True

    def handle_decl(self, decl):
        self.malformed = True

    def handle_pi(self, data):
        self.malformed = True

    def unknown_decl(self, data):
        self.malformed = True


def tags(text: str) -> tuple[list[tuple[str, frozenset[tuple[str, str]]]], bool]:
    """The tags of ``text`` as (name, attributes), and whether some ``<`` starts something that is not
    a complete, well-formed tag (a comment, an unfinished tag…)."""
    markup = _Markup(text)
    return markup.tags, markup.malformed


def _compact(value: str) -> str:
    """A value as a URL parser reads its scheme: without spaces or controls, lower-cased."""
    return "".join(c for c in value if not c.isspace() and unicodedata.category(c) != "Cc").lower()


def html_problems(source: str, text: str) -> list[str]:
    """What is wrong with the markup of ``text`` compared with ``source`` (empty when nothing)."""
    problems: list[str] = []
    original, translated = _Markup(source), _Markup(text)
    allowed: dict[str, set[tuple[str, str]]] = {}
    for name, attrs in original.tags:
        allowed.setdefault(name, set()).update(attrs)
    if translated.malformed:
        problems.append("<")
    event = False
    for name, attrs in translated.tags:
        if name in _FORBIDDEN_TAGS or name not in allowed:
            problems.append(f"<{name}>")
            continue
        for attr_name, value in sorted(attrs - allowed[name]):
            problems.append(f"{attr_name}=")
            event = event or attr_name.startswith("on")
    if event or (_EVENT_TEXT.search(translated.text) and not _EVENT_TEXT.search(original.text)):
        problems.append("on…=")
    values = [value for _name, attrs in translated.tags for _attr, value in attrs]
    if any(scheme in _compact(v) for v in [text, *values] for scheme in _DANGEROUS_SCHEMES):
        problems.append("javascript:")
    if '"' in translated.text and '"' not in original.text:
        problems.append('"')
    return list(dict.fromkeys(problems))


# --- the whole check -------------------------------------------------------------------------------

def _sources(msgid: str, msgid_plural: str | None, count: int) -> list[str]:
    """The source each translated form is compared with: the singular for form 0, the plural for others."""
    if not msgid_plural:
        return [msgid] * count
    return [msgid] + [msgid_plural] * (count - 1)


def check(msgid: str, strings: list[str], msgid_plural: str | None = None, nplurals: int = 2,
          context: str | None = None) -> list[Problem]:
    """Every problem of the translation ``strings`` (one per plural form) of a message.

    A translation that is entirely empty has no problems: it is simply untranslated.
    """
    del context  # the context never appears in the rendered text
    plural = bool(msgid_plural)
    expected = nplurals if plural else 1
    strings = (list(strings) + [""] * expected)[:expected]
    if not any(s for s in strings):
        return []
    problems: list[Problem] = []
    for index, (text, source) in enumerate(zip(strings, _sources(msgid, msgid_plural, expected))):
        form = index if plural else None
        if not text:
            problems.append(Problem("plural_missing", form))
            continue
        if has_control(text):
            problems.append(Problem("control", form))
        source_ph, text_ph = placeholders(source), placeholders(text)
        if text_ph.signature() != source_ph.signature():
            missing = sorted(set(source_ph.named) - set(text_ph.named))
            extra = sorted(set(text_ph.named) - set(source_ph.named))
            details = tuple([f"-%({n})s" for n in missing] + [f"+%({n})s" for n in extra])
            if len(text_ph.positional) != len(source_ph.positional):
                details += (f"{len(source_ph.positional)}→{len(text_ph.positional)}",)
            problems.append(Problem("placeholders", form, details))
        if not formats(text, source_ph, source):
            problems.append(Problem("format", form))
        markup = html_problems(source, text)
        if markup:
            problems.append(Problem("html", form, tuple(markup)))
        problems.extend(_warnings(source, text, form))
    return problems


def _visible(text: str) -> str:
    """The words a reader sees: the text outside tags, without placeholders."""
    return PYTHON_FORMAT.sub(" ", html.unescape(_Markup(text).text))


def _warnings(source: str, text: str, form: int | None) -> list[Problem]:
    found = []
    if (source[:1].isspace(), source[-1:].isspace()) != (text[:1].isspace(), text[-1:].isspace()):
        found.append(Problem("whitespace", form))
    if _end_mark(source) != _end_mark(text):
        found.append(Problem("punctuation", form))
    if text == source and re.search(r"[A-Za-z]{3}", _visible(source)):
        found.append(Problem("same_as_source", form))
    if len(text) > 2 * len(source) + 20:
        found.append(Problem("too_long", form))
    return found


def _end_mark(text: str) -> str:
    stripped = text.rstrip()
    if stripped.endswith("..."):
        return "…"
    last = stripped[-1:]
    return last if last and last in _END_PUNCTUATION else ""


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_error]


def normalise(text: str) -> str:
    """Browsers send textarea line breaks as CRLF; catalogs use LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def word_count(text: str) -> int:
    """Words of a source text, for the overview (placeholders and tags are not words)."""
    return len(re.findall(r"\w+", _visible(text or "")))
